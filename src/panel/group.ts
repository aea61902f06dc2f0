import type { Chain } from '../core';

/** One card of the list: a change, or a run of identical changes folded together (newest first). */
export interface StoryItem {
  chain: Chain;
  /** Every change the card stands for, itself first; one for a plain card. */
  repeats: Chain[];
  /** What those changes set off through controllers, folded under the card (see fold.ts), oldest first. */
  consequences?: Chain[];
  /** How many of the consequences the search matches (all of them without a search). */
  matching?: number;
}

/** Fewer than this many identical changes are told one by one. */
export const MIN_RUN = 3;
/** A change joins a run when it is at most this long before the run's oldest member. */
export const RUN_GAP_MS = 10 * 60_000;

/** Same person, same verdict, same verb on the same kind of object in the same namespace, same app and commit. */
function keyOf(c: Chain): string {
  const e = c.effect;
  return JSON.stringify([
    c.verdict,
    c.who.name,
    e.verb,
    e.target.cluster,
    e.target.apiGroup,
    e.target.resource,
    e.target.subresource,
    e.target.namespace,
    c.gitops?.app,
    c.gitops?.commit,
  ]);
}

/**
 * Folds runs of identical changes ("kim patched 40 pods in shop") into one card each, placed where the newest
 * of them is; the rest keep their order. The chains are newest first, as the panel sorts them.
 */
export function groupRepeats(chains: Chain[]): StoryItem[] {
  const runOf = new Array<Chain[]>(chains.length);
  const open = new Map<string, Chain[]>();
  chains.forEach((c, i) => {
    const key = keyOf(c);
    const run = open.get(key);
    const oldest = run?.[run.length - 1].effect.time;
    const t = c.effect.time;
    if (run && oldest !== undefined && t !== undefined && oldest - t <= RUN_GAP_MS) {
      run.push(c);
      runOf[i] = run;
    } else {
      const fresh = [c];
      open.set(key, fresh);
      runOf[i] = fresh;
    }
  });
  const items: StoryItem[] = [];
  chains.forEach((c, i) => {
    const run = runOf[i];
    if (run.length < MIN_RUN) {
      items.push({ chain: c, repeats: [c] });
    } else if (run[0] === c) {
      items.push({ chain: c, repeats: run });
    }
  });
  return items;
}
