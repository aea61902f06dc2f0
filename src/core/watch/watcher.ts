import { chainToJson } from '../correlate/chainJson';
import type { CorrelateOptions } from '../correlate/options';
import { renderLogQuery, lineQuery } from '../logql/builder';
import { DEFAULT_SELECTORS, type StreamSelectors } from '../logql/questions';
import { chainRecords } from '../loki/chainRecords';
import type { PushEntry, PushReport } from '../loki/push';
import type { LokiTransport } from '../loki/transport';
import { traceOverLoki } from '../loki/twoPhase';
import { ALL_ROUTINE } from '../routine/classes';
import type { WatchStatus } from './metrics';
import { planWrites, PROGRESS_JOB, progressEntry, RECORDED_JOB, type Candidate } from './recorded';
import { nextWindow, windowReadRange, waitFor, windowAt, type Window, type WindowPlan } from './windows';

/**
 * The watch loop: correlate window after window and record the chains each owns. A window's checkpoint moves on
 * only once all its chains are in Loki; a failure (Loki down, 429s past the client's retries, a 5xx, a refused
 * read) is retried with backoff and the window is never skipped. Re-running a window sends only what is not
 * recorded yet, so a restart or a retry after a half-written window adds nothing twice.
 */

export interface WatchConfig {
  plan: WindowPlan;
  startMs: number;
  /** Stop once every change before this is recorded; without, follow now. */
  untilMs?: number;
  /** Value of the `cluster` label (also narrows what is read); without, each chain's effect stream's cluster. */
  cluster?: string;
  maxLineBytes?: number;
  correlate?: Partial<CorrelateOptions>;
  /** Re-correlate a window this long after its first pass, to catch records that arrived late (0: never). */
  recheckMs?: number;
  /** Backoff before attempt n+1 of a failing window. */
  backoffMs?: (failures: number) => number;
  signal?: AbortSignal;
}

export interface WatchDeps {
  transport: LokiTransport;
  push: (entries: PushEntry[]) => Promise<PushReport>;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Persist the start of the next window (after a window is recorded). */
  checkpoint: (nextMs: number) => Promise<void>;
  log: (line: string) => void;
}

export const defaultBackoff = (failures: number) => Math.min(60_000, 1_000 * 2 ** Math.max(0, failures - 1));

