import { fleetDeployed } from '../../../tests/support/builders';
import { eventsOf, ruleContext } from '../../../tests/support/correlate';
import { parseAll, parseOne, skipCounts, assertMutatedLinesAccounted } from '../../../tests/support/parse';
import { linkFleetCommit } from '../correlate/rules/fleetCommit';

/**
 * Fleet lines as its source writes them (rancher/fleet v0.9–v0.14): gitops/reconciler/gitjob_controller.go,
 * helmdeployer/install.go, controller/reconciler/bundle_controller.go, v0.10.0 pkg/git/poll/gitrepopolljob.go,
 * v0.9 agent bundledeployment controller (logrus text), cmd/debug.go (zap development = console encoder).
 */

const BD_NS = 'cluster-fleet-default-edge-7a8b9c0d1e2f';
const OLD = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
const NEW = 'f0e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d';
const gitjob = (over: object) => ({
  level: 'info',
  ts: '2026-03-04T07:00:15Z',
  logger: 'gitjob-reconciler',
  controller: 'gitrepo',
  controllerGroup: 'fleet.cattle.io',
  controllerKind: 'GitRepo',
  GitRepo: { name: 'storefront', namespace: 'fleet-default' },
  namespace: 'fleet-default',
  name: 'storefront',
  reconcileID: '0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a',
  generation: 3,
  commit: OLD,
  ...over,
});
const helmLine = (msg: string, over: object = {}) => ({
  level: 'info',
  ts: '2026-03-04T07:02:00Z',
  logger: 'bundledeployment.helm-deployer.install',
  msg,
  controller: 'bundledeployment',
  controllerGroup: 'fleet.cattle.io',
  controllerKind: 'BundleDeployment',
  BundleDeployment: { name: 'storefront-web', namespace: BD_NS },
  namespace: BD_NS,
  name: 'storefront-web',
  reconcileID: '5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
  commit: NEW,
  dryRun: false,
  ...over,
});

