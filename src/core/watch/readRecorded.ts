import type { ChainJson } from '../correlate/chainJson';
import type { LokiTransport } from '../loki/transport';
import type { RawLine } from '../parse/types';
import { PROGRESS_JOB, readProgress, type RecordedChain } from './recorded';
import { isRecordedChain } from './recordedChains';
import { recordedSelector } from './watcher';

/**
 * Reading what `provenance watch` recorded instead of correlating: the progress entries say which windows are
 * wholly recorded; the chains of those parts come from the recorded stream (the newest revision of each), the
 * rest of the range is left to live correlation — and said so.
 */

export interface RecordedRange {
  /** Chains recorded in the covered parts of [from, to], newest revision, in effect time order. */
  chains: ChainJson[];
  /** The same chains as recorded (evidence records included), with their stream's `cluster` label. */
  recorded: Array<{ chain: RecordedChain; cluster?: string }>;
  /** Lines of the recorded stream that are not a chain of the trace contract (bad JSON, another shape). */
  skipped: number;
  /** Parts of [from, to] (inclusive ms) wholly recorded. */
  covered: Array<{ from: number; to: number }>;
  /** Parts of [from, to] (inclusive ms) not recorded: correlate them live. */
  gaps: Array<{ from: number; to: number }>;
}

/** Windows may be long; a progress entry sits at its window's last millisecond, so read a little past `to`. */
const PROGRESS_SLACK_MS = 3_600_000;

/** The recorded chain as the trace contract has it (evidence records, revision and cut notes left out). */
export function asChainJson(c: RecordedChain): ChainJson {
  const { records: _records, revision: _revision, shortened: _shortened, ...chain } = c;
  // Recorded before these fields were in the contract: absent means none.
  return { ...chain, grantedBy: chain.grantedBy ?? null, failedSyncBefore: chain.failedSyncBefore ?? null };
}

/** The order of a trace: effect time, then id. */
export function byEffectTime(a: ChainJson, b: ChainJson): number {
  const t = (c: ChainJson) => (c.effect.time === null ? -Infinity : Date.parse(c.effect.time));
  return t(a) - t(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Union of [from, to) windows, merged where they touch. */
function union(windows: Array<{ fromMs: number; toMs: number }>): Array<{ from: number; to: number }> {
  const sorted = [...windows].sort((a, b) => a.fromMs - b.fromMs);
  const out: Array<{ from: number; to: number }> = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.fromMs <= last.to) {
      last.to = Math.max(last.to, w.toMs);
    } else {
      out.push({ from: w.fromMs, to: w.toMs });
    }
  }
  return out;
}

export async function readRecordedRange(
  transport: LokiTransport,
  from: number,
  to: number,
  cluster?: string,
  signal?: AbortSignal
): Promise<RecordedRange> {
  const progress = await transport.queryRange(
    recordedSelector(cluster, PROGRESS_JOB),
    from,
    to + 1 + PROGRESS_SLACK_MS,
    signal
  );
  const windows = progress.lines.map((l) => readProgress(l.text)).filter((w) => w !== undefined);
  // Half-open [from, to) from here on; the answer's ranges are inclusive like --from / --to.
  const covered = union(windows)
    .map((u) => ({ from: Math.max(u.from, from), to: Math.min(u.to, to + 1) }))
    .filter((u) => u.from < u.to);
  const gaps: Array<{ from: number; to: number }> = [];
  let cursor = from;
  for (const c of covered) {
    if (c.from > cursor) {
      gaps.push({ from: cursor, to: c.from - 1 });
    }
    cursor = c.to;
  }
  if (cursor <= to) {
    gaps.push({ from: cursor, to });
  }
  let recorded: RecordedRange['recorded'] = [];
  let skipped = 0;
  if (covered.length) {
    const lines = await transport.queryRange(recordedSelector(cluster), from, to + 1, signal);
    const inCovered = (ms: number) => covered.some((c) => ms >= c.from && ms < c.to);
    const newest = newestChains(lines.lines);
    skipped = newest.skipped;
    recorded = newest.chains.filter(({ chain: c }) => c.effect.time !== null && inCovered(Date.parse(c.effect.time)));
  }
  recorded.sort((a, b) => byEffectTime(a.chain, b.chain));
  return {
    chains: recorded.map((r) => asChainJson(r.chain)),
    recorded,
    skipped,
    covered: covered.map((c) => ({ from: c.from, to: c.to - 1 })),
    gaps,
  };
}

/**
 * The newest revision of each chain in the recorded lines; a line that is no chain of the contract is counted.
 * Of two lines of one revision (the same chain recorded for two clusters under one id) the first read stays. Not
 * recorded.ts `newestVersions`: the watcher's comparison body is not needed here, the stream's labels are.
 */
function newestChains(lines: readonly RawLine[]): { chains: RecordedRange['recorded']; skipped: number } {
  const newest = new Map<string, { chain: RecordedChain; cluster?: string; revision: number }>();
  let skipped = 0;
  for (const l of lines) {
    let j: unknown;
    try {
      j = JSON.parse(l.text);
    } catch {
      skipped++;
      continue;
    }
    if (!isRecordedChain(j)) {
      skipped++;
      continue;
    }
    const revision = typeof j.revision === 'number' && j.revision > 1 ? j.revision : 1;
    if ((newest.get(j.id)?.revision ?? 0) < revision) {
      newest.set(j.id, { chain: j, revision, ...(l.labels?.cluster ? { cluster: l.labels.cluster } : {}) });
    }
  }
  const chains = [...newest.values()].map(({ chain, cluster }) => ({ chain, ...(cluster ? { cluster } : {}) }));
  return { chains, skipped };
}

const at = (ms: number) => new Date(ms).toISOString();

/** The notices of a recorded read: which parts were recorded, what was skipped (gaps: see gapNotice). */
export function recordedNotices(r: Pick<RecordedRange, 'covered' | 'skipped'>): string[] {
  return [
    ...r.covered.map((c) => `${at(c.from)} to ${at(c.to)}: recorded chains`),
    ...(r.skipped > 0
      ? [`${r.skipped} lines of the recorded stream are not chains (not JSON, or not the trace contract): skipped`]
      : []),
  ];
}

/** The notice of a part of the range not recorded yet. */
export function gapNotice(gap: { from: number; to: number }): string {
  return `${at(gap.from)} to ${at(gap.to)} is not recorded (yet): correlated live`;
}

export interface RecordedOrLive<L> {
  range: RecordedRange;
  /** The live answer of each gap, in order. */
  live: Array<{ gap: { from: number; to: number }; answer: L }>;
  /** The recorded parts and skips first, then each gap followed by its live answer's warnings. */
  notices: string[];
}

/**
 * `trace --recorded` and the data source's "recorded chains": the recorded part of [from, to] read, every gap
 * answered by `live` (the caller's correlation), and the notices that say which part was which.
 */
export async function readRecordedOrLive<L>(
  transport: LokiTransport,
  from: number,
  to: number,
  cluster: string | undefined,
  live: (gap: { from: number; to: number }) => Promise<{ answer: L; warnings: readonly string[] }>,
  signal?: AbortSignal
): Promise<RecordedOrLive<L>> {
  const range = await readRecordedRange(transport, from, to, cluster, signal);
  const notices = recordedNotices(range);
  const answers: RecordedOrLive<L>['live'] = [];
  for (const gap of range.gaps) {
    notices.push(gapNotice(gap));
    const { answer, warnings } = await live(gap);
    notices.push(...warnings);
    answers.push({ gap, answer });
  }
  return { range, live: answers, notices };
}
