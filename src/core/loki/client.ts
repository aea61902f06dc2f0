import type { RawLine } from '../parse/types';
import { lokiStreams } from '../parse/envelope';
import type { LokiTransport } from './transport';

/**
 * A Loki `query_range` client that answers completely or says why not: splits long ranges, pages past the
 * entries limit by moving the time cursor (keeping lines that share a timestamp exactly once), retries 429 and
 * 5xx with backoff (honouring Retry-After), times out each request, stops on an AbortSignal, sends the tenant
 * header, and reports every truncation or retry as a warning. HTTP goes through an injected `fetch`, so the
 * same client runs in the browser, in Node, and against the test emulator.
 */

export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal?: AbortSignal }
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface LokiClientOptions {
  baseUrl: string;
  fetch: FetchLike;
  tenant?: string;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Retries of one request on 429 / 5xx / network errors. Default 4. */
  maxRetries?: number;
  /** Entries per request; Loki's default `max_entries_limit_per_query` is 5000. */
  pageLimit?: number;
  /** Ranges are split into pieces of this length, queried `concurrency` at a time. Default 1 h, 4. */
  splitMs?: number;
  concurrency?: number;
  /** Backoff before retry n (0-based), when the server gives no Retry-After. Default 250 ms × 2^n, max 8 s. */
  backoffMs?: (attempt: number) => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface QueryResult {
  lines: RawLine[];
  warnings: string[];
  requests: number;
}

export class LokiError extends Error {
  constructor(
    message: string,
    readonly status?: number
  ) {
    super(message);
  }
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const MAX_ENTRIES = /max entries limit per query exceeded, limit > max_entries_limit(?:_per_query)? \((\d+) > (\d+)\)/;

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new LokiError('cancelled'));
      },
      { once: true }
    );
  });
}

/** Retry-After in seconds or as an HTTP date. */
function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value) * 1000;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const msToNs = (ms: number) => BigInt(Math.floor(ms)) * BigInt(1_000_000);

export class LokiClient implements LokiTransport {
  private readonly o: Required<Omit<LokiClientOptions, 'tenant'>> & { tenant?: string };

