import { LokiClient, LokiError } from '../../src/core';
import { LokiEmulator } from '../support/lokiEmulator';

/** The client against the emulator: complete answers under Loki's limits and faults, or a clear error. */

const T0 = 1772446800;
const nsOf = (s: number, frac = 0) => `${T0 + s}${String(frac).padStart(9, '0')}`;

function client(url: string, extra: Partial<ConstructorParameters<typeof LokiClient>[0]> = {}) {
  const waits: number[] = [];
  const c = new LokiClient({
    baseUrl: url,
    fetch: (u, init) => fetch(u, init),
    sleep: async (ms) => void waits.push(ms),
    ...extra,
  });
  return { c, waits };
}

async function pushLines(url: string, job: string, values: Array<[string, string]>) {
  for (let i = 0; i < values.length; i += 2000) {
    const res = await fetch(`${url}/loki/api/v1/push`, {
      method: 'POST',
      body: JSON.stringify({ streams: [{ stream: { job }, values: values.slice(i, i + 2000) }] }),
    });
    expect(res.status).toBe(204);
  }
}

let emu: LokiEmulator;
let url: string;

beforeAll(async () => {
  emu = new LokiEmulator();
  url = await emu.start();
  // 12,000 lines, 6 per timestamp, so page boundaries fall inside groups of equal timestamps.
  const many: Array<[string, string]> = [];
  for (let i = 0; i < 12_000; i++) {
    many.push([nsOf(Math.floor(i / 6)), `line ${i}`]);
  }
  await pushLines(url, 'many', many);
  // 30 lines at one nanosecond: more than a page of 10 can hold.
  await pushLines(
    url,
    'same',
    Array.from({ length: 30 }, (_, i) => [nsOf(0), `same ${i}`] as [string, string])
  );
});

afterAll(() => emu.stop());

