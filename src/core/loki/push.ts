import type { SourceKind } from '../model';
import { ParseSession } from '../parse/session';

import { DEFAULT_SELECTORS, type StreamSelectors } from '../logql/questions';
import { LokiError, type FetchLike } from './client';
import { messageTooLarge } from './paging';

/**
 * Lines to Loki push bodies with the labels an Alloy pipeline gives each source: the source's stream selector
 * labels (`job`, …) plus `cluster` — low-cardinality only; the audit ID goes into structured metadata. Each
 * line keeps its own time (the record's time, else now), as Alloy's timestamp stage would set it.
 */

export interface PushEntry {
  labels: Record<string, string>;
  ns: string;
  line: string;
  meta: Record<string, string>;
}

export type PostLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string }
) => ReturnType<FetchLike>;

const AUDIT_ID = /"auditID":"([^"]{1,64})"/;

/** Source, time and labels of one line; undefined when it is not a line we read. */
export function pushEntryOf(
  text: string,
  cluster: string,
  selectors: StreamSelectors = DEFAULT_SELECTORS,
  nowNs?: string
): PushEntry | undefined {
  // No size limit here: Loki applies its own max_line_size, and push reports what it refused.
  const s = new ParseSession({ maxLineBytes: Number.MAX_SAFE_INTEGER });
  s.add({ text });
  const e = s.finish().events[0];
  if (!e) {
    return undefined;
  }
  const source: Exclude<SourceKind, 'k8s-event'> = e.source === 'k8s-event' ? 'argocd' : e.source;
  const labels = { ...(selectors[source] ?? DEFAULT_SELECTORS[source]), cluster };
  const meta: Record<string, string> = {};
  const id = AUDIT_ID.exec(text);
  if (id) {
    meta.auditID = id[1];
  }
  const ns = e.ns || nowNs || `${Date.now()}000000`;
  return { labels, ns, line: text, meta };
}

/**
 * Push bodies: one stream each, its entries oldest first, at most `maxLines` lines and about `maxBytes` bytes.
 * One stream per body because Loki names only the last failing stream of a push in its answer
 * (pkg/ingester/instance.go), so counts of refused lines are exact only per stream; oldest first because an
 * entry older than its stream's newest minus 1 h is refused (pkg/ingester/stream.go); bytes because the
 * distributor hands the push to the ingester over gRPC (4 MiB by default) and a push over the burst size
 * (6 MB by default) is refused whatever the wait.
 */
