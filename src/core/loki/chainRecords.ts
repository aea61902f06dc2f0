import { eventsBehind } from '../correlate/eventsBehind';
import { objectName } from '../correlate/rule';
import { lineQuery, renderLogQuery } from '../logql/builder';
import { DEFAULT_SELECTORS, type StreamSelectors } from '../logql/questions';
import type { Chain, ChainRecord, ChangeEvent } from '../model';
import { redactRawLine } from '../parse/rawLine';
import type { LokiTrace } from './twoPhase';

/**
 * The evidence behind a chain as a person checks it: each event's role, what it says, its raw line from the Loki
 * answer (Secret data redacted, cut to a readable length) and LogQL that finds it in Explore.
 */

/** LogQL that shows the raw audit line(s) of an event in Explore: its stream, narrowed by its audit ID or name. */
export function rawQueryOf(e: ChangeEvent, selectors: StreamSelectors): string {
  const source = e.source === 'k8s-event' ? 'argocd' : e.source;
  const key = e.keys.auditID ?? e.keys.rancherAuditID ?? e.target.name ?? '';
  return renderLogQuery(
    lineQuery(selectors[source] ?? DEFAULT_SELECTORS[source], key ? [{ op: '|=', value: key }] : [])
  );
}

const LINE_SHOWN = 4096;

/** A raw line for the details drawer: Secret data redacted, long lines cut with a note of how much. */
function shortLine(line: string | undefined): string | undefined {
  if (line === undefined) {
    return undefined;
  }
  const text = redactRawLine(line);
  return text.length > LINE_SHOWN
    ? `${text.slice(0, LINE_SHOWN)}… (${text.length - LINE_SHOWN} more characters)`
    : text;
}

/** The events behind a chain as the details drawer shows them: what each says, its raw line, LogQL for it. */
export function chainRecords(
  c: Chain,
  events: ReadonlyMap<string, ChangeEvent>,
  selectors: StreamSelectors,
  lineOf: LokiTrace['lineOf'] = () => undefined
): ChainRecord[] {
  return eventsBehind(c, events).map(({ event: e, role }) => ({
    id: e.id,
    role,
    time: e.time,
    source: e.source,
    actor: e.actor.name,
    verb: e.verb,
    object: objectName(e),
    raw: e.raw,
    logql: rawQueryOf(e, selectors),
    line: shortLine(lineOf(e.raw)),
  }));
}
