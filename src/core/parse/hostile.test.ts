import { k8sEvent, kubeAudit, roleBindingUpdate } from '../../../tests/support/builders';
import { parseAll, skipCounts } from '../../../tests/support/parse';
import { buildChains } from '../correlate/engine';
import { MAX_RBAC_CONTEXT } from '../correlate/rules/rbacContext';
import { classifyArgoMessage, MAX_MESSAGE_CHARS } from './argocdMessages';

/**
 * Denial of service by one Kubernetes user (issue 22), each at the size the attack review used. These assert the
 * answers, not the time: `npm run bench:hostile` prints the times for 10k and 100k lines against a baseline.
 */

describe('Argo CD messages are read in linear time', () => {
  const parens = ' ('.repeat(125_000);

  it('`Updated sync status: a -> ` + ` (`×125k reads as a status change', () => {
    expect(classifyArgoMessage(`Updated sync status: a -> ${parens}`)?.statusChange).toEqual({
      what: 'sync',
      from: 'a',
      to: parens,
    });
    expect(classifyArgoMessage(`Updated health status: a -> b${parens})`)?.statusChange).toEqual({
      what: 'health',
      from: 'a',
      to: 'b',
    });
    expect(classifyArgoMessage('Updated sync status: OutOfSync -> Synced (8a1c2b3)')?.statusChange?.to).toBe('Synced');
  });

  it('server actions with their words repeated do not rescan the message', () => {
    const msg = 'x patched resource '.repeat(1_500) + 'apps/Deployment';
    expect(classifyArgoMessage(msg)).toBeUndefined();
    expect(classifyArgoMessage(`${'a'.repeat(20_000)} patched resource apps/Deployment 'web'`)?.resource?.name).toBe(
      'web'
    );
  });

  it('an event with a message over the cap is a counted skip, not a slow line', () => {
    const s = parseAll([k8sEvent({ message: `Updated sync status: a -> ${parens}` })]);
    expect(s.events).toHaveLength(0);
    expect(skipCounts(s)).toEqual({ 'argocd:message-too-long': 1 });
    expect(s.skipped['argocd:message-too-long'].detail).toBe(`over ${MAX_MESSAGE_CHARS} characters`);
  });
});

it('40k lines sharing one Audit-ID: distinct requests kept apart, repeats counted as duplicates', () => {
  const n = 40_000;
  const lines = [];
  for (let i = 0; i < n; i++) {
    lines.push(
      kubeAudit({
        auditID: 'shared',
        verb: 'update',
        requestURI: `/api/v1/namespaces/shop/configmaps/c${i}`,
        objectRef: { resource: 'configmaps', namespace: 'shop', name: `c${i}`, apiGroup: undefined, apiVersion: 'v1' },
      })
    );
  }
  const repeats = 2_000;
  for (let i = 0; i < repeats; i++) {
    lines.push(kubeAudit({ auditID: 'again', stage: i % 2 ? 'ResponseComplete' : `Stage${i}` }));
  }
  const s = parseAll(lines);
  expect(s.events.filter((e) => e.keys.auditID === 'shared')).toHaveLength(n);
  expect(new Set(s.events.map((e) => e.id)).size).toBe(s.events.length);
  const again = s.events.filter((e) => e.keys.auditID === 'again');
  expect(again).toHaveLength(1);
  expect(again[0].stages?.length).toBe(8);
  expect(s.stats.duplicates).toBe(repeats - 8);
});

it('2,000 RoleBindings to system:authenticated: each chain names the latest with a count, not 2,000 entries', () => {
  const bindings = Array.from({ length: 2_000 }, (_, i) =>
    roleBindingUpdate(
      {
        auditID: `rb-${i}`,
        requestURI: `/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings/b${i}`,
        objectRef: { namespace: 'team', name: `b${i}` },
        requestReceivedTimestamp: `2026-03-02T09:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000000Z`,
      },
      [{ kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' }]
    )
  );
  const effects = Array.from({ length: 300 }, (_, i) =>
    kubeAudit({
      auditID: `w-${i}`,
      user: { username: `user${i}@example.org`, groups: ['system:authenticated'] },
      requestReceivedTimestamp: '2026-03-02T10:15:30.000000Z',
      requestURI: `/apis/apps/v1/namespaces/shop/deployments/d${i}`,
      objectRef: { name: `d${i}` },
    })
  );
  const personal = roleBindingUpdate(
    { auditID: 'rb-personal', requestReceivedTimestamp: '2026-03-02T10:00:00.000000Z' },
    [{ kind: 'User', name: 'user7@example.org' }]
  );
  const chains = buildChains(parseAll([...bindings, ...effects, personal]).events);
  const seven = chains.find((c) => c.who.name === 'user7@example.org');
  const rbac = seven?.context.filter((c) => c.kind === 'rbac-context') ?? [];
  // The binding naming this person first, then one summary of the group-wide ones.
  expect(rbac.map((c) => c.event.target.name)).toEqual(['argocd-admin', 'b1999']);
  expect(rbac[1].evidence).toContain(
    'the latest of 2000 changes binding Group system:authenticated (every such account) in the look-back'
  );
  expect(chains.filter((c) => c.effect.verb === 'patch')).toHaveLength(300);
  expect(Math.max(...chains.map((c) => c.context.length))).toBeLessThanOrEqual(MAX_RBAC_CONTEXT);
  expect(JSON.stringify(seven).length).toBeLessThan(20_000);
});

it('a 6,000-deep body, bare and AKS-wrapped as an object, parses with bodies kept', () => {
  const depth = 6_000;
  const deep = `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
  const line = JSON.stringify(kubeAudit({ level: 'Request', verb: 'update' })).replace(
    /}$/,
    `,"requestObject":${deep}}`
  );
  const s = parseAll([line, `{"category":"kube-audit","properties":{"log":${line}}}`], { keepBodies: true });
  expect(skipCounts(s)).toEqual({});
  expect(s.events).toHaveLength(1);
  expect(JSON.stringify(s.events[0].body)).toContain('[omitted: nested too deep]');
});
