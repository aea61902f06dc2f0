import { isEffect } from '../correlate/engine';
import type { ChangeEvent } from '../model';
import { claimsGitopsTool } from '../parse/actor';
import type { Withhold } from '../parse/recorded';
import { compareEvents, type WithheldEvent } from '../parse/session';

/**
 * Routine system traffic: writes a cluster's own components make all the time, which no one asking "who
 * changed what" wants to read. Each class is named and documented; a trace leaves them out by default and
 * counts what it left out (never a silent drop).
 *
 * What counts as routine follows the audit policies that drop or shrink the same traffic at the source:
 * - Kubernetes' GCE policy (`cluster/gce/gci/configure-helper.sh`, `create-master-audit-policy`): `events` at
 *   level None; `endpoints` get/update by kube-controller-manager, kube-scheduler and the endpoint controller
 *   at None; `nodes/status` and `pods/status` update/patch by `system:nodes` at Request level ("high-volume and
 *   can be large"); `/healthz*`, `/version`, `/swagger*` at None; TokenReviews at Metadata only.
 * - OpenShift's policy preamble (every profile): `events` at None; `/api*`, `/version`, `/healthz`, `/readyz` at None.
 * - Published measurements: node Leases renewed every 10 s by every kubelet (`nodeLeaseDurationSeconds` 40 s,
 *   renew interval a quarter of it) and leader election renewing every 2 s (client-go's `RetryPeriod`) make
 *   ~20–25% of all audit events.
 *
 * Never routine, whatever is touched: a person's write, a GitOps controller's write, anything done through
 * impersonation (a person may be behind it), a request the API server denied (401/403), an anonymous or
 * unidentified caller. Those tests read `actor.kind`, which the parser sets with `classifyActor`.
 */

export type RoutineClass = 'leases' | 'events' | 'reviews' | 'node-status' | 'pod-status' | 'endpoints' | 'health';

export interface RoutineClassInfo {
  name: RoutineClass;
  /** What the class leaves out, in words for a notice or `--help`. */
  description: string;
}

export const ROUTINE_CLASSES: readonly RoutineClassInfo[] = [
  {
    name: 'leases',
    description: 'Lease writes by system components (kubelet node heartbeats every 10 s, leader election every 2 s)',
  },
  { name: 'events', description: 'Event writes (core/v1 and events.k8s.io) by system components' },
  {
    name: 'reviews',
    description: 'TokenReview and (Self/Local)SubjectAccessReview/RulesReview requests by system components',
  },
  { name: 'node-status', description: 'nodes/status writes by nodes (kubelet heartbeats)' },
  { name: 'pod-status', description: 'pods/status writes by nodes (kubelet reporting container state)' },
  {
    name: 'endpoints',
    description: 'Endpoints and EndpointSlice writes by the endpoint, EndpointSlice and mirroring controllers',
  },
  { name: 'health', description: 'non-resource health, version, OpenAPI and metrics requests' },
];

export const ALL_ROUTINE: readonly RoutineClass[] = ROUTINE_CLASSES.map((c) => c.name);

/**
 * kube-controller-manager's controllers run as these kube-system service accounts with
 * `--use-service-account-credentials` (Kubernetes' bootstrap policy, `plugin/pkg/auth/authorizer/rbac/
 * bootstrappolicy/controller_policy.go`). None is a GitOps controller.
 */
export const KUBE_CONTROLLERS: readonly string[] = [
  'attachdetach-controller',
  'certificate-controller',
  'clusterrole-aggregation-controller',
  'cronjob-controller',
  'daemon-set-controller',
  'deployment-controller',
  'disruption-controller',
  'endpoint-controller',
  'endpointslice-controller',
  'endpointslicemirroring-controller',
  'ephemeral-volume-controller',
  'expand-controller',
  'generic-garbage-collector',
  'horizontal-pod-autoscaler',
  'job-controller',
  'namespace-controller',
  'node-controller',
  'persistent-volume-binder',
  'pod-garbage-collector',
  'pv-protection-controller',
  'pvc-protection-controller',
  'replicaset-controller',
  'replication-controller',
  'resourcequota-controller',
  'root-ca-cert-publisher',
  'service-account-controller',
  'service-controller',
  'statefulset-controller',
  'ttl-after-finished-controller',
  'ttl-controller',
];