describe('Fleet lines in the wild', () => {
  it('"Failed to check for latest commit" carries the OLD commit: a failed check, not a new commit', () => {
    const e = parseOne(gitjob({ msg: 'Failed to check for latest commit', error: 'authentication required' }));
    expect(e).toMatchObject({
      verb: 'commit-check-failed',
      outcome: { status: 'failure' },
      target: { kind: 'GitRepo', namespace: 'fleet-default', name: 'storefront' },
      gitops: { app: 'storefront' },
      keys: { currentCommit: OLD },
    });
    expect(e.gitops?.commit).toBeUndefined();
  });

  it('the agent\'s "Installing/Upgrading helm release" lines carry the commit that reached the cluster', () => {
    for (const [msg, verb] of [
      ['Installing helm release', 'helm-install'],
      ['Upgrading helm release', 'helm-upgrade'],
    ]) {
      const e = parseOne(helmLine(msg));
      expect(e).toMatchObject({
        verb,
        actor: { name: 'system:serviceaccount:cattle-fleet-system:fleet-agent', kind: 'gitops-controller' },
        target: { kind: 'BundleDeployment', namespace: BD_NS, name: 'storefront-web' },
        gitops: { commit: NEW, phase: msg.split(' ')[0] },
      });
    }
    // ... and the deployment that follows names that commit, with the line that said so.
    const deployed = fleetDeployed({
      ts: '2026-03-04T07:02:03Z',
      BundleDeployment: { name: 'storefront-web', namespace: BD_NS },
      namespace: BD_NS,
      name: 'storefront-web',
    });
    const events = eventsOf([
      helmLine('Upgrading helm release'),
      helmLine('Upgrading helm release', { commit: OLD, dryRun: true, ts: '2026-03-04T07:02:01Z' }),
      deployed,
    ]);
    const d = events.find((e) => e.verb === 'deploy');
    const t = linkFleetCommit(d!, ruleContext(events));
    expect(t.gitops.commit).toBe(NEW);
    expect(t.hits[0].link.evidence[0]).toMatch(/Upgrading helm release.*storefront-web.*f0e1d2c3b4a5/);
  });

  it('v0.13+ `<Op> bundledeployment`: the name is a string and namespace/name repeat (the last is the BundleDeployment)', () => {
    const line =
      '{"level":"info","ts":"2026-03-04T07:01:00Z","logger":"bundle","msg":"Updated bundledeployment","controller":"bundle",' +
      '"controllerGroup":"fleet.cattle.io","controllerKind":"Bundle","Bundle":{"name":"storefront-web","namespace":"fleet-default"},' +
      '"namespace":"fleet-default","name":"storefront-web","reconcileID":"1c2d","gitrepo":"storefront","bundledeployment":"storefront-web",' +
      `"deploymentID":"s-9f8e7d:abcd","namespace":"${BD_NS}","name":"storefront-web","operation":"updated"}`;
    const e = parseOne(line);
    expect(e).toMatchObject({
      verb: 'update',
      target: { kind: 'BundleDeployment', namespace: BD_NS, name: 'storefront-web' },
      gitops: { operation: 'bundle-change', app: 'storefront' },
      keys: { objectsetId: 'default-storefront-web' },
    });
  });

  it('v0.10\'s poller: "new commit found" with the whole GitRepo object', () => {
    const e = parseOne({
      level: 'info',
      ts: '2024-05-06T10:00:00Z',
      logger: 'git-latest-commit-poll-watch',
      msg: 'new commit found',
      gitrepo: {
        metadata: { name: 'storefront', namespace: 'fleet-default' },
        spec: { repo: 'https://git.example.org/shop.git' },
        status: { commit: OLD },
      },
      commit: NEW,
    });
    expect(e).toMatchObject({
      verb: 'commit',
      gitops: { operation: 'commit', app: 'storefront', appNamespace: 'fleet-default', commit: NEW },
    });
  });

  it('agents before 0.10 (logrus text): Deploying bundle <ns>/<bundledeployment>', () => {
    const e = parseOne(`time="2025-01-09T11:22:33Z" level=info msg="Deploying bundle ${BD_NS}/storefront-web"`);
    expect(e).toMatchObject({
      format: 'fleet/logrus-text',
      verb: 'deploy',
      time: Date.UTC(2025, 0, 9, 11, 22, 33),
      actor: { name: 'system:serviceaccount:cattle-fleet-system:fleet-agent' },
      target: { kind: 'BundleDeployment', namespace: BD_NS, name: 'storefront-web' },
      keys: { objectsetId: 'default-storefront-web' },
    });
  });

  it('zap console encoding (debug): <time>\\tINFO\\t<logger>\\t<msg>\\t{json}', () => {
    const fields = JSON.stringify(helmLine('x')).replace(/,"(\w)/g, ', "$1');
    const e = parseOne(
      `2026-03-04T07:02:00.250Z\tINFO\tbundledeployment.helm-deployer.install\tInstalling helm release\t${fields}`
    );
    expect(e).toMatchObject({
      format: 'fleet/zap-console',
      verb: 'helm-install',
      time: Date.UTC(2026, 2, 4, 7, 2, 0, 250),
      gitops: { commit: NEW },
    });
    const s = parseAll([
      `2026-03-04T07:02:00.250Z\tINFO\tsetup\tstarting manager`,
      `2026-03-04T07:02:00.250Z\tINFO\tbundledeployment\tx\t{"a":`,
    ]);
    expect(skipCounts(s)).toEqual({ 'fleet:unknown-format': 1, 'fleet:invalid-json': 1 });
  });

  it('mutated lines of each new shape: an event or a counted skip, never a throw', () => {
    const seeds = [
      JSON.stringify(gitjob({ msg: 'Failed to check for latest commit' })),
      JSON.stringify(helmLine('Installing helm release')),
      `time="2025-01-09T11:22:33Z" level=info msg="Deploying bundle ${BD_NS}/storefront-web"`,
      `2026-03-04T07:02:00.250Z\tINFO\tbundledeployment.helm-deployer.install\tUpgrading helm release\t${JSON.stringify(helmLine('x'))}`,
      JSON.stringify({
        level: 'info',
        ts: '2024-05-06T10:00:00Z',
        logger: 'gitops',
        msg: 'new commit found',
        gitrepo: { metadata: { name: 'a' } },
        commit: NEW,
      }),
    ];
    assertMutatedLinesAccounted(seeds, 600);
  });
});
