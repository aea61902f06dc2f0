import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { compile, matches, runPipeline, UnsupportedQuery, type LogPlan } from './logqlEval';

/**
 * A faithful-where-it-matters Loki API test double (grafana/loki docs/sources/reference/loki-http-api.md):
 * push (JSON; lines over `max_line_size` discarded with Loki's 400 message while valid ones are kept),
 * query_range (start inclusive, end exclusive, `limit` default 100, `direction` default backward,
 * `max_entries_limit_per_query` 5000, `categorize-labels` encoding), instant query for metric queries only,
 * labels, label values, ready. Faults (429 with Retry-After, 5xx, latency, dropped connections) are queued by
 * tests. Never shipped: it lives in tests/support.
 */

export interface Fault {
  status?: number;
  retryAfter?: string;
  delayMs?: number;
  /** Close the connection without answering. */
  drop?: boolean;
  /** The answer's text instead of `injected <status>`. */
  body?: string;
}

interface Entry {
  ns: bigint;
  line: string;
  meta: Record<string, string>;
}

interface Stream {
  labels: Record<string, string>;
  entries: Entry[];
  sorted: boolean;
  /** Newest entry time, -1 while empty. */
  highest: bigint;
  /** Lines by entry time, to drop exact duplicates. */
  byNs: Map<bigint, string[]>;
}

const NS_PER_MS = BigInt(1_000_000);

/** Go's time.Duration text of whole milliseconds (`745h0m0.5s`). */
function goDuration(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
}

/** Prometheus model.Duration text (vendor/github.com/prometheus/common/model/time.go): years and weeks only exact. */
function promDuration(ms: number): string {
  const units: Array<[string, number, boolean]> = [
    ['y', 31_536_000_000, true],
    ['w', 604_800_000, true],
    ['d', 86_400_000, false],
    ['h', 3_600_000, false],
    ['m', 60_000, false],
    ['s', 1000, false],
    ['ms', 1, false],
  ];
  let rest = ms;
  let out = '';
  for (const [unit, n, exact] of units) {
    if ((!exact || rest % n === 0) && rest >= n) {
      out += `${Math.floor(rest / n)}${unit}`;
      rest %= n;
    }
  }
  return out || '0s';
}

export interface EmulatorOptions {
  maxLineSize?: number;
  maxEntriesLimitPerQuery?: number;
  /** `store.max-query-length` (default 721 h): a longer query_range is refused. */
  maxQueryLengthMs?: number;
  /** The querier's gRPC message limit; Infinity switches it off (a Loki with raised limits). */
  grpcMaxMessageBytes?: number;
  /** `ingester.max-chunk-age` (default 2 h): entries older than a stream's newest minus half of it are refused. */
  maxChunkAgeMs?: number;
  /** `validation.create-grace-period` (default 10 min): how far into the future an entry may be. */
  creationGracePeriodMs?: number;
}

/** grafana/dskit server.go (vendored in loki v3.5.0): grpc_server_max_recv_msg_size / _send_msg_size default. */
export const GRPC_DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

const key = (labels: Record<string, string>) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');

/** Loki timestamps: ns integers, float seconds, or RFC3339. */
function parseTime(v: string | null, fallback: bigint): bigint {
  if (v === null || v === '') {
    return fallback;
  }
  if (/^\d+$/.test(v)) {
    return v.length > 12 ? BigInt(v) : BigInt(v) * BigInt(1_000_000_000);
  }
  if (/^\d+\.\d+$/.test(v)) {
    return BigInt(Math.round(Number(v) * 1e6)) * BigInt(1000);
  }
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) {
    throw new Error(`invalid time ${v}`);
  }
  return BigInt(ms) * BigInt(1_000_000);
}

export class LokiEmulator {
  private server?: Server;
  private readonly streams = new Map<string, Stream>();
  private readonly faults: Fault[] = [];
  private readonly pushFaults: Fault[] = [];
  readonly maxLineSize: number;
  readonly maxEntries: number;
  readonly maxQueryLengthMs: number;
  readonly grpcMaxMessageBytes: number;
  readonly maxChunkAgeMs: number;
  readonly creationGracePeriodMs: number;
  /** Requests served, by path (for query budgets in tests). */
  readonly requests: Array<{ path: string; query?: string; tenant?: string; lines?: number; bytes?: number }> = [];

