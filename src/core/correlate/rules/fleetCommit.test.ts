import { fleetDeployed, rancherAudit } from '../../../../tests/support/builders';
import { eventAt, eventsOf, ruleContext } from '../../../../tests/support/correlate';
import { linkFleetCommit } from './fleetCommit';

const COMMIT = '9c8b7a6f5e4d3c2b1a0998877665544332211000';
const bundleChange = (over: Record<string, unknown> = {}) => ({
  level: 'info',
  ts: '2026-03-02T12:00:40Z',
  logger: 'bundle',
  msg: 'Updated bundledeployment',
  controllerGroup: 'fleet.cattle.io',
  gitrepo: 'payments',
  commit: COMMIT,
  bundledeployment: {
    metadata: {
      name: 'payments-api',
      namespace: 'cluster-fleet-default-prod-eu-1f2e3d4c5b6a',
      labels: { 'fleet.cattle.io/commit': COMMIT, 'fleet.cattle.io/repo-name': 'payments' },
    },
  },
  ...over,
});
const newCommit = {
  level: 'info',
  ts: '2026-03-02T12:00:20Z',
  logger: 'gitjob',
  msg: 'New commit from repository',
  controllerGroup: 'fleet.cattle.io',
  GitRepo: { name: 'payments', namespace: 'fleet-default' },
  newCommit: COMMIT,
};
const gitRepoEdit = (over: Record<string, unknown> = {}) =>
  rancherAudit({
    requestURI: '/v1/fleet.cattle.io.gitrepos/fleet-default/payments',
    method: 'PUT',
    requestTimestamp: '2026-03-02T13:00:00+01:00',
    requestBody: { spec: { forceSyncGeneration: 5 } },
    ...over,
  });

function fleet(records: object[], n = 1) {
  const events = eventsOf(records);
  return linkFleetCommit(eventAt(events, n), ruleContext(events));
}

describe('fleet-commit rule', () => {
  it('a deployment ⇄ its BundleDeployment change (commit label), the new commit, and the person who forced the GitRepo', () => {
    const t = fleet([fleetDeployed(), bundleChange(), newCommit, gitRepoEdit()]);
    expect(t.gitops).toMatchObject({
      tool: 'fleet',
      app: 'payments',
      commit: COMMIT,
      operation: 'deploy',
      release: 'payments/payments-api:12',
    });
    expect(t.hits.map((h) => h.cause.source)).toEqual(['fleet', 'fleet', 'rancher-audit']);
    expect(t.hits[2].link.evidence).toEqual([
      'kim updated GitRepo fleet-default/payments at 2026-03-02T12:00:00Z, 67 s before the deployment',
      'the edit set spec.forceSyncGeneration=5',
    ]);
    expect(t.edit?.actor.loginName).toBe('kim');
  });

  it.each([
    [
      'other BundleDeployment',
      [
        fleetDeployed(),
        bundleChange({
          bundledeployment: { metadata: { name: 'cart-api', labels: { 'fleet.cattle.io/repo-name': 'cart' } } },
        }),
      ],
    ],
    ['outside the look-back', [fleetDeployed(), bundleChange({ ts: '2026-03-02T11:00:00Z' })]],
  ])('near miss: %s', (_, records) => {
    const t = fleet(records as object[]);
    expect(t.hits).toEqual([]);
    expect(t.gitops.commit).toBeUndefined();
  });

  it('near miss: an edit of another GitRepo, or too long before, is not the trigger', () => {
    expect(
      fleet([
        fleetDeployed(),
        bundleChange(),
        gitRepoEdit({ requestURI: '/v1/fleet.cattle.io.gitrepos/fleet-default/cart' }),
      ]).edit
    ).toBeUndefined();
    expect(
      fleet([fleetDeployed(), bundleChange(), gitRepoEdit({ requestTimestamp: '2026-03-02T12:00:00+01:00' })]).edit
    ).toBeUndefined();
  });

  it.each([
    ['the Fleet controller', 'system:serviceaccount:cattle-fleet-system:fleet-controller'],
    ["Rancher's own account", 'system:serviceaccount:cattle-system:rancher'],
    ['a Rancher system user (system:// principal)', 'u-sys7q2'],
  ])("a GitRepo write by %s is not a person's edit: the rollout is not credited to it", (_, name) => {
    const edit = gitRepoEdit({
      user: {
        name,
        group: ['system:authenticated'],
        extra: { principalid: [name.startsWith('u-') ? 'system://c-m-prod1' : `local://${name}`], username: [] },
      },
    });
    const t = fleet([fleetDeployed(), bundleChange(), newCommit, edit]);
    expect(t.edit).toBeUndefined();
    expect(t.gitops.initiator).toBeUndefined();
  });
});
