import { generate, pushEntryOf, type RawLine } from '../../src/core';
import { compile, runPipeline } from './logqlEval';

/**
 * Grafana's Loki data source as the provenance data source sees it: `query(request)` answering LogQL range
 * queries with Loki log frames (labels / Time / Line / tsNs / id). LogQL is evaluated by the emulator's
 * evaluator, so filters really filter. Records every request for assertions.
 *
 * Each target is read as Grafana and Loki read it, and what they reject is answered with their error:
 * - Grafana's frontend (public/app/plugins/datasource/loki/datasource.ts `query`): `maxLines ?? 1000`
 *   (the data source's default), `queryType` normalised (getNormalizedLokiQuery: range when absent).
 * - Grafana's backend (pkg/tsdb/loki/parse_query.go): `queryType` range | instant, else "invalid queryType";
 *   `direction` absent → backward, backward | forward | scan (→ backward), else "invalid queryDirection";
 *   api.go sends `limit` only when maxLines > 0 (Loki then uses its default 100), start/end as ns of the ms range.
 * - Loki (v3.5.0 pkg/loghttp/params.go, pkg/validation limits): end before start → "end timestamp must not be
 *   before or equal to start time"; limit > max_entries_limit_per_query (5000) → "max entries limit per query
 *   exceeded"; log queries are not answered as instant queries; `direction` orders and cuts the page (backward:
 *   the newest `limit` lines); the range is start-inclusive, end-exclusive.
 * - Grafana's query API maps each answer to its target by `refId`, which must be present and unique.
 */

/** A target as the provenance transport sends it; unknown fields are kept for validation. */
export interface FakeLokiTarget {
  refId?: string;
  expr: string;
  queryType?: string;
  direction?: string;
  maxLines?: number;
  hide?: boolean;
  /** Metric queries: the step (`60s`), Grafana's LokiQuery `step`. */
  step?: string;
}

export interface FakeLokiRequest {
  expr: string;
  from: number;
  to: number;
  maxLines: number;
  direction: 'forward' | 'backward';
  refId: string;
}

/** Grafana's Loki data source default when jsonData.maxLines is unset (datasource.ts DEFAULT_MAX_LINES). */
export const GRAFANA_LOKI_DEFAULT_MAX_LINES = 1000;
/** Loki's `limit` when none is sent (pkg/loghttp/params.go defaultQueryLimit). */
export const LOKI_DEFAULT_LIMIT = 100;
/** Loki's default `max_entries_limit_per_query` (pkg/validation/limits.go). */
export const LOKI_MAX_ENTRIES_PER_QUERY = 5000;

type Row = { labels: Record<string, string>; ns: string; line: string };

function isMetric(expr: string): boolean {
  try {
    return compile(expr).kind === 'metric';
  } catch {
    return false;
  }
}

const nsCompare = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

export class FakeLokiDataSource {
  readonly uid = 'loki-test';
  /** Not "Loki": a test of what the plugin shows must see the configured name, not a guess. */
  readonly name = 'Audit logs (Loki)';
  readonly type = 'loki';
  readonly requests: FakeLokiRequest[] = [];
  /** Every metric query answered. */
  readonly metricRequests: string[] = [];
  /** Every request that was answered with an error, and the error. */
  readonly rejected: Array<{ target: FakeLokiTarget; error: string }> = [];
  private readonly entries: Row[] = [];
  /** Resolves when a query is in flight (for cancellation tests); the query waits while `hold` is set. */
  hold?: Promise<void>;

  constructor(private readonly maxEntriesPerQuery = LOKI_MAX_ENTRIES_PER_QUERY) {}

  add(lines: RawLine[]): void {
    for (const l of lines) {
      this.entries.push({ labels: l.labels ?? {}, ns: l.ns ?? '0', line: l.text });
    }
    this.entries.sort((a, b) => nsCompare(a.ns, b.ns));
  }

