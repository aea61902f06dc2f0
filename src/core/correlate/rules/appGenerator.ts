import type { ChangeEvent } from '../../model';
import { objectKey } from '../eventIndex';
import { describeDelta } from '../options';
import { at, hit, objectName, type LinkHit, type RuleContext, type RuleInfo } from '../rule';

export const appGeneratorRule: RuleInfo = {
  kind: 'app-generator',
  summary:
    "an Argo CD Application written by the ApplicationSet controller ⇄ the ApplicationSet that owns it (ownerReference), and ⇄ the latest change of that ApplicationSet in the drift look-back (a write of it, or argocd-server's ApplicationSet audit message): the person who changed the generator",
};

const APPSET_CONTROLLER = /(^|:)argocd-applicationset-controller$/;

export interface AppGenerator {
  appSet: string;
  hits: LinkHit[];
  /** The change of the ApplicationSet behind this write: a write (resolve its identity) or an Argo CD message. */
  edit?: ChangeEvent;
}

/** An Application the ApplicationSet controller wrote: which generator, and who last changed it. */
export function linkAppGenerator(e: ChangeEvent, { ix, opts }: RuleContext): AppGenerator | undefined {
  const appSet = e.marks?.ownerApplicationSet;
  if (
    e.time === undefined ||
    e.target.resource !== 'applications' ||
    !APPSET_CONTROLLER.test(e.actor.name) ||
    !appSet
  ) {
    return undefined;
  }
  const t = e.time;
  const owned = hit('app-generator', e, e, 1, [
    `${objectName(e)} was written by the ApplicationSet controller (${e.actor.name})`,
    `its ownerReference names ApplicationSet ${appSet}: the generator made this change`,
  ]);
  const setRef = { ...e, target: { ...e.target, resource: 'applicationsets', name: appSet, kind: undefined } };
  const writes = ix.writesByObject
    .between(objectKey(setRef as ChangeEvent), t - opts.driftLookbackMs, t)
    .filter((w) => w.actor.kind === 'human' || w.actor.via.length > 0);
  const messages = ix.argoByResource
    .between(appSet, t - opts.driftLookbackMs, t)
    .filter((m) => m.target.kind === 'ApplicationSet' && m.gitops?.initiator && !m.keys.apiCall);
  const edit = [...writes, ...messages].sort((a, b) => (a.time as number) - (b.time as number)).pop();
  if (!edit) {
    return { appSet, hits: [owned] };
  }
  const by = edit.source === 'argocd' ? (edit.gitops?.initiator as string) : (edit.actor.loginName ?? edit.actor.name);
  const what =
    edit.source === 'argocd'
      ? `argocd-server logged "${edit.gitops?.message ?? edit.verb}" at ${at(edit.time)}`
      : `${by} ${edit.verb.endsWith('e') ? `${edit.verb}d` : `${edit.verb}ed`} ApplicationSet ${appSet} at ${at(edit.time)}`;
  return {
    appSet,
    edit,
    hits: [
      owned,
      hit('app-generator', e, edit, 0.8, [
        what,
        `the latest change of ApplicationSet ${appSet}, ${describeDelta(t - (edit.time as number))} before this write`,
      ]),
    ],
  };
}
