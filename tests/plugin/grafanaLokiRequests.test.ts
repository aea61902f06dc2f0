import { dateTime } from '@grafana/data';

import type { RawLine } from '../../src/core';
import { GrafanaLokiTransport } from '../../src/datasource/grafanaLokiTransport';
import { FakeLokiDataSource, type FakeLokiTarget } from '../support/fakeLokiDataSource';
import { stubGrafanaRuntime } from '../support/grafanaRuntime';

const T0 = Date.UTC(2026, 2, 2, 10);

/** 37 lines, some sharing a millisecond (two at T0+5 ms, three at T0+20 ms), one at the range's last ms. */
function lines(): RawLine[] {
  const ms = [0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 20, 20];
  for (let i = 21; ms.length < 36; i++) {
    ms.push(i * 3);
  }
  ms.push(999);
  return ms.map((m, i) => ({
    text: `line ${i}`,
    labels: { job: 'kube-audit' },
    ns: `${T0 + m}${String(i).padStart(6, '0')}`,
  }));
}

describe('the Grafana transport asks the Loki data source as Grafana and Loki read it', () => {
  const loki = new FakeLokiDataSource();
  const all = lines();
  beforeAll(() => {
    loki.add(all);
    stubGrafanaRuntime(loki);
  });

  // Catches: reading `backward` (Loki then cuts each page to the newest lines, and paging forward from the last
  // one skips every older line), an end bound that drops the range's last millisecond, a limit Loki refuses.
  it('pages a range bigger than a page, oldest first, every line once', async () => {
    const before = loki.requests.length;
    const r = await new GrafanaLokiTransport('loki-test', 10).queryRange('{job="kube-audit"}', T0, T0 + 1000);
    expect(r.lines.map((l) => l.text)).toEqual(all.map((l) => l.text));
    expect(r.warnings).toEqual([]);
    const asked = loki.requests.slice(before);
    expect(asked.length).toBeGreaterThan(3);
    expect(new Set(asked.map((q) => q.direction))).toEqual(new Set(['forward']));
    expect(new Set(asked.map((q) => q.maxLines))).toEqual(new Set([10]));
    expect(loki.rejected).toEqual([]);
  });

  it('stops at the range end: a line at the end itself belongs to the next range', async () => {
    const r = await new GrafanaLokiTransport('loki-test', 10).queryRange('{job="kube-audit"}', T0, T0 + 20);
    expect(r.lines.map((l) => l.text)).toEqual(all.slice(0, 21).map((l) => l.text));
  });
});

describe('the fake Loki data source refuses what Grafana or Loki refuse', () => {
  const loki = new FakeLokiDataSource();
  const range = { from: dateTime(T0), to: dateTime(T0 + 1000) };
  const ask = async (target: Partial<FakeLokiTarget>, r = range) => {
    const res = await loki.query({ range: r, targets: [{ refId: 'A', expr: '{job="x"}', ...target }] });
    return res.errors?.map((e) => e.message) ?? [];
  };
  beforeAll(() => loki.add([{ text: 'a', labels: { job: 'x' }, ns: `${T0 + 1}000000` }]));

  it.each([
    [{ direction: 'up' }, 'invalid queryDirection: up'],
    [{ queryType: 'stream' }, 'invalid queryType: stream'],
    [{ queryType: 'instant' }, 'log queries are not supported as an instant query type'],
    [{ maxLines: 5001 }, 'max entries limit per query exceeded, limit > max_entries_limit_per_query (5001 > 5000)'],
    [{ maxLines: 2.5 }, 'cannot unmarshal number 2.5'],
    [{ refId: '' }, 'query has no refId'],
  ] as const)('%j → %s', async (target, message) => {
    expect(await ask(target)).toEqual([expect.stringContaining(message)]);
  });

  it("a metric query of more than 11,000 points per series: Loki's errStepTooSmall; 11,000 and a fraction are taken", async () => {
    const metric = { expr: 'sum(count_over_time({job="x"} [1m]))', step: '60s' };
    const span = (minutes: number) => ({ from: dateTime(T0), to: dateTime(T0 + minutes * 60_000) });
    expect(await ask(metric, span(11_001))).toEqual([
      'exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter',
    ]);
    // (end − start) / step in Go is an integer division: 11,000.5 steps are 11,000.
    expect(await ask(metric, span(11_000.5))).toEqual([]);
  });

  it('an end before the start', async () => {
    expect(await ask({}, { from: dateTime(T0 + 10), to: dateTime(T0) })).toEqual([
      'end timestamp must not be before or equal to start time',
    ]);
  });

  it('two targets with one refId', async () => {
    const res = await loki.query({
      range,
      targets: [
        { refId: 'A', expr: '{job="x"}' },
        { refId: 'A', expr: '{job="x"}' },
      ],
    });
    expect(res.errors).toEqual([{ message: 'duplicate refId in one request: A, A' }]);
  });

  it('takes what they take: no direction is backward, no maxLines is 1000, maxLines 0 is Loki default 100', async () => {
    expect(await ask({})).toEqual([]);
    expect(await ask({ maxLines: 0, direction: 'scan' })).toEqual([]);
    expect(loki.requests.slice(-2).map((q) => [q.direction, q.maxLines])).toEqual([
      ['backward', 1000],
      ['backward', 0],
    ]);
  });

  it('backward answers the newest lines first, cut to the limit', async () => {
    loki.add([2, 3, 4].map((m) => ({ text: `b${m}`, labels: { job: 'x' }, ns: `${T0 + m}000000` })));
    const res = await loki.query({
      range,
      targets: [{ refId: 'A', expr: '{job="x"}', maxLines: 2, direction: 'backward' }],
    });
    const frame = res.data[0] as { fields: Array<{ name: string; values: unknown[] }> };
    expect(frame.fields.find((f) => f.name === 'Line')?.values).toEqual(['b4', 'b3']);
  });
});
