import {
  buildAllChains,
  chainToJson,
  excludeRoutine,
  generate,
  LokiClient,
  parseLines,
  selectChains,
  traceOverLoki,
  ALL_ROUTINE,
  type Generated,
  type LokiTrace,
} from '../../src/core';
import { LokiEmulator } from '../support/lokiEmulator';
import { loadLoki } from '../support/lokiLoad';
import { compareToTruth, effectName } from '../support/truth';

/**
 * Starting from what broke: a targeted question about one Pod (or ReplicaSet, or Job) a controller wrote. Over
 * Loki, phase 1 returns only that object's writes; the owner chain (Pod → ReplicaSet → Deployment) must be
 * fetched too, or the cascade to the person, the sync and the commit is lost while the file trace finds it.
 */
const CASCADES = ['rancher-delete-cascade', 'argocd-rollout', 'manual-scale-cascade', 'cronjob-run'];
const DEPENDENTS = new Set(['pods', 'replicasets', 'jobs']);

let emu: LokiEmulator;
let client: LokiClient;
let g: Generated;
let requests: () => number;
let lines: Array<{ text: string; origin: string }>;

beforeAll(async () => {
  emu = new LokiEmulator();
  const url = await emu.start();
  g = generate({ scenarios: CASCADES, noiseEvents: 800, seed: 7, start: Date.UTC(2026, 2, 2, 10) });
  const records = [...g.records()];
  lines = records.map((r, i) => ({ text: r.line, origin: `${r.file}:${i + 1}` }));
  client = await loadLoki(
    url,
    records.map((r) => r.line)
  );
  requests = () => emu.requests.filter((q) => q.path.endsWith('query_range')).length;
}, 60_000);

afterAll(() => emu.stop());

/** The file trace of the same question over the same lines, routine writes left out as over Loki. */
function fileTrace(target: { resource: string; namespace?: string; name: string }) {
  const events = parseLines(lines).events;
  const selection = { target, from: g.span.from, to: g.span.to };
  const all = buildAllChains(excludeRoutine(events, ALL_ROUTINE, selection).kept);
  return selectChains(all, selection);
}

describe('a targeted question about a controller-written object: file trace = Loki trace', () => {
  const cases = () => g.truth.filter((t) => DEPENDENTS.has(t.effect.resource));

  it('the scenarios have consequences to ask about', () => {
    expect(
      cases()
        .map((t) => t.effect.resource)
        .sort()
    ).toEqual(expect.arrayContaining(['jobs', 'pods', 'replicasets']));
  });

  // The roots too: asked about the Deployment, its consequences (blast radius) are counted as in the file trace.
  it.each(CASCADES)(
    '%s: each change asked about alone, every Pod / ReplicaSet / Job too',
    async (scenario) => {
      for (const t of g.truth.filter((x) => x.scenario === scenario)) {
        const target = { resource: t.effect.resource, namespace: t.effect.namespace, name: t.effect.name };
        const before = requests();
        const overLoki: LokiTrace = await traceOverLoki(client, { target, from: g.span.from, to: g.span.to });
        const asked = requests() - before;
        const got = overLoki.chains.map(chainToJson).filter((c) => c.effect.time === t.effect.time);
        const want = fileTrace(target)
          .map(chainToJson)
          .filter((c) => c.effect.time === t.effect.time);
        expect({ change: effectName(t.effect), chains: got }).toEqual({ change: effectName(t.effect), chains: want });
        // The path up to the root is among what was read: the truth of the consequence, its cause chain included.
        expect({
          change: effectName(t.effect),
          problems: compareToTruth(overLoki.allChains.map(chainToJson), t).problems,
        }).toEqual({ change: effectName(t.effect), problems: [] });
        // Bounded: phase 1, one query per owner hop (at most 4), one for the dependents, at most 6 in phase 2;
        // each query is split into pieces of an hour (the drift look-back of a person's change is 7 days of them).
        expect(overLoki.queries.length).toBeLessThanOrEqual(12);
        expect(asked).toBe(overLoki.queries.reduce((n, q) => n + q.requests, 0));
      }
    },
    60_000
  );
});
