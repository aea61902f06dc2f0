import fc from 'fast-check';

import { fromNs, parseAnyTime, parseEpochNumber, parseTimestamp } from './time';

describe('timestamps', () => {
  it('RFC3339 with micro/nano fractions keeps full precision in ns', () => {
    expect(parseTimestamp('2025-03-04T06:22:18.819232Z')).toEqual({
      ms: Date.UTC(2025, 2, 4, 6, 22, 18, 819),
      ns: '1741069338819232000',
    });
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

describe('offsets', () => {
  // Catches: an offset ignored (read as UTC), its sign flipped, its minutes dropped, or the no-colon and
  // space-separated (Rancher v2.0) forms misread. Shown once by flipping the sign in time.ts.
  it('a local time with any offset, in each written form, is the instant it names', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 86_400, max: 7258118399 - 86_400 }),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        fc.constantFrom('colon', 'plain', 'rancher'),
        (sec, offsetMin, form) => {
          // The instant, written as the wall clock of a zone `offsetMin` minutes east of UTC.
          const local = new Date((sec + offsetMin * 60) * 1000).toISOString().slice(0, 19);
          const a = Math.abs(offsetMin);
          const hh = String(Math.floor(a / 60)).padStart(2, '0');
          const mm = String(a % 60).padStart(2, '0');
          const sign = offsetMin < 0 ? '-' : '+';
          const text =
            form === 'colon'
              ? `${local}${sign}${hh}:${mm}`
              : form === 'plain'
                ? `${local}${sign}${hh}${mm}`
                : `${local.replace('T', ' ')} ${sign}${hh}${mm}`;
          expect({ text, ms: parseTimestamp(text)?.ms }).toEqual({ text, ms: sec * 1000 });
        }
      ),
      { numRuns: 1000 }
    );
  });
});

describe('the fast UTC path agrees with Date.parse', () => {
  it('on random instants from 1970 to 2200 with 0–9 fraction digits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7258118399 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 999999999 }),
        (sec, digitsN, frac) => {
          const base = new Date(sec * 1000).toISOString().slice(0, 19);
          const fraction = String(frac).padStart(9, '0').slice(0, digitsN);
          const text = digitsN ? `${base}.${fraction}Z` : `${base}Z`;
          const got = parseTimestamp(text);
          expect(got?.ms).toBe(sec * 1000 + Number((fraction + '000').slice(0, 3)));
          expect(got?.ns).toBe(`${sec}${(fraction + '000000000').slice(0, 9)}`);
        }
      ),
      { numRuns: 2000 }
    );
  });

  it('rejects impossible dates on both paths', () => {
    for (const bad of [
      '2025-02-29T00:00:00Z',
      '2024-04-31T10:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T00:60:00Z',
      '2024-01-01T00:00:00.1234567890Z',
    ]) {
      expect(parseTimestamp(bad)).toBeUndefined();
    }
    expect(parseTimestamp('2024-02-29T00:00:00Z')?.ms).toBe(Date.UTC(2024, 1, 29));
  });
});

