import { chainToJson, generate, scenarioNames, traceOverLoki, type ChainJson, type TruthChain } from '../../src/core';
import { LokiEmulator } from '../support/lokiEmulator';
import { loadLoki } from '../support/lokiLoad';
import { compareToTruth, targetedChains } from '../support/truth';

/**
 * Every scenario change, asked about alone over Loki (a targeted question: its object, the whole range), gets
 * the ground truth's answer — the same one the broad question and the file trace give. Every scenario is in
 * one stream with realistic background traffic, as `bench:loki -- --broad` runs them, so another scenario's
 * writes are there to be mistaken for a cause. (The broad bench found targeted answers that missed causes.)
 */
const START = Date.UTC(2026, 2, 2, 10);
const g = generate({
  scenarios: 'all',
  noiseEvents: 0,
  eventsPerHour: 5_000,
  seed: 42,
  start: START,
  spacingMs: 25 * 60_000,
});
const emu = new LokiEmulator();
let client: Awaited<ReturnType<typeof loadLoki>>;
let broad: ChainJson[];

beforeAll(async () => {
  client = await loadLoki(
    await emu.start(),
    [...g.records()].map((r) => r.line)
  );
  broad = (await traceOverLoki(client, { from: g.span.from, to: g.span.to })).chains.map(chainToJson);
}, 180_000);
afterAll(() => emu.stop());

it('covers every scenario', () => {
  expect(new Set(g.truth.map((t) => t.scenario))).toEqual(new Set(scenarioNames()));
});

const label = (t: TruthChain) =>
  `${t.scenario}: ${t.effect.verb} ${t.effect.resource} ${t.effect.namespace ?? ''}/${t.effect.name}`;

it.each(g.truth.map((t) => [label(t), t] as const))(
  '%s',
  async (_name, t) => {
    const json = await targetedChains(client, t, g.span);
    const { chain, problems } = compareToTruth(json, t, g.truth);
    expect(problems).toEqual([]);
    // The whole chain, fields the truth does not name too, as the broad question ("every change") answers it.
    expect(chain).toEqual(compareToTruth(broad, t, g.truth).chain);
  },
  60_000
);
