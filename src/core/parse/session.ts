import type { ChangeEvent } from '../model';
import { unwrapCri, unwrapObject, stripViewerPrefix, type Inner } from './envelope';
import { FieldTypeError, isObj, type Obj } from './fields';
import { fnv1a } from './hash';
import { OBJECT_PARSERS, TEXT_PARSERS } from './registry';
import { isSkip, type ParseContext, type ParseResult, type Parsed, type RawLine } from './types';

/**
 * Turns raw lines into ChangeEvents: unwraps envelopes, detects the format per line, parses, collapses the
 * stages of one request into one event, drops exact duplicates, and counts every line that did not become an
 * event by reason. It never throws on input.
 */

export interface ParseOptions {
  /** Lines longer than this are skipped (`line-too-long`). Default 256 KiB, Loki's default `max_line_size`. */
  maxLineBytes?: number;
  /** Keep (redacted) request/response bodies on events. Default false. */
  keepBodies?: boolean;
}

export interface SkipStat {
  count: number;
  /** Where the first such line was (`file:line` or Loki ns) and the parser's detail, to help a person look. */
  example?: string;
  detail?: string;
}

export interface ParseSummary {
  events: ChangeEvent[];
  /** Lines that did not become events, by reason. */
  skipped: Record<string, SkipStat>;
  stats: { lines: number; records: number; events: number; duplicates: number; skipped: number };
}

export const DEFAULT_MAX_LINE_BYTES = 256 * 1024;
const FINAL_STAGES = new Set(['ResponseComplete', 'Panic', 'ResponseStarted']);
const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const MAX_ENVELOPE_DEPTH = 3;

/** Fill what `into` lacks from `from`; the later/final stage decides the outcome. */
function mergeStage(into: ChangeEvent, from: ChangeEvent, fromStage: string | undefined): void {
  const fromIsFinal = fromStage !== undefined && FINAL_STAGES.has(fromStage);
  const intoIsFinal = into.stages?.some((s) => FINAL_STAGES.has(s)) ?? false;
  into.stages = [...(into.stages ?? []), ...(from.stages ?? [])];
  if ((fromIsFinal && (!intoIsFinal || from.outcome.code !== undefined)) || into.outcome.code === undefined) {
    if (from.outcome.status !== 'unknown' || into.outcome.status === 'unknown') {
      into.outcome = from.outcome;
    }
    into.raw = from.raw;
  }
  // Not every stage carries impersonation info (rancher/rancher#38536): keep the richest actor.
  if (into.actor.via.length === 0 && from.actor.via.length > 0) {
    into.actor = from.actor;
  }
  if (into.verb === '' && from.verb !== '') {
    into.verb = from.verb;
    into.actor = from.actor;
    into.target = from.target;
    into.requestURI = from.requestURI;
    into.userAgent = from.userAgent;
    into.sourceIPs = from.sourceIPs;
  }
  if (!into.target.uid && from.target.uid) {
    into.target = { ...into.target, uid: from.target.uid };
  }
  if (into.time === undefined || (from.time !== undefined && from.ns < into.ns)) {
    into.time = from.time;
    into.ns = from.ns;
  }
  into.marks = into.marks || from.marks ? { ...from.marks, ...into.marks } : undefined;
  into.rbac ??= from.rbac;
  into.changedFields ??= from.changedFields;
  into.body ??= from.body;
  into.keys = { ...from.keys, ...into.keys };
  if (into.marks === undefined) {
    delete into.marks;
  }
}

