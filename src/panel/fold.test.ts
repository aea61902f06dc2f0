import { cascadeTrace } from '../../tests/support/panelFrames';
import { effectName } from '../../tests/support/truth';
import type { Chain, TruthChain } from '../core';
import { consequencesText, foldConsequences, foldedMatch } from './fold';
import { parseSearch } from './search';

const { chains, truth } = cascadeTrace();

const nameOf = (c: Chain) =>
  effectName({
    verb: c.effect.verb,
    resource: c.effect.target.resource,
    ...(c.effect.target.namespace ? { namespace: c.effect.target.namespace } : {}),
    name: c.effect.target.name ?? '',
    ...(c.effect.target.subresource ? { subresource: c.effect.target.subresource } : {}),
    time: new Date(c.effect.time ?? 0).toISOString(),
  });

/** The root of a truth entry: its causes followed up (from the generator's ground truth, not the engine). */
function rootOf(t: TruthChain): string {
  let cur = t;
  for (let up = cur.cause; up; up = cur.cause) {
    const name = effectName(up);
    cur = truth.find((x) => effectName(x.effect) === name) as TruthChain;
  }
  return effectName(cur.effect);
}

describe('consequences folded under their cause', () => {
  const f = foldConsequences(chains);

  it('the cards are the changes nothing set off; each consequence is under its root, as the ground truth says', () => {
    const truthRoots = new Set(truth.filter((t) => !t.cause).map((t) => effectName(t.effect)));
    const roots = new Set(f.roots.map(nameOf));
    for (const r of truthRoots) {
      expect(roots.has(r)).toBe(true);
    }
    for (const t of truth.filter((x) => x.cause)) {
      expect(roots.has(effectName(t.effect))).toBe(false);
      const root = f.roots.find((c) => nameOf(c) === rootOf(t)) as Chain;
      expect({
        t: effectName(t.effect),
        under: f.consequencesOf(root).some((c) => nameOf(c) === effectName(t.effect)),
      }).toEqual({
        t: effectName(t.effect),
        under: true,
      });
    }
    expect(f.folded).toBe(chains.length - f.roots.length);
    expect(f.folded).toBe(truth.filter((t) => t.cause).length);
  });

  it('a consequence whose cause is not loaded stays a card of its own: nothing disappears', () => {
    const consequence = chains.find((c) => c.consequenceOf) as Chain;
    const cause = chains.find((c) => c.id === consequence.consequenceOf) as Chain;
    const without = foldConsequences(chains.filter((c) => c !== cause));
    expect(without.roots).toContain(consequence);
  });

  it('the search looks into a card’s consequences: a Pod’s name finds the change that replaced it', () => {
    const pod = truth.find((t) => t.effect.resource === 'pods' && t.cause) as TruthChain;
    const root = f.roots.find((c) => nameOf(c) === rootOf(pod)) as Chain;
    const terms = parseSearch(pod.effect.name);
    expect(foldedMatch(root, f.consequencesOf(root), terms)).toBe(
      f.consequencesOf(root).filter((c) => c.effect.target.name === pod.effect.name).length
    );
    const other = f.roots.find(
      (c) => c !== root && !f.consequencesOf(c).some((x) => x.effect.target.name === pod.effect.name)
    );
    expect(foldedMatch(other as Chain, f.consequencesOf(other as Chain), terms)).toBeUndefined();
    expect(foldedMatch(root, f.consequencesOf(root), [])).toBe(f.consequencesOf(root).length);
  });

  it('says how many it folded', () => {
    expect([consequencesText(0), consequencesText(1), consequencesText(14)]).toEqual([
      '',
      ', and 1 consequence folded under them',
      ', and 14 consequences folded under them',
    ]);
  });
});
