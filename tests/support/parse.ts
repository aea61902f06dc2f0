import fc from 'fast-check';

import { parseLines, type ChangeEvent, type ParseOptions, type ParseSummary, type RawLine } from '../../src/core';

/** Parse lines given as strings or objects (objects are written as one JSON line each). */
export function parseAll(lines: Array<string | object | RawLine>, options?: ParseOptions): ParseSummary {
  const raws: RawLine[] = lines.map((l, i) => {
    if (typeof l === 'string') {
      return { text: l, origin: `test:${i + 1}` };
    }
    if ('text' in l && typeof (l as RawLine).text === 'string') {
      return l as RawLine;
    }
    return { text: JSON.stringify(l), origin: `test:${i + 1}` };
  });
  return parseLines(raws, options);
}

/** Exactly one event from these lines, or a failure that shows what happened instead. */
export function parseOne(
  lines: string | object | Array<string | object | RawLine>,
  options?: ParseOptions
): ChangeEvent {
  const summary = parseAll(Array.isArray(lines) ? lines : [lines], options);
  if (summary.events.length !== 1) {
    throw new Error(`expected 1 event, got ${summary.events.length}; skipped: ${JSON.stringify(summary.skipped)}`);
  }
  return summary.events[0];
}

/** Skip counts by reason. */
export function skipCounts(summary: ParseSummary): Record<string, number> {
  return Object.fromEntries(Object.entries(summary.skipped).map(([k, v]) => [k, v.count]));
}

/**
 * Lines of `seeds`, each cut anywhere or with up to 8 characters of junk inserted anywhere: every one must give
 * at least one record or a counted skip (a batch may hold several records), never an internal error, and no
 * event without a verb. One property for every new shape's "an event or a counted skip, never a throw".
 */
export function assertMutatedLinesAccounted(seeds: string[], numRuns = 600, options?: ParseOptions): void {
  fc.assert(
    fc.property(
      fc.constantFrom(...seeds),
      fc.nat(),
      fc.string({ maxLength: 8 }),
      fc.boolean(),
      (seed, at, junk, cut) => {
        const i = at % (seed.length + 1);
        const s = parseAll([cut ? seed.slice(0, i) : seed.slice(0, i) + junk + seed.slice(i)], options);
        expect(s.skipped['internal-error']).toBeUndefined();
        expect(s.stats.records + s.stats.skipped).toBeGreaterThanOrEqual(1);
        for (const e of s.events) {
          expect(e.verb).not.toBe('');
        }
      }
    ),
    { numRuns }
  );
}
