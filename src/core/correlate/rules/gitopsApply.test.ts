import { argoApiCall, argoLog, fleetDeployed, kubeAudit } from '../../../../tests/support/builders';
import { eventAt, eventsOf, ruleContext } from '../../../../tests/support/correlate';
import { linkGitopsApply } from './gitopsApply';

const SHA = '0f3c9a1d2b7e4c6a8f1e2d3c4b5a69788766554e';
const CONTROLLER = {
  username: 'system:serviceaccount:argocd:argocd-application-controller',
  groups: ['system:serviceaccounts'],
};

const syncStart = (over: Record<string, unknown> = {}) =>
  argoLog({ msg: `Initiated automated sync to '${SHA}'`, user: undefined, time: '2026-03-02T10:20:00Z', ...over });
const syncDone = (over: Record<string, unknown> = {}) =>
  argoLog({
    msg: `Sync operation to ${SHA} succeeded`,
    user: undefined,
    reason: 'OperationCompleted',
    time: '2026-03-02T10:20:30Z',
    ...over,
  });
const controllerWrite = (over: Record<string, unknown> = {}) =>
  kubeAudit({
    user: CONTROLLER,
    userAgent: 'argocd-application-controller/v3.1.8 (linux/amd64)',
    requestReceivedTimestamp: '2026-03-02T10:20:04.000000Z',
    ...over,
  });

function link(records: object[], n = 1) {
  const events = eventsOf(records);
  return linkGitopsApply(eventAt(events, n), ruleContext(events));
}

describe('gitops-apply rule — Argo CD', () => {
  it('links a controller write to the sync of the app deploying to that namespace, within its window', () => {
    const [h] = link([controllerWrite(), syncStart(), syncDone()]);
    expect(h.link).toMatchObject({ kind: 'gitops-apply', confidence: 0.7 });
    expect(h.cause.gitops).toMatchObject({ app: 'storefront', operation: 'sync', automated: true });
    expect(h.link.evidence[1]).toBe('app storefront deploys to namespace shop');
    expect(h.link.evidence[2]).toMatch(/^during the sync of storefront that started 4 s before/);
    expect(h.link.evidence[3]).toMatch(/^that operation ended at 2026-03-02T10:20:30Z/);
  });

  it('prefers the app named by the tracking annotation, with higher confidence', () => {
    const tracked = controllerWrite({
      level: 'RequestResponse',
      responseObject: {
        metadata: { annotations: { 'argocd.argoproj.io/tracking-id': 'storefront:apps/Deployment:shop/checkout' } },
      },
    });
    const [h] = link([tracked, syncStart(), syncStart({ application: 'other-app', time: '2026-03-02T10:20:02Z' })]);
    expect(h.link.confidence).toBe(0.95);
    expect(h.cause.gitops?.app).toBe('storefront');
  });

  it('lowers confidence and says so when several apps sync into the same namespace', () => {
    const [h] = link([
      controllerWrite(),
      syncStart(),
      syncStart({ application: 'cart', time: '2026-03-02T10:20:01Z' }),
    ]);
    expect(h.link.confidence).toBe(0.4);
    expect(h.link.evidence.at(-1)).toBe('other apps deploying to shop were also syncing: storefront');
  });

  it.each([
    ['other namespace', [controllerWrite(), syncStart({ 'dest-namespace': 'payments' })]],
    [
      'other app (tracking names another)',
      [
        controllerWrite({
          level: 'Request',
          requestObject: {
            metadata: { annotations: { 'argocd.argoproj.io/tracking-id': 'cart:apps/Deployment:shop/checkout' } },
          },
        }),
        syncStart(),
      ],
    ],
    [
      'outside the window: the sync ended before the write',
      [controllerWrite({ requestReceivedTimestamp: '2026-03-02T10:25:00.000000Z' }), syncStart(), syncDone()],
    ],
    [
      'outside the window: the sync started after the write',
      [controllerWrite(), syncStart({ time: '2026-03-02T10:21:00Z' })],
    ],
    ['a result with no start: nothing was running', [controllerWrite(), syncDone()]],
    [
      'other user: a person, not the controller',
      [kubeAudit({ requestReceivedTimestamp: '2026-03-02T10:20:04.000000Z' }), syncStart()],
    ],
  ])('near miss: %s', (_, records) => {
    expect(link(records as object[])).toEqual([]);
  });
});

