/** Timestamps of every source, to ms epoch plus a full-precision ns epoch string (for stable ordering). */

export interface Instant {
  ms: number;
  ns: string;
}

function instant(wholeMs: number, fraction: string): Instant | undefined {
  const seconds = Math.floor(wholeMs / 1000);
  if (seconds < 0) {
    return undefined;
  }
  const frac9 = (fraction + '000000000').slice(0, 9);
  return { ms: seconds * 1000 + Number(frac9.slice(0, 3)), ns: seconds + frac9 };
}

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) {
      return -1;
    }
    v = v * 10 + c;
  }
  return v;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Seconds since the epoch of a UTC civil time, or undefined for an impossible one (Feb 30, 24:00, …). */
function civilSeconds(y: number, mo: number, d: number, h: number, mi: number, se: number): number | undefined {
  if (
    y < 0 ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > DAYS_IN_MONTH[mo - 1] ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    se < 0 ||
    se > 59
  ) {
    return undefined;
  }
  if (mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) {
    return undefined;
  }
  return daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

/**
 * `YYYY-MM-DD?HH:MM:SS` at the start of `s` (separator at index 10 is checked by the caller), in seconds,
 * read without regex or Date: this runs once per audit line.
 */
function leadingCivil(s: string): number | undefined {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return undefined;
  }
  return civilSeconds(
    digits(s, 0, 4),
    digits(s, 5, 2),
    digits(s, 8, 2),
    digits(s, 11, 2),
    digits(s, 14, 2),
    digits(s, 17, 2)
  );
}

/** `Z`, `±HH:MM` or `±HHMM` → seconds east of UTC; undefined when malformed. */
function zoneSeconds(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') {
    return 0;
  }
  const sign = zone.charCodeAt(0) === 45 ? -1 : zone.charCodeAt(0) === 43 ? 1 : 0;
  const body = zone.slice(1).replace(':', '');
  const hh = body.length === 4 ? digits(body, 0, 2) : -1;
  const mm = body.length === 4 ? digits(body, 2, 2) : -1;
  if (sign === 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59) {
    return undefined;
  }
  return sign * (hh * 3600 + mm * 60);
}

/**
 * RFC3339 / RFC3339Nano with `Z` or an offset (`T` or a space between date and time), and Rancher's legacy
 * `2006-01-02 15:04:05 -0700`. Impossible dates are rejected, not rolled over.
 */
export function parseTimestamp(s: string): Instant | undefined {
  if (s.length < 20) {
    return undefined;
  }
  const sep = s.charCodeAt(10);
  if (sep !== 84 /* T */ && sep !== 32 /* space */) {
    return undefined;
  }
  const civil = leadingCivil(s);
  if (civil === undefined) {
    return undefined;
  }
  let i = 19;
  let fraction = '';
  if (s.charCodeAt(i) === 46 /* . */) {
    let j = i + 1;
    while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) {
      j++;
    }
    if (j === i + 1 || j - i - 1 > 9) {
      return undefined;
    }
    fraction = s.slice(i + 1, j);
    i = j;
  }
  // Rancher v2.0 puts a space before the offset.
  if (s.charCodeAt(i) === 32 && fraction === '') {
    i++;
  }
  const zone = zoneSeconds(s.slice(i));
  if (zone === undefined) {
    return undefined;
  }
  return instant((civil - zone) * 1000, fraction);
}

/** Epoch numbers as loggers write them (zap `ts` float seconds, ms, µs, ns), judged by magnitude. */
export function parseEpochNumber(n: number): Instant | undefined {
  if (!Number.isFinite(n) || n <= 0) {
    return undefined;
  }
  if (n > 1e17) {
    return fromNs(BigInt(Math.round(n)).toString());
  }
  if (n > 1e14) {
    return fromNs(String(Math.round(n)) + '000');
  }
  if (n > 1e11) {
    return fromNs(String(Math.round(n)) + '000000');
  }
  return fromNs(String(Math.round(n * 1e6)) + '000');
}

/** A ns epoch string (Loki entry time) to an Instant. */
export function fromNs(ns: string): Instant | undefined {
  if (!/^\d{10,19}$/.test(ns)) {
    return undefined;
  }
  const padded = ns.padStart(19, '0');
  const seconds = Number(padded.slice(0, 10));
  return { ms: seconds * 1000 + Number(padded.slice(10, 13)), ns: String(seconds) + padded.slice(10) };
}

/** Any timestamp value a record may carry: string (RFC3339, legacy Rancher, digits) or epoch number. */
export function parseAnyTime(v: unknown): Instant | undefined {
  if (typeof v === 'number') {
    return parseEpochNumber(v);
  }
  if (typeof v !== 'string' || v === '') {
    return undefined;
  }
  if (/^\d+(\.\d+)?$/.test(v)) {
    return v.includes('.') || v.length < 16 ? parseEpochNumber(Number(v)) : fromNs(v);
  }
  return parseTimestamp(v);
}
