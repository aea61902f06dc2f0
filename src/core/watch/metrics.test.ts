import { health, newStatus, renderMetrics } from './metrics';

describe('watch metrics', () => {
  it('Prometheus text: HELP and TYPE per family, counters end in _total, lag in seconds', () => {
    const s = { ...newStatus(0), linesRead: 1200, chainsWritten: 7, retries: 2, windowsFailed: 1, nextMs: 60_000 };
    const text = renderMetrics(s, 180_000);
    expect(text).toContain(
      '# TYPE provenance_watch_lines_read_total counter\nprovenance_watch_lines_read_total 1200\n'
    );
    expect(text).toContain('provenance_watch_chains_written_total 7\n');
    expect(text).toContain('provenance_watch_retries_total 2\n');
    expect(text).toContain('provenance_watch_windows_failed_total 1\n');
    expect(text).toContain('# TYPE provenance_watch_lag_seconds gauge\nprovenance_watch_lag_seconds 120\n');
    for (const line of text.trim().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) provenance_watch_\w+ .+|provenance_watch_\w+ -?\d+(\.\d+)?)$/);
    }
  });

  it('healthz: stuck after failures in a row, or when windows are due and nothing was recorded for long', () => {
    expect(health({ ...newStatus(0), nextMs: 0 }, 1_000).ok).toBe(true);
    const failing = { ...newStatus(0), failingInARow: 5, lastError: 'Loki answered 503' };
    expect(health(failing, 1_000)).toEqual({
      ok: false,
      text: expect.stringMatching(/^stuck: 5 failures in a row \(Loki answered 503\)/),
    });
    expect(health(newStatus(0), 20 * 60_000, { due: true }).ok).toBe(false);
    expect(health(newStatus(0), 20 * 60_000, { due: false }).ok).toBe(true);
  });
});
