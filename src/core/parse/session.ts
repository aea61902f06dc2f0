import type { ChangeEvent, RawRef } from '../model';
import { unwrapCloudObject, unwrapTimePrefix } from './cloudEnvelopes';
import { unwrapCri, unwrapObject, stripViewerPrefix, type Inner } from './envelope';
import { FieldTypeError, isObj, type Obj } from './fields';
import { fnv1a } from './hash';
import { InternPool } from './intern';
import { scrubEventText, scrubText } from './redact';
import { auditFromOtlpMetadata } from './otlpAudit';
import { certainRead, type ReadFacts } from './prescan';
import { OBJECT_PARSERS, TEXT_PARSERS } from './registry';
import { requestSignature, sameRequest } from './sameRequest';
import { salvageCutObject, statesWhoAndWhat } from './salvage';
import {
  OP_END,
  OP_EVENT,
  OP_READ,
  OP_RECORD,
  OP_SALVAGED,
  OP_SKIP,
  OP_WITHHELD,
  type RecordedLines,
  type WithheldFacts,
} from './recorded';
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
  /**
   * For `trace`: a line that is certainly a kube-apiserver read (prescan.ts) is counted as the full parse would
   * count it, without being parsed; its event is left out of `events` (no chain is built from a read). Default
   * false: `parse` shows every record.
   */
  skipReads?: boolean;
}

export interface SkipStat {
  count: number;
  /** Where the first such line was (`file:line` or Loki ns) and the parser's detail, to help a person look. */
  example?: string;
  /** What was wrong, in words that hold no line content (positions, counts, field names of our parsers). */
  detail?: string;
  /**
   * The shape of the first such line (letters as `a`, digits as `9`, punctuation kept) or the keys of a JSON
   * object: enough to recognise a format, no content. Printed only when a person asks for examples.
   */
  sample?: string;
}

export interface ParseSummary {
  events: ChangeEvent[];
  /** Lines that did not become events, by reason. */
  skipped: Record<string, SkipStat>;
  /** Lines cut short that still became (part of) an event, marked `truncated`, by reason (`truncated-salvaged`). */
  salvaged: Record<string, SkipStat>;
  stats: { lines: number; records: number; events: number; duplicates: number; skipped: number };
  /**
   * Events counted in `stats.events` but left out where they were parsed (a LineRecorder's `withhold`: the
   * trace's routine writes), each as what counting it needs; absent when none were.
   */
  withheld?: WithheldEvent[];
}

/** An event left out where it was parsed: why (its label), and where it sorts among the events. */
export interface WithheldEvent {
  label: string;
  id: string;
  time?: number;
  ns: string;
}

export const DEFAULT_MAX_LINE_BYTES = 256 * 1024;
const FINAL_STAGES = new Set(['ResponseComplete', 'Panic', 'ResponseStarted']);
const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;
// Lines handed over without labels, time or origin (benchmarks, tests) share one reference.
const NO_RAW: RawRef = Object.freeze({ labels: NO_LABELS }) as RawRef;
const MAX_ENVELOPE_DEPTH = 3;
const MAX_STAGES = 8;
// NUL, or U+FFFD from a failed UTF-8 decode: the line held binary bytes.
const BINARY = /[\u0000\ufffd]/;

function firstNonSpace(s: string): number {
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) {
      break;
    }
    i++;
  }
  return i;
}

function hasKeys(o: object): boolean {
  for (const _ in o) {
    return true;
  }
  return false;
}

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
  if (from.snapshot) {
    into.snapshot = { ...from.snapshot, ...into.snapshot };
  }
  into.keys = { ...from.keys, ...into.keys };
  // A whole line of the request makes the event whole; two cut lines leave it cut.
  if (into.truncated && !from.truncated) {
    delete into.truncated;
  }
  if (into.marks === undefined) {
    delete into.marks;
  }
}

