import { objectKey, RANCHER_USER_ID } from '../correlate/eventIndex';
import { buildAllChains, isEffect, selectChains, type TraceSelection } from '../correlate/engine';
import { eventsBehind } from '../correlate/eventsBehind';
import { isArgocdServerWrite } from '../correlate/rules/argocdUiEdit';
import { ownerObjectsOf } from '../correlate/rules/cascade';
import { DEFAULT_OPTIONS, type CorrelateOptions } from '../correlate/options';
import type { Chain, ChangeEvent, RawRef } from '../model';
import { renderLogQuery, type LogQuery } from '../logql/builder';
import {
  causeQueries,
  dependentWritesQuery,
  effectsQuery,
  MAX_ALTERNATION,
  ownerWritesQuery,
  rancherTargetQuery,
  type Question,
  type StreamSelectors,
  DEFAULT_SELECTORS,
} from '../logql/questions';
import { classesFilteredInLoki } from '../logql/routineFilters';
import { ParseSession, type ParseSummary } from '../parse/session';
import { ALL_ROUTINE, excludeRoutine, routineClassOf, type ExcludedCounts } from '../routine/classes';
import type { RawLine } from '../parse/types';
import type { LokiTransport } from './transport';

/**
 * A provenance question over Loki in two phases. Phase 1 fetches only the writes the question is about;
 * phase 2 fetches only what can explain them, each stream over its own window around the writes' times:
 * Rancher records of the proxied users (± skew), Argo CD / Fleet lines (sync window), RBAC / Application /
 * GitRepo writes (RBAC look-back) and earlier writes of objects people changed (drift look-back).
 * Query budget: 1 query for phase 1 and at most 6 for phase 2 (Argo CD, Fleet, prior writes, control writes,
 * Rancher, GitRepo edits in Rancher), each split into `splitMs` pieces and paged. A question phase 1 did not read
 * whole (an object, an actor) adds, for the cascade rule, at most MAX_OWNER_HOPS queries up the owner chain of
 * controller-written objects (a Pod's ReplicaSet, then its Deployment) and one down, for the objects named after
 * the owners asked about (what their change set off).
 */

export interface LokiTrace {
  chains: Chain[];
  /** Every chain of what was read, the selection's consequences included (for their blast radius). */
  allChains: Chain[];
  /** The phase-1 lines (the writes asked about), for a raw-log view. */
  effectLines: RawLine[];
  parsed: ParseSummary;
  /**
   * Routine writes left out, by class, among the lines Loki returned. Lines Loki dropped by the phase-1 line
   * filters are not counted (Loki does not say how many); `excludedInLoki` names the classes it filtered.
   */
  excluded: ExcludedCounts;
  excludedInLoki: string[];
  warnings: string[];
  queries: Array<{ phase: 1 | 2; logql: string; from: number; to: number; lines: number; requests: number }>;
  /** The raw line of a record behind a chain (effect, link cause or context), as Loki returned it. */
  lineOf: (raw: RawRef) => string | undefined;
}

const CHUNK = 2_000;

/** Kinds whose controllers write dependents named after them. */
const OWNER_RESOURCES = new Set([
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  'replicationcontrollers',
]);

/** Owner hops fetched for a question about a controller-written object (Pod → ReplicaSet → Deployment is two). */
const MAX_OWNER_HOPS = 4;

/** How far a broad question reads before it answers with the newest part. */
export interface ReadLimits {
  /**
   * Phase-1 lines read at most, past which older pieces are left unread (with a warning saying what and how to
   * get it). Checked between pieces: the newest piece is always read whole. Default 500,000.
   */
  maxEffectLines?: number;
  /** Ranges longer than this are read newest piece first, a piece at a time. Default 6 h, pieces of 1 h. */
  newestFirstOverMs?: number;
  pieceMs?: number;
  /** Called after each phase-1 piece (and once for a short range): for a progress bar. */
  onProgress?: (p: { pieces: number; piecesDone: number; lines: number }) => void;
}

export const DEFAULT_MAX_EFFECT_LINES = 500_000;

const at = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

/** Times of the records that name a Rancher user id's login, by id (what the rancher-ace rule looks up). */
class LoginTimes {
  private readonly byId = new Map<string, number[]>();

  constructor(events: readonly ChangeEvent[]) {
    this.addEvents(events);
  }

  add(lines: RawLine[]): void {
    const probe = new ParseSession();
    for (const l of lines) {
      probe.add(l);
    }
    this.addEvents(probe.finish().events);
  }

