/**
 * A provisioned Grafana-managed alert rule evaluated the way Grafana's alerting engine does, so a test checks
 * the rule as written (its queries, reducer, threshold, condition and its no-data / error states) rather than a
 * threshold of its own:
 * - data queries run at the evaluation time over `relativeTimeRange` (seconds before now); a Loki instant query
 *   is asked at the range end (pkg/tsdb/loki/api.go: `time` = end);
 * - `reduce` turns each series into a number; a number (an instant vector sample) passes through unchanged, no
 *   data stays no data (pkg/expr/commands.go ReduceCommand.Execute);
 * - `threshold` maps each number to 1 or 0 by its one evaluator: gt, lt, eq, ne, gte, lte, within_range,
 *   outside_range, within_range_included, outside_range_included; anything else is an error
 *   (pkg/expr/threshold.go);
 * - the `condition` node's values make the alert instances: non-zero fires (Alerting, or Pending while `for`
 *   has not passed), zero is Normal; no series at all is NoData, a query error is Error, and `noDataState` /
 *   `execErrState` say what those become (pkg/services/ngalert/state: OK → Normal, Alerting, NoData, Error,
 *   KeepLast).
 */

export type Sample = { labels: Record<string, string>; value: number };

/** How the test answers a data query: the samples of an instant query at `timeMs`, or an error. */
export type QueryData = (datasourceUid: string, model: Record<string, unknown>, timeMs: number) => Promise<Sample[]>;

export interface ProvisionedRule {
  uid?: string;
  condition?: string;
  data: Array<{
    refId?: string;
    datasourceUid?: string;
    relativeTimeRange?: { from?: number; to?: number };
    model?: unknown;
  }>;
  noDataState?: string;
  execErrState?: string;
  for?: string;
  /** Templates Grafana renders for each firing instance (not evaluated here). */
  annotations?: Record<string, string>;
}

export type RuleState = 'Normal' | 'Pending' | 'Alerting' | 'NoData' | 'Error';

export interface Evaluation {
  state: RuleState;
  instances: Array<{ labels: Record<string, string>; state: RuleState; value: number | null }>;
  error?: string;
}

type Value =
  { kind: 'numbers'; numbers: Array<{ labels: Record<string, string>; value: number | null }> } | { kind: 'nodata' };

const PREDICATES: Record<string, (p: number[]) => (f: number) => boolean> = {
  gt:
    ([a]) =>
    (f) =>
      f > a,
  lt:
    ([a]) =>
    (f) =>
      f < a,
  eq:
    ([a]) =>
    (f) =>
      f === a,
  ne:
    ([a]) =>
    (f) =>
      f !== a,
  gte:
    ([a]) =>
    (f) =>
      f >= a,
  lte:
    ([a]) =>
    (f) =>
      f <= a,
  within_range:
    ([a, b]) =>
    (f) =>
      f > a && f < b,
  outside_range:
    ([a, b]) =>
    (f) =>
      f < a || f > b,
  within_range_included:
    ([a, b]) =>
    (f) =>
      f >= a && f <= b,
  outside_range_included:
    ([a, b]) =>
    (f) =>
      f <= a || f >= b,
};
const TWO_PARAMS = new Set(['within_range', 'outside_range', 'within_range_included', 'outside_range_included']);

function threshold(model: Record<string, unknown>, input: Value, refId: string): Value {
  const conditions = model.conditions as Array<{ evaluator?: { type?: string; params?: number[] } }> | undefined;
  if (!conditions || conditions.length !== 1) {
    throw new Error('threshold expression requires exactly one condition');
  }
  const { type = '', params = [] } = conditions[0].evaluator ?? {};
  const make = PREDICATES[type];
  if (!make) {
    throw new Error(
      `invalid condition: expected threshold function to be one of [${Object.keys(PREDICATES).join(', ')}], got ${type}`
    );
  }
  if (params.length < (TWO_PARAMS.has(type) ? 2 : 1)) {
    throw new Error(`invalid condition: incorrect number of arguments for threshold function '${type}' (${refId})`);
  }
  const p = make(params);
  if (input.kind === 'nodata') {
    return input;
  }
  return {
    kind: 'numbers',
    numbers: input.numbers.map((n) => ({ labels: n.labels, value: n.value === null ? null : p(n.value) ? 1 : 0 })),
  };
}

function reduce(model: Record<string, unknown>, input: Value): Value {
  const reducer = String(model.reducer ?? '');
  if (!['last', 'max', 'min', 'sum', 'mean', 'count'].includes(reducer)) {
    throw new Error(`unknown reducer ${reducer}`);
  }
  // Every input here is an instant vector's samples: numbers, which any reducer passes through as they are.
  return input;
}

function forSeconds(d: string | undefined): number {
  const m = /^(\d+)([smh])$/.exec(d ?? '0s');
  return m ? Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'] : 0;
}

function mapped(state: string | undefined, fallback: RuleState): RuleState {
  switch (state) {
    case 'OK':
      return 'Normal';
    case 'Alerting':
      return 'Alerting';
    case 'NoData':
      return 'NoData';
    case 'Error':
      return 'Error';
    default:
      return fallback;
  }
}

/** One evaluation of `rule` at `nowMs` (a first evaluation: a rule with a `for` is Pending, not yet firing). */
export async function evaluateRule(rule: ProvisionedRule, nowMs: number, queryData: QueryData): Promise<Evaluation> {
  const vars = new Map<string, Value>();
  try {
    for (const node of rule.data) {
      const refId = node.refId ?? '';
      const model = (node.model ?? {}) as Record<string, unknown>;
      if (node.datasourceUid === '__expr__') {
        const input = vars.get(String(model.expression ?? ''));
        if (!input) {
          throw new Error(`${refId}: no input ${String(model.expression)}`);
        }
        if (model.type === 'reduce') {
          vars.set(refId, reduce(model, input));
        } else if (model.type === 'threshold') {
          vars.set(refId, threshold(model, input, refId));
        } else {
          throw new Error(`${refId}: expression type ${String(model.type)} not modelled`);
        }
        continue;
      }
      const to = nowMs - (node.relativeTimeRange?.to ?? 0) * 1000;
      const samples = await queryData(node.datasourceUid ?? '', model, to);
      vars.set(refId, samples.length ? { kind: 'numbers', numbers: samples } : { kind: 'nodata' });
    }
  } catch (e) {
    const state = mapped(rule.execErrState, 'Error');
    return { state, instances: [], error: e instanceof Error ? e.message : String(e) };
  }
  const result = vars.get(rule.condition ?? '');
  if (!result) {
    return { state: 'Error', instances: [], error: `condition ${rule.condition} is no node of the rule` };
  }
  if (result.kind === 'nodata') {
    return { state: mapped(rule.noDataState, 'NoData'), instances: [] };
  }
  const firing: RuleState = forSeconds(rule.for) > 0 ? 'Pending' : 'Alerting';
  const instances = result.numbers.map((n) => ({
    labels: n.labels,
    value: n.value,
    state: (n.value === null ? 'Error' : n.value !== 0 ? firing : 'Normal') as RuleState,
  }));
  const state: RuleState = instances.some((i) => i.state === 'Alerting')
    ? 'Alerting'
    : instances.some((i) => i.state === 'Pending')
      ? 'Pending'
      : 'Normal';
  return { state, instances };
}
