/**
 * What `provenance watch` counts, in Prometheus' text exposition format (version 0.0.4): counters end in
 * `_total`, each family has its HELP and TYPE lines.
 */

export interface WatchCounters {
  linesRead: number;
  chainsWritten: number;
  chainsUnchanged: number;
  chainsRerecorded: number;
  chainsShortened: number;
  /** Chains Loki refused or that fit in no line: reported in the log, counted here. */
  chainsRefused: number;
  retries: number;
  windowsDone: number;
  windowsFailed: number;
}

export interface WatchStatus extends WatchCounters {
  /** Start of the next window to correlate (everything before is recorded). */
  nextMs?: number;
  /** Failures of the current window in a row. */
  failingInARow: number;
  lastError?: string;
  /** When a window was last recorded (or the watcher started). */
  lastProgressMs: number;
}

export function newStatus(now: number): WatchStatus {
  return {
    linesRead: 0,
    chainsWritten: 0,
    chainsUnchanged: 0,
    chainsRerecorded: 0,
    chainsShortened: 0,
    chainsRefused: 0,
    retries: 0,
    windowsDone: 0,
    windowsFailed: 0,
    failingInARow: 0,
    lastProgressMs: now,
  };
}

const COUNTERS: Array<[keyof WatchCounters, string, string]> = [
  ['linesRead', 'lines_read_total', 'Log lines read from Loki.'],
  ['chainsWritten', 'chains_written_total', 'Chain entries pushed to the recorded stream.'],
  ['chainsUnchanged', 'chains_unchanged_total', 'Chains found already recorded with the same answer.'],
  ['chainsRerecorded', 'chains_rerecorded_total', 'Chains recorded again because their answer changed.'],
  ['chainsShortened', 'chains_shortened_total', "Chains shortened to fit Loki's line limit."],
  ['chainsRefused', 'chains_refused_total', 'Chains Loki refused or that fit in no line (logged).'],
  ['retries', 'retries_total', 'Loki requests retried (429, 5xx, no answer).'],
  ['windowsDone', 'windows_done_total', 'Windows correlated and recorded.'],
  ['windowsFailed', 'windows_failed_total', 'Attempts at a window that failed (the window is tried again).'],
];

const PREFIX = 'provenance_watch_';

export function renderMetrics(s: WatchStatus, now: number): string {
  const out: string[] = [];
  const family = (name: string, type: string, help: string, value: number) =>
    out.push(`# HELP ${PREFIX}${name} ${help}`, `# TYPE ${PREFIX}${name} ${type}`, `${PREFIX}${name} ${value}`);
  for (const [key, name, help] of COUNTERS) {
    family(name, 'counter', help, s[key]);
  }
  if (s.nextMs !== undefined) {
    family('lag_seconds', 'gauge', 'How far behind now the recorded stream is complete.', (now - s.nextMs) / 1000);
  }
  family('failing_in_a_row', 'gauge', 'Failed attempts at the current window in a row.', s.failingInARow);
  return out.join('\n') + '\n';
}

/**
 * Health: stuck once the current window failed `maxFailures` times in a row, or nothing was recorded for
 * `stuckAfterMs` while windows were due.
 */
export function health(
  s: WatchStatus,
  now: number,
  o: { maxFailures?: number; stuckAfterMs?: number; due?: boolean } = {}
): { ok: boolean; text: string } {
  const next = s.nextMs === undefined ? 'not started' : `recorded up to ${new Date(s.nextMs).toISOString()}`;
  if (s.failingInARow >= (o.maxFailures ?? 5)) {
    return { ok: false, text: `stuck: ${s.failingInARow} failures in a row (${s.lastError ?? 'unknown'}); ${next}\n` };
  }
  if (o.due && now - s.lastProgressMs > (o.stuckAfterMs ?? 15 * 60_000)) {
    return {
      ok: false,
      text: `stuck: no window recorded for ${Math.round((now - s.lastProgressMs) / 1000)} s; ${next}\n`,
    };
  }
  return { ok: true, text: `ok: ${next}\n` };
}