  private addEvents(events: readonly ChangeEvent[]): void {
    for (const e of events) {
      if (e.actor.loginName && RANCHER_USER_ID.test(e.actor.name) && e.time !== undefined) {
        const times = this.byId.get(e.actor.name) ?? [];
        times.push(e.time);
        this.byId.set(e.actor.name, times);
      }
    }
  }

  /** True when a record of `e`'s id names its login within the look-back before `e` (or the skew after it). */
  names(e: ChangeEvent, lookbackMs: number, skewMs: number): boolean {
    const t = e.time as number;
    return (this.byId.get(e.actor.name) ?? []).some((x) => x >= t - lookbackMs && x <= t + skewMs);
  }
}

/** Smallest and largest value, without spreading a possibly huge array into arguments. */
function extent(xs: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  return [lo, hi];
}

/** Parses lines a chunk at a time, giving the event loop a turn in between: a browser tab stays responsive. */
async function addInChunks(session: ParseSession, lines: RawLine[], signal?: AbortSignal): Promise<void> {
  for (let i = 0; i < lines.length; i += CHUNK) {
    if (signal?.aborted) {
      return;
    }
    for (let j = i; j < Math.min(lines.length, i + CHUNK); j++) {
      session.add(lines[j]);
    }
    if (i + CHUNK < lines.length) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
  }
}

/** Queries naming owners, at most MAX_ALTERNATION names each, per hop or per question. */
const MAX_NAME_CHUNKS = 25;

function inChunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) {
    out.push(xs.slice(i, i + n));
  }
  return out;
}

/**
 * Keeps the lines of the records behind the chains (a few per chain) so the details can show them, and lets the
 * rest of what was read go. Lines are found by their Loki entry time, then by their stream labels.
 */
function recordLines(chains: Chain[], events: ChangeEvent[], read: RawLine[][]): LokiTrace['lineOf'] {
  const byId = new Map(events.map((e) => [e.id, e]));
  const wanted = new Set<string>();
  for (const c of chains) {
    eventsBehind(c, byId).forEach(({ event }) => event.raw.ns && wanted.add(event.raw.ns));
  }
  const find = lineFinder(read, (ns) => wanted.has(ns));
  return (raw) => find(raw)?.text;
}

/**
 * The line of a record among `read` (those whose Loki entry time `keep` allows): found by its entry time, then
 * by its stream labels.
 */
function lineFinder(read: readonly RawLine[][], keep: (ns: string) => boolean = () => true) {
  const byNs = new Map<string, RawLine[]>();
  for (const lines of read) {
    for (const l of lines) {
      if (l.ns && keep(l.ns)) {
        const same = byNs.get(l.ns);
        if (same) {
          same.push(l);
        } else {
          byNs.set(l.ns, [l]);
        }
      }
    }
  }
  return (raw: RawRef): RawLine | undefined => {
    const same = (l: RawLine) => Object.entries(l.labels ?? {}).every(([k, v]) => raw.labels[k] === v);
    return raw.ns ? byNs.get(raw.ns)?.find(same) : undefined;
  };
}

/** Where phase 1 started reading: the question's start, or the oldest piece read of a long range. */
function readFromOf(queries: LokiTrace['queries'], from: number): number {
  return Math.max(from, Math.min(...queries.filter((q) => q.phase === 1).map((q) => q.from)));
}

/**
 * Whether phase 1 read every write of any object within [lo, hi]: a question narrowed to an object, an actor,
 * verbs or a text did not, and an owner's change before the range (or before the part read) was not read either.
 */
function phase1Covers(
  q: Question & { from: number; to: number },
  readFrom: number
): (lo: number, hi: number) => boolean {
  const t = q.target ?? {};
  const narrowed = [t.resource, t.namespace, t.name, q.actor, q.text].some((v) => v && v !== '*') || !!q.verbs?.length;
  return (lo, hi) => !narrowed && lo >= readFrom && hi <= q.to;
}

interface OwnerFetch {
  covered: (lo: number, hi: number) => boolean;
  opts: CorrelateOptions;
  selectors: StreamSelectors;
  warnings: string[];
  /** Runs one query and returns the events it read (their lines also join the trace). */
  fetch: (q: LogQuery, from: number, to: number) => Promise<ChangeEvent[]>;
}