  constructor(options: EmulatorOptions = {}) {
    this.maxLineSize = options.maxLineSize ?? 256 * 1024;
    this.maxEntries = options.maxEntriesLimitPerQuery ?? 5000;
    // loki v3.5.0 pkg/validation/limits.go: MaxQueryLength.Set("721h").
    this.maxQueryLengthMs = options.maxQueryLengthMs ?? 721 * 3_600_000;
    this.grpcMaxMessageBytes = options.grpcMaxMessageBytes ?? GRPC_DEFAULT_MAX_MESSAGE_BYTES;
    // loki v3.5.0 pkg/ingester/ingester.go (max-chunk-age 2h), pkg/validation/limits.go (create-grace-period 10m).
    this.maxChunkAgeMs = options.maxChunkAgeMs ?? 2 * 3_600_000;
    this.creationGracePeriodMs = options.creationGracePeriodMs ?? 10 * 60_000;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next query requests fail like this, one fault per request. */
  failNext(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** The next push requests fail like this, one fault per request (nothing of a failed push is stored). */
  failPushNext(...faults: Fault[]): void {
    this.pushFaults.push(...faults);
  }

  /** Every stored entry of the streams matching `labels`, in stream then time order, as `labels ns line meta`. */
  dump(labels: Record<string, string>): string[] {
    const out: string[] = [];
    for (const k of [...this.streams.keys()].sort()) {
      const s = this.streams.get(k) as Stream;
      if (Object.entries(labels).every(([n, v]) => s.labels[n] === v)) {
        const entries = [...s.entries].sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : a.line < b.line ? -1 : 1));
        out.push(...entries.map((e) => `${k} ${e.ns} ${e.line} ${JSON.stringify(e.meta)}`));
      }
    }
    return out;
  }

  /** Every stored entry, as a reader of Loki gets it back (text, stream labels, ns): to load another double. */
  entries(): Array<{ text: string; labels: Record<string, string>; ns: string }> {
    const out: Array<{ text: string; labels: Record<string, string>; ns: string }> = [];
    for (const s of this.streams.values()) {
      out.push(...s.entries.map((e) => ({ text: e.line, labels: { ...s.labels }, ns: String(e.ns) })));
    }
    return out;
  }

  /** Entries stored, for assertions. */
  get size(): number {
    let n = 0;
    this.streams.forEach((s) => (n += s.entries.length));
    return n;
  }

  /** Times of every stored entry, ms (for assertions on stamping). */
  entryTimesMs(): number[] {
    return [...this.streams.values()].flatMap((s) => s.entries.map((e) => Number(e.ns / NS_PER_MS)));
  }

