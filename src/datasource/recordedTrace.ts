import {
  ALL_ROUTINE,
  chainOfRecorded,
  readRecordedOrLive,
  selectChains,
  type Chain,
  type ChainRecord,
  type ExcludedCounts,
  type LokiTransport,
  type Question,
  type StreamSelectors,
} from '../core';
import { chainColumns } from './chainColumns';
import type { TraceAnswer } from './remoteTrace';
import type { ProvenanceMode } from './types';

/**
 * The data source's "recorded chains": a Chains, Node graph, annotation or variable query reads the chains
 * `provenance watch` recorded in Loki instead of correlating (a few queries for 30 days), and correlates live only
 * the part of the range not recorded yet — core's readRecordedOrLive, the same reading as `trace --recorded` —
 * with notices that say which part was which. The answer has the shape of a live trace, so the frames are the same.
 */

/**
 * Why a query cannot be answered from the recorded stream, or undefined when it can: the watcher recorded every
 * write with every stream explaining it and every routine class left out, and kept no raw lines to search.
 */
export function whyNotRecorded(mode: ProvenanceMode, q: Question): string | undefined {
  if (mode === 'events' || mode === 'logs') {
    return undefined;
  }
  if (q.text) {
    return 'the query searches the raw audit lines for text, which the recorded chains do not keep';
  }
  if (q.sources && !['rancher-audit', 'argocd', 'fleet'].every((s) => q.sources?.includes(s as never))) {
    return 'the query explains changes with fewer streams than the watcher does';
  }
  const leaveOut = new Set(q.leaveOut ?? ALL_ROUTINE);
  if (leaveOut.size !== ALL_ROUTINE.length || !ALL_ROUTINE.every((c) => leaveOut.has(c))) {
    return 'the query keeps routine traffic the watcher leaves out';
  }
  return undefined;
}

/** The recorded chains a question asks for: the same selection a live trace makes, and its verbs. */
function selected(chains: Chain[], q: Question): Set<Chain> {
  const verbs = q.verbs?.length ? new Set(q.verbs) : undefined;
  return new Set(
    selectChains(chains, { target: q.target, actor: q.actor }).filter((c) => !verbs || verbs.has(c.effect.verb))
  );
}

function addCounts(into: ExcludedCounts, more: ExcludedCounts): void {
  for (const [k, n] of Object.entries(more) as Array<[keyof ExcludedCounts, number]>) {
    into[k] = (into[k] ?? 0) + n;
  }
}

/**
 * A trace answer from the recorded stream, with `live` (the data source's own trace through its worker) for each
 * part not recorded. Rows come in the order of a live trace (effect time, then id).
 */
export async function recordedAnswer(
  transport: LokiTransport,
  question: Question & { from: number; to: number },
  cluster: string | undefined,
  selectors: StreamSelectors,
  live: (q: Question & { from: number; to: number }) => Promise<TraceAnswer>,
  signal?: AbortSignal
): Promise<TraceAnswer> {
  const r = await readRecordedOrLive(
    transport,
    question.from,
    question.to,
    cluster,
    async (gap) => {
      const answer = await live({ ...question, from: gap.from, to: gap.to });
      return { answer, warnings: answer.warnings };
    },
    signal
  );
  const rows: Array<{ chain: Chain; records: ChainRecord[]; rawQuery?: string }> = [];
  const rebuilt = r.range.recorded.map((x) => chainOfRecorded(x.chain, x.cluster));
  const wanted = selected(
    rebuilt.map((x) => x.chain),
    question
  );
  for (const x of rebuilt) {
    if (wanted.has(x.chain)) {
      rows.push({ chain: x.chain, records: x.records, rawQuery: x.effectLogql });
    }
  }
  const excluded: ExcludedCounts = {};
  const excludedInLoki = new Set<string>();
  const skipped: TraceAnswer['skipped'] = {};
  const queries: TraceAnswer['queries'] = [];
  for (const { answer } of r.live) {
    answer.chains.forEach((chain, i) => rows.push({ chain, records: answer.records[i] }));
    addCounts(excluded, answer.excluded);
    answer.excludedInLoki.forEach((c) => excludedInLoki.add(c));
    for (const [reason, s] of Object.entries(answer.skipped)) {
      skipped[reason] = skipped[reason] ? { ...skipped[reason], count: skipped[reason].count + s.count } : { ...s };
    }
    queries.push(...answer.queries);
  }
  const time = (c: Chain) => c.effect.time ?? -Infinity;
  rows.sort(
    (a, b) => time(a.chain) - time(b.chain) || (a.chain.id < b.chain.id ? -1 : a.chain.id > b.chain.id ? 1 : 0)
  );
  const chains = rows.map((x) => x.chain);
  const columns = chainColumns(chains, selectors);
  // The evidence record's LogQL finds the effect's line by its audit ID (the model rebuilt from the line has no keys).
  rows.forEach((x, i) => {
    if (x.rawQuery !== undefined) {
      columns.rawQuery[i] = x.rawQuery;
    }
  });
  const fromLive = async <T>(detail: (a: TraceAnswer) => Promise<T[]>) =>
    (await Promise.all(r.live.map((l) => detail(l.answer)))).flat();
  return {
    chains,
    records: rows.map((x) => x.records),
    columns,
    excluded,
    excludedInLoki: [...excludedInLoki],
    warnings: r.notices,
    skipped,
    queries,
    events: () => fromLive((a) => a.events()),
    effectLines: () => fromLive((a) => a.effectLines()),
  };
}
