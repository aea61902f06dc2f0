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
