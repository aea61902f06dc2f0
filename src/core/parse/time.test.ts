import { fromNs, parseAnyTime, parseEpochNumber, parseTimestamp } from './time';

describe('timestamps', () => {
  it('RFC3339 with micro/nano fractions keeps full precision in ns', () => {
    expect(parseTimestamp('2025-03-04T06:22:18.819232Z')).toEqual({ ms: Date.UTC(2025, 2, 4, 6, 22, 18, 819), ns: '1741069338819232000' });
    expect(parseTimestamp('2017-05-25T04:55:04.961482167Z')?.ns).toBe('1495688104961482167');
  });

  it('offsets, with and without a colon; Rancher v2.0 "2006-01-02 15:04:05 -0700"', () => {
    expect(parseTimestamp('2025-06-30T11:13:25-04:00')?.ms).toBe(Date.UTC(2025, 5, 30, 15, 13, 25));
    expect(parseTimestamp('2025-06-30T11:13:25-0400')?.ms).toBe(Date.UTC(2025, 5, 30, 15, 13, 25));
    expect(parseTimestamp('2018-07-20 10:22:43 +0800')?.ms).toBe(Date.UTC(2018, 6, 20, 2, 22, 43));
  });

  it('rejects what is not a time', () => {
    for (const bad of ['', 'yesterday', '2025-13-45T99:99:99Z', '2025-03-04', '1741069338', '2025-03-04T06:22:18']) {
      expect(parseTimestamp(bad)).toBeUndefined();
    }
  });

  it('epoch numbers by magnitude (zap float seconds, ms, µs, ns) and ns strings', () => {
    expect(parseEpochNumber(1741069338.5)?.ms).toBe(1741069338500);
    expect(parseEpochNumber(1741069338500)?.ms).toBe(1741069338500);
    expect(parseEpochNumber(1741069338500123)?.ns).toBe('1741069338500123000');
    expect(parseAnyTime('1741069338500123456')?.ns).toBe('1741069338500123456');
    expect(fromNs('1741069338500123456')?.ms).toBe(1741069338500);
    expect(fromNs('abc')).toBeUndefined();
    expect(parseAnyTime(-5)).toBeUndefined();
    expect(parseAnyTime({})).toBeUndefined();
  });
});