/** Runs a parser; a wrong-typed field becomes a counted skip. Other exceptions are bugs and propagate. */
function parseGuarded<T>(
  parser: { source: string; parse(input: T, ctx: ParseContext): ParseResult },
  input: T,
  ctx: ParseContext
): ParseResult {
  try {
    return parser.parse(input, ctx);
  } catch (e) {
    if (e instanceof FieldTypeError) {
      return { skip: `${parser.source}:invalid-field`, detail: e.message };
    }
    throw e;
  }
}

/**
 * The stage lines of one read, counted but not parsed. Kept whole (a reference to each line) so that, should
 * another line of the same audit ID need the read's event after all, the lines are parsed then, in order.
 */
class SkippedRead {
  readonly lines: RawLine[] = [];
  readonly stages: string[] = [];
  duplicates = 0;
  /** Being parsed now: the first of its lines takes its place in the session. */
  replaying = false;

  constructor(readonly facts: ReadFacts) {}

  /** `sameRequest` of two reads (neither is impersonated: the authenticated user is `user`). */
  sameRequest(f: ReadFacts): boolean {
    return f.verb === this.facts.verb && f.requestURI === this.facts.requestURI && f.user === this.facts.user;
  }
}

/**
 * The stage lines of one request whose events were left out where they were parsed (OP_WITHHELD), counted as
 * `storeStage` would count them: the merged event's id, time and stages are followed from the facts. Kept by
 * reference, as a skipped read is, to be parsed after all should another line of its audit ID need them.
 */
class WithheldRequest {
  readonly lines: RawLine[] = [];
  readonly stages: string[];
  duplicates = 0;
  replaying = false;
  time: number | undefined;
  ns: string;

  constructor(readonly facts: WithheldFacts) {
    this.stages = [facts.stage];
    this.time = facts.time;
    this.ns = facts.ns;
  }

  /** The request's next line, merged as `storeStage` and `mergeStage` would merge its event. */
  merge(f: WithheldFacts): void {
    if (this.stages.includes(f.stage) || this.stages.length >= MAX_STAGES) {
      this.duplicates++;
      return;
    }
    this.stages.push(f.stage);
    if (this.time === undefined || (f.time !== undefined && f.ns < this.ns)) {
      this.time = f.time;
      this.ns = f.ns;
    }
  }
}