describe('LokiClient.queryRange', () => {
  it('pages past the entries limit without losing or repeating lines that share a timestamp', async () => {
    const { c } = client(url);
    const r = await c.queryRange('{job="many"}', T0 * 1000, (T0 + 3000) * 1000);
    expect(r.lines).toHaveLength(12_000);
    expect(new Set(r.lines.map((l) => l.text)).size).toBe(12_000);
    expect(r.requests).toBeGreaterThanOrEqual(3);
    expect(r.warnings).toEqual([]);
    expect(r.lines[0]).toMatchObject({ text: 'line 0', labels: { job: 'many' }, ns: nsOf(0) });
  });

  it('with maxLines, reads only the oldest lines and stops asking', async () => {
    const { c } = client(url, { splitMs: 7 * 60_000, concurrency: 3 });
    const r = await c.queryRange('{job="many"}', T0 * 1000, (T0 + 3000) * 1000, undefined, 1);
    expect(r.lines.map((l) => l.text)).toEqual(['line 0']);
    // The first piece answers at once; only the pieces already in flight were asked as well.
    expect(r.requests).toBeLessThanOrEqual(3);
    const ten = await c.queryRange('{job="many"}', T0 * 1000, (T0 + 3000) * 1000, undefined, 10);
    expect(ten.lines.map((l) => l.text)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i}`));
  });

  it('splits long ranges into pieces and still returns each line once, in order', async () => {
    const { c } = client(url, { splitMs: 7 * 60_000, concurrency: 3 });
    const r = await c.queryRange('{job="many"}', T0 * 1000, (T0 + 3000) * 1000);
    expect(r.lines.map((l) => l.text)).toEqual(Array.from({ length: 12_000 }, (_, i) => `line ${i}`));
  });

  it('says so when more lines share one timestamp than a page holds', async () => {
    const { c } = client(url, { pageLimit: 10 });
    const r = await c.queryRange('{job="same"}', T0 * 1000, (T0 + 1) * 1000);
    expect(r.lines).toHaveLength(10);
    expect(r.warnings).toEqual([
      `more than 10 lines share the timestamp ${nsOf(0)} ns: the rest of them were not read`,
    ]);
  });

  it('adapts to a lower max_entries_limit_per_query, and reports it', async () => {
    const small = new LokiEmulator({ maxEntriesLimitPerQuery: 1000 });
    const u = await small.start();
    await pushLines(
      u,
      'x',
      Array.from({ length: 2500 }, (_, i) => [nsOf(i), `x ${i}`] as [string, string])
    );
    const { c } = client(u);
    const r = await c.queryRange('{job="x"}', T0 * 1000, (T0 + 3000) * 1000);
    expect(r.lines).toHaveLength(2500);
    expect(r.warnings).toContain('Loki allows 1000 entries per query; paging with that');
    await small.stop();
  });

  it('an empty range is an empty answer, not an error', async () => {
    const { c } = client(url);
    expect(await c.queryRange('{job="many"}', (T0 + 9000) * 1000, (T0 + 9100) * 1000)).toEqual({
      lines: [],
      warnings: [],
      requests: 1,
    });
  });

  it('retries 429 after Retry-After, and 5xx with backoff; the answer is complete and the retries reported', async () => {
    const { c, waits } = client(url);
    emu.failNext({ status: 429, retryAfter: '3' }, { status: 502 });
    const r = await c.queryRange('{job="many"}', T0 * 1000, (T0 + 10) * 1000);
    expect(r.lines).toHaveLength(60);
    expect(waits).toEqual([3000, 500]);
    expect(r.warnings).toEqual([
      'Loki answered 429 (too many requests); retried after 3000 ms',
      'Loki answered 502; retried after 500 ms',
    ]);
  });

  it('gives up with a clear error after repeated 500s — never a partial answer', async () => {
    const { c } = client(url, { maxRetries: 2 });
    emu.failNext({ status: 500 }, { status: 500 }, { status: 500 });
    await expect(c.queryRange('{job="many"}', T0 * 1000, (T0 + 10) * 1000)).rejects.toThrow(
      'Loki answered 500: injected 500'
    );
  });

  it('a Loki that keeps answering 429: gives up after the retries with a clear error, and asks no more', async () => {
    const busy = new LokiEmulator();
    const u = await busy.start();
    // Far more refusals than the client may try: a Loki that never lets the query through.
    busy.failNext(...Array.from({ length: 50 }, () => ({ status: 429, retryAfter: '1' })));
    const { c, waits } = client(u);
    const err = await c.queryRange('{job="many"}', T0 * 1000, (T0 + 10) * 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LokiError);
    expect((err as LokiError).message).toBe('Loki answered 429: injected 429; gave up after 5 attempts');
    expect((err as LokiError).status).toBe(429);
    // maxRetries 4 (the default): five requests, four waits of the Retry-After second.
    expect(busy.requests).toHaveLength(5);
    expect(waits).toEqual([1000, 1000, 1000, 1000]);
    await busy.stop();
  });

  it('a line over the message limit: pages shrink to one line, then a clear error, in a bounded number of asks', async () => {
    // A Loki whose querier limit (8 KB) is below one stored line (20 KB, under its 256 KB max_line_size).
    const tight = new LokiEmulator({ grpcMaxMessageBytes: 8192 });
    const u = await tight.start();
    await pushLines(u, 'big', [
      [nsOf(1), 'x'.repeat(20_000)],
      [nsOf(2), 'small'],
    ]);
    const { c } = client(u);
    const err = await c.queryRange('{job="big"}', T0 * 1000, (T0 + 10) * 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LokiError);
    expect((err as Error).message).toMatch(
      /^Loki answered 500: rpc error: code = ResourceExhausted desc = grpc: received message larger than max \(\d+ vs\. 8192\)$/
    );
    const asked = tight.requests.filter((r) => r.path === '/loki/api/v1/query_range');
    // Each refusal makes the page at least a quarter smaller: well within the pager's 32, and the last ask is one line.
    expect(asked.length).toBeLessThan(32);
    expect(asked.at(-1)?.lines).toBe(1);
    await tight.stop();
  });

  it('a refusal that would not shrink the page (not what Loki sends) ends the read at the first answer', async () => {
    const odd = new LokiEmulator();
    const u = await odd.start();
    odd.failNext(
      ...Array.from({ length: 50 }, () => ({
        status: 500,
        body: 'rpc error: code = ResourceExhausted desc = grpc: received message larger than max (100 vs. 4194304)',
      }))
    );
    const { c } = client(u);
    await expect(c.queryRange('{job="many"}', T0 * 1000, (T0 + 10) * 1000)).rejects.toThrow(
      /^Loki refused a page of 3072 lines as too large, but its sizes ask for no fewer/
    );
    expect(odd.requests).toHaveLength(1);
    await odd.stop();
  });

  it('recovers from a slow answer and a dropped connection', async () => {
    const { c, waits } = client(url, { timeoutMs: 200 });
    emu.failNext({ delayMs: 400, status: 200 }, { drop: true });
    const r = await c.queryRange('{job="many"}', T0 * 1000, (T0 + 10) * 1000);
    expect(r.lines).toHaveLength(60);
    expect(waits).toHaveLength(2);
    expect(r.warnings[0]).toBe('Loki: no answer within 200 ms; retried');
    expect(r.warnings[1]).toMatch(/^Loki: connection failed/);
  });

  it('stops when cancelled', async () => {
    const { c } = client(url);
    const ac = new AbortController();
    emu.failNext({ delayMs: 300 });
    const p = c.queryRange('{job="many"}', T0 * 1000, (T0 + 10) * 1000, ac.signal);
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toThrow('cancelled');
  });

  it('Loki unreachable: a clear error after the retries', async () => {
    const { c } = client('http://127.0.0.1:9', { maxRetries: 1 });
    const err = await c.queryRange('{job="many"}', T0 * 1000, (T0 + 10) * 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LokiError);
    expect((err as Error).message).toMatch(/^Loki at http:\/\/127\.0\.0\.1:9: connection failed .*after 2 attempts$/);
  });

  it("a bad selector is Loki's 400, passed on as an error", async () => {
    const { c } = client(url);
    await expect(c.queryRange('{job="many"', T0 * 1000, (T0 + 10) * 1000)).rejects.toThrow(
      /^Loki answered 400: parse error/
    );
  });

  it('sends the tenant header and asks for categorized labels', async () => {
    const { c } = client(url, { tenant: 'team-a' });
    await c.queryRange('{job="many"}', T0 * 1000, (T0 + 1) * 1000);
    expect(emu.requests.at(-1)?.tenant).toBe('team-a');
  });
});
