import { consequenceIndex, type Chain } from '../core';
import { matchesSearch, type SearchTerm } from './search';

/**
 * Consequences folded under their cause, as the CLI table does: a Pod the ReplicaSet controller replaced because
 * of a sync is not a story of its own but part of the sync's ("and 14 consequences: 2 ReplicaSets, 12 Pods").
 * A consequence whose cause is not among the loaded chains (cut by Max chains, or outside the range) stays a card
 * of its own: nothing disappears.
 */
export interface Folded {
  /** The chains that are cards: every chain whose cause is not loaded. Same order as the input. */
  roots: Chain[];
  /** Every loaded chain below a root, directly or through further controllers, oldest first. */
  consequencesOf: (root: Chain) => Chain[];
  /** How many chains are folded under a root. */
  folded: number;
}

export function foldConsequences(chains: Chain[]): Folded {
  const ids = new Set(chains.map((c) => c.id));
  const roots = chains.filter((c) => c.consequenceOf === undefined || !ids.has(c.consequenceOf));
  const below = consequenceIndex(chains);
  const cache = new Map<Chain, Chain[]>();
  const consequencesOf = (root: Chain) => {
    let cs = cache.get(root);
    if (!cs) {
      cs = below(root);
      // Most chains set nothing off: only the roots with consequences are worth remembering.
      if (cs.length > 0) {
        cache.set(root, cs);
      }
    }
    return cs;
  };
  return { roots, consequencesOf, folded: chains.length - roots.length };
}

/**
 * The search over a folded card: it shows when its own change matches or one of its consequences does (a search
 * for a Pod's name finds the sync that replaced it). Returns how many consequences match, or undefined when
 * neither the card nor any consequence does.
 */
export function foldedMatch(root: Chain, consequences: Chain[], terms: SearchTerm[]): number | undefined {
  const own = matchesSearch(root, terms);
  if (terms.length === 0) {
    return own ? consequences.length : undefined;
  }
  const matching = consequences.filter((c) => matchesSearch(c, terms)).length;
  return own || matching > 0 ? matching : undefined;
}

/** Beside the count of cards: `, and 14 consequences folded under them`. */
export function consequencesText(folded: number): string {
  return folded > 0 ? `, and ${folded} consequence${folded === 1 ? '' : 's'} folded under them` : '';
}
