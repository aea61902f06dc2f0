import { kubeAudit, rancherAudit, roleBindingUpdate } from '../../../../tests/support/builders';
import { eventAt, eventsOf, ruleContext } from '../../../../tests/support/correlate';
import { findRbacContext } from './rbacContext';

const CONTROLLER = 'system:serviceaccount:argocd:argocd-application-controller';
const effect = (over: Record<string, unknown> = {}) =>
  kubeAudit({
    verb: 'delete',
    user: { username: CONTROLLER, groups: ['system:serviceaccounts'] },
    requestReceivedTimestamp: '2026-03-02T10:10:00.000000Z',
    ...over,
  });
const binding = roleBindingUpdate;

function context(records: object[]) {
  const events = eventsOf(records);
  return findRbacContext(eventAt(events, 1), ruleContext(events));
}

describe('rbac-context rule', () => {
  it('finds a binding change whose subjects include the acting service account', () => {
    const [c] = context([
      effect(),
      binding({}, [{ kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' }]),
    ]);
    expect(c.confidence).toBe(1);
    expect(c.evidence).toEqual([
      'rancher-admin updated rolebindings argocd/argocd-admin at 2026-03-02T10:00:00Z, 10 min before',
      'its subjects include ServiceAccount argocd/argocd-application-controller',
    ]);
  });

  it('matches users and groups of a person', () => {
    const person = effect({ user: { username: 'dana@example.org', groups: ['platform'] } });
    expect(context([person, binding({}, [{ kind: 'User', name: 'dana@example.org' }])])[0].evidence[1]).toBe(
      'its subjects include User dana@example.org'
    );
    expect(context([person, binding({}, [{ kind: 'Group', name: 'platform' }])])[0].evidence[1]).toBe(
      'its subjects include Group platform, a group of dana@example.org'
    );
  });

  it('without a recorded body, a binding in the service account namespace is reported with lower confidence', () => {
    const [c] = context([effect(), binding()]);
    expect(c.confidence).toBe(0.5);
    expect(c.evidence[1]).toContain('not recorded (Metadata-level audit); it is in argocd');
  });

  // The same binding change through Rancher's proxy: Rancher records no body, kube-apiserver (here) does.
  const throughRancher = rancherAudit({
    requestURI: '/k8s/clusters/c-m-7xk2q/apis/rbac.authorization.k8s.io/v1/namespaces/argocd/rolebindings/argocd-admin',
    method: 'PUT',
    requestTimestamp: '2026-03-02T11:00:00+01:00',
    responseTimestamp: '2026-03-02T11:00:00+01:00',
  });

  it("a Rancher record without body is decided by its kube-apiserver twin's subjects", () => {
    const other = binding({}, [{ kind: 'User', name: 'kim' }]);
    expect(context([effect(), throughRancher, other])).toEqual([]);
    const granted = binding({}, [
      { kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' },
    ]);
    const hits = context([effect(), throughRancher, granted]);
    expect(hits.map((h) => [h.event.source, h.confidence])).toEqual([['kube-audit', 1]]);
  });

  it('a Rancher record without body and without a twin is reported with lower confidence', () => {
    const [c, ...rest] = context([effect(), throughRancher]);
    expect(rest).toEqual([]);
    expect([c.event.source, c.confidence]).toEqual(['rancher-audit', 0.5]);
    expect(c.evidence[1]).toContain('it is in argocd');
  });

  it.each([
    ['other subject', binding({}, [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'argocd' }])],
    ['other namespace, no body', binding({ objectRef: { namespace: 'payments', name: 'payments-admin' } })],
    [
      'outside the look-back',
      binding({ requestReceivedTimestamp: '2026-02-28T10:00:00.000000Z' }, [
        { kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' },
      ]),
    ],
    [
      'after the change',
      binding({ requestReceivedTimestamp: '2026-03-02T10:11:00.000000Z' }, [
        { kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' },
      ]),
    ],
    ['other user', binding({}, [{ kind: 'User', name: 'someone-else' }])],
  ])('near miss: %s', (_, rb) => {
    expect(context([effect(), rb])).toEqual([]);
  });
});

describe('rbac-context rule, grants, groups, limits and order', () => {
  const SA = [{ kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' }];
  const at = (i: number) => `2026-03-02T09:${String(i).padStart(2, '0')}:00.000000Z`;
  /** A binding change of `name` in `namespace` at `time`, with the body's subjects when given. */
  const bindingOf = (name: string, time: string, subjects?: object[], namespace = 'argocd') =>
    binding(
      {
        auditID: `rb-${namespace}-${name}`,
        requestReceivedTimestamp: time,
        objectRef: { namespace, name },
        requestURI: `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings/${name}`,
      },
      subjects
    );
  const many = (n: number, subjects: object[]) =>
    Array.from({ length: n }, (_, i) => bindingOf(`b-${i}`, at(i), subjects));

  it('a create, update or patch naming the identity grants it; a delete, a guess or a group-wide binding does not', () => {
    const grants = (rb: object, person = false) =>
      context([
        person ? effect({ user: { username: 'dana@example.org', groups: ['system:authenticated'] } }) : effect(),
        rb,
      ]).map((h) => h.grants);
    expect(grants(binding({ verb: 'create' }, SA))).toEqual([true]);
    expect(grants(binding({ verb: 'patch' }, SA))).toEqual([true]);
    expect(grants(binding({}, SA))).toEqual([true]);
    expect(grants(binding({ verb: 'delete' }, SA))).toEqual([false]);
    expect(grants(binding())).toEqual([false]);
    expect(grants(binding({}, [{ kind: 'Group', name: 'system:authenticated' }]), true)).toEqual([false]);
  });

  it.each([
    'system:authenticated',
    'system:unauthenticated',
    'system:serviceaccounts',
    'system:cattle:authenticated',
    'system:serviceaccounts:argocd',
  ])('a binding of %s, a group every such account is in: only the latest, with how many there were', (group) => {
    const acting = effect({ user: { username: CONTROLLER, groups: [group] } });
    const hits = context([acting, ...many(3, [{ kind: 'Group', name: group }])]);
    expect(hits.map((h) => [h.event.target.name, h.grants, h.evidence.slice(1)])).toEqual([
      [
        'b-2',
        false,
        [
          `its subjects include Group ${group}, a group of ${CONTROLLER}`,
          `the latest of 3 changes binding Group ${group} (every such account) in the look-back`,
        ],
      ],
    ]);
    // One such binding is just that binding.
    expect(context([acting, ...many(1, [{ kind: 'Group', name: group }])])[0].evidence).toHaveLength(2);
  });

  it("an ordinary group's bindings are each listed, and grant", () => {
    const person = effect({ user: { username: 'dana@example.org', groups: ['platform'] } });
    const hits = context([person, ...many(2, [{ kind: 'Group', name: 'platform' }])]);
    expect(hits.map((h) => [h.event.target.name, h.grants, h.evidence.length])).toEqual([
      ['b-1', true, 2],
      ['b-0', true, 2],
    ]);
  });

  it(`lists at most ten, the most recent first, and counts the rest in the last`, () => {
    const hits = context([effect(), ...many(13, SA)]);
    expect(hits.map((h) => h.event.target.name)).toEqual([
      'b-12',
      'b-11',
      'b-10',
      'b-9',
      'b-8',
      'b-7',
      'b-6',
      'b-5',
      'b-4',
      'b-3',
    ]);
    expect(hits.slice(0, 9).every((h) => h.evidence.length === 2)).toBe(true);
    expect(hits[9].evidence[2]).toBe('3 more RBAC changes granting this identity are not listed');
    expect(context([effect(), ...many(10, SA)]).every((h) => h.evidence.length === 2)).toBe(true);
  });

  it('named grants before guesses, guesses before group-wide bindings, whatever their times', () => {
    const acting = effect({ user: { username: CONTROLLER, groups: ['system:serviceaccounts'] } });
    const wide = bindingOf('wide', at(50), [{ kind: 'Group', name: 'system:serviceaccounts' }]);
    const guess = bindingOf('guess', at(40));
    const named = bindingOf('named', at(1), SA);
    expect(context([acting, wide, guess, named]).map((h) => [h.event.target.name, h.confidence])).toEqual([
      ['named', 1],
      ['guess', 0.5],
      ['wide', 1],
    ]);
  });

  it("without a body, a binding elsewhere whose name carries the account's namespace (or, for a short one, its name)", () => {
    const elsewhere = (name: string) => bindingOf(name, '2026-03-02T10:00:00.000000Z', undefined, 'kube-system');
    const [c] = context([effect(), elsewhere('argocd-extra')]);
    expect(c.evidence[1]).toBe(
      'its body was not recorded (Metadata-level audit); its name argocd-extra mentions argocd, as the acting ServiceAccount argocd/argocd-application-controller does'
    );
    expect(context([effect(), elsewhere('payments-admin')])).toEqual([]);
    const shortNs = effect({ user: { username: 'system:serviceaccount:ci:deployer-bot', groups: [] } });
    expect(context([shortNs, elsewhere('deployer-rights')])[0].evidence[1]).toContain('mentions deployer');
    expect(context([shortNs, elsewhere('ci-rights')])).toEqual([]);
    const tiny = effect({ user: { username: 'system:serviceaccount:ci:bot-x', groups: [] } });
    expect(context([tiny, elsewhere('bot-rights')])).toEqual([]);
  });

  it("a person's change without a body is no guess: only a service account has a namespace to match", () => {
    const person = effect({ user: { username: 'dana@example.org', groups: [] } });
    expect(context([person, binding()])).toEqual([]);
  });

  it("Rancher's twin is the same change only within the skew and a second, with the same verb and object", () => {
    const rancher = (time: string, method = 'PUT') =>
      rancherAudit({
        requestURI:
          '/k8s/clusters/c-m-7xk2q/apis/rbac.authorization.k8s.io/v1/namespaces/argocd/rolebindings/argocd-admin',
        method,
        requestTimestamp: time,
        responseTimestamp: time,
      });
    const kube = binding({}, SA);
    const sources = (r: object) =>
      context([effect(), r, kube])
        .map((h) => h.event.source)
        .sort();
    expect(sources(rancher('2026-03-02T11:00:03+01:00'))).toEqual(['kube-audit']);
    expect(sources(rancher('2026-03-02T11:00:04+01:00'))).toEqual(['kube-audit', 'rancher-audit']);
    expect(sources(rancher('2026-03-02T10:59:57+01:00'))).toEqual(['kube-audit']);
    expect(sources(rancher('2026-03-02T11:00:00+01:00', 'DELETE'))).toEqual(['kube-audit', 'rancher-audit']);
  });
});
