import { classifyActor } from './actor';
import { parseProtoText } from './protoText';
import { argoApiCall, argoLog, kubeAudit } from '../../../tests/support/builders';
import { eventAt, eventsOf, ruleContext } from '../../../tests/support/correlate';
import { parseOne, assertMutatedLinesAccounted } from '../../../tests/support/parse';
import { linkGitopsApply } from '../correlate/rules/gitopsApply';

/**
 * Argo CD records as the writers' own source makes them (argo-cd v2.10 / v2.14 / v3.1): controller/appcontroller.go,
 * server/application/application.go, server/project/project.go, server/applicationset/applicationset.go,
 * util/grpc/logging.go, util/session/sessionmanager.go. Our own fixtures in each shape.
 */

const SHA = '5e1d0c9b8a7f6e5d4c3b2a1908f7e6d5c4b3a291';
const apiCall = (method: string, content: unknown, claims?: object) => argoApiCall(method, content, claims);

describe('Argo CD operations, named consistently', () => {
  it('the controller "Initialized new operation" of a SyncOperation reads as a sync, with its initiator', () => {
    const e = parseOne(
      argoLog({
        msg: `Initialized new operation: {&SyncOperation{Revision:${SHA},Prune:true,DryRun:false,SyncStrategy:nil,Resources:[]SyncOperationResource{},} {ravi@example.org false} [] {0 nil}}`,
        user: undefined,
        reason: undefined,
        type: undefined,
      })
    );
    expect(e).toMatchObject({
      verb: 'sync',
      actor: { name: 'argocd-application-controller', kind: 'gitops-controller' },
      gitops: { operation: 'sync', app: 'storefront', commit: SHA, initiator: 'ravi@example.org', automated: false },
    });
    expect(e.gitops?.dryRun).toBeUndefined();
  });

  it('a dry run is recognised (controller DryRun:true, API dryRun) and explains no write', () => {
    const dry = parseOne(
      argoLog({
        msg: `Initialized new operation: {&SyncOperation{Revision:HEAD,Prune:false,DryRun:true,SyncStrategy:nil,Resources:[]SyncOperationResource{},} {ravi@example.org false} [] {0 nil}}`,
        user: undefined,
      })
    );
    expect(dry.gitops).toMatchObject({ operation: 'sync', dryRun: true, initiator: 'ravi@example.org' });
    const api = parseOne(
      apiCall('Sync', { name: 'storefront', revision: 'HEAD', dryRun: true, appNamespace: 'argocd' })
    );
    expect(api.gitops).toMatchObject({ dryRun: true, app: 'storefront' });

    // The server message of a dry run does not say so; the API call next to it does: no gitops-apply link.
    const write = kubeAudit({
      user: { username: 'system:serviceaccount:argocd:argocd-application-controller', groups: [] },
      userAgent: 'argocd-application-controller/v3.1.8',
      requestReceivedTimestamp: '2026-03-02T10:14:59.500000Z',
    });
    const serverStart = argoLog({ msg: 'ravi@example.org initiated sync to HEAD', user: 'ravi@example.org' });
    const dryCall = { ...apiCall('Sync', { name: 'storefront', dryRun: true }), time: '2026-03-02T10:14:57.900Z' };
    const events = eventsOf([write, serverStart, dryCall]);
    expect(linkGitopsApply(eventAt(events, 1), ruleContext(events))).toEqual([]);
    const real = eventsOf([write, serverStart, { ...dryCall, 'grpc.request.content': '{"name":"storefront"}' }]);
    expect(linkGitopsApply(eventAt(real, 1), ruleContext(real))).toHaveLength(1);
  });

  it('Kargo promotions (initiator kargo-controller, automated false) are automation, not a person', () => {
    const e = parseOne(
      argoLog({
        msg: `Initialized new operation: {&SyncOperation{Revision:${SHA},Prune:false,DryRun:false,SyncStrategy:nil,Resources:[]SyncOperationResource{},} {kargo-controller false} [&Info{Name:kargo.akuity.io/promotion,Value:prod.01j2,}] {0 nil}}`,
        user: undefined,
      })
    );
    // Not a person, so not an initiator: the operation is automated, by Kargo (issue 18).
    expect(e.gitops).toMatchObject({ automation: 'Kargo promotion', automated: true });
    expect(e.gitops?.initiator).toBeUndefined();
    expect(classifyActor('kargo-controller')).toBe('gitops-controller');
  });

  it('"Sync operation failed: …" without "to <revision>" is a failed result', () => {
    const e = parseOne(
      argoLog({
        msg: 'Sync operation failed: one or more objects failed to apply, reason: ComparisonError',
        user: undefined,
      })
    );
    expect(e).toMatchObject({ verb: 'sync-failed', outcome: { status: 'failure' }, gitops: { phase: 'Failed' } });
    expect(e.gitops?.revision).toBeUndefined();
  });

  it("v2.10's controller writes the camelCase appNamespace key", () => {
    const e = parseOne({
      application: 'storefront',
      appNamespace: 'team-a',
      level: 'info',
      msg: `Sync operation to ${SHA} succeeded`,
      time: '2024-02-01T09:00:00Z',
    });
    expect(e.gitops).toMatchObject({ app: 'storefront', appNamespace: 'team-a', commit: SHA, phase: 'Succeeded' });
  });
});

