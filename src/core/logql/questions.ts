import { WRITE_VERBS, type SourceKind } from '../model';
import type { RoutineClass } from '../routine/classes';
import { lineQuery, type LogQuery } from './builder';
import { routineLineFilters } from './routineFilters';
import { regexAnyOf } from './strings';

/**
 * The queries a provenance question needs. Phase 1 asks for the effects (writes matching the selection) in
 * the kube-apiserver audit stream; phase 2 asks, around the effects' times only, for the streams that can
 * explain them. Compact JSON (kube-apiserver, Rancher, Argo CD, Fleet all write it) makes `"key":"value"`
 * substrings reliable pre-filters; the label filters after `| json` make the answer exact.
 */

export type StreamSelectors = Partial<Record<Exclude<SourceKind, 'k8s-event'>, Record<string, string>>>;

export const DEFAULT_SELECTORS: Required<StreamSelectors> = {
  'kube-audit': { job: 'kube-audit' },
  'rancher-audit': { job: 'rancher-audit' },
  argocd: { job: 'argocd' },
  fleet: { job: 'fleet' },
};

/** The default streams narrowed to one cluster (the `cluster` label `provenance push` and Alloy set). */
export function clusterSelectors(cluster: string): Required<StreamSelectors> {
  const entries = Object.entries(DEFAULT_SELECTORS).map(([source, labels]) => [source, { ...labels, cluster }]);
  return Object.fromEntries(entries) as Required<StreamSelectors>;
}

export interface Question {
  target?: { resource?: string; namespace?: string; name?: string };
  actor?: string;
  /** Verbs counted as changes; default every write verb. */
  verbs?: string[];
  /** Only these namespaces (any of them). */
  namespaces?: string[];
  /** Free text the audit line must contain (a line filter). */
  text?: string;
  /** Streams that may explain the writes (default all); the kube-apiserver audit log is always read. */
  sources?: Array<'rancher-audit' | 'argocd' | 'fleet'>;
  /** Routine classes left out (a trace leaves out every class unless told; here, in the query, none unless told). */
  leaveOut?: readonly RoutineClass[];
}

const WRITE_VERB_LIST = [...WRITE_VERBS];
const RBAC_RESOURCES = ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'];
/** Past this many values an alternation is too long for a query: a broader filter is used instead. */
export const MAX_ALTERNATION = 200;
const GITOPS_WRITERS = `"username":"system:serviceaccount:[^"]*:(argocd-application-controller|fleet-agent)"`;

const jsonPair = (key: string, value: string) => `"${key}":${JSON.stringify(value)}`;
const given = (v: string | undefined): v is string => v !== undefined && v !== '' && v !== '*';

/**
 * Phase 1: the writes a question is about. `exact` adds `| json` and label filters so Loki's answer is exact
 * (alert rules count in Loki). Without it (trace), only line filters run in Loki and the engine makes the answer
 * exact: a line Loki cannot parse would otherwise fail the label filters and vanish without a word, while here it
 * reaches the parser and is counted as a skipped line.
 */
