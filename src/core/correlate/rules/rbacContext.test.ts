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
