import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { pushEntries, type PushEntry } from '../../src/core';
import { runCli as cli } from '../support/cli';
import { LokiEmulator } from '../support/lokiEmulator';

/**
 * Loki's push window (pkg/ingester/stream.go, pkg/distributor/validator.go at v3.5.0): per stream, nothing
 * older than the newest line minus 1 h; nothing more than 10 min ahead. The feeder and file pushes must land
 * every line, and count what Loki refused exactly.
 */

let emu: LokiEmulator;
let url: string;

beforeEach(async () => {
  emu = new LokiEmulator();
  url = await emu.start();
});

afterEach(() => emu.stop());

const post = (u: string, init: Parameters<typeof fetch>[1]) => fetch(u, init);

it('push --live --rounds 2: every line of both rounds accepted, none stamped ahead of now', async () => {
  const r = await cli(['push', '--loki', url, '--live', '--rounds', '2', '--interval-minutes', '0', '--events', '50']);
  expect(r.code).toBe(0);
  const rounds = [...r.err.matchAll(/^round (\d): pushed (\d+) of (\d+) lines \((\d+) rejected, 0 retries\)$/gm)];
  expect(rounds.map((m) => m[1])).toEqual(['1', '2']);
  for (const m of rounds) {
    expect(m[2]).toBe(m[3]);
    expect(m[4]).toBe('0');
  }
  expect(r.err).not.toContain('Loki rejected');
  expect(emu.size).toBe(Number(rounds[0][3]) + Number(rounds[1][3]));
  expect(Math.max(...emu.entryTimesMs())).toBeLessThanOrEqual(Date.now());
});

describe('a saved incident pushed into a Loki that already holds newer lines of the same streams', () => {
  let files: string[];
  let lines: number;

  beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provenance-push-old-'));
    expect((await cli(['generate', '--out', dir, '--events', '200', '--seed', '5'])).code).toBe(0);
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => join(dir, f));
    lines = files.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').filter(Boolean).length, 0);
    // What Alloy would be shipping right now, in the streams `push --cluster demo` writes.
    const now = `${Date.now() - 60_000}000000`;
    for (const job of ['kube-audit', 'rancher-audit', 'argocd', 'fleet']) {
      const res = await post(`${url}/loki/api/v1/push`, {
        method: 'POST',
        body: JSON.stringify({ streams: [{ stream: { job, cluster: 'demo' }, values: [[now, `live ${job}`]] }] }),
      });
      expect(res.status).toBe(204);
    }
  });

  it('lands in its own import streams: every line accepted', async () => {
    const r = await cli(['push', '--loki', url, '--cluster', 'demo', ...files]);
    expect(r.out).toMatch(new RegExp(`^pushed ${lines} lines to \\S+ with import="2026-03-02T09:50Z"; 0 rejected;`));
    expect(r.code).toBe(0);
    expect(emu.size).toBe(4 + lines);
    expect(emu.streamLabels().filter((l) => l.import === '2026-03-02T09:50Z')).toHaveLength(4);
  });

  it('with --import none, Loki refuses every line as too far behind, and push counts them all', async () => {
    const r = await cli(['push', '--loki', url, '--cluster', 'demo', '--import', 'none', ...files]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^pushed 0 lines to \\S+; ${lines} rejected;`));
    expect(r.out).toContain('entry too far behind');
    expect(emu.size).toBe(4);
  });
});

it('counts exactly when the distributor and the ingester both refuse lines of one push', async () => {
  const now = Date.now();
  const entry = (ms: number, line: string): PushEntry => ({
    labels: { job: 'mixed' },
    ns: `${ms}000000`,
    line,
    meta: {},
  });
  await pushEntries(post, url, [entry(now - 60_000, 'newest')]);
  const r = await pushEntries(post, url, [
    entry(now - 3 * 3_600_000, 'behind 1'),
    entry(now - 2 * 3_600_000, 'behind 2'),
    entry(now - 30 * 60_000, 'in window'),
    entry(now + 20 * 60_000, 'too new'),
  ]);
  expect([r.accepted, r.rejectedLines]).toEqual([1, 3]);
  expect(emu.size).toBe(2);
});

it('halves a push Loki finds over its gRPC message limit', async () => {
  const calls: number[] = [];
  const strictPost = async (u: string, init: { method: 'POST'; headers: Record<string, string>; body: string }) => {
    calls.push(init.body.length);
    if (init.body.length > 400_000) {
      // pkg/distributor → ingester over gRPC: loki issue #2271 shows the 500 a too large push gets.
      return new Response(
        'rpc error: code = ResourceExhausted desc = grpc: received message larger than max (5229930 vs. 4194304)\n',
        { status: 500 }
      );
    }
    return fetch(u, init);
  };
  const start = Date.now() - 60_000;
  const entries = Array.from({ length: 900 }, (_, i): PushEntry => ({
    labels: { job: 'wide' },
    ns: `${start + i}000000`,
    line: `${i} ${'p'.repeat(1000)}`,
    meta: {},
  }));
  const r = await pushEntries(strictPost, url, entries, { maxBytes: 2 ** 30 });
  expect(r.rejectedLines).toBe(0);
  expect(calls.filter((n) => n > 400_000).length).toBeGreaterThan(0);
  expect(r.accepted).toBe(900);
});
