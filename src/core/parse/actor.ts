import type { ActorKind } from '../model';

/**
 * Who an identity is, from its name, groups, user agent and field manager alone — the one place that decides
 * whether an identity is a person (`isPerson`). Parsers, link rules, the alert catalog's "a person acted" filter,
 * frames and the panel all read `kind` from here; none keeps a list of its own.
 *
 * A wrong "who" is worse than unknown, so `human` is what is left when no rule says otherwise: not a service
 * account, not a `system:` user (nodes, control-plane certificates, `system:admin`), not a managed-Kubernetes
 * component user (`eks:*`, `aksService`), not a known controller by user agent or field manager, and not an
 * automation name a GitOps tool writes as an initiator (`applicationset-controller`, `kargo-controller`,
 * Argo CD's "Unknown user", project tokens `proj:<project>:<role>`).
 * GitOps controllers are recognised by service account (Argo CD application and ApplicationSet controllers, Fleet
 * agent and controllers, Kargo), by user agent (`argocd-application-controller/<version>`), or by the
 * server-side-apply field manager `argocd-controller` (log-formats.md §3.7, §4.5).
 */

const GITOPS_SERVICE_ACCOUNTS = new Set([
  'argocd-application-controller',
  'argocd-applicationset-controller',
  // Kargo promotes by writing an Argo CD Application's operation (kargo #3928).
  'kargo-controller',
  'fleet-agent',
  'fleet-controller',
  'fleet-controller-bootstrap',
  'gitjob',
  'helmops',
]);
const GITOPS_USER_AGENTS = /^(argocd-application-controller|argocd-applicationset-controller|fleet-agent|fleetagent)\//;
const GITOPS_FIELD_MANAGERS = new Set(['argocd-controller', 'fleet-agent', 'fleetagent']);

/**
 * Names GitOps tools write as the initiator of an operation when no person started it, with what started it in
 * words. Argo CD: the ApplicationSet controller's RollingSync sets `initiatedBy.username: applicationset-controller`
 * (`applicationset/controllers/applicationset_controller.go`, `syncApplication`); Kargo sets `kargo-controller`
 * (with `automated: false`); argocd-server writes "Unknown user" when the session has no user
 * (`server/application/application.go`, `logAppEvent`).
 */
const AUTOMATION_INITIATORS: ReadonlyMap<string, string> = new Map([
  ['applicationset-controller', 'ApplicationSet RollingSync'],
  ['argocd-applicationset-controller', 'ApplicationSet RollingSync'],
  ['kargo-controller', 'Kargo promotion'],
  ['argocd-application-controller', 'auto-sync'],
]);
/** Argo CD's word for "no user in the session": an unnamed caller, not a person's name. */
export const ARGOCD_UNKNOWN_USER = 'Unknown user';
/** Argo CD project tokens (`sub` = `proj:<project>:<role>`): CI automation, not a person. */
const PROJECT_TOKEN = /^proj:[^:]+:[^:]+$/;

// Control-plane identities that are never a person (certificate users of core components).
const SYSTEM_USERS = new Set([
  'system:kube-controller-manager',
  'system:kube-scheduler',
  'system:kube-proxy',
  'system:apiserver',
  'system:volume-scheduler',
  'system:aggregator',
  'system:kube-aggregator',
  'kube-apiserver-kubelet-client',
  'aksService',
]);

export interface IdentityHints {
  groups?: string[];
  userAgent?: string;
  fieldManager?: string;
  /** Rancher `extra.principalid`: `system://<cluster>` is a Rancher system account (cluster agents, pipelines). */
  principalId?: string;
}

const SA_PREFIX = 'system:serviceaccount:';

export function parseServiceAccount(name: string): { namespace: string; name: string } | undefined {
  if (!name.startsWith(SA_PREFIX)) {
    return undefined;
  }
  const colon = name.indexOf(':', SA_PREFIX.length);
  if (colon === -1 || name.indexOf(':', colon + 1) !== -1) {
    return undefined;
  }
  return { namespace: name.slice(SA_PREFIX.length, colon), name: name.slice(colon + 1) };
}

/** True for the Rancher impersonation accounts that proxy a Rancher user's request downstream (v2.6+ and 2.5). */
export function isRancherImpersonator(name: string): boolean {
  return (
    name.startsWith('system:serviceaccount:cattle-impersonation-system:cattle-impersonation-') ||
    name === 'system:serviceaccount:cattle-system:kontainer-engine'
  );
}

