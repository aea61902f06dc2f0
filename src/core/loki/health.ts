import { lineQuery, renderCountQuery, renderLogQuery, renderSelector } from '../logql/builder';
import { DEFAULT_SELECTORS, type StreamSelectors } from '../logql/questions';
import { parseLines, type SkipStat } from '../parse/session';
import type { RawLine } from '../parse/types';
import { valuesOf, type FrameLike } from './frames';

/**
 * Whether each audit stream arrives and parses — what a person checks before trusting an empty answer: lines per
 * minute (a Loki metric query), when the last line came, the share of a recent sample that parsed and why the rest
 * did not, the kube-apiserver audit level, and for a missing or unreadable source what to ship and how.
 */

export type HealthSource = keyof typeof DEFAULT_SELECTORS;

export const HEALTH_SOURCES = Object.keys(DEFAULT_SELECTORS) as HealthSource[];

/** The shipping guide's section for each source (docs/shipping-logs.md). */
export const SHIPPING_GUIDE: Record<HealthSource, { title: string; section: string; ship: string }> = {
  'kube-audit': {
    title: 'kube-apiserver audit',
    section: '2. kube-apiserver audit log',
    ship: 'the kube-apiserver audit log (JSON lines; an audit policy at Metadata or above for writes)',
  },
  'rancher-audit': {
    title: 'Rancher audit',
    section: '5. Rancher API audit log',
    ship: 'the rancher-audit-log sidecar output (Rancher audit level 1 or more)',
  },
  argocd: {
    title: 'Argo CD',
    section: '4. Argo CD',
    ship: 'argocd-server and application-controller logs, with the Applications’ Kubernetes events',
  },
  fleet: {
    title: 'Fleet',
    section: '6. Fleet',
    ship: 'fleet-controller and fleet-agent logs, with the GitRepos’ Kubernetes events',
  },
};

/** GitHub's heading anchor for a section title (lower case, punctuation dropped, spaces as hyphens). */
export function guideAnchor(section: string): string {
  return `docs/shipping-logs.md#${section
    .toLowerCase()
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-')}`;
}

/**
 * The metric step: a minute, or longer when a minute would pass Loki's 11,000 points per series
 * (loki pkg/loghttp/params.go `errStepTooSmall`).
 */
export function healthStepMs(fromMs: number, toMs: number): number {
  return Math.max(1, Math.ceil((toMs - fromMs) / 11_000 / 60_000)) * 60_000;
}

/** Lines per step of one stream: `sum(count_over_time({selector} [<step>]))`, each line counted once. */
export function perMinuteQuery(labels: Record<string, string>, stepMs = 60_000): string {
  return renderCountQuery(lineQuery(labels), `${Math.round(stepMs / 60_000)}m`);
}

/** The newest lines of one stream, for the parse share. */
export function sampleQuery(labels: Record<string, string>): string {
  return renderLogQuery(lineQuery(labels));
}

/** Points of a metric answer: ms time and value, from every frame's first time and first number field. */
export function metricPoints(frames: FrameLike[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const f of frames) {
    const time = f.fields.find((x) => x.name === 'Time' || x.name === 'time');
    const value = f.fields.find(
      (x) => x !== time && valuesOf(x.values).every((v) => typeof v === 'number' || v === null)
    );
    if (!time || !value) {
      continue;
    }
    const ts = valuesOf(time.values);
    valuesOf(value.values).forEach((v, i) => {
      if (typeof v === 'number' && Number.isFinite(v) && typeof ts[i] === 'number') {
        out.push([ts[i] as number, v]);
      }
    });
  }
  // `sum` with no `by` is one series; several frames (a split query) add up per time.
  const byTime = new Map<number, number>();
  for (const [t, v] of out) {
    byTime.set(t, (byTime.get(t) ?? 0) + v);
  }
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]);
}

export type AuditLevel = 'Metadata' | 'Request' | 'RequestResponse';

