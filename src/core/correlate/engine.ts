import {
  WRITE_VERBS,
  type ActorKind,
  type Chain,
  type ChangeEvent,
  type GitOpsRef,
  type Link,
  type Verdict,
} from '../model';
import { classifyActor } from '../parse/actor';
import { attachChange, attachConsequenceChange } from './change';
import { EventIndex } from './eventIndex';
import { resolveIdentity } from './identity';
import { DEFAULT_OPTIONS, describeDelta, type CorrelateOptions } from './options';
import { at, objectName, type LinkHit, type RuleContext } from './rule';
import { linkCascade } from './rules/cascade';
import { linkDrift } from './rules/drift';
import { linkFleetCommit } from './rules/fleetCommit';
import { linkGitopsApply } from './rules/gitopsApply';
import { findRbacContext } from './rules/rbacContext';
import { linkSyncTrigger } from './rules/syncTrigger';

/**
 * Builds one explained Chain per write: who (resolved through impersonation and Rancher), through which GitOps
 * operation and commit, with RBAC changes that enabled it as context. Deterministic: events arrive sorted and
 * every rule breaks ties by id.
 */

export interface TraceSelection {
  /** `resource/namespace/name`, any part may be empty or `*`; resource matches singular/plural, any case. */
  target?: { resource?: string; namespace?: string; name?: string };
  /** Matches the resolved person, the effect's actor, or its login name (case-insensitive). */
  actor?: string;
  /** The effect's verb is one of these (a question about deletes is not answered with the updates that explain them). */
  verbs?: readonly string[];
  from?: number;
  to?: number;
}

export function isEffect(e: ChangeEvent): boolean {
  if (e.source !== 'kube-audit' && e.source !== 'rancher-audit') {
    return false;
  }
  return WRITE_VERBS.has(e.verb) && e.outcome.status !== 'failure' && e.verb !== '';
}

function singular(s: string): string {
  return s.toLowerCase().replace(/(es|s)$/, '');
}

function matchesTarget(e: ChangeEvent, sel: NonNullable<TraceSelection['target']>): boolean {
  const t = e.target;
  const ok = (want: string | undefined, have: string | undefined) => !want || want === '*' || want === have;
  const resourceOk =
    !sel.resource ||
    sel.resource === '*' ||
    singular(sel.resource) === singular(t.resource) ||
    singular(sel.resource) === singular(t.kind ?? '');
  return resourceOk && ok(sel.namespace, t.namespace) && ok(sel.name, t.name);
}

function verdictOf(
  kind: ChangeEvent['actor']['kind'],
  applied: boolean,
  operation: string | undefined,
  drift: boolean
): Verdict {
  switch (kind) {
    case 'gitops-controller':
      return applied ? (operation === 'rollback' ? 'gitops-rollback' : 'gitops-sync') : 'controller';
    case 'human':
      return drift ? 'manual-drift' : 'manual';
    case 'serviceaccount':
    case 'system':
      return 'controller';
    default:
      return 'unknown';
  }
}

/** The last failed sync of the app before its operation started: why a rollback happened, typically. */
function priorFailure(start: ChangeEvent, rc: RuleContext): Chain['context'][number] | undefined {
  const t = start.time as number;
  const prior = rc.ix.argoByApp
    .between(start.gitops?.app, t - rc.opts.failureLookbackMs, t - 1)
    .filter((o) => o.gitops?.phase === 'Failed');
  const f = prior[prior.length - 1];
  if (!f) {
    return undefined;
  }
  return {
    kind: 'sync-trigger',
    event: f,
    summary: `${describeDelta(t - (f.time as number))} before, a sync of ${f.gitops?.app ?? '?'} failed`,
    evidence: [`"${f.gitops?.message ?? ''}" at ${at(f.time)}`],
  };
}

/** How many controller hops a consequence is followed up (Pod ← ReplicaSet ← Deployment is two). */
const MAX_CASCADE_DEPTH = 16;

/** The chain of a cause event, built on demand; undefined when it is being built (an owner loop) or too deep. */
type CauseChain = (cause: ChangeEvent, depth: number) => Chain | undefined;