function compareEvents(a: ChangeEvent, b: ChangeEvent): number {
  const ta = a.time ?? -Infinity;
  const tb = b.time ?? -Infinity;
  if (ta !== tb) {
    return ta < tb ? -1 : 1;
  }
  if (a.ns !== b.ns) {
    return a.ns.length !== b.ns.length ? a.ns.length - b.ns.length : a.ns < b.ns ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class ParseSession {
  private readonly maxLine: number;
  private readonly keepBodies: boolean;
  private readonly byMergeKey = new Map<string, { event: ChangeEvent; stages: Set<string> }>();
  private readonly byId = new Map<string, ChangeEvent>();
  private readonly skipped: Record<string, SkipStat> = {};
  private lines = 0;
  private records = 0;
  private duplicates = 0;
  private skippedTotal = 0;

  constructor(options: ParseOptions = {}) {
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.keepBodies = options.keepBodies ?? false;
  }

  /** Add one raw line (or one whole JSON document, e.g. a Loki query_range response). */
  add(raw: RawLine): void {
    this.lines++;
    try {
      this.addInner({ text: raw.text, labels: raw.labels, ns: raw.ns }, raw, 0);
    } catch (e) {
      // Parsers validate their input; reaching here is a bug, but input must still never crash the caller.
      this.countSkip('internal-error', raw, e instanceof Error ? e.message : String(e));
    }
  }

  private countSkip(reason: string, raw: RawLine, detail?: string): void {
    this.skippedTotal++;
    const stat = (this.skipped[reason] ??= { count: 0 });
    stat.count++;
    if (stat.example === undefined) {
      stat.example = raw.origin ?? (raw.ns ? `ns ${raw.ns}` : undefined);
      stat.detail = detail;
    }
  }

  private addInner(inner: Inner, raw: RawLine, depth: number): void {
    if (inner.object) {
      this.addObject(inner.object, inner, raw, depth, '');
      return;
    }
    const text = inner.text ?? '';
    if (text.trim() === '') {
      this.countSkip('empty-line', raw);
      return;
    }
    // A whole document (a saved Loki response) is not a log line: its lines are checked one by one.
    const wholeDocument = depth === 0 && raw.document === true;
    if (!wholeDocument && utf8LengthExceeds(text, this.maxLine)) {
      this.countSkip('line-too-long', raw, `over ${this.maxLine} bytes`);
      return;
    }
    if (!wholeDocument && (text.includes('\u0000') || text.includes('\ufffd'))) {
      this.countSkip('binary-data', raw);
      return;
    }
    const first = text.charCodeAt(0);
    if (first >= 48 && first <= 57) {
      const cri = unwrapCri(text);
      if (cri) {
        if (cri.partial) {
          this.countSkip('cri-partial-line', raw, 'the runtime split this line; raise the container log line limit');
          return;
        }
        this.addInner({ text: cri.text, labels: inner.labels, ns: inner.ns ?? cri.ns }, raw, depth + 1);
        return;
      }
    }
    const trimmed = text.trimStart();
    if (trimmed.charCodeAt(0) === 123 /* { */) {
      let o: unknown;
      try {
        o = JSON.parse(trimmed);
      } catch (e) {
        const msg = e instanceof Error ? e.message : '';
        this.countSkip(isTruncation(msg, trimmed.trimEnd().length) ? 'truncated-json' : 'invalid-json', raw, msg);
        return;
      }
      if (!isObj(o)) {
        this.countSkip('unknown-format', raw, 'JSON that is not an object');
        return;
      }
      this.addObject(o, inner, raw, depth, trimmed);
      return;
    }
    for (const p of TEXT_PARSERS) {
      if (p.detect(trimmed)) {
        this.accept(() => p.parse(trimmed, this.context(inner, raw, trimmed)), p.source, raw);
        return;
      }
    }
    const unprefixed = depth < MAX_ENVELOPE_DEPTH ? stripViewerPrefix(trimmed) : undefined;
    if (unprefixed !== undefined) {
      this.addInner({ ...inner, text: unprefixed }, raw, depth + 1);
      return;
    }
    this.countSkip('unknown-format', raw, trimmed.slice(0, 80));
  }

  private addObject(o: Obj, inner: Inner, raw: RawLine, depth: number, text: string): void {
    if (depth < MAX_ENVELOPE_DEPTH) {
      const env = unwrapObject(o);
      if (env) {
        if (env.inner.length === 0) {
          this.countSkip(`empty-envelope:${env.kind}`, raw);
        }
        for (const child of env.inner) {
          this.addInner({ ...child, labels: { ...inner.labels, ...child.labels }, ns: child.ns ?? inner.ns }, raw, depth + 1);
        }
        return;
      }
    }
    const parser = OBJECT_PARSERS.find((p) => p.detect(o));
    if (!parser) {
      this.countSkip('unknown-format', raw, `JSON with keys ${Object.keys(o).slice(0, 6).join(',')}`);
      return;
    }
    const lineText = text || JSON.stringify(o);
    this.accept(() => parser.parse(o, this.context(inner, raw, lineText)), parser.source, raw);
  }

  private context(inner: Inner, raw: RawLine, text: string): ParseContext {
    const labels = inner.labels && Object.keys(inner.labels).length > 0 ? inner.labels : NO_LABELS;
    const ref = { labels, ...(inner.ns ? { ns: inner.ns } : {}), ...(raw.origin ? { origin: raw.origin } : {}) };
    return { raw: ref, fallbackNs: inner.ns, keepBodies: this.keepBodies, text };
  }

  private accept(run: () => ParseResult, source: string, raw: RawLine): void {
    this.records++;
    let result: ParseResult;
    try {
      result = run();
    } catch (e) {
      if (e instanceof FieldTypeError) {
        this.countSkip(`${source}:invalid-field`, raw, e.message);
        return;
      }
      throw e;
    }
    if (isSkip(result)) {
      this.countSkip(result.skip, raw, result.detail);
      return;
    }
    this.store(result);
  }

  private store(p: Parsed): void {
    if (p.mergeKey !== undefined) {
      const existing = this.byMergeKey.get(p.mergeKey);
      const stage = p.stage ?? '';
      if (!existing) {
        this.byMergeKey.set(p.mergeKey, { event: p.event, stages: new Set([stage]) });
      } else if (existing.stages.has(stage)) {
        this.duplicates++;
      } else {
        existing.stages.add(stage);
        mergeStage(existing.event, p.event, p.stage);
      }
      return;
    }
    if (this.byId.has(p.event.id)) {
      this.duplicates++;
      return;
    }
    this.byId.set(p.event.id, p.event);
  }

  /** The events so far, sorted by time (records without a time first), with ids made unique. */
  finish(): ParseSummary {
    const events: ChangeEvent[] = [...this.byId.values()];
    const idCount = new Map<string, number>();
    for (const [key, { event }] of this.byMergeKey) {
      if (event.verb === '') {
        // A legacy-format response line whose request line never arrived.
        this.countSkip(`${event.source}:response-without-request`, { text: '', origin: event.raw.origin, ns: event.raw.ns });
        continue;
      }
      idCount.set(event.id, (idCount.get(event.id) ?? 0) + 1);
      (event as ChangeEvent & { mergeKey?: string }).mergeKey = key;
      events.push(event);
    }
    for (const e of events) {
      const withKey = e as ChangeEvent & { mergeKey?: string };
      // A client may reuse an Audit-ID for different requests: keep them apart, deterministically.
      if (withKey.mergeKey !== undefined && (idCount.get(e.id) ?? 0) > 1) {
        e.id = `${e.id}~${fnv1a(withKey.mergeKey)}`;
      }
      delete withKey.mergeKey;
    }
    events.sort(compareEvents);
    return {
      events,
      skipped: this.skipped,
      stats: { lines: this.lines, records: this.records, events: events.length, duplicates: this.duplicates, skipped: this.skippedTotal },
    };
  }
}

/** JSON.parse failed because the text stops early (cut by a shipper or a size limit), not because it is malformed. */
function isTruncation(message: string, length: number): boolean {
  if (/end of (JSON )?(data|input)/i.test(message)) {
    return true;
  }
  const at = /at position (\d+)/.exec(message);
  return at !== null && Number(at[1]) >= length && /Unterminated|Expected/.test(message);
}

/** UTF-8 length of `s` exceeds `max`, without encoding the whole string when it is clearly under or over. */
function utf8LengthExceeds(s: string, max: number): boolean {
  if (s.length > max) {
    return true;
  }
  if (s.length * 3 <= max) {
    return false;
  }
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
    if (bytes > max) {
      return true;
    }
  }
  return false;
}

/** Parse a batch of lines in one go. */
export function parseLines(lines: Iterable<RawLine>, options?: ParseOptions): ParseSummary {
  const session = new ParseSession(options);
  for (const l of lines) {
    session.add(l);
  }
  return session.finish();
}
