import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { runCli } from '../../tests/support/cli';
import { expandInputs } from './readLines';

/**
 * Files as people have them: .gz rotations, directories, stdin. The expected answers are those of the same
 * lines given as plain files, one by one.
 */

const bin = join(__dirname, '../../bin/provenance.cjs');

async function generated(): Promise<{ dir: string; files: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'provenance-read-'));
  const r = await runCli(['generate', '--scenario', 'all', '--out', dir, '--events', '400', '--seed', '3']);
  expect(r.code).toBe(0);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => join(dir, f));
  return { dir, files };
}

/** trace --format json without the time it took. */
async function trace(args: string[]): Promise<{ code: number; json?: Record<string, unknown>; err: string }> {
  const r = await runCli(['trace', '--format', 'json', ...args]);
  if (r.code !== 0) {
    return { code: r.code, err: r.err };
  }
  const json = JSON.parse(r.out) as { stats: Record<string, unknown> };
  delete json.stats.ms;
  return { code: r.code, json, err: r.err };
}

/** Origins name the file they came from (`/tmp/…/x.log:12`): compare answers with the file names taken out. */
const withoutPaths = (j: unknown) =>
  JSON.parse(JSON.stringify(j).replace(/(?:\/[^"/:]+)+:(\d+)/g, 'FILE:$1')) as unknown;

let g: { dir: string; files: string[] };
beforeAll(async () => {
  g = await generated();
});

describe('.gz files', () => {
  it('give the answer of the plain file, a rotation in several gzip members too', async () => {
    const plain = g.files.find((f) => f.endsWith('kube-audit.log')) as string;
    const text = readFileSync(plain);
    const gz = join(g.dir, 'kube-audit-1.log.gz');
    const half = text.indexOf('\n', text.length >> 1) + 1;
    // Two members, as `cat a.gz b.gz` makes (zlib reads them as one stream).
    writeFileSync(gz, Buffer.concat([gzipSync(text.subarray(0, half)), gzipSync(text.subarray(half))]));
    const a = await trace([plain]);
    const b = await trace([gz]);
    expect(a.code).toBe(0);
    expect(withoutPaths(b.json)).toEqual(withoutPaths(a.json));
    expect((a.json?.chains as unknown[]).length).toBeGreaterThan(0);
  });

  it('a truncated .gz is an error that says so, never an answer from part of it', async () => {
    const gz = join(g.dir, 'cut.log.gz');
    const whole = gzipSync(readFileSync(g.files[0]));
    writeFileSync(gz, whole.subarray(0, whole.length - 100));
    const r = await runCli(['trace', '--format', 'json', gz]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/cut\.log\.gz: the gzip stream ends early \(a truncated \.gz\)/);
    const p = await runCli(['parse', gz]);
    expect(p.code).toBe(1);
    expect(p.out).toBe('');
  });

  it('inflating past the cap is refused as a possible gzip bomb', async () => {
    const gz = join(g.dir, 'bomb.log.gz');
    // 16 MiB of one repeated line: ~16 KiB compressed.
    writeFileSync(gz, gzipSync(Buffer.alloc(16 * 1024 * 1024, '{"a":1}\n')));
    const r = await runCli(['trace', '--max-inflated-bytes', String(1024 * 1024), gz]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/inflates past 1048576 bytes, refused as a possible gzip bomb/);
  });
});

describe('directories', () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  it('every log file inside in time order; sockets and binary files left out, counted and named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provenance-dir-'));
    const sub = join(dir, 'rotated');
    mkdirSync(sub);
    // Oldest first by modification time, whatever the names say.
    const order = [...g.files].reverse();
    order.forEach((f, i) => {
      const to = join(i === 0 ? sub : dir, `${String.fromCharCode(122 - i)}.log${i === 1 ? '.gz' : ''}`);
      const text = readFileSync(f);
      writeFileSync(to, i === 1 ? gzipSync(text) : text);
      utimesSync(to, 1_700_000_000 + i, 1_700_000_000 + i);
    });
    writeFileSync(join(dir, 'core.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]));
    server = createServer();
    await new Promise<void>((resolve) => server?.listen(join(dir, 'agent.sock'), resolve));

    const inputs = await expandInputs([dir]);
    expect(inputs.files.map((f) => f.slice(dir.length + 1))).toEqual(['y.log.gz', 'x.log', 'w.log', 'rotated/z.log']);
    expect(inputs.skipped.map((s) => [s.path.slice(dir.length + 1), s.reason])).toEqual([
      ['agent.sock', 'input:socket'],
      ['core.bin', 'input:binary-file'],
    ]);

    const whole = await trace([dir]);
    expect(whole.code).toBe(0);
    const skipped = whole.json?.skipped as Record<string, number>;
    expect(skipped['input:socket']).toBe(1);
    expect(skipped['input:binary-file']).toBe(1);
    // The same lines as the files given one by one (directory order: this level by time, then subdirectories).
    const oneByOne = await trace(order.slice(1).concat(order[0]));
    const expected = oneByOne.json as { chains: unknown[]; stats: { lines: number } };
    expect(withoutPaths(whole.json?.chains)).toEqual(withoutPaths(expected.chains));
    expect((whole.json?.stats as { lines: number }).lines).toBe(expected.stats.lines);

    const table = await runCli(['trace', dir]);
    expect(table.out).toMatch(/input:socket\s+1\n\s+first at .*agent\.sock/);
  });
});

describe('stdin', () => {
  it('- reads stdin, plain or gzip, streaming', () => {
    const plain = g.files.find((f) => f.endsWith('kube-audit.log')) as string;
    const expected = spawnSync(process.execPath, [bin, 'trace', '--format', 'json', plain], { encoding: 'utf8' });
    const fromStdin = spawnSync(process.execPath, [bin, 'trace', '--format', 'json', '-'], {
      input: gzipSync(readFileSync(plain)),
      encoding: 'utf8',
    });
    expect(fromStdin.status).toBe(0);
    const strip = (out: string, name: string) => {
      const j = JSON.parse(out.split(name).join('FILE')) as { stats: Record<string, unknown> };
      delete j.stats.ms;
      return j;
    };
    expect(strip(fromStdin.stdout, '-:')).toEqual(strip(expected.stdout, `${plain}:`));
  });
});
