import type { RawLine } from '../parse/types';
import { LokiError } from './errors';
import { messageTooLarge, pieceLengthMs, readRange, type PageFetcher, type PagingOptions } from './paging';

/**
 * The pager against a fetcher that answers as Loki's query_range does (start inclusive, end exclusive, oldest
 * first, at most `limit` lines), without HTTP: every request and every warning checked, values worked out by hand.
 */

const MS = BigInt(1_000_000);
const T0 = 1_772_445_600_000;

/** A line at `ms` milliseconds past T0 and `ns` nanoseconds past that millisecond. */
const at = (ms: number, text: string, ns = 0): RawLine => ({
  text,
  labels: { job: 'a' },
  ns: (BigInt(T0 + ms) * MS + BigInt(ns)).toString(),
});

function loki(lines: RawLine[], fail?: (limit: number) => Error | undefined) {
  const asked: Array<{ start: bigint; end: bigint; limit: number }> = [];
  const fetchPage: PageFetcher = async (start, end, limit) => {
    asked.push({ start, end, limit });
    const error = fail?.(limit);
    if (error) {
      throw error;
    }
    return lines
      .filter((l) => BigInt(l.ns as string) >= start && BigInt(l.ns as string) < end)
      .slice(0, limit)
      .map((l) => ({ ...l }));
  };
  return { fetchPage, asked };
}

const options = (over: Partial<PagingOptions> = {}): PagingOptions => ({
  pageLimit: 1000,
  splitMs: 3_600_000,
  concurrency: 1,
  ...over,
});
const nsAt = (ms: number) => BigInt(T0 + ms) * MS;

describe('messageTooLarge', () => {
  it("reads the sizes from both of gRPC's wordings, and nothing from other errors", () => {
    expect(
      messageTooLarge(
        'rpc error: code = ResourceExhausted desc = grpc: received message larger than max (5242880 vs. 4194304)'
      )
    ).toEqual({ size: 5242880, max: 4194304 });
    expect(messageTooLarge('trying to send message larger than max (4194400 vs 4194304)')).toEqual({
      size: 4194400,
      max: 4194304,
    });
    expect(messageTooLarge('Loki answered 500: too many outstanding requests')).toBeUndefined();
  });
});