  constructor(options: LokiClientOptions) {
    this.o = {
      timeoutMs: 30_000,
      maxRetries: 4,
      pageLimit: 5000,
      splitMs: 3_600_000,
      concurrency: 4,
      backoffMs: (n) => Math.min(8_000, 250 * 2 ** n),
      sleep: defaultSleep,
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' };
    if (this.o.tenant) {
      h['X-Scope-OrgID'] = this.o.tenant;
    }
    return h;
  }

  /** One HTTP GET with timeout and retries; returns the body of a 2xx answer. */
  async get(path: string, params: URLSearchParams, warnings: string[], signal?: AbortSignal): Promise<string> {
    const url = `${this.o.baseUrl}${path}?${params.toString()}`;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) {
        throw new LokiError('cancelled');
      }
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), this.o.timeoutMs);
      const onAbort = () => timeout.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      let status: number;
      let body: string;
      let retryAfter: string | null = null;
      try {
        const res = await this.o.fetch(url, { headers: this.headers(), signal: timeout.signal });
        status = res.status;
        retryAfter = res.headers.get('Retry-After');
        body = await res.text();
      } catch (e) {
        if (signal?.aborted) {
          throw new LokiError('cancelled');
        }
        const why = timeout.signal.aborted
          ? `no answer within ${this.o.timeoutMs} ms`
          : `connection failed (${e instanceof Error ? e.message : String(e)})`;
        if (attempt >= this.o.maxRetries) {
          throw new LokiError(`Loki at ${this.o.baseUrl}: ${why}, after ${attempt + 1} attempts`);
        }
        warnings.push(`Loki: ${why}; retried`);
        await this.o.sleep(this.o.backoffMs(attempt), signal);
        continue;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
      if (status >= 200 && status < 300) {
        return body;
      }
      if (RETRYABLE.has(status) && attempt < this.o.maxRetries) {
        const wait = retryAfterMs(retryAfter, Date.now()) ?? this.o.backoffMs(attempt);
        warnings.push(
          `Loki answered ${status}${status === 429 ? ' (too many requests)' : ''}; retried after ${wait} ms`
        );
        await this.o.sleep(wait, signal);
        continue;
      }
      throw new LokiError(`Loki answered ${status}: ${body.trim().slice(0, 500)}`, status);
    }
  }

  /** Every line of `logql` in [startMs, endMs), oldest first. */
  async queryRange(logql: string, startMs: number, endMs: number, signal?: AbortSignal): Promise<QueryResult> {
    const warnings: string[] = [];
    const pieces: Array<[number, number]> = [];
    for (let s = startMs; s < endMs; s += this.o.splitMs) {
      pieces.push([s, Math.min(endMs, s + this.o.splitMs)]);
    }
    const results: RawLine[][] = new Array(pieces.length);
    let requests = 0;
    let next = 0;
    const worker = async () => {
      while (next < pieces.length) {
        const i = next++;
        const r = await this.queryPiece(logql, pieces[i][0], pieces[i][1], warnings, signal);
        results[i] = r.lines;
        requests += r.requests;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, pieces.length) }, worker));
    return { lines: results.flat(), warnings, requests };
  }

  /** One piece of the range, paged forward by moving `start` to the last timestamp seen. */
  private async queryPiece(
    logql: string,
    startMs: number,
    endMs: number,
    warnings: string[],
    signal?: AbortSignal
  ): Promise<{ lines: RawLine[]; requests: number }> {
    const out: RawLine[] = [];
    let cursor = msToNs(startMs);
    const end = msToNs(endMs);
    let limit = this.o.pageLimit;
    // Lines already taken at the cursor's timestamp: the next page starts there again (start is inclusive).
    let atCursor = new Set<string>();
    let requests = 0;
    while (cursor < end) {
      const params = new URLSearchParams({
        query: logql,
        start: cursor.toString(),
        end: end.toString(),
        limit: String(limit),
        direction: 'forward',
      });
      let body: string;
      try {
        requests++;
        body = await this.get('/loki/api/v1/query_range', params, warnings, signal);
      } catch (e) {
        const m = e instanceof LokiError ? MAX_ENTRIES.exec(e.message) : null;
        if (m && Number(m[2]) < limit) {
          limit = Number(m[2]);
          warnings.push(`Loki allows ${limit} entries per query; paging with that`);
          continue;
        }
        throw e;
      }
      const page = decodeStreams(body);
      page.sort(
        (a, b) =>
          (a.ns as string).length - (b.ns as string).length ||
          ((a.ns as string) < (b.ns as string) ? -1 : (a.ns as string) > (b.ns as string) ? 1 : 0)
      );
      const fresh = page.filter((l) => !(l.ns === cursor.toString() && atCursor.has(entryKey(l))));
      out.push(...fresh);
      if (page.length < limit) {
        break;
      }
      const last = BigInt(page[page.length - 1].ns as string);
      if (last === cursor && fresh.length === 0) {
        warnings.push(`more than ${limit} lines share the timestamp ${cursor} ns: the rest of them were not read`);
        cursor += BigInt(1);
        atCursor = new Set();
        continue;
      }
      atCursor = last === cursor ? atCursor : new Set();
      for (const l of page) {
        if (l.ns === last.toString()) {
          atCursor.add(entryKey(l));
        }
      }
      cursor = last;
    }
    return { lines: out, requests };
  }
}

function entryKey(l: RawLine): string {
  return `${JSON.stringify(l.labels ?? {})}\u0000${l.text}`;
}

/** A query_range answer's log lines; a metric answer or an unknown shape is an error, not an empty result. */
export function decodeStreams(body: string): RawLine[] {
  let j: unknown;
  try {
    j = JSON.parse(body);
  } catch {
    throw new LokiError('Loki sent an answer that is not JSON');
  }
  const data = (j as { data?: { resultType?: string; result?: unknown } }).data;
  if (!data || data.resultType !== 'streams' || !Array.isArray(data.result)) {
    throw new LokiError(`Loki answered with ${data?.resultType ?? 'an unknown shape'}, not log streams`);
  }
  return lokiStreams(data.result).map((i) => ({ text: i.text ?? '', labels: i.labels, ns: i.ns }));
}