  /** Why Grafana or Loki would refuse this target (undefined: they take it), with the request as they read it. */
  read(
    target: FakeLokiTarget,
    from: number,
    to: number
  ): { error: string } | { request: FakeLokiRequest; limit: number } {
    if (typeof target.refId !== 'string' || target.refId === '') {
      return { error: 'query has no refId: Grafana cannot map its answer back to it' };
    }
    const queryType = target.queryType ?? 'range';
    if (queryType !== 'range' && queryType !== 'instant') {
      return { error: `invalid queryType: ${queryType}` };
    }
    const direction = target.direction ?? 'backward';
    if (!['backward', 'forward', 'scan'].includes(direction)) {
      return { error: `invalid queryDirection: ${direction}` };
    }
    const maxLines = target.maxLines ?? GRAFANA_LOKI_DEFAULT_MAX_LINES;
    if (!Number.isInteger(maxLines)) {
      return { error: `json: cannot unmarshal number ${maxLines} into Go struct field .maxLines of type int64` };
    }
    const limit = maxLines > 0 ? maxLines : LOKI_DEFAULT_LIMIT;
    if (limit > this.maxEntriesPerQuery) {
      return {
        error: `max entries limit per query exceeded, limit > max_entries_limit_per_query (${limit} > ${this.maxEntriesPerQuery})`,
      };
    }
    if (!Number.isFinite(from) || !Number.isFinite(to)) {
      return { error: 'invalid time range' };
    }
    if (to < from) {
      return { error: 'end timestamp must not be before or equal to start time' };
    }
    const plan = compile(target.expr);
    if (plan.kind !== 'log') {
      return { error: 'metric query' };
    }
    if (queryType === 'instant') {
      return {
        error: 'log queries are not supported as an instant query type, please change your query to a range query type',
      };
    }
    return {
      request: {
        expr: target.expr,
        from,
        to,
        maxLines,
        direction: direction === 'forward' ? 'forward' : 'backward',
        refId: target.refId,
      },
      limit,
    };
  }

  async query(request: {
    range: { from: { valueOf(): number }; to: { valueOf(): number } };
    targets: FakeLokiTarget[];
  }) {
    const targets = request.targets.filter((t) => !t.hide);
    const refIds = targets.map((t) => t.refId);
    const from = request.range.from.valueOf();
    const to = request.range.to.valueOf();
    const data: unknown[] = [];
    const errors: Array<{ message: string; refId?: string }> = [];
    if (new Set(refIds).size !== refIds.length) {
      errors.push({ message: `duplicate refId in one request: ${refIds.join(', ')}` });
      this.rejected.push(...targets.map((target) => ({ target, error: errors[0].message })));
      return { data, errors };
    }
    for (const target of targets) {
      if (isMetric(target.expr)) {
        const answer = this.metric(target, from, to);
        if ('error' in answer) {
          this.rejected.push({ target, error: answer.error });
          errors.push({ message: answer.error, refId: target.refId });
        } else {
          this.metricRequests.push(target.expr);
          data.push(...answer.frames);
        }
        continue;
      }
      const read = this.read(target, from, to);
      if ('error' in read) {
        this.rejected.push({ target, error: read.error });
        errors.push({ message: read.error, refId: target.refId });
        continue;
      }
      this.requests.push(read.request);
      if (this.hold) {
        await this.hold;
      }
      data.push(this.frame(read.request, read.limit));
    }
    return errors.length ? { data, errors } : { data };
  }

