import type { RawLine } from '../parse/types';

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
}

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

async function readPiece(fetchPage: PageFetcher, startNs: bigint, endNs: bigint, o: PagingOptions, warnings: string[]) {
  const step = o.granularityNs ?? BigInt(1);
  const out: RawLine[] = [];
  let start = startNs;
  const wanted = o.maxLines ?? Infinity;
  let limit = Math.min(o.pageLimit, wanted);
  let seen = new Set<string>();
  let requests = 0;
  while (start < endNs) {
    let page: RawLine[];
    try {
      requests++;
      page = await fetchPage(start, endNs, limit);
    } catch (e) {
      const m = e instanceof Error ? MAX_ENTRIES.exec(e.message) : null;
      if (m && Number(m[2]) < limit) {
        limit = Number(m[2]);
        warnings.push(`Loki allows ${limit} entries per query; paging with that`);
        continue;
      }
      throw e;
    }
    page.sort(byTime);
    const fresh = page.filter((l) => !seen.has(entryKey(l)));
    out.push(...fresh);
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
    start = next;
  }
  return { lines: out, requests };
}

export async function readRange(
  fetchPage: PageFetcher,
  startMs: number,
  endMs: number,
  o: PagingOptions
): Promise<{ lines: RawLine[]; warnings: string[]; requests: number }> {
  const warnings: string[] = [];
  const pieces: Array<[number, number]> = [];
  for (let s = startMs; s < endMs; s += o.splitMs) {
    pieces.push([s, Math.min(endMs, s + o.splitMs)]);
  }
  const results: RawLine[][] = new Array(pieces.length);
  let requests = 0;
  let read = 0;
  let next = 0;
  const wanted = o.maxLines ?? Infinity;
  const worker = async () => {
    while (next < pieces.length && read < wanted) {
      const i = next++;
      const r = await readPiece(
        fetchPage,
        BigInt(Math.floor(pieces[i][0])) * NS_PER_MS,
        BigInt(Math.floor(pieces[i][1])) * NS_PER_MS,
        o,
        warnings
      );
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
