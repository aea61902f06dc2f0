import type { ChangeEvent, RawRef, SourceKind } from '../model';
import type { InternPool } from './intern';

/** One line as a transport hands it to the parsers, with where it came from. */
export interface RawLine {
  text: string;
  /** Loki stream labels (index labels, plus structured metadata / parsed labels when known). */
  labels?: Record<string, string>;
  /** Loki entry timestamp, ns epoch string. */
  ns?: string;
  /** `file:line` for lines read from files. */
  origin?: string;
  /** The text is a whole JSON document (e.g. a saved Loki response), not one log line: no line-size limit. */
  document?: boolean;
}

/** A line that did not become an event, and why. `reason` is a stable `source:code` key used for counting. */
export interface Skip {
  skip: string;
  detail?: string;
}

export interface Parsed {
  event: ChangeEvent;
  /**
   * Lines of one request (kube-apiserver stages, Rancher v2.0 stages) share this key and are collapsed into
   * one event carrying the final outcome.
   */
  mergeKey?: string;
  stage?: string;
}

export type ParseResult = Parsed | Skip;

export interface ParseContext {
  raw: RawRef;
  /** Envelope time (Loki entry, CRI/docker/logcli timestamp) used only when the record has no time of its own. */
  fallbackNs?: string;
  /** Keep (redacted) request/response bodies on events. Off by default: memory. */
  keepBodies: boolean;
  /** Line text, for content-derived ids of records that carry no natural key. */
  text: string;
  /** Shared copies of repeated strings (see intern.ts); parsers of high-volume sources use it. */
  pool: InternPool;
  /**
   * True for an event that will be left out where it is parsed (LineRecorder's `withhold`): a parser need not
   * read its request and response bodies. Asked with the event as it is before its bodies are read.
   */
  leftOut?: (event: ChangeEvent) => boolean;
}

/** A parser for records that arrive as a JSON object. */
export interface ObjectParser {
  id: string;
  source: SourceKind;
  /** Cheap shape test; the first parser whose `detect` is true owns the record. */
  detect(o: Record<string, unknown>): boolean;
  parse(o: Record<string, unknown>, ctx: ParseContext): ParseResult;
}

/** A parser for records that arrive as a text line (logfmt, legacy audit text). */
export interface TextParser {
  id: string;
  source: SourceKind;
  detect(line: string): boolean;
  parse(line: string, ctx: ParseContext): ParseResult;
}

export function isSkip(r: ParseResult): r is Skip {
  return (r as Skip).skip !== undefined;
}

export function skip(source: string, code: string, detail?: string): Skip {
  return { skip: `${source}:${code}`, detail };
}
