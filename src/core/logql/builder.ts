import { assertLabelName, quote, regexAnyOf } from './strings';

/**
 * LogQL from a query model, never by concatenating user text: selectors from label maps, line filters before
 * `| json` (so Loki drops most lines before parsing them), label filters after. Pure: no I/O.
 */

export type LineFilterOp = '|=' | '!=' | '|~' | '!~';
export type LabelOp = '=' | '!=' | '=~' | '!~';

export interface LogQuery {
  /** Stream selector as label → value (exact matches). */
  selector: Record<string, string>;
  lineFilters: Array<{ op: LineFilterOp; value: string }>;
  json: boolean;
  /**
   * A `| regexp` parser (our pattern, never user text): its named groups become labels. It works on lines of
   * any format and, unlike `| json`, never marks a line with `__error__` (loki v3.5.0 pkg/logql/log/parser.go
   * `RegexpParser.Process`: a line it does not match just gains no label).
   */
  extract?: string;
  /**
   * Labels made after `| json` from a Loki template (`| label_format`), before the label filters that may use
   * them. Templates are ours, never user text.
   */
  labelFormats?: Array<{ label: string; template: string }>;
  labelFilters: Array<{ label: string; op: LabelOp; value: string }>;
}

/** A query that only filters lines, without parsing them: what phase 2, Explore links and stream checks ask. */
export function lineQuery(selector: Record<string, string>, lineFilters: LogQuery['lineFilters'] = []): LogQuery {
  return { selector, lineFilters, json: false, labelFilters: [] };
}

export function renderSelector(selector: Record<string, string>): string {
  const entries = Object.entries(selector);
  if (entries.length === 0) {
    throw new Error('a stream selector needs at least one label');
  }
  return `{${entries.map(([k, v]) => `${assertLabelName(k)}=${quote(v)}`).join(', ')}}`;
}

/**
 * With `metric`, lines `| json` cannot parse are dropped (`| __error__=""`): in a metric query Loki fails the
 * whole query on a sample that carries `__error__` (loki v3.5.0 pkg/logql/evaluator.go, "pipeline error").
 */
export function renderLogQuery(q: LogQuery, options: { metric?: boolean } = {}): string {
  const parts = [renderSelector(q.selector)];
  for (const f of q.lineFilters) {
    parts.push(`${f.op} ${quote(f.value)}`);
  }
  if (q.json) {
    parts.push('| json');
    if (options.metric) {
      parts.push('| __error__=""');
    }
  }
  if (q.extract !== undefined) {
    parts.push(`| regexp ${quote(q.extract)}`);
  }
  // Filters on parsed labels run first, so Loki renders templates only for the lines that are left.
  const formatted = new Set((q.labelFormats ?? []).map((f) => f.label));
  const filter = (f: LogQuery['labelFilters'][number]) => `| ${assertLabelName(f.label)}${f.op}${quote(f.value)}`;
  parts.push(...q.labelFilters.filter((f) => !formatted.has(f.label)).map(filter));
  for (const f of q.labelFormats ?? []) {
    parts.push(`| label_format ${assertLabelName(f.label)}=${quote(f.template)}`);
  }
  parts.push(...q.labelFilters.filter((f) => formatted.has(f.label)).map(filter));
  return parts.join(' ');
}

/** `sum by (…) (count_over_time(<log query> [range]))` — the form Grafana-managed alert rules evaluate. */
export function renderCountQuery(q: LogQuery, range: string, by: string[] = []): string {
  if (!/^\d+(ms|s|m|h|d)$/.test(range)) {
    throw new Error(`not a LogQL duration: ${range}`);
  }
  const inner = `count_over_time(${renderLogQuery(q, { metric: true })} [${range}])`;
  return by.length ? `sum by (${by.map(assertLabelName).join(', ')}) (${inner})` : `sum(${inner})`;
}

export { quote, regexAnyOf };