/** The order of `ParseSummary.events` (time, then Loki's ns, then id); withheld events sort the same way. */
export function compareEvents(
  a: Pick<ChangeEvent, 'time' | 'ns' | 'id'>,
  b: Pick<ChangeEvent, 'time' | 'ns' | 'id'>
): number {
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

/**
 * What the line parser tells about one line: a session keeps count and merges stages (ParseSession), a worker
 * thread records it to be applied by the session later (LineRecorder).
 */
export interface LineSink {
  skip(reason: string, raw: RawLine, detail?: string, sample?: string): void;
  /** A line cut short that still became (part of) an event. */
  salvaged(raw: RawLine, detail: string): void;
  /** A record a parser took (counted in `records`, whether it becomes an event or a skip). */
  record(): void;
  /** An event, redacted; the stages of one request are merged by whoever keeps the events. */
  event(parsed: Parsed): void;
  /** A line that is certainly a read (prescan.ts): true when it was counted without being parsed. */
  read(facts: ReadFacts, raw: RawLine): boolean;
}

/**
 * The work on one line that depends on nothing but the line: unwrap, detect, parse, redact. It keeps no state
 * across lines (but for the intern pool, which only shares copies), so lines can be parsed in any thread and
 * their outcomes applied in order.
 */
export class LineParser {
  private readonly maxLine: number;
  private readonly keepBodies: boolean;
  private readonly skipReads: boolean;
  private readonly pool = new InternPool();
  /** Events whose bodies were not read (`leftOut`), until their line is done. */
  private readonly bodiesNotRead = new WeakSet<ChangeEvent>();
  private readonly leftOutHere: ((event: ChangeEvent) => boolean) | undefined;

  constructor(
    options: ParseOptions = {},
    /** Events that will be left out where they are parsed (ParseContext.leftOut): their bodies are not read. */
    leftOut?: (event: ChangeEvent) => boolean
  ) {
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.keepBodies = options.keepBodies ?? false;
    this.skipReads = options.skipReads ?? false;
    this.leftOutHere =
      leftOut &&
      ((event) => {
        const out = leftOut(event);
        if (out) {
          this.bodiesNotRead.add(event);
        }
        return out;
      });
  }

  /** False for an event whose bodies were not read because it was to be left out (see `lineReadingBodies`). */
  readBodiesOf(event: ChangeEvent): boolean {
    return !this.bodiesNotRead.has(event);
  }

  private readingBodies = false;

  /** `line`, reading the bodies of every event: for a line whose event was not left out after all. */
  lineReadingBodies(raw: RawLine, sink: LineSink): void {
    this.readingBodies = true;
    try {
      this.line(raw, sink);
    } finally {
      this.readingBodies = false;
    }
  }

  /** One line into `sink`; with `allowSkip` false a certain read is parsed too (the sink refused to skip it). */
  line(raw: RawLine, sink: LineSink, allowSkip = this.skipReads): void {
    this.addInner({ text: raw.text, labels: raw.labels, ns: raw.ns }, raw, 0, sink, allowSkip);
  }

  private skipRead(text: string, raw: RawLine, sink: LineSink): boolean {
    const facts = certainRead(text);
    return facts !== undefined && sink.read(facts, raw);
  }

  private addInner(inner: Inner, raw: RawLine, depth: number, sink: LineSink, allowSkip: boolean): void {
    if (inner.object) {
      this.addObject(inner.object, inner, raw, depth, '', sink, allowSkip);
      return;
    }
    const text = inner.text ?? '';
    const start = firstNonSpace(text);
    if (start === text.length) {
      sink.skip('empty-line', raw);
      return;
    }
    // A whole document (a saved Loki response) is not a log line: its lines are checked one by one.
    const wholeDocument = depth === 0 && raw.document === true;
    if (!wholeDocument && utf8LengthExceeds(text, this.maxLine)) {
      sink.skip('line-too-long', raw, `over ${this.maxLine} bytes`);
      return;
    }
    if (!wholeDocument && BINARY.test(text)) {
      sink.skip('binary-data', raw);
      return;
    }
    const first = text.charCodeAt(start);
    if (first >= 48 && first <= 57) {
      const cri = unwrapCri(text);
      if (cri) {
        if (cri.partial) {
          sink.skip('cri-partial-line', raw, 'the runtime split this line; raise the container log line limit');
          return;
        }
        this.addInner(
          { text: cri.text, labels: inner.labels, ns: inner.ns ?? cri.ns },
          raw,
          depth + 1,
          sink,
          allowSkip
        );
        return;
      }
      const timed = depth < MAX_ENVELOPE_DEPTH ? unwrapTimePrefix(text.slice(start)) : undefined;
      if (timed) {
        this.addInner(
          { text: timed.text, labels: inner.labels, ns: inner.ns ?? timed.ns },
          raw,
          depth + 1,
          sink,
          allowSkip
        );
        return;
      }
    }
    const trimmed = start === 0 ? text : text.slice(start);
    if (first === 123 /* { */) {
      if (allowSkip && depth === 0 && !wholeDocument && this.skipRead(trimmed, raw, sink)) {
        return;
      }
      let o: unknown;
      try {
        o = JSON.parse(trimmed);
      } catch (e) {
        const msg = e instanceof Error ? e.message : '';
        // V8's message quotes the line: the detail keeps only the position.
        const at = /position (\d+)/.exec(msg);
        const detail = at
          ? `JSON stops being valid at character ${at[1]} of ${trimmed.length}`
          : `not valid JSON (${trimmed.length} characters)`;
        if (!isTruncation(msg, trimmed.trimEnd().length)) {
          sink.skip('invalid-json', raw, detail, shapeOf(trimmed));
          return;
        }
        this.addCutObject(trimmed, inner, raw, detail, sink);
        return;
      }
      if (!isObj(o)) {
        sink.skip('unknown-format', raw, 'JSON that is not an object');
        return;
      }
      this.addObject(o, inner, raw, depth, trimmed, sink, allowSkip);
      return;
    }
    for (const p of TEXT_PARSERS) {
      if (p.detect(trimmed)) {
        sink.record();
        this.accept(sink, parseGuarded(p, trimmed, this.context(inner, raw, trimmed)), raw);
        return;
      }
    }
    const unprefixed = depth < MAX_ENVELOPE_DEPTH ? stripViewerPrefix(trimmed) : undefined;
    if (unprefixed !== undefined) {
      this.addInner({ ...inner, text: unprefixed }, raw, depth + 1, sink, allowSkip);
      return;
    }
    sink.skip('unknown-format', raw, `text of no known format (${trimmed.length} characters)`, shapeOf(trimmed));
  }

  private addObject(
    o: Obj,
    inner: Inner,
    raw: RawLine,
    depth: number,
    text: string,
    sink: LineSink,
    allowSkip: boolean
  ): void {
    if (depth < MAX_ENVELOPE_DEPTH) {
      const env = unwrapObject(o) ?? unwrapCloudObject(o);
      if (env) {
        if (env.inner.length === 0) {
          sink.skip(`empty-envelope:${env.kind}`, raw);
        }
        for (const child of env.inner) {
          this.addInner(
            { ...child, labels: { ...inner.labels, ...child.labels }, ns: child.ns ?? inner.ns },
            raw,
            depth + 1,
            sink,
            allowSkip
          );
        }
        return;
      }
    }
    const parser = OBJECT_PARSERS.find((p) => p.detect(o));
    if (!parser) {
      const keys = Object.keys(o);
      sink.skip(
        'unknown-format',
        raw,
        `JSON object of no known format (${keys.length} keys)`,
        `keys ${keys.slice(0, 6).join(',')}`
      );
      return;
    }
    const lineText = text || textOf(o);
    sink.record();
    this.accept(sink, parseGuarded(parser, o, this.context(inner, raw, lineText)), raw);
  }

  /**
   * A JSON line cut short: what its prefix states still counts when it names the request (audit id, verb, URI,
   * user); the event is marked `truncated` and merges with the other stages of its audit id.
   */
  private addCutObject(text: string, inner: Inner, raw: RawLine, parseError: string, sink: LineSink): void {
    const o = salvageCutObject(text);
    const parser = o && statesWhoAndWhat(o) ? OBJECT_PARSERS.find((p) => p.detect(o)) : undefined;
    if (!o || !parser) {
      const fromMetadata = auditFromOtlpMetadata(inner.labels ?? {}, this.context(inner, raw, text));
      if (fromMetadata) {
        sink.record();
        sink.salvaged(raw, 'read from the OTLP structured metadata');
        this.accept(sink, { event: fromMetadata }, raw);
        return;
      }
      sink.skip('truncated-json', raw, `${parseError} (cut before the audit id, verb, URI and user)`, shapeOf(text));
      return;
    }
    sink.record();
    const result = parseGuarded(parser, o, this.context(inner, raw, text));
    if (!isSkip(result)) {
      result.event.truncated = true;
      sink.salvaged(raw, 'fields after the cut are missing');
    }
    this.accept(sink, result, raw);
  }

  private context(inner: Inner, raw: RawLine, text: string): ParseContext {
    const labels = inner.labels && hasKeys(inner.labels) ? inner.labels : NO_LABELS;
    const leftOut = this.readingBodies ? undefined : this.leftOutHere;
    if (labels === NO_LABELS && !inner.ns && !raw.origin) {
      return { raw: NO_RAW, fallbackNs: undefined, keepBodies: this.keepBodies, text, pool: this.pool, leftOut };
    }
    const ref: RawRef = { labels };
    if (inner.ns) {
      ref.ns = inner.ns;
    }
    if (raw.origin) {
      ref.origin = raw.origin;
    }
    return { raw: ref, fallbackNs: inner.ns, keepBodies: this.keepBodies, text, pool: this.pool, leftOut };
  }

  private accept(sink: LineSink, result: ParseResult, raw: RawLine): void {
    if (isSkip(result)) {
      sink.skip(result.skip, raw, result.detail);
      return;
    }
    scrubEventText(result.event);
    sink.event(result);
  }
}

export class ParseSession {
  private readonly parser: LineParser;
  private readonly byMergeKey = new Map<string, ChangeEvent | SkippedRead | WithheldRequest>();
  private readonly sharedIds = new Map<string, ChangeEvent[]>();
  // The same requests by signature (verb, URI, authenticated user): finding one is O(1) however often an ID repeats.
  private readonly sharedBySignature = new Map<string, Map<string, ChangeEvent>>();
  private readonly byId = new Map<string, ChangeEvent>();
  private readonly skipped: Record<string, SkipStat> = {};
  private readonly salvaged: Record<string, SkipStat> = {};
  private lines = 0;
  private records = 0;
  private duplicates = 0;
  private skippedTotal = 0;
  private readonly sink: LineSink = {
    skip: (reason, raw, detail, sample) => this.countSkip(reason, raw, detail, sample),
    salvaged: (raw, detail) => this.countSkip('truncated-salvaged', raw, detail, undefined, this.salvaged),
    record: () => this.records++,
    event: (parsed) => this.store(parsed),
    read: (facts, raw) => this.countRead(facts, raw),
  };
  /** For lines parsed again whose records were counted already (withheld where they were parsed). */
  private readonly recountSink: LineSink = { ...this.sink, record: () => undefined };

  constructor(options: ParseOptions = {}) {
    this.parser = new LineParser(options);
  }

  /** Add one raw line (or one whole JSON document, e.g. a Loki query_range response). */
  add(raw: RawLine): void {
    this.lines++;
    try {
      this.parser.line(raw, this.sink);
    } catch (e) {
      // Parsers validate their input; reaching here is a bug, but input must still never crash the caller.
      this.countSkip('internal-error', raw, e instanceof Error ? e.message : String(e));
    }
  }

  /** An input left out whole (a socket or a binary file in a directory), counted and shown like a skipped line. */
  skipInput(reason: string, origin: string): void {
    this.countSkip(reason, { text: '', origin });
  }

  /**
   * Lines a LineRecorder parsed elsewhere (a worker thread), applied in their order as if `add` had been given
   * them here. `rawOf(i)` is the i-th of those lines: its origin is the one events and skips name (the
   * recorder's lines need an origin too, any will do), its text is read only when a line counted as a read
   * must be parsed after all.
   */
  replay(recorded: RecordedLines, rawOf: (index: number) => RawLine): void {
    const ops = recorded.ops;
    let i = 0;
    for (let n = 0; n < recorded.lines; n++) {
      this.lines++;
      const raw = rawOf(n);
      try {
        for (let op = ops[i++]; op !== OP_END; op = ops[i++]) {
          if (op === OP_SKIP) {
            this.countSkip(ops[i] as string, raw, ops[i + 1] as string | undefined, ops[i + 2] as string | undefined);
            i += 3;
          } else if (op === OP_SALVAGED) {
            this.sink.salvaged(raw, ops[i++] as string);
          } else if (op === OP_RECORD) {
            this.records++;
          } else if (op === OP_EVENT) {
            const parsed = ops[i++] as Parsed;
            if (parsed.event.raw.origin !== undefined) {
              parsed.event.raw.origin = raw.origin;
            }
            this.store(parsed);
          } else if (op === OP_READ) {
            const facts = {
              auditID: ops[i] as string,
              stage: ops[i + 1] as string,
              verb: ops[i + 2] as string,
              requestURI: ops[i + 3] as string,
              user: ops[i + 4] as string,
            };
            i += 5;
            if (!this.countRead(facts, raw)) {
              this.parser.line(raw, this.sink, false);
            }
          } else if (op === OP_WITHHELD) {
            if (!this.countWithheld(ops[i++] as WithheldFacts, raw)) {
              // Its record was counted (OP_RECORD): parsed again, only its event is new here.
              this.parser.line(raw, this.recountSink, false);
            }
          } else {
            throw new Error(`recorded lines: unknown op ${String(op)}`);
          }
        }
      } catch (e) {
        this.countSkip('internal-error', raw, e instanceof Error ? e.message : String(e));
        // Operands are never numbers: the next OP_END ends this line.
        while (ops[i++] !== OP_END) {
          // skip the rest of the line
        }
      }
    }
  }

  private countSkip(reason: string, raw: RawLine, detail?: string, sample?: string, into = this.skipped): void {
    if (into === this.skipped) {
      this.skippedTotal++;
    }
    const stat = (into[reason] ??= { count: 0 });
    stat.count++;
    if (stat.example === undefined) {
      stat.example = raw.origin ?? (raw.ns ? `ns ${raw.ns}` : undefined);
      stat.detail = detail;
      if (sample !== undefined) {
        stat.sample = scrubText(sample);
      }
    }
  }

  private store(result: Parsed): void {
    if (result.mergeKey === undefined) {
      if (this.byId.has(result.event.id)) {
        this.duplicates++;
      } else {
        this.byId.set(result.event.id, result.event);
      }
      return;
    }
    this.storeStage(result.mergeKey, result);
  }

  /**
   * Lines of one request share a merge key (the audit ID). A client can reuse an Audit-ID for a different
   * request, so a line joins an event only if it is the same request (verb, URI, authenticated user); other
   * requests under the same ID are kept apart in `sharedIds`.
   */
  private storeStage(key: string, p: Parsed): void {
    let first = this.byMergeKey.get(key);
    if (first instanceof SkippedRead || first instanceof WithheldRequest) {
      if (first.replaying) {
        // Map.set keeps the key's place: the order of events is that of a session that parsed every line.
        this.byMergeKey.set(key, p.event);
        return;
      }
      this.parseSkipped(first);
      first = this.byMergeKey.get(key) as ChangeEvent;
    }
    if (!first) {
      this.byMergeKey.set(key, p.event);
      return;
    }
    // Events kept apart have a verb (a verb-less line joins `first`), and merging never changes their signature.
    const bySignature = this.sharedBySignature.get(key);
    const same = sameRequest(first, p.event) ? first : bySignature?.get(requestSignature(p.event));
    if (!same) {
      const others = this.sharedIds.get(key);
      if (others) {
        others.push(p.event);
      } else {
        this.sharedIds.set(key, [p.event]);
      }
      const index = bySignature ?? new Map<string, ChangeEvent>();
      index.set(requestSignature(p.event), p.event);
      this.sharedBySignature.set(key, index);
      return;
    }
    const stage = p.stage ?? '';
    // A request has four stages; more distinct ones under one ID are not news (and would make this check grow).
    if ((same.stages?.includes(stage) ?? stage === '') || (same.stages?.length ?? 0) >= MAX_STAGES) {
      this.duplicates++;
      return;
    }
    mergeStage(same, p.event, p.stage);
  }

  /**
   * A line that is certainly a read: counted as `storeStage` would count its event, or false when another line
   * of its audit ID is not a skipped read of the same request (then the line is parsed; see `parseSkipped`).
   */
  private countRead(facts: ReadFacts, raw: RawLine): boolean {
    const first = this.byMergeKey.get(facts.auditID);
    if (first === undefined) {
      const read = new SkippedRead(facts);
      read.lines.push(raw);
      read.stages.push(facts.stage);
      this.byMergeKey.set(facts.auditID, read);
      return true;
    }
    if (!(first instanceof SkippedRead) || first.replaying) {
      return false;
    }
    if (!first.sameRequest(facts)) {
      this.parseSkipped(first);
      return false;
    }
    first.lines.push(raw);
    // A certain read has one of the four stage names, so it never reaches MAX_STAGES.
    if (first.stages.includes(facts.stage)) {
      first.duplicates++;
    } else {
      first.stages.push(facts.stage);
    }
    return true;
  }

  /**
   * A line whose event was withheld where it was parsed: counted with its request's other withheld lines, or
   * false when another line of its audit ID is anything else (then the line is parsed here; see `parseSkipped`).
   */
  private countWithheld(facts: WithheldFacts, raw: RawLine): boolean {
    const first = this.byMergeKey.get(facts.mergeKey);
    if (first === undefined) {
      const request = new WithheldRequest(facts);
      request.lines.push(raw);
      this.byMergeKey.set(facts.mergeKey, request);
      return true;
    }
    if (!(first instanceof WithheldRequest) || first.replaying) {
      return false;
    }
    if (first.facts.request !== facts.request || first.facts.label !== facts.label) {
      this.parseSkipped(first);
      return false;
    }
    first.lines.push(raw);
    first.merge(facts);
    return true;
  }

  /** Parse the lines of a skipped read (or withheld request) after all, in their order, as if never skipped. */
  private parseSkipped(read: SkippedRead | WithheldRequest): void {
    read.replaying = true;
    // A withheld line's record was counted when it was applied; a skipped read's lines are counted now.
    const sink = read instanceof WithheldRequest ? this.recountSink : this.sink;
    for (const raw of read.lines) {
      this.parser.line(raw, sink, false);
    }
  }

  /** The events so far, sorted by time (records without a time first), with ids made unique. */
  /**
   * The events parsed so far, for planning what to read next (the Loki trace's phase 2), without finishing:
   * nothing is counted or renamed, so a request whose Audit-ID another shares still has its plain id here.
   */
  eventsSoFar(): ChangeEvent[] {
    const events: ChangeEvent[] = [...this.byId.values()];
    for (const [key, first] of this.byMergeKey) {
      if (!(first instanceof SkippedRead || first instanceof WithheldRequest)) {
        events.push(first, ...(this.sharedIds.get(key) ?? []));
      }
    }
    return events.filter((e) => e.verb !== '').sort(compareEvents);
  }

  finish(): ParseSummary {
    const events: ChangeEvent[] = [...this.byId.values()];
    let skippedReads = 0;
    let linesOfSkippedReads = 0;
    let duplicatesOfSkippedReads = 0;
    const withheld: WithheldEvent[] = [];
    for (const [key, first] of this.byMergeKey) {
      if (first instanceof WithheldRequest) {
        withheld.push({ label: first.facts.label, id: first.facts.id, time: first.time, ns: first.ns });
        duplicatesOfSkippedReads += first.duplicates;
        continue;
      }
      if (first instanceof SkippedRead) {
        skippedReads++;
        linesOfSkippedReads += first.lines.length;
        duplicatesOfSkippedReads += first.duplicates;
        continue;
      }
      const group = [first, ...(this.sharedIds.get(key) ?? [])];
      for (const event of group) {
        if (event.verb === '') {
          // A legacy-format response line whose request line never arrived.
          this.countSkip(`${event.source}:response-without-request`, {
            text: '',
            origin: event.raw.origin,
            ns: event.raw.ns,
          });
          continue;
        }
        if (group.length > 1) {
          // Same Audit-ID, different requests: ids that do not depend on arrival order.
          event.id = `${event.id}~${fnv1a(requestSignature(event))}`;
        }
        events.push(event);
      }
    }
    events.sort(compareEvents);
    const summary: ParseSummary = {
      events,
      skipped: this.skipped,
      salvaged: this.salvaged,
      stats: {
        lines: this.lines,
        records: this.records + linesOfSkippedReads,
        events: events.length + skippedReads + withheld.length,
        duplicates: this.duplicates + duplicatesOfSkippedReads,
        skipped: this.skippedTotal,
      },
    };
    if (withheld.length > 0) {
      summary.withheld = withheld;
    }
    return summary;
  }
}

/** `2026-03-02 stdout {"a":` → `9999-99-99 aaaaaa {"a":`: the look of a line without what it says. */
function shapeOf(text: string): string {
  return text.slice(0, 80).replace(/\p{L}/gu, 'a').replace(/\p{N}/gu, '9');
}

/** The JSON text of an inner record (for content-derived ids); a record too deep to print is named by its keys. */
function textOf(o: Obj): string {
  try {
    return JSON.stringify(o);
  } catch {
    return `{${Object.keys(o).join(',')}}`;
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
