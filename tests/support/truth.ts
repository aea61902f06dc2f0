import { chainToJson, traceOverLoki } from '../../src/core';
import type { Chain, ChainJson, ChangeEvent, LokiTransport, TruthChain } from '../../src/core';

/**
 * Ground truth checks. `compareToTruth` checks one truth entry against the chains a run produced (the CLI and
 * Loki paths use it); `compareWhole` checks a whole answer: every truth entry exactly once, field by field
 * (verdict, who, the whole gitops block, every link's kind and cause, every context entry and no other), and
 * every other chain routine — a controller acting as itself, no links, no GitOps — with nothing missing.
 * Problems come back as lines a person can read: `<change>: <field>: got …, want …`.
 */

type Effect = TruthChain['effect'];

const show = (v: unknown) => JSON.stringify(v);

export function effectName(e: Effect): string {
  return `${e.verb} ${e.resource}${e.subresource ? `/${e.subresource}` : ''} ${e.namespace ?? ''}/${e.name} at ${e.time}`;
}

function chainEffect(c: ChainJson): Effect {
  const t = c.effect.target;
  return {
    verb: c.effect.verb,
    resource: t.resource,
    ...(t.namespace ? { namespace: t.namespace } : {}),
    name: t.name ?? '',
    ...(t.subresource ? { subresource: t.subresource } : {}),
    time: c.effect.time ?? '',
  };
}

function sameEffect(c: ChainJson, t: Effect): boolean {
  return effectName(chainEffect(c)) === effectName(t);
}

/** A cause as the truth names it: `<source> <verb> at <time>`. */
export function causeName(e: Pick<ChangeEvent, 'source' | 'verb' | 'time'>): string {
  return `${e.source} ${e.verb} at ${e.time === undefined ? '?' : new Date(e.time).toISOString()}`;
}

/**
 * Every way `chain` differs from `truth`. `causes` (one per link, from the chain model) adds the cause of each
 * link to the comparison; without it links are compared by kind.
 */
export function chainProblems(
  chain: ChainJson,
  truth: TruthChain,
  causes?: string[],
  otherChanges: ReadonlySet<string> = new Set()
): string[] {
  const problems: string[] = [];
  const eq = (what: string, got: unknown, want: unknown) => {
    if (show(got) !== show(want)) {
      problems.push(`${what}: got ${show(got)}, want ${show(want)}`);
    }
  };
  eq('verdict', chain.verdict, truth.verdict);
  eq('who.name', chain.who.name, truth.who.name);
  eq('who.ip', chain.who.ip, truth.who.ip ?? null);
  if (truth.who.kind !== undefined) {
    eq('who.kind', chain.who.kind, truth.who.kind);
  }
  const g = truth.gitops;
  eq(
    'gitops',
    chain.gitops,
    g
      ? {
          tool: g.tool,
          app: g.app,
          revision: g.revision ?? null,
          commit: g.commit ?? null,
          initiator: g.initiator ?? null,
          automation: g.automation ?? null,
          automated: g.automated ?? null,
          operation: g.operation ?? null,
          commitUrl: g.commitUrl ?? null,
          previousCommit: g.previousCommit ?? null,
          compareUrl: g.compareUrl ?? null,
          appUrl: null,
        }
      : null
  );
  const sorted = (xs: string[]) => [...xs].sort();
  if (causes) {
    eq(
      'links',
      sorted(chain.links.map((l, i) => `${l.kind} ← ${causes[i]}`)),
      sorted((truth.links ?? []).map((l) => `${l.kind} ← ${l.cause}`))
    );
  } else {
    eq('link kinds', sorted(chain.links.map((l) => l.kind)), sorted((truth.links ?? []).map((l) => l.kind)));
  }
  if (truth.change) {
    const got = chain.change && {
      source: chain.change.source,
      complete: chain.change.complete,
      diff: chain.change.diff,
    };
    if (JSON.stringify(got) !== JSON.stringify(truth.change)) {
      problems.push(`change: got ${JSON.stringify(got)}, want ${JSON.stringify(truth.change)}`);
    }
  }
  // The flat facts alert rules read: the granting RBAC change (another scenario's may be one) and the failed sync.
  const grant = chain.grantedBy && {
    by: chain.grantedBy.by,
    verb: chain.grantedBy.verb,
    object: chain.grantedBy.object,
  };
  if (truth.grantedBy || !chain.grantedBy || !otherChanges.has(`rbac-context@${chain.grantedBy.time}`)) {
    eq('grantedBy', grant, truth.grantedBy ?? null);
  }
  eq('failedSyncBefore', chain.failedSyncBefore?.message ?? null, truth.failedSyncBefore ?? null);
  // Each context entry the truth names, once; and no other.
  const left = [...chain.context];
  for (const c of truth.context ?? []) {
    const i = left.findIndex(
      (x) => x.kind === c.kind && c.mentions.every((m) => `${x.summary} ${x.evidence.join(' ')}`.includes(m))
    );
    if (i < 0) {
      problems.push(`context: no ${c.kind} mentioning ${c.mentions.join(', ')}`);
    } else {
      left.splice(i, 1);
    }
  }
  for (const x of left.filter((y) => !otherChanges.has(`${y.kind}@${y.time}`))) {
    problems.push(`context: unexpected ${x.kind}: ${x.summary}`);
  }
  return problems;
}

