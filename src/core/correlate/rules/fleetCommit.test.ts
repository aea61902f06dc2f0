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

// The agent's helmdeployer line for the release it installs, just before it reports the deployment.
const helmLine = (over: Record<string, unknown> = {}) => ({
  level: 'info',
  ts: '2026-03-02T12:01:05Z',
  logger: 'bundledeployment.helm-deployer.install',
  msg: 'Upgrading helm release',
  controllerGroup: 'fleet.cattle.io',
  BundleDeployment: { name: 'payments-api', namespace: 'cluster-fleet-default-prod-eu-1f2e3d4c5b6a' },
  commit: COMMIT,
  ...over,
});
const OTHER = '1111111111111111111111111111111111111111';

describe('fleet-commit rule, every piece of evidence', () => {
  // The reconciler's change of a BundleDeployment that carries no commit label.
  const unlabelled = bundleChange({
    commit: undefined,
    bundledeployment: { metadata: { name: 'payments-api', labels: { 'fleet.cattle.io/repo-name': 'payments' } } },
  });
  it('says what each cause is, in order: the BundleDeployment change, the agent install, the new commit, the edit', () => {
    const t = fleet([fleetDeployed(), bundleChange(), helmLine(), newCommit, gitRepoEdit()]);
    expect(t.hits.map((h) => [h.link.confidence, ...h.link.evidence])).toEqual([
      [
        1,
        'the bundle reconciler updated BundleDeployment payments-api 27 s before it was deployed',
        `its fleet.cattle.io/commit label is ${COMMIT}`,
        'from GitRepo payments',
      ],
      [
        1,
        `the Fleet agent logged "Upgrading helm release" for BundleDeployment payments-api at 2026-03-02T12:01:05Z with commit ${COMMIT}`,
      ],
      [1, `GitRepo payments got commit ${COMMIT} at 2026-03-02T12:00:20Z`],
      [
        0.9,
        'kim updated GitRepo fleet-default/payments at 2026-03-02T12:00:00Z, 67 s before the deployment',
        'the edit set spec.forceSyncGeneration=5',
      ],
    ]);
    expect(t.gitops.initiator).toBeUndefined();
  });

  it('a BundleDeployment change with no commit label: the commit comes from the agent, then the repo', () => {
    const viaAgent = fleet([fleetDeployed(), unlabelled, helmLine({ commit: OTHER }), newCommit]);
    expect(viaAgent.hits[0].link.evidence[1]).toBe('it carries no commit label');
    expect(viaAgent.gitops.commit).toBe(OTHER);
    // The repo's commit that is not the one installed is not a cause.
    expect(viaAgent.hits.map((h) => h.cause.gitops?.commit)).toEqual([undefined, OTHER]);
    const viaRepo = fleet([fleetDeployed(), unlabelled, newCommit]);
    expect(viaRepo.gitops).toMatchObject({ commit: COMMIT, app: 'payments' });
    expect(viaRepo.hits).toHaveLength(2);
  });

  it("the agent's line counts only for the same commit, not a dry run, and within the sync window", () => {
    const causes = (records: object[]) => fleet(records).hits.map((h) => h.cause.verb);
    expect(causes([fleetDeployed(), bundleChange(), helmLine({ commit: OTHER })])).toEqual(['update']);
    expect(causes([fleetDeployed(), bundleChange(), helmLine({ dryRun: true })])).toEqual(['update']);
    expect(causes([fleetDeployed(), bundleChange(), helmLine({ ts: '2026-03-02T11:50:00Z' })])).toEqual(['update']);
    expect(causes([fleetDeployed(), bundleChange(), helmLine({ ts: '2026-03-02T12:01:08Z' })])).toEqual([
      'update',
      'helm-upgrade',
    ]);
    expect(causes([fleetDeployed(), bundleChange(), helmLine({ ts: '2026-03-02T12:01:10Z' })])).toEqual(['update']);
    expect(fleet([fleetDeployed(), helmLine()]).gitops.commit).toBe(COMMIT);
  });

  it('of two commits of the repo, the one the BundleDeployment carries; with none carried, the newest', () => {
    const later = { ...newCommit, ts: '2026-03-02T12:00:50Z', newCommit: OTHER };
    const carried = fleet([fleetDeployed(), bundleChange(), newCommit, later]);
    expect(carried.hits.map((h) => h.cause.gitops?.commit)).toEqual([COMMIT, COMMIT]);
    expect(carried.hits[1].cause.time).toBe(Date.parse('2026-03-02T12:00:20Z'));
    const newest = fleet([fleetDeployed(), unlabelled, newCommit, later]);
    expect(newest.gitops.commit).toBe(OTHER);
  });

  it('an edit that does not say which fields changed is a weaker cause', () => {
    const t = fleet([fleetDeployed(), bundleChange(), gitRepoEdit({ requestBody: undefined })]);
    const edit = t.hits[t.hits.length - 1];
    expect(edit.link.confidence).toBe(0.7);
    expect(edit.link.evidence[1]).toBe('the audit record does not say which fields changed');
  });

  it('the latest of two edits by people is the trigger', () => {
    const t = fleet([
      fleetDeployed(),
      bundleChange(),
      gitRepoEdit({
        auditID: 'first-edit',
        requestTimestamp: '2026-03-02T12:59:00+01:00',
        user: { name: 'u-first', extra: { username: ['ana'], principalid: ['local://u-first'] } },
      }),
      gitRepoEdit(),
    ]);
    expect(t.edit?.actor.loginName).toBe('kim');
  });
});
