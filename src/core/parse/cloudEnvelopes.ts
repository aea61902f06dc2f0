import { isObj, type Obj } from './fields';
import type { Inner } from './envelope';
import { fromNs, parseAnyTime } from './time';

/**
 * Cloud exports around audit records, read apart from envelope.ts's Loki/Docker/CRI wrappers:
 * - CloudWatch Logs subscription-filter payloads (EKS audit to Lambda/Firehose, after gunzip):
 *   `{messageType, owner, logGroup, logStream, subscriptionFilters, logEvents: [{id, timestamp, message}]}`
 *   (AWS CloudWatch Logs "Using subscription filters" / Lambda CloudWatchLogsEvent);
 * - `aws logs filter-log-events` / `get-log-events` output: `{events: [{logStreamName?, timestamp, message, …}]}`
 *   (CloudWatch Logs API FilteredLogEvent / OutputLogEvent);
 * - CloudWatch export to S3 and plain CloudWatch lines with a leading time: `<RFC 3339 time> {json}`.
 * A payload that is not what CloudWatch writes yields no records, with its kind, so the session counts it.
 */

function cloudWatchEvents(events: unknown[], labels: Record<string, string>): Inner[] {
  const out: Inner[] = [];
  for (const ev of events) {
    if (!isObj(ev) || typeof ev.message !== 'string') {
      continue;
    }
    // CloudWatch times are integer ms since the epoch.
    const ms = typeof ev.timestamp === 'number' && Number.isSafeInteger(ev.timestamp) ? ev.timestamp : undefined;
    const inner: Inner = { text: ev.message, labels };
    const t = ms !== undefined && ms > 0 ? fromNs(`${ms}000000`) : undefined;
    if (t) {
      inner.ns = t.ns;
    }
    out.push(inner);
  }
  return out;
}

function label(v: unknown): Record<string, string> {
  return typeof v === 'string' && v !== '' ? { log_group: v } : {};
}

export function unwrapCloudObject(o: Obj): { inner: Inner[]; kind: string } | undefined {
  if (Array.isArray(o.logEvents) && (typeof o.messageType === 'string' || typeof o.logGroup === 'string')) {
    if (o.messageType !== undefined && o.messageType !== 'DATA_MESSAGE') {
      // CONTROL_MESSAGE: CloudWatch checking the destination is reachable; no log events.
      return { inner: [], kind: `cloudwatch-${String(o.messageType)}` };
    }
    return { inner: cloudWatchEvents(o.logEvents, label(o.logGroup)), kind: 'cloudwatch-subscription' };
  }
  if (
    Array.isArray(o.events) &&
    o.events.length > 0 &&
    o.events.every((e) => isObj(e) && typeof e.message === 'string' && 'timestamp' in e)
  ) {
    return { inner: cloudWatchEvents(o.events, {}), kind: 'cloudwatch-events' };
  }
  return undefined;
}

const TIME_THEN_JSON = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})) (\{.*)$/s;

/** `<time> {json}` (CloudWatch export to S3): the record, with the time for records that carry none. */
export function unwrapTimePrefix(line: string): { text: string; ns?: string } | undefined {
  const m = TIME_THEN_JSON.exec(line);
  return m ? { text: m[2], ns: parseAnyTime(m[1])?.ns } : undefined;
}
