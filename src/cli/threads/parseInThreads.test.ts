import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { runCli } from '../../../tests/support/cli';
import { DEFAULT_MAX_LINE_BYTES, ParseSession, type ParseOptions, type ParseSummary } from '../../core';
import { readRawLines } from '../readLines';
import { parseInThreads } from './parseInThreads';

/**
 * Threads change how fast, never what: `--jobs N` answers byte for byte what one session given every line in
 * order answers (read here with readRawLines, the way the CLI read before threads), over the generator's
 * traffic (routine noise in real proportions) and over the same traffic mutated: cut, broken, binary, overlong,
 * CRLF and duplicate lines, and reads whose audit ID a later write reuses in another thread's range.
 */

const RANGE = 64 * 1024;

async function generated(events: number, seed: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'provenance-threads-'));
  const r = await runCli([
    'generate',
    '--scenario',
    'all',
    '--out',
    dir,
    '--events',
    String(events),
    '--seed',
    String(seed),
  ]);
  expect(r.code).toBe(0);
  return dir;
}

/** The generator's audit lines, mutated in every way the readers and the session must count alike. */
function mutated(auditLog: string): string {
  const lines = readFileSync(auditLog, 'utf8').split('\n').filter(Boolean);
  const out: string[] = [];
  const reads = lines.filter((l) => /"verb":"(get|list|watch)"/.test(l) && l.includes('"stage":"ResponseComplete"'));
  lines.forEach((line, i) => {
    if (i % 97 === 0) {
      out.push(line.slice(0, line.length >> 1)); // cut by a shipper
    } else if (i % 89 === 0) {
      out.push(line.replace('{"kind"', '{"kind"]')); // broken JSON
    } else if (i % 83 === 0) {
      out.push(line + '\r'); // CRLF
    } else if (i % 79 === 0) {
      out.push(`   ${line}`); // leading blanks
    } else {
      out.push(line);
    }
    if (i % 71 === 0) {
      out.push(line); // a duplicate stage line
    }
    if (i % 503 === 0) {
      out.push(
        '',
        '\u0000\u0001binary',
        'x'.repeat(DEFAULT_MAX_LINE_BYTES + 10),
        `{"msg":"é€😀 ${'€'.repeat(i % 7)}"}`
      );
    }
  });
  // Reads whose audit ID a write reuses far later: the skipped read is parsed after all, from another range.
  for (const read of reads.slice(0, 40)) {
    out.push(read.replace(/"verb":"(get|list|watch)"/, '"verb":"delete"'));
  }
  // Last, a line without its newline.
  return out.join('\n');
}

/** One session, every line in order: the answer threads must give. */
async function oneSession(files: string[], options: ParseOptions): Promise<ParseSummary> {
  const session = new ParseSession(options);
  for (const f of files) {
    for await (const line of readRawLines(f, { maxLineBytes: DEFAULT_MAX_LINE_BYTES })) {
      session.add(line);
    }
  }
  return session.finish();
}

const logsOf = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => join(dir, f));

let dir: string;
let files: string[];
beforeAll(async () => {
  dir = await generated(3_000, 11);
  const audit = join(dir, 'kube-audit.log');
  writeFileSync(join(dir, 'kube-audit-mutated.log'), mutated(audit));
  files = logsOf(dir);
}, 60_000);