  /**
   * A metric range query as Loki evaluates it (v3.5.0 pkg/logql/range_vector.go): a point at start, start+step, …
   * ≤ end, each counting the lines in (t - range, t]; a point with no line is left out; more than 11,000 points is
   * refused (pkg/loghttp/query.go, errStepTooSmall). Answered as Grafana's backend frames it, one frame per series with `Time` and
   * `Value` (the series labels on Value) (grafana pkg/util/converter/prom.go readMatrixOrVectorMulti).
   */
  private metric(target: FakeLokiTarget, from: number, to: number): { error: string } | { frames: unknown[] } {
    const plan = compile(target.expr);
    if (plan.kind !== 'metric') {
      return { error: 'unreachable: not a metric query' };
    }
    const step = /^(\d+)s$/.exec(target.step ?? '');
    if (!step || Number(step[1]) <= 0) {
      return { error: 'zero or negative query resolution step widths are not accepted. Try a positive integer' };
    }
    const stepMs = Number(step[1]) * 1000;
    // loki v3.5.0 pkg/loghttp/query.go: `End.Sub(Start) / Step > 11000`, Go's integer division of durations.
    if (Math.floor((to - from) / stepMs) > 11_000) {
      return {
        error:
          'exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter',
      };
    }
    const { log, rangeMs, by } = plan.plan;
    const series = new Map<string, { labels: Record<string, string>; counts: Map<number, number> }>();
    for (const e of this.entries) {
      const ms = Number(e.ns.slice(0, -6) || '0');
      if (ms <= from - rangeMs || ms > to) {
        continue;
      }
      const selected = log.selector.every((m) =>
        runPipeline({ selector: [], stages: [{ kind: 'label', m }] }, '', e.labels)
      );
      if (!selected || !runPipeline(log, e.line, e.labels)) {
        continue;
      }
      const labels =
        by === undefined
          ? e.labels
          : Object.fromEntries(by.filter((l) => e.labels[l] !== undefined).map((l) => [l, e.labels[l]]));
      const key = JSON.stringify(Object.entries(labels).sort());
      const s = series.get(key) ?? { labels, counts: new Map<number, number>() };
      series.set(key, s);
      // Every point whose window (t - range, t] holds the line.
      for (
        let k = Math.max(0, Math.ceil((ms - from) / stepMs));
        from + k * stepMs <= to && from + k * stepMs < ms + rangeMs;
        k++
      ) {
        const t = from + k * stepMs;
        s.counts.set(t, (s.counts.get(t) ?? 0) + 1);
      }
    }
    const frames = [...series.values()].map((s) => {
      const points = [...s.counts.entries()].sort((a, b) => a[0] - b[0]);
      return {
        refId: target.refId,
        meta: { type: 'timeseries-multi' },
        fields: [
          { name: 'Time', type: 'time', values: points.map((p) => p[0]) },
          { name: 'Value', type: 'number', labels: s.labels, values: points.map((p) => p[1]) },
        ],
      };
    });
    return { frames };
  }

  private frame(r: FakeLokiRequest, limit: number) {
    const plan = compile(r.expr);
    if (plan.kind !== 'log') {
      throw new Error('unreachable: checked in read()');
    }
    // Grafana's backend sends start/end as the ms range in ns; Loki reads [start, end).
    const startNs = `${r.from}000000`;
    const endNs = `${r.to}000000`;
    const inRange = this.entries.filter(
      (e) =>
        nsCompare(e.ns, startNs) >= 0 &&
        nsCompare(e.ns, endNs) < 0 &&
        plan.plan.selector.every((m) => runPipeline({ selector: [], stages: [{ kind: 'label', m }] }, '', e.labels)) &&
        runPipeline(plan.plan, e.line, e.labels)
    );
    const rows = r.direction === 'forward' ? inRange.slice(0, limit) : inRange.reverse().slice(0, limit);
    return {
      refId: r.refId,
      fields: [
        { name: 'labels', values: rows.map((x) => x.labels) },
        { name: 'Time', values: rows.map((x) => Number(x.ns.slice(0, -6))) },
        { name: 'Line', values: rows.map((x) => x.line) },
        { name: 'tsNs', values: rows.map((x) => x.ns) },
        { name: 'id', values: rows.map((x, i) => `${x.ns}_${i}`) },
      ],
    };
  }
}

/** The generated scenarios and noise as Loki holds them after a push with Alloy's labels (cluster `prod-eu`). */
export function scenarioLokiLines(noiseEvents: number, start: number): RawLine[] {
  const g = generate({ scenarios: 'all', noiseEvents, seed: 4, start });
  return lokiLinesOf([...g.records()].map((r) => r.line));
}

/** Log lines as Loki holds them after an Alloy pipeline: its stream labels and structured metadata, its time. */
export function lokiLinesOf(lines: string[], cluster = 'prod-eu'): RawLine[] {
  return lines
    .map((l) => pushEntryOf(l, cluster))
    .filter((e): e is NonNullable<typeof e> => e !== undefined)
    .map((e) => ({ text: e.line, labels: { ...e.labels, ...e.meta }, ns: e.ns }));
}
