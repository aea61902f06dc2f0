import { fleetDeployed } from '../../../tests/support/builders';
import { parseAll, parseOne, skipCounts } from '../../../tests/support/parse';
import { sampleLines } from '../../../tests/support/shared';

describe('Fleet zap lines — our fixtures', () => {
  it('agent "Deployed bundle": the BundleDeployment, its objectset id and Helm release', () => {
    const e = parseOne(fleetDeployed());
    expect(e).toMatchObject({
      source: 'fleet',
      format: 'fleet/zap-json',
      verb: 'deploy',
      time: Date.UTC(2026, 2, 2, 12, 1, 7),
      actor: { name: 'system:serviceaccount:cattle-fleet-system:fleet-agent', kind: 'gitops-controller' },
      target: {
        apiGroup: 'fleet.cattle.io',
        resource: 'bundledeployments',
        namespace: 'cluster-fleet-default-prod-eu-1f2e3d4c5b6a',
        name: 'payments-api',
      },
      gitops: {
        tool: 'fleet',
        operation: 'deploy',
        app: 'payments-api',
        deploymentId: 's-1111aaaa:2222bbbb',
        release: 'payments/payments-api:12',
      },
      keys: {
        objectsetId: 'default-payments-api',
        deploymentId: 's-1111aaaa:2222bbbb',
        helmRelease: 'payments/payments-api',
      },
    });
  });

  it('bundle reconciler "Updated bundledeployment": commit and repo from the BundleDeployment labels', () => {
    const e = parseOne({
      level: 'info',
      ts: 1772452800.5,
      logger: 'bundle',
      msg: 'Updated bundledeployment',
      controller: 'bundle',
      controllerGroup: 'fleet.cattle.io',
      Bundle: { name: 'payments-api', namespace: 'fleet-default' },
      namespace: 'fleet-default',
      name: 'payments-api',
      gitrepo: 'payments',
      userID: 'u-q8z3n',
      bundledeployment: {
        metadata: {
          name: 'payments-api',
          namespace: 'cluster-fleet-default-prod-eu-1f2e3d4c5b6a',
          labels: {
            'fleet.cattle.io/commit': '9c8b7a6f5e4d3c2b1a0998877665544332211000',
            'fleet.cattle.io/repo-name': 'payments',
            'fleet.cattle.io/bundle-name': 'payments-api',
          },
        },
        spec: { deploymentID: 's-1111aaaa:2222bbbb' },
      },
    });
    expect(e).toMatchObject({
      verb: 'update',
      time: Date.UTC(2026, 2, 2, 12, 0, 0, 500),
      actor: { name: 'system:serviceaccount:cattle-fleet-system:fleet-controller' },
      gitops: {
        app: 'payments',
        commit: '9c8b7a6f5e4d3c2b1a0998877665544332211000',
        initiator: 'u-q8z3n',
        deploymentId: 's-1111aaaa:2222bbbb',
      },
      marks: { fleetCommit: '9c8b7a6f5e4d3c2b1a0998877665544332211000', fleetRepoName: 'payments' },
      keys: { objectsetId: 'default-payments-api' },
    });
  });

  it('gitjob "New commit from repository"', () => {
    const e = parseOne({
      level: 'info',
      ts: '2026-03-02T11:59:01Z',
      logger: 'gitjob',
      msg: 'New commit from repository',
      GitRepo: { name: 'payments', namespace: 'fleet-default' },
      newCommit: 'abc1234def',
    });
    expect(e).toMatchObject({
      verb: 'commit',
      target: { resource: 'gitrepos', name: 'payments' },
      gitops: { commit: 'abc1234def' },
    });
  });

  it('other reconciler lines are counted skips', () => {
    const s = parseAll([
      {
        level: 'info',
        ts: '2026-03-02T11:59:01Z',
        logger: 'gitjob',
        msg: 'Reconciling GitRepo',
        controllerGroup: 'fleet.cattle.io',
        generation: 3,
      },
    ]);
    expect(skipCounts(s)).toEqual({ 'fleet:not-a-change': 1 });
  });
});

describe('Fleet — real samples', () => {
  it('fleet#3489: agent "Deployed bundle"', () => {
    const lines = sampleLines('issue_fleet_3489.txt');
    // Expected values come from the sample's own fields, so its identifiers are not copied into this repo.
    const raw = JSON.parse(lines[0].text) as {
      ts: string;
      name: string;
      namespace: string;
      release: string;
      DeploymentID: string;
    };
    const release = raw.release.slice(0, raw.release.lastIndexOf(':'));
    const e = parseOne(lines);
    expect(e).toMatchObject({
      verb: 'deploy',
      time: Date.parse(raw.ts),
      target: { namespace: raw.namespace, name: raw.name },
      gitops: { release: raw.release, deploymentId: raw.DeploymentID },
      keys: { objectsetId: `default-${raw.name}`, helmRelease: release },
    });
    // The release has the `name/name:revision` shape the parser splits.
    expect(raw.release).toMatch(/^[\w-]+\/[\w-]+:\d+$/);
  });

  it('rancher#52771: the "Updated bundledeployment" excerpt is cut mid-line: counted as truncated', () => {
    const s = parseAll(sampleLines('issue_rancher_52771.txt'));
    expect(s.events).toHaveLength(0);
    expect(s.skipped['truncated-json'].count).toBe(1);
  });

  it('fleet#1488 is a YAML excerpt (GitRepo labels), not a log: every line is an unknown-format skip', () => {
    const s = parseAll(sampleLines('issue_fleet_1488.txt'));
    expect(skipCounts(s)).toEqual({ 'unknown-format': 4 });
  });
});
