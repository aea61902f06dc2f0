import type { RawLine } from '../parse/types';
import { lokiStreams } from '../parse/envelope';
import { LokiError } from './errors';
import { DEFAULT_PAGE_BYTES, messageTooLarge, readRange } from './paging';
import type { LokiTransport } from './transport';

export { LokiError };

/**
 * A Loki `query_range` client that answers completely or says why not: splits long ranges, pages past the
 * entries limit and Loki's gRPC message limit (pages sized by bytes as well as lines) by moving the time cursor (keeping lines that share a timestamp exactly once), retries 429 and
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
  /** Bytes per answer the pager aims under (Loki's default gRPC message limit is 4 MiB). Default 3 MiB. */
  pageBytes?: number;
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

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

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
      pageBytes: options.pageBytes ?? DEFAULT_PAGE_BYTES,
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
      // A page over Loki's gRPC message limit is refused again whatever the wait: the pager asks for less.
      if (RETRYABLE.has(status) && attempt < this.o.maxRetries && !messageTooLarge(body)) {
        const wait = retryAfterMs(retryAfter, Date.now()) ?? this.o.backoffMs(attempt);
        warnings.push(
          `Loki answered ${status}${status === 429 ? ' (too many requests)' : ''}; retried after ${wait} ms`
        );
        await this.o.sleep(wait, signal);
        continue;
      }
      const tries = attempt > 0 ? `; gave up after ${attempt + 1} attempts` : '';
      throw new LokiError(`Loki answered ${status}: ${body.trim().slice(0, 500)}${tries}`, status);
    }
  }

  /** Every line of `logql` in [startMs, endMs), oldest first (only the oldest `maxLines` when given). */
  async queryRange(
    logql: string,
    startMs: number,
    endMs: number,
    signal?: AbortSignal,
    maxLines?: number
  ): Promise<QueryResult> {
    const warnings: string[] = [];
    const r = await readRange(
      async (start, end, limit) => {
        const params = new URLSearchParams({
          query: logql,
          start: start.toString(),
          end: end.toString(),
          limit: String(limit),
          direction: 'forward',
        });
        return decodeStreams(await this.get('/loki/api/v1/query_range', params, warnings, signal));
      },
      startMs,
      endMs,
      { ...this.o, maxLines }
    );
    return { lines: r.lines, warnings: [...warnings, ...r.warnings], requests: r.requests };
  }
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
