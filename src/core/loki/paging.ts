import type { RawLine } from '../parse/types';
import { LokiError } from './errors';

/**
 * Reading a whole time range from Loki whatever the transport: the range is split into pieces read a few at a
 * time, and each piece is paged forward by moving its start to the last timestamp seen. The start is inclusive,
 * so lines at that timestamp come again and are skipped by identity; when more lines share one timestamp than
 * a page holds, the rest are reported, never silently dropped. Transports that address time in coarser steps
 * (Grafana's data source API takes milliseconds) declare their granularity.
 */

export type PageFetcher = (startNs: bigint, endNs: bigint, limit: number) => Promise<RawLine[]>;

export interface PagingOptions {
  pageLimit: number;
  splitMs: number;
  concurrency: number;
  /** Smallest time step the transport can ask for, in ns (1 for Loki's HTTP API, 1e6 for milliseconds). */
  granularityNs?: bigint;
  /** Stop once this many lines are read, oldest first (1 asks "is there anything?" without reading it all). */
  maxLines?: number;
  /**
   * Bytes one page may carry. Loki's querier hands each answer over gRPC, 4 MiB at most by default
   * (`server.grpc_server_max_recv_msg_size`): a page of 5000 audit lines of ~1.1 KB is over it, and Loki
   * answers 500 ResourceExhausted. Pages are sized from the lines seen so far to stay under this.
   */
  pageBytes?: number;
  /**
   * Called with each page's new lines, with the index of the piece they belong to, in the order of the result
   * (a piece's pages are held until the pieces before it are read): the lines heard, cut to `maxLines`, are the
   * result, so a consumer can parse them as they come.
   */
  onPage?: (piece: number, lines: RawLine[]) => void;
}

/** Under Loki's default 4 MiB gRPC message, with room for what a page carries besides the lines. */
export const DEFAULT_PAGE_BYTES = 3 * 1024 * 1024;
/** Bytes per line assumed before any line is seen: an audit line is about 1 KB. */
const PRIOR_LINE_BYTES = 1024;
/** Per entry besides its text: timestamp, framing, labels shared by the stream. */
const ENTRY_OVERHEAD_BYTES = 32;

const TOO_LARGE = /(?:received|trying to send) message larger than max \((\d+) vs\.? (\d+)\)/;

/** Loki's answer when a page is over its gRPC message limit (sent size, limit), or undefined. */
export function messageTooLarge(text: string): { size: number; max: number } | undefined {
  const m = TOO_LARGE.exec(text);
  return m ? { size: Number(m[1]), max: Number(m[2]) } : undefined;
}

/** What the lines read so far say about the size of a page: shared by the pieces of one range. */
class PageSizer {
  private lines = 0;
  private bytes = 0;
  /** Largest bytes per line Loki reported in a refused page. */
  private refusedPerLine = 0;

  constructor(private budget: number) {}

  observe(page: RawLine[]): void {
    for (const l of page) {
      this.lines++;
      this.bytes += utf8Length(l.text) + ENTRY_OVERHEAD_BYTES;
    }
  }

  refused(limit: number, size: { size: number; max: number }): void {
    this.refusedPerLine = Math.max(this.refusedPerLine, size.size / limit);
    this.budget = Math.min(this.budget, Math.floor(size.max * 0.75));
  }

  /** Lines per page that should fit, at most `cap`. */
  limit(cap: number): number {
    const perLine = Math.max(this.lines ? this.bytes / this.lines : PRIOR_LINE_BYTES, this.refusedPerLine);
    return Math.max(1, Math.min(cap, Math.floor(this.budget / perLine)));
  }
}

function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
    }
  }
  return n;
}

/**
 * Refusals of one page in a row (entries limit, message size) before the read gives up. Loki's own refusals make
 * the page at least a quarter smaller each time (a refused page is over the limit; the next aims at 3/4 of it),
 * so they end at one line within 30 (5000 → 1; one or two in practice); this bounds an answer that keeps refusing.
 */
export const MAX_REFUSALS = 32;

const MAX_ENTRIES = /max entries limit per query exceeded, limit > max_entries_limit(?:_per_query)? \((\d+) > (\d+)\)/;
const NS_PER_MS = BigInt(1_000_000);

