import { isObj, type Obj } from './fields';
import { parseAnyTime } from './time';

/**
 * Containers around a record: how a line was shipped or exported, not what it says. Each unwrapper returns the
 * inner record(s) with the envelope's labels and time (used only when the record carries no time of its own).
 * - Loki `query_range` responses (streams; with and without `categorize-labels`) and push payloads;
 * - `logcli --output=jsonl` lines `{"labels":…,"line":…,"timestamp":…}`;
 * - Docker json-file lines `{"log":…,"stream":…,"time":…}`;
 * - AKS diagnostic wrappers `{"category":"kube-audit","properties":{"log":…}}` (object or JSON string);
 * - CRI lines `<RFC3339Nano> stdout F <line>`; and `kubectl logs --prefix` / stern-style `pod container ` prefixes.
 */

export interface Inner {
  /** The record, either as text or already parsed. */
  text?: string;
  object?: Obj;
  labels?: Record<string, string>;
  ns?: string;
}

function stringLabels(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string') {
        out[k] = x;
      }
    }
  }
  return out;
}

/** Loki stream results (`data.result` of query_range, or `streams` of a push body) → inner lines. */
export function lokiStreams(streams: unknown[]): Inner[] {
  const out: Inner[] = [];
  for (const s of streams) {
    if (!isObj(s) || !Array.isArray(s.values)) {
      continue;
    }
    const labels = stringLabels(s.stream);
    for (const v of s.values) {
      if (!Array.isArray(v) || typeof v[0] !== 'string' || typeof v[1] !== 'string') {
        continue;
      }
      // categorize-labels: third element {structuredMetadata, parsed}; push bodies: third element is metadata.
      const extra = isObj(v[2]) ? v[2] : undefined;
      const meta = extra ? { ...stringLabels(extra.structuredMetadata ?? extra), ...stringLabels(extra.parsed) } : {};
      out.push({ text: v[1], ns: v[0], labels: { ...labels, ...meta } });
    }
  }
  return out;
}

/**
 * If `o` is an envelope, its inner records; `undefined` if `o` is a record itself. An envelope whose payload is
 * not what Loki/logcli/Docker/AKS write yields `[]` plus a reason.
 */
export function unwrapObject(o: Obj): { inner: Inner[]; kind: string } | undefined {
  const data = o.data;
  if (isObj(data) && 'resultType' in data && ('status' in o || 'result' in data)) {
    if (data.resultType !== 'streams' || !Array.isArray(data.result)) {
      return { inner: [], kind: `loki-response-${String(data.resultType)}` };
    }
    return { inner: lokiStreams(data.result), kind: 'loki-response' };
  }
  if (Array.isArray(o.streams) && Object.keys(o).length === 1) {
    return { inner: lokiStreams(o.streams), kind: 'loki-push' };
  }
  if (
    typeof o.line === 'string' &&
    typeof o.timestamp === 'string' &&
    Object.keys(o).every((k) => k === 'line' || k === 'timestamp' || k === 'labels')
  ) {
    return {
      inner: [{ text: o.line, ns: parseAnyTime(o.timestamp)?.ns, labels: stringLabels(o.labels) }],
      kind: 'logcli-jsonl',
    };
  }
  if (typeof o.log === 'string' && typeof o.time === 'string' && 'stream' in o && Object.keys(o).length <= 4) {
    return { inner: [{ text: o.log.replace(/\r?\n$/, ''), ns: parseAnyTime(o.time)?.ns }], kind: 'docker-json' };
  }
  if ((o.category === 'kube-audit' || o.category === 'kube-audit-admin') && isObj(o.properties)) {
    const log = o.properties.log;
    const ns = typeof o.time === 'string' ? parseAnyTime(o.time)?.ns : undefined;
    if (isObj(log)) {
      return { inner: [{ object: log, ns }], kind: 'aks-diagnostic' };
    }
    return { inner: typeof log === 'string' ? [{ text: log, ns }] : [], kind: 'aks-diagnostic' };
  }
  return undefined;
}

const CRI = /^(\d{4}-\d{2}-\d{2}T\S+) (stdout|stderr) ([FP]) (.*)$/s;

/** A CRI container-log line; `partial` when the runtime split a long line (tag `P`). */
export function unwrapCri(line: string): { text: string; ns?: string; partial: boolean } | undefined {
  const m = CRI.exec(line);
  if (!m) {
    return undefined;
  }
  return { text: m[4], ns: parseAnyTime(m[1])?.ns, partial: m[3] === 'P' };
}

// `pod container ` (stern, kubectl logs of several pods) or `[pod/name/container] ` (kubectl logs --prefix).
const PREFIX = /^(?:\[[\w./:-]+\] |(?:[\w.-]+ ){1,2})(?=\{|time=")/;

/** The record after a log-viewer prefix, or undefined when there is no such prefix. */
export function stripViewerPrefix(line: string): string | undefined {
  const m = PREFIX.exec(line);
  return m ? line.slice(m[0].length) : undefined;
}

/**
 * A text envelope opened for redaction: the inner line, and how to put a (redacted) inner line back. New text
 * envelopes plug in by joining `TEXT_ENVELOPES`; JSON envelopes are re-wrapped by the redactor in place (each
 * inner record `unwrapObject` returns is a value inside the envelope), so a new `unwrapObject` case needs nothing
 * more — and one whose inner records are not values of the envelope (decoded, joined) is withheld, not shown.
 */
export interface OpenedText {
  kind: string;
  inner: string;
  /** The envelope holds only part of a record (CRI `P`): nothing in it can be checked. */
  partial: boolean;
  rewrap(inner: string): string;
}

export interface TextEnvelope {
  open(line: string): OpenedText | undefined;
}

export const TEXT_ENVELOPES: readonly TextEnvelope[] = [
  {
    open(line) {
      const m = CRI.exec(line);
      if (!m) {
        return undefined;
      }
      const head = line.slice(0, line.length - m[4].length);
      return { kind: 'cri', inner: m[4], partial: m[3] === 'P', rewrap: (inner) => head + inner };
    },
  },
  {
    open(line) {
      const m = PREFIX.exec(line);
      if (!m) {
        return undefined;
      }
      return { kind: 'viewer-prefix', inner: line.slice(m[0].length), partial: false, rewrap: (inner) => m[0] + inner };
    },
  },
];
