import type { ChainJson } from '../correlate/chainJson';
import type { LokiTransport } from '../loki/transport';
import { newestVersions, PROGRESS_JOB, readProgress, type RecordedChain } from './recorded';
import { recordedSelector } from './watcher';

/**
 * Reading what `provenance watch` recorded instead of correlating: the progress entries say which windows are
 * wholly recorded; the chains of those parts come from the recorded stream (the newest revision of each), the
 * rest of the range is left to live correlation — and said so.
 */

export interface RecordedRange {
  /** Chains recorded in the covered parts of [from, to], newest revision, in effect time order. */
  chains: ChainJson[];
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
  let chains: ChainJson[] = [];
  if (covered.length) {
    const lines = await transport.queryRange(recordedSelector(cluster), from, to + 1, signal);
    const inCovered = (ms: number) => covered.some((c) => ms >= c.from && ms < c.to);
    chains = [...newestVersions(lines.lines.map((l) => l.text)).values()]
      .map((v) => asChainJson(v.chain))
      .filter((c) => c.effect.time !== null && inCovered(Date.parse(c.effect.time)));
  }
  return { chains: chains.sort(byEffectTime), covered: covered.map((c) => ({ from: c.from, to: c.to - 1 })), gaps };
}