/**
 * The LogQL phase 1 asks for a question (what the query editor shows). A person's changes include writes no line of
 * theirs names (an Argo CD sync they started, a Rancher user id whose login only Rancher's log gives): who acted is
 * decided after correlation (selectChains), never by a line filter.
 */
export function phaseOneQuery(question: Question, selectors: StreamSelectors = DEFAULT_SELECTORS): LogQuery {
  return effectsQuery({ ...question, actor: undefined }, selectors, false);
}

/**
 * The owner chain of the controller writes among `effects` (Pod → ReplicaSet → Deployment …): per hop, one query
 * for the owners' writes within the cascade window that were not read already, by the names the cascade rule
 * looks for (ownerReferences, pod-template-hash, naming rules). At most MAX_OWNER_HOPS hops, each in queries of at
 * most MAX_ALTERNATION owners, at most MAX_NAME_CHUNKS of them (the newest writes' owners first, the rest said in a
 * warning). Returns the owners' writes.
 */
async function fetchOwnerChain(effects: ChangeEvent[], known: ChangeEvent[], f: OwnerFetch): Promise<ChangeEvent[]> {
  const byKey = new Map<string, ChangeEvent[]>();
  const remember = (e: ChangeEvent) => {
    const k = objectKey(e);
    byKey.set(k, [...(byKey.get(k) ?? []), e]);
  };
  known.forEach(remember);
  const found: ChangeEvent[] = [];
  const fetched = new Set<string>();
  let frontier = effects;
  for (let hop = 0; hop < MAX_OWNER_HOPS && frontier.length > 0; hop++) {
    const next = new Set<ChangeEvent>();
    const wanted = new Map<string, { name: string; resource: string; namespace?: string; lo: number; hi: number }>();
    for (const e of [...frontier].sort((a, b) => (b.time ?? 0) - (a.time ?? 0))) {
      const t = e.time as number;
      const lo = t - f.opts.cascadeWindowMs;
      const hi = t + f.opts.skewMs;
      for (const o of ownerObjectsOf(e)) {
        const { cluster, namespace } = e.target;
        const key = objectKey({
          target: { cluster, apiGroup: o.apiGroup, resource: o.resource, namespace, name: o.name },
        });
        const inWindow = (byKey.get(key) ?? []).filter((w) => w.time !== undefined && w.time >= lo && w.time <= hi);
        if (inWindow.length > 0 || f.covered(lo, hi)) {
          inWindow.forEach((w) => next.add(w));
          continue;
        }
        const w = wanted.get(key);
        wanted.set(key, {
          name: o.name,
          resource: o.resource,
          namespace,
          lo: Math.min(lo, w?.lo ?? lo),
          hi: Math.max(hi, w?.hi ?? hi),
        });
      }
    }
    const ask = [...wanted].filter(([k]) => !fetched.has(k));
    const most = MAX_ALTERNATION * MAX_NAME_CHUNKS;
    if (ask.length > most) {
      f.warnings.push(
        `${ask.length} owners of controller-written objects were not read; the ${most} of the newest writes were fetched, the others' changes may be missing from their stories: narrow the question.`
      );
    }
    // In pieces a query can name (a busy window of a cluster has hundreds of owners), one after another so the
    // session takes their lines in one order.
    for (const chosen of inChunks(ask.slice(0, most), MAX_ALTERNATION)) {
      chosen.forEach(([k]) => fetched.add(k));
      const owners = chosen.map(([, o]) => o);
      const namespaces = owners.every((o) => o.namespace) ? [...new Set(owners.map((o) => o.namespace as string))] : [];
      const q = ownerWritesQuery(
        {
          names: [...new Set(owners.map((o) => o.name))],
          resources: [...new Set(owners.map((o) => o.resource))],
          namespaces,
        },
        f.selectors
      );
      const [lo] = extent(owners.map((o) => o.lo));
      const [, hi] = extent(owners.map((o) => o.hi));
      const keys = new Map(chosen);
      for (const w of await f.fetch(q, lo, hi + 1)) {
        const o = keys.get(objectKey(w));
        if (
          o &&
          isEffect(w) &&
          w.time !== undefined &&
          w.time >= o.lo &&
          w.time <= o.hi &&
          !byKey.get(objectKey(w))?.some((x) => x.id === w.id)
        ) {
          remember(w);
          found.push(w);
          next.add(w);
        }
      }
    }
    frontier = [...next];
  }
  return found;
}

