import type { Chain } from '../core';
import { scenarioChains } from '../../tests/support/panelFrames';
import { groupRepeats, MIN_RUN, RUN_GAP_MS } from './group';
import { repeatText } from './story';

const base = scenarioChains(0);
const shell = base.find((c) => c.effect.target.subresource === 'exec')!;
const deletion = base.find((c) => c.effect.target.name === 'legacy-worker')!;
const T = Date.UTC(2026, 2, 2, 12);

/** A copy of a chain on another object at another time. */
function at(c: Chain, name: string, time: number): Chain {
  return { ...c, effect: { ...c.effect, id: `${name}@${time}`, time, target: { ...c.effect.target, name } } };
}

describe('grouping repeated changes', () => {
  it('folds a run of identical changes into one card at the newest, and keeps everything else in order', () => {
    const pods = Array.from({ length: 40 }, (_, i) => at(deletion, `pod-${i}`, T - i * 4_500));
    const other = at(shell, 'checkout-1', T - 60_000);
    // Newest first, as the panel sorts them: the shell sits in the middle of the run.
    const chains = [...pods.slice(0, 20), other, ...pods.slice(20)];
    const items = groupRepeats(chains);
    expect(items.map((i) => i.repeats.length)).toEqual([40, 1]);
    expect(items[0].chain).toBe(pods[0]);
    expect(items[0].repeats).toEqual(pods);
    expect(repeatText(items[0].chain, items[0].repeats)).toBe('deleted 40 deployments in shop');
    const same = [0, 1, 2].map((i) => at(deletion, 'legacy-worker', T - i * 1_000));
    expect(repeatText(same[0], same)).toBe('deleted deployments shop/legacy-worker, 3 times');
    expect(items[1].chain).toBe(other);
  });

  it(`tells fewer than ${MIN_RUN}, other people, and changes far apart one by one`, () => {
    const two = [at(deletion, 'a', T), at(deletion, 'b', T - 1_000)];
    expect(groupRepeats(two).map((i) => i.repeats.length)).toEqual([1, 1]);
    const someoneElse = { ...at(deletion, 'c', T - 2_000), who: { ...deletion.who, name: 'lee@example.org' } };
    expect(groupRepeats([...two, someoneElse]).map((i) => i.repeats.length)).toEqual([1, 1, 1]);
    const apart = [0, 1, 2].map((i) => at(deletion, `x${i}`, T - i * (RUN_GAP_MS + 1)));
    expect(groupRepeats(apart).map((i) => i.repeats.length)).toEqual([1, 1, 1]);
    // The generated scenarios hold no such run: every change keeps its own card.
    expect(groupRepeats(base)).toHaveLength(base.length);
  });
});
