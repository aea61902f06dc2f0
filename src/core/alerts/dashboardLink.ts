import { lineQuery, renderLogQuery } from '../logql/builder';
import { RECORDED_JOB } from '../watch/recorded';
import type { AlertRule } from './rule';

/** The dashboard an alert links to. */
export const DASHBOARD_UID = 'change-provenance';

/** The dashboard's variables an alert's labels fill in, so the link opens on what the alert names. */
const LINKED_VARIABLES: Array<[variable: string, label: string]> = [
  ['namespace', 'objectRef_namespace'],
  ['name', 'objectRef_name'],
  ['actor', 'actor'],
  ['app', 'application'],
];

/** The dashboard link of an alert (a Grafana annotation template), filtered to what the alert names. */
export function alertDashboardLink(rule: AlertRule): string {
  const query = LINKED_VARIABLES.filter(([, label]) => rule.by.includes(label))
    .map(([v, label]) => `var-${v}={{ $labels.${label} }}`)
    .join('&');
  return `/d/${DASHBOARD_UID}${query ? `?${query}` : ''}`;
}

const CHAIN_ID = 'CHAIN-ID-OF-THE-ALERT';

/**
 * The `chain` annotation of a recorded-verdict alert: Explore on the Loki data source with the recorded chain
 * (its `chain_id` structured metadata, in the rules' cluster) over the last 7 days, in Explore's `panes` URL. The id comes from a log
 * (an auditID): Grafana's template keeps only the characters ids are made of (`reReplaceAll`, from Prometheus'
 * template functions, which Grafana's alerting templates use — pkg/services/ngalert/state/template/template.go),
 * so nothing from a log can end the LogQL string or the URL's JSON; a forged id finds nothing.
 */
export function recordedChainLink(lokiUid: string, cluster?: string): string {
  const q = {
    ...lineQuery({ job: RECORDED_JOB, ...(cluster ? { cluster } : {}) }),
    labelFilters: [{ label: 'chain_id', op: '=' as const, value: CHAIN_ID }],
  };
  const pane = {
    datasource: lokiUid,
    queries: [{ refId: 'A', expr: renderLogQuery(q), queryType: 'range', datasource: { type: 'loki', uid: lokiUid } }],
    range: { from: 'now-7d', to: 'now' },
  };
  const panes = encodeURIComponent(JSON.stringify({ provenance: pane }));
  return `/explore?schemaVersion=1&panes=${panes.replace(
    CHAIN_ID,
    '{{ reReplaceAll "[^A-Za-z0-9:._~-]" "" $labels.chain }}'
  )}`;
}