/**
 * The chain trace gave for a ground-truth change, and every way it differs from the truth (empty = match).
 * With `allTruth` (several scenarios in one stream), RBAC context pointing at another scenario's change is
 * expected too: one RBAC change is context for every later write of the identity it binds.
 */
export function compareToTruth(
  chains: ChainJson[],
  truth: TruthChain,
  allTruth: TruthChain[] = []
): { chain?: ChainJson; problems: string[] } {
  const found = chains.filter((c) => sameEffect(c, truth.effect));
  if (found.length === 0) {
    return { problems: [`no chain for ${effectName(truth.effect)}`] };
  }
  if (found.length > 1) {
    return { chain: found[0], problems: [`${found.length} chains for ${effectName(truth.effect)}`] };
  }
  // Another scenario's RBAC change is seen through its downstream write (Rancher's twin record never counts).
  const others = new Set(allTruth.filter((t) => t !== truth).map((t) => `rbac-context@${t.effect.time}`));
  return {
    chain: found[0],
    problems: [...chainProblems(found[0], truth, undefined, others), ...consequenceProblems(found[0], truth, chains)],
  };
}

/** A consequence names its cause's chain (`truth.cause`); a change nothing set off names none. */
function consequenceProblems(chain: ChainJson, truth: TruthChain, chains: ChainJson[]): string[] {
  const want = truth.cause
    ? (chains.find((c) => sameEffect(c, truth.cause as Effect))?.id ?? '(no cause chain)')
    : null;
  return chain.consequenceOf === want ? [] : [`consequenceOf: got ${show(chain.consequenceOf)}, want ${show(want)}`];
}

export interface WholeAnswer {
  chains: Chain[];
  /** Every parsed event, to name the cause of each link. */
  events: ChangeEvent[];
  toJson: (c: Chain) => ChainJson;
}

/**
 * The whole answer against the truth. `routine` names the writes outside the truth that must come back as
 * routine chains (e.g. every background controller write): each needs exactly one chain, by that actor.
 */
