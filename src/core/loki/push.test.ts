import { LokiError } from './client';
import {
  pushBatches,
  pushBody,
  pushBodyOf,
  pushEntries,
  pushEntryOf,
  refusedLines,
  type PostLike,
  type PushEntry,
} from './push';

/** An entry of stream `job` at ns `ns`, its line `size` characters long. */
const entry = (job: string, ns: string, size = 10, meta: Record<string, string> = {}): PushEntry => ({
  labels: { job, cluster: 'c1' },
  ns,
  line: 'x'.repeat(size),
  meta,
});

/** A Loki that answers each push with the next of `answers` (status, text[, Retry-After]) and records what it got. */
function lokiAnswering(...answers: Array<[number, string, string?]>) {
  const got: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
  const post: PostLike = async (url, init) => {
    got.push({ url, headers: init.headers, body: init.body });
    const [status, text, retryAfter] = answers[Math.min(got.length - 1, answers.length - 1)];
    return new Response(status === 204 ? null : text, { status, headers: retryAfter ? { 'Retry-After': retryAfter } : {} });
  };
  return { post, got };
}

const noSleep = { sleep: async () => {} };

describe('pushEntryOf', () => {
  const audit = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: '6f1c2d3e-0000-4000-8000-00000000beef',
      stage: 'ResponseComplete',
      requestURI: '/api/v1/namespaces/shop/configmaps/settings',
      verb: 'update',
      user: { username: 'dana@example.org', groups: ['system:authenticated'] },
      sourceIPs: ['198.51.100.7'],
      objectRef: { resource: 'configmaps', namespace: 'shop', name: 'settings', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 200 },
      requestReceivedTimestamp: '2026-03-02T10:20:00.000000Z',
      stageTimestamp: '2026-03-02T10:20:00.000000Z',
      ...extra,
    });

  it('a kube-audit line: its stream labels plus the cluster, its own time, the audit ID as metadata', () => {
    const text = audit();
    expect(pushEntryOf(text, 'c1')).toEqual({
      labels: { job: 'kube-audit', cluster: 'c1' },
      ns: '1772446800000000000',
      line: text,
      meta: { auditID: '6f1c2d3e-0000-4000-8000-00000000beef' },
    });
  });

  it('takes the labels of the selectors given', () => {
    expect(pushEntryOf(audit(), 'c1', { 'kube-audit': { app: 'apiserver' } })?.labels).toEqual({
      app: 'apiserver',
      cluster: 'c1',
    });
  });

  it('a line we do not read has no entry', () => {
    expect(pushEntryOf('hello world', 'c1')).toBeUndefined();
  });
});

describe('pushBatches', () => {
  it('one batch per stream, oldest first by number (a shorter ns is older)', () => {
    const batches = pushBatches([
      entry('a', '1772446800000000002'),
      entry('b', '1772446800000000001'),
      entry('a', '999999999000000000'),
      entry('a', '1772446800000000001'),
    ]);
    expect(batches.map((b) => b.map((e) => `${e.labels.job}:${e.ns}`))).toEqual([
      ['a:999999999000000000', 'a:1772446800000000001', 'a:1772446800000000002'],
      ['b:1772446800000000001'],
    ]);
  });

  it('labels in any order are one stream', () => {
    const e1 = { ...entry('a', '1772446800000000001'), labels: { job: 'a', cluster: 'c1' } };
    const e2 = { ...entry('a', '1772446800000000002'), labels: { cluster: 'c1', job: 'a' } };
    expect(pushBatches([e1, e2])).toHaveLength(1);
  });

  it('at most maxLines lines a batch', () => {
    const es = Array.from({ length: 5 }, (_, i) => entry('a', `177244680000000000${i}`));
    expect(pushBatches(es, 2).map((b) => b.length)).toEqual([2, 2, 1]);
  });

  it('about maxBytes a batch, each line counted with 40 bytes of framing; a line over it goes alone', () => {
    // Lines of 60 characters are 100 bytes each: 300 bytes hold three, not four.
    const es = Array.from({ length: 7 }, (_, i) => entry('a', `177244680000000000${i}`, 60));
    expect(pushBatches(es, 1000, 300).map((b) => b.length)).toEqual([3, 3, 1]);
    expect(pushBatches(es, 1000, 299).map((b) => b.length)).toEqual([2, 2, 2, 1]);
    expect(pushBatches([entry('a', '1772446800000000001', 500)], 1000, 300).map((b) => b.length)).toEqual([1]);
  });

  it('no entries, no batch', () => {
    expect(pushBatches([])).toEqual([]);
  });
});

