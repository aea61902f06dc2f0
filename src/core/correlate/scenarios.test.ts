import fc from 'fast-check';

import { buildChains, chainToJson, generate, parseLines, scenarioNames, type RawLine } from '..';
import { compareToTruth } from '../../../tests/support/truth';

const START = Date.UTC(2026, 2, 2, 10);

function linesOf(noiseEvents: number, seed = 3): { lines: RawLine[]; truth: ReturnType<typeof generate>['truth'] } {
  const g = generate({ scenarios: 'all', noiseEvents, seed, start: START });
  return { lines: [...g.records()].map((r, i) => ({ text: r.line, origin: `${r.file}:${i + 1}` })), truth: g.truth };
}

function trace(lines: RawLine[]) {
  return buildChains(parseLines(lines).events).map(chainToJson);
}

describe('generated scenarios: trace reproduces the ground truth', () => {
  const { lines, truth } = linesOf(3_000);
  const chains = trace(lines);

  it('covers every scenario', () => {
    expect(new Set(truth.map((t) => t.scenario))).toEqual(new Set(scenarioNames()));
  });

  it.each(truth.map((t) => [`${t.scenario}: ${t.effect.verb} ${t.effect.resource} ${t.effect.name}`, t] as const))(
    '%s',
    (_, t) => {
      expect(compareToTruth(chains, t).problems).toEqual([]);
    }
  );

  it('the background noise is controllers and nodes: no person appears in it', () => {
    const people = chains.filter((c) => c.who.kind === 'human');
    const truthKeys = new Set(truth.map((t) => `${t.effect.time}|${t.effect.name}`));
    expect(people.filter((c) => !truthKeys.has(`${c.effect.time}|${c.effect.target.name}`))).toEqual([]);
  });
});

describe('order, duplicates and garbage change nothing', () => {
  const { lines } = linesOf(200, 11);
  const expected = JSON.stringify(trace(lines));
  const strip = (ls: RawLine[]) => ls.map((l) => ({ text: l.text }));
  const base = strip(lines);
  const reference = JSON.stringify(trace(base));

  it('origins aside, the reference equals the traced input', () => {
    expect(JSON.parse(reference).length).toBe(JSON.parse(expected).length);
  });

  it('shuffled lines, duplicated lines, inserted garbage', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(base, { minLength: base.length, maxLength: base.length }),
        fc.array(fc.nat({ max: base.length - 1 }), { maxLength: 40 }),
        fc.array(fc.string({ maxLength: 60 }), { maxLength: 20 }),
        (shuffled, dupIdx, garbage) => {
          const mixed = [...shuffled, ...dupIdx.map((i) => base[i]), ...garbage.map((text) => ({ text }))];
          const order = fc.sample(fc.shuffledSubarray(mixed, { minLength: mixed.length, maxLength: mixed.length }), {
            numRuns: 1,
            seed: dupIdx.length,
          })[0];
          expect(JSON.stringify(trace(order))).toBe(reference);
        }
      ),
      { numRuns: 25 }
    );
  });
});
