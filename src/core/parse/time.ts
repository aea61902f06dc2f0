/** Timestamps of every source, to ms epoch plus a full-precision ns epoch string (for stable ordering). */

export interface Instant {
  ms: number;
  ns: string;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})$/;
// Rancher v2.0/2.1 `stageTimestamp`: Go layout "2006-01-02 15:04:05 -0700".
const GO_SPACE_LAYOUT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/;

function instant(wholeMs: number, fraction: string): Instant | undefined {
  if (!Number.isFinite(wholeMs)) {
    return undefined;
  }
  const seconds = Math.floor(wholeMs / 1000);
  if (seconds < 0) {
    return undefined;
  }
  const frac9 = (fraction + '000000000').slice(0, 9);
  return { ms: seconds * 1000 + Number(frac9.slice(0, 3)), ns: seconds + frac9 };
}

/** RFC3339 / RFC3339Nano with `Z` or an offset, and Rancher's legacy `2006-01-02 15:04:05 -0700`. */
export function parseTimestamp(s: string): Instant | undefined {
  const m = RFC3339.exec(s);
  if (m) {
    const zone = m[4] === 'z' || m[4] === 'Z' ? 'Z' : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4];
    return instant(Date.parse(`${m[1]}T${m[2]}${zone}`), m[3] ?? '');
  }
  const g = GO_SPACE_LAYOUT.exec(s);
  if (g) {
    return instant(Date.parse(`${g[1]}T${g[2]}${g[3]}:${g[4]}`), '');
  }
  return undefined;
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
