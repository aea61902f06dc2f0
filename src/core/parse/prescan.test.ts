import fc from 'fast-check';

import {
  ALL_ROUTINE,
  buildAllChains,
  chainToJson,
  excludeRoutine,
  generate,
  parseLines,
  scenarioNames,
  type RawLine,
} from '../index';
import { ClusterTraffic } from '../generate/noise';
import { seededRng } from '../generate/random';
import { sampleLines } from '../../../tests/support/shared';
import { assertMutatedLinesAccounted } from '../../../tests/support/parse';
import { certainRead } from './prescan';

/**
 * Skipping reads before parsing (`skipReads`, for trace) must not change any answer: both paths over the
 * generators' scenarios in realistic noise, over real samples and over mutated lines give the same chains,
 * routine counts, event and line counts and skip counts (JSON equal). The expected side is always the full
 * parse of the same lines.
 */

/** What trace prints from a set of lines, minus the time it took. */
function traceAnswer(lines: RawLine[], skipReads: boolean): unknown {
  const s = parseLines(lines, { skipReads });
  const routine = excludeRoutine(s.events, ALL_ROUTINE);
  const chains = buildAllChains(routine.kept).map(chainToJson);
  const writes = s.events.filter((e) => !['get', 'list', 'watch'].includes(e.verb));
  return JSON.parse(
    JSON.stringify({
      chains,
      excluded: routine.excluded,
      stats: s.stats,
      skipped: s.skipped,
      salvaged: s.salvaged,
      writes,
    })
  ) as unknown;
}

function expectSameAnswer(lines: RawLine[]): void {
  expect(traceAnswer(lines, true)).toEqual(traceAnswer(lines, false));
}

const noise = (seed: number, n: number): string[] => {
  const traffic = new ClusterTraffic(seededRng(seed));
  return Array.from({ length: n }, (_, i) => traffic.next(Date.UTC(2026, 2, 2, 10) + i * 10));
};

/** A read as kube-apiserver writes it (Go's field order), hand-written here rather than by the generator. */
function read(over: { auditID?: string; verb?: string; stage?: string; uri?: string; user?: string } = {}): string {
  const stage = over.stage ?? 'ResponseComplete';
  const status = stage === 'RequestReceived' ? '' : ',"responseStatus":{"metadata":{},"code":200}';
  return (
    `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"${over.auditID ?? 'a1b2c3d4-0000-4000-8000-000000000001'}",` +
    `"stage":"${stage}","requestURI":"${over.uri ?? '/api/v1/namespaces/web/configmaps/app'}","verb":"${over.verb ?? 'get'}",` +
    `"user":{"username":"${over.user ?? 'alice@example.org'}","groups":["sre","system:authenticated"]},"sourceIPs":["10.0.0.7"],` +
    `"userAgent":"kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46","objectRef":{"resource":"configmaps","namespace":"web","name":"app","apiVersion":"v1"}` +
    `${status},"requestReceivedTimestamp":"2026-03-02T10:00:00.000001Z","stageTimestamp":"2026-03-02T10:00:00.003001Z",` +
    `"annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by ClusterRoleBinding \\"sre\\" of ClusterRole \\"view\\" to Group \\"sre\\""}}`
  );
}

const raws = (texts: string[]): RawLine[] => texts.map((text, i) => ({ text, origin: `t.log:${i + 1}` }));

describe('certainRead: the raw line says "a read" only when it is certain', () => {
  it('reads the facts of a read as JSON.parse reads them', () => {
    const line = read({ uri: '/api/v1/pods?labelSelector=app%3Dweb' });
    const o = JSON.parse(line) as { auditID: string; stage: string; verb: string; requestURI: string };
    expect(certainRead(line)).toEqual({
      auditID: o.auditID,
      stage: o.stage,
      verb: o.verb,
      requestURI: o.requestURI,
      user: 'alice@example.org',
    });
  });

  it('decodes escapes in the values it reads (\\u0022 is a quote inside the value, not its end)', () => {
    const line = read({ uri: String.raw`/api/v1/namespaces/web/configmaps/a\u0022b\\c` });
    expect(certainRead(line)?.requestURI).toBe((JSON.parse(line) as { requestURI: string }).requestURI);
    expect(certainRead(line)?.requestURI).toBe('/api/v1/namespaces/web/configmaps/a"b\\c');
  });

  it('every generated read is certain; no generated write is', () => {
    let reads = 0;
    for (const line of noise(3, 5_000)) {
      const isRead = ['get', 'list', 'watch'].includes((JSON.parse(line) as { verb: string }).verb);
      reads += isRead ? 1 : 0;
      expect(certainRead(line) !== undefined).toBe(isRead);
    }
    // The generated mix is mostly reads, as a real cluster's is.
    expect(reads).toBeGreaterThan(2_500);
  });

  const uncertain: Array<[string, string]> = [
    ['a write', read({ verb: 'update' })],
    ['the verb repeated: JSON.parse takes the last', read().replace('"user":', '"verb":"delete","user":')],
    ['"verb":"get" inside a string value', read({ verb: 'update', uri: String.raw`/x\",\"verb\":\"get` })],
    ['a read-looking record inside a body', read({ verb: 'create' }).replace(/}$/, `,"requestObject":${read()}}`)],
    ['an escaped key (\\u0076erb is verb)', read().replace('"verb":"get"', String.raw`"\u0076erb":"get"`)],
    ['impersonation', read().replace(',"sourceIPs"', ',"impersonatedUser":{"username":"bob"},"sourceIPs"')],
    ['a Rancher user id (its records name its login)', read({ user: 'u-b4qkhsnliz' })],
    ['cut short', read().slice(0, -1)],
    ['junk after the object', read() + 'x'],
    ['a raw control character in a string', read({ uri: '/api/v1/pods\u0001' })],
    ['an invalid escape', read({ uri: String.raw`/api/v1/pods\x41` })],
    ['a status code with a leading zero (not JSON)', read().replace('"code":200', '"code":0200')],
    ['a status code JSON.parse reads as Infinity', read().replace('"code":200', '"code":1e999')],
    [
      'an impossible timestamp (the parser skips it)',
      read().replace('2026-03-02T10:00:00.000001Z', '2026-02-30T10:00:00.000001Z'),
    ],
    ['a key the shape does not list', read().replace('"level"', '"metadata":5,"level"')],
    ['an empty stage', read({ stage: '' })],
    ['a username that is not a string', read().replace('"username":"alice@example.org"', '"username":7')],
  ];
  it.each(uncertain)('%s: not certain', (_, line) => {
    expect(certainRead(line)).toBeUndefined();
  });

  it('uncertain lines give the same answer through both paths', () => {
    expectSameAnswer(raws(uncertain.map(([, l]) => l)));
  });
});

