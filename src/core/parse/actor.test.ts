import { classifyActor, isRancherImpersonator, parseServiceAccount } from './actor';

describe('classifyActor', () => {
  it.each([
    ['dana@example.org', {}, 'human'],
    ['kubernetes-admin', {}, 'human'],
    ['u-q8z3n', {}, 'human'],
    ['system:admin', {}, 'human'],
    ['system:anonymous', {}, 'anonymous'],
    ['someone', { groups: ['system:unauthenticated'] }, 'anonymous'],
    ['system:serviceaccount:shop:deployer', {}, 'serviceaccount'],
    ['system:serviceaccount:kube-system:replicaset-controller', {}, 'system'],
    ['system:serviceaccount:argocd:argocd-application-controller', {}, 'gitops-controller'],
    ['system:serviceaccount:cattle-fleet-system:fleet-agent', {}, 'gitops-controller'],
    ['system:serviceaccount:cattle-fleet-local-system:fleet-agent', {}, 'gitops-controller'],
    ['system:serviceaccount:ci:deployer', { userAgent: 'argocd-application-controller/v3.1.0' }, 'gitops-controller'],
    ['dana@example.org', { fieldManager: 'argocd-controller' }, 'gitops-controller'],
    ['system:node:worker-1', {}, 'system'],
    ['system:kube-controller-manager', {}, 'system'],
    // The elastic fixture's typo ("serviceaccounts") is not a service account name: it reads as a system identity.
    ['system:serviceaccounts:default:default', {}, 'system'],
    ['', {}, 'unknown'],
  ])('%s %j → %s', (name, hints, kind) => {
    expect(classifyActor(name, hints)).toBe(kind);
  });

  it('recognises Rancher impersonation accounts of v2.6+ and v2.5', () => {
    expect(
      isRancherImpersonator('system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-lewztb6tti')
    ).toBe(true);
    expect(isRancherImpersonator('system:serviceaccount:cattle-system:kontainer-engine')).toBe(true);
    expect(isRancherImpersonator('system:serviceaccount:cattle-system:rancher')).toBe(false);
    expect(parseServiceAccount('system:serviceaccount:shop:web')).toEqual({ namespace: 'shop', name: 'web' });
    expect(parseServiceAccount('system:serviceaccount:broken')).toBeUndefined();
  });
});