describe('gitops-apply rule — Argo CD, what it says and which operation', () => {
  const START = `Initiated automated sync to '${SHA}'`;
  const WRITER =
    'deployments shop/checkout was written by the Argo CD application controller (system:serviceaccount:argocd:argocd-application-controller, argocd-application-controller/v3.1.8 (linux/amd64))';

  it('the whole evidence: the write, the app, the operation and how it ended', () => {
    const [h] = link([controllerWrite(), syncStart(), syncDone()]);
    expect(h.link.evidence).toEqual([
      WRITER,
      'app storefront deploys to namespace shop',
      `during the sync of storefront that started 4 s before, at 2026-03-02T10:20:00Z: "${START}"`,
      `that operation ended at 2026-03-02T10:20:30Z: "Sync operation to ${SHA} succeeded"`,
    ]);
    const [failed] = link([controllerWrite(), syncStart(), syncDone({ msg: `Sync operation to ${SHA} failed` })]);
    expect(failed.link.evidence[3]).toBe(
      `that operation failed at 2026-03-02T10:20:30Z: "Sync operation to ${SHA} failed"`
    );
    // No result logged: three sentences.
    expect(link([controllerWrite(), syncStart()])[0].link.evidence).toHaveLength(3);
  });

  it('the owner from the tracking id or the instance label, said as such', () => {
    const marked = (metadata: object) => controllerWrite({ level: 'RequestResponse', responseObject: { metadata } });
    const [byId] = link([
      marked({ annotations: { 'argocd.argoproj.io/tracking-id': 'storefront:apps/Deployment:shop/checkout' } }),
      syncStart(),
    ]);
    expect(byId.link.evidence[1]).toBe(
      "the object's argocd.argoproj.io/tracking-id is storefront:apps/Deployment:shop/checkout"
    );
    const [byLabel] = link([
      marked({ labels: { 'app.kubernetes.io/instance': 'storefront' } }),
      syncStart({ 'dest-namespace': 'elsewhere' }),
    ]);
    expect(byLabel.link).toMatchObject({ confidence: 0.95 });
    expect(byLabel.link.evidence[1]).toBe("the object's app.kubernetes.io/instance label is storefront");
  });

  it('of two syncs of the app, the latest that started before the write; a rollback is an operation too', () => {
    const [h] = link([
      controllerWrite(),
      syncStart({ time: '2026-03-02T10:19:00Z' }),
      syncStart({ msg: `Initiated automated sync to 'main'`, time: '2026-03-02T10:20:00Z' }),
    ]);
    expect(h.cause.gitops?.revision).toBe('main');
    const [rollback] = link([
      controllerWrite(),
      argoLog({ msg: 'dana@example.org initiated rollback to 7', time: '2026-03-02T10:20:00Z' }),
    ]);
    expect(rollback.cause.gitops?.operation).toBe('rollback');
    expect(rollback.link.evidence[2]).toMatch(/^during the rollback of storefront that started 4 s before/);
  });

  it('a result logged within the slack (30 s) before the write does not end the operation; earlier, it does', () => {
    const at = (t: string) => link([controllerWrite({ requestReceivedTimestamp: t }), syncStart(), syncDone()]);
    expect(at('2026-03-02T10:21:00.000000Z')).toHaveLength(1);
    expect(at('2026-03-02T10:21:00.001000Z')).toEqual([]);
  });

  it('a dry run explains no write: said by the controller, or by the API call of the same operation', () => {
    const initialized = (dryRun: boolean) =>
      argoLog({
        msg: `Initialized new operation: {&SyncOperation{Revision:${SHA},Prune:false,DryRun:${dryRun},SyncOptions:[],Resources:[],Source:nil,Manifests:[],SyncStrategy:nil,Sources:[],Revisions:[],} {dana@example.org false} [] {0 nil}}`,
        user: undefined,
        time: '2026-03-02T10:20:00Z',
      });
    expect(link([controllerWrite(), initialized(true)])).toEqual([]);
    expect(link([controllerWrite(), initialized(false)])).toHaveLength(1);
    // The server's message does not say; the API call of the same sync, a second before, does.
    const initiated = argoLog({
      msg: `dana@example.org initiated sync to main (${SHA})`,
      time: '2026-03-02T10:20:00Z',
    });
    const call = (dryRun: boolean) =>
      argoApiCall('Sync', { name: 'storefront', revision: 'main', dryRun }, undefined, {
        time: '2026-03-02T10:19:59Z',
      });
    expect(link([controllerWrite(), initiated, call(true)])).toEqual([]);
    expect(link([controllerWrite(), initiated, call(false)])).toHaveLength(1);
  });

  it('the controller is known by its user agent or field manager when the account is another', () => {
    const other = { username: 'system:serviceaccount:argocd:argocd-application-controller-shard-1', groups: [] };
    expect(link([controllerWrite({ user: other }), syncStart()])).toHaveLength(1);
    expect(
      link([
        controllerWrite({
          user: other,
          userAgent: 'kubectl/v1.31.0',
          requestURI: '/apis/apps/v1/namespaces/shop/deployments/checkout?fieldManager=argocd-controller',
        }),
        syncStart(),
      ])
    ).toHaveLength(1);
    expect(link([controllerWrite({ user: other, userAgent: 'kubectl/v1.31.0' }), syncStart()])).toEqual([]);
  });
});