export const ENDPOINT_CONTROLLERS: readonly string[] = [
  'system:serviceaccount:kube-system:endpoint-controller',
  'system:serviceaccount:kube-system:endpointslice-controller',
  'system:serviceaccount:kube-system:endpointslicemirroring-controller',
  // Without --use-service-account-credentials (k3s, RKE2) the controllers act as kube-controller-manager itself.
  'system:kube-controller-manager',
];

const NODE_PREFIX = 'system:node:';
const REVIEWS = new Set([
  'tokenreviews',
  'subjectaccessreviews',
  'selfsubjectaccessreviews',
  'localsubjectaccessreviews',
  'selfsubjectrulesreviews',
  'selfsubjectreviews',
]);
const REVIEW_GROUPS = new Set(['authentication.k8s.io', 'authorization.k8s.io']);
/** Non-resource paths of probes and discovery (the GCE and OpenShift policies drop the same ones). */
const HEALTH_PATH = /^\/(healthz|livez|readyz|version|openapi|swagger|metrics)(\/|\.|$)/;

/** A component of the cluster acting as itself: the only kind of caller whose writes can be routine. */
function systemActingAsItself(e: ChangeEvent): boolean {
  if (e.source !== 'kube-audit' || e.actor.via.length > 0) {
    return false;
  }
  const code = e.outcome.code;
  if (code === 401 || code === 403 || e.outcome.decision === 'forbid') {
    return false;
  }
  // A request that says a GitOps tool sent it stays in view, whoever sent it: a claim can show a write, never hide one.
  if (claimsGitopsTool({ userAgent: e.userAgent, fieldManager: e.marks?.fieldManager })) {
    return false;
  }
  return e.actor.kind === 'system' || e.actor.kind === 'serviceaccount';
}

const isNode = (e: ChangeEvent) => e.actor.name.startsWith(NODE_PREFIX);

/**
 * The routine class of an audit event, or undefined when it is not routine. Node status: NodeRestriction
 * admits a node's status write only to its own Node and the pods bound to it
 * (`plugin/pkg/admission/noderestriction`), so "by a node" is "by its own kubelet" on a cluster that runs it.
 */
export function routineClassOf(e: ChangeEvent): RoutineClass | undefined {
  if (!systemActingAsItself(e)) {
    return undefined;
  }
  const t = e.target;
  if (!t.resource) {
    return t.path && HEALTH_PATH.test(t.path) ? 'health' : undefined;
  }
  const sub = t.subresource ?? '';
  if (t.resource === 'leases' && t.apiGroup === 'coordination.k8s.io' && sub === '') {
    return 'leases';
  }
  if (t.resource === 'events' && (t.apiGroup === '' || t.apiGroup === 'events.k8s.io') && sub === '') {
    return 'events';
  }
  if (REVIEWS.has(t.resource) && REVIEW_GROUPS.has(t.apiGroup)) {
    return 'reviews';
  }
  if (t.apiGroup === '' && sub === 'status' && isNode(e)) {
    if (t.resource === 'nodes') {
      return 'node-status';
    }
    if (t.resource === 'pods') {
      return 'pod-status';
    }
  }
  const endpoints =
    (t.resource === 'endpoints' && t.apiGroup === '') ||
    (t.resource === 'endpointslices' && t.apiGroup === 'discovery.k8s.io');
  if (endpoints && sub === '' && ENDPOINT_CONTROLLERS.includes(e.actor.name)) {
    return 'endpoints';
  }
  return undefined;
}

