import { DEFAULT_SELECTORS, type StreamSelectors } from '../logql/questions';
import { ALERT_RULES, ruleLogQL } from './catalog';
import type { AlertRule } from './rule';

/** The dashboard an alert links to, filtered to what the alert names. */
export const DASHBOARD_UID = 'change-provenance';
const GROUP = 'change-provenance';

function dashboardLink(rule: AlertRule): string {
  const vars = [
    ['namespace', 'objectRef_namespace'],
    ['name', 'objectRef_name'],
    ['actor', 'user_username'],
    ['app', 'application'],
  ].filter(([, label]) => rule.by.includes(label));
  const query = vars.map(([v, label]) => `var-${v}={{ $labels.${label} }}`).join('&');
  return `/d/${DASHBOARD_UID}${query ? `?${query}` : ''}`;
}

function seconds(duration: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(duration);
  if (!m) {
    throw new Error(`not a duration in s, m or h: ${duration}`);
  }
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
}

/**
 * Grafana-managed alert rules (file provisioning, `apiVersion: 1`) on the Loki data source: a front-end data
 * source cannot be an alert source, so each rule queries Loki with the LogQL our builder made, reduces it to
 * the last value and fires above zero.
 */
export function grafanaAlertRules(lokiUid: string, selectors: StreamSelectors = DEFAULT_SELECTORS) {
  return dollarsEscaped({
    apiVersion: 1,
    groups: [
      {
        orgId: 1,
        name: GROUP,
        folder: 'Change Provenance',
        interval: '1m',
        rules: ALERT_RULES.map((r) => ({
          uid: `cp-${r.id}`.slice(0, 40),
          title: r.title,
          condition: 'C',
          data: [
            {
              refId: 'A',
              relativeTimeRange: { from: seconds(r.range), to: 0 },
              datasourceUid: lokiUid,
              model: { refId: 'A', expr: ruleLogQL(r, selectors), queryType: 'instant', editorMode: 'code' },
            },
            {
              refId: 'B',
              datasourceUid: '__expr__',
              model: { refId: 'B', type: 'reduce', expression: 'A', reducer: 'last' },
            },
            {
              refId: 'C',
              datasourceUid: '__expr__',
              model: {
                refId: 'C',
                type: 'threshold',
                expression: 'B',
                conditions: [{ evaluator: { type: 'gt', params: [0] } }],
              },
            },
          ],
          noDataState: 'OK',
          execErrState: 'Error',
          for: r.for,
          labels: { severity: r.severity, origin: r.origin, rule: r.id },
          annotations: {
            summary: r.summary,
            description: r.description,
            runbook: r.runbook,
            dashboard: dashboardLink(r),
          },
        })),
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
export function lokiRulerRules(selectors: StreamSelectors = DEFAULT_SELECTORS) {
  return {
    groups: [
      {
        name: GROUP,
        rules: ALERT_RULES.map((r) => ({
          alert: r.id,
          expr: `${ruleLogQL(r, selectors)} > 0`,
          for: r.for,
          labels: { severity: r.severity, origin: r.origin },
          annotations: { summary: r.summary, description: r.description, runbook: r.runbook },
        })),
      },
    ],
  };
}