export function compareWhole(
  answer: WholeAnswer,
  truth: TruthChain[],
  routine: Array<{ effect: Effect; actor: string }>
): string[] {
  const problems: string[] = [];
  const byId = new Map(answer.events.map((e) => [e.id, e]));
  const json = answer.chains.map((c) => ({ chain: c, j: answer.toJson(c), used: false }));
  const truthNames = new Set(truth.map((t) => effectName(t.effect)));
  for (const t of truth) {
    const found = json.filter((x) => sameEffect(x.j, t.effect));
    found.forEach((x) => (x.used = true));
    if (found.length !== 1) {
      problems.push(`${effectName(t.effect)}: ${found.length} chains, want 1`);
      continue;
    }
    const { chain, j } = found[0];
    const causes = chain.links.map((l) => {
      const e = byId.get(l.to);
      return e ? causeName(e) : `unknown event ${l.to}`;
    });
    problems.push(
      ...[
        ...chainProblems(j, t, causes),
        ...consequenceProblems(
          j,
          t,
          json.map((x) => x.j)
        ),
      ].map((p) => `${t.scenario}: ${effectName(t.effect)}: ${p}`)
    );
  }
  for (const r of routine) {
    const found = json.filter((x) => sameEffect(x.j, r.effect));
    found.forEach((x) => (x.used = true));
    if (found.length !== 1) {
      problems.push(`routine ${effectName(r.effect)}: ${found.length} chains, want 1`);
      continue;
    }
    problems.push(
      ...routineProblems(found[0].j, r.actor, truthNames).map((p) => `routine ${effectName(r.effect)}: ${p}`)
    );
  }
  // A chain neither the truth nor the routine list implies may only be routine (e.g. a controller writing its
  // own status during a scenario).
  for (const x of json.filter((y) => !y.used)) {
    const p = routineProblems(x.j, x.j.effect.actor.name, truthNames);
    if (p.length) {
      problems.push(`extra chain ${effectName(chainEffect(x.j))}: ${p.join('; ')}`);
    }
  }
  return problems;
}

const DEPENDENTS = new Set(['pods', 'replicasets', 'jobs', 'replicationcontrollers']);
const cascadeMayLink = (j: ChainJson) =>
  j.effect.target.subresource === 'scale' ||
  (j.effect.target.subresource === null && DEPENDENTS.has(j.effect.target.resource));

/**
 * Routine: the controller acting as itself, no links, no GitOps; context may only point at a truth change, or be
 * the cascade rule's note that it looked for an owner change and found none.
 */
function routineProblems(j: ChainJson, actor: string, truthNames: Set<string>): string[] {
  const problems: string[] = [];
  if (j.verdict !== 'controller') {
    problems.push(`verdict: got ${show(j.verdict)}, want "controller"`);
  }
  if (j.who.name !== actor) {
    problems.push(`who.name: got ${show(j.who.name)}, want ${show(actor)}`);
  }
  // A controller following another controller's change (cascade) is still routine while the story stays the
  // controller's own: same who, verdict controller, no GitOps (checked above and below). Only a write the cascade
  // rule answers may carry its link: a dependent a controller made (Pod, ReplicaSet, Job) or an HPA's scale —
  // never an Event or a status write.
  const links = j.links.filter((l) => l.kind !== 'cascade' || !cascadeMayLink(j));
  if (links.length) {
    problems.push(`links: got ${show(j.links.map((l) => l.kind))}, want []`);
  }
  if (j.gitops) {
    problems.push(`gitops: got ${show(j.gitops)}, want null`);
  }
  if (j.failedSyncBefore) {
    problems.push(`failedSyncBefore: got ${show(j.failedSyncBefore)}, want null`);
  }
  if (j.grantedBy && ![...truthNames].some((n) => n.endsWith(`at ${j.grantedBy?.time}`))) {
    problems.push(`grantedBy: got ${show(j.grantedBy)}, want null or a truth change`);
  }
  for (const c of j.context) {
    const pointsAtTruth = c.kind === 'rbac-context' && [...truthNames].some((n) => n.endsWith(`at ${c.time}`));
    if (!pointsAtTruth && c.kind !== 'cascade') {
      problems.push(`context: unexpected ${c.kind}: ${c.summary}`);
    }
  }
  return problems;
}

/**
 * A truth entry's object asked about alone over Loki (the whole span): the chains asked about, then the others
 * read — a consequence's cause chain is among what was read (allChains), not among the chains asked about.
 */
export async function targetedChains(
  loki: LokiTransport,
  t: TruthChain,
  span: { from: number; to: number }
): Promise<ChainJson[]> {
  const { resource, namespace, name } = t.effect;
  const r = await traceOverLoki(loki, { target: { resource, namespace, name }, from: span.from, to: span.to });
  return [...r.chains, ...r.allChains.filter((c) => !r.chains.includes(c))].map(chainToJson);
}
