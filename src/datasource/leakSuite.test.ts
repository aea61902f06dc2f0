import { dateTime, type DataFrame, type DataQueryRequest } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { buildChains, parseLines, type LokiTransport, type RawLine, type RawRef } from '../core';
import { rancherAudit } from '../../tests/support/builders';
import { FakeLokiDataSource, scenarioLokiLines } from '../../tests/support/fakeLokiDataSource';
import { stubGrafanaRuntime } from '../../tests/support/grafanaRuntime';
import { provenanceSettings } from '../../tests/support/instanceSettings';
import { LEAK_CASES, leakedMarkers } from '../../tests/support/leakCases';
import { DataSource } from './datasource';
import { chainsFrame, eventsFrame, logsFrame, nodeGraphFrames, storyOf } from './frames';
import { GrafanaLokiTransport } from './grafanaLokiTransport';
import type { ProvenanceOptions, ProvenanceQuery } from './types';

/** The leak suite's crafted lines (tests/support/leakCases.ts) through every frame the data source returns. */

const lines: RawLine[] = LEAK_CASES.flatMap((c) => c.lines).map((text, i) => ({ text, origin: `leak:${i + 1}` }));
const valuesOf = (frames: DataFrame[]) => JSON.stringify(frames.map((f) => f.fields.map((x) => x.values)));

it('no marker in the chains (with records and raw lines), events, node graph or logs frames', () => {
  const parsed = parseLines(lines);
  const chains = buildChains(parsed.events, {});
  expect(chains.length).toBeGreaterThan(10);
  const byOrigin = new Map(lines.map((l) => [l.origin, l.text]));
  const lineOf = (raw: RawRef) => byOrigin.get(raw.origin);
  const frames = [
    chainsFrame(chains, 'A', { uid: 'loki', name: 'Audit Loki' }, undefined, parsed.events, lineOf),
    eventsFrame(parsed.events, 'A', { uid: 'loki', name: 'Audit Loki' }),
    ...nodeGraphFrames(chains, 'A'),
    logsFrame(lines, 'A'),
  ];
  expect(valuesOf(frames)).toContain('raw line withheld: could not be checked for secrets');
  // The diff column is live: the leak cases' Secret writes are diffed (three diff cases, and the Secret `db` the
  // other cases write again and again), their keys shown only as changed.
  const diffs = frames[0].fields.find((f) => f.name === 'diff')?.values ?? [];
  expect(
    diffs.filter((d) => String(d).includes('data.password: changed (Secret value not shown)')).length
  ).toBeGreaterThanOrEqual(3);
  expect(leakedMarkers(valuesOf(frames))).toEqual([]);
});

it('annotation text escapes markup from logs (object names); X-Forwarded-For markup is no address at all', () => {
  const hostile = '<img src=x onerror=alert(1)><a href="https://evil.example">x</a>';
  const parsed = parseLines([
    {
      text: JSON.stringify(
        rancherAudit({
          requestURI: `/v3/projects/${encodeURIComponent(hostile)}`,
          method: 'PUT',
          requestHeader: { 'X-Forwarded-For': [hostile] },
        })
      ),
    },
  ]);
  const chains = buildChains(parsed.events, {});
  expect(chains).toHaveLength(1);
  const text = storyOf(chains[0]);
  expect(text).not.toMatch(/[<>"]/);
  expect(text).toContain('&#60;img');
});

describe('notices and errors through the query path (the stub Grafana runtime over a fake Loki)', () => {
  const START = Date.UTC(2026, 2, 2, 10);
  const SOURCES = ['kube-audit', 'rancher-audit', 'argocd', 'fleet'];
  const leakLines = LEAK_CASES.flatMap((c) => c.lines);
  const request = (mode: ProvenanceQuery['mode'], from = START - 600_000, to = START + 4 * 2_400_000) =>
    ({
      targets: [{ refId: 'A', mode }],
      range: { from: dateTime(from), to: dateTime(to), raw: { from: 'now-1h', to: 'now' } },
      scopedVars: {},
    }) as unknown as DataQueryRequest<ProvenanceQuery>;
  const noticesOf = (frames: DataFrame[]) => frames.flatMap((f) => f.meta?.notices ?? []);
  const expectNoMarkers = (surface: string, text: string) =>
    expect({ surface, leaked: leakedMarkers(text) }).toEqual({ surface, leaked: [] });

  it('frame notices (routine counts, lines not read, lines cut at a shared timestamp, warnings quoting Loki): 0 markers', async () => {
    const loki = new FakeLokiDataSource();
    // Every leak line in every stream, routine traffic beside them, and three leak lines on one nanosecond.
    loki.add(scenarioLokiLines(200, START));
    loki.add(
      SOURCES.flatMap((job) =>
        leakLines.map((text, i) => ({ text, labels: { job, cluster: 'prod-eu' }, ns: `${START + i * 997}000000` }))
      )
    );
    const sameNs = `${START + 5 * 60_000}000123`;
    loki.add(leakLines.slice(0, 3).map((text) => ({ text, labels: { job: 'kube-audit' }, ns: sameNs })));
    stubGrafanaRuntime(loki);
    // A transport whose warnings quote what Loki sent (the lines themselves): the data source trusts no warning.
    const quoting = (o: ProvenanceOptions): LokiTransport => {
      const inner = new GrafanaLokiTransport(o.lokiUid ?? '', o.pageLimit);
      return {
        queryRange: async (...args: Parameters<LokiTransport['queryRange']>) => {
          const r = await inner.queryRange(...args);
          return { ...r, warnings: [...r.warnings, ...r.lines.slice(0, 80).map((l) => `Loki sent: ${l.text}`)] };
        },
      };
    };
    const notices: string[] = [];
    for (const transportFor of [undefined, quoting]) {
      const ds = new DataSource(provenanceSettings({ lokiUid: loki.uid, pageLimit: 2 }), transportFor);
      for (const mode of ['chains', 'events', 'graph', 'logs'] as const) {
        const res = await lastValueFrom(ds.query(request(mode)));
        notices.push(...noticesOf(res.data as DataFrame[]).map((n) => n.text));
      }
    }
    // Each kind of notice is there, so the check below reads them all.
    for (const kind of [
      /^Routine system writes left out: /,
      /^Lines not read: /,
      /share the timestamp/,
      /^Loki sent: /,
    ]) {
      expect(notices.some((t) => kind.test(t))).toBe(true);
    }
    expectNoMarkers('notices', JSON.stringify(notices));
  });

  it('an error whose message quotes a Loki body carrying a secret: 0 markers in the error shown', async () => {
    for (const text of leakLines) {
      const loki = new FakeLokiDataSource();
      loki.query = async () => ({ data: [], errors: [{ message: `parse error at line 1, col 1: ${text}` }] });
      stubGrafanaRuntime(loki);
      const ds = new DataSource(provenanceSettings({ lokiUid: loki.uid }));
      const error = await lastValueFrom(ds.query(request('chains'))).catch((e: unknown) => e);
      expect(error).toMatchObject({ message: expect.stringContaining('parse error at line 1, col 1: ') });
      expectNoMarkers(`error quoting ${text.slice(0, 60)}`, JSON.stringify(error));
    }
  });
});