/** The LogQL of the recorded stream (one cluster's, when given). */
export function recordedSelector(cluster?: string, job = RECORDED_JOB): string {
  return renderLogQuery(lineQuery({ job, ...(cluster ? { cluster } : {}) }, []));
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Correlates one window and pushes what is new; throws if anything was not read or not stored. */
export async function recordWindow(
  w: Window,
  config: WatchConfig,
  deps: WatchDeps,
  status: WatchStatus
): Promise<void> {
  const selectors: StreamSelectors = config.cluster
    ? Object.fromEntries(Object.entries(DEFAULT_SELECTORS).map(([s, l]) => [s, { ...l, cluster: config.cluster }]))
    : DEFAULT_SELECTORS;
  const { from, to } = windowReadRange(w, config.plan);
  const trace = await traceOverLoki(
    deps.transport,
    { from, to, leaveOut: ALL_ROUTINE },
    selectors,
    config.correlate ?? {},
    config.signal,
    // A window is read whole or not at all: no newest-part answers.
    { maxEffectLines: Infinity, newestFirstOverMs: Infinity }
  );
  status.linesRead += trace.parsed.stats.lines;
  status.retries += trace.warnings.filter((m) => /retried/.test(m)).length;
  const unread = trace.warnings.filter((m) => /not read/.test(m));
  if (unread.length) {
    throw new Error(`window ${iso(w.start)}: ${unread.join('; ')}`);
  }
  const byId = new Map(trace.parsed.events.map((e) => [e.id, e]));
  const candidates: Candidate[] = trace.chains
    .filter((c) => c.effect.time !== undefined && c.effect.time >= w.start && c.effect.time < w.end)
    .map((c) => ({
      chain: chainToJson(c),
      ms: c.effect.time as number,
      records: chainRecords(c, byId, selectors, trace.lineOf),
      cluster: config.cluster ?? c.effect.raw.labels.cluster,
    }));
  const recorded = await deps.transport.queryRange(recordedSelector(config.cluster), w.start, w.end, config.signal);
  const plan = planWrites(
    candidates,
    recorded.lines.map((l) => l.text),
    { maxLineBytes: config.maxLineBytes }
  );
  for (const id of plan.unfit) {
    deps.log(`chain ${id} fits in no Loki line of ${config.maxLineBytes} bytes, even shortened: not recorded`);
  }
  const report = plan.entries.length
    ? await deps.push(plan.entries)
    : { accepted: 0, rejectedLines: 0, rejected: [], retries: 0, requests: 0 };
  status.retries += report.retries;
  status.chainsWritten += report.accepted;
  status.chainsUnchanged += plan.unchanged;
  status.chainsRerecorded += plan.rerecorded;
  status.chainsShortened += plan.shortened;
  const tooLong = report.rejected.map((m) => /Max entry size '(\d+)' bytes exceeded/.exec(m)).find(Boolean);
  if (tooLong && Number(tooLong[1]) < (config.maxLineBytes ?? Infinity)) {
    // Loki's max_line_size is below ours: learn it; the next attempt sends the refused chains shorter.
    config.maxLineBytes = Number(tooLong[1]);
    throw new Error(`Loki's max_line_size is ${tooLong[1]} bytes: chains shortened to it`);
  }
  status.chainsRefused += plan.unfit.length + report.rejectedLines;
  // Then the window's progress entry, unless a previous run wrote it (Loki would refuse it as too far behind).
  const progress = progressEntry(w.start, w.end, config.cluster);
  const marked = await deps.transport.queryRange(
    recordedSelector(config.cluster, PROGRESS_JOB),
    w.end - 1,
    w.end,
    config.signal
  );
  if (!marked.lines.some((l) => l.text === progress.line)) {
    const r = await deps.push([progress]);
    status.retries += r.retries;
    if (r.rejectedLines > 0) {
      throw new Error(`Loki refused the progress entry: ${r.rejected.join('; ')}`);
    }
  }
  for (const m of report.rejected) {
    deps.log(`window ${iso(w.start)}: Loki refused ${report.rejectedLines} chain(s): ${m}`);
  }
  deps.log(
    `window ${iso(w.start)}–${iso(w.end)}: ${candidates.length} chains, ${report.accepted} recorded` +
      `${plan.rerecorded ? ` (${plan.rerecorded} re-recorded)` : ''}, ${plan.unchanged} already recorded` +
      `${plan.shortened ? `, ${plan.shortened} shortened` : ''}`
  );
}

/** Runs windows from `startMs` until `untilMs` (or the signal); returns the start of the next window. */
export async function watch(config: WatchConfig, deps: WatchDeps, status: WatchStatus): Promise<number> {
  const until = config.untilMs ?? Infinity;
  const backoff = config.backoffMs ?? defaultBackoff;
  let w: Window | undefined = config.startMs < until ? windowAt(config.startMs, config.plan, until) : undefined;
  status.nextMs = w?.start ?? config.startMs;
  const rechecks: Array<{ window: Window; dueMs: number }> = [];
  const attempt = async (win: Window): Promise<boolean> => {
    try {
      await recordWindow(win, config, deps, status);
      status.failingInARow = 0;
      return true;
    } catch (e) {
      if (config.signal?.aborted) {
        return false;
      }
      status.windowsFailed++;
      status.failingInARow++;
      status.lastError = e instanceof Error ? e.message : String(e);
      const wait = backoff(status.failingInARow);
      deps.log(`window ${iso(win.start)} failed (${status.lastError}); trying again in ${wait} ms`);
      await deps.sleep(wait, config.signal).catch(() => undefined);
      return false;
    }
  };
  while (!config.signal?.aborted) {
    const due = rechecks[0];
    if (due && due.dueMs <= deps.now()) {
      if (await attempt(due.window)) {
        rechecks.shift();
      }
      continue;
    }
    if (!w) {
      if (!due) {
        break;
      }
      await deps.sleep(due.dueMs - deps.now(), config.signal).catch(() => undefined);
      continue;
    }
    const wait = waitFor(w, config.plan, deps.now());
    if (wait > 0) {
      await deps.sleep(due ? Math.min(wait, due.dueMs - deps.now()) : wait, config.signal).catch(() => undefined);
      continue;
    }
    const firstPassAt = deps.now();
    if (!(await attempt(w))) {
      continue;
    }
    status.windowsDone++;
    status.lastProgressMs = deps.now();
    const next = nextWindow(w, config.plan, until);
    status.nextMs = w.end;
    await deps.checkpoint(w.end);
    // Only a window read soon after its end can gain late records; a backfill of old times has them all.
    const recheck = config.recheckMs ?? 0;
    if (recheck > 0 && firstPassAt < w.end + config.plan.lagMs + recheck) {
      rechecks.push({ window: w, dueMs: w.end + config.plan.lagMs + recheck });
    }
    w = next;
  }
  return status.nextMs;
}