describe('timestamps: edges', () => {
  it('a lower-case z is UTC; a zone out of range, without a sign, or of the wrong length is no time', () => {
    expect(parseTimestamp('2025-03-04T06:22:18z')?.ms).toBe(Date.UTC(2025, 2, 4, 6, 22, 18));
    expect(parseTimestamp('2025-03-04T06:22:18.5+05:00')?.ms).toBe(Date.UTC(2025, 2, 4, 1, 22, 18, 500));
    expect(parseTimestamp('2025-03-04T06:22:18+23:59')?.ms).toBe(Date.UTC(2025, 2, 3, 6, 23, 18));
    for (const bad of [
      '2025-03-04T06:22:18+24:00',
      '2025-03-04T06:22:18+05:60',
      '2025-03-04T06:22:18 0500',
      '2025-03-04T06:22:18+5:00',
      '2025-03-04T06:22:18+05:000',
      '2025-03-04T06:22:18+a5:00',
      '2025-03-04T06:22:18+05:0a',
      '2025-03-04T06:22:18.+00:00',
      '2025-03-04T06:22:18.5 +0000',
      '2025-03-04T06:22:18x05:00',
    ]) {
      expect({ bad, got: parseTimestamp(bad) }).toEqual({ bad, got: undefined });
    }
  });

  it('the date and time separators and digits are checked', () => {
    for (const bad of [
      '2025/03/04T06:22:18Z',
      '2025-03/04T06:22:18Z',
      '2025-03-04T06-22:18Z',
      '2025-03-04T06:22-18Z',
      '2025-03-04X06:22:18Z',
      '2025-0a-04T06:22:18Z',
      '2025-03-04T06:22:1aZ',
      '2025-03-04T0a:22:18Z',
      '2025-03-04T06:2a:18Z',
      '2025-00-04T06:22:18Z',
      '2025-13-04T06:22:18Z',
      '2025-03-00T06:22:18Z',
      '2025-03-04T06:22:60Z',
    ]) {
      expect({ bad, got: parseTimestamp(bad) }).toEqual({ bad, got: undefined });
    }
    expect(parseTimestamp('2025-12-31T23:59:59Z')?.ms).toBe(Date.UTC(2025, 11, 31, 23, 59, 59));
    expect(parseTimestamp('2025-01-01T00:00:00Z')?.ms).toBe(Date.UTC(2025, 0, 1));
  });

  it('leap years by the Gregorian rule; nothing before 1970', () => {
    expect(parseTimestamp('2000-02-29T00:00:00Z')?.ms).toBe(Date.UTC(2000, 1, 29));
    expect(parseTimestamp('1900-02-29T00:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2100-02-28T12:00:00Z')?.ms).toBe(Date.UTC(2100, 1, 28, 12));
    expect(parseTimestamp('1969-12-31T23:59:59Z')).toBeUndefined();
    expect(parseTimestamp('1970-01-01T00:00:00Z')).toEqual({ ms: 0, ns: '0000000000' });
    expect(parseTimestamp('1970-01-01T00:00:00.5Z')).toEqual({ ms: 500, ns: '0500000000' });
  });

  it('epoch numbers at each magnitude boundary, and numbers that are no time', () => {
    // Above 1e11 a number is read as milliseconds (1e11 seconds would be year 5138); seconds past 9,999,999,999
    // (year 2286) have no 19-digit ns form.
    expect(parseEpochNumber(9_999_999_999)?.ms).toBe(9_999_999_999_000);
    expect(parseEpochNumber(99_999_999_999)).toBeUndefined();
    expect(parseEpochNumber(100_000_000_001)?.ms).toBe(100_000_000_001);
    expect(parseEpochNumber(100_000_000_000_001)?.ns).toBe('100000000000001000');
    expect(parseEpochNumber(1741069338500123456)?.ms).toBe(1741069338500);
    expect(parseEpochNumber(1)?.ns).toBe('1000000000');
    for (const bad of [0, -1, NaN, Infinity]) {
      expect(parseEpochNumber(bad)).toBeUndefined();
    }
  });

  it('ns strings have 10 to 19 digits; digit strings are seconds, fractional seconds or ns by their form', () => {
    // Ten digits of ns are 1.74 s after the epoch.
    expect(fromNs('1741069338')).toEqual({ ms: 1741, ns: '1741069338' });
    expect(fromNs('174106933')).toBeUndefined();
    expect(fromNs('17410693385001234567')).toBeUndefined();
    expect(fromNs(' 1741069338500123456')).toBeUndefined();
    expect(fromNs('1741069338500123456x')).toBeUndefined();
    expect(parseAnyTime('1741069338')?.ms).toBe(1741069338000);
    expect(parseAnyTime('1741069338.25')?.ms).toBe(1741069338250);
    expect(parseAnyTime('1741069338500')?.ms).toBe(1741069338500);
    expect(parseAnyTime('2025-03-04T06:22:18Z')?.ms).toBe(Date.UTC(2025, 2, 4, 6, 22, 18));
    expect(parseAnyTime('2025-03-04T06:22:18+0000')?.ms).toBe(Date.UTC(2025, 2, 4, 6, 22, 18));
    expect(parseAnyTime('')).toBeUndefined();
    expect(parseAnyTime('1.')).toBeUndefined();
    expect(parseAnyTime(null)).toBeUndefined();
    expect(parseAnyTime(1741069338)?.ms).toBe(1741069338000);
  });
});