/** A controller's write set off by its owner's change: the cause's story, one controller hop further down. */
function consequenceChain(e: ChangeEvent, hop: LinkHit, cause: Chain): Chain {
  return {
    id: e.id,
    effect: e,
    verdict: cause.verdict,
    who: { ...cause.who, via: [...cause.who.via, `${e.actor.name} (controller)`] },
    gitops: cause.gitops,
    links: [hop.link, ...cause.links],
    context: [],
    consequenceOf: cause.id,
  };
}

function buildChain(e: ChangeEvent, rc: RuleContext, depth = 0, causeChain?: CauseChain): Chain {
  const links: Link[] = [];
  const context: Chain['context'] = [];
  const take = (hits: LinkHit[]) => hits.forEach((h) => links.push(h.link));
  const cascade = linkCascade(e, rc);
  if (cascade?.hit && cascade.hit.cause !== e) {
    const cause = depth < MAX_CASCADE_DEPTH ? causeChain?.(cascade.hit.cause, depth + 1) : undefined;
    if (cause) {
      const chain = consequenceChain(e, cascade.hit, cause);
      attachConsequenceChange(chain, rc);
      return chain;
    }
  } else if (cascade?.hit) {
    links.push(cascade.hit.link);
  } else if (cascade?.missed) {
    context.push({ kind: 'cascade', event: e, summary: cascade.missed, evidence: [] });
  }
  const identity = resolveIdentity(e, rc);
  take(identity.hits);
  let who: Chain['who'] = {
    name: identity.name,
    kind: identity.kind,
    ...(identity.ip ? { ip: identity.ip } : {}),
    ...(identity.ipTrust ? { ipTrust: identity.ipTrust } : {}),
    via: identity.via,
  };
  let gitops: GitOpsRef | null = null;
  let drift = false;
  let failedSyncBefore: ChangeEvent | undefined;

  const applied = linkGitopsApply(e, rc);
  take(applied);
  const op = applied[0]?.cause;
  let startedBy: { name: string; kind: ActorKind } | undefined;
  if (op?.source === 'argocd') {
    const trigger = linkSyncTrigger(op, rc);
    take(trigger.hits);
    gitops = trigger.gitops;
    startedBy =
      trigger.automaton ??
      (gitops.initiator ? { name: gitops.initiator, kind: classifyActor(gitops.initiator) } : undefined);
    const failed = priorFailure(op, rc);
    if (failed) {
      context.push(failed);
      failedSyncBefore = failed.event;
    }
  } else if (op?.source === 'fleet') {
    const trigger = linkFleetCommit(op, rc);
    take(trigger.hits);
    gitops = trigger.gitops;
    if (trigger.edit) {
      const editor = resolveIdentity(trigger.edit, rc);
      take(editor.hits);
      gitops.initiator = editor.name;
      who = {
        name: editor.name,
        kind: editor.kind,
        ...(editor.ip ? { ip: editor.ip } : {}),
        ...(editor.ipTrust ? { ipTrust: editor.ipTrust } : {}),
        via: [e.actor.name, ...editor.via],
      };
    }
  }
  // The one who started the sync is the chain's who: a person (the sync-trigger rule names only a person as
  // initiator), or the automaton that wrote the operation (Kargo, ApplicationSet) — never a person by default.
  if (startedBy && who.kind === 'gitops-controller' && startedBy.name !== e.actor.name) {
    who = { name: startedBy.name, kind: startedBy.kind, via: [e.actor.name] };
  }

  // The resolved identity (a person behind argocd-server's UI edit) decides whether this is a manual change.
  const driftHits = linkDrift(e, rc, identity.kind, identity.name);
  take(driftHits);
  drift = driftHits.length > 0;

  let grantedBy: Chain['grantedBy'];
  for (const r of findRbacContext(e, rc)) {
    const changer = resolveIdentity(r.event, rc);
    if (r.grants && (!grantedBy || (grantedBy.event.time as number) < (r.event.time as number))) {
      grantedBy = { event: r.event, by: changer.name };
    }
    const where = changer.ip ? ` from ${changer.ip}` : '';
    context.push({
      kind: 'rbac-context',
      event: r.event,
      summary: `${changer.name}${where} ${r.event.verb}d ${objectName(r.event)} ${describeDelta((e.time as number) - (r.event.time as number))} before`,
      evidence: [...r.evidence, ...changer.hits.flatMap((h) => h.link.evidence)],
    });
  }
  const chain: Chain = {
    id: e.id,
    effect: e,
    verdict: verdictOf(identity.kind, applied.length > 0, gitops?.operation, drift),
    who,
    gitops,
    links,
    context,
    ...(grantedBy ? { grantedBy } : {}),
    ...(failedSyncBefore ? { failedSyncBefore } : {}),
  };
  attachChange(chain, rc);
  return chain;
}