/** Which classes to leave out: a list of names, or `all` / `none`. Unknown names are an error, not ignored. */
export function parseRoutineClasses(spec: string | readonly string[] | undefined): RoutineClass[] {
  if (spec === undefined) {
    return [...ALL_ROUTINE];
  }
  const names = (typeof spec === 'string' ? spec.split(',') : spec).map((s) => s.trim()).filter(Boolean);
  if (names.length === 1 && names[0] === 'all') {
    return [...ALL_ROUTINE];
  }
  if (names.length === 1 && names[0] === 'none') {
    return [];
  }
  const unknown = names.filter((n) => !(ALL_ROUTINE as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(`unknown routine class ${unknown.join(', ')}; known: ${ALL_ROUTINE.join(', ')}, or all, none`);
  }
  return names as RoutineClass[];
}

export type ExcludedCounts = Partial<Record<RoutineClass, number>>;

/** The routine class `excludeRoutine` leaves `e` out as, among `wanted`, or undefined: it keeps `e`. */
function leftOutAs(e: ChangeEvent, wanted: ReadonlySet<RoutineClass>): RoutineClass | undefined {
  const c = isEffect(e) ? routineClassOf(e) : undefined;
  return c && wanted.has(c) ? c : undefined;
}

/**
 * For `trace` over files: leave the routine writes of `classes` out where lines are parsed (a worker thread), so
 * only what counting them needs reaches the session (ParseSummary.withheld) — `excludeRoutine` counts them
 * there exactly as if their events had come along. Undefined when nothing is left out.
 */
export function withholdRoutine(classes: readonly RoutineClass[]): Withhold | undefined {
  if (classes.length === 0) {
    return undefined;
  }
  const wanted = new Set(classes);
  return (parsed) => leftOutAs(parsed.event, wanted);
}

/**
 * The events without the routine writes of the given classes, and how many of each were left out. Only writes
 * are counted and left out (reads are not changes already); every other event is kept, so nothing a chain can
 * be explained by goes missing. `withheld` are events of those classes left out already where they were parsed
 * (`withholdRoutine`): counted the same, and the classes are listed in the order of each one's first event.
 */
export function excludeRoutine(
  events: readonly ChangeEvent[],
  classes: readonly RoutineClass[],
  /** Count only what falls in the question's time range (all of it is left out either way). */
  range: { from?: number; to?: number } = {},
  withheld: readonly WithheldEvent[] = []
): { kept: ChangeEvent[]; excluded: ExcludedCounts } {
  if (classes.length === 0 && withheld.length === 0) {
    return { kept: [...events], excluded: {} };
  }
  const wanted = new Set(classes);
  const inRange = (t: number | undefined) =>
    t === undefined || ((range.from ?? -Infinity) <= t && t <= (range.to ?? Infinity));
  const counts = new Map<RoutineClass, number>();
  // The first event of each class counted: events are in order, withheld ones are put in it.
  const firsts = new Map<RoutineClass, WithheldEvent | ChangeEvent>();
  const count = (c: RoutineClass, e: WithheldEvent | ChangeEvent) => {
    if (!inRange(e.time)) {
      return;
    }
    counts.set(c, (counts.get(c) ?? 0) + 1);
    const first = firsts.get(c);
    if (first === undefined || compareEvents(e, first) < 0) {
      firsts.set(c, e);
    }
  };
  const kept: ChangeEvent[] = [];
  for (const e of events) {
    const c = leftOutAs(e, wanted);
    if (c) {
      count(c, e);
    } else {
      kept.push(e);
    }
  }
  // Left out already, so counted whatever `classes` says: never a silent drop.
  for (const w of withheld) {
    count(w.label as RoutineClass, w);
  }
  const excluded: ExcludedCounts = {};
  for (const c of [...firsts.keys()].sort((a, b) => compareEvents(firsts.get(a)!, firsts.get(b)!))) {
    excluded[c] = counts.get(c);
  }
  return { kept, excluded };
}

/** "leases ×120, events ×48" — the counts as one line for a notice. */
export function describeExcluded(excluded: ExcludedCounts): string {
  return Object.entries(excluded)
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ');
}