describe('parse on threads', () => {
  it.each([
    ['parse (every record)', {}],
    ['trace (reads counted, not parsed)', { skipReads: true }],
  ])(
    '%s: the summary of one session, byte for byte, on 1 and on 3 threads',
    async (_name, options) => {
      const mutatedLog = join(dir, 'kube-audit-mutated.log');
      // The files span many ranges, so lines, stages and reused audit IDs fall in different threads.
      expect(statSync(mutatedLog).size).toBeGreaterThan(20 * RANGE);
      const expected = JSON.stringify(await oneSession(files, options));
      for (const jobs of [1, 3]) {
        const got = await parseInThreads(files, {
          parse: options,
          maxLineBytes: DEFAULT_MAX_LINE_BYTES,
          jobs,
          rangeBytes: RANGE,
        });
        expect(JSON.stringify(got)).toBe(expected);
      }
      const summary = JSON.parse(expected) as ParseSummary;
      // The mutations reached the session: each kind of skip is there to be counted alike.
      for (const reason of ['invalid-json', 'empty-line', 'binary-data', 'line-too-long']) {
        expect(summary.skipped[reason]?.count).toBeGreaterThan(0);
      }
      expect(summary.salvaged['truncated-salvaged']?.count).toBeGreaterThan(0);
      expect(summary.stats.duplicates).toBeGreaterThan(0);
    },
    120_000
  );

  it('parses a skipped read after all when a write in a later range reuses its audit ID', async () => {
    const got = await parseInThreads([join(dir, 'kube-audit-mutated.log')], {
      parse: { skipReads: true },
      maxLineBytes: DEFAULT_MAX_LINE_BYTES,
      jobs: 2,
      rangeBytes: RANGE,
    });
    const deletes = got.events.filter((e) => e.verb === 'delete' && e.id.includes('~'));
    // Same audit ID, different request: both events, told apart by their request (session.ts finish).
    expect(deletes.length).toBeGreaterThanOrEqual(40);
    const origins = got.events.filter((e) => e.id.includes('~') && e.verb !== 'delete').map((e) => e.raw.origin);
    expect(origins.length).toBeGreaterThanOrEqual(40);
    // The read's event names its own line, read again from the file by reference.
    const lines = readFileSync(join(dir, 'kube-audit-mutated.log'), 'utf8').split('\n');
    for (const origin of origins) {
      const n = Number(/:(\d+)$/.exec(origin ?? '')?.[1]);
      expect(lines[n - 1]).toMatch(/"verb":"(get|list|watch)"/);
    }
  }, 60_000);
});

describe('trace and parse --jobs', () => {
  const json = async (args: string[]) => {
    const r = await runCli(args);
    expect(r.code).toBe(0);
    return r.out.replace(/"ms": \d+/, '"ms": 0');
  };

  it('trace --format json on 2 threads prints what 1 thread prints', async () => {
    const one = await json(['trace', '--format', 'json', '--jobs', '1', dir]);
    const two = await json(['trace', '--format', 'json', '--jobs', '2', '--range-bytes', String(RANGE), dir]);
    expect(two).toBe(one);
    expect(JSON.parse(one).chains.length).toBeGreaterThan(10);
  }, 120_000);

  it('a .gz is read in this thread and parsed on the others, with the plain file’s answer', async () => {
    const gzDir = mkdtempSync(join(tmpdir(), 'provenance-threads-gz-'));
    const plain = join(dir, 'kube-audit-mutated.log');
    const gz = join(gzDir, 'kube-audit-mutated.log');
    writeFileSync(gz, gzipSync(readFileSync(plain)));
    const a = await json(['parse', '--format', 'json', '--jobs', '1', plain]);
    const b = await json(['parse', '--format', 'json', '--jobs', '2', gz]);
    expect(b.split(gz).join(plain)).toBe(a);
  }, 120_000);
});

describe('a thread that fails', () => {
  const failing = (body: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'provenance-threads-fail-')), 'worker.cjs');
    writeFileSync(path, `const { parentPort } = require('node:worker_threads');\n${body}\n`);
    return path;
  };
  const run = (workerEntry: string) =>
    parseInThreads(files, { parse: {}, maxLineBytes: DEFAULT_MAX_LINE_BYTES, jobs: 2, rangeBytes: RANGE, workerEntry });

  it('fails the answer with the reason when a worker exits', async () => {
    await expect(run(failing("parentPort.on('message', () => process.exit(3));"))).rejects.toThrow(
      /a parse thread failed \(it exited with code 3\); nothing is answered from a part of the input/
    );
  });

  it('fails the answer with the reason when a worker throws', async () => {
    await expect(run(failing("parentPort.on('message', () => { throw new Error('out of sorts'); });"))).rejects.toThrow(
      /a parse thread failed \(out of sorts\)/
    );
  });

  it('fails the answer with the reason a worker could not read its input', async () => {
    const body =
      "parentPort.on('message', ({ id }) => parentPort.postMessage({ id, error: 'cannot read x: EACCES', exitCode: 1 }));";
    await expect(run(failing(body))).rejects.toMatchObject({ message: 'cannot read x: EACCES', exitCode: 1 });
  });

  it('fails the answer when a worker answers nonsense', async () => {
    await expect(
      run(failing("parentPort.on('message', ({ id }) => parentPort.postMessage({ id: id + 1000 }));"))
    ).rejects.toThrow(/a parse thread failed \(it answered a task it was not given\)/);
  });
});
