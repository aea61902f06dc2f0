import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { dateTime, type DataFrame, type DataQueryRequest } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { chainToJson, REDACTED, WITHHELD, type Chain, type ChainRecord } from '../../src/core';
import { DataSource } from '../../src/datasource/datasource';
import type { ProvenanceOptions, ProvenanceQuery } from '../../src/datasource/types';
import { FakeLokiDataSource } from '../support/fakeLokiDataSource';
import { stubGrafanaRuntime } from '../support/grafanaRuntime';
import { provenanceSettings } from '../support/instanceSettings';
import { LokiEmulator } from '../support/lokiEmulator';
import { WATCH_FROM, WATCH_SCENARIOS, WATCH_UNTIL, watchArgs } from '../support/watchRun';

/**
 * The data source's "recorded chains": scenarios recorded by `provenance watch` (the binary, into the strict
 * emulator), then loaded into the Grafana Loki data source double; the recorded query's frames must equal the
 * live query's, field by field, and the part of the range not recorded is correlated live, with a notice.
 */

const FROM = Date.parse(WATCH_FROM);
const HALF = '2026-03-02T11:00:00Z';
const UNTIL = WATCH_UNTIL;
const TO = Date.parse(UNTIL) - 1;
const SELECTORS = {
  'kube-audit': 'job=kube-audit, cluster=prod-eu',
  'rancher-audit': 'job=rancher-audit, cluster=prod-eu',
  argocd: 'job=argocd, cluster=prod-eu',
  fleet: 'job=fleet, cluster=prod-eu',
};

/** The binary in a child process (this project runs under jsdom, which has no fetch for the CLI in-process). */
function provenance(args: string[]): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, [join(__dirname, '../../bin/provenance.cjs'), ...args], { stdio: 'pipe' });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.resume();
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, err })));
}

/** The scenarios pushed to a fresh emulator, recorded by `provenance watch` up to `until`; every entry back. */
async function recorded(files: string[], until: string) {
  const emu = new LokiEmulator();
  const url = await emu.start();
  try {
    expect((await provenance(['push', '--loki', url, '--cluster', 'prod-eu', ...files])).code).toBe(0);
    const w = await provenance(watchArgs(url, until));
    expect(w).toMatchObject({ code: 0 });
    return emu.entries();
  } finally {
    await emu.stop();
  }
}

let whole: ReturnType<LokiEmulator['entries']>;
let half: ReturnType<LokiEmulator['entries']>;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'provenance-ds-recorded-'));
  const g = await provenance([
    'generate',
    '--out',
    dir,
    '--events',
    '1500',
    '--seed',
    '4',
    '--scenario',
    WATCH_SCENARIOS,
  ]);
  expect(g.code).toBe(0);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(dir, f));
  [whole, half] = await Promise.all([recorded(files, UNTIL), recorded(files, HALF)]);
}, 240_000);

function dataSource(entries: typeof whole, more: Partial<ProvenanceOptions> = {}) {
  const loki = new FakeLokiDataSource();
  loki.add(entries);
  stubGrafanaRuntime(loki);
  const ds = new DataSource(provenanceSettings({ lokiUid: loki.uid, selectors: SELECTORS, ...more }));
  return { ds, loki };
}

async function frames(ds: DataSource, target: Partial<ProvenanceQuery>): Promise<DataFrame[]> {
  const request = {
    targets: [{ refId: 'A', mode: 'chains', ...target }],
    range: { from: dateTime(FROM), to: dateTime(TO), raw: { from: 'now-3h', to: 'now' } },
    scopedVars: {},
  } as unknown as DataQueryRequest<ProvenanceQuery>;
  return (await lastValueFrom(ds.query(request))).data as DataFrame[];
}

const values = (f: DataFrame, name: string) => f.fields.find((x) => x.name === name)?.values as unknown[];
const notices = (f: DataFrame) => (f.meta?.notices ?? []).map((n) => n.text);

/**
 * A record as a recorded answer can hold it: the reference to the raw entry is not recorded, and a raw line
 * the live answer cut to a readable length can no longer be checked for secrets, so it is withheld (fail closed).
 */