describe('Argo CD identities', () => {
  it('"Unknown user" (no session user) is not a person and not an initiator', () => {
    const e = parseOne(argoLog({ msg: 'Unknown user initiated sync to HEAD', user: 'Unknown user' }));
    expect(e.actor).toMatchObject({ name: 'Unknown user', kind: 'unknown' });
    expect(e.gitops?.initiator).toBeUndefined();
  });

  it('a project token keeps its whole subject proj:<project>:<role> and is automation', () => {
    const e = parseOne(
      apiCall('Sync', { name: 'storefront' }, { iss: 'argocd', sub: 'proj:shop:ci-deployer', jti: 'a1' })
    );
    expect(e.actor).toMatchObject({ name: 'proj:shop:ci-deployer', kind: 'gitops-controller' });
    expect(e.gitops?.initiator).toBeUndefined();
    expect(e.gitops?.automation).toBe('Argo CD project token proj:shop:ci-deployer');
  });

  it('v3 SSO tokens without an email name the federated user id', () => {
    const e = parseOne(
      apiCall(
        'Sync',
        { name: 'storefront' },
        { iss: 'https://dex.example.org', sub: 'Cg1yYXZp', federated_claims: { user_id: 'ravi', connector_id: 'ldap' } }
      )
    );
    expect(e.gitops?.initiator).toBe('ravi');
  });
});

describe('argocd-server API-call lines', () => {
  it('text logs (default up to v2.14): grpc.request.content as proto text gives app, revision and dry run', () => {
    const line =
      'time="2026-03-03T08:00:00Z" level=info msg="received unary call /application.ApplicationService/Sync" grpc.method=Sync ' +
      'grpc.request.claims="{\\"email\\":\\"ravi@example.org\\",\\"iss\\":\\"https://sso.example.org\\"}" ' +
      'grpc.request.content="name:\\"storefront\\" revision:\\"v1.4.2\\" dryRun:false prune:true strategy:<apply:<force:false > > appNamespace:\\"argocd\\" " ' +
      'grpc.service=application.ApplicationService grpc.start_time="2026-03-03T08:00:00Z" span.kind=server system=grpc';
    const e = parseOne(line);
    expect(e).toMatchObject({
      format: 'argocd/text',
      verb: 'attempt:sync',
      actor: { name: 'ravi@example.org', kind: 'human' },
      gitops: {
        operation: 'api-call',
        app: 'storefront',
        appNamespace: 'argocd',
        revision: 'v1.4.2',
        initiator: 'ravi@example.org',
      },
      keys: { apiCall: 'Sync', apiVerb: 'sync' },
    });
  });

  it("Rollback's int64 id arrives as a JSON string", () => {
    const e = parseOne(apiCall('Rollback', { name: 'storefront', id: '3', appNamespace: 'argocd' }));
    expect(e).toMatchObject({ verb: 'attempt:rollback', gitops: { historyId: 3 } });
  });

  it('RunResourceActionV2 and PatchResource are writes on the named resource, not read-only calls', () => {
    const action = parseOne(
      apiCall('RunResourceActionV2', {
        name: 'storefront',
        namespace: 'shop',
        resourceName: 'checkout',
        version: 'v1',
        group: 'apps',
        kind: 'Deployment',
        action: 'restart',
      })
    );
    expect(action).toMatchObject({
      verb: 'attempt:action',
      target: { apiGroup: 'apps', kind: 'Deployment', resource: 'deployments', namespace: 'shop', name: 'checkout' },
      keys: { apiCall: 'RunResourceActionV2', action: 'restart' },
      actor: { name: 'ravi@example.org' },
    });
    const patch = parseOne(
      apiCall('PatchResource', {
        name: 'storefront',
        namespace: 'shop',
        resourceName: 'checkout',
        version: 'v1',
        group: 'apps',
        kind: 'Deployment',
        patch: '{"spec":{"replicas":5}}',
        patchType: 'application/merge-patch+json',
      })
    );
    expect(patch).toMatchObject({
      verb: 'attempt:patch',
      target: { name: 'checkout', namespace: 'shop' },
      gitops: { app: 'storefront' },
    });
  });

  it('the proto text reader: quoted escapes, nested messages skipped, first of repeated fields, no prototype keys', () => {
    expect(
      parseProtoText(
        'name:"a\\"b\\n" id:12 dryRun:true strategy:<hook:<force:true > > resources:<name:"x" > name:"second" __proto__:"p"'
      )
    ).toEqual(JSON.parse('{"name":"a\\"b\\n","id":"12","dryRun":true,"__proto__":"p"}'));
    expect(parseProtoText('name:"\\303\\251t\\303\\251"').name).toBe('\u00c3\u00a9t\u00c3\u00a9');
  });
});