describe('pushBodyOf', () => {
  it('one stream, values [ns, line] or [ns, line, metadata]', () => {
    const body = pushBodyOf([entry('a', '1', 2), entry('a', '2', 3, { auditID: 'x1' })]);
    expect(JSON.parse(body)).toEqual({
      streams: [
        {
          stream: { job: 'a', cluster: 'c1' },
          values: [
            ['1', 'xx'],
            ['2', 'xxx', { auditID: 'x1' }],
          ],
        },
      ],
    });
  });
});

describe('refusedLines (Loki v3.5.0 answers: pkg/ingester/instance.go, pkg/util/errors.go)', () => {
  it("the ingester's count, plus the lines the distributor refused before it", () => {
    expect(refusedLines('user \'fake\', total ignored: 3 out of 8 for stream: {job="a"}', 10)).toBe(5);
    expect(refusedLines('user \'fake\', total ignored: 3 out of 10 for stream: {job="a"}', 10)).toBe(3);
    expect(refusedLines('user \'fake\', total ignored: 12 out of 12 for stream: {job="a"}', 10)).toBe(10);
  });

  it("the distributor's grouped per-line errors", () => {
    const answer =
      '2 errors like: entry for stream \'{job="a"}\' has timestamp too new: 2026-03-02T10:20:00Z; ' +
      "Max entry size '256' bytes exceeded for stream '{job=\"a\"}' while adding an entry with length '300' bytes\n";
    expect(refusedLines(answer, 10)).toBe(3);
    expect(refusedLines('entry for stream \'{job="a"}\' has timestamp too old: 2026-03-01T10:20:00Z', 10)).toBe(1);
    expect(refusedLines('5 errors like: stream has structured metadata too large', 4)).toBe(4);
  });

  it('a refusal of the stream itself is of every line', () => {
    expect(refusedLines('error at least one label pair is required per stream', 7)).toBe(7);
    expect(refusedLines("2 errors like: entry for stream '{}' has timestamp too new: x; stream blocked", 7)).toBe(7);
  });
});

