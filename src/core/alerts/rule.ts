import type { LogQuery } from '../logql/builder';
import type { StreamSelectors } from '../logql/questions';
import { WRITE_VERBS } from '../model';
import { notAPersonPattern } from '../parse/actor';

/**
 * One alert condition: the log lines that count (LogQL built by the builder, never written by hand), how many
 * of them over which range fire it, and what a person reads when it does.
 */
export interface AlertRule {
  id: string;
  title: string;
  severity: 'critical' | 'high' | 'warning';
  /** Where the condition comes from: a Falco k8saudit rule, or our GitOps view. */
  origin: 'falco' | 'gitops';
  /** The lines that count, on the stream selectors and alert settings the user configured. */
  lines: (selectors: Required<StreamSelectors>, settings: AlertSettings) => LogQuery;
  /** Labels the count is grouped by, so one alert instance names one namespace / object / person. */
  by: string[];
  /** Count range, LogQL duration. */
  range: string;
  /** How long the condition must hold before the alert fires (Grafana's `for`). */
  for: string;
  summary: string;
  description: string;
  runbook: string;
}

/** What a team sets for its alerts, beyond where the streams are. */
export interface AlertSettings {
  /** Namespaces where a person's write outside GitOps alerts (`recorded-protected-namespace-write`). */
  protectedNamespaces: string[];
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { protectedNamespaces: ['production'] };

/** Verbs that change cluster state, as a LogQL regex. */
export const WRITES = [...WRITE_VERBS].join('|');

/**
 * The label naming who acted: the impersonated user when there is one — a person acting through Rancher is
 * logged as a `cattle-impersonation-system` service account impersonating them, `kubectl --as` likewise — else
 * the authenticated user. Loki's `default` template function returns its first argument when the second is
 * empty.
 */
export const ACTOR = 'actor';
const ACTOR_TEMPLATE = '{{ default .user_username .impersonatedUser_username }}';

/**
 * The label filter "a person acted" (after kubeAuditQuery has made the `actor` label): the name rules of
 * `isPerson` (core's one list of who is not a person) as a regex.
 */
export const BY_A_PERSON: LogQuery['labelFilters'][number] = { label: ACTOR, op: '!~', value: notAPersonPattern() };

/**
 * A rule with the catalog's defaults: it fires at once (`for` 0s) on a five-minute count unless it says
 * otherwise.
 */
export function alertRule(
  origin: AlertRule['origin'],
  r: Omit<AlertRule, 'origin' | 'range' | 'for'> & Partial<Pick<AlertRule, 'range' | 'for'>>
): AlertRule {
  return { origin, range: '5m', for: '0s', ...r };
}

/**
 * Lines of the kube-apiserver audit stream, one stage per request so a request counts once, parsed with
 * `| json`, with the `actor` label. Long-running requests (exec, attach, port-forward) log ResponseStarted when they begin and
 * ResponseComplete only when the session ends, so their rule counts either.
 */
export function kubeAuditQuery(
  selectors: Required<StreamSelectors>,
  lineFilters: LogQuery['lineFilters'],
  labelFilters: LogQuery['labelFilters'],
  stages = 'ResponseComplete'
): LogQuery {
  return {
    selector: selectors['kube-audit'],
    lineFilters,
    json: true,
    labelFormats: [{ label: ACTOR, template: ACTOR_TEMPLATE }],
    labelFilters: [{ label: 'stage', op: stages.includes('|') ? '=~' : '=', value: stages }, ...labelFilters],
  };
}
