import { DEFAULT_OPTIONS, type ChangeEvent, type CorrelateOptions } from '../../src/core';
import { EventIndex } from '../../src/core/correlate/eventIndex';
import type { RuleContext } from '../../src/core/correlate/rule';
import { parseAll } from './parse';

/** Events from fixture records, and a rule context over them. */
export function eventsOf(records: Array<string | object>): ChangeEvent[] {
  return parseAll(records).events;
}

export function ruleContext(events: ChangeEvent[], opts: Partial<CorrelateOptions> = {}): RuleContext {
  return { ix: new EventIndex(events), opts: { ...DEFAULT_OPTIONS, ...opts } };
}

/** The event whose raw origin is line `n` (1-based) of the records. */
export function eventAt(events: ChangeEvent[], n: number): ChangeEvent {
  const e = events.find((x) => x.raw.origin === `test:${n}`);
  if (!e) {
    throw new Error(`no event from test:${n}`);
  }
  return e;
}