export async function traceOverLoki(
  client: LokiTransport,
  question: Question & { from: number; to: number },
  selectors: StreamSelectors = DEFAULT_SELECTORS,
  options: Partial<CorrelateOptions> = {},
  signal?: AbortSignal,
  limits: ReadLimits = {}
): Promise<LokiTrace> {
  const opts = { ...DEFAULT_OPTIONS, ...options };
  const leaveOut = question.leaveOut ?? ALL_ROUTINE;
  const leftOut = new Set<string>(leaveOut);
  const explainWith = (source: 'rancher-audit' | 'argocd' | 'fleet') =>
    !question.sources || question.sources.includes(source);
  const warnings: string[] = [];
  const queries: LokiTrace['queries'] = [];
  const read: RawLine[][] = [];
  const run = async (
    phase: 1 | 2,
    q: LogQuery,
    from: number,
    to: number,
    onPage?: (lines: RawLine[]) => void
  ): Promise<RawLine[]> => {
    const logql = renderLogQuery(q);
    const r = await client.queryRange(logql, from, to, signal, undefined, onPage && ((_, lines) => onPage(lines)));
    warnings.push(...r.warnings);
    queries.push({ phase, logql, from, to, lines: r.lines.length, requests: r.requests });
    read.push(r.lines);
    return r.lines;
  };

  // Phase 1: the effects. Loki's end is exclusive: ask up to one ms past the last wanted instant.
  const phase1 = phaseOneQuery({ ...question, leaveOut }, selectors);
  const end = question.to + 1;
  const budget = limits.maxEffectLines ?? DEFAULT_MAX_EFFECT_LINES;
  const pieceMs = limits.pieceMs ?? 3_600_000;
  let effectLines: RawLine[];
  // Reads explain nothing: lines that certainly are reads are counted, not parsed (prescan.ts).
  let session = new ParseSession({ skipReads: true });
  let parsedAlready = 0;
  if (end - question.from <= (limits.newestFirstOverMs ?? 6 * 3_600_000)) {
    // Parsed as its pages arrive, while the next ones are on their way: the pages come in the answer's order.
    const heard: RawLine[] = [];
    effectLines = await run(1, phase1, question.from, end, (lines) => {
      for (const l of lines) {
        heard.push(l);
        session.add(l);
      }
    });
    if (heard.length === effectLines.length && heard.every((l, i) => l === effectLines[i])) {
      parsedAlready = heard.length;
    } else if (heard.length > 0) {
      // A transport that paged otherwise: the answer is parsed whole, as it says it is.
      session = new ParseSession({ skipReads: true });
    }
    limits.onProgress?.({ pieces: 1, piecesDone: 1, lines: effectLines.length });
  } else {
    // A long range: the newest piece first, older ones while the budget lasts; what is left is said, not hidden.
    const pieces = Math.ceil((end - question.from) / pieceMs);
    const newestFirst: RawLine[][] = [];
    let lines = 0;
    let readFrom = end;
    for (let i = 0; i < pieces && (i === 0 || lines < budget); i++) {
      const from = Math.max(question.from, end - (i + 1) * pieceMs);
      const got = await run(1, phase1, from, end - i * pieceMs);
      newestFirst.push(got);
      lines += got.length;
      readFrom = from;
      limits.onProgress?.({ pieces, piecesDone: i + 1, lines });
    }
    effectLines = newestFirst.reverse().flat();
    if (readFrom > question.from) {
      warnings.push(
        `Answered the newest part only: changes from ${at(readFrom)} to ${at(question.to)} (${lines} lines of writes read, the limit is ${budget}). ` +
          `${at(question.from)} to ${at(readFrom)} was not read: narrow the question (an object, a namespace, a person) or ask for a range that ends at ${at(readFrom)} to read the older part.`
      );
    }
  }
  const rancherTarget = explainWith('rancher-audit') ? rancherTargetQuery(question, selectors) : undefined;
  if (rancherTarget) {
    effectLines = [...effectLines, ...(await run(1, rancherTarget, question.from, end))];
  }
  await addInChunks(session, parsedAlready > 0 ? effectLines.slice(parsedAlready) : effectLines, signal);
  // Routine writes explain nothing and need no explaining: they do not widen the phase-2 windows.
  const isWanted = (e: ChangeEvent) => isEffect(e) && !leftOut.has(routineClassOf(e) ?? '');
  // Parsed once: phase 2 is planned from the same events the answer is built from.
  const phase1Events = session.eventsSoFar();
  // The owners' changes behind controller writes (cascade) are effects too: phase 2 explains them.
  const ownerChanges = await fetchOwnerChain(phase1Events.filter(isWanted), phase1Events, {
    covered: phase1Covers(question, readFromOf(queries, question.from)),
    opts,
    selectors,
    warnings,
    fetch: async (q, from, to) => {
      const lines = await run(2, q, from, to);
      await addInChunks(session, lines, signal);
      const p = new ParseSession({ skipReads: true });
      await addInChunks(p, lines, signal);
      return p.finish().events;
    },
  });
  const effects = [...phase1Events.filter(isWanted), ...ownerChanges.filter(isWanted)];
  // Downwards, what the owners asked about set off (their blast radius): read when phase 1 did not.
  const owners = phase1Events.filter((e) => isWanted(e) && OWNER_RESOURCES.has(e.target.resource) && e.target.name);
  const ownerTimes = owners.map((e) => e.time).filter((t): t is number => t !== undefined);
  const readFrom = readFromOf(queries, question.from);
  if (ownerTimes.length > 0) {
    const [first, last] = extent(ownerTimes);
    const names = [...new Set(owners.map((e) => e.target.name as string))];
    const namespaces = owners.every((e) => e.target.namespace)
      ? [...new Set(owners.map((e) => e.target.namespace as string))]
      : [];
    const most = MAX_ALTERNATION * MAX_NAME_CHUNKS;
    // Two controller hops (ReplicaSet, then its Pods), each within the cascade window of its cause.
    const lo = first - opts.skewMs;
    const hi = Math.min(last + 2 * opts.cascadeWindowMs, question.to + 2 * opts.cascadeWindowMs) + 1;
    // What phase 1 read already (a broad question's whole range) is not read again: only what lies outside it.
    const broad = phase1Covers(question, readFrom)(readFrom, question.to);
    const around: Array<[number, number]> = broad
      ? [
          [lo, Math.min(hi, readFrom)],
          [Math.max(lo, question.to + 1), hi],
        ]
      : [[lo, hi]];
    const windows = around.filter(([a, b]) => a < b);
    if (names.length <= most) {
      // In pieces a query can name, one after another.
      for (const [from, to] of windows) {
        for (const some of inChunks(names, MAX_ALTERNATION)) {
          const lines = await run(2, dependentWritesQuery({ names: some, namespaces }, selectors, leaveOut), from, to);
          await addInChunks(session, lines, signal);
        }
      }
    } else if (broad) {
      // More owners than queries can name (a busy cluster's hour): the writes outside the range are read whole —
      // phase 1's query there, bounded by the cascade window, not by names — and the cascade rule picks.
      for (const [from, to] of windows) {
        await addInChunks(session, await run(2, phase1, from, to), signal);
      }
    } else {
      warnings.push(
        `${names.length} owners asked about: what they set off through controllers was not read (at most ${most}); narrow the question to see their consequences.`
      );
    }
  }
  const times = effects.map((e) => e.time).filter((t): t is number => t !== undefined);
  if (times.length > 0) {
    const [first, last] = extent(times);
    const needs = {
      rancherUsers: [
        ...new Set(
          effects.filter((e) => e.actor.via[0]?.mechanism === 'rancher-impersonation').map((e) => e.actor.name)
        ),
      ],
      argo:
        explainWith('argocd') &&
        effects.some(
          (e) => (e.actor.kind === 'gitops-controller' && !/fleet/.test(e.actor.name)) || isArgocdServerWrite(e)
        ),
      fleet:
        explainWith('fleet') && effects.some((e) => e.actor.kind === 'gitops-controller' && /fleet/.test(e.actor.name)),
      driftNames: [
        ...new Set(
          effects.filter((e) => e.actor.kind === 'human' && e.target.name).map((e) => e.target.name as string)
        ),
      ],
      appSets: [
        ...new Set(
          effects
            .filter((e) => e.target.resource === 'applications' && e.marks?.ownerApplicationSet)
            .map((e) => e.marks?.ownerApplicationSet as string)
        ),
      ],
    };
    const c = causeQueries(needs, selectors);
    const windows: Array<[LogQuery | undefined, number, number]> = [
      // The sync began up to a sync window before the write; a failure before it is context too.
      [c.argocd, first - opts.syncWindowMs - opts.failureLookbackMs, last + opts.syncWindowMs],
      [c.fleet, first - opts.fleetLookbackMs, last + opts.syncWindowMs],
      [c.priorWrites, first - opts.driftLookbackMs, last + 1],
      // RBAC, Application and GitRepo writes: people who made them through Rancher need Rancher's records too.
      [c.controlWrites, first - Math.max(opts.rbacLookbackMs, opts.fleetLookbackMs), last + opts.syncWindowMs],
      // A GitRepo edited in Rancher's UI has no kube-apiserver record of its own the effects would point to.
      [explainWith('rancher-audit') ? c.rancherGitRepos : undefined, first - opts.fleetLookbackMs, last + 1],
      // The app-generator rule takes the generator's latest change within the drift look-back.
      [c.appSetWrites, first - opts.driftLookbackMs, last + 1],
      [explainWith('argocd') ? c.appSetMessages : undefined, first - opts.driftLookbackMs, last + 1],
    ];
    // Phase 2 queries do not depend on each other: ask them together.
    const answers = await Promise.all(windows.map(([q, from, to]) => (q ? run(2, q, from, to) : Promise.resolve([]))));
    for (const lines of answers) {
      await addInChunks(session, lines, signal);
    }
    // Who made an RBAC, Application, GitRepo or ApplicationSet write through Rancher is in Rancher's records.
    const control = [...answers[3], ...answers[5]];
    const controlProbe = new ParseSession({ skipReads: true });
    await addInChunks(controlProbe, control, signal);
    const controlEvents = controlProbe.finish().events;
    const proxied = [...effects, ...controlEvents].filter(
      (e) => e.actor.via[0]?.mechanism === 'rancher-impersonation' && e.time !== undefined
    );
    // Rancher user ids acting through the authorized cluster endpoint: any earlier Rancher record names the login.
    const direct = effects.filter(
      (e) =>
        e.actor.via.length === 0 && !e.actor.loginName && RANCHER_USER_ID.test(e.actor.name) && e.time !== undefined
    );
    const users = [...new Set([...proxied, ...direct].map((e) => e.actor.name))];
    const rancherFor = (ids: string[]) =>
      ids.length && explainWith('rancher-audit')
        ? causeQueries({ ...needs, rancherUsers: ids }, selectors).rancher
        : undefined;
    const rancher = rancherFor(users);
    if (rancher) {
      const [lo, hi] = extent([...proxied, ...direct].map((e) => e.time as number));
      const [directLo] = extent(direct.map((e) => e.time as number));
      // The identity look-back as the file trace applies it, read newest first: the first piece reaches back an
      // RBAC look-back, older pieces (each twice as long) only while a direct request has no login record in its
      // look-back yet. The rancher-ace rule takes the latest such record, so what is left unread cannot change it.
      const floor = direct.length ? directLo - opts.identityLookbackMs : Infinity;
      let from = Math.min(lo - 1_000 - opts.skewMs, Math.max(floor, directLo - opts.rbacLookbackMs));
      const logins = new LoginTimes([...effects, ...controlEvents]);
      const rancherLines = await run(2, rancher, from, hi + opts.skewMs + 1);
      await addInChunks(session, rancherLines, signal);
      logins.add(rancherLines);
      let piece = opts.rbacLookbackMs;
      for (;;) {
        const unresolved = direct.filter((e) => !logins.names(e, opts.identityLookbackMs, opts.skewMs));
        const older = rancherFor([...new Set(unresolved.map((e) => e.actor.name))]);
        if (!older || from <= floor) {
          break;
        }
        const to = from;
        from = Math.max(floor, from - piece);
        piece *= 2;
        const lines = await run(2, older, from, to);
        await addInChunks(session, lines, signal);
        logins.add(lines);
      }
    }
  }
  const all = session.finish();
  const { kept, excluded } = excludeRoutine(all.events, leaveOut, question);
  const parsed = { ...all, events: kept };
  const selection: TraceSelection = {
    target: question.target,
    actor: question.actor,
    verbs: question.verbs,
    from: question.from,
    to: question.to,
  };
  const allChains = buildAllChains(parsed.events, options);
  // Free text is a line filter of phase 1: a write read only to explain the answer (phase 2) need not hold it.
  const phase1Line = question.text ? lineFinder([effectLines]) : undefined;
  const chains = selectChains(allChains, selection).filter((c) => !phase1Line || phase1Line(c.effect.raw));
  return {
    chains,
    allChains,
    effectLines,
    parsed,
    excluded,
    excludedInLoki: classesFilteredInLoki(leaveOut),
    warnings: [...new Set(warnings)],
    queries,
    lineOf: recordLines(chains, parsed.events, read),
  };
}
