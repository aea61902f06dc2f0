import { generate } from '../generate/generate';
import { DEFAULT_SELECTORS } from '../logql/questions';
import { kubeAudit } from '../../../tests/support/builders';
import { failedSourceHealth, guideAnchor, healthStepMs, metricPoints, perMinuteQuery, sourceHealth } from './health';

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

describe('source health: edges', () => {
  const kubeLine = (record: object) => ({ text: JSON.stringify(record) });

  it('metric frames: a lower-case `time` field, nulls and non-finite values dropped, points in time order', () => {
    const frames = [
      {
        fields: [
          { name: 'Value', values: [2, null, Number.NaN, 7] },
          { name: 'time', values: [t0 + 180_000, t0 + 120_000, t0 + 60_000, t0] },
        ],
      },
      // No time field: nothing from this frame.
      { fields: [{ name: 'Value', values: [9] }] },
      // A time field but no number field: nothing either.
      {
        fields: [
          { name: 'Time', values: [t0] },
          { name: 'Line', values: ['x'] },
        ],
      },
    ];
    expect(metricPoints(frames)).toEqual([
      [t0, 7],
      [t0 + 180_000, 2],
    ]);
  });

  it('the step of an empty or a one-minute-longer range: a minute at least, whole minutes past 11,000 points', () => {
    expect(healthStepMs(0, 0)).toBe(60_000);
    // 11,000 minutes and one: two-minute steps (5,501 points).
    expect(healthStepMs(0, 11_001 * 60_000)).toBe(120_000);
    // A step that is no whole number of minutes is written rounded: 90 s as 2m.
    expect(perMinuteQuery({ job: 'kube-audit' }, 90_000)).toBe('sum(count_over_time({job="kube-audit"} [2m]))');
  });

  it('partly read: how many of the sample were not read, the reasons most frequent first, the last minute with lines', () => {
    // One line cut short first, then three of no known format: the three are the first reason shown.
    const sample = [
      { text: '{"kind":"Event","apiVersion":"audit.k8s.io/v1"', origin: 'f:1' },
      { text: '<b>one</b>', origin: 'f:2' },
      { text: '<b>two</b>', origin: 'f:3' },
      { text: '<b>three</b>', origin: 'f:4' },
      kubeLine(kubeAudit({ level: 'Request' })),
      // A shipper that re-encodes JSON with spaces after the colons: still its level.
      { text: JSON.stringify(kubeAudit({ level: 'RequestResponse' }), null, 1).replace(/\n\s*/g, ' ') },
    ];
    const h = sourceHealth('kube-audit', DEFAULT_SELECTORS, {
      points: [
        [t0, 3],
        [t0 + 60_000, 3],
        [t0 + 120_000, 0],
      ],
      sample,
      fromMs: t0,
      toMs: t0,
    });
    expect(h).toMatchObject({
      state: 'partly-read',
      advice: '4 of 6 sampled lines were not read; the reasons and an example are below.',
      lines: 6,
      // A range shorter than a minute counts as one minute.
      perMinute: 6,
      sampled: 6,
      parsed: 2,
      lastSeen: t0 + 60_000,
      levels: { Request: 1, RequestResponse: 1 },
      title: 'kube-apiserver audit',
      selector: '{job="kube-audit"}',
      guide: 'docs/shipping-logs.md#2-kube-apiserver-audit-log',
    });
    expect(h.points).toEqual([
      [t0, 3],
      [t0 + 60_000, 3],
    ]);
    expect(h.skipped.map((s) => [s.reason, s.count, s.example])).toEqual([
      ['unknown-format', 3, 'f:2'],
      ['truncated-json', 1, 'f:1'],
    ]);
  });

  it('audit levels: only kube-apiserver lines have one, and only a level in the first 4 KiB of the line is read', () => {
    const far = `{"annotations":{"note":"${'x'.repeat(4100)}"},"level":"Request"}`;
    const near = JSON.stringify(kubeAudit({ level: 'Metadata' }));
    const kube = sourceHealth('kube-audit', DEFAULT_SELECTORS, {
      points: [[t0, 2]],
      sample: [{ text: far }, { text: near }],
      fromMs: t0,
      toMs: t0 + 60_000,
    });
    expect(kube.levels).toEqual({ Metadata: 1 });
    const argo = sourceHealth('argocd', DEFAULT_SELECTORS, {
      points: [[t0, 1]],
      sample: [{ text: near }],
      fromMs: t0,
      toMs: t0 + 60_000,
    });
    expect(argo.levels).toEqual({});
  });

  it('a source with lines counted but none sampled is not missing; one with neither is, and says what to ship', () => {
    const counted = sourceHealth('fleet', DEFAULT_SELECTORS, {
      points: [[t0, 5]],
      sample: [],
      fromMs: t0,
      toMs: t0 + 300_000,
    });
    expect(counted).toMatchObject({ state: 'ok', lines: 5, perMinute: 1, sampled: 0, parsed: 0 });
    expect(counted.advice).toBeUndefined();
    const missing = sourceHealth(
      'rancher-audit',
      { 'rancher-audit': { app: 'rancher-audit' } },
      {
        points: [[t0, 0]],
        sample: [],
        fromMs: t0,
        toMs: t0 + 60_000,
      }
    );
    expect(missing).toMatchObject({ state: 'missing', selector: '{app="rancher-audit"}', lastSeen: undefined });
    expect(missing.advice).toBe(
      'No line of {app="rancher-audit"} in this range. Ship the rancher-audit-log sidecar output (Rancher audit level 1 or more) to Loki with the labels {app="rancher-audit"} (or change this source\'s selector in the data source settings).'
    );
  });

  it('unreadable: the advice names every reason and what the stream should hold', () => {
    const h = sourceHealth('argocd', DEFAULT_SELECTORS, {
      points: [[t0, 3]],
      sample: [
        { text: '{"kind":"Event"', origin: 'f:1' },
        { text: '<b>no</b>', origin: 'f:2' },
        { text: '<i>no</i>', origin: 'f:3' },
      ],
      fromMs: t0,
      toMs: t0 + 60_000,
    });
    expect(h.advice).toBe(
      'Lines of {job="argocd"} arrive, but none of the sample could be read (unknown-format, truncated-json). Check that the stream holds argocd-server and application-controller logs, with the Applications’ Kubernetes events, one record per line, unaltered by the shipper.'
    );
  });

  it('a source whose queries failed: what Loki said, nothing counted, the guide section', () => {
    expect(failedSourceHealth('fleet', {}, 'too many outstanding requests')).toEqual({
      source: 'fleet',
      title: 'Fleet',
      selector: '{job="fleet"}',
      lines: 0,
      perMinute: 0,
      points: [],
      sampled: 0,
      parsed: 0,
      skipped: [],
      levels: {},
      state: 'failed',
      advice:
        'Loki did not answer for {job="fleet"}: too many outstanding requests. Check the Loki data source (Save & test) and this source\'s selector.',
      guide: 'docs/shipping-logs.md#6-fleet',
    });
    expect(failedSourceHealth('argocd', { argocd: { app: 'argo' } }, 'x').selector).toBe('{app="argo"}');
  });
});