const asRecorded = (r: ChainRecord): ChainRecord => ({
  ...r,
  raw: { labels: {} },
  ...(r.line !== undefined && / more characters\)$/.test(r.line) ? { line: WITHHELD } : {}),
});

function expectSameChainsFrame(got: DataFrame, want: DataFrame) {
  expect(got.fields.map((f) => f.name)).toEqual(want.fields.map((f) => f.name));
  expect(got.length).toBe(want.length);
  for (const f of want.fields) {
    const g = got.fields.find((x) => x.name === f.name)!;
    expect({ name: f.name, type: g.type, config: g.config }).toEqual({ name: f.name, type: f.type, config: f.config });
    if (f.name === 'chain') {
      expect((g.values as Chain[]).map(chainToJson)).toEqual((f.values as Chain[]).map(chainToJson));
    } else if (f.name === 'records') {
      expect(g.values).toEqual((f.values as ChainRecord[][]).map((rs) => rs.map(asRecorded)));
    } else {
      expect({ name: f.name, values: g.values }).toEqual({ name: f.name, values: f.values });
    }
  }
}

describe('the data source reading recorded chains', () => {
  it('answers Chains and Node graph from the recorded stream, equal to live correlation field by field', async () => {
    const live = dataSource(whole);
    const [liveChains] = await frames(live.ds, {});
    const [liveNodes, liveEdges] = await frames(live.ds, { mode: 'graph' });
    const rec = dataSource(whole, { recordedChains: true });
    const [chains] = await frames(rec.ds, {});
    expect(liveChains.length).toBeGreaterThan(20);
    expectSameChainsFrame(chains, liveChains);
    expect(notices(chains)).toEqual(['2026-03-02T09:30:00.000Z to 2026-03-02T12:29:59.999Z: recorded chains']);
    const [nodes, edges] = await frames(rec.ds, { mode: 'graph' });
    expect(nodes.fields).toEqual(liveNodes.fields);
    expect(edges.fields).toEqual(liveEdges.fields);
    // Two streams read (progress, chains) in 1 h pieces; the live trace reads each source's streams.
    const asked = (l: FakeLokiDataSource) => new Set(l.requests.map((r) => r.expr));
    expect([...asked(rec.loki)].sort()).toEqual([
      '{job="change-provenance", cluster="prod-eu"}',
      '{job="change-provenance-progress", cluster="prod-eu"}',
    ]);
    expect(rec.loki.requests.length).toBeLessThan(live.loki.requests.length);
    expect(rec.loki.rejected).toEqual([]);
  }, 60_000);

  it('variables come from the recorded chains, the same values as live', async () => {
    const range = { range: { from: dateTime(FROM), to: dateTime(TO) } };
    const names = ['actors', 'apps', 'namespaces', 'verdicts', 'clusters'];
    // Grafana's runtime knows one Loki at a time: the live answers first, then the recorded ones.
    const live = dataSource(whole);
    const want = await Promise.all(names.map((v) => live.ds.metricFindQuery(v, range)));
    const rec = dataSource(whole, { recordedChains: true });
    for (const [i, v] of names.entries()) {
      expect(want[i].length).toBeGreaterThan(0);
      expect({ v, values: await rec.ds.metricFindQuery(v, range) }).toEqual({ v, values: want[i] });
    }
    expect(new Set(rec.loki.requests.map((r) => r.expr)).size).toBe(2);
  }, 60_000);

  it('correlates live the part not recorded yet, and says which part', async () => {
    const live = dataSource(half);
    const rec = dataSource(half, { recordedChains: true });
    const [want] = await frames(live.ds, {});
    const [got] = await frames(rec.ds, {});
    expect(notices(got).slice(0, 2)).toEqual([
      '2026-03-02T09:30:00.000Z to 2026-03-02T10:59:59.999Z: recorded chains',
      '2026-03-02T11:00:00.000Z to 2026-03-02T12:29:59.999Z is not recorded (yet): correlated live',
    ]);
    const times = values(got, 'time') as number[];
    expect(times.some((t) => t < Date.parse(HALF))).toBe(true);
    expect(times.some((t) => t >= Date.parse(HALF))).toBe(true);
    // The live part is the data source's own trace: its rows keep their raw references.
    const records = values(got, 'records') as ChainRecord[][];
    const later = records.filter((_, i) => times[i] >= Date.parse(HALF));
    expect(later.flat().some((r) => r.raw.ns !== undefined)).toBe(true);
    expect(values(got, 'chain').map((c) => chainToJson(c as Chain))).toEqual(
      values(want, 'chain').map((c) => chainToJson(c as Chain))
    );
  }, 60_000);

  it('filters recorded chains as a live query does: object, person, verdict', async () => {
    const live = dataSource(whole);
    const rec = dataSource(whole, { recordedChains: true });
    const [some] = await frames(live.ds, {});
    const who = (values(some, 'who') as string[]).find((w) => w.includes('@'))!;
    for (const q of [{ actor: who }, { namespace: 'shop' }, { verdicts: ['manual-drift'] }, { verbs: ['delete'] }]) {
      const [want] = await frames(live.ds, q);
      const [got] = await frames(rec.ds, q);
      expect({ q, ids: values(got, 'chain').map((c) => (c as Chain).id) }).toEqual({
        q,
        // A live query keeps the writes it read to explain cascades whatever their verb (noted in the report); the
        // verbs asked for are the answer.
        ids: (values(want, 'chain') as Chain[])
          .filter((c) => !q.verbs || q.verbs.includes(c.effect.verb))
          .map((c) => c.id),
      });
    }
  }, 60_000);

  it('a query the recorded stream cannot answer (free text, routine traffic kept) is correlated live, saying why', async () => {
    const rec = dataSource(whole, { recordedChains: true });
    const [got] = await frames(rec.ds, { text: 'checkout' });
    expect(notices(got)[0]).toMatch(/^Recorded chains not read: the query searches the raw audit lines for text/);
    expect(new Set(rec.loki.requests.map((r) => r.expr)).has('{job="change-provenance", cluster="prod-eu"}')).toBe(
      false
    );
  }, 60_000);

  it('the newest revision wins; a line that is no chain is a counted skip; a planted secret is redacted', async () => {
    const firstChain = whole.find((e) => e.labels.job === 'change-provenance')!;
    const c = JSON.parse(firstChain.text) as Record<string, unknown> & { who: { name: string } };
    const ns = (d: number) => String(BigInt(firstChain.ns) + BigInt(d));
    const planted = {
      ...c,
      revision: 2,
      who: { ...c.who, name: 'revised@example.org' },
      records: [
        {
          id: 'x',
          role: 'effect',
          time: null,
          source: 'kube-audit',
          actor: 'a',
          verb: 'patch',
          object: 'secrets shop/db',
          logql: '{job="kube-audit"}',
          line: JSON.stringify({
            kind: 'Event',
            apiVersion: 'audit.k8s.io/v1',
            verb: 'patch',
            objectRef: { resource: 'secrets', namespace: 'shop', name: 'db' },
            requestObject: { kind: 'Secret', apiVersion: 'v1', data: { password: 'aHVudGVyMg==' } },
          }),
        },
      ],
    };
    const extra = [
      { ...firstChain, ns: ns(1), text: JSON.stringify(planted) },
      { ...firstChain, ns: ns(2), text: '{"not": "a chain"}' },
      { ...firstChain, ns: ns(3), text: 'not json at all' },
      { ...firstChain, ns: ns(4), text: JSON.stringify({ ...c, links: 'no list' }) },
    ];
    const rec = dataSource([...whole, ...extra], { recordedChains: true });
    const [got] = await frames(rec.ds, {});
    const i = (values(got, 'chain') as Chain[]).findIndex((x) => x.id === c.id);
    expect((values(got, 'who') as string[])[i]).toBe('revised@example.org');
    expect(notices(got)).toContain(
      '3 lines of the recorded stream are not chains (not JSON, or not the trace contract): skipped'
    );
    const line = (values(got, 'records') as ChainRecord[][])[i][0].line!;
    expect(line).not.toContain('aHVudGVyMg==');
    expect(line).toContain(REDACTED);
  }, 60_000);
});
