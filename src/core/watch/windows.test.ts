import { defaultLagMs, marginOf, nextWindow, parseDuration, waitFor, windowAt, windowReadRange } from './windows';
import { DEFAULT_OPTIONS } from '../correlate/options';

const T = Date.UTC(2026, 2, 2, 10, 7, 30);
const plan = { windowMs: 5 * 60_000, marginMs: 10 * 60_000, lagMs: 21 * 60_000 };

describe('watch windows', () => {
  it('lie on a grid from the epoch, so any run cuts the same windows', () => {
    expect(windowAt(T, plan)).toEqual({ start: Date.UTC(2026, 2, 2, 10, 5), end: Date.UTC(2026, 2, 2, 10, 10) });
    expect(windowAt(Date.UTC(2026, 2, 2, 10, 5), plan).start).toBe(Date.UTC(2026, 2, 2, 10, 5));
  });

  it('follow one another without a gap and stop at --until (the last one cut short)', () => {
    const until = Date.UTC(2026, 2, 2, 10, 12);
    const w = windowAt(T, plan, until);
    const n = nextWindow(w, plan, until);
    expect(n).toEqual({ start: Date.UTC(2026, 2, 2, 10, 10), end: until });
    expect(nextWindow(n!, plan, until)).toBeUndefined();
  });

  it('are read a margin wider on each side (to inclusive)', () => {
    expect(windowReadRange({ start: 600_000, end: 900_000 }, plan)).toEqual({ from: 0, to: 1_499_999 });
  });

  it('wait for the lag after their end', () => {
    const w = { start: 0, end: 300_000 };
    expect(waitFor(w, plan, 300_000)).toBe(21 * 60_000);
    expect(waitFor(w, plan, 300_000 + 21 * 60_000)).toBe(0);
  });

  it('default margin and lag come from the link windows: 10 min and 10 + 10 + 1 min', () => {
    expect(marginOf(DEFAULT_OPTIONS)).toBe(600_000);
    expect(defaultLagMs(DEFAULT_OPTIONS)).toBe(21 * 60_000);
  });

  it('durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250')).toBe(250);
    expect(() => parseDuration('5 minutes')).toThrow(/not a duration/);
    expect(() => parseDuration('5mx')).toThrow(/not a duration/);
  });
});
