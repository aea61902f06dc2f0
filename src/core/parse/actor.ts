import type { ActorKind } from '../model';

/**
 * Who an identity is, from its name, groups, user agent and field manager alone.
 * GitOps controllers are recognised by service account (Argo CD application controller, Fleet agent and
 * controllers), by user agent (`argocd-application-controller/<version>`), or by the server-side-apply field
 * manager `argocd-controller` (log-formats.md §3.7, §4.5).
 */

const GITOPS_SERVICE_ACCOUNTS = new Set([
  'argocd-application-controller',
  'argocd-applicationset-controller',
  'fleet-agent',
  'fleet-controller',
  'fleet-controller-bootstrap',
  'gitjob',
  'helmops',
]);
const GITOPS_USER_AGENTS = /^(argocd-application-controller|argocd-applicationset-controller|fleet-agent|fleetagent)\//;
const GITOPS_FIELD_MANAGERS = new Set(['argocd-controller', 'fleet-agent', 'fleetagent']);

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

export function classifyActor(name: string, hints: IdentityHints = {}): ActorKind {
  if (name === '' || name === '<none>' || name === 'Unknown user') {
    // "Unknown user": argocd-server's text for a request without a session user (server/application/application.go).
    return 'unknown';
  }
  // Argo CD project-role tokens (`proj:<project>:<role>`, CI) and Kargo promotions (initiator `kargo-controller`).
  if (/^proj:[^:]+:[^:]+$/.test(name)) {
    return 'serviceaccount';
  }
  if (name === 'kargo-controller') {
    return 'gitops-controller';
  }
  if (name === 'system:anonymous' || hints.groups?.includes('system:unauthenticated')) {
    return 'anonymous';
  }
  if (hints.fieldManager && GITOPS_FIELD_MANAGERS.has(hints.fieldManager)) {
    return 'gitops-controller';
  }
  const sa = parseServiceAccount(name);
  if (sa) {
    if (GITOPS_SERVICE_ACCOUNTS.has(sa.name)) {
      return 'gitops-controller';
    }
    if (hints.userAgent && GITOPS_USER_AGENTS.test(hints.userAgent)) {
      return 'gitops-controller';
    }
    return sa.namespace === 'kube-system' ? 'system' : 'serviceaccount';
  }
  if (hints.userAgent && GITOPS_USER_AGENTS.test(hints.userAgent)) {
    return 'gitops-controller';
  }
  if (SYSTEM_USERS.has(name) || name.startsWith('system:node:') || hints.groups?.includes('system:nodes')) {
    return 'system';
  }
  // `system:admin` is the admin certificate people use (OpenShift, kubeadm-style setups): treat as a person.
  if (name.startsWith('system:') && name !== 'system:admin') {
    return 'system';
  }
  return 'human';
}