/** Chains for every write in `events` (sorted as ParseSession returns them), or for a selection of them. */
export function buildChains(
  events: readonly ChangeEvent[],
  options: Partial<CorrelateOptions> = {},
  selection: TraceSelection = {}
): Chain[] {
  return selectChains(buildAllChains(events, options), selection);
}

/**
 * Chains for every write, consequences included (each with `consequenceOf`, each cause with its `consequences`).
 * A cause's chain is built before its consequences take its story; owner loops end where they close.
 */
export function buildAllChains(events: readonly ChangeEvent[], options: Partial<CorrelateOptions> = {}): Chain[] {
  const rc: RuleContext = { ix: new EventIndex(events), opts: { ...DEFAULT_OPTIONS, ...options } };
  const effects = events.filter(isEffect);
  const built = new Map<string, Chain>();
  const building = new Set<string>();
  const chainOf: CauseChain = (e, depth) => {
    const done = built.get(e.id);
    if (done || building.has(e.id) || !isEffect(e)) {
      return done;
    }
    building.add(e.id);
    const c = buildChain(e, rc, depth, chainOf);
    building.delete(e.id);
    built.set(e.id, c);
    return c;
  };
  // Rancher records that explain a downstream write are causes, not separate changes.
  const proxied = new Set<string>();
  const chains: Chain[] = [];
  for (const e of effects) {
    if (e.source === 'kube-audit') {
      const c = chainOf(e, 0) as Chain;
      c.links.filter((l) => l.kind === 'rancher-proxy').forEach((l) => proxied.add(l.to));
      chains.push(c);
    }
  }
  for (const e of effects) {
    if (e.source === 'rancher-audit' && !proxied.has(e.id)) {
      chains.push(buildChain(e, rc));
    }
  }
  chains.sort(
    (a, b) =>
      (a.effect.time ?? -Infinity) - (b.effect.time ?? -Infinity) ||
      (a.effect.id < b.effect.id ? -1 : a.effect.id > b.effect.id ? 1 : 0)
  );
  countConsequences(chains, built);
  return chains;
}

/** Each cause's `consequences`: every chain below it, directly or through other controllers. */
function countConsequences(chains: Chain[], byId: ReadonlyMap<string, Chain>): void {
  for (const c of chains) {
    let up = c.consequenceOf ? byId.get(c.consequenceOf) : undefined;
    for (let hops = 0; up && hops <= MAX_CASCADE_DEPTH; hops++) {
      up.consequences = (up.consequences ?? 0) + 1;
      up = up.consequenceOf ? byId.get(up.consequenceOf) : undefined;
    }
  }
}

export function selectChains(chains: readonly Chain[], selection: TraceSelection): Chain[] {
  return chains.filter((c) => selected(c, selection));
}

function selected(c: Chain, sel: TraceSelection): boolean {
  const t = c.effect.time;
  if (sel.from !== undefined && (t === undefined || t < sel.from)) {
    return false;
  }
  if (sel.to !== undefined && (t === undefined || t > sel.to)) {
    return false;
  }
  if (sel.target && !matchesTarget(c.effect, sel.target)) {
    return false;
  }
  if (sel.verbs?.length && !sel.verbs.includes(c.effect.verb)) {
    return false;
  }
  if (sel.actor) {
    const want = sel.actor.toLowerCase();
    // The accounts in between count too: a person's trail holds what they did as another (`kubectl --as`).
    const names = [
      c.who.name,
      c.effect.actor.name,
      c.effect.actor.loginName,
      c.gitops?.initiator,
      ...c.effect.actor.via.map((h) => h.name),
    ]
      .filter(Boolean)
      .map((n) => (n as string).toLowerCase());
    if (!names.includes(want)) {
      return false;
    }
  }
  return true;
}