describe('pushBody', () => {
  const body = pushBodyOf([entry('a', '1'), entry('a', '2')]);

  it("posts JSON to /loki/api/v1/push with the tenant's header, whatever slashes end the URL", async () => {
    const loki = lokiAnswering([204, '']);
    expect(await pushBody(loki.post, 'http://loki:3100//', body, { tenant: 'team-a' })).toEqual({
      rejected: [],
      rejectedLines: 0,
      retries: 0,
    });
    expect(loki.got).toEqual([
      {
        url: 'http://loki:3100/loki/api/v1/push',
        headers: { 'Content-Type': 'application/json', 'X-Scope-OrgID': 'team-a' },
        body,
      },
    ]);
    const untenanted = lokiAnswering([204, '']);
    await pushBody(untenanted.post, 'http://loki:3100', body);
    expect(untenanted.got[0].headers).toEqual({ 'Content-Type': 'application/json' });
  });

  it('a 400 is reported with the lines it refused (counted from the body when not told), not retried', async () => {
    const loki = lokiAnswering([400, 'entry for stream \'{job="a"}\' has timestamp too old: x\n']);
    expect(await pushBody(loki.post, 'http://loki', body, noSleep)).toEqual({
      rejected: ['entry for stream \'{job="a"}\' has timestamp too old: x'],
      rejectedLines: 1,
      retries: 0,
    });
    const refusingAll = lokiAnswering([400, 'stream blocked']);
    expect((await pushBody(refusingAll.post, 'http://loki', body, noSleep)).rejectedLines).toBe(2);
    expect((await pushBody(refusingAll.post, 'http://loki', body, { ...noSleep, lines: 5 })).rejectedLines).toBe(5);
    expect(loki.got).toHaveLength(1);
  });

  it('waits and retries a 429 and a 5xx, doubling from 250 ms up to 10 s, or as Retry-After says', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const loki = lokiAnswering([429, 'slow down'], [503, 'unavailable'], [500, 'x', '3'], [200, '']);
    expect(await pushBody(loki.post, 'http://loki', body, { sleep })).toEqual({
      rejected: [],
      rejectedLines: 0,
      retries: 3,
    });
    expect(waits).toEqual([250, 500, 3000]);
    const long: number[] = [];
    const always = lokiAnswering([503, 'unavailable'], [503, 'unavailable', 'soon']);
    await expect(
      pushBody(always.post, 'http://loki', body, { sleep: async (ms) => void long.push(ms), maxRetries: 7 })
    ).rejects.toThrow('Loki push answered 503: unavailable');
    expect(long).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000]);
    expect(always.got).toHaveLength(8);
  });

  it('gives up after 8 retries by default, with the status on the error', async () => {
    const loki = lokiAnswering([429, 'too many']);
    const err = await pushBody(loki.post, 'http://loki', body, noSleep).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LokiError);
    expect((err as LokiError).status).toBe(429);
    expect(loki.got).toHaveLength(9);
  });

  it('another status is an error at once', async () => {
    const loki = lokiAnswering([401, 'no org id\n']);
    await expect(pushBody(loki.post, 'http://loki', body, noSleep)).rejects.toThrow(
      'Loki push answered 401: no org id'
    );
    expect(loki.got).toHaveLength(1);
  });

  it('a body over the gRPC message limit is handed back, not retried', async () => {
    const loki = lokiAnswering([
      500,
      'rpc error: code = ResourceExhausted desc = grpc: received message larger than max (5000000 vs. 4194304)\n',
    ]);
    expect(await pushBody(loki.post, 'http://loki', body, noSleep)).toEqual({
      rejected: [],
      rejectedLines: 0,
      retries: 0,
      tooLarge: true,
    });
    expect(loki.got).toHaveLength(1);
  });
});

describe('pushEntries', () => {
  const tooLarge = 'rpc error: code = ResourceExhausted desc = grpc: received message larger than max (9 vs. 4)';

  it('halves a batch over the gRPC limit until it goes, and counts every line once', async () => {
    const loki = lokiAnswering(
      [500, tooLarge],
      [204, ''],
      [400, "user 'fake', total ignored: 1 out of 2 for stream: x"]
    );
    const progress: number[] = [];
    const es = Array.from({ length: 4 }, (_, i) => entry('a', `177244680000000000${i}`));
    expect(
      await pushEntries(loki.post, 'http://loki', es, { ...noSleep, onProgress: (n) => progress.push(n) })
    ).toEqual({
      accepted: 3,
      rejectedLines: 1,
      rejected: ["user 'fake', total ignored: 1 out of 2 for stream: x"],
      retries: 0,
      requests: 3,
    });
    expect(
      loki.got.map((g) => (JSON.parse(g.body) as { streams: Array<{ values: unknown[] }> }).streams[0].values.length)
    ).toEqual([4, 2, 2]);
    expect(progress).toEqual([2, 4]);
  });

  it('one line over the limit is an error', async () => {
    const loki = lokiAnswering([500, tooLarge]);
    await expect(pushEntries(loki.post, 'http://loki', [entry('a', '1')], noSleep)).rejects.toThrow(
      'Loki push: one line is over the gRPC message limit'
    );
  });

  it('a batch per stream and per maxLines, retries summed', async () => {
    const loki = lokiAnswering([429, ''], [204, '']);
    const es = [entry('a', '1'), entry('a', '2'), entry('a', '3'), entry('b', '1')];
    expect(await pushEntries(loki.post, 'http://loki', es, { ...noSleep, maxLines: 2 })).toEqual({
      accepted: 4,
      rejectedLines: 0,
      rejected: [],
      retries: 1,
      requests: 3,
    });
    expect(loki.got).toHaveLength(4);
  });
});
