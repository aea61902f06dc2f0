import type { ChangeEvent } from '../../model';
import { describeDelta } from '../options';
import { at, closest, hit, objectName, type LinkHit, type RuleContext, type RuleInfo } from '../rule';

export const gitopsApplyRule: RuleInfo = {
  kind: 'gitops-apply',
  summary:
    'a write by the Argo CD application controller ⇄ the sync/rollback of the app that owns the object (tracking-id / instance label, else the app deploying to that namespace) whose window contains the write; a write by fleet-agent ⇄ the BundleDeployment deployed right after it (objectset id, Helm release, else release namespace)',
};

const START_OPERATIONS = new Set(['sync', 'partial-sync', 'sync-locally', 'rollback']);

function isArgoWrite(e: ChangeEvent): boolean {
  return (
    /(^|:)argocd-application-controller$/.test(e.actor.name) ||
    (e.userAgent?.startsWith('argocd-application-controller/') ?? false) ||
    e.marks?.fieldManager === 'argocd-controller'
  );
}

function isFleetWrite(e: ChangeEvent): boolean {
  return /(^|:)fleet-agent$/.test(e.actor.name) || /^fleet-?agent\//.test(e.userAgent ?? '');
}

/** The app named by the object's own tracking marks, and how we know. */
function ownerFromMarks(e: ChangeEvent): { app: string; how: string } | undefined {
  const id = e.marks?.argocdTrackingId;
  if (id) {
    return { app: id.split(':')[0], how: `the object's argocd.argoproj.io/tracking-id is ${id}` };
  }
  if (e.marks?.instanceLabel) {
    return {
      app: e.marks.instanceLabel,
      how: `the object's app.kubernetes.io/instance label is ${e.marks.instanceLabel}`,
    };
  }
  return undefined;
}

/**
 * The operation of `app` (or of any app deploying to the namespace) running at `t`: the latest start before
 * the write whose result, if logged, did not end before the write.
 */
function runningOperation(
  starts: ChangeEvent[],
  results: ChangeEvent[],
  t: number,
  slackMs: number
): ChangeEvent | undefined {
  const latest = starts[starts.length - 1];
  if (!latest) {
    return undefined;
  }
  const ended = results.some(
    (r) =>
      r.gitops?.app === latest.gitops?.app &&
      (r.time as number) >= (latest.time as number) &&
      (r.time as number) < t - slackMs
  );
  return ended ? undefined : latest;
}

/**
 * A dry run writes nothing, so it explains no write. The server's "initiated sync" message does not say it was
 * one; the controller's "Initialized new operation" (`DryRun:true`) and the API call (`dryRun: true`) do.
 */
function isDryRun(start: ChangeEvent, ix: RuleContext['ix'], opts: RuleContext['opts']): boolean {
  if (start.gitops?.dryRun) {
    return true;
  }
  const t = start.time as number;
  const app = start.gitops?.app;
  const near = [
    ...ix.argoByApp.between(app, t - opts.apiCallWindowMs, t + opts.apiCallWindowMs),
    ...ix.argoApiByApp.between(app, t - opts.apiCallWindowMs, t + opts.apiCallWindowMs),
  ];
  // The record of the same operation is the nearest one of the same verb (a real sync may follow a dry run).
  const same = closest(
    near.filter((o) => o !== start && (o.keys.apiVerb ?? o.verb) === start.verb),
    t
  );
  return same?.gitops?.dryRun === true;
}

function linkArgo(e: ChangeEvent, { ix, opts }: RuleContext): LinkHit[] {
  const t = e.time as number;
  const from = t - opts.syncWindowMs;
  const to = t + opts.skewMs;
  const owner = ownerFromMarks(e);
  // Starts up to the write; results up to the end of the window, to tell how the operation ended.
  const ops = owner
    ? ix.argoByApp.between(owner.app, from, t + opts.syncWindowMs)
    : ix.argoByDestNs.between(e.target.namespace, from, t + opts.syncWindowMs);
  const starts = ops.filter(
    (o) => START_OPERATIONS.has(o.gitops?.operation ?? '') && (o.time as number) <= to && !isDryRun(o, ix, opts)
  );
  const results = ops.filter((o) => o.gitops?.operation === 'sync-result');
  const start = runningOperation(starts, results, t, opts.syncSlackMs);
  if (!start?.gitops) {
    return [];
  }
  const app = start.gitops.app ?? '?';
  const apps = new Set(starts.map((s) => s.gitops?.app));
  const result = results.find((r) => r.gitops?.app === app && (r.time as number) >= (start.time as number));
  const evidence = [
    `${objectName(e)} was written by the Argo CD application controller (${e.actor.name}${e.userAgent ? `, ${e.userAgent}` : ''})`,
    owner ? owner.how : `app ${app} deploys to namespace ${e.target.namespace}`,
    `during the ${start.gitops.operation} of ${app} that started ${describeDelta(t - (start.time as number))} before, at ${at(start.time)}: "${start.gitops.message ?? start.verb}"`,
  ];
  if (result) {
    evidence.push(
      `that operation ${result.gitops?.phase === 'Failed' ? 'failed' : 'ended'} at ${at(result.time)}: "${result.gitops?.message ?? ''}"`
    );
  }
  let confidence = owner ? 0.95 : 0.7;
  if (!owner && apps.size > 1) {
    confidence = 0.4;
    evidence.push(
      `other apps deploying to ${e.target.namespace} were also syncing: ${[...apps].filter((a) => a !== app).join(', ')}`
    );
  }
  return [hit('gitops-apply', e, start, confidence, evidence)];
}

function linkFleet(e: ChangeEvent, { ix, opts }: RuleContext): LinkHit[] {
  const t = e.time as number;
  // The agent logs "Deployed bundle" after applying: the deployment follows the write.
  const from = t - opts.skewMs;
  const to = t + opts.syncWindowMs;
  const tries: Array<[ChangeEvent[], number, string]> = [
    [
      ix.fleetDeployByObjectset.between(e.marks?.objectsetId ?? e.keys.objectsetId, from, to),
      0.95,
      `objectset.rio.cattle.io/id ${e.marks?.objectsetId ?? ''}`,
    ],
    [
      ix.fleetDeployByRelease.between(e.marks?.helmReleaseName, from, to),
      0.9,
      `Helm release ${e.marks?.helmReleaseName ?? ''}`,
    ],
    [
      ix.fleetDeployByReleaseNs.between(e.target.namespace, from, to),
      0.6,
      `release namespace ${e.target.namespace ?? ''}`,
    ],
  ];
  for (const [candidates, confidence, how] of tries) {
    const d = candidates[0];
    if (d) {
      return [
        hit('gitops-apply', e, d, confidence, [
          `${objectName(e)} was written by the Fleet agent (${e.actor.name})`,
          `BundleDeployment ${d.target.namespace ?? ''}/${d.target.name ?? ''} (release ${d.gitops?.release ?? '?'}) matches by ${how}`,
          `deployed ${describeDelta((d.time as number) - t)} after the write, at ${at(d.time)}`,
        ]),
      ];
    }
  }
  return [];
}

/** A GitOps controller's write ⇄ the operation that made it. */
export function linkGitopsApply(e: ChangeEvent, rc: RuleContext): LinkHit[] {
  if (e.time === undefined || e.actor.kind !== 'gitops-controller') {
    return [];
  }
  if (isFleetWrite(e)) {
    return linkFleet(e, rc);
  }
  return isArgoWrite(e) ? linkArgo(e, rc) : [];
}
