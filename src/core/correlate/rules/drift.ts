import type { ChangeEvent } from '../../model';
import { objectKey } from '../eventIndex';
import { describeDelta } from '../options';
import { at, hit, objectName, type LinkHit, type RuleContext, type RuleInfo } from '../rule';

export const driftRule: RuleInfo = {
  kind: 'drift',
  summary:
    'a person writes an object a GitOps tool manages: the object carries Argo CD / Fleet / Helm ownership marks, or a GitOps controller wrote it within the drift look-back',
};

function marksEvidence(e: ChangeEvent): string | undefined {
  const m = e.marks;
  if (m?.argocdTrackingId) {
    return `the object carries argocd.argoproj.io/tracking-id ${m.argocdTrackingId}`;
  }
  if (m?.objectsetId) {
    return `the object carries objectset.rio.cattle.io/id ${m.objectsetId} (deployed by Fleet)`;
  }
  if (m?.instanceLabel && m.managedBy !== 'Helm') {
    return `the object carries app.kubernetes.io/instance ${m.instanceLabel} (Argo CD label tracking)`;
  }
  return undefined;
}

/** A person's write to a GitOps-managed object: the GitOps tool will (or should) undo it. */
export function linkDrift(
  e: ChangeEvent,
  { ix, opts }: RuleContext,
  kind = e.actor.kind,
  who = e.actor.loginName ?? e.actor.name
): LinkHit[] {
  if (e.time === undefined || kind !== 'human') {
    return [];
  }
  const marked = marksEvidence(e);
  if (marked) {
    return [hit('drift', e, e, 1, [`${who} changed ${objectName(e)} by hand`, marked])];
  }
  const before = ix.writesByObject
    .between(objectKey(e), e.time - opts.driftLookbackMs, e.time - 1)
    // A status write is the controller reporting on the object (Argo CD on its own Applications), not managing it.
    .filter((w) => w.actor.kind === 'gitops-controller' && w.target.subresource !== 'status');
  const last = before[before.length - 1];
  if (!last) {
    return [];
  }
  return [
    hit('drift', e, last, 0.9, [
      `${who} changed ${objectName(e)} by hand`,
      `the GitOps controller ${last.actor.name} last wrote it at ${at(last.time)}, ${describeDelta(e.time - (last.time as number))} before`,
    ]),
  ];
}
