import type { ChangeEvent, GitOpsRef, Link, LinkKind, ResourceRef } from '../model';
import type { EventIndex } from './eventIndex';
import type { CorrelateOptions } from './options';

/** What every rule sees: the index and the options. Rules read only the model, never source JSON. */
export interface RuleContext {
  ix: EventIndex;
  opts: CorrelateOptions;
}

/** A link a rule made, with the event on its cause side. */
export interface LinkHit {
  link: Link;
  cause: ChangeEvent;
}

/** A rule's entry in the registry: its link kind and, in one sentence, when it links. */
export interface RuleInfo {
  kind: LinkKind;
  summary: string;
}

export function hit(
  kind: LinkKind,
  from: ChangeEvent,
  cause: ChangeEvent,
  confidence: number,
  evidence: string[]
): LinkHit {
  return { link: { kind, from: from.id, to: cause.id, confidence, evidence }, cause };
}

/** Closest candidate in time to `t`; ties broken by id so the choice never depends on input order. */
export function closest(candidates: ChangeEvent[], t: number): ChangeEvent | undefined {
  let best: ChangeEvent | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = Math.abs((c.time as number) - t);
    if (d < bestD || (d === bestD && best !== undefined && c.id < best.id)) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

export function at(ms: number | undefined): string {
  return ms === undefined ? '(no time)' : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * `deployments production/frontend-app`; `qualified` adds a non-core API group and the cluster
 * (`applications.argoproj.io argocd/shop @prod`), for tables that mix clusters and groups.
 */
export function targetName(t: ResourceRef, qualified = false): string {
  if (!t.resource) {
    return t.path ?? '(no target)';
  }
  const grouped = qualified && t.apiGroup && !['', 'apps', 'batch'].includes(t.apiGroup);
  const what = t.kind ?? (grouped ? `${t.resource}.${t.apiGroup}` : t.resource);
  const where = [t.namespace, t.name].filter(Boolean).join('/');
  const sub = t.subresource ? `/${t.subresource}` : '';
  const cluster = qualified && t.cluster ? ` @${t.cluster}` : '';
  return `${what}${where ? ' ' + where : ''}${sub}${cluster}`;
}

/**
 * Who or what started a GitOps operation, in words: "started by dana@example.org", "automated (auto-sync)",
 * "automated (Kargo promotion)", or "initiator unknown". Never a person's name for an automaton.
 */
export function startedByText(g: Pick<GitOpsRef, 'initiator' | 'automation' | 'automated'>): string {
  if (g.initiator) {
    return `started by ${g.initiator}`;
  }
  if (g.automated || g.automation) {
    return `automated (${g.automation ?? 'auto-sync'})`;
  }
  return 'initiator unknown';
}

/** The object an event acted on: `deployments production/frontend-app`. */
export function objectName(e: ChangeEvent): string {
  return targetName(e.target);
}

export type GitOpsFacts = Partial<Omit<GitOpsRef, 'tool' | 'operation'>> & Pick<GitOpsRef, 'tool' | 'operation'>;
