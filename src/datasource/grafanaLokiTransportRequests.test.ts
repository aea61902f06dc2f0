import { LoadingState } from '@grafana/data';

import type { RawLine } from '../core';
import { FakeLokiDataSource } from '../../tests/support/fakeLokiDataSource';
import { stubGrafanaRuntime } from '../../tests/support/grafanaRuntime';
import { GrafanaLokiTransport } from './grafanaLokiTransport';

/** What the transport sends Grafana's Loki data source, request by request, and how it reads failed replies. */

const T0 = Date.UTC(2026, 2, 2, 10);
const HOUR = 3_600_000;

type Sent = {
  requestId: string;
  range: {
    from: { valueOf(): number };
    to: { valueOf(): number };
    raw: { from: { valueOf(): number }; to: { valueOf(): number } };
  };
  targets: Array<{ refId: string; expr: string; queryType: string; maxLines: number; direction: string }>;
};

/** The fake Loki data source, recording each request as Grafana's query API receives it. */
function recording(lines: RawLine[]) {
  const fake = new FakeLokiDataSource();
  fake.add(lines);
  const sent: Sent[] = [];
  const ds = Object.assign(Object.create(fake) as FakeLokiDataSource, {
    query: (request: Sent) => {
      sent.push(request);
      return fake.query(request);
    },
  });
  stubGrafanaRuntime(ds);
  return sent;
}

const at = (ms: number, text: string): RawLine => ({ text, labels: { job: 'kube-audit' }, ns: `${ms}000000` });

describe('GrafanaLokiTransport requests', () => {
  it('splits the range into hours; each request asks forward, as a range query, for at most a page', async () => {
    const lines = [at(T0, 'a'), at(T0 + HOUR + 1, 'b'), at(T0 + 2 * HOUR + 2, 'c')];
    const sent = recording(lines);
    const r = await new GrafanaLokiTransport('loki-test').queryRange('{job="kube-audit"}', T0, T0 + 3 * HOUR);
    expect(r.lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
    const ranges = sent.map((s) => [s.range.from.valueOf(), s.range.to.valueOf()]).sort((x, y) => x[0] - y[0]);
    expect(ranges).toEqual([
      [T0, T0 + HOUR],
      [T0 + HOUR, T0 + 2 * HOUR],
      [T0 + 2 * HOUR, T0 + 3 * HOUR],
    ]);
    for (const s of sent) {
      expect(s.range.raw.from.valueOf()).toBe(s.range.from.valueOf());
      expect(s.range.raw.to.valueOf()).toBe(s.range.to.valueOf());
      // Grafana's Loki data source defaults to 1000 lines when none are asked for (datasource.ts DEFAULT_MAX_LINES).
      expect(s.targets).toEqual([
        { refId: 'provenance', expr: '{job="kube-audit"}', queryType: 'range', maxLines: 1000, direction: 'forward' },
      ]);
    }
    // Grafana's backend service cancels a request when another with its requestId comes: every page its own.
    expect(new Set(sent.map((s) => s.requestId)).size).toBe(sent.length);
    expect(sent.every((s) => /^provenance-\d+-\d+$/.test(s.requestId))).toBe(true);
  });

  it('two pieces at a time: a two-hour range starts both hours before either answers', async () => {
    const fake = new FakeLokiDataSource();
    fake.add([at(T0, 'a'), at(T0 + HOUR, 'b'), at(T0 + 2 * HOUR, 'c')]);
    let release = () => undefined as void;
    fake.hold = new Promise<void>((r) => (release = r));
    stubGrafanaRuntime(fake);
    const answer = new GrafanaLokiTransport('loki-test').queryRange('{job="kube-audit"}', T0, T0 + 3 * HOUR);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.requests.map((q) => q.from)).toEqual([T0, T0 + HOUR]);
    release();
    fake.hold = undefined;
    expect((await answer).lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
  });

  it('stops at maxLines, oldest first', async () => {
    recording([at(T0 + 1, 'a'), at(T0 + 2, 'b'), at(T0 + 3, 'c'), at(T0 + 4, 'd')]);
    const r = await new GrafanaLokiTransport('loki-test').queryRange('{job="kube-audit"}', T0, T0 + HOUR, undefined, 2);
    expect(r.lines.map((l) => l.text)).toEqual(['a', 'b']);
  });

  it('a cancelled question sends nothing and says so', async () => {
    const sent = recording([at(T0 + 1, 'a')]);
    const abort = new AbortController();
    abort.abort();
    await expect(
      new GrafanaLokiTransport('loki-test').queryRange('{job="kube-audit"}', T0, T0 + HOUR, abort.signal)
    ).rejects.toThrow('cancelled');
    expect(sent).toEqual([]);
  });
});

describe('GrafanaLokiTransport failed replies', () => {
  const failing = (reply: object) => {
    stubGrafanaRuntime({ uid: 'loki-test', type: 'loki', query: async () => reply } as never);
    return new GrafanaLokiTransport('loki-test').queryRange('{job="x"}', T0, T0 + 1000);
  };

  it('an error in `errors` carries its message; one without a message says the query failed', async () => {
    await expect(failing({ data: [], errors: [{ message: 'parse error at line 1' }] })).rejects.toThrow(
      'Loki data source: parse error at line 1'
    );
    await expect(failing({ data: [], state: LoadingState.Error, error: {} })).rejects.toThrow(
      'Loki data source: query failed'
    );
  });

  it('no data at all is a failure, not an empty page', async () => {
    await expect(failing({ state: LoadingState.Done })).rejects.toThrow(
      'Loki data source: the answer carried no data frame'
    );
    await expect(failing({ data: [{ fields: [] }], state: LoadingState.Error })).rejects.toThrow(
      'Loki data source: the query failed without a message'
    );
  });
});
