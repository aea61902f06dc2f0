import { LokiEmulator } from '../support/lokiEmulator';

/**
 * The emulator pinned to Loki's documented behaviour (docs/sources/reference/loki-http-api.md, pkg/util/marshal
 * tests, distributor validation), so tests that pass against it mean something.
 */

let emu: LokiEmulator;
let url: string;

async function push(streams: object[]) {
  return fetch(`${url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ streams }),
  });
}

async function get(path: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}?${new URLSearchParams(params).toString()}`, { headers });
  return { status: res.status, text: await res.text() };
}

const ns = (s: number) => `${1772446800 + s}000000000`;

beforeAll(async () => {
  emu = new LokiEmulator();
  url = await emu.start();
  const res = await push([
    {
      stream: { job: 'kube-audit', cluster: 'prod' },
      values: [
        [ns(0), '{"verb":"delete","objectRef":{"name":"a"}}'],
        [ns(1), '{"verb":"get","objectRef":{"name":"b"}}', { auditID: 'x1' }],
        [ns(2), 'not json'],
      ],
    },
    { stream: { job: 'argocd', cluster: 'prod' }, values: [[ns(1), 'argo line']] },
  ]);
  expect(res.status).toBe(204);
});

afterAll(() => emu.stop());

describe('Loki API emulator', () => {
  it('/ready, labels and label values', async () => {
    expect((await get('/ready', {})).text).toBe('ready\n');
    expect(JSON.parse((await get('/loki/api/v1/labels', {})).text).data).toEqual(['cluster', 'job', 'service_name']);
    expect(JSON.parse((await get('/loki/api/v1/label/job/values', {})).text).data).toEqual(['argocd', 'kube-audit']);
  });

  it('query_range: backward by default, start inclusive, end exclusive, default limit 100', async () => {
    const r = JSON.parse(
      (await get('/loki/api/v1/query_range', { query: '{cluster="prod"}', start: ns(0), end: ns(2) })).text
    );
    const values = r.data.result.flatMap((s: { values: string[][] }) => s.values.map((v) => v[0]));
    expect(values.sort()).toEqual([ns(0), ns(1), ns(1)]);
    const backward = JSON.parse(
      (await get('/loki/api/v1/query_range', { query: '{job="kube-audit"}', start: ns(0), end: ns(3), limit: '1' }))
        .text
    );
    expect(backward.data.result[0].values[0][0]).toBe(ns(2));
    const forward = JSON.parse(
      (
        await get('/loki/api/v1/query_range', {
          query: '{job="kube-audit"}',
          start: ns(0),
          end: ns(3),
          limit: '1',
          direction: 'forward',
        })
      ).text
    );
    expect(forward.data.result[0].values[0][0]).toBe(ns(0));
  });

  it('without categorize-labels, structured metadata and parsed labels split streams; with it, a third element', async () => {
    const q = { query: '{job="kube-audit"} |= "verb" | json', start: ns(0), end: ns(3), direction: 'forward' };
    const plain = JSON.parse((await get('/loki/api/v1/query_range', q)).text);
    expect(plain.data.encodingFlags).toBeUndefined();
    expect(plain.data.result).toHaveLength(2);
    expect(plain.data.result.map((s: { stream: Record<string, string> }) => s.stream.verb).sort()).toEqual([
      'delete',
      'get',
    ]);
    const cat = JSON.parse(
      (await get('/loki/api/v1/query_range', q, { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' })).text
    );
    expect(cat.data.encodingFlags).toEqual(['categorize-labels']);
    expect(cat.data.result).toEqual([
      {
        // Loki 3 adds service_name (from `job` here) and detected_level to every stream and line.
        stream: { cluster: 'prod', job: 'kube-audit', service_name: 'kube-audit' },
        values: [
          [
            ns(0),
            '{"verb":"delete","objectRef":{"name":"a"}}',
            { structuredMetadata: { detected_level: 'unknown' }, parsed: { verb: 'delete', objectRef_name: 'a' } },
          ],
          [
            ns(1),
            '{"verb":"get","objectRef":{"name":"b"}}',
            {
              structuredMetadata: { auditID: 'x1', detected_level: 'unknown' },
              parsed: { verb: 'get', objectRef_name: 'b' },
            },
          ],
        ],
      },
    ]);
  });

  it('filters really filter: line filters, | json label filters, regex matchers anchored', async () => {
    const count = async (query: string) =>
      JSON.parse((await get('/loki/api/v1/query_range', { query, start: ns(0), end: ns(3) })).text).data.result.reduce(
        (n: number, s: { values: unknown[] }) => n + s.values.length,
        0
      );
    expect(await count('{job="kube-audit"} != "get"')).toBe(2);
    expect(await count('{job="kube-audit"} |~ "de.ete"')).toBe(1);
    expect(await count('{job="kube-audit"} | json | verb=~"del"')).toBe(0);
    expect(await count('{job="kube-audit"} | json | verb=~"del.*"')).toBe(1);
    expect(await count('{job=~"kube.*"} | json | objectRef_name!="a"')).toBe(2);
  });

  it('label_format: `default` takes its second argument unless empty, and label filters see the result', async () => {
    const count = async (query: string) =>
      JSON.parse((await get('/loki/api/v1/query_range', { query, start: ns(0), end: ns(3) })).text).data.result.reduce(
        (n: number, s: { values: unknown[] }) => n + s.values.length,
        0
      );
    const kube = '{job="kube-audit"} | json';
    expect(await count(`${kube} | label_format who="{{ default .verb .objectRef_name }}" | who="a"`)).toBe(1);
    expect(await count(`${kube} | label_format who="{{ default .verb .missing }}" | who="delete"`)).toBe(1);
    expect(await count(`${kube} | label_format who=\`{{ default "nobody" .missing }}\` | who="nobody"`)).toBe(3);
    expect(await count(`${kube} | label_format who="{{ .verb }}" | who="get"`)).toBe(1);
    const refused = await get('/loki/api/v1/query_range', {
      query: `${kube} | label_format who="{{ .verb | upper }}"`,
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('does not implement');
  });

  it("refuses more than max_entries_limit_per_query with Loki's message", async () => {
    const r = await get('/loki/api/v1/query_range', { query: '{job="argocd"}', limit: '5001' });
    expect(r).toEqual({
      status: 400,
      text: 'max entries limit per query exceeded, limit > max_entries_limit_per_query (5001 > 5000)',
    });
  });

  it("refuses a query_range longer than max_query_length (721 h) with Loki's message; 721 h itself is read", async () => {
    const start = 1_700_000_000_000;
    const ns = (ms: number) => `${ms}000000`;
    const over = await get('/loki/api/v1/query_range', {
      query: '{job="argocd"}',
      start: ns(start),
      end: ns(start + 721 * 3_600_000 + 1500),
    });
    expect(over).toEqual({
      status: 400,
      text: 'the query time range exceeds the limit (query length: 721h0m1.5s, limit: 30d1h)',
    });
    const at = await get('/loki/api/v1/query_range', {
      query: '{job="argocd"}',
      start: ns(start),
      end: ns(start + 721 * 3_600_000),
    });
    expect(at.status).toBe(200);
  });

  it('answers 400 to LogQL it does not implement, and to parse errors', async () => {
    for (const query of [
      '{job="argocd"} | logfmt',
      'rate({job="argocd"}[5m])',
      '{job="argocd"} | line_format "{{.x}}"',
    ]) {
      const r = await get('/loki/api/v1/query_range', { query });
      expect(r.status).toBe(400);
      expect(r.text).toContain('does not implement');
    }
    expect((await get('/loki/api/v1/query_range', { query: '{job="argocd"' })).status).toBe(400);
  });

  it('instant queries: metric only; count_over_time under sum by', async () => {
    expect((await get('/loki/api/v1/query', { query: '{job="argocd"}' })).text).toContain(
      'log queries are not supported as an instant query type'
    );
    const r = JSON.parse(
      (await get('/loki/api/v1/query', { query: 'sum by (job) (count_over_time({cluster="prod"} [1h]))', time: ns(5) }))
        .text
    );
    expect(r.data.resultType).toBe('vector');
    expect(
      r.data.result.map((s: { metric: object; value: [number, string] }) => [s.metric, s.value[1]]).sort()
    ).toEqual([
      [{ job: 'argocd' }, '1'],
      [{ job: 'kube-audit' }, '3'],
    ]);
  });

  it("push: a line over max_line_size is discarded with Loki's 400 message; the valid lines are kept", async () => {
    const before = emu.size;
    const long = 'x'.repeat(256 * 1024 + 1);
    const res = await push([
      {
        stream: { job: 'limits' },
        values: [
          [ns(10), long],
          [ns(11), 'ok'],
        ],
      },
    ]);
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(
      `Max entry size '262144' bytes exceeded for stream '{job="limits", service_name="limits"}' while adding an entry with length '262145' bytes`
    );
    expect(emu.size).toBe(before + 1);
  });

  it('injected faults: status with Retry-After, latency, dropped connection', async () => {
    emu.failNext({ status: 429, retryAfter: '1' }, { status: 503 });
    const a = await fetch(`${url}/loki/api/v1/labels`);
    expect([a.status, a.headers.get('Retry-After')]).toEqual([429, '1']);
    expect((await fetch(`${url}/loki/api/v1/labels`)).status).toBe(503);
    emu.failNext({ drop: true });
    await expect(fetch(`${url}/loki/api/v1/labels`)).rejects.toThrow();
    expect((await fetch(`${url}/loki/api/v1/labels`)).status).toBe(200);
  });

  it('push window: more than 10 min ahead is "timestamp too new", older than newest − 1 h "too far behind"', async () => {
    const now = Date.now();
    const at = (ms: number) => `${ms}000000`;
    const res = await push([
      {
        stream: { job: 'window' },
        values: [
          [at(now - 1000), 'now'],
          [at(now + 11 * 60_000), 'future a'],
          [at(now + 12 * 60_000), 'future b'],
        ],
      },
    ]);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(
      /^1 errors like: entry for stream '\{job="window", service_name="window"\}' has timestamp too new: \S+Z; 1 errors like: .+ too new: \S+Z$/
    );
    const behind = await push([
      {
        stream: { job: 'window' },
        values: [
          [at(now - 61 * 60_000), 'late'],
          [at(now - 59 * 60_000), 'in time'],
        ],
      },
    ]);
    expect(behind.status).toBe(400);
    expect(await behind.text()).toMatch(
      /^entry with timestamp .+ ignored, reason: 'entry too far behind, entry timestamp is: \S+, oldest acceptable timestamp is: \S+',\nuser 'fake', total ignored: 1 out of 2 for stream: \{job="window", service_name="window"\}$/
    );
    const q = { query: '{job="window"}', start: at(now - 2 * 3_600_000), end: at(now + 3_600_000), limit: '10' };
    const lines = JSON.parse((await get('/loki/api/v1/query_range', q)).text).data.result[0].values.map(
      (v: string[]) => v[1]
    );
    expect(lines.sort()).toEqual(['in time', 'now']);
  });

  it('an entry with the same stream, time and line as a stored one is dropped; same time, other line is kept', async () => {
    const values = [
      [ns(20), 'dup'],
      [ns(20), 'dup'],
      [ns(20), 'other'],
    ];
    expect((await push([{ stream: { job: 'dups' }, values }])).status).toBe(204);
    expect((await push([{ stream: { job: 'dups' }, values: [[ns(20), 'dup']] }])).status).toBe(204);
    const q = { query: '{job="dups"}', start: ns(20), end: ns(21) };
    const got = JSON.parse((await get('/loki/api/v1/query_range', q)).text).data.result[0].values;
    expect(got.map((v: string[]) => v[1]).sort()).toEqual(['dup', 'other']);
  });

  it('structured metadata: strings kept; over 64 KB or 128 entries the line is refused, the others stored', async () => {
    const many = Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`k${i}`, 'v']));
    const values = [
      [ns(25), 'kept', { person: 'alice' }],
      [ns(25), 'too large', { big: 'x'.repeat(64 * 1024) }],
      [ns(25), 'too many', many],
    ];
    const r = await push([{ stream: { job: 'meta' }, values }]);
    expect(r.status).toBe(400);
    expect(await r.text()).toBe(
      "1 errors like: stream '{job=\"meta\", service_name=\"meta\"}' has structured metadata too large: '65539' bytes, limit: '65536' bytes. Please see `limits_config.max_structured_metadata_size` or contact your Loki administrator to increase it.; " +
        "1 errors like: stream '{job=\"meta\", service_name=\"meta\"}' has too many structured metadata labels: '129', limit: '128'. Please see `limits_config.max_structured_metadata_entries_count` or contact your Loki administrator to increase it."
    );
    const q = { query: '{job="meta"}', start: ns(25), end: ns(26) };
    const got = JSON.parse((await get('/loki/api/v1/query_range', q)).text).data.result;
    expect(got.map((g: { values: string[][] }) => g.values.map((v) => v[1])).flat()).toEqual(['kept']);
    expect((await push([{ stream: { job: 'meta' }, values: [[ns(25), 'number', { n: 1 }]] }])).status).toBe(400);
  });

  it("an answer over the 4 MiB gRPC message limit is Loki's 500 ResourceExhausted", async () => {
    const line = 'y'.repeat(100 * 1024);
    const values = Array.from({ length: 45 }, (_, i) => [ns(30 + i), line]);
    expect((await push([{ stream: { job: 'wide' }, values }])).status).toBe(204);
    const all = await get('/loki/api/v1/query_range', { query: '{job="wide"}', start: ns(30), end: ns(80) });
    expect(all.status).toBe(500);
    expect(all.text).toMatch(
      /^rpc error: code = ResourceExhausted desc = grpc: received message larger than max \(\d+ vs\. 4194304\)\n$/
    );
    const some = await get('/loki/api/v1/query_range', {
      query: '{job="wide"}',
      start: ns(30),
      end: ns(80),
      limit: '30',
    });
    expect(some.status).toBe(200);
  });

  it('a label regex of a literal and .* is "contains" in a pipeline, as Loki simplifies it; [\\s\\S]* stays anchored', async () => {
    const users = ['kim', 'system:kube-scheduler', 'oidc:system:alice'];
    expect(
      (
        await push([
          {
            stream: { job: 'users' },
            values: users.map((u, i) => [ns(100 + i), JSON.stringify({ user: { username: u } })]),
          },
        ])
      ).status
    ).toBe(204);
    const people = async (re: string) => {
      const q = { query: `{job="users"} | json | user_username!~"${re}"`, start: ns(100), end: ns(110) };
      const r = JSON.parse((await get('/loki/api/v1/query_range', q)).text);
      return r.data.result.flatMap((s: { values: string[][] }) => s.values.map((v) => JSON.parse(v[1]).user.username));
    };
    expect(await people('system:.*')).toEqual(['kim']);
    // An alternation is simplified leg by leg: "contains system:" or "equals kim".
    expect(await people('system:.*|kim')).toEqual([]);
    expect(await people('system:[\\\\s\\\\S]*|kim')).toEqual(['oidc:system:alice']);
    expect((await people('system:[\\\\s\\\\S]*')).sort()).toEqual(['kim', 'oidc:system:alice']);
    // Stream selectors are Prometheus matchers: always anchored.
    const sel = { query: '{job=~"user.*"}', start: ns(100), end: ns(110) };
    expect(JSON.parse((await get('/loki/api/v1/query_range', sel)).text).data.result).toHaveLength(1);
  });

  it('a metric query over lines | json cannot parse is a 400 "pipeline error", unless __error__="" drops them', async () => {
    const time = ns(3);
    const bad = await get('/loki/api/v1/query', {
      query: 'sum(count_over_time({job="kube-audit"} | json [5s]))',
      time,
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/^pipeline error: 'JSONParserErr' for series: '\{__error__="JSONParserErr", /);
    const good = await get('/loki/api/v1/query', {
      query: 'sum(count_over_time({job="kube-audit"} | json | __error__="" [5s]))',
      time,
    });
    expect(good.status).toBe(200);
    expect(JSON.parse(good.text).data.result[0].value[1]).toBe('2');
  });
});

describe('| regexp, as Loki builds and runs it (pkg/logql/log/parser.go RegexpParser)', () => {
  it('named groups become labels on lines of any format; a line it does not match keeps no label and no __error__', async () => {
    const time = ns(3);
    const byVerb = await get('/loki/api/v1/query', {
      query: 'sum by (verb) (count_over_time({job="kube-audit"} | regexp "\\"verb\\":\\"(?P<verb>[a-z]+)" [5s]))',
      time,
    });
    expect(byVerb.status).toBe(200);
    const result = JSON.parse(byVerb.text).data.result as Array<{ metric: Record<string, string>; value: unknown[] }>;
    // "not json" matches nothing: counted without the label, not a pipeline error.
    expect(result.map((r) => [r.metric.verb ?? '', r.value[1]]).sort()).toEqual([
      ['', '1'],
      ['delete', '1'],
      ['get', '1'],
    ]);
  });

  it.each([
    ['no named capture', '(verb)', 'parse error : invalid regexp parser: at least one named capture must be supplied'],
    [
      'a group name Go does not compile',
      '(?P<a-b>x)',
      'invalid regexp parser: error parsing regexp: invalid named capture',
    ],
    ['an invalid label name', '(?P<1a>x)', "parse error : invalid regexp parser: invalid extracted label name '1a'"],
    ['a name twice', '(?P<a>x)(?P<a>y)', "parse error : invalid regexp parser: duplicate extracted label name 'a'"],
  ])('refuses %s with Loki’s message', async (_what, re, message) => {
    const r = await get('/loki/api/v1/query_range', { query: `{job="kube-audit"} | regexp ${JSON.stringify(re)}` });
    expect(r.status).toBe(400);
    expect(r.text).toContain(message);
  });
});
