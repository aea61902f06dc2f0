import { decodeCheckpoint, encodeCheckpoint, resumeAt } from './checkpoint';

const plan = { windowMs: 300_000, marginMs: 600_000, lagMs: 1_260_000 };
const T = Date.UTC(2026, 2, 2, 10, 0);

describe('watch checkpoint', () => {
  it('round-trips and refuses another cluster or a broken file', () => {
    expect(decodeCheckpoint(encodeCheckpoint(T, 'prod'), 'prod')).toBe(T);
    expect(() => decodeCheckpoint(encodeCheckpoint(T, 'prod'), 'dev')).toThrow(/cluster "prod", not "dev"/);
    expect(() => decodeCheckpoint('{"next":', undefined)).toThrow(/not JSON/);
    expect(() => decodeCheckpoint('{"version":1,"next":"soon"}', undefined)).toThrow(/expected/);
  });

  it('resumes at the checkpoint, else at the recorded progress, else --from, else the last ready window', () => {
    const now = T + 3_600_000;
    expect(resumeAt({ checkpointMs: T, recordedUntilMs: T + 900_000, now }, plan)).toEqual({
      startMs: T,
      reason: 'checkpoint',
    });
    expect(resumeAt({ recordedUntilMs: T + 300_000, fromMs: T - 3_600_000, now }, plan)).toEqual({
      startMs: T + 300_000,
      reason: 'recorded',
    });
    expect(resumeAt({ fromMs: T + 60_000, now }, plan)).toEqual({ startMs: T, reason: 'from' });
    // now - lag = 10:39; the newest window that has waited its lag after its end is 10:30–10:35.
    expect(resumeAt({ now }, plan)).toEqual({ startMs: T + 30 * 60_000, reason: 'now' });
  });

  it('never starts before --from', () => {
    expect(resumeAt({ checkpointMs: T, fromMs: T + 900_000, now: T }, plan)).toEqual({
      startMs: T + 900_000,
      reason: 'from',
    });
  });
});
