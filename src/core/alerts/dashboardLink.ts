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