export function pushBatches(entries: PushEntry[], maxLines = 1000, maxBytes = DEFAULT_PUSH_BYTES): PushEntry[][] {
  const streams = new Map<string, PushEntry[]>();
  for (const e of entries) {
    const k = JSON.stringify(Object.entries(e.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    const s = streams.get(k);
    if (s) {
      s.push(e);
    } else {
      streams.set(k, [e]);
    }
  }
  const batches: PushEntry[][] = [];
  for (const s of streams.values()) {
    s.sort((a, b) => a.ns.length - b.ns.length || (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
    let batch: PushEntry[] = [];
    let bytes = 0;
    for (const e of s) {
      const size = e.line.length + 40;
      if (batch.length > 0 && (batch.length >= maxLines || bytes + size > maxBytes)) {
        batches.push(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(e);
      bytes += size;
    }
    if (batch.length > 0) {
      batches.push(batch);
    }
  }
  return batches;
}

/** About 1 MB per push: well under the gRPC limit and the default ingestion burst. */
export const DEFAULT_PUSH_BYTES = 1024 * 1024;

/** The JSON push body of entries of one stream. */
export function pushBodyOf(entries: PushEntry[]): string {
  const values = entries.map((e) => (Object.keys(e.meta).length ? [e.ns, e.line, e.meta] : [e.ns, e.line]));
  return JSON.stringify({ streams: [{ stream: entries[0]?.labels ?? {}, values }] });
}

/** Push bodies of at most `maxLines` lines (see pushBatches). */
export function pushBodies(entries: PushEntry[], maxLines = 1000): string[] {
  return pushBatches(entries, maxLines).map(pushBodyOf);
}

export interface PushOutcome {
  /** Loki's messages for refused lines (e.g. over max_line_size): reported, never silently lost. */
  rejected: string[];
  /** How many lines of the body Loki refused, counted from its answer. */
  rejectedLines: number;
  retries: number;
  /** The body was over Loki's gRPC message limit: nothing was stored; send it in smaller pieces. */
  tooLarge?: boolean;
}

/**
 * Lines of a one-stream push body Loki refused, from its 400 answer: the ingester's "total ignored: N out of M"
 * (the body's lines not among the M were refused before, by the distributor), else the distributor's grouped
 * validation errors, "K errors like: …" joined by "; " (pkg/util/errors.go); any other refusal is of all lines.
 */
export function refusedLines(answer: string, sent: number): number {
  const ingester = /total ignored: (\d+) out of (\d+) for stream/.exec(answer);
  if (ingester) {
    return Math.min(sent, Number(ingester[1]) + Math.max(0, sent - Number(ingester[2])));
  }
  let counted = 0;
  for (const part of answer.trim().split('; ')) {
    const grouped = /^(\d+) errors like: (.*)$/s.exec(part);
    if (!PER_LINE.test(grouped ? grouped[2] : part)) {
      // A refusal of the stream itself (its labels, a blocked tenant): none of its lines was stored.
      return sent;
    }
    counted += grouped ? Number(grouped[1]) : 1;
  }
  return Math.min(sent, counted);
}

/** The distributor's refusals of single lines (pkg/validation/validate.go messages). */
const PER_LINE = /has timestamp too (?:new|old)|^Max entry size|has structured metadata too large|has too many structured metadata/;

/**
 * POST one body; waits and retries on 429 / 5xx (Loki sends no Retry-After, but one is honoured); a 400 is
 * reported and its refused lines counted, not retried; a body over Loki's gRPC limit is handed back.
 */
export async function pushBody(
  post: PostLike,
  baseUrl: string,
  body: string,
  opts: { tenant?: string; maxRetries?: number; sleep?: (ms: number) => Promise<void>; lines?: number } = {}
): Promise<PushOutcome> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (opts.tenant) {
    headers['X-Scope-OrgID'] = opts.tenant;
  }
  const out: PushOutcome = { rejected: [], rejectedLines: 0, retries: 0 };
  for (let attempt = 0; ; attempt++) {
    const res = await post(`${baseUrl.replace(/\/+$/, '')}/loki/api/v1/push`, { method: 'POST', headers, body });
    const text = await res.text();
    if (res.status >= 200 && res.status < 300) {
      return out;
    }
    if (res.status === 400) {
      const sent = opts.lines ?? linesIn(body);
      out.rejected.push(text.trim());
      out.rejectedLines = refusedLines(text, sent);
      return out;
    }
    if (res.status >= 500 && messageTooLarge(text)) {
      return { ...out, tooLarge: true };
    }
    if ((res.status === 429 || res.status >= 500) && attempt < (opts.maxRetries ?? 8)) {
      out.retries++;
      const ra = res.headers.get('Retry-After');
      await sleep(ra && /^\d+$/.test(ra) ? Number(ra) * 1000 : Math.min(10_000, 250 * 2 ** attempt));
      continue;
    }
    throw new LokiError(`Loki push answered ${res.status}: ${text.trim().slice(0, 300)}`, res.status);
  }
}

function linesIn(body: string): number {
  const j = JSON.parse(body) as { streams?: Array<{ values?: unknown[] }> };
  return (j.streams ?? []).reduce((n, s) => n + (s.values?.length ?? 0), 0);
}

export interface PushReport {
  /** Lines Loki accepted (exact duplicates of stored lines included: Loki drops them without a word). */
  accepted: number;
  /** Lines Loki refused, and its messages. */
  rejectedLines: number;
  rejected: string[];
  retries: number;
  requests: number;
}

/**
 * Pushes entries in per-stream batches (pushBatches), one request at a time so a 429 holds back the next, and
 * halves a batch Loki finds over its gRPC message limit. Counts accepted and refused lines exactly.
 */
export async function pushEntries(
  post: PostLike,
  baseUrl: string,
  entries: PushEntry[],
  opts: {
    tenant?: string;
    maxLines?: number;
    maxBytes?: number;
    sleep?: (ms: number) => Promise<void>;
    onProgress?: (linesDone: number) => void;
  } = {}
): Promise<PushReport> {
  const report: PushReport = { accepted: 0, rejectedLines: 0, rejected: [], retries: 0, requests: 0 };
  let done = 0;
  const send = async (batch: PushEntry[]): Promise<void> => {
    report.requests++;
    const r = await pushBody(post, baseUrl, pushBodyOf(batch), { ...opts, lines: batch.length });
    report.retries += r.retries;
    if (r.tooLarge) {
      if (batch.length === 1) {
        throw new LokiError('Loki push: one line is over the gRPC message limit of the Loki server');
      }
      const half = Math.ceil(batch.length / 2);
      await send(batch.slice(0, half));
      await send(batch.slice(half));
      return;
    }
    report.rejected.push(...r.rejected);
    report.rejectedLines += r.rejectedLines;
    report.accepted += batch.length - r.rejectedLines;
    done += batch.length;
    opts.onProgress?.(done);
  };
  for (const batch of pushBatches(entries, opts.maxLines, opts.maxBytes)) {
    await send(batch);
  }
  return report;
}