  /** Label sets of the stored streams. */
  streamLabels(): Array<Record<string, string>> {
    return [...this.streams.values()].map((s) => s.labels);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://loki');
    const tenant = req.headers['x-scope-orgid'];
    this.requests.push({
      path: url.pathname,
      query: url.searchParams.get('query') ?? undefined,
      tenant: typeof tenant === 'string' ? tenant : undefined,
    });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
        ...headers,
      });
      res.end(text);
    };
    try {
      if (url.pathname === '/ready') {
        return send(200, 'ready\n');
      }
      if (url.pathname === '/loki/api/v1/push' && req.method === 'POST') {
        const body = await readBody(req);
        if (await injected(this.pushFaults.shift(), req, send)) {
          return;
        }
        return this.push(body, send);
      }
      if (
        url.pathname.startsWith('/loki/api/v1/') &&
        url.pathname !== '/loki/api/v1/push' &&
        (await injected(this.faults.shift(), req, send))
      ) {
        return;
      }
      switch (url.pathname) {
        case '/loki/api/v1/query_range':
          return this.queryRange(
            url.searchParams,
            req.headers['x-loki-response-encoding-flags'] === 'categorize-labels',
            send
          );
        case '/loki/api/v1/query':
          return this.instantQuery(url.searchParams, send);
        case '/loki/api/v1/labels':
          return send(200, {
            status: 'success',
            data: [...new Set([...this.streams.values()].flatMap((s) => Object.keys(s.labels)))].sort(),
          });
        default: {
          const m = /^\/loki\/api\/v1\/label\/([^/]+)\/values$/.exec(url.pathname);
          if (m) {
            const name = decodeURIComponent(m[1]);
            const values = new Set(
              [...this.streams.values()].map((s) => s.labels[name]).filter((v): v is string => v !== undefined)
            );
            return send(200, { status: 'success', data: [...values].sort() });
          }
          return send(404, '404 page not found\n');
        }
      }
    } catch (e) {
      if (e instanceof UnsupportedQuery) {
        return send(400, `the Loki emulator does not implement: ${e.message}`);
      }
      return send(400, e instanceof Error ? e.message : String(e));
    }
  }

  private push(body: string, send: (s: number, b: unknown) => void): void {
    const payload = JSON.parse(body) as {
      streams?: Array<{ stream: Record<string, string>; values: Array<[string, string, Record<string, string>?]> }>;
    };
    const now = BigInt(Date.now()) * NS_PER_MS;
    const newest = now + BigInt(this.creationGracePeriodMs) * NS_PER_MS;
    const distributorErrors: string[] = [];
    let ingesterError: string | undefined;
    for (const s of payload.streams ?? []) {
      const labels = withServiceName(s.stream);
      const name = labelsString(labels);
      // Distributor checks first (loki v3.5.0 pkg/distributor/validator.go ValidateEntry): refused lines are
      // reported, the others still go on to the ingester.
      const valid: Entry[] = [];
      for (const [ts, line, meta] of s.values) {
        const ns = BigInt(ts);
        const size = Buffer.byteLength(line, 'utf8');
        if (ns > newest) {
          distributorErrors.push(`entry for stream '${name}' has timestamp too new: ${rfc3339(ns)}`);
        } else if (size > this.maxLineSize) {
          distributorErrors.push(
            `Max entry size '${this.maxLineSize}' bytes exceeded for stream '${name}' while adding an entry with length '${size}' bytes`
          );
        } else if (metadataError(meta ?? {}, name) !== undefined) {
          distributorErrors.push(metadataError(meta ?? {}, name) as string);
        } else {
          valid.push({ ns, line, meta: withDetectedLevel(meta ?? {}, line) });
        }
      }
      if (valid.length === 0) {
        continue;
      }
      const k = key(labels);
      const stream: Stream = this.streams.get(k) ?? {
        labels,
        entries: [],
        sorted: true,
        highest: BigInt(-1),
        byNs: new Map(),
      };
      this.streams.set(k, stream);
      const failed: string[] = [];
      for (const e of valid) {
        // loki v3.5.0 pkg/ingester/stream.go validateEntries: with unordered writes, an entry older than the
        // stream's newest minus max_chunk_age / 2 (1 h by default) is refused "too far behind".
        const cutoff = stream.highest - BigInt(this.maxChunkAgeMs / 2) * NS_PER_MS;
        if (stream.highest >= BigInt(0) && e.ns < cutoff) {
          failed.push(
            `entry with timestamp ${goTime(e.ns)} ignored, reason: 'entry too far behind, entry timestamp is: ${rfc3339(e.ns)}, oldest acceptable timestamp is: ${rfc3339(cutoff)}',`
          );
          continue;
        }
        // loki v3.5.0 pkg/chunkenc/unordered.go Append: an entry with the same timestamp and line as a stored
        // one is dropped without a word.
        const same = stream.byNs.get(e.ns);
        if (same?.includes(e.line)) {
          continue;
        }
        stream.byNs.set(e.ns, same ? [...same, e.line] : [e.line]);
        stream.entries.push(e);
        stream.sorted = false;
        if (e.ns > stream.highest) {
          stream.highest = e.ns;
        }
      }
      if (failed.length > 0) {
        // loki v3.5.0 pkg/ingester/stream.go errorForFailedEntries: at most 10 entries named, then the count;
        // pkg/ingester/instance.go Push: only the last failing stream's error is returned.
        ingesterError = `${failed.slice(0, 10).join('\n')}\nuser 'fake', total ignored: ${failed.length} out of ${valid.length} for stream: ${name}`;
      }
    }
    // loki v3.5.0 pkg/distributor/distributor.go Push: an ingester error replaces the validation errors.
    if (ingesterError !== undefined) {
      return send(400, ingesterError);
    }
    if (distributorErrors.length === 0) {
      return send(204, '');
    }
    send(400, groupedErrors(distributorErrors));
  }

  /**
   * The entries of [start, end) the pipeline keeps, per stream at most `limit`, taken in `direction` from the
   * range's end it starts at: the newest (backward) or oldest (forward) `limit` of all streams are among them.
   * Each stream is found by binary search and read only as far as it must — a page of a million-line stream
   * costs the lines up to that page, not the whole range (the bench's 1,000,000-event broad question timed out
   * on whole-range scans per page).
   */
  private select(
    plan: LogPlan,
    start: bigint,
    end: bigint,
    limit = Infinity,
    direction: 'forward' | 'backward' = 'forward'
  ): Array<{ stream: Stream; entry: Entry; parsed: Record<string, string> }> {
    const out: Array<{ stream: Stream; entry: Entry; parsed: Record<string, string> }> = [];
    for (const stream of this.streams.values()) {
      if (!plan.selector.every((m) => matches(m, stream.labels[m.label]))) {
        continue;
      }
      if (!stream.sorted) {
        stream.entries.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
        stream.sorted = true;
      }
      const entries = stream.entries;
      const lo = firstAtOrAfter(entries, start);
      const hi = firstAtOrAfter(entries, end);
      const forward = direction === 'forward';
      let kept = 0;
      for (let i = forward ? lo : hi - 1; (forward ? i < hi : i >= lo) && kept < limit; i += forward ? 1 : -1) {
        const entry = entries[i];
        const parsed = runPipeline(plan, entry.line, { ...stream.labels, ...entry.meta });
        if (parsed) {
          out.push({ stream, entry, parsed });
          kept++;
        }
      }
    }
    return out;
  }

  private queryRange(p: URLSearchParams, categorize: boolean, send: (s: number, b: unknown) => void): void {
    const now = BigInt(Date.now()) * BigInt(1_000_000);
    const end = parseTime(p.get('end'), now);
    const start = parseTime(p.get('start'), end - BigInt(3_600) * BigInt(1_000_000_000));
    const limit = Number(p.get('limit') ?? '100');
    if (limit > this.maxEntries) {
      return send(
        400,
        `max entries limit per query exceeded, limit > max_entries_limit_per_query (${limit} > ${this.maxEntries})`
      );
    }
    // loki v3.5.0 pkg/querier/queryrange/limits.go: the length in ms, refused with validation.ErrQueryTooLong.
    const lengthMs = Number(end / NS_PER_MS - start / NS_PER_MS);
    if (lengthMs > this.maxQueryLengthMs) {
      return send(
        400,
        `the query time range exceeds the limit (query length: ${goDuration(lengthMs)}, limit: ${promDuration(this.maxQueryLengthMs)})`
      );
    }
    const direction = p.get('direction') ?? 'backward';
    const plan = compile(p.get('query') ?? '');
    if (plan.kind !== 'log') {
      return send(400, 'the Loki emulator answers metric queries on /loki/api/v1/query only');
    }
    const hits = this.select(plan.plan, start, end, limit, direction === 'forward' ? 'forward' : 'backward');
    hits.sort(
      (a, b) => (a.entry.ns < b.entry.ns ? -1 : a.entry.ns > b.entry.ns ? 1 : 0) * (direction === 'forward' ? 1 : -1)
    );
    const taken = hits.slice(0, limit);
    // loki v3.5.0 single binary: the querier hands its answer to the frontend over gRPC (pkg/querier/worker_service.go);
    // over the limit, grpc-go's rpc_util.go refuses it and the HTTP answer is 500 with this text (loki issue #2271).
    const size = messageSize(taken);
    Object.assign(this.requests[this.requests.length - 1] ?? {}, { lines: taken.length, bytes: size });
    if (size > this.grpcMaxMessageBytes) {
      return send(
        500,
        `rpc error: code = ResourceExhausted desc = grpc: received message larger than max (${size} vs. ${this.grpcMaxMessageBytes})\n`
      );
    }
    const groups = new Map<string, { stream: Record<string, string>; values: unknown[] }>();
    for (const h of taken) {
      const labels = categorize ? h.stream.labels : { ...h.stream.labels, ...h.entry.meta, ...h.parsed };
      const k = key(labels);
      const g = groups.get(k) ?? { stream: labels, values: [] };
      groups.set(k, g);
      const extra: Record<string, unknown> = {};
      if (Object.keys(h.entry.meta).length) {
        extra.structuredMetadata = h.entry.meta;
      }
      if (Object.keys(h.parsed).length) {
        extra.parsed = h.parsed;
      }
      g.values.push(categorize ? [h.entry.ns.toString(), h.entry.line, extra] : [h.entry.ns.toString(), h.entry.line]);
    }
    const data: Record<string, unknown> = { resultType: 'streams', result: [...groups.values()], stats: {} };
    if (categorize) {
      data.encodingFlags = ['categorize-labels'];
    }
    send(200, { status: 'success', data });
  }

  private instantQuery(p: URLSearchParams, send: (s: number, b: unknown) => void): void {
    const plan = compile(p.get('query') ?? '');
    if (plan.kind === 'log') {
      return send(
        400,
        'log queries are not supported as an instant query type, please change your query to a range query type'
      );
    }
    const time = parseTime(p.get('time'), BigInt(Date.now()) * BigInt(1_000_000));
    const from = time - BigInt(plan.plan.rangeMs) * BigInt(1_000_000);
    const series = new Map<string, { metric: Record<string, string>; count: number }>();
    for (const h of this.select(plan.plan.log, from + BigInt(1), time + BigInt(1))) {
      // loki v3.5.0 pkg/logql/evaluator.go RangeVectorEvaluator: a sample with __error__ fails the query (400).
      if (h.parsed.__error__ !== undefined) {
        const metric = labelsString({ ...h.stream.labels, __error__: h.parsed.__error__ });
        return send(
          400,
          `pipeline error: '${h.parsed.__error__}' for series: '${metric}'.\nUse a label filter to intentionally skip this error. (e.g | __error__!="${h.parsed.__error__}").\nTo skip all potential errors you can match empty errors.(e.g __error__="")\nThe label filter can also be specified after unwrap. (e.g | unwrap latency | __error__="" )\n`
        );
      }
      const all = { ...h.stream.labels, ...h.entry.meta, ...h.parsed };
      const metric =
        plan.plan.by === undefined
          ? all
          : Object.fromEntries(plan.plan.by.filter((l) => all[l] !== undefined).map((l) => [l, all[l]]));
      const k = key(metric);
      const s = series.get(k) ?? { metric, count: 0 };
      s.count++;
      series.set(k, s);
    }
    const seconds = (Number(time / BigInt(1_000_000)) / 1000).toString();
    send(200, {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [...series.values()].map((s) => ({ metric: s.metric, value: [Number(seconds), String(s.count)] })),
      },
    });
  }
}

