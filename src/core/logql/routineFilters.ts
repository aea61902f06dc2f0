import { ENDPOINT_CONTROLLERS, KUBE_CONTROLLERS, type RoutineClass } from '../routine/classes';
import type { LogQuery } from './builder';
import { regexAnyOf, regexLiteral } from './strings';

/**
 * The routine classes as one `!~` line filter for the phase-1 query, so Loki drops those lines before sending
 * them. The regular expression matches a kube-apiserver audit line from its first byte, as the API server
 * writes it (field order of `audit.k8s.io/v1` Event and ObjectReference, compact JSON, `apiGroup` omitted for
 * the core group), and only when every condition `routineClassOf` checks holds: the caller acts as itself (no
 * `impersonatedUser` between `user` and `sourceIPs`); it is a node, kube-controller-manager, kube-scheduler or
 * one of kube-controller-manager's controllers, with that component's own user agent and at most a `timeout`
 * in the URI (so never a GitOps controller by name, agent or field manager); the request succeeded (2xx) or
 * this is its RequestReceived stage. Anchored at the start, a body nested further in (attacker-controlled) can
 * never match. A line of any other shape is not dropped: the engine classifies it after parsing, so the answer
 * equals a trace of the same lines from files, and only fewer bytes are read.
 * One expression, not one per class: the shared parts appear once and the query stays short enough for a URL.
 */

const WRITES = '(create|update|patch|delete|deletecollection)';
const HEAD =
  '^\\{"kind":"Event","apiVersion":"audit\\.k8s\\.io/v1","level":"(Metadata|Request|RequestResponse)",' +
  '"auditID":"[0-9a-f-]+","stage":"(RequestReceived|ResponseComplete)","requestURI":"[^"?]*(\\?timeout=[0-9a-z]+)?",' +
  `"verb":"${WRITES}","user":\\{"username":"`;
/** The rest of `user` (uid, groups, one nested `extra`), then sourceIPs. */
const USER_REST = '"[^{}]*(\\{[^{}]*\\}[^{}]*)?\\},"sourceIPs":\\[[^\\]]*\\],"userAgent":"';
const TAIL = '\\}(,"responseStatus":\\{"metadata":\\{\\},"code":20[0-9]\\})?,"request';

/** One ObjectReference inside `"objectRef":{…}`, fields in declared order; `group` '' is the (omitted) core group. */
function ref(resource: string, group: string, subresource?: string): string {
  const g = group === '' ? '(,"apiGroup":"")?' : `,"apiGroup":"${regexLiteral(group)}"`;
  const sub = subresource ? `,"subresource":"${subresource}"` : '';
  return `${resource}"(,"(namespace|name|uid)":"[^"]*")*${g}(,"(apiVersion|resourceVersion)":"[^"]*")*${sub}`;
}

const REFS: Record<Exclude<RoutineClass, 'health'>, string[]> = {
  leases: [ref('leases', 'coordination.k8s.io')],
  events: [ref('events', ''), ref('events', 'events.k8s.io')],
  reviews: [ref('tokenreviews', 'authentication.k8s.io'), ref('subjectaccessreviews', 'authorization.k8s.io')],
  'node-status': [ref('nodes', '', 'status')],
  'pod-status': [ref('pods', '', 'status')],
  endpoints: [ref('endpoints', ''), ref('endpointslices', 'discovery.k8s.io')],
};

/** Who may write each class routinely, as username and user-agent patterns of the components. */
const WRITERS: Array<{ users: string; agents: string; classes: RoutineClass[] }> = [
  {
    users: 'system:node:[^"]*',
    agents: 'kubelet',
    classes: ['leases', 'events', 'reviews', 'node-status', 'pod-status'],
  },
  {
    users: `system:kube-controller-manager|system:kube-scheduler|system:serviceaccount:kube-system:(${regexAnyOf(KUBE_CONTROLLERS)})`,
    agents: 'kube-controller-manager|kube-scheduler',
    classes: ['leases', 'events', 'reviews'],
  },
  { users: regexAnyOf(ENDPOINT_CONTROLLERS), agents: 'kube-controller-manager', classes: ['endpoints'] },
];

/** A `!~` filter that leaves the given routine classes out of a phase-1 query (none when no class has one). */
export function routineLineFilters(classes: readonly RoutineClass[]): LogQuery['lineFilters'] {
  const branches = WRITERS.flatMap((w) => {
    const refs = w.classes.filter((c) => classes.includes(c)).flatMap((c) => REFS[c as keyof typeof REFS]);
    return refs.length
      ? [`(${w.users})${USER_REST}(${w.agents})/[^"]*","objectRef":\\{"resource":"(${refs.join('|')})`]
      : [];
  });
  return branches.length ? [{ op: '!~', value: `${HEAD}(${branches.join('|')})${TAIL}` }] : [];
}

/** The classes Loki itself leaves out (health requests never reach phase 1: it asks for writes to resources). */
export function classesFilteredInLoki(classes: readonly RoutineClass[]): RoutineClass[] {
  return classes.filter((c) => c !== 'health');
}
