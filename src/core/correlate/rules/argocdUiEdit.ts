import type { ChangeEvent } from '../../model';
import { classifyActor } from '../../parse/actor';
import { describeDelta } from '../options';
import { at, closest, hit, objectName, type LinkHit, type RuleContext, type RuleInfo } from '../rule';

export const argocdUiEditRule: RuleInfo = {
  kind: 'argocd-ui',
  summary:
    "a write by the argocd-server service account (a live edit, delete or resource action in the Argo CD UI or API) ⇄ argocd-server's PatchResource / DeleteResource / RunResourceAction record of the same object (API-call line with JWT claims, or its audit message) within the API window: names the Argo CD user",
};

const ARGOCD_SERVER = /^system:serviceaccount:[^:]+:argocd-server$/;
// What each Argo CD request does to the object (server/application/application.go): a resource action patches it.
const WRITES_OF: Record<string, string[]> = {
  patch: ['patch', 'update', 'apply'],
  delete: ['delete'],
  action: ['patch', 'update', 'create'],
};

export function isArgocdServerWrite(e: ChangeEvent): boolean {
  return e.source === 'kube-audit' && (ARGOCD_SERVER.test(e.actor.name) || e.marks?.fieldManager === 'argocd-server');
}

/** Who argocd-server says asked: the person, else the named caller (a project token, automation). */
function callerOf(r: ChangeEvent): string | undefined {
  return (
    r.gitops?.initiator ??
    (r.actor.kind === 'unknown' || (r.actor.kind === 'gitops-controller' && !r.gitops?.automation)
      ? undefined
      : r.actor.name)
  );
}

function sameObject(e: ChangeEvent, r: ChangeEvent): boolean {
  const a = e.target;
  const b = r.target;
  const kindOk = !b.kind || b.resource === a.resource || b.kind.toLowerCase() === a.resource.replace(/s$/, '');
  const nsOk = !a.namespace || !b.namespace || a.namespace === b.namespace;
  return a.name === b.name && kindOk && nsOk;
}

export interface ArgoUiEdit {
  user: string;
  hit: LinkHit;
}

/** The Argo CD user behind an argocd-server write, from the server's own record of the request. */
export function linkArgocdUiEdit(e: ChangeEvent, { ix, opts }: RuleContext): ArgoUiEdit | undefined {
  if (e.time === undefined || !isArgocdServerWrite(e) || !e.target.name) {
    return undefined;
  }
  const t = e.time;
  const candidates = ix.argoByResource
    .between(e.target.name, t - opts.apiCallWindowMs, t + opts.apiCallWindowMs)
    .filter((r) => {
      const asked = r.keys.apiVerb ?? r.verb;
      return callerOf(r) !== undefined && (WRITES_OF[asked] ?? []).includes(e.verb) && sameObject(e, r);
    });
  // Claims on the API-call line are the session's; prefer them, else the audit message's user.
  const api = candidates.filter((r) => r.keys.apiCall);
  const r = closest(api.length ? api : candidates, t);
  const user = r ? callerOf(r) : undefined;
  if (!r || !user) {
    return undefined;
  }
  const how = r.keys.apiCall
    ? `argocd-server logged the ${r.keys.apiCall} call on ${objectName(r)} by ${user} (JWT claims) at ${at(r.time)}`
    : `argocd-server logged "${r.gitops?.message ?? r.verb}" at ${at(r.time)}`;
  const evidence = [
    `${objectName(e)} was written by ${e.actor.name}${e.marks?.fieldManager ? ` (field manager ${e.marks.fieldManager})` : ''}: a change made in the Argo CD UI or API`,
    how,
    `same object, ${describeDelta((r.time as number) - t)} apart (within ${describeDelta(opts.apiCallWindowMs)})`,
  ];
  if (classifyActor(user) !== 'human') {
    evidence.push(`${user} is not a person's account (an Argo CD project token or automation)`);
  }
  return { user, hit: hit('argocd-ui', e, r, r.keys.apiCall ? 0.95 : 0.85, evidence) };
}