describe('gitops-apply rule — what ends an operation; the Fleet agent by its user agent', () => {
  it("another app's result, or the result of an earlier operation, does not end the running one", () => {
    const write = controllerWrite({ requestReceivedTimestamp: '2026-03-02T10:25:00.000000Z' });
    const cartDone = syncDone({ application: 'cart' });
    expect(link([write, syncStart(), cartDone])[0].link.evidence).toHaveLength(3);
    const earlierDone = syncDone({ time: '2026-03-02T10:19:30Z' });
    const [h] = link([write, syncStart({ time: '2026-03-02T10:19:00Z' }), earlierDone, syncStart()]);
    expect(h.link.evidence).toHaveLength(3);
    expect(h.link.evidence[2]).toMatch(
      /^during the sync of storefront that started 5 min before, at 2026-03-02T10:20:00Z/
    );
  });

  it('the Fleet agent is known by its user agent when the account is another', () => {
    const write = (userAgent: string) =>
      kubeAudit({
        user: { username: 'system:serviceaccount:cattle-fleet-system:fleet-agent-prod', groups: [] },
        userAgent,
        requestReceivedTimestamp: '2026-03-02T12:01:05.000000Z',
        objectRef: { namespace: 'payments', name: 'payments-api' },
      });
    expect(link([write('fleetagent/v0.13.1'), fleetDeployed()])).toHaveLength(1);
    expect(link([write('fleet-agent/v0.12.0'), fleetDeployed()])).toHaveLength(1);
  });
});

describe('gitops-apply rule — the windows', () => {
  it('Argo CD: a start up to 10 min before the write, or up to the skew (2 s) after it', () => {
    const at = (t: string) => link([controllerWrite({ requestReceivedTimestamp: t }), syncStart()]);
    expect(at('2026-03-02T10:30:00.000000Z')).toHaveLength(1);
    expect(at('2026-03-02T10:30:00.001000Z')).toEqual([]);
    expect(at('2026-03-02T10:19:58.000000Z')).toHaveLength(1);
    expect(at('2026-03-02T10:19:57.999000Z')).toEqual([]);
  });

  it('Fleet: the deployment from the skew (2 s) before the write to 10 min after it', () => {
    const write = (t: string) =>
      kubeAudit({
        user: { username: 'system:serviceaccount:cattle-fleet-system:fleet-agent', groups: [] },
        requestReceivedTimestamp: t,
        objectRef: { namespace: 'payments', name: 'payments-api' },
      });
    const at = (t: string) => link([write(t), fleetDeployed()]);
    expect(at('2026-03-02T12:01:09.000000Z')).toHaveLength(1);
    expect(at('2026-03-02T12:01:09.001000Z')).toEqual([]);
    expect(at('2026-03-02T11:51:07.000000Z')).toHaveLength(1);
    expect(at('2026-03-02T11:51:06.999000Z')).toEqual([]);
  });
});