function byTime(a: RawLine, b: RawLine): number {
  const x = a.ns as string;
  const y = b.ns as string;
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

function entryKey(l: RawLine): string {
  return `${l.ns}\u0000${JSON.stringify(l.labels ?? {})}\u0000${l.text}`;
}

/** Where a piece is read from, and how its pages are reported. */
interface PieceRead {
  /** Lines at the start already read (by the page before, when a piece is split after its first page). */
  seen?: Set<string>;
  /** May the rest of the piece be split after a full first page (not again inside a part). */
  split: boolean;
  onPage?: (lines: RawLine[]) => void;
}

/**
 * After a full first page, the rest of a piece in parts read side by side: as many as the first page's span says
 * pages are left, at most `concurrency`. A dense piece (the hour a broad question asks about) is then paged
 * `concurrency` pages at a time instead of one after another, which is what a raw download of its pages does.
 */
function partsAfterFirstPage(startNs: bigint, lastNs: bigint, endNs: bigint, o: PagingOptions): bigint[] {
  const step = o.granularityNs ?? BigInt(1);
  const covered = lastNs - startNs;
  const rest = endNs - lastNs;
  if (covered <= BigInt(0) || rest <= BigInt(0)) {
    return [];
  }
  const pagesLeft = (rest + covered - BigInt(1)) / covered;
  const parts = Number(pagesLeft < BigInt(o.concurrency) ? pagesLeft : BigInt(o.concurrency));
  const bounds: bigint[] = [];
  for (let i = 1; i < parts; i++) {
    const b = ((lastNs + (rest * BigInt(i)) / BigInt(parts)) / step) * step;
    if (b > (bounds[bounds.length - 1] ?? lastNs) && b < endNs) {
      bounds.push(b);
    }
  }
  return bounds;
}

async function readPiece(
  fetchPage: PageFetcher,
  startNs: bigint,
  endNs: bigint,
  o: PagingOptions,
  sizer: PageSizer,
  warnings: string[],
  r: PieceRead
): Promise<{ lines: RawLine[]; requests: number }> {
  const step = o.granularityNs ?? BigInt(1);
  const out: RawLine[] = [];
  let start = startNs;
  const wanted = o.maxLines ?? Infinity;
  let entriesCap = Math.min(o.pageLimit, wanted);
  let seen = r.seen ?? new Set<string>();
  let requests = 0;
  let pages = 0;
  let refusals = 0;
  const refused = (message: string) => {
    refusals++;
    if (refusals >= MAX_REFUSALS) {
      throw new LokiError(
        `Loki refused ${refusals} pages in a row from ${start} ns, each smaller than the one before; gave up (last: ${message})`
      );
    }
  };
  while (start < endNs) {
    let page: RawLine[];
    const limit = sizer.limit(entriesCap);
    try {
      requests++;
      page = await fetchPage(start, endNs, limit);
    } catch (e) {
      const message = e instanceof Error ? e.message : '';
      const m = MAX_ENTRIES.exec(message);
      if (m && Number(m[2]) < entriesCap) {
        refused(message);
        entriesCap = Number(m[2]);
        warnings.push(`Loki allows ${entriesCap} entries per query; paging with that`);
        continue;
      }
      const tooLarge = messageTooLarge(message);
      if (tooLarge && limit > 1) {
        // Not a fault to retry: the same page would be refused again. Smaller pages, from now on.
        refused(message);
        sizer.refused(limit, tooLarge);
        if (sizer.limit(entriesCap) >= limit) {
          // Sizes that do not make the page smaller (not Loki's: a refused page is over the limit it names).
          throw new LokiError(
            `Loki refused a page of ${limit} lines as too large, but its sizes ask for no fewer (${message})`
          );
        }
        continue;
      }
      throw e;
    }
    refusals = 0;
    pages++;
    sizer.observe(page);
    page.sort(byTime);
    const fresh = page.filter((l) => !seen.has(entryKey(l)));
    out.push(...fresh);
    if (fresh.length > 0) {
      r.onPage?.(fresh);
    }
    if (page.length < limit || out.length >= wanted) {
      break;
    }
    const last = BigInt(page[page.length - 1].ns as string);
    const next = (last / step) * step;
    if (fresh.length === 0) {
      warnings.push(`more than ${limit} lines share the timestamp ${next} ns: the rest of them were not read`);
      start = next + step;
      seen = new Set();
      continue;
    }
    seen = new Set(page.filter((l) => BigInt(l.ns as string) >= next).map(entryKey));
    // A cap reads oldest first, one page after another: a split could read past it.
    const bounds = r.split && pages === 1 && wanted === Infinity ? partsAfterFirstPage(start, next, endNs, o) : [];
    if (bounds.length > 0) {
      const rest = await readParts(fetchPage, [next, ...bounds, endNs], seen, o, sizer, warnings, r.onPage);
      return { lines: [...out, ...rest.lines], requests: requests + rest.requests };
    }
    start = next;
  }
  return { lines: out, requests };
}

/** Pages of parts read side by side, reported in the parts' order: a later part's are held until those before it are done. */
class InOrder {
  private readonly held: RawLine[][][];
  private readonly done: boolean[];
  private current = 0;

  constructor(
    private readonly parts: number,
    private readonly emit: (part: number, lines: RawLine[]) => void
  ) {
    this.held = Array.from({ length: parts }, () => []);
    this.done = new Array<boolean>(parts).fill(false);
  }

  page(part: number, lines: RawLine[]): void {
    if (part === this.current) {
      this.emit(part, lines);
    } else {
      this.held[part].push(lines);
    }
  }

  finished(part: number): void {
    this.done[part] = true;
    while (this.current < this.parts && this.done[this.current]) {
      this.current++;
      this.held[this.current]?.forEach((p) => this.emit(this.current, p));
      this.held[this.current] = [];
    }
  }
}

/**
 * The parts between `edges` side by side (the first starting with the lines `seen` already read), their lines in
 * time order; pages are reported in that order too, a later part's held back until the parts before it are done.
 */
async function readParts(
  fetchPage: PageFetcher,
  edges: bigint[],
  seen: Set<string>,
  o: PagingOptions,
  sizer: PageSizer,
  warnings: string[],
  onPage: ((lines: RawLine[]) => void) | undefined
): Promise<{ lines: RawLine[]; requests: number }> {
  const parts = edges.length - 1;
  const order = new InOrder(parts, (_, lines) => onPage?.(lines));
  const read = await Promise.all(
    Array.from({ length: parts }, async (_, j) => {
      const got = await readPiece(fetchPage, edges[j], edges[j + 1], o, sizer, warnings, {
        seen: j === 0 ? seen : undefined,
        split: false,
        onPage: (lines) => order.page(j, lines),
      });
      order.finished(j);
      return got;
    })
  );
  return { lines: read.flatMap((x) => x.lines), requests: read.reduce((n, x) => n + x.requests, 0) };
}

/** At most `concurrency` pages in flight, however many pieces and parts are being read. */
function limitedFetcher(fetchPage: PageFetcher, concurrency: number): PageFetcher {
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  return async (startNs, endNs, limit) => {
    while (inFlight >= concurrency) {
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    inFlight++;
    try {
      return await fetchPage(startNs, endNs, limit);
    } finally {
      inFlight--;
      waiting.shift()?.();
    }
  };
}

/**
 * Pieces of a long range grow past `splitMs` so a range is read in at most this many: a week's look-back is 24
 * requests, not 168 mostly empty ones (Loki's query frontend splits each by its own `split_queries_by_interval`).
 */
const MAX_PIECES = 24;
/** and never longer than a day (Loki refuses a query longer than `max_query_length`, 721 h by default). */
const LONGEST_PIECE_MS = 24 * 3_600_000;

/** The length of the pieces `[startMs, endMs)` is read in. */
export function pieceLengthMs(startMs: number, endMs: number, splitMs: number): number {
  return Math.min(Math.max(splitMs, LONGEST_PIECE_MS), Math.max(splitMs, Math.ceil((endMs - startMs) / MAX_PIECES)));
}

export async function readRange(
  fetchPage: PageFetcher,
  startMs: number,
  endMs: number,
  o: PagingOptions
): Promise<{ lines: RawLine[]; warnings: string[]; requests: number }> {
  const warnings: string[] = [];
  const sizer = new PageSizer(o.pageBytes ?? DEFAULT_PAGE_BYTES);
  const pieces: Array<[number, number]> = [];
  const pieceMs = pieceLengthMs(startMs, endMs, o.splitMs);
  for (let s = startMs; s < endMs; s += pieceMs) {
    pieces.push([s, Math.min(endMs, s + pieceMs)]);
  }
  const fetchLimited = limitedFetcher(fetchPage, o.concurrency);
  const order = new InOrder(pieces.length, (i, lines) => o.onPage?.(i, lines));
  const results: RawLine[][] = new Array(pieces.length);
  let requests = 0;
  let read = 0;
  let next = 0;
  const wanted = o.maxLines ?? Infinity;
  const worker = async () => {
    while (next < pieces.length && read < wanted) {
      const i = next++;
      const r = await readPiece(
        fetchLimited,
        BigInt(Math.floor(pieces[i][0])) * NS_PER_MS,
        BigInt(Math.floor(pieces[i][1])) * NS_PER_MS,
        o,
        sizer,
        warnings,
        { split: o.concurrency > 1, onPage: (lines) => order.page(i, lines) }
      );
      order.finished(i);
      results[i] = r.lines;
      read += r.lines.length;
      requests += r.requests;
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, pieces.length) }, worker));
  // Pieces run side by side, so a cap can be passed by the pieces in flight: keep the oldest lines.
  const lines = results.flat();
  return { lines: lines.length > wanted ? lines.slice(0, wanted) : lines, warnings, requests };
}
