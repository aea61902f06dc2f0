import type { Chain } from '../core';
import { effectText, VERDICT_LABEL } from './story';

/**
 * The panel's search: every term must match (AND); a term matches at the start of a word, so "lee" finds
 * lee@example.org and not "Fleet". A term may name its field (`who:kim`, `app:frontend`, `ns:shop`,
 * `verdict:"manual drift"`); a bare term looks at who, what, app, commit and verdict — the context prose only
 * when asked (`context:rolebinding`), since it names other people and would make "kim" match most changes.
 */

export const SEARCH_FIELDS = ['who', 'what', 'app', 'ns', 'commit', 'verdict', 'context'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export interface SearchTerm {
  field?: SearchField;
  value: string;
}

/** `who:dana "frontend app" verdict:rollback` → terms; an unknown prefix is part of a bare term. */
export function parseSearch(text: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const m of text.matchAll(/(?:([a-z]+):)?(?:"([^"]*)"?|(\S+))/gi)) {
    const prefix = m[1]?.toLowerCase();
    const value = (m[2] ?? m[3] ?? '').toLowerCase().trim();
    const field = SEARCH_FIELDS.find((f) => f === prefix);
    if (prefix && !field) {
      terms.push({ value: `${prefix}:${value}` });
    } else if (value) {
      terms.push({ field, value });
    }
  }
  return terms;
}

type Fields = Record<SearchField, string[]>;
const fieldCache = new WeakMap<Chain, Fields>();

/** The text of each field, lower-cased once per chain: typing re-filters thousands of chains. */
function fieldsOf(c: Chain): Fields {
  let f = fieldCache.get(c);
  if (!f) {
    const g = c.gitops;
    f = {
      who: [c.who.name, c.who.ip ?? '', c.effect.actor.name, g?.initiator ?? '', g?.automation ?? ''],
      what: [effectText(c)],
      app: [g?.app ?? ''],
      ns: [c.effect.target.namespace ?? ''],
      commit: [g?.commit ?? '', g?.revision ?? ''],
      verdict: [VERDICT_LABEL[c.verdict] ?? c.verdict, c.verdict, g?.operation ?? ''],
      context: c.context.map((x) => x.summary),
    };
    for (const k of SEARCH_FIELDS) {
      f[k] = f[k].filter(Boolean).map((s) => s.toLowerCase());
    }
    fieldCache.set(c, f);
  }
  return f;
}

const BARE: SearchField[] = ['who', 'what', 'app', 'commit', 'verdict'];
const WORD = /[\p{L}\p{N}]/u;

/** Where `term` starts a word in `text` (both lower case), or -1. */
export function wordStart(text: string, term: string, from = 0): number {
  for (let at = text.indexOf(term, from); at >= 0; at = text.indexOf(term, at + 1)) {
    if (at === 0 || !WORD.test(text[at - 1]) || !WORD.test(term[0])) {
      return at;
    }
  }
  return -1;
}

/** "manual drift", "Manual-drift", "manualdrift" are one verdict. */
const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

function verdictMatches(c: Chain, value: string): boolean {
  const want = squash(value);
  const exact = Object.entries(VERDICT_LABEL).filter(([id, label]) => squash(label) === want || squash(id) === want);
  if (exact.length > 0) {
    return exact.some(([id]) => id === c.verdict);
  }
  return squash(VERDICT_LABEL[c.verdict] ?? c.verdict).startsWith(want) || squash(c.verdict).startsWith(want);
}

function termMatches(c: Chain, t: SearchTerm): boolean {
  if (t.field === 'verdict') {
    return verdictMatches(c, t.value);
  }
  const f = fieldsOf(c);
  return (t.field ? [t.field] : BARE).some((k) => f[k].some((s) => wordStart(s, t.value) >= 0));
}

export function matchesSearch(c: Chain, terms: SearchTerm[]): boolean {
  return terms.every((t) => termMatches(c, t));
}

/** The parts of a shown text a search hit, to highlight: [start, end) ranges, sorted and merged. */
export function highlightRanges(
  text: string,
  terms: SearchTerm[],
  field: SearchField | SearchField[]
): Array<[number, number]> {
  const lower = text.toLowerCase();
  const fields = Array.isArray(field) ? field : [field];
  // The object's line shows its namespace: an `ns:` term lights it there.
  const searched = (f: SearchField) => fields.includes(f) || (f === 'ns' && fields.includes('what'));
  const ranges: Array<[number, number]> = [];
  for (const t of terms) {
    if (
      t.field === 'verdict' ||
      (t.field && !searched(t.field)) ||
      (!t.field && !fields.some((f) => BARE.includes(f)))
    ) {
      continue;
    }
    for (let at = wordStart(lower, t.value); at >= 0; at = wordStart(lower, t.value, at + t.value.length)) {
      ranges.push([at, at + t.value.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) {
      last[1] = Math.max(last[1], r[1]);
    } else {
      merged.push([...r]);
    }
  }
  return merged;
}
