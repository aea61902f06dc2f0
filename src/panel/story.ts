import { isSessionSubresource, objectName, startedByText, type Chain, type ChangeEvent } from '../core';

/** The words of a story card: pure, so they are tested without rendering. */

const VERB_PAST: Record<string, string> = {
  create: 'created',
  update: 'updated',
  patch: 'patched',
  delete: 'deleted',
  deletecollection: 'deleted all',
};

export const VERDICT_LABEL: Record<string, string> = {
  'gitops-sync': 'GitOps sync',
  'gitops-rollback': 'Rollback',
  'manual-drift': 'Manual drift',
  manual: 'Manual',
  controller: 'Controller',
  unknown: 'Unknown',
};

/** The object without its subresource: the story names that separately ("(scale)", "a shell (exec)"). */
export function objectText(e: ChangeEvent): string {
  return objectName({ ...e, target: { ...e.target, subresource: undefined } });
}

/** "deleted deployments production/frontend-app", "opened a shell (exec) in pods shop/web-1". */
export function effectText(c: Chain): string {
  const e = c.effect;
  const sub = e.target.subresource;
  if (isSessionSubresource(e)) {
    return `opened ${sub === 'portforward' ? 'a port-forward' : `a shell (${sub})`} in ${objectText(e)}`;
  }
  return `${VERB_PAST[e.verb] ?? e.verb} ${objectText(e)}${sub && sub !== 'exec' ? ` (${sub})` : ''}`;
}

/** The path a change took: Rancher proxy, impersonation, the GitOps controller. */
export function pathText(c: Chain): string[] {
  const path: string[] = [];
  if (c.links.some((l) => l.kind === 'rancher-proxy')) {
    path.push('through Rancher');
  } else if (c.links.some((l) => l.kind === 'impersonation')) {
    path.push(`impersonating via ${c.effect.actor.via[0]?.name ?? '?'}`);
  }
  if (c.gitops) {
    path.push(c.gitops.tool === 'argocd' ? 'by the Argo CD controller' : 'by the Fleet agent');
  }
  return path;
}

export function gitopsText(c: Chain): string | undefined {
  const g = c.gitops;
  if (!g) {
    return undefined;
  }
  const parts = [`${g.tool === 'argocd' ? 'Argo CD' : 'Fleet'} ${g.app ?? '?'}`, g.operation];
  if (g.commit) {
    parts.push(`commit ${g.commit.slice(0, 12)}`);
  } else if (g.revision) {
    parts.push(`revision ${g.revision}`);
  }
  parts.push(startedByText(g));
  return parts.join(' · ');
}

/** Everything a search box should find a chain by. */
const searchCache = new WeakMap<Chain, string>();

/** The text the panel's search matches, made once per chain: typing re-filters thousands of chains. */
export function searchText(c: Chain): string {
  let text = searchCache.get(c);
  if (text === undefined) {
    text = searchTextOf(c);
    searchCache.set(c, text);
  }
  return text;
}

function searchTextOf(c: Chain): string {
  return [
    c.who.name,
    c.who.ip,
    effectText(c),
    c.effect.actor.name,
    c.gitops?.app,
    c.gitops?.commit,
    c.gitops?.initiator,
    c.gitops?.automation,
    c.verdict,
    ...c.context.map((x) => x.summary),
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}
