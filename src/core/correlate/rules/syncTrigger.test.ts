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

describe('sync-trigger rule, what a lone record says', () => {
  const started = `dana@example.org initiated sync to main (${SHA})`;

  it.each([
    [
      'a named user: argocd-server took the name from the session',
      argoLog(),
      1,
      `"${started}" at 2026-03-02T10:14:58Z: argocd-server names the user from the session`,
    ],
    [
      'the application controller',
      argoLog({ msg: `Initiated automated sync to '${SHA}'`, user: undefined }),
      1,
      `"Initiated automated sync to '${SHA}'" at 2026-03-02T10:14:58Z: an automated sync, started by the application controller, not by a person`,
    ],
    [
      'the controller, by the operation it initialised',
      argoLog({
        msg: `Initialized new operation: {&SyncOperation{Revision:${SHA},} { true} [] {0 nil}}`,
        user: undefined,
      }),
      1,
      `"Initialized new operation: {&SyncOperation{Revision:${SHA},} { true} [] {0 nil}}" at 2026-03-02T10:14:58Z: an automated sync, started by the application controller, not by a person`,
    ],
    [
      'the controller, naming itself in the operation',
      argoLog({
        msg: `Initialized new operation: {&SyncOperation{Revision:${SHA},} {argocd-application-controller true} [] {0 nil}}`,
        user: undefined,
      }),
      1,
      `"Initialized new operation: {&SyncOperation{Revision:${SHA},} {argocd-application-controller true} [] {0 nil}}" at 2026-03-02T10:14:58Z: an automated sync, started by the application controller, not by a person`,
    ],
    [
      'another automaton, by the name the operation gives',
      argoLog({
        msg: `Initialized new operation: {&SyncOperation{Revision:${SHA},} {applicationset-controller true} [] {0 nil}}`,
        user: undefined,
      }),
      1,
      `"Initialized new operation: {&SyncOperation{Revision:${SHA},} {applicationset-controller true} [] {0 nil}}" at 2026-03-02T10:14:58Z: an automated operation, started by ApplicationSet RollingSync, not by a person`,
    ],
    [
      'nobody: the record does not say, at half confidence',
      argoLog({
        msg: `Initialized new operation: {&SyncOperation{Revision:${SHA},} { false} [] {0 nil}}`,
        user: undefined,
      }),
      0.5,
      `"Initialized new operation: {&SyncOperation{Revision:${SHA},} { false} [] {0 nil}}" at 2026-03-02T10:14:58Z: the record does not say who started it`,
    ],
  ])('%s', (_, record, confidence, evidence) => {
    const t = trigger([record]);
    expect(t.hits.map((h) => [h.link.confidence, h.link.evidence])).toEqual([[confidence, [evidence]]]);
  });
});

describe('sync-trigger rule, records of the same operation', () => {
  // A rollback whose event names no user (argocd-server's "Unknown user").
  const anonymousRollback = () =>
    k8sEvent({ metadata: { annotations: { user: '' } }, message: 'Unknown user initiated rollback to 7' });

  it('a later record adds the commit and corroborates the user; each says how far apart it is', () => {
    const t = trigger([
      k8sEvent({ message: 'dana@example.org initiated sync to main', reason: 'OperationStarted' }),
      argoLog({ time: '2026-03-02T10:30:02Z' }),
    ]);
    expect(t.gitops).toMatchObject({ initiator: 'dana@example.org', commit: SHA, automated: false });
    expect(t.hits.map((h) => h.link.evidence)).toEqual([
      [
        `"dana@example.org initiated sync to main (${SHA})" at 2026-03-02T10:30:02Z`,
        'same app, 2 s apart',
        `revision ${SHA}`,
      ],
    ]);
  });

  it("a record of another operation's verb, or past the API window, adds nothing", () => {
    const rollback = k8sEvent();
    expect(trigger([rollback, argoLog({ time: '2026-03-02T10:30:02Z' })]).gitops.commit).toBeUndefined();
    const sync = k8sEvent({ message: 'dana@example.org initiated sync to main' });
    expect(trigger([sync, argoLog({ time: '2026-03-02T10:30:06Z' })]).gitops.commit).toBeUndefined();
    expect(trigger([sync, argoLog({ time: '2026-03-02T10:30:05Z' })]).gitops.commit).toBe(SHA);
  });

  it("an API call of another operation (a Sync call beside a rollback) is not this operation's", () => {
    const sync = apiCall({
      'grpc.method': 'Sync',
      msg: 'received unary call /application.ApplicationService/Sync',
      'grpc.request.content': JSON.stringify({ name: 'storefront' }),
    });
    const t = trigger([anonymousRollback(), sync]);
    expect(t.gitops.initiator).toBeUndefined();
    expect(t.hits.map((h) => h.cause.source)).toEqual(['argocd']);
  });

  it('the API call names the user only when no record did, and its kind of evidence says the call went through', () => {
    const t = trigger([anonymousRollback(), apiCall()]);
    expect(t.gitops.initiator).toBe('dana@example.org');
    expect(t.hits[0].link.evidence).toEqual([
      'argocd-server logged the Rollback call for storefront by dana@example.org (JWT claims)',
      'same app, 1 s apart',
      'the call is logged before the RBAC check: this operation is what confirms it went through',
      'started by dana@example.org',
    ]);
  });
});

describe('sync-trigger rule, windows and revisions', () => {
  it('a rollback to a revision that is no commit (a chart version) sets the revision, not the commit', () => {
    const t = trigger([k8sEvent(), statusWrite([{ id: 7, revision: '1.4.2' }])]);
    expect(t.gitops).toMatchObject({ revision: '1.4.2', historyId: 7 });
    expect(t.gitops.commit).toBeUndefined();
    const multi = trigger([k8sEvent(), statusWrite([{ id: 7, revision: `${SHA},1.4.2` }])]);
    expect(multi.gitops.commit).toBe(`${SHA},1.4.2`);
  });

  it('the result counts within the sync window after the start, not later', () => {
    const start = argoLog({ msg: `Initiated automated sync to '${SHA}'`, user: undefined });
    const result = (time: string) => argoLog({ msg: `Sync operation to ${SHA} failed`, user: undefined, time });
    expect(trigger([start, result('2026-03-02T10:24:58Z')]).gitops.phase).toBe('Failed');
    expect(trigger([start, result('2026-03-02T10:24:59Z')]).gitops.phase).toBeUndefined();
  });

  it('an operation write counts from the write window before the start to the skew after it', () => {
    const write = (time: string) =>
      appOperationWrite('eve@example.org', { sync: { revision: SHA } }, { requestReceivedTimestamp: time });
    const start = argoLog({ msg: `Initiated automated sync to '${SHA}'`, user: undefined });
    const by = (time: string) => trigger([start, write(time)]).gitops.initiator;
    expect(by('2026-03-02T10:13:58.000000Z')).toBe('eve@example.org');
    expect(by('2026-03-02T10:13:57.000000Z')).toBeUndefined();
    expect(by('2026-03-02T10:15:00.000000Z')).toBe('eve@example.org');
    expect(by('2026-03-02T10:15:01.000000Z')).toBeUndefined();
    const person = trigger([start, write('2026-03-02T10:14:00.000000Z')]);
    expect(person.hits[0].link.evidence).toEqual([
      'eve@example.org wrote the operation of Application storefront at 2026-03-02T10:14:00Z, 58 s before it started',
      'the write set the operation directly',
    ]);
    expect(person.gitops).toMatchObject({ automated: false });
    expect(person.gitops.automation).toBeUndefined();
  });
});
