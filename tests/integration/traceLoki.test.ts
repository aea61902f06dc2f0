import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { scenarioNames, type ChainJson, type TruthChain } from '../../src/core';
import { runCli as cli } from '../support/cli';
import { LokiEmulator } from '../support/lokiEmulator';
import { compareToTruth } from '../support/truth';

let emu: LokiEmulator;
let url: string;
let dir: string;
let files: string[];
let truth: TruthChain[];

beforeAll(async () => {
  emu = new LokiEmulator();
  url = await emu.start();
  dir = mkdtempSync(join(tmpdir(), 'provenance-loki-'));
  expect((await cli(['generate', '--out', dir, '--events', '3000', '--seed', '9'])).code).toBe(0);
  files = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(dir, f));
  truth = (JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as { chains: TruthChain[] }).chains;
  const pushed = await cli(['push', '--loki', url, '--cluster', 'prod-eu', ...files]);
  expect(pushed.code).toBe(0);
  expect(pushed.out).toMatch(
    /^pushed 3082 lines to http:\/\/127\.0\.0\.1:\d+ with import="2026-03-02T09:50Z"; 0 rejected; 0 lines not recognised and not sent; 0 retries\n$/
  );
  // Generating and pushing every scenario takes seconds more than jest's 5 s default on a loaded machine.
}, 60_000);

afterAll(() => emu.stop());

// Scenarios are generated 40 min apart from 10:00: the range covers them all, however many there are.
const SCENARIOS_SPAN_MS = (scenarioNames().length + 1) * 40 * 60_000;
const RANGE = [
  '--from',
  '2026-03-02T09:00:00Z',
  '--to',
  new Date(Date.UTC(2026, 2, 2, 10) + SCENARIOS_SPAN_MS).toISOString(),
];

describe('trace --loki over pushed scenarios', () => {
  let overLoki: ChainJson[];
  let overFiles: ChainJson[];

  beforeAll(async () => {
    const a = await cli(['trace', '--format', 'json', '--loki', url, ...RANGE]);
    expect(a.err).toBe('');
    expect(a.code).toBe(0);
    overLoki = (JSON.parse(a.out) as { chains: ChainJson[] }).chains;
    overFiles = (
      JSON.parse((await cli(['trace', '--format', 'json', ...RANGE, ...files])).out) as { chains: ChainJson[] }
    ).chains;
  }, 60_000);

  it('reproduces every ground truth', () => {
    for (const t of truth) {
      expect({ t: `${t.scenario} ${t.effect.name}`, problems: compareToTruth(overLoki, t, truth).problems }).toEqual({
        t: `${t.scenario} ${t.effect.name}`,
        problems: [],
      });
    }
  });

  it('equals the trace of the same files', () => {
    expect(overLoki).toEqual(overFiles);
  });

  it('a targeted question asks Loki for little: the effects, then only what explains them', async () => {
    const before = emu.requests.length;
    const r = await cli([
      'trace',
      '--format',
      'json',
      '--loki',
      url,
      ...RANGE,
      '--target',
      'deployments/production/frontend-app',
    ]);
    const chains = (JSON.parse(r.out) as { chains: ChainJson[] }).chains;
    expect(chains.map((c) => c.verdict)).toEqual(['gitops-rollback']);
    const queries = emu.requests
      .slice(before)
      .filter((q) => q.path.endsWith('query_range'))
      .map((q) => q.query as string);
    const distinct = [...new Set(queries)];
    expect(distinct[0]).toContain('|= "\\"name\\":\\"frontend-app\\""');
    expect(distinct.length).toBeLessThanOrEqual(6);
  });
});

describe('push and trace --loki: problems are reported, not hidden', () => {
  it('a line over 256 KB is reported by push (exit 1), the others are stored', async () => {
    const big = join(dir, 'big.log');
    const line = JSON.parse(
      readFileSync(files.find((f) => f.endsWith('kube-audit.log')) as string, 'utf8').split('\n')[0]
    );
    line.requestObject = { data: 'x'.repeat(300 * 1024) };
    writeFileSync(
      big,
      JSON.stringify(line) +
        '\n' +
        readFileSync(files.find((f) => f.endsWith('argocd.log')) as string, 'utf8').split('\n')[0] +
        '\n'
    );
    const before = emu.size;
    const r = await cli(['push', '--loki', url, big]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /Loki rejected: Max entry size '262144' bytes exceeded for stream '\{cluster="demo", import="[^"]+", job="kube-audit", service_name="kube-audit"\}'/
    );
    expect(emu.size).toBe(before + 1);
  });

  it('Loki unreachable: exit 1 with the reason', async () => {
    const r = await cli(['trace', '--loki', 'http://127.0.0.1:9', ...RANGE]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^provenance: Loki at http:\/\/127\.0\.0\.1:9: connection failed/);
  });

  it('an empty range: no changes, exit 0', async () => {
    const r = await cli(['trace', '--loki', url, '--from', '2020-01-01T00:00:00Z', '--to', '2020-01-01T01:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^No changes matched\.\n\n0 changes; 0 events from 0 lines/);
  });

  it('push --live feeds generated incidents re-stamped to just before now', async () => {
    const before = emu.size;
    const r = await cli(['push', '--loki', url, '--live', '--rounds', '1', '--events', '50']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('round 1: pushed 132 of 132 lines (0 rejected, 0 retries)\n');
    expect(emu.size).toBe(before + 132);
    const now = Date.now();
    const recent = await cli([
      'trace',
      '--format',
      'json',
      '--loki',
      url,
      '--from',
      new Date(now - SCENARIOS_SPAN_MS - 3_600_000).toISOString(),
      '--to',
      new Date(now).toISOString(),
      '--verdict',
      'gitops-rollback',
    ]);
    expect((JSON.parse(recent.out) as { chains: ChainJson[] }).chains.map((c) => c.who.name)).toEqual([
      'dana@example.org',
    ]);
  });

  it('files and --loki together, or neither, are usage errors', async () => {
    expect((await cli(['trace', '--loki', url, files[0]])).code).toBe(2);
    expect((await cli(['trace'])).code).toBe(2);
    expect((await cli(['push', '--loki', url])).code).toBe(2);
  });
});
