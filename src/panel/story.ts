import { isSessionSubresource, startedByText, targetName, type Chain, type ChangeEvent } from '../core';

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
  // The target alone is copied, not the whole event: the timeline asks this of every change.
  return targetName({ ...e.target, subresource: undefined });
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

/** "patched 40 pods in shop" — a run of identical changes, told as one; one object changed again and again is "… 40 times". */
export function repeatText(c: Chain, run: Chain[]): string {
  const count = run.length;
  if (run.every((r) => r.effect.target.name === c.effect.target.name)) {
    return `${effectText(c)}, ${count} times`;
  }
  const t = c.effect.target;
  const sub = t.subresource ? ` (${t.subresource})` : '';
  const where = t.namespace ? ` in ${t.namespace}` : '';
  if (isSessionSubresource(c.effect)) {
    const what = t.subresource === 'portforward' ? 'port-forwards' : `shells (${t.subresource})`;
    return `opened ${count} ${what} in ${t.resource}${where}`;
  }
  return `${VERB_PAST[c.effect.verb] ?? c.effect.verb} ${count} ${t.resource}${sub}${where}`;
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

/**
 * The honest count: how many are shown of how many the query found, and why the others are not shown.
 * `loaded` chains reached the panel, `hidden` more were cut by the Max chains option.
 */
export function countText(shown: number, loaded: number, hidden: number): string {
  const total = loaded + hidden;
  if (shown === total) {
    return `${total} ${total === 1 ? 'change' : 'changes'}`;
  }
  const why: string[] = [];
  if (hidden > 0) {
    why.push(`${hidden} hidden by Max chains`);
  }
  if (shown < loaded) {
    why.push(`${loaded - shown} by the search or verdict filter`);
  }
  return `showing ${shown} of ${total} (${why.join(', ')})`;
}

/** Each kind of link in words: what it says, and what it rests on (each rule in core/correlate/rules). */
export const LINK_WORDS: Record<string, { label: string; basis: string }> = {
  impersonation: { label: 'Acting for a person', basis: 'same audit event (impersonated user)' },
  'rancher-proxy': { label: 'Through Rancher', basis: 'same Rancher token, verb and path' },
  'gitops-apply': { label: 'Applied by GitOps', basis: 'the controller wrote it during a sync of the same app' },
  'sync-trigger': { label: 'Who started the sync', basis: 'the GitOps server logged the call for the same app' },
  'fleet-commit': { label: 'From a Git commit', basis: "the bundle's commit label" },
  'rbac-context': { label: 'RBAC change before it', basis: 'a change to the rights of the acting identity' },
  drift: { label: 'Drift from Git', basis: 'a person wrote an object a GitOps controller owns' },
};

/** How sure a link is, in a word: "certain" for hard keys, lower for time-window rules. */
export function confidenceText(confidence: number): string {
  return confidence >= 0.95 ? 'certain' : confidence >= 0.7 ? 'likely' : confidence >= 0.4 ? 'possible' : 'weak';
}

/** "certain: same Rancher token, verb and path" — a link's kind and confidence in words. */
export function linkText(kind: string, confidence: number): { label: string; sureness: string } {
  const w = LINK_WORDS[kind] ?? { label: kind, basis: 'a correlation rule' };
  return { label: w.label, sureness: `${confidenceText(confidence)}: ${w.basis}` };
}