/** Plays a queued fault (delay, dropped connection, status); true when it answered instead of the emulator. */
async function injected(
  fault: Fault | undefined,
  req: IncomingMessage,
  send: (status: number, body: unknown, headers?: Record<string, string>) => void
): Promise<boolean> {
  if (fault?.delayMs) {
    await new Promise((r) => setTimeout(r, fault.delayMs));
  }
  if (fault?.drop) {
    req.socket.destroy();
    return true;
  }
  if (fault?.status) {
    send(
      fault.status,
      fault.body ?? `injected ${fault.status}`,
      fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {}
    );
    return true;
  }
  return false;
}

/**
 * loki v3.5.0 pkg/loghttp/entry.go (sliceEntryDecoder): structured metadata is a map of strings; then
 * pkg/distributor/validator.go ValidateEntry: at most 64 KB (names and values, `detected_level` not counted,
 * pkg/util/entry_size.go) and 128 entries per line (pkg/validation/limits.go defaults, validate.go messages).
 */
function metadataError(meta: Record<string, unknown>, stream: string): string | undefined {
  const pairs = Object.entries(meta);
  const bad = pairs.find(([, v]) => typeof v !== 'string');
  if (bad) {
    throw new Error(`could not parse structured metadata ${bad[0]}: expected a string`);
  }
  const size = pairs
    .filter(([k]) => k !== 'detected_level')
    .reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v as string), 0);
  if (size > 64 * 1024) {
    return `stream '${stream}' has structured metadata too large: '${size}' bytes, limit: '${64 * 1024}' bytes. Please see \`limits_config.max_structured_metadata_size\` or contact your Loki administrator to increase it.`;
  }
  if (pairs.length > 128) {
    return `stream '${stream}' has too many structured metadata labels: '${pairs.length}', limit: '128'. Please see \`limits_config.max_structured_metadata_entries_count\` or contact your Loki administrator to increase it.`;
  }
  return undefined;
}

