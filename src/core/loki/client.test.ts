import { decodeStreams, LokiClient, LokiError, type FetchLike } from './client';

/**
 * The client against a scripted fetch: what it sends (URL, headers) and how it reads Loki's answers, statuses and
 * Retry-After — each expected value written out from Loki's HTTP API (docs/sources/reference/loki-http-api.md).
 */

type Answer = { status: number; body?: string; retryAfter?: string };

const STREAMS = JSON.stringify({
  status: 'success',
  data: { resultType: 'streams', result: [{ stream: { job: 'a' }, values: [['1772446800000000000', 'x']] }] },
});

function scripted(answers: Answer[]) {
  const asked: Array<{ url: string; headers: Record<string, string> }> = [];
  const waits: number[] = [];
  const fetch: FetchLike = async (url, init) => {
    asked.push({ url, headers: init.headers });
    const a = answers.shift() ?? { status: 200, body: STREAMS };
    return {
      status: a.status,
      headers: { get: (name: string) => (name === 'Retry-After' ? (a.retryAfter ?? null) : null) },
      text: async () => a.body ?? STREAMS,
    };
  };
  const client = (over: Partial<ConstructorParameters<typeof LokiClient>[0]> = {}) =>
    new LokiClient({ baseUrl: 'http://loki:3100//', fetch, sleep: async (ms) => void waits.push(ms), ...over });
  return { client, asked, waits };
}

const T0 = 1_772_446_800_000;

describe('LokiClient requests', () => {
  it('asks query_range under the base URL without its trailing slashes, forward, with categorized labels', async () => {
    const { client, asked } = scripted([]);
    const r = await client().queryRange('{job="a"}', T0, T0 + 1000);
    expect(r.lines).toEqual([{ text: 'x', labels: { job: 'a' }, ns: '1772446800000000000' }]);
    expect(Object.keys(asked[0].headers)).toEqual(['X-Loki-Response-Encoding-Flags']);
    expect(asked).toEqual([
      {
        url: 'http://loki:3100/loki/api/v1/query_range?query=%7Bjob%3D%22a%22%7D&start=1772446800000000000&end=1772446801000000000&limit=3072&direction=forward',
        headers: { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' },
      },
    ]);
  });

  it('sends the tenant only when there is one; pages are sized from the bytes given (1 MiB: 1024 lines)', async () => {
    const { client, asked } = scripted([]);
    await client({ tenant: 'team-a', pageBytes: 1024 * 1024 }).queryRange('{job="a"}', T0, T0 + 1000);
    expect(asked[0].headers).toEqual({
      'X-Loki-Response-Encoding-Flags': 'categorize-labels',
      'X-Scope-OrgID': 'team-a',
    });
    expect(new URL(asked[0].url).searchParams.get('limit')).toBe('1024');
  });

  it('a request already cancelled is not sent', async () => {
    const { client, asked } = scripted([]);
    const ac = new AbortController();
    ac.abort();
    await expect(client().queryRange('{job="a"}', T0, T0 + 1000, ac.signal)).rejects.toThrow(
      new LokiError('cancelled')
    );
    expect(asked).toEqual([]);
  });

  it('cancelled while a request is in flight: ends at once, neither retried nor waited for', async () => {
    const waits: number[] = [];
    const ac = new AbortController();
    const hanging: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const p = new LokiClient({
      baseUrl: 'http://loki',
      fetch: hanging,
      sleep: async (ms) => void waits.push(ms),
    }).queryRange('{job="a"}', T0, T0 + 1000, ac.signal);
    setTimeout(() => ac.abort(), 10);
    await expect(p).rejects.toThrow(new LokiError('cancelled'));
    expect(waits).toEqual([]);
  });
});

describe('LokiClient answers', () => {
  it('2xx is an answer; 300 and 199 are errors, not retried', async () => {
    const { client } = scripted([{ status: 204, body: STREAMS }]);
    expect((await client().queryRange('{job="a"}', T0, T0 + 1000)).lines).toHaveLength(1);
    for (const status of [300, 199]) {
      const s = scripted([{ status, body: ' moved ' }]);
      await expect(s.client().queryRange('{job="a"}', T0, T0 + 1000)).rejects.toThrow(
        new LokiError(`Loki answered ${status}: moved`)
      );
      expect(s.asked).toHaveLength(1);
    }
  });

  it("an error's body is cut at 500 characters", async () => {
    const { client } = scripted([{ status: 400, body: `${'e'.repeat(500)}TAIL` }]);
    const err = await client()
      .queryRange('{job="a"}', T0, T0 + 1000)
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe(`Loki answered 400: ${'e'.repeat(500)}`);
  });

  it('Retry-After in seconds (spaces around allowed) or as an HTTP date (a past one is no wait); else the backoff', async () => {
    const now = Date.now();
    const future = new Date(now + 120_000).toUTCString();
    const { client, waits } = scripted([
      { status: 429, retryAfter: ' 7 ' },
      { status: 503, retryAfter: '12' },
      { status: 503, retryAfter: 'Thu, 01 Jan 1970 00:00:00 GMT' },
      { status: 503, retryAfter: '3s' },
      { status: 503, retryAfter: future },
    ]);
    await client({ maxRetries: 5 }).queryRange('{job="a"}', T0, T0 + 1000);
    expect(waits.slice(0, 4)).toEqual([7000, 12000, 0, 2000]);
    // An HTTP date has whole seconds: the wait is at most two minutes, and more than one less.
    expect(waits[4]).toBeGreaterThan(118_000);
    expect(waits[4]).toBeLessThanOrEqual(120_000);
  });

  it('the default sleep waits, and a cancel during the wait ends the query', async () => {
    const ac = new AbortController();
    const p = new LokiClient({ baseUrl: 'http://loki', fetch: (u, i) => scriptedFetch(u, i) }).queryRange(
      '{job="a"}',
      T0,
      T0 + 1000,
      ac.signal
    );
    setTimeout(() => ac.abort(), 20);
    await expect(p).rejects.toThrow(new LokiError('cancelled'));
  });
});

/** Always 503 with a minute's Retry-After. */
const scriptedFetch: FetchLike = async () => ({
  status: 503,
  headers: { get: (n: string) => (n === 'Retry-After' ? '60' : null) },
  text: async () => 'busy',
});

describe('decodeStreams', () => {
  it('an answer that is not JSON, a metric answer or no result list is an error, never an empty page', () => {
    expect(() => decodeStreams('<html>')).toThrow(new LokiError('Loki sent an answer that is not JSON'));
    expect(() => decodeStreams(JSON.stringify({ data: { resultType: 'matrix', result: [] } }))).toThrow(
      new LokiError('Loki answered with matrix, not log streams')
    );
    expect(() => decodeStreams(JSON.stringify({ status: 'success' }))).toThrow(
      new LokiError('Loki answered with an unknown shape, not log streams')
    );
    expect(() => decodeStreams(JSON.stringify({ data: { resultType: 'streams' } }))).toThrow(
      new LokiError('Loki answered with streams, not log streams')
    );
    expect(() => decodeStreams(JSON.stringify({ data: { result: [] } }))).toThrow(
      new LokiError('Loki answered with an unknown shape, not log streams')
    );
  });

  it('reads the streams of a log answer', () => {
    expect(
      decodeStreams(
        JSON.stringify({ data: { resultType: 'streams', result: [{ stream: { job: 'a' }, values: [['5', 'x']] }] } })
      )
    ).toEqual([{ text: 'x', labels: { job: 'a' }, ns: '5' }]);
  });
});