describe('gitops-apply rule — Fleet', () => {
  const agent = {
    username: 'system:serviceaccount:cattle-fleet-system:fleet-agent',
    groups: ['system:serviceaccounts'],
  };
  const write = (over: Record<string, unknown> = {}) =>
    kubeAudit({
      user: agent,
      userAgent: 'fleetagent/v0.13.1',
      requestReceivedTimestamp: '2026-03-02T12:01:05.000000Z',
      objectRef: { namespace: 'payments', name: 'payments-api' },
      ...over,
    });

  it('links a fleet-agent write to the deployment of its BundleDeployment by objectset id', () => {
    const marked = write({
      level: 'Request',
      requestObject: { metadata: { annotations: { 'objectset.rio.cattle.io/id': 'default-payments-api' } } },
    });
    const [h] = link([marked, fleetDeployed()]);
    expect(h.link).toMatchObject({ kind: 'gitops-apply', confidence: 0.95 });
    expect(h.link.evidence[1]).toContain('matches by objectset.rio.cattle.io/id default-payments-api');
  });

  it('matches a long BundleDeployment name by the hashed objectset id Fleet writes (64 characters and more)', () => {
    // A Bundle made by hand (not from a GitRepo, so its name is not cut to 53): `default-<name>` is 70 characters,
    // and the agent labels its objects with the 57-character cut and a hash (sha256sum of the whole id).
    const name = 'payments-api-team-storefront-europe-west-production-blue-green';
    const hashed = 'default-payments-api-team-storefront-europe-west-producti-161a2';
    const marked = write({
      level: 'Request',
      requestObject: { metadata: { annotations: { 'objectset.rio.cattle.io/id': hashed } } },
    });
    const deployed = fleetDeployed({ name, BundleDeployment: { name } });
    const [h] = link([marked, deployed]);
    expect(h.link).toMatchObject({ kind: 'gitops-apply', confidence: 0.95 });
    expect(h.link.evidence[1]).toContain(`matches by objectset.rio.cattle.io/id ${hashed}`);
    // The cut id alone, without the hash, is another object set.
    const other = write({
      level: 'Request',
      requestObject: { metadata: { annotations: { 'objectset.rio.cattle.io/id': `default-${name}` } } },
    });
    expect(link([other, deployed])[0]?.link.confidence).not.toBe(0.95);
  });

  it('falls back to the Helm release namespace with lower confidence', () => {
    const [h] = link([write(), fleetDeployed()]);
    expect(h.link.confidence).toBe(0.6);
  });

  it.each([
    ['other namespace', [write({ objectRef: { namespace: 'shop' } }), fleetDeployed()]],
    ['outside the window', [write({ requestReceivedTimestamp: '2026-03-02T11:40:00.000000Z' }), fleetDeployed()]],
  ])('near miss: %s', (_, records) => {
    expect(link(records as object[])).toEqual([]);
  });
  it('the Helm release name before the namespace; the evidence names the BundleDeployment and the delay', () => {
    const released = write({
      level: 'Request',
      requestObject: { metadata: { annotations: { 'meta.helm.sh/release-name': 'payments-api' } } },
    });
    const [h] = link([released, fleetDeployed()]);
    expect(h.link.confidence).toBe(0.9);
    expect(h.link.evidence).toEqual([
      'deployments payments/payments-api was written by the Fleet agent (system:serviceaccount:cattle-fleet-system:fleet-agent)',
      'BundleDeployment cluster-fleet-default-prod-eu-1f2e3d4c5b6a/payments-api (release payments/payments-api:12) matches by Helm release payments-api',
      'deployed 2 s after the write, at 2026-03-02T12:01:07Z',
    ]);
  });
});