/** A time as Go's time.Format(time.RFC3339) writes it (seconds, UTC). */
/** The index of the first entry at or after `ns` in entries sorted by time (entries.length when none). */
function firstAtOrAfter(entries: Entry[], ns: bigint): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid].ns < ns) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

function rfc3339(ns: bigint): string {
  return new Date(Number(ns / NS_PER_MS)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A time as Go's time.Time.String() writes it: `2026-03-02 10:00:00.18 +0000 UTC`. */
function goTime(ns: bigint): string {
  const iso = new Date(Number(ns / NS_PER_MS)).toISOString();
  const frac = (ns % BigInt(1_000_000_000)).toString().padStart(9, '0').replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`;
}

/** Prometheus labels.String(), which Loki's messages use: `{a="1", b="2"}`. */
function labelsString(labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${parts.join(', ')}}`;
}

/** loki v3.5.0 pkg/util/errors.go GroupedErrors.Error: "N errors like: …" per distinct message, joined by "; ". */
function groupedErrors(errors: string[]): string {
  const counts = new Map<string, number>();
  errors.forEach((e) => counts.set(e, (counts.get(e) ?? 0) + 1));
  return [...counts].map(([e, n]) => (counts.size > 1 || n > 1 ? `${n} errors like: ${e}` : e)).join('; ');
}

/** loki v3.5.0 pkg/validation/limits.go discover_service_name: the first of these labels names the service. */
const SERVICE_NAME_FROM = [
  'service',
  'app',
  'application',
  'app_name',
  'name',
  'app_kubernetes_io_name',
  'container',
  'container_name',
  'k8s_container_name',
  'component',
  'workload',
  'job',
  'k8s_job_name',
];

function withServiceName(labels: Record<string, string>): Record<string, string> {
  if (labels.service_name !== undefined) {
    return labels;
  }
  const from = SERVICE_NAME_FROM.find((l) => labels[l] !== undefined);
  return { ...labels, service_name: from ? labels[from] : 'unknown_service' };
}

const LEVELS: Record<string, string> = {
  trace: 'trace',
  debug: 'debug',
  dbg: 'debug',
  info: 'info',
  inf: 'info',
  warn: 'warn',
  wrn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  critical: 'critical',
  fatal: 'fatal',
};

/**
 * loki v3.5.0 pkg/distributor/field_detection.go: every line gains `detected_level` structured metadata — the
 * line's `level`/`severity` field when it is a known level, else a guess from words in the line, else unknown.
 */
function withDetectedLevel(meta: Record<string, string>, line: string): Record<string, string> {
  if (meta.detected_level !== undefined) {
    return meta;
  }
  const field = /"(?:level|severity|lvl)"\s*:\s*"([^"]*)"|\b(?:level|severity|lvl)=([^\s"]+)/i.exec(line);
  const named = field ? LEVELS[(field[1] ?? field[2]).toLowerCase()] : undefined;
  const has = (...words: string[]) => words.some((w) => line.includes(w));
  const guessed = has('info', 'INFO')
    ? 'info'
    : has('err:', 'ERR:', 'error', 'ERROR')
      ? 'error'
      : has('warn:', 'WARN:', 'warning', 'WARNING')
        ? 'warn'
        : has('CRITICAL:', 'critical:')
          ? 'critical'
          : has('debug:', 'DEBUG:')
            ? 'debug'
            : 'unknown';
  return { ...meta, detected_level: named ?? guessed };
}

/** About the protobuf size of a streams answer: each entry's line, timestamp and metadata, each stream's labels. */
function messageSize(hits: Array<{ stream: Stream; entry: Entry }>): number {
  let size = 0;
  const streams = new Set<Stream>();
  for (const h of hits) {
    size += Buffer.byteLength(h.entry.line, 'utf8') + 16;
    for (const [k, v] of Object.entries(h.entry.meta)) {
      size += k.length + v.length + 4;
    }
    if (!streams.has(h.stream)) {
      streams.add(h.stream);
      size += key(h.stream.labels).length + 8;
    }
  }
  return size;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
