import { generate } from '../generate/generate';
import { DEFAULT_SELECTORS } from '../logql/questions';
import { guideAnchor, healthStepMs, metricPoints, perMinuteQuery, sourceHealth } from './health';

const t0 = Date.UTC(2026, 2, 2, 10);

describe('source health', () => {
  it('metric answer: Grafana frames one series each, `Time` and `Value` (grafana pkg/util/converter/prom.go); series add up per time', () => {
    const frame = (values: number[]) => ({
      fields: [
        { name: 'Time', values: values.map((_, i) => t0 + i * 60_000) },
        { name: 'Value', values },
      ],
    });
    expect(metricPoints([frame([3, 0, 5]), frame([1])])).toEqual([
      [t0, 4],
      [t0 + 60_000, 0],
      [t0 + 120_000, 5],
    ]);
    expect(metricPoints([{ fields: [{ name: 'Line', values: ['x'] }] }])).toEqual([]);
  });

  it('the step stays a minute up to 11,000 points, then grows in whole minutes (Loki refuses more points)', () => {
    expect(healthStepMs(0, 6 * 3_600_000)).toBe(60_000);
    expect(healthStepMs(0, 11_000 * 60_000)).toBe(60_000);
    expect(healthStepMs(0, 30 * 86_400_000)).toBe(4 * 60_000);
    expect(perMinuteQuery({ job: 'kube-audit' })).toBe('sum(count_over_time({job="kube-audit"} [1m]))');
    expect(perMinuteQuery({ job: 'fleet' }, 240_000)).toBe('sum(count_over_time({job="fleet"} [4m]))');
  });

  it('states: ok with levels from kube-apiserver lines, missing, unreadable with the reasons, and the guide section', () => {
    const g = generate({ scenarios: ['unauthorized-deletion'], noiseEvents: 50, seed: 3, start: t0 });
    const kube = [...g.records()].filter((r) => r.file === 'kube-audit.log').map((r) => ({ text: r.line }));
    const levels = new Set(kube.map((l) => (JSON.parse(l.text) as { level: string }).level));
    const ok = sourceHealth('kube-audit', DEFAULT_SELECTORS, {
      points: [[t0, kube.length]],
      sample: kube,
      fromMs: t0 - 60_000,
      toMs: t0 + 3_540_000,
    });
    expect(ok).toMatchObject({
      state: 'ok',
      lines: kube.length,
      sampled: kube.length,
      parsed: kube.length,
      lastSeen: t0,
    });
    expect(ok.perMinute).toBeCloseTo(kube.length / 60);
    expect(new Set(Object.keys(ok.levels))).toEqual(levels);
    expect(Object.values(ok.levels).reduce((a, b) => a + (b ?? 0), 0)).toBe(kube.length);

    const missing = sourceHealth('fleet', DEFAULT_SELECTORS, { points: [], sample: [], fromMs: 0, toMs: 60_000 });
    expect(missing.state).toBe('missing');
    expect(missing.advice).toContain('{job="fleet"}');
    expect(missing.guide).toBe('docs/shipping-logs.md#6-fleet');

    const junk = Array.from({ length: 4 }, (_, i) => ({ text: `<b>not a record ${i}</b>`, origin: `x:${i + 1}` }));
    const unreadable = sourceHealth('argocd', DEFAULT_SELECTORS, {
      points: [[t0, 4]],
      sample: junk,
      fromMs: 0,
      toMs: t0,
    });
    expect(unreadable).toMatchObject({ state: 'unreadable', sampled: 4, parsed: 0 });
    expect(unreadable.skipped.reduce((n, s) => n + s.count, 0)).toBe(4);
    expect(unreadable.skipped[0].example).toBe('x:1');
  });

  it("the guide's anchors are GitHub's heading ids", () => {
    expect(guideAnchor('2. kube-apiserver audit log')).toBe('docs/shipping-logs.md#2-kube-apiserver-audit-log');
  });
});