/**
 * Whether a request's own words (user agent, field manager) say a GitOps tool sent it. Never enough to make an
 * account a controller (a client can say anything); enough to keep its write in view (never routine).
 */
export function claimsGitopsTool(hints: Pick<IdentityHints, 'userAgent' | 'fieldManager'>): boolean {
  return (
    (hints.userAgent !== undefined && GITOPS_USER_AGENTS.test(hints.userAgent)) ||
    (hints.fieldManager !== undefined && GITOPS_FIELD_MANAGERS.has(hints.fieldManager))
  );
}

export function classifyActor(name: string, hints: IdentityHints = {}): ActorKind {
  // `system:admin` is a shared admin certificate (OpenShift, some installers): someone used it, but it names
  // nobody — unknown, never a person and never a controller. "Unknown user": argocd-server's text for a request
  // without a session user (server/application/application.go).
  if (name === '' || name === '<none>' || name === ARGOCD_UNKNOWN_USER || name === 'system:admin') {
    return 'unknown';
  }
  if (name === 'system:anonymous' || hints.groups?.includes('system:unauthenticated')) {
    return 'anonymous';
  }
  const sa = parseServiceAccount(name);
  if (sa) {
    if (GITOPS_SERVICE_ACCOUNTS.has(sa.name)) {
      return 'gitops-controller';
    }
    // The user agent and the field manager are the client's own words: they say which machine a service account
    // is, never that a person's account is a machine (`kubectl apply --field-manager=argocd-controller`).
    if (claimsGitopsTool(hints)) {
      return 'gitops-controller';
    }
    return sa.namespace === 'kube-system' ? 'system' : 'serviceaccount';
  }
  if (AUTOMATION_INITIATORS.has(name) || PROJECT_TOKEN.test(name)) {
    return 'gitops-controller';
  }
  if (
    SYSTEM_USERS.has(name) ||
    name.startsWith('system:') ||
    // EKS runs its managed components as `eks:*` users (`eks:node-manager`, `eks:certificate-controller`, …).
    name.startsWith('eks:') ||
    hints.groups?.includes('system:nodes') ||
    hints.principalId?.startsWith('system://')
  ) {
    return 'system';
  }
  return 'human';
}

/** True only for an identity that is a person by every rule above: the one test of "a person did it". */
export function isPerson(name: string, hints: IdentityHints = {}): boolean {
  return classifyActor(name, hints) === 'human';
}

/**
 * What an operation's initiator name says: a person, or the automation that started it, in words ("auto-sync",
 * "Kargo promotion", "ApplicationSet RollingSync", "Argo CD project token proj:shop:ci", "an unnamed caller").
 */
export function describeInitiator(name: string): { person: true } | { person: false; automation: string } {
  if (isPerson(name)) {
    return { person: true };
  }
  const automation = AUTOMATION_INITIATORS.get(parseServiceAccount(name)?.name ?? name);
  if (automation) {
    return { person: false, automation };
  }
  if (PROJECT_TOKEN.test(name)) {
    return { person: false, automation: `Argo CD project token ${name}` };
  }
  if (name === ARGOCD_UNKNOWN_USER) {
    return { person: false, automation: 'an unnamed caller (Argo CD: "Unknown user")' };
  }
  return { person: false, automation: name };
}

/**
 * The same rules as a LogQL regex over the audit user name (the alert rules' `actor` label): what can be told
 * from the name alone. Built from the lists above, so the alert filter and `isPerson` never disagree.
 */
export function notAPersonPattern(): string {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const prefixes = ['system:', 'eks:', 'proj:'];
  const exact = [...SYSTEM_USERS, ...AUTOMATION_INITIATORS.keys(), ARGOCD_UNKNOWN_USER].filter(
    (n) => !prefixes.some((p) => n.startsWith(p))
  );
  // `[\s\S]*`, not `.*`: Loki turns a label regex leg of a literal and `.*` into "contains", anchors lost
  // (loki v3.5.0 pkg/logql/log/filter.go simplifyConcat; loki issue #14433), so `oidc:system:alice` would be
  // taken for the control plane. This shape it leaves as an anchored regex.
  return [...prefixes.map((p) => `${escape(p)}[\\s\\S]*`), ...exact.map(escape)].join('|');
}

/** Rancher user ids: `u-xxxxx` (v2.1+) and `user-xxxxx` (v2.0). */
export const RANCHER_USER_ID = /^(?:u|user)-[a-z0-9]{5,}$/;
