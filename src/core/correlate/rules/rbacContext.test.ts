import { kubeAudit, roleBindingUpdate } from '../../../../tests/support/builders';
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
