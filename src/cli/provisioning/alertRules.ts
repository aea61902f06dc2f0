import * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import * as expr from '@grafana/grafana-foundation-sdk/expr';
import * as loki from '@grafana/grafana-foundation-sdk/loki';

import {
  ALERT_RULES,
  alertDashboardLink,
  DEFAULT_SELECTORS,
  recordedChainLink,
  ruleLogQL,
  type AlertRule,
  type AlertSettings,
  type StreamSelectors,
} from '../../core';

/**
 * The alert-rule catalog as Grafana-managed rules, built with Grafana's foundation SDK (its alerting, expression
 * and Loki query types) rather than hand-written objects, and as Loki ruler rules.
 */

const GROUP = 'change-provenance';
const FOLDER = 'Change Provenance';

function seconds(duration: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(duration);
  if (!m) {
    throw new Error(`not a duration in s, m or h: ${duration}`);
  }
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
}

/**
 * One rule: an instant query on the Loki data source with the LogQL our builder made, reduced to its last value,
 * firing above zero (a front-end data source cannot be an alert source, so the rule queries Loki itself).
 */
export function grafanaRule(
  r: AlertRule,
  lokiUid: string,
  selectors: StreamSelectors,
  settings: Partial<AlertSettings> = {}
): alerting.Rule {
  const logs = new loki.DataqueryBuilder()
    .refId('A')
    .expr(ruleLogQL(r, selectors, settings))
    .queryType(loki.LokiQueryType.Instant)
    .editorMode(loki.QueryEditorMode.Code);
  return new alerting.RuleBuilder(r.title)
    .uid(`cp-${r.id}`.slice(0, 40))
    .condition('C')
    .queries([
      new alerting.QueryBuilder('A')
        .relativeTimeRange({ from: seconds(r.range), to: 0 })
        .datasourceUid(lokiUid)
        .model(logs),
      new alerting.QueryBuilder('B')
        .datasourceUid('__expr__')
        .model(new expr.TypeReduceBuilder().refId('B').expression('A').reducer('last')),
      new alerting.QueryBuilder('C').datasourceUid('__expr__').model(
        new expr.TypeThresholdBuilder()
          .refId('C')
          .expression('B')
          .conditions([{ evaluator: { type: 'gt', params: [0] } }])
      ),
    ])
    .noDataState('OK')
    .execErrState('Error')
    .forDuration(r.for)
    .labels({ severity: r.severity, origin: r.origin, rule: r.id })
    .annotations({
      summary: r.summary,
      description: r.description,
      runbook: r.runbook,
      dashboard: alertDashboardLink(r),
      ...(r.by.includes('chain') ? { chain: recordedChainLink(lokiUid, selectors['kube-audit']?.cluster) } : {}),
    })
    .build();
}

/**
 * The rule fields a provisioning file carries (the group says org, folder and group; Grafana adds the rest), as
 * plain data: the SDK's expression models also carry a type-marker method.
 */
function fileRule(rule: alerting.Rule) {
  const { uid, title, condition, data, noDataState, execErrState, for: forDuration, labels, annotations } = rule;
  const plainData = JSON.parse(JSON.stringify(data)) as alerting.Query[];
  return { uid, title, condition, data: plainData, noDataState, execErrState, for: forDuration, labels, annotations };
}

/** Grafana's alerting provisioning file (`apiVersion: 1`) with every rule of the catalog, on the Loki uid. */
export function grafanaAlertRules(
  lokiUid: string,
  selectors: StreamSelectors = DEFAULT_SELECTORS,
  settings: Partial<AlertSettings> = {}
) {
  return dollarsEscaped({
    apiVersion: 1,
    groups: [
      {
        orgId: 1,
        name: GROUP,
        folder: FOLDER,
        interval: '1m',
        rules: ALERT_RULES.map((r) => fileRule(grafanaRule(r, lokiUid, selectors, settings))),
      },
    ],
  });
}

/**
 * Grafana expands `$NAME` in provisioning files from its environment, so the `$labels` of a template (or a `$`
 * in a regex) must be written `$$` to reach the rule as written.
 */
function dollarsEscaped<T>(value: T): T {
  if (typeof value === 'string') {
    return value.replace(/\$/g, '$$$$') as T;
  }
  if (Array.isArray(value)) {
    return value.map(dollarsEscaped) as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dollarsEscaped(v)])) as T;
  }
  return value;
}

/** The same rules for Loki's own ruler (Prometheus rule-file format), for teams that alert from Loki. */
export function lokiRulerRules(selectors: StreamSelectors = DEFAULT_SELECTORS, settings: Partial<AlertSettings> = {}) {
  return {
    groups: [
      {
        name: GROUP,
        rules: ALERT_RULES.map((r) => ({
          alert: r.id,
          expr: `${ruleLogQL(r, selectors, settings)} > 0`,
          for: r.for,
          labels: { severity: r.severity, origin: r.origin },
          annotations: { summary: r.summary, description: r.description, runbook: r.runbook },
        })),
      },
    ],
  };
}