export function effectsQuery(q: Question, selectors: StreamSelectors = DEFAULT_SELECTORS, exact = true): LogQuery {
  const verbs = q.verbs?.length ? q.verbs : WRITE_VERB_LIST;
  const query: LogQuery = {
    selector: selectors['kube-audit'] ?? DEFAULT_SELECTORS['kube-audit'],
    lineFilters: [{ op: '|~', value: `"verb":"(${regexAnyOf(verbs)})"` }],
    json: true,
    labelFilters: [{ label: 'verb', op: '=~', value: regexAnyOf(verbs) }],
  };
  const t = q.target ?? {};
  if (given(t.namespace)) {
    query.lineFilters.push({ op: '|=', value: jsonPair('namespace', t.namespace) });
    query.labelFilters.push({ label: 'objectRef_namespace', op: '=', value: t.namespace });
  }
  if (given(t.name)) {
    query.lineFilters.push({ op: '|=', value: jsonPair('name', t.name) });
    query.labelFilters.push({ label: 'objectRef_name', op: '=', value: t.name });
  }
  if (given(t.resource)) {
    const plural = t.resource.toLowerCase().endsWith('s') ? t.resource.toLowerCase() : `${t.resource.toLowerCase()}s`;
    query.lineFilters.push({ op: '|=', value: jsonPair('resource', plural) });
    query.labelFilters.push({ label: 'objectRef_resource', op: '=', value: plural });
  }
  const namespaces = (q.namespaces ?? []).filter(given);
  if (namespaces.length > 0) {
    query.lineFilters.push({ op: '|~', value: `"namespace":"(${regexAnyOf(namespaces)})"` });
    query.labelFilters.push({ label: 'objectRef_namespace', op: '=~', value: regexAnyOf(namespaces) });
  }
  if (given(q.text)) {
    query.lineFilters.push({ op: '|=', value: q.text });
  }
  if (given(q.actor)) {
    // The actor may be the user, the impersonated user or a login name in extras: a substring pre-filter only.
    query.lineFilters.push({ op: '|=', value: q.actor });
  }
  query.lineFilters.push(...routineLineFilters(q.leaveOut ?? []));
  return exact ? query : { ...query, json: false, labelFilters: [] };
}

/**
 * Phase 1's second half for a question about a GitRepo: Fleet's GitRepos live in Rancher's local cluster, whose
 * kube-apiserver audit log is often not shipped, so an edit in Rancher's UI may exist only in Rancher's record
 * (its request URI names the object). Line filters on the names only; the engine makes the answer exact.
 */
export function rancherTargetQuery(q: Question, selectors: StreamSelectors = DEFAULT_SELECTORS): LogQuery | undefined {
  const t = q.target ?? {};
  if (!given(t.resource) || !/^gitrepos?$/i.test(t.resource)) {
    return undefined;
  }
  return lineQuery(selectors['rancher-audit'] ?? DEFAULT_SELECTORS['rancher-audit'], [
    { op: '|=', value: 'gitrepos' },
    ...[t.namespace, t.name].filter(given).map((v) => ({ op: '|=' as const, value: v })),
  ]);
}

/**
 * Writes of the owners (ReplicaSet, Deployment, Job…) of controller-written objects, for the cascade rule: a
 * question about a Pod reads the Pod's writes only, but its story is its owner's change.
 */
export function ownerWritesQuery(
  owners: { names: string[]; resources: string[]; namespaces: string[] },
  selectors: StreamSelectors = DEFAULT_SELECTORS
): LogQuery {
  return lineQuery(selectors['kube-audit'] ?? DEFAULT_SELECTORS['kube-audit'], [
    { op: '|~', value: `"verb":"(${regexAnyOf(WRITE_VERB_LIST)})"` },
    { op: '|~', value: `"resource":"(${regexAnyOf(owners.resources)})"` },
    // A cluster-scoped owner has no namespace: then any namespace.
    ...(owners.namespaces.length
      ? [{ op: '|~' as const, value: `"namespace":"(${regexAnyOf(owners.namespaces)})"` }]
      : []),
    { op: '|~', value: `"name":"(${regexAnyOf(owners.names)})"` },
  ]);
}

/**
 * Writes of objects named after an owner (`<owner>-…`: its ReplicaSets, their Pods, a CronJob's Jobs and their
 * Pods, a StatefulSet's Pods): the dependents a question about the owner's change may have set off.
 */
export function dependentWritesQuery(
  owners: { names: string[]; namespaces: string[] },
  selectors: StreamSelectors = DEFAULT_SELECTORS,
  leaveOut: readonly RoutineClass[] = []
): LogQuery {
  return lineQuery(selectors['kube-audit'] ?? DEFAULT_SELECTORS['kube-audit'], [
    { op: '|~', value: `"verb":"(${regexAnyOf(WRITE_VERB_LIST)})"` },
    ...(owners.namespaces.length
      ? [{ op: '|~' as const, value: `"namespace":"(${regexAnyOf(owners.namespaces)})"` }]
      : []),
    { op: '|~', value: `"name":"(${regexAnyOf(owners.names)})-` },
    // A Pod's status heartbeats and Events are named after it too: routine, left out as phase 1 leaves them out.
    ...routineLineFilters(leaveOut),
  ]);
}