describe('readRange', () => {
  it('splits the range into pieces of splitMs, the last one cut at the end, and reads them in order', async () => {
    const lines = [at(10, 'a'), at(3_600_000, 'b'), at(7_200_001, 'c')];
    const { fetchPage, asked } = loki(lines);
    const r = await readRange(fetchPage, T0, T0 + 9_000_000, options());
    expect(r.lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
    expect(asked.map((q) => [q.start, q.end])).toEqual([
      [nsAt(0), nsAt(3_600_000)],
      [nsAt(3_600_000), nsAt(7_200_000)],
      [nsAt(7_200_000), nsAt(9_000_000)],
    ]);
    expect(r.requests).toBe(3);
    expect(r.warnings).toEqual([]);
  });

  it('pages forward from the last timestamp seen, keeping each line once, and stops at a short page', async () => {
    // Page of 2: [a0 a1] → from 1 ms: [a1 b1] (a1 again, skipped) → from 1 ms + 1 ns: [b1 a2] → from 2 ms:
    // [a2 a3] → from 3 ms: [a3], a short page, the end.
    const lines = [at(0, 'a0'), at(1, 'a1'), at(1, 'b1', 1), at(2, 'a2'), at(3, 'a3')];
    const { fetchPage, asked } = loki(lines);
    const r = await readRange(fetchPage, T0, T0 + 1000, options({ pageLimit: 2 }));
    expect(r.lines.map((l) => l.text)).toEqual(['a0', 'a1', 'b1', 'a2', 'a3']);
    // Each request starts at the last line's time of the page before (start is inclusive).
    expect(asked.map((q) => q.start - nsAt(0))).toEqual([
      BigInt(0),
      BigInt(1_000_000),
      BigInt(1_000_001),
      BigInt(2_000_000),
      BigInt(3_000_000),
    ]);
    expect(asked.every((q) => q.limit === 2 && q.end === nsAt(1000))).toBe(true);
  });

  it('with millisecond granularity the cursor moves to the start of the last millisecond', async () => {
    // Page of 3: [a b c] → from 1 ms (c's millisecond; b and c again, skipped): [b c d] → from 2 ms: [d], the end.
    const lines = [at(0, 'a'), at(1, 'b', 500), at(1, 'c', 600), at(2, 'd')];
    const { fetchPage, asked } = loki(lines);
    const r = await readRange(fetchPage, T0, T0 + 1000, options({ pageLimit: 3, granularityNs: MS }));
    expect(r.lines.map((l) => l.text)).toEqual(['a', 'b', 'c', 'd']);
    expect(asked.map((q) => q.start - nsAt(0))).toEqual([BigInt(0), BigInt(1_000_000), BigInt(2_000_000)]);
    expect(r.warnings).toEqual([]);
  });

  it('more lines at one timestamp than a page holds: the rest are reported, and reading goes on after it', async () => {
    const lines = [at(5, 's0'), at(5, 's1'), at(5, 's2'), at(6, 'after')];
    const { fetchPage } = loki(lines);
    const r = await readRange(fetchPage, T0, T0 + 1000, options({ pageLimit: 2 }));
    expect(r.lines.map((l) => l.text)).toEqual(['s0', 's1', 'after']);
    expect(r.warnings).toEqual([`more than 2 lines share the timestamp ${nsAt(5)} ns: the rest of them were not read`]);
  });

  it("Loki's entries limit: pages of that size from then on, said once", async () => {
    const lines = [at(0, 'a'), at(1, 'b'), at(2, 'c')];
    const { fetchPage, asked } = loki(lines, (limit) =>
      limit > 2
        ? new Error('max entries limit per query exceeded, limit > max_entries_limit_per_query (1000 > 2)')
        : undefined
    );
    const r = await readRange(fetchPage, T0, T0 + 1000, options());
    expect(r.lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
    // Refused at 1000; then [a b], [b c], [c].
    expect(asked.map((q) => q.limit)).toEqual([1000, 2, 2, 2]);
    expect(r.warnings).toEqual(['Loki allows 2 entries per query; paging with that']);
    expect(r.requests).toBe(4);
  });

  it("a page over Loki's message limit: smaller pages, sized from the refused page's bytes per line", async () => {
    const lines = Array.from({ length: 10 }, (_, i) => at(i, `line ${i}`));
    // 2000 bytes a line, limit 1,000,000: 1000 lines refused; the pager then aims at 3/4 of the limit → 375 lines.
    const { fetchPage, asked } = loki(lines, (limit) =>
      limit * 2000 > 1_000_000
        ? new Error(`grpc: received message larger than max (${limit * 2000} vs. 1000000)`)
        : undefined
    );
    const r = await readRange(fetchPage, T0, T0 + 1000, options());
    expect(r.lines).toHaveLength(10);
    expect(asked.map((q) => q.limit)).toEqual([1000, 375]);
  });

  it('sizes the first page from about 1 KB a line, then from the lines seen', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => at(i, 'x'.repeat(68)));
    const { fetchPage, asked } = loki(lines);
    // 10,240 bytes / 1024 → 10 lines; then 68 + 32 = 100 bytes a line → 102 lines (at most the page limit 50).
    await readRange(fetchPage, T0, T0 + 1000, options({ pageLimit: 50, pageBytes: 10_240 }));
    expect(asked.map((q) => q.limit)).toEqual([10, 50]);
  });

  it('counts a line in UTF-8 bytes, as Loki sends it: 3 bytes a €, 4 an emoji (two UTF-16 units)', async () => {
    // Every line 68 bytes + 32 overhead = 100: 20 × € (60) + 8 × a, or 17 × 😀 (68). 150 lines, one per ms.
    const lines = Array.from({ length: 150 }, (_, i) => at(i, i % 2 ? '😀'.repeat(17) : `${'€'.repeat(20)}aaaaaaaa`));
    const { fetchPage, asked } = loki(lines);
    const r = await readRange(fetchPage, T0, T0 + 1000, options({ pageLimit: 200, pageBytes: 10_240 }));
    expect(r.lines).toHaveLength(150);
    // 10,240 / 1024 → 10; then 10,240 / 100 → 102 (from line 9's ms: lines 9–110), then lines 110–149, short.
    expect(asked.map((q) => q.limit)).toEqual([10, 102, 102]);
  });

  it("orders a page by time: Loki's answer lists stream after stream, each oldest first", async () => {
    const a = [at(0, 'a0'), at(2, 'a2'), at(4, 'a4')];
    const b = [at(1, 'b1'), at(3, 'b3')];
    const fetchPage: PageFetcher = async (start, end, limit) => {
      const within = (l: RawLine) => BigInt(l.ns as string) >= start && BigInt(l.ns as string) < end;
      // Loki picks the oldest `limit` entries overall, then answers them grouped by stream.
      const picked = [...a, ...b]
        .filter(within)
        .sort((x, y) => (BigInt(x.ns as string) < BigInt(y.ns as string) ? -1 : 1))
        .slice(0, limit);
      return [...a.filter((l) => picked.includes(l)), ...b.filter((l) => picked.includes(l))].map((l) => ({ ...l }));
    };
    const r = await readRange(fetchPage, T0, T0 + 1000, options({ pageLimit: 2 }));
    expect(r.lines.map((l) => l.text)).toEqual(['a0', 'b1', 'a2', 'b3', 'a4']);
  });

  it('a long range is read in at most 24 pieces, none longer than a day: a week in pieces of 7 h', async () => {
    const week = 7 * 24 * 3_600_000;
    const { fetchPage, asked } = loki([at(10, 'a'), at(week - 1, 'b')]);
    const r = await readRange(fetchPage, T0, T0 + week, options());
    expect(r.lines.map((l) => l.text)).toEqual(['a', 'b']);
    expect(r.requests).toBe(24);
    expect(asked.slice(0, 2).map((q) => [q.start, q.end])).toEqual([
      [nsAt(0), nsAt(25_200_000)],
      [nsAt(25_200_000), nsAt(50_400_000)],
    ]);
    expect(asked[23].end).toBe(nsAt(week));
    // 30 days: 30 pieces of a day (Loki refuses a query over 721 h); 6 h: six of an hour, as before.
    expect(pieceLengthMs(0, 30 * 86_400_000, 3_600_000)).toBe(86_400_000);
    expect(pieceLengthMs(0, 6 * 3_600_000, 3_600_000)).toBe(3_600_000);
    expect(pieceLengthMs(0, 3_600_000, 2 * 86_400_000)).toBe(2 * 86_400_000);
  });

  it('after a full first page, the rest of a dense piece is read in parts side by side: same lines, same order', async () => {
    // 102 lines over the hour, 10 a page: the first page spans a tenth of it, so the rest is split in 4 parts.
    const lines = Array.from({ length: 100 }, (_, i) => at(i * 36_000, `l${i}`, i % 3));
    // Two more in l1's millisecond, one at its very nanosecond; the fake answers oldest first, as Loki does.
    lines.push(at(36_000, 'same-ms-as-l1'), at(36_000, 'twin-of-l1', 1));
    lines.sort((a, b) => (BigInt(a.ns as string) < BigInt(b.ns as string) ? -1 : a.ns === b.ns ? 0 : 1));
    const sequential = await readRange(loki(lines).fetchPage, T0, T0 + 3_600_000, options({ pageLimit: 10 }));
    let inFlight = 0;
    let most = 0;
    const { fetchPage: plain, asked } = loki(lines);
    const fetchPage: PageFetcher = async (start, end, limit) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return plain(start, end, limit);
    };
    const pages: string[] = [];
    const r = await readRange(
      fetchPage,
      T0,
      T0 + 3_600_000,
      options({
        pageLimit: 10,
        concurrency: 4,
        onPage: (piece, got) => pages.push(...got.map((l) => `${piece}:${l.text}`)),
      })
    );
    expect(sequential.lines).toHaveLength(102);
    expect(r.lines.map((l) => l.text)).toEqual(sequential.lines.map((l) => l.text));
    // Pages are heard in the order of the answer, all as piece 0.
    expect(pages).toEqual(sequential.lines.map((l) => `0:${l.text}`));
    expect(most).toBe(4);
    // The parts start where the first page ended and at three more points, a quarter of the rest apart.
    // The first page is l0, l1 and its two, l2 … l7: its newest line, l7, is at 252,000 ms + 1 ns.
    const next = nsAt(252_000) + BigInt(1);
    const rest = nsAt(3_600_000) - next;
    const quarter = (i: number) => next + (rest * BigInt(i)) / BigInt(4);
    expect(asked.slice(0, 5).map((q) => q.start)).toEqual([nsAt(0), next, quarter(1), quarter(2), quarter(3)]);
    expect(r.warnings).toEqual([]);
  });

  it('pages of pieces read side by side are heard in the order of the answer, a later piece held until the earlier is read', async () => {
    const lines = [at(10, 'a'), at(20, 'b'), at(3_600_010, 'c'), at(7_200_010, 'd')];
    const { fetchPage: plain } = loki(lines);
    // The first piece answers last.
    const fetchPage: PageFetcher = async (start, end, limit) => {
      await new Promise((resolve) => setTimeout(resolve, start === nsAt(0) ? 20 : 1));
      return plain(start, end, limit);
    };
    const heard: string[] = [];
    const r = await readRange(
      fetchPage,
      T0,
      T0 + 9_000_000,
      options({ concurrency: 3, onPage: (piece, got) => heard.push(...got.map((l) => `${piece}:${l.text}`)) })
    );
    expect(heard).toEqual(['0:a', '0:b', '1:c', '2:d']);
    expect(r.lines.map((l) => l.text)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a capped read (maxLines) or one at a time is never split: pages follow each other', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => at(i * 60_000, `l${i}`));
    const { fetchPage, asked } = loki(lines);
    const r = await readRange(fetchPage, T0, T0 + 3_600_000, options({ pageLimit: 10, concurrency: 4, maxLines: 30 }));
    expect(r.lines).toHaveLength(30);
    // Each page starts at the last one's newest line (l9, l18, l27): 9 new lines a page after the first.
    expect(asked.map((q) => q.start)).toEqual([nsAt(0), nsAt(540_000), nsAt(1_080_000), nsAt(1_620_000)]);
    const one = loki(lines);
    await readRange(one.fetchPage, T0, T0 + 3_600_000, options({ pageLimit: 10 }));
    expect(one.asked).toHaveLength(6);
  });

  it('stops at maxLines, the oldest lines, even with pieces read side by side', async () => {
    const lines = [at(0, 'a'), at(1, 'b'), at(3_600_000, 'c'), at(3_600_001, 'd')];
    const { fetchPage } = loki(lines);
    const r = await readRange(fetchPage, T0, T0 + 7_200_000, options({ concurrency: 2, maxLines: 3 }));
    expect(r.lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
    const one = await readRange(loki(lines).fetchPage, T0, T0 + 7_200_000, options({ maxLines: 1 }));
    expect(one.lines.map((l) => l.text)).toEqual(['a']);
  });

  it('a refusal whose sizes would not make the page smaller fails the read at once, never asking again', async () => {
    // Real Loki names a size over the limit; 100 bytes "over" 4,000,000 would size the next page as this one.
    const { fetchPage, asked } = loki(
      [at(0, 'a')],
      () => new Error('grpc: received message larger than max (100 vs. 4000000)')
    );
    const err = await readRange(fetchPage, T0, T0 + 1000, options()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LokiError);
    expect((err as Error).message).toBe(
      'Loki refused a page of 1000 lines as too large, but its sizes ask for no fewer (grpc: received message larger than max (100 vs. 4000000))'
    );
    expect(asked).toHaveLength(1);
  });

  const shrinkByOne = (limit: number) => Math.floor((3_000_000 * limit) / (limit - 0.5));

  it('gives up after 32 refusals in a row, each page a line smaller than the one before', async () => {
    // Limit 4,000,000: pages aim at 3,000,000 bytes. Each answer names a size that makes the next page one line
    // smaller (3,000,000 × L / (L − ½) for a page of L): 1000 → 999 → … — never Loki's own sizes.
    const { fetchPage, asked } = loki(
      [at(0, 'a')],
      (limit) => new Error(`grpc: received message larger than max (${shrinkByOne(limit)} vs. 4000000)`)
    );
    const err = await readRange(fetchPage, T0, T0 + 1000, options()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LokiError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^Loki refused 32 pages in a row from ${nsAt(0)} ns, each smaller than the one before; gave up \\(last: grpc: received message larger than max \\(\\d+ vs\\. 4000000\\)\\)$`
      )
    );
    expect(asked.map((q) => q.limit)).toEqual(Array.from({ length: 32 }, (_, i) => 1000 - i));
  });

  it('the refusal count starts again after a page is read', async () => {
    // 31 refusals (1000 → 970 lines), a page read, 31 more: never 32 in a row, so the read completes.
    const lines = [at(0, 'a'), at(1, 'b')];
    let calls = 0;
    const { fetchPage, asked } = loki(lines, (limit) => {
      calls++;
      return calls <= 31 || (calls >= 33 && calls <= 63)
        ? new Error(
            `grpc: received message larger than max (${Math.ceil((750_000 * limit) / (limit - 1))} vs. 1000000)`
          )
        : undefined;
    });
    const r = await readRange(fetchPage, T0, T0 + 1000, options({ pageLimit: 1000 }));
    expect(r.lines.map((l) => l.text)).toEqual(['a', 'b']);
    expect(asked).toHaveLength(32);
  });

  it('any other error fails the read', async () => {
    const { fetchPage } = loki([at(0, 'a')], () => new Error('Loki answered 400: parse error'));
    await expect(readRange(fetchPage, T0, T0 + 1000, options())).rejects.toThrow('parse error');
  });
});
