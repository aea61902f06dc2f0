import { RANCHER_USER_ID } from '../correlate/eventIndex';
import { buildAllChains, isEffect, selectChains, type TraceSelection } from '../correlate/engine';
import { eventsBehind } from '../correlate/eventsBehind';
import { DEFAULT_OPTIONS, type CorrelateOptions } from '../correlate/options';
import type { Chain, ChangeEvent, RawRef } from '../model';
import { renderLogQuery, type LogQuery } from '../logql/builder';
import { causeQueries, effectsQuery, type Question, type StreamSelectors, DEFAULT_SELECTORS } from '../logql/questions';
import { ParseSession, type ParseSummary } from '../parse/session';
import type { RawLine } from '../parse/types';
import type { LokiTransport } from './transport';

/**
 * A provenance question over Loki in two phases. Phase 1 fetches only the writes the question is about;
 * phase 2 fetches only what can explain them, each stream over its own window around the writes' times:
 * Rancher records of the proxied users (± skew), Argo CD / Fleet lines (sync window), RBAC / Application /
 * GitRepo writes (RBAC look-back) and earlier writes of objects people changed (drift look-back).
 * Query budget: 1 query for phase 1 and at most 5 for phase 2 (Argo CD, Fleet, prior writes, control writes,
 * Rancher), each split into `splitMs` pieces and paged.
 */

export interface LokiTrace {
  chains: Chain[];
  /** Every chain of what was read, the selection's consequences included (for their blast radius). */
  allChains: Chain[];
  /** The phase-1 lines (the writes asked about), for a raw-log view. */
  effectLines: RawLine[];
  parsed: ParseSummary;
  warnings: string[];
  queries: Array<{ phase: 1 | 2; logql: string; from: number; to: number; lines: number; requests: number }>;
  /** The raw line of a record behind a chain (effect, link cause or context), as Loki returned it. */
  lineOf: (raw: RawRef) => string | undefined;
}

const CHUNK = 2_000;

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
  const byNs = new Map<string, RawLine[]>();
  for (const lines of read) {
    for (const l of lines) {
      if (l.ns && wanted.has(l.ns)) {
        const same = byNs.get(l.ns);
        if (same) {
          same.push(l);
        } else {
          byNs.set(l.ns, [l]);
        }
      }
    }
  }
  return (raw) => {
    const same = (l: RawLine) => Object.entries(l.labels ?? {}).every(([k, v]) => raw.labels[k] === v);
    return raw.ns ? byNs.get(raw.ns)?.find(same)?.text : undefined;
  };
}

export async function traceOverLoki(
  client: LokiTransport,
  question: Question & { from: number; to: number },
  selectors: StreamSelectors = DEFAULT_SELECTORS,
  options: Partial<CorrelateOptions> = {},
  signal?: AbortSignal
): Promise<LokiTrace> {
  const opts = { ...DEFAULT_OPTIONS, ...options };
  const explainWith = (source: 'rancher-audit' | 'argocd' | 'fleet') =>
    !question.sources || question.sources.includes(source);
  const warnings: string[] = [];
  const queries: LokiTrace['queries'] = [];
  const read: RawLine[][] = [];
  const run = async (phase: 1 | 2, q: LogQuery, from: number, to: number): Promise<RawLine[]> => {
    const logql = renderLogQuery(q);
    const r = await client.queryRange(logql, from, to, signal);
    warnings.push(...r.warnings);
    queries.push({ phase, logql, from, to, lines: r.lines.length, requests: r.requests });
    read.push(r.lines);
    return r.lines;
  };

  // Phase 1: the effects. Loki's end is exclusive: ask up to one ms past the last wanted instant.
  const effectLines = await run(1, effectsQuery(question, selectors, false), question.from, question.to + 1);
  const probe = new ParseSession();
  await addInChunks(probe, effectLines, signal);
  const effects = probe.finish().events.filter(isEffect);
  const times = effects.map((e) => e.time).filter((t): t is number => t !== undefined);

  const session = new ParseSession();
  await addInChunks(session, effectLines, signal);
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
        effects.some((e) => e.actor.kind === 'gitops-controller' && !/fleet/.test(e.actor.name)),
      fleet:
        explainWith('fleet') && effects.some((e) => e.actor.kind === 'gitops-controller' && /fleet/.test(e.actor.name)),
      driftNames: [
        ...new Set(
          effects.filter((e) => e.actor.kind === 'human' && e.target.name).map((e) => e.target.name as string)
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
    ];
    // Phase 2 queries do not depend on each other: ask them together.
    const answers = await Promise.all(windows.map(([q, from, to]) => (q ? run(2, q, from, to) : Promise.resolve([]))));
    for (const lines of answers) {
      await addInChunks(session, lines, signal);
    }
    const control = answers[3];
    const controlProbe = new ParseSession();
    await addInChunks(controlProbe, control, signal);
    const proxied = [...effects, ...controlProbe.finish().events].filter(
      (e) => e.actor.via[0]?.mechanism === 'rancher-impersonation' && e.time !== undefined
    );
    const users = [...new Set(proxied.map((e) => e.actor.name))];
    const rancher =
      users.length && explainWith('rancher-audit')
        ? causeQueries({ ...needs, rancherUsers: users }, selectors).rancher
        : undefined;
    if (rancher) {
      const pts = proxied.map((e) => e.time as number);
      const [lo, hi] = extent(pts);
      await addInChunks(session, await run(2, rancher, lo - 1_000 - opts.skewMs, hi + opts.skewMs + 1), signal);
    }
    // A Rancher user id acting with no impersonation (authorized cluster endpoint): any Rancher record of the
    // same id in the identity look-back may name its login (rancher-ace rule).
    const direct = effects.filter(
      (e) =>
        e.source === 'kube-audit' &&
        e.time !== undefined &&
        e.actor.via.length === 0 &&
        !e.actor.loginName &&
        RANCHER_USER_ID.test(e.actor.name)
    );
    const directQuery =
      direct.length && explainWith('rancher-audit')
        ? causeQueries({ ...needs, rancherUsers: [...new Set(direct.map((e) => e.actor.name))] }, selectors).rancher
        : undefined;
    if (directQuery) {
      const [lo, hi] = extent(direct.map((e) => e.time as number));
      await addInChunks(session, await run(2, directQuery, lo - opts.identityLookbackMs, hi + opts.skewMs + 1), signal);
    }
  }
  const parsed = session.finish();
  const selection: TraceSelection = {
    target: question.target,
    actor: question.actor,
    from: question.from,
    to: question.to,
  };
  const allChains = buildAllChains(parsed.events, options);
  const chains = selectChains(allChains, selection);
  return {
    chains,
    allChains,
    effectLines,
    parsed,
    warnings: [...new Set(warnings)],
    queries,
    lineOf: recordLines(chains, parsed.events, read),
  };
}
