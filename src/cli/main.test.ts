import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ChangeEvent } from '../core';
import { runCli } from '../../tests/support/cli';

const ROOT = join(__dirname, '..', '..');
const MIXED = join(ROOT, 'tests', 'fixtures', 'mixed', 'all-sources.log');
const LOKI_DOC = join(ROOT, 'tests', 'fixtures', 'loki', 'query_range-categorized.json');

interface ParseJson {
  events: ChangeEvent[];
  skipped: Record<string, number>;
  skippedExamples: Record<string, { example: string | null; detail: string | null }>;
  stats: { lines: number; records: number; events: number; duplicates: number; skipped: number };
}

describe('provenance parse — a mixed file of every source', () => {
  let result: ParseJson;
  beforeAll(async () => {
    const r = await runCli(['parse', '--format', 'json', MIXED]);
    expect(r.code).toBe(0);
    result = JSON.parse(r.out) as ParseJson;
  });

  it('gives one event per record, stages collapsed, each source recognised', () => {
    expect(result.stats).toEqual({ lines: 17, records: 13, events: 11, duplicates: 0, skipped: 5 });
    const bySource = result.events.reduce<Record<string, number>>(
      (acc, e) => ({ ...acc, [e.format]: (acc[e.format] ?? 0) + 1 }),
      {}
    );
    expect(bySource).toEqual({
      'kube-audit/v1': 2,
      'kube-audit/legacy-text': 1,
      'rancher-audit/v2.2+': 1,
      'rancher-audit/v2.0': 1,
      'argocd/json': 2,
      'argocd/text': 1,
      'k8s-event/exporter-json': 2,
      'fleet/zap-json': 1,
    });
  });

  it('the Rancher-proxied delete: the human, login name, real IP, final outcome', () => {
    const del = result.events.find((e) => e.source === 'kube-audit' && e.verb === 'delete');
    expect(del).toMatchObject({
      actor: { name: 'u-q8z3n', loginName: 'kim', via: [{ mechanism: 'rancher-impersonation' }] },
      sourceIPs: ['198.51.100.44', '10.42.0.17'],
      target: { namespace: 'shop', name: 'checkout', resource: 'deployments' },
      outcome: { code: 200, status: 'success', decision: 'allow' },
      stages: ['RequestReceived', 'ResponseComplete'],
      raw: { origin: expect.stringMatching(/all-sources\.log:2$/) },
    });
    const rancher = result.events.find((e) => e.source === 'rancher-audit' && e.verb === 'delete');
    expect(rancher).toMatchObject({
      target: { cluster: 'c-m-7xk2q', name: 'checkout' },
      sourceIPs: ['198.51.100.44', '10.42.0.17'],
      keys: { requestTokenId: 'token-4hx9p' },
    });
  });

  it('GitOps records carry app, commit, initiator', () => {
    const rollback = result.events.find((e) => e.verb === 'rollback');
    expect(rollback?.gitops).toMatchObject({ app: 'storefront', historyId: 7, initiator: 'dana@example.org' });
    const auto = result.events.find((e) => e.verb === 'sync' && e.gitops?.automated);
    expect(auto).toMatchObject({
      raw: { ns: '1772446800000000000' },
      gitops: { commit: '0f3c9a1d2b7e4c6a8f1e2d3c4b5a69788766554e' },
    });
    expect(result.events.find((e) => e.verb === 'commit')?.gitops?.commit).toBe(
      '9c8b7a6f5e4d3c2b1a0998877665544332211000'
    );
    const exec = result.events.find((e) => e.target.subresource === 'exec');
    expect(exec).toMatchObject({
      raw: { labels: { job: 'kube-audit', cluster: 'prod-eu' } },
      target: { cluster: 'prod-eu' },
    });
  });

  it('counts the skipped lines by reason, with where to look', () => {
    expect(result.skipped).toEqual({
      'truncated-json': 1,
      'empty-line': 1,
      'unknown-format': 2,
      'argocd:not-a-change': 1,
    });
    expect(result.skippedExamples['truncated-json'].example).toMatch(/all-sources\.log:13$/);
  });

  it('the table names the events and ends with the skip summary', async () => {
    const r = await runCli(['parse', MIXED]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+SOURCE\s+VERB\s+WHAT$/);
    expect(lines.every((l) => l.length <= 100)).toBe(true);
    expect(r.out).toContain('2026-03-02 10:20:05 kube    delete          deployments shop/checkout');
    expect(r.out).toContain('by u-q8z3n (human, login kim)');
    expect(r.out).toContain('11 events from 17 lines (13 records, 0 duplicates); 5 skipped:');
    // A longer path (a mutation-testing sandbox) may cut the reason short with "…".
    expect(r.out).toMatch(
      /truncated-json\s+1\n\s+first at .*all-sources\.log:13: (JSON stops being valid at char|[^\n]*…)/
    );
  });

  it('reads a saved, pretty-printed Loki response as one document; repeated records count as duplicates', async () => {
    const r = await runCli(['parse', '--format', 'json', MIXED, LOKI_DOC]);
    const j = JSON.parse(r.out) as ParseJson;
    expect(j.stats).toMatchObject({ lines: 18, events: 11, duplicates: 2 });
  });
});

describe('provenance — usage and exit codes', () => {
  it('1 with a clear message when a file cannot be read', async () => {
    const r = await runCli(['parse', '/no/such/file.log']);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toBe('provenance: cannot read /no/such/file.log: ENOENT\n');
    // A directory is read (readLines.test.ts); a socket named on the command line is not a file.
    const sock = join(mkdtempSync(join(tmpdir(), 'provenance-sock-')), 's.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    const notFile = await runCli(['parse', sock]);
    server.close();
    expect(notFile.code).toBe(1);
    expect(notFile.err).toBe(`provenance: cannot read ${sock}: not a regular file\n`);
  });

  it.each([
    [['parse'], "missing required argument 'file'"],
    [['parse', '--format', 'xml', MIXED], "argument 'xml' is invalid"],
    [['parse', '--max-line-bytes', '-3', MIXED], 'must be a positive whole number'],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('2 for %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain('provenance --help');
  });

  it('0 for --help, which lists parse', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('parse [options] <file...>');
  });
});

describe('the provenance binary', () => {
  const bin = join(ROOT, 'bin', 'provenance.cjs');

  it('runs from a fresh checkout (tsx, no build) and sets the exit code', () => {
    const ok = spawnSync(process.execPath, [bin, 'parse', '--format', 'json', MIXED], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.stdout) as ParseJson).stats.events).toBe(11);
    const missing = spawnSync(process.execPath, [bin, 'parse', 'missing.log'], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    const usage = spawnSync(process.execPath, [bin, 'parse'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
  });

  it('reads stdin with -', () => {
    const line = '{"user":{"username":"dana"},"verb":"delete","objectRef":{"resource":"pods","name":"web-1"}}\n';
    const r = spawnSync(process.execPath, [bin, 'parse', '--format', 'json', '-'], { encoding: 'utf8', input: line });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as ParseJson).events[0]).toMatchObject({
      verb: 'delete',
      actor: { name: 'dana' },
      raw: { origin: '-:1' },
    });
  });
});