/** Phase 2 queries, by what the effects need. Each is asked over its own time window. */
export interface CauseQueries {
  rancher?: LogQuery;
  argocd?: LogQuery;
  fleet?: LogQuery;
  /** Role/Binding writes (RBAC context), Application and GitRepo writes (history, operations, edits). */
  controlWrites: LogQuery;
  /** Earlier writes of the objects people changed (drift). */
  priorWrites?: LogQuery;
  /** GitRepo edits made in Rancher (steve or cluster proxy): a Fleet deployment's cause may exist only there. */
  rancherGitRepos?: LogQuery;
  /** Writes of the ApplicationSets behind generated Applications (who changed the generator), by name. */
  appSetWrites?: LogQuery;
  /** Argo CD's own records of those ApplicationSets (argocd-server's audit messages of an edit in its UI). */
  appSetMessages?: LogQuery;
}

export interface CauseNeeds {
  rancherUsers: string[];
  argo: boolean;
  fleet: boolean;
  driftNames: string[];
  /** ApplicationSets that generated Applications among the effects. */
  appSets?: string[];
}

/** Phase 2 queries use line filters only, for the same reason as `effectsQuery(…, exact = false)`. */
export function causeQueries(needs: CauseNeeds, selectors: StreamSelectors = DEFAULT_SELECTORS): CauseQueries {
  const kube = selectors['kube-audit'] ?? DEFAULT_SELECTORS['kube-audit'];
  const out: CauseQueries = {
    controlWrites: lineQuery(kube, [
      { op: '|~', value: `"resource":"(${regexAnyOf([...RBAC_RESOURCES, 'applications', 'gitrepos'])})"` },
      { op: '|~', value: `"verb":"(${regexAnyOf(WRITE_VERB_LIST)})"` },
    ]),
  };
  if (needs.rancherUsers.length) {
    out.rancher = lineQuery(
      selectors['rancher-audit'] ?? DEFAULT_SELECTORS['rancher-audit'],
      // Many users: every Rancher record in the (short) window instead of naming each user.
      needs.rancherUsers.length <= MAX_ALTERNATION ? [{ op: '|~', value: regexAnyOf(needs.rancherUsers) }] : []
    );
  }
  if (needs.argo) {
    out.argocd = lineQuery(selectors.argocd ?? DEFAULT_SELECTORS.argocd);
  }
  if (needs.fleet) {
    out.fleet = lineQuery(selectors.fleet ?? DEFAULT_SELECTORS.fleet);
    out.rancherGitRepos = lineQuery(selectors['rancher-audit'] ?? DEFAULT_SELECTORS['rancher-audit'], [
      { op: '|=', value: 'gitrepos' },
    ]);
  }
  const appSets = needs.appSets ?? [];
  if (appSets.length) {
    const few = appSets.length <= MAX_ALTERNATION;
    out.appSetWrites = lineQuery(kube, [
      { op: '|=', value: jsonPair('resource', 'applicationsets') },
      { op: '|~', value: `"verb":"(${regexAnyOf(WRITE_VERB_LIST)})"` },
      // Many generators: every ApplicationSet write instead of naming each.
      ...(few ? [{ op: '|~' as const, value: `"name":"(${regexAnyOf(appSets)})"` }] : []),
    ]);
    out.appSetMessages = lineQuery(selectors.argocd ?? DEFAULT_SELECTORS.argocd, [
      { op: '|=', value: 'ApplicationSet' },
      ...(few ? [{ op: '|~' as const, value: regexAnyOf(appSets) }] : []),
    ]);
  }
  if (needs.driftNames.length) {
    const few = needs.driftNames.length <= MAX_ALTERNATION;
    out.priorWrites = lineQuery(kube, [
      // Many objects: ask for every GitOps controller write instead of naming each object.
      { op: '|~', value: few ? `"name":"(${regexAnyOf(needs.driftNames)})"` : GITOPS_WRITERS },
      { op: '|~', value: `"verb":"(${regexAnyOf(WRITE_VERB_LIST)})"` },
    ]);
  }

  return out;
}
