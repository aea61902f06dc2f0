import { DEFAULT_OPTIONS, type CorrelateOptions } from '../correlate/options';

/**
 * The windows `provenance watch` correlates one after another. A window owns the changes whose effect time is in
 * [start, end) and is read wider — `margin` before and after — so a change near its edge sees the writes it
 * follows from and the writes that follow from it, as a trace over the whole range would. Windows lie on a grid
 * of `windowMs` from the epoch, so any run over the same time cuts the same windows.
 */

export interface Window {
  /** First millisecond owned. */
  start: number;
  /** First millisecond not owned (exclusive). */
  end: number;
}

export interface WindowPlan {
  windowMs: number;
  /** Read this much before a window's start and after its end (phase 1 of the two-phase trace). */
  marginMs: number;
  /** A window is correlated once `now - lagMs` has passed its end: what its reads need has reached Loki. */
  lagMs: number;
}

export const DEFAULT_WINDOW_MS = 5 * 60_000;
/** Time for a line to travel from its source through the collector into Loki. */
export const INGESTION_DELAY_MS = 60_000;

/**
 * The phase-1 margin: a sync's writes arrive up to a sync window after it starts, a controller's consequences up
 * to a cascade window after their cause; the same look-back finds what a change in the window follows from.
 */
export function marginOf(o: CorrelateOptions = DEFAULT_OPTIONS): number {
  return Math.max(o.syncWindowMs, o.cascadeWindowMs);
}

/**
 * The default lag behind now: the look-ahead margin, then the sync window phase 2 reads past the last write it
 * read, then the ingestion delay (10 + 10 + 1 = 21 min with the default windows).
 */
export function defaultLagMs(o: CorrelateOptions = DEFAULT_OPTIONS): number {
  return marginOf(o) + o.syncWindowMs + INGESTION_DELAY_MS;
}

export function defaultPlan(o: CorrelateOptions = DEFAULT_OPTIONS): WindowPlan {
  return { windowMs: DEFAULT_WINDOW_MS, marginMs: marginOf(o), lagMs: defaultLagMs(o) };
}

/** The grid window that owns `ms`, cut short at `until`. */
export function windowAt(ms: number, plan: Pick<WindowPlan, 'windowMs'>, until = Infinity): Window {
  const start = Math.floor(ms / plan.windowMs) * plan.windowMs;
  return { start, end: Math.min(start + plan.windowMs, until) };
}

/** The window after one (its end is the next start), or undefined once `until` is reached. */
export function nextWindow(w: Window, plan: Pick<WindowPlan, 'windowMs'>, until = Infinity): Window | undefined {
  return w.end >= until ? undefined : windowAt(w.end, plan, until);
}

/** The phase-1 range read for a window: [from, to] both inclusive, as `traceOverLoki` takes them. */
export function windowReadRange(w: Window, plan: Pick<WindowPlan, 'marginMs'>): { from: number; to: number } {
  return { from: w.start - plan.marginMs, to: w.end + plan.marginMs - 1 };
}

/** How long to wait before the window can be correlated (0: now). */
export function waitFor(w: Window, plan: Pick<WindowPlan, 'lagMs'>, now: number): number {
  return Math.max(0, w.end + plan.lagMs - now);
}

/** Parses `30s`, `5m`, `21m`, `1h`, `1h30m` or a number of milliseconds. */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    return Number(t);
  }
  const unit: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const parts = [...t.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== t) {
    throw new Error(`${text}: not a duration (e.g. 30s, 5m, 1h30m)`);
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * unit[p[2]], 0);
}