describe('skipping reads changes no answer', () => {
  it.each(scenarioNames())('scenario %s inside realistic noise', (name) => {
    const g = generate({ scenarios: [name], noiseEvents: 3_000, seed: 7, start: Date.UTC(2026, 2, 2, 10) });
    const byFile = new Map<string, string[]>();
    for (const r of g.records()) {
      byFile.set(r.file, [...(byFile.get(r.file) ?? []), r.line]);
    }
    // File after file, as trace reads them.
    const lines = raws([...byFile.values()].flat());
    expectSameAnswer(lines);
    // The path under test did skip: most lines are reads.
    const s = parseLines(lines, { skipReads: true });
    expect(s.events.length).toBeLessThan(s.stats.events / 2);
  });

  it('parse (no skipReads) still shows every record, reads included', () => {
    const lines = raws(noise(17, 500));
    const all = parseLines(lines);
    const reads = all.events.filter((e) => ['get', 'list', 'watch'].includes(e.verb)).length;
    expect(reads).toBeGreaterThan(200);
    expect(all.events).toHaveLength(all.stats.events);
    expect(parseLines(lines, { skipReads: true }).events).toHaveLength(all.stats.events - reads);
  });

  it('stage lines of one read, repeated lines, and other requests under a read\u2019s audit ID', () => {
    const id = 'a1b2c3d4-0000-4000-8000-0000000000ff';
    const write = read({ auditID: id, verb: 'update' }).replace('"level":"Metadata"', '"level":"Request"');
    const legacyResponse = `{"auditID":"${id}","responseStatus":{"code":200},"user":{"username":"alice@example.org"},"verb":""}`;
    const cases: string[][] = [
      [read({ auditID: id, stage: 'RequestReceived' }), read({ auditID: id })],
      [read({ auditID: id }), read({ auditID: id }), read({ auditID: id })],
      [read({ auditID: id }), write],
      [write, read({ auditID: id })],
      [read({ auditID: id, stage: 'RequestReceived' }), read({ auditID: id }), write, read({ auditID: id })],
      [read({ auditID: id }), read({ auditID: id, verb: 'list' })],
      [read({ auditID: id }), read({ auditID: id, user: 'bob@example.org' })],
      [read({ auditID: id }), legacyResponse],
      [legacyResponse, read({ auditID: id })],
      [
        read({ auditID: id }),
        read({ auditID: id }).replace(
          '"sourceIPs"',
          '"impersonatedUser":{"username":"u-b4qkhsnliz","extra":{"username":["carol"]}},"sourceIPs"'
        ),
      ],
      ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic', 'ResponseStarted'].map((stage) =>
        read({ auditID: id, stage })
      ),
    ];
    for (const c of cases) {
      expectSameAnswer(raws(c));
    }
  });

  it('real audit samples', () => {
    const names = ['audit2rbac_demo_883f4e8.log', 'elastic_test-kube-audit.log', 'harvester_k8s_audit_line40.log'];
    expectSameAnswer(names.flatMap((n) => sampleLines(n)));
  });

  it('mutated lines, alone and among lines of the same audit IDs', () => {
    const seeds = [...noise(11, 200), read(), read({ stage: 'RequestReceived' })];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            seed: fc.constantFrom(...seeds),
            at: fc.nat(),
            junk: fc.constantFrom('', 'x', '"', '\\', '\\"', '\\u0022', '}', ',"verb":"update"', ' ', '\u0000', '0'),
            cut: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6 }
        ),
        (edits) => {
          const texts = edits.flatMap(({ seed, at, junk, cut }) => {
            const i = at % (seed.length + 1);
            const mutated = cut ? seed.slice(0, i) : seed.slice(0, i) + junk + seed.slice(i);
            // The unmutated line too: the mutated one shares its audit ID.
            return [mutated, seed];
          });
          expectSameAnswer(raws(texts));
        }
      ),
      { numRuns: 300 }
    );
  });

  it('every mutated line is still an event or a counted skip with reads skipped', () => {
    assertMutatedLinesAccounted([read(), read({ stage: 'RequestReceived' }), ...noise(13, 20)], 300, {
      skipReads: true,
    });
  });
});
