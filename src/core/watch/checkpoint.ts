import { windowAt, type WindowPlan } from './windows';

/**
 * Where a (re)started watcher begins. The checkpoint is the start of the first window not yet wholly recorded;
 * without one, the newest progress entry in Loki says the same. A window under way when a run stopped has
 * neither: it is correlated again, and what it had already written is not sent twice.
 */

export interface Checkpoint {
  version: 1;
  /** Start of the next window to correlate, ISO. */
  next: string;
  /** The cluster the watcher records for (a state file is not reused for another). */
  cluster?: string;
}

export function encodeCheckpoint(nextMs: number, cluster?: string): string {
  const c: Checkpoint = { version: 1, next: new Date(nextMs).toISOString(), ...(cluster ? { cluster } : {}) };
  return JSON.stringify(c) + '\n';
}

/** The checkpoint in a state file's text; an error says what is wrong (a watcher must not guess its progress). */
export function decodeCheckpoint(text: string, cluster?: string): number {
  let j: Partial<Checkpoint>;
  try {
    j = JSON.parse(text) as Partial<Checkpoint>;
  } catch {
    throw new Error('not JSON');
  }
  const ms = typeof j.next === 'string' ? Date.parse(j.next) : NaN;
  if (j.version !== 1 || Number.isNaN(ms)) {
    throw new Error('expected {"version":1,"next":"<ISO time>"}');
  }
  if ((j.cluster ?? '') !== (cluster ?? '')) {
    throw new Error(`it is the state of cluster "${j.cluster ?? ''}", not "${cluster ?? ''}"`);
  }
  return ms;
}

export interface ResumeInput {
  /** From the state file. */
  checkpointMs?: number;
  /** End of the newest window the progress stream says is recorded. */
  recordedUntilMs?: number;
  /** `--from`. */
  fromMs?: number;
  now: number;
}

export type ResumeReason = 'checkpoint' | 'recorded' | 'from' | 'now';

/** The first window's start and why: checkpoint, else the recorded progress, else --from, else now. */
export function resumeAt(input: ResumeInput, plan: WindowPlan): { startMs: number; reason: ResumeReason } {
  const floor = input.fromMs ?? -Infinity;
  const pick = (ms: number, reason: ResumeReason) =>
    ms >= floor ? { startMs: ms, reason } : { startMs: windowAt(floor, plan).start, reason: 'from' as const };
  if (input.checkpointMs !== undefined) {
    return pick(input.checkpointMs, 'checkpoint');
  }
  if (input.recordedUntilMs !== undefined) {
    return pick(windowAt(input.recordedUntilMs, plan).start, 'recorded');
  }
  if (input.fromMs !== undefined) {
    return { startMs: windowAt(input.fromMs, plan).start, reason: 'from' };
  }
  // Nothing to go on: the newest window that is ready now.
  return { startMs: windowAt(input.now - plan.lagMs, plan).start - plan.windowMs, reason: 'now' };
}
