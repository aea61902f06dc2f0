import type { ChangeEvent, GitOpsRef } from '../../model';
import { describeDelta } from '../options';
import { at, hit, type LinkHit, type RuleContext, type RuleInfo } from '../rule';

export const fleetCommitRule: RuleInfo = {
  kind: 'fleet-commit',
  summary:
    "a Fleet deployment ⇄ the bundle reconciler's change of that BundleDeployment (its commit label) and the GitRepo's new commit, and ⇄ a person's edit of that GitRepo (forceSyncGeneration, paused, spec) within the Fleet look-back",
};

export interface FleetTrigger {
  hits: LinkHit[];
  gitops: GitOpsRef;
  /** The GitRepo edit by a person that started it, if any: its identity is resolved like any write's. */
  edit?: ChangeEvent;
}

/** What caused Fleet deployment `d`: commit, repo, and the person who edited the GitRepo. */
export function linkFleetCommit(d: ChangeEvent, { ix, opts }: RuleContext): FleetTrigger {
  const t = d.time as number;
  const from = t - opts.fleetLookbackMs;
  const hits: LinkHit[] = [];
  const out: GitOpsRef = {
    tool: 'fleet',
    operation: 'deploy',
    app: d.gitops?.app,
    deploymentId: d.gitops?.deploymentId,
    release: d.gitops?.release,
  };

  const changes = ix.fleetBundleByBd.between(d.target.name, from, t + opts.skewMs);
  const change = changes[changes.length - 1];
  if (change?.gitops) {
    out.app = change.gitops.app ?? out.app;
    out.commit = change.gitops.commit;
    out.initiator = change.gitops.initiator;
    hits.push(
      hit(
        'fleet-commit',
        d,
        change,
        1,
        [
          `the bundle reconciler ${change.verb}d BundleDeployment ${change.target.name ?? ''} ${describeDelta(t - (change.time as number))} before it was deployed`,
          change.gitops.commit
            ? `its fleet.cattle.io/commit label is ${change.gitops.commit}`
            : 'it carries no commit label',
          change.gitops.app ? `from GitRepo ${change.gitops.app}` : '',
        ].filter(Boolean)
      )
    );
  }

  // The agent names the commit it installs (helmdeployer/install.go) just before it reports the deployment.
  const installs = ix.fleetHelmByBd.between(d.target.name, t - opts.syncWindowMs, t + opts.skewMs);
  const install = [...installs].reverse().find((h) => h.gitops?.commit && !h.gitops.dryRun);
  if (install?.gitops?.commit && (!out.commit || out.commit === install.gitops.commit)) {
    out.commit ??= install.gitops.commit;
    hits.push(
      hit('fleet-commit', d, install, 1, [
        `the Fleet agent logged "${install.gitops.message ?? install.verb}" for BundleDeployment ${d.target.name ?? ''} at ${at(install.time)} with commit ${install.gitops.commit}`,
      ])
    );
  }

  const repo = out.app;
  const commits = ix.fleetCommitByRepo
    .between(repo, from, t + opts.skewMs)
    .filter((c) => c.gitops?.operation === 'commit');
  const commit = [...commits].reverse().find((c) => !out.commit || c.gitops?.commit === out.commit);
  if (commit?.gitops?.commit) {
    out.commit ??= commit.gitops.commit;
    hits.push(
      hit('fleet-commit', d, commit, 1, [
        `GitRepo ${repo ?? ''} got commit ${commit.gitops.commit} at ${at(commit.time)}`,
      ])
    );
  }

  // A person editing the GitRepo (force update, pause/unpause, spec) shortly before: the human behind the rollout.
  const edits = ix.gitRepoWrites
    .between(repo, from, t)
    // Only a person's edit explains a rollout; Rancher's and Fleet's own accounts write GitRepos too.
    .filter((w) => w.actor.kind === 'human');
  const edit = edits[edits.length - 1];
  if (edit) {
    const fields = Object.entries(edit.changedFields ?? {}).map(([k, v]) => `${k}=${v}`);
    hits.push(
      hit('fleet-commit', d, edit, fields.length > 0 ? 0.9 : 0.7, [
        `${edit.actor.loginName ?? edit.actor.name} ${edit.verb}d GitRepo ${edit.target.namespace ?? ''}/${edit.target.name ?? ''} at ${at(edit.time)}, ${describeDelta(t - (edit.time as number))} before the deployment`,
        fields.length > 0 ? `the edit set ${fields.join(', ')}` : 'the audit record does not say which fields changed',
      ])
    );
  }
  return { hits, gitops: out, edit };
}
