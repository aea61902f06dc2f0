import fc from 'fast-check';

import { buildChains, chainToJson, generate, parseLines, type ChainJson } from '..';
import { appOperationWrite, argoLog, kubeAudit } from '../../../tests/support/builders';
import { parseAll } from '../../../tests/support/parse';

/**
 * A wrong "who" is worse than unknown (issue 18): no chain may name an automaton as a person. The test of "not a
 * person" here is written out independently of core's classifier, from the identities Kubernetes, managed
 * clouds, Argo CD, Kargo and Rancher use for their own components.
 */
const AUTOMATON_NAMES = new Set([
  'applicationset-controller',
  'argocd-application-controller',
  'kargo-controller',
  'Unknown user',
  'aksService',
  'kube-apiserver-kubelet-client',
]);
function plainlyNotAPerson(name: string): boolean {
  return /^(system:|eks:|proj:)/.test(name) || AUTOMATON_NAMES.has(name);
}

/** Every way a chain can name a person: who, the initiator of its GitOps operation. */
function peopleNamed(c: ChainJson): string[] {
  return [c.who.kind === 'human' ? c.who.name : undefined, c.gitops?.initiator ?? undefined].filter(
    (n): n is string => n !== undefined
  );
}

const START = Date.UTC(2026, 2, 2, 10);

/**
 * A sync begun by `writer` writing Application storefront's `operation`, the controller's record of it (its
 * `initiatedBy` printed as `by`), and the Deployment the controller then patches.
 */
function syncStartedBy(writer: string, operation: Record<string, unknown>, by: string): object[] {
  return [
    appOperationWrite(writer, operation, {
      userAgent: 'client/v1',
      stageTimestamp: '2026-03-02T10:15:00.010000Z',
    }),
    argoLog({
      msg: `Initialized new operation: {&SyncOperation{Revision:main,} {${by}} [] {0 nil}}`,
      user: undefined,
      reason: undefined,
      time: '2026-03-02T10:15:01Z',
    }),
    kubeAudit({
      auditID: '9a1e0c7b-3d2f-4e5a-8b6c-7d8e9f0a1b2c',
      user: {
        username: 'system:serviceaccount:argocd:argocd-application-controller',
        groups: ['system:serviceaccounts'],
      },
      userAgent: 'argocd-application-controller/v3.1.8 (linux/amd64)',
      requestURI: '/apis/apps/v1/namespaces/shop/deployments/checkout?fieldManager=argocd-controller',
      requestReceivedTimestamp: '2026-03-02T10:15:04.000000Z',
      stageTimestamp: '2026-03-02T10:15:04.010000Z',
    }),
  ];
}

describe('no automaton is credited to a person', () => {
  it('over every generator scenario inside routine traffic, for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const g = generate({ scenarios: 'all', noiseEvents: 1_500, seed, start: START });
        const lines = [...g.records()].map((r) => ({ text: r.line }));
        const chains = buildChains(parseLines(lines).events).map(chainToJson);
        const wrong = chains.flatMap((c) => peopleNamed(c).filter(plainlyNotAPerson));
        expect(wrong).toEqual([]);
        // The auto-sync story (issue 18's report): an automated chain with no person at all.
        const billing = chains.filter((c) => c.gitops?.app === 'billing' && c.effect.target.resource === 'deployments');
        expect(
          billing.map((c) => [c.who.kind, c.gitops?.automated, c.gitops?.initiator, c.gitops?.automation])
        ).toEqual([['gitops-controller', true, null, 'auto-sync']]);
      }),
      { numRuns: 4 }
    );
  });

  // A sync an automaton starts by writing the Application's operation, whatever username it claims: the
  // deployment the controller then patches must never be a person's change.
  const automaton = fc.oneof(
    fc
      .tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,14}$/), fc.stringMatching(/^[a-z][a-z0-9-]{0,14}$/))
      .map(([ns, n]) => `system:serviceaccount:${ns}:${n}`),
    fc.stringMatching(/^[a-z0-9-]{1,12}$/).map((n) => `system:node:${n}`),
    fc.stringMatching(/^[a-z-]{1,16}$/).map((n) => `eks:${n}`),
    fc.constantFrom('system:kube-controller-manager', 'system:admin', 'aksService')
  );
  const claimed = fc.oneof(
    fc.constant(''),
    fc.emailAddress(),
    fc.constantFrom('admin', 'kargo-controller', 'applicationset-controller', 'Unknown user')
  );

  it('an operation written by any non-person identity, claiming any initiator, yields an automated chain', () => {
    fc.assert(
      fc.property(automaton, claimed, fc.boolean(), (writer, claim, automated) => {
        const initiatedBy = { ...(claim ? { username: claim } : {}), automated };
        const lines = syncStartedBy(writer, { initiatedBy, sync: { revision: 'main' } }, `${claim} ${automated}`);
        const chains = buildChains(parseAll(lines).events).map(chainToJson);
        const deployment = chains.find((c) => c.effect.target.resource === 'deployments');
        expect(deployment?.verdict).toBe('gitops-sync');
        expect(deployment?.who.kind).not.toBe('human');
        expect(deployment?.gitops).toMatchObject({ initiator: null, automated: true });
        expect(chains.flatMap(peopleNamed)).toEqual([]);
      }),
      { numRuns: 150 }
    );
  });

  it('while a person who writes the operation is still named (the kubectl door)', () => {
    const lines = syncStartedBy(
      'eve@example.org',
      { initiatedBy: { username: 'kargo-controller' }, sync: { revision: 'main' } },
      'kargo-controller false'
    );
    const deployment = buildChains(parseAll(lines).events)
      .map(chainToJson)
      .find((c) => c.effect.target.resource === 'deployments');
    expect(deployment?.who).toMatchObject({ name: 'eve@example.org', kind: 'human' });
    expect(deployment?.gitops).toMatchObject({ initiator: 'eve@example.org', automated: false, automation: null });
  });
});