describe('AppProject, project-token and ApplicationSet audit messages', () => {
  const audit = (over: object) => ({ level: 'info', time: '2026-03-03T09:00:00Z', type: 'Normal', ...over });
  it.each([
    [
      { msg: 'lee@example.org created project', project: 'payments', reason: 'ResourceCreated' },
      'create',
      'AppProject',
      'payments',
    ],
    [
      { msg: 'lee@example.org updated project', project: 'payments', reason: 'ResourceUpdated' },
      'update',
      'AppProject',
      'payments',
    ],
    [
      { msg: 'lee@example.org created token', project: 'payments', reason: 'ResourceCreated' },
      'create',
      'AppProject',
      'payments',
    ],
    [
      {
        msg: 'lee@example.org created ApplicationSet',
        name: 'shop-envs',
        reason: 'ResourceCreated',
        user: 'lee@example.org',
      },
      'create',
      'ApplicationSet',
      'shop-envs',
    ],
    [
      {
        msg: 'lee@example.org updated ApplicationSets spec',
        name: 'shop-envs',
        reason: 'ResourceUpdated',
        user: 'lee@example.org',
      },
      'update',
      'ApplicationSet',
      'shop-envs',
    ],
    [
      {
        msg: 'lee@example.org deleted ApplicationSets',
        name: 'shop-envs',
        reason: 'ResourceDeleted',
        user: 'lee@example.org',
      },
      'delete',
      'ApplicationSet',
      'shop-envs',
    ],
  ])('%j', (line, verb, kind, name) => {
    const e = parseOne(audit(line));
    expect(e).toMatchObject({
      verb,
      actor: { name: 'lee@example.org', kind: 'human' },
      target: { apiGroup: 'argoproj.io', kind, name },
    });
  });

  it('a project token creation says so', () => {
    const e = parseOne(audit({ msg: 'lee@example.org created token', project: 'payments', reason: 'ResourceCreated' }));
    expect(e.keys.action).toBe('created token');
  });
});

describe('every new Argo CD shape, mutated: an event or a counted skip, never a throw', () => {
  const seeds = [
    JSON.stringify(apiCall('Rollback', { name: 'storefront', id: '3' })),
    JSON.stringify(
      apiCall('RunResourceActionV2', { name: 's', kind: 'Deployment', resourceName: 'c', action: 'restart' })
    ),
    JSON.stringify(
      apiCall('Sync', 'name:"storefront" revision:"HEAD" dryRun:true', { iss: 'argocd', sub: 'proj:a:b' })
    ),
    JSON.stringify({
      level: 'info',
      msg: 'lee@example.org created project',
      project: 'payments',
      reason: 'ResourceCreated',
      type: 'Normal',
    }),
    JSON.stringify({
      level: 'info',
      msg: 'x updated ApplicationSets spec',
      name: 'shop',
      reason: 'ResourceUpdated',
      user: 'x',
    }),
    JSON.stringify({
      application: 'a',
      appNamespace: 'b',
      msg: 'Sync operation failed: boom',
      time: '2026-03-03T09:00:00Z',
    }),
    'time="2026-03-03T08:00:00Z" level=info msg="received unary call /application.ApplicationService/Sync" grpc.request.content="name:\\"s\\" dryRun:true strategy:<apply:<> >"',
  ];
  it('holds', () => {
    assertMutatedLinesAccounted(seeds, 600);
  });
});
