import {
  classifyActor,
  describeInitiator,
  isPerson,
  isRancherImpersonator,
  notAPersonPattern,
  parseServiceAccount,
} from './actor';

describe('classifyActor', () => {
  it.each([
    ['dana@example.org', {}, 'human'],
    ['kubernetes-admin', {}, 'human'],
    ['u-q8z3n', {}, 'human'],
    ['system:admin', {}, 'unknown'],
    ['system:anonymous', {}, 'anonymous'],
    ['someone', { groups: ['system:unauthenticated'] }, 'anonymous'],
    ['system:serviceaccount:shop:deployer', {}, 'serviceaccount'],
    ['system:serviceaccount:kube-system:replicaset-controller', {}, 'system'],
    ['system:serviceaccount:argocd:argocd-application-controller', {}, 'gitops-controller'],
    ['system:serviceaccount:cattle-fleet-system:fleet-agent', {}, 'gitops-controller'],
    ['system:serviceaccount:cattle-fleet-local-system:fleet-agent', {}, 'gitops-controller'],
    ['system:serviceaccount:ci:deployer', { userAgent: 'argocd-application-controller/v3.1.0' }, 'gitops-controller'],
    // A person's account claiming a controller's field manager or user agent stays a person (both are the client's words).
    ['dana@example.org', { fieldManager: 'argocd-controller' }, 'human'],
    ['dana@example.org', { userAgent: 'argocd-application-controller/v3.1.0' }, 'human'],
    ['system:serviceaccount:ci:deployer', { fieldManager: 'argocd-controller' }, 'gitops-controller'],
    ['system:node:worker-1', {}, 'system'],
    ['system:kube-controller-manager', {}, 'system'],
    // The elastic fixture's typo ("serviceaccounts") is not a service account name: it reads as a system identity.
    ['system:serviceaccounts:default:default', {}, 'system'],
    ['', {}, 'unknown'],
    // Issue 18: automata that must never read as a person.
    ['Unknown user', {}, 'unknown'],
    ['applicationset-controller', {}, 'gitops-controller'],
    ['kargo-controller', {}, 'gitops-controller'],
    ['proj:shop:ci-deployer', {}, 'gitops-controller'],
    ['system:serviceaccount:kargo:kargo-controller', {}, 'gitops-controller'],
    ['system:serviceaccount:argocd:argocd-applicationset-controller', {}, 'gitops-controller'],
    ['system:serviceaccount:cattle-fleet-system:fleet-controller', {}, 'gitops-controller'],
    ['system:serviceaccount:cattle-system:cattle', {}, 'serviceaccount'],
    ['system:serviceaccount:cattle-system:rancher', {}, 'serviceaccount'],
    ['system:serviceaccount:cert-manager:cert-manager-webhook', {}, 'serviceaccount'],
    ['system:serviceaccount:kube-system:generic-garbage-collector', {}, 'system'],
    ['system:serviceaccount:kube-system:horizontal-pod-autoscaler', {}, 'system'],
    ['system:serviceaccount:kube-system:cronjob-controller', {}, 'system'],
    ['eks:node-manager', {}, 'system'],
    ['aksService', {}, 'system'],
    ['u-7q2xk', { principalId: 'system://c-m-prod1' }, 'system'],
    ['u-7q2xk', { principalId: 'local://u-7q2xk' }, 'human'],
    ['ops-bot', { userAgent: 'kube-controller-manager/v1.31.2 (linux/amd64) kubernetes/5864a46' }, 'human'],
    ['ops-bot', { fieldManager: 'kubelet' }, 'human'],
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

describe('one decision of "is this a person"', () => {
  it('an initiator name is a person or an automation said in words', () => {
    expect(describeInitiator('dana@example.org')).toEqual({ person: true });
    expect(describeInitiator('kargo-controller')).toEqual({ person: false, automation: 'Kargo promotion' });
    expect(describeInitiator('applicationset-controller')).toEqual({
      person: false,
      automation: 'ApplicationSet RollingSync',
    });
    expect(describeInitiator('system:serviceaccount:argocd:argocd-application-controller')).toEqual({
      person: false,
      automation: 'auto-sync',
    });
    expect(describeInitiator('proj:shop:ci-deployer')).toEqual({
      person: false,
      automation: 'Argo CD project token proj:shop:ci-deployer',
    });
    expect(describeInitiator('Unknown user')).toEqual({
      person: false,
      automation: 'an unnamed caller (Argo CD: "Unknown user")',
    });
    expect(describeInitiator('system:serviceaccount:ci:deployer')).toEqual({
      person: false,
      automation: 'system:serviceaccount:ci:deployer',
    });
  });

  it("the alert filter's regex (anchored, as Loki matches labels) agrees with isPerson on every name", () => {
    const re = new RegExp(`^(?:${notAPersonPattern()})$`);
    const names = [
      'dana@example.org',
      'kubernetes-admin',
      'u-q8z3n',
      'system:admin',
      'system:anonymous',
      'system:node:worker-1',
      'system:serviceaccount:shop:deployer',
      'system:kube-controller-manager',
      'kube-apiserver-kubelet-client',
      'aksService',
      'eks:node-manager',
      'applicationset-controller',
      'kargo-controller',
      'proj:shop:ci-deployer',
      'my-system:admin-tool',
    ];
    expect(names.filter((n) => !re.test(n))).toEqual([
      'dana@example.org',
      'kubernetes-admin',
      'u-q8z3n',
      'my-system:admin-tool',
    ]);
    expect(names.filter((n) => isPerson(n))).toEqual([
      'dana@example.org',
      'kubernetes-admin',
      'u-q8z3n',
      'my-system:admin-tool',
    ]);
  });
});