export interface SourceHealth {
  source: HealthSource;
  title: string;
  selector: string;
  /** Lines in the range, from the metric answer; per minute over the range's minutes. */
  lines: number;
  perMinute: number;
  /** Per-minute counts (ms, lines) where any came: for a sparkline. */
  points: Array<[number, number]>;
  /** End of the last minute with a line (the metric's resolution), if any. */
  lastSeen?: number;
  /** The recent sample read back: how many lines, how many parsed, and why the rest did not. */
  sampled: number;
  parsed: number;
  skipped: Array<{ reason: string } & SkipStat>;
  /** kube-apiserver audit levels seen in the sample (other sources have none). */
  levels: Partial<Record<AuditLevel, number>>;
  state: 'ok' | 'missing' | 'unreadable' | 'partly-read' | 'failed';
  /** What to do, for a state other than ok. */
  advice?: string;
  /** The shipping guide's section. */
  guide: string;
}

/** A sample line's audit level: only the three values Kubernetes writes are counted (the line is untrusted). */
const LEVEL = /"level"\s*:\s*"(Metadata|Request|RequestResponse)"/;

export function sourceHealth(
  source: HealthSource,
  selectors: StreamSelectors,
  answer: { points: Array<[number, number]>; sample: RawLine[]; fromMs: number; toMs: number }
): SourceHealth {
  const labels = selectors[source] ?? DEFAULT_SELECTORS[source];
  const guide = SHIPPING_GUIDE[source];
  const lines = answer.points.reduce((n, [, v]) => n + v, 0);
  const minutes = Math.max(1, (answer.toMs - answer.fromMs) / 60_000);
  const withLines = answer.points.filter(([, v]) => v > 0);
  const parsedSample = parseLines(answer.sample);
  const skippedLines = parsedSample.stats.skipped;
  const sampled = answer.sample.length;
  const levels: Partial<Record<AuditLevel, number>> = {};
  if (source === 'kube-audit') {
    for (const l of answer.sample) {
      const m = LEVEL.exec(l.text.slice(0, 4096));
      if (m) {
        const level = m[1] as AuditLevel;
        levels[level] = (levels[level] ?? 0) + 1;
      }
    }
  }
  const skipped = Object.entries(parsedSample.skipped)
    .map(([reason, s]) => ({ reason, ...s }))
    .sort((a, b) => b.count - a.count);
  const parsed = Math.max(0, sampled - skippedLines);
  const selector = renderSelector(labels);
  let state: SourceHealth['state'] = 'ok';
  let advice: string | undefined;
  if (lines === 0 && sampled === 0) {
    state = 'missing';
    advice = `No line of ${selector} in this range. Ship ${guide.ship} to Loki with the labels ${selector} (or change this source's selector in the data source settings).`;
  } else if (sampled > 0 && parsed === 0) {
    state = 'unreadable';
    advice = `Lines of ${selector} arrive, but none of the sample could be read (${skipped
      .map((s) => s.reason)
      .join(', ')}). Check that the stream holds ${guide.ship}, one record per line, unaltered by the shipper.`;
  } else if (skippedLines > 0) {
    state = 'partly-read';
    advice = `${skippedLines} of ${sampled} sampled lines were not read; the reasons and an example are below.`;
  }
  return {
    source,
    title: guide.title,
    selector,
    lines,
    perMinute: lines / minutes,
    points: withLines,
    lastSeen: withLines.length ? withLines[withLines.length - 1][0] : undefined,
    sampled,
    parsed,
    skipped,
    levels,
    state,
    advice,
    guide: guideAnchor(guide.section),
  };
}

/** A source whose queries failed: what Loki said, and nothing guessed. */
export function failedSourceHealth(source: HealthSource, selectors: StreamSelectors, message: string): SourceHealth {
  const labels = selectors[source] ?? DEFAULT_SELECTORS[source];
  const guide = SHIPPING_GUIDE[source];
  return {
    source,
    title: guide.title,
    selector: renderSelector(labels),
    lines: 0,
    perMinute: 0,
    points: [],
    sampled: 0,
    parsed: 0,
    skipped: [],
    levels: {},
    state: 'failed',
    advice: `Loki did not answer for ${renderSelector(labels)}: ${message}. Check the Loki data source (Save & test) and this source's selector.`,
    guide: guideAnchor(guide.section),
  };
}
