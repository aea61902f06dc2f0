import { argoLog } from '../../../tests/support/builders';
import { parseAll, parseOne, skipCounts } from '../../../tests/support/parse';
import { sampleLines } from '../../../tests/support/shared';

const SHA = '0f3c9a1d2b7e4c6a8f1e2d3c4b5a69788766554e';

describe('Argo CD log lines — our fixtures', () => {
  it('JSON event-logger line of a user sync: initiator, app, destination, commit', () => {
    const e = parseOne(argoLog());
    expect(e).toMatchObject({
      source: 'argocd',
      format: 'argocd/json',
      verb: 'sync',
      time: Date.UTC(2026, 2, 2, 10, 14, 58),
      actor: { name: 'dana@example.org', kind: 'human', loginName: 'dana@example.org' },
      target: {
        apiGroup: 'argoproj.io',
        resource: 'applications',
        kind: 'Application',
        namespace: 'argocd',
        name: 'storefront',
      },
      gitops: {
        tool: 'argocd',
        operation: 'sync',
        app: 'storefront',
        appNamespace: 'argocd',
        revision: 'main',
        commit: SHA,
        initiator: 'dana@example.org',
        automated: false,
        destNamespace: 'shop',
        destServer: 'https://kubernetes.default.svc',
      },
      keys: { app: 'argocd/storefront' },
    });
  });

  it('text (logfmt) controller line of an automated sync', () => {
    const e = parseOne(
      `time="2026-03-02T10:20:00Z" level=info msg="Initiated automated sync to '${SHA}'" application=storefront app-namespace=argocd dest-namespace=shop dest-server="https://kubernetes.default.svc" reason=OperationStarted type=Normal`
    );
    expect(e).toMatchObject({
      format: 'argocd/text',
      verb: 'sync',
      actor: { name: 'argocd-application-controller', kind: 'gitops-controller' },
      gitops: { automated: true, commit: SHA, app: 'storefront', destNamespace: 'shop' },
    });
    expect(e.gitops?.initiator).toBeUndefined();
  });

  it('a failed sync is a failure outcome with the controller message', () => {
    const e = parseOne(
      argoLog({
        msg: `Sync operation to ${SHA} failed: rolebindings.rbac.authorization.k8s.io "argocd-admin" is forbidden`,
        user: undefined,
        reason: 'OperationCompleted',
        type: 'Warning',
      })
    );
    expect(e).toMatchObject({
      verb: 'sync-failed',
      outcome: { status: 'failure' },
      gitops: { phase: 'Failed', commit: SHA },
    });
    expect(e.actor.kind).toBe('gitops-controller');
  });

  it('argocd-server API call log: the user from JWT claims, the app and revision from the request', () => {
    const line = {
      'grpc.code': 'OK',
      'grpc.method': 'Sync',
      'grpc.request.claims': JSON.stringify({
        iss: 'https://dex.example.org',
        sub: 'CgVkYW5h',
        email: 'dana@example.org',
        groups: ['platform'],
      }),
      'grpc.request.content': JSON.stringify({
        name: 'storefront',
        revision: SHA,
        prune: true,
        appNamespace: 'argocd',
      }),
      'grpc.service': 'application.ApplicationService',
      level: 'info',
      msg: 'received unary call /application.ApplicationService/Sync',
      time: '2026-03-02T10:14:57Z',
    };
    const e = parseOne(line);
    // Logged before the RBAC check: alone, an attempt (the operation that follows confirms it).
    expect(e).toMatchObject({
      verb: 'attempt:sync',
      actor: { name: 'dana@example.org', kind: 'human' },
      gitops: {
        app: 'storefront',
        appNamespace: 'argocd',
        commit: SHA,
        initiator: 'dana@example.org',
        automated: false,
      },
      keys: { apiCall: 'Sync' },
    });
    const local = parseOne({ ...line, 'grpc.request.claims': JSON.stringify({ iss: 'argocd', sub: 'ci-bot:apiKey' }) });
    expect(local.gitops?.initiator).toBe('ci-bot');
    const rollback = parseOne({
      ...line,
      msg: 'received unary call /application.ApplicationService/Rollback',
      'grpc.request.content': JSON.stringify({ name: 'storefront', id: 7 }),
    });
    expect(rollback).toMatchObject({ verb: 'attempt:rollback', gitops: { historyId: 7 } });
  });

  it('read-only API calls and progress lines are counted skips', () => {
    const s = parseAll([
      argoLog({
        msg: 'received unary call /application.ApplicationService/Get',
        'grpc.service': 'application.ApplicationService',
      }),
      argoLog({ msg: 'Refreshing app status (spec changed), level (3)' }),
      argoLog({ msg: 'admin initiated sync to HEAD', time: 'soon' }),
    ]);
    expect(skipCounts(s)).toEqual({
      'argocd:read-only-call': 1,
      'argocd:not-a-change': 1,
      'argocd:invalid-timestamp': 1,
    });
  });
});

describe('Argo CD log lines — real samples', () => {
  it('argo-cd#21502 (JSON, kubectl logs prefix): app-qualified names and an empty revision', () => {
    const s = parseAll(sampleLines('issue_argocd_21502.txt'));
    expect(skipCounts(s)).toEqual({ 'argocd:not-a-change': 2 });
    const [op, done] = [
      s.events.find((e) => e.verb === 'operation'),
      s.events.find((e) => e.verb === 'sync-succeeded'),
    ];
    expect(op).toMatchObject({
      time: Date.UTC(2025, 0, 15, 14, 37, 58),
      gitops: { app: 'accounting-svc-app', appNamespace: 'argo', project: 'services', phase: 'Succeeded' },
    });
    expect(done).toMatchObject({
      actor: { kind: 'gitops-controller' },
      outcome: { status: 'success' },
      gitops: {
        app: 'accounting-svc-app',
        destNamespace: 'services',
        destServer: 'https://kubernetes.default.svc',
        message: 'Sync operation to  succeeded',
      },
    });
    expect(done?.gitops?.commit).toBeUndefined();
  });

  it('argo-cd#21858 (text, prefixed): the initiator of a new operation', () => {
    const s = parseAll(sampleLines('issue_argocd_21858.txt'));
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject({
      format: 'argocd/text',
      gitops: {
        app: 'argocd-demo-full-apply',
        appNamespace: 'argocd',
        initiator: 'msw-kialo',
        automated: false,
        commit: '7092c17b0b89fefcfc7b705bc94bf44d5fc4e368',
        project: 'default',
      },
    });
    expect(skipCounts(s)).toEqual({ 'argocd:not-a-change': 2 });
  });

  it('argo-cd#5592 (text): automated syncs and a health change', () => {
    const lines = sampleLines('issue_argocd_5592.txt');
    const s = parseAll(lines);
    // The commit the sample's syncs name, read from its own text.
    const commit = /\b[0-9a-f]{40}\b/.exec(lines.map((l) => l.text).join('\n'))?.[0];
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    const syncs = s.events.filter((e) => e.verb === 'sync');
    expect(syncs).toHaveLength(2);
    for (const e of syncs) {
      expect(e.gitops).toMatchObject({
        app: 'test-application',
        automated: true,
        commit,
      });
    }
    expect(syncs[0].gitops?.destNamespace ?? syncs[1].gitops?.destNamespace).toBe('test-application');
    expect(s.events.find((e) => e.verb === 'status')?.keys.statusChange).toBe('health:Degraded->Healthy');
  });
});
