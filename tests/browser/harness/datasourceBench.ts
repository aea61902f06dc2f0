/**
 * The page of `npm run bench:datasource`: the Change Provenance data source in chromium, reading a Loki emulator
 * over HTTP (the harness server forwards /loki/ to it) through a stand-in for Grafana's Loki data source, with the
 * trace in the data source's Web Worker (`?worker=1`) or on the page's thread (`?worker=0`, the fallback). Every
 * main-thread task over 50 ms is recorded by the Long Tasks API while one Chains query runs.
 */
import { dateTime, type DataFrame } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { DataSource } from '../../../src/datasource/datasource';
import { sameThreadPort } from '../../../src/datasource/remoteTrace';
import type { ProvenanceQuery } from '../../../src/datasource/types';
import { FakeLokiDataSource, type FakeLokiTarget } from '../../support/fakeLokiDataSource';
import { stubGrafanaRuntime } from '../../support/grafanaRuntime';
import { provenanceSettings } from '../../support/instanceSettings';

/**
 * Grafana's Loki data source as the transport sees it, answered by a real HTTP Loki: each target as Grafana's
 * backend sends it (pkg/tsdb/loki/api.go: the ms range as ns, `limit` = maxLines, `direction`), the answer as its
 * legacy log frame (labels / Time / Line / tsNs / id). What Grafana and Loki refuse is refused as the fake does.
 */
class HttpLokiDataSource extends FakeLokiDataSource {
  lines = 0;
  pages = 0;

  async query(request: {
    range: { from: { valueOf(): number }; to: { valueOf(): number } };
    targets: FakeLokiTarget[];
  }) {
    const from = request.range.from.valueOf();
    const to = request.range.to.valueOf();
    const data: unknown[] = [];
    for (const target of request.targets.filter((t) => !t.hide)) {
      const read = this.read(target, from, to);
      if ('error' in read) {
        return { data: [], errors: [{ message: read.error, refId: target.refId }] };
      }
      const q = new URLSearchParams({
        query: read.request.expr,
        start: `${from}000000`,
        end: `${to}000000`,
        limit: String(read.limit),
        direction: read.request.direction,
      });
      this.pages++;
      const res = await fetch(`/loki/api/v1/query_range?${q}`);
      if (!res.ok) {
        return { data: [], errors: [{ message: await res.text(), refId: target.refId }] };
      }
      const text = await res.text();
      const body = timed('Loki answer JSON.parse', () => JSON.parse(text)) as {
        data: { result: Array<{ stream: Record<string, string>; values: Array<[string, string]> }> };
      };
      const rows = body.data.result.flatMap((s) => s.values.map(([ns, line]) => ({ labels: s.stream, ns, line })));
      this.lines += rows.length;
      data.push({
        refId: target.refId,
        fields: [
          { name: 'labels', values: rows.map((r) => r.labels) },
          { name: 'Time', values: rows.map((r) => Number(r.ns.slice(0, -6))) },
          { name: 'Line', values: rows.map((r) => r.line) },
          { name: 'tsNs', values: rows.map((r) => r.ns) },
          { name: 'id', values: rows.map((r, i) => `${r.ns}_${i}`) },
        ],
      });
    }
    return { data };
  }
}

const params = new URLSearchParams(window.location.search);
const loki = new HttpLokiDataSource();
stubGrafanaRuntime(loki);

/**
 * What the long tasks were: time spent handling each kind of worker message and parsing Loki's answers (a
 * profile of the page's thread by cause, not a guess).
 */
const spent: Record<string, { count: number; ms: number; longest: number }> = {};
function timed<T>(what: string, f: () => T): T {
  const t0 = performance.now();
  try {
    return f();
  } finally {
    const ms = performance.now() - t0;
    const s = (spent[what] ??= { count: 0, ms: 0, longest: 0 });
    s.count++;
    s.ms += ms;
    s.longest = Math.max(s.longest, ms);
  }
}
const addListener = Worker.prototype.addEventListener;
Worker.prototype.addEventListener = function (this: Worker, type: string, l: EventListenerOrEventListenerObject) {
  const wrapped =
    type === 'message' && typeof l === 'function'
      ? (e: Event) => timed(`worker message ${(e as MessageEvent<{ type: string }>).data.type}`, () => l(e))
      : l;
  addListener.call(this, type, wrapped);
} as typeof Worker.prototype.addEventListener;
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (this: Worker, m: { type: string }) {
  timed(`post ${m.type}`, () => post.call(this, m));
} as typeof Worker.prototype.postMessage;

const longTasks: number[] = [];
new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({
  type: 'longtask',
  buffered: true,
});

async function runBench(): Promise<unknown> {
  const useWorker = params.get('worker') !== '0';
  const ds = useWorker
    ? new DataSource(provenanceSettings({ lokiUid: loki.uid }))
    : new DataSource(provenanceSettings({ lokiUid: loki.uid }), undefined, sameThreadPort);
  const query: ProvenanceQuery = { refId: 'A', mode: 'chains', keepRoutine: true };
  const request = {
    targets: [query],
    range: {
      from: dateTime(Number(params.get('from'))),
      to: dateTime(Number(params.get('to'))),
      raw: { from: '', to: '' },
    },
    scopedVars: {},
  };
  // Tasks of the page's start are not the query's.
  await new Promise((r) => setTimeout(r, 200));
  longTasks.length = 0;
  Object.keys(spent).forEach((k) => delete spent[k]);
  const t0 = performance.now();
  // The data source fails with a plain { message } (a DataQueryError): rethrown as an Error, so the bench says why.
  const res = await lastValueFrom(ds.query(request as never)).catch((e: unknown) => {
    throw new Error(`the query failed: ${(e as { message?: string }).message ?? JSON.stringify(e)}`);
  });
  const ms = performance.now() - t0;
  // A long task is reported after it ends: give the observer a turn.
  await new Promise((r) => setTimeout(r, 100));
  const frame = res.data[0] as DataFrame;
  return {
    ms,
    chains: frame.length,
    lokiLines: loki.lines,
    lokiRequests: loki.pages,
    longTasks: longTasks.length,
    longestTaskMs: Math.max(0, ...longTasks),
    // Chromium's (coarse) JS heap of the page once the frame is made: what the page keeps for it.
    heapMb: Math.round(
      ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1e6
    ),
    workerUsed: useWorker,
    spent,
  };
}

(window as unknown as { runBench: typeof runBench }).runBench = runBench;
(window as unknown as { harnessReady: boolean }).harnessReady = true;
