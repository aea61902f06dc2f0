import { appOperationWrite, appStatusWrite, argoLog, k8sEvent, kubeAudit } from '../../../../tests/support/builders';
import { eventAt, eventsOf, ruleContext } from '../../../../tests/support/correlate';
import { linkSyncTrigger } from './syncTrigger';

const SHA = '0f3c9a1d2b7e4c6a8f1e2d3c4b5a69788766554e';
const apiCall = (over: Record<string, unknown> = {}) => ({
  'grpc.method': 'Rollback',
  'grpc.request.claims': JSON.stringify({ iss: 'https://dex.example.org', sub: 'x', email: 'dana@example.org' }),
  'grpc.request.content': JSON.stringify({ name: 'storefront', id: 7 }),
  'grpc.service': 'application.ApplicationService',
  level: 'info',
  msg: 'received unary call /application.ApplicationService/Rollback',
  time: '2026-03-02T10:29:59Z',
  ...over,
});
const statusWrite = (history: object[], time = '2026-03-02T10:30:01.000000Z') =>
  appStatusWrite(history, { requestReceivedTimestamp: time });

function trigger(records: object[], n = 1) {
  const events = eventsOf(records);
  return linkSyncTrigger(eventAt(events, n), ruleContext(events));
}

describe('sync-trigger rule', () => {
  it('a user rollback: initiator from the event, corroborated by the API-call log, history id resolved to a revision', () => {
    const t = trigger([
      k8sEvent(),
      apiCall(),
      statusWrite([
        { id: 6, revision: 'aaa1111' },
        { id: 7, revision: SHA },
      ]),
    ]);
    expect(t.gitops).toMatchObject({
      tool: 'argocd',
      app: 'storefront',
      operation: 'rollback',
      historyId: 7,
      revision: SHA,
      commit: SHA,
      initiator: 'dana@example.org',
      automated: false,
    });
    expect(t.hits.map((h) => h.link.kind)).toEqual(['sync-trigger', 'sync-trigger']);
    expect(t.hits[0].link.evidence[0]).toBe(
      'argocd-server logged the Rollback call for storefront by dana@example.org (JWT claims)'
    );
    expect(t.hits[1].link.evidence[1]).toContain(`lists history id 7 = revision ${SHA}`);
  });

  it('an automated sync says it was automated, with its commit and result', () => {
    const t = trigger([
      argoLog({ msg: `Initiated automated sync to '${SHA}'`, user: undefined }),
      argoLog({ msg: `Sync operation to ${SHA} succeeded`, user: undefined, time: '2026-03-02T10:15:20Z' }),
    ]);
    expect(t.gitops).toMatchObject({ automated: true, commit: SHA, phase: 'Succeeded' });
    expect(t.hits[0].link.evidence[0]).toContain('an automated sync, started by the application controller');
  });

  it('a sync started by writing the Application operation with kubectl names the real writer', () => {
    const t = trigger([
      argoLog({
        msg: `Initialized new operation: {&SyncOperation{Revision:${SHA},} {mallory-claims false} [] {0 nil}}`,
        user: undefined,
        time: '2026-03-02T10:15:05Z',
      }),
      kubeAudit({
        level: 'Request',
        user: { username: 'eve@example.org' },
        requestURI: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/storefront',
        objectRef: { resource: 'applications', namespace: 'argocd', name: 'storefront', apiGroup: 'argoproj.io' },
        requestObject: { operation: { initiatedBy: { username: 'mallory-claims' }, sync: { revision: SHA } } },
        requestReceivedTimestamp: '2026-03-02T10:15:00.000000Z',
      }),
    ]);
    const write = t.hits.find((h) => h.cause.source === 'kube-audit');
    expect(write?.link.evidence).toEqual([
      'eve@example.org wrote the operation of Application storefront at 2026-03-02T10:15:00Z, 5 s before it started',
      'initiatedBy.username claims "mallory-claims": that field is whatever the writer put there',
    ]);
  });

  /** The audited write of the Application's operation by `username` (the sync part filled in). */
  const operationWrite = (
    username: string,
    userAgent: string,
    operation: object,
    time = '2026-03-02T10:15:00.000000Z'
  ) =>
    appOperationWrite(
      username,
      { sync: { revision: SHA }, ...operation },
      { userAgent, requestReceivedTimestamp: time }
    );
  const initialized = (by: string) =>
    argoLog({
      msg: `Initialized new operation: {&SyncOperation{Revision:${SHA},} {${by}} [] {0 nil}}`,
      user: undefined,
      time: '2026-03-02T10:15:01Z',
    });
  const CONTROLLER = 'system:serviceaccount:argocd:argocd-application-controller';
  const CONTROLLER_UA = 'argocd-application-controller/v3.1.8 (linux/amd64)';

  it.each([
    [
      'auto-sync: the application controller writes the operation itself',
      CONTROLLER,
      CONTROLLER_UA,
      { initiatedBy: { automated: true } },
      ' true',
      'auto-sync',
    ],
    [
      'self-heal: the controller writes it with an auto-heal attempt count',
      CONTROLLER,
      CONTROLLER_UA,
      { initiatedBy: { automated: true }, sync: { revision: SHA, autoHealAttemptsCount: 1 } },
      ' true',
      'self-heal',
    ],
    [
      'the ApplicationSet controller (RollingSync)',
      'system:serviceaccount:argocd:argocd-applicationset-controller',
      'argocd-applicationset-controller/v3.1.8',
      { initiatedBy: { username: 'applicationset-controller', automated: true } },
      'applicationset-controller true',
      'ApplicationSet RollingSync',
    ],
    [
      'Kargo, which names itself with automated: false',
      'system:serviceaccount:kargo:kargo-controller',
      'kargo/v1.8.2',
      { initiatedBy: { username: 'kargo-controller', automated: false } },
      'kargo-controller false',
      'Kargo promotion',
    ],
    [
      'any other account, whatever name it claims',
      'system:serviceaccount:ci:deployer',
      'curl/8.5.0',
      { initiatedBy: { username: 'dana@example.org', automated: false } },
      'dana@example.org false',
      'system:serviceaccount:ci:deployer',
    ],
  ])('%s: automated, no person, the automaton named', (_, user, ua, operation, by, automation) => {
    const t = trigger([initialized(by), operationWrite(user, ua, operation)]);
    expect(t.gitops.initiator).toBeUndefined();
    expect(t.gitops.automated).toBe(true);
    expect(t.gitops.automation).toBe(automation);
    expect(t.automaton).toEqual({ name: user, kind: user.includes(':ci:') ? 'serviceaccount' : 'gitops-controller' });
    const write = t.hits.find((h) => h.cause.source === 'kube-audit');
    expect(write?.link.evidence[1]).toBe(`${user} is an automaton (${automation}), not a person`);
  });

  it('a person who writes the operation outranks the name it claims, and the sync is theirs', () => {
    const t = trigger([
      initialized('kargo-controller false'),
      operationWrite('eve@example.org', 'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46', {
        initiatedBy: { username: 'kargo-controller' },
      }),
    ]);
    expect(t.gitops).toMatchObject({ initiator: 'eve@example.org', automated: false });
    expect(t.gitops.automation).toBeUndefined();
    expect(t.automaton).toBeUndefined();
  });

  it('argocd-server writing the operation defers to its own record of the session user', () => {
    const t = trigger([
      k8sEvent(),
      apiCall(),
      operationWrite(
        'system:serviceaccount:argocd:argocd-server',
        'argocd-server/v3.1.8',
        { initiatedBy: { username: 'dana@example.org' } },
        '2026-03-02T10:29:59.500000Z'
      ),
    ]);
    expect(t.gitops).toMatchObject({ initiator: 'dana@example.org', automated: false });
    expect(t.automaton).toBeUndefined();
    // The write was seen (and is not what names the person): no hit claims argocd-server as the initiator.
    expect(t.hits.map((h) => h.cause.source)).not.toContain('kube-audit');
  });

  it.each([
    ['other app', [k8sEvent(), apiCall({ 'grpc.request.content': JSON.stringify({ name: 'cart', id: 7 }) })]],
    ['outside the window', [k8sEvent(), apiCall({ time: '2026-03-02T10:29:40Z' })]],
  ])('near miss: the API-call log of %s is not linked', (_, records) => {
    const t = trigger(records as object[]);
    expect(t.hits.every((h) => !h.cause.keys.apiCall)).toBe(true);
    expect(t.gitops.initiator).toBe('dana@example.org');
  });

  it('near miss: a history written for another app does not resolve the rollback', () => {
    const other = statusWrite([{ id: 7, revision: 'bbb2222' }]);
    (other as { objectRef: { name: string } }).objectRef.name = 'cart';
    const t = trigger([k8sEvent(), other]);
    expect(t.gitops.revision).toBeUndefined();
  });
});
