import type {
  Chain,
  ChainRecord,
  ChangeEvent,
  CorrelateOptions,
  ExcludedCounts,
  LokiTrace,
  Question,
  RawLine,
  StreamSelectors,
} from '../core';
import type { ChainColumns } from './chainColumns';

/**
 * The messages between the data source (main thread: Loki requests through Grafana) and the trace runner (a Web
 * Worker, or the same thread where workers cannot start). Every message is structured-cloneable data: no
 * functions, no class instances. What comes back (chains, events) travels as JSON text in parts of at most
 * ANSWER_PART items: a string crosses as one copy, and parsing a part is one short task, where decoding the
 * same objects from a structured clone costs the main thread several times more (bench:datasource).
 */

/** Lines per message when a transport's answer did not come in pages. */
export const PART_SIZE = 1000;
/** Events or lines per detail message: one part is parsed in one main-thread task. */
export const ANSWER_PART = 200;
/**
 * JSON characters per chains message, about: a chain with its records (raw lines) is a few KB, and one part must
 * parse in a few ms on a busy machine.
 */
export const CHAINS_PART_CHARS = 64 * 1024;

export interface TraceRequest {
  question: Question & { from: number; to: number };
  selectors: StreamSelectors;
  options: Partial<CorrelateOptions>;
}

/** What the main thread keeps of a trace: the chains, each chain's records (raw lines resolved), and the counts. */
export interface TraceSummary {
  chains: Chain[];
  /** The records behind each chain, in the order of `chains` (chainRecords, computed where the lines are). */
  records: ChainRecord[][];
  /** The chains frame's columns, in the order of `chains` (chainColumns). */
  columns: ChainColumns;
  excluded: ExcludedCounts;
  excludedInLoki: string[];
  warnings: string[];
  skipped: LokiTrace['parsed']['skipped'];
  queries: LokiTrace['queries'];
}

export type TraceMeta = Omit<TraceSummary, 'chains' | 'records' | 'columns'>;

/** A part of the trace asked for later (events mode, logs mode). */
export type Detail = 'events' | 'effectLines';

export type ToRunner =
  | { type: 'trace'; request: TraceRequest }
  /** Lines of one Loki page of query `query`, piece `piece` (PagingOptions.onPage), as they arrive. */
  | { type: 'page'; query: number; piece: number; lines: RawLine[] }
  /** Query `query` is read whole: `lines` lines in all (after the cut to maxLines), with Loki's warnings. */
  | { type: 'answered'; query: number; lines: number; warnings: string[]; requests: number }
  | { type: 'failed'; query: number; message: string }
  | { type: 'detail'; ask: number; detail: Detail };

export type FromRunner =
  | { type: 'query'; query: number; logql: string; from: number; to: number; maxLines?: number }
  /** A ChainsPart as JSON. */
  | { type: 'chains'; json: string }
  | { type: 'traced'; meta: TraceMeta }
  | { type: 'error'; message: string }
  /** Events or lines of a detail, as a JSON array. */
  | { type: 'items'; ask: number; json: string }
  | { type: 'detailed'; ask: number };

export interface ChainsPart {
  /** Each chain with its records. */
  rows: Array<[Chain, ChainRecord[]]>;
  /** The chains frame's columns of these rows. */
  columns: ChainColumns;
}

/** What a detail's items are. */
export type DetailItems = ChangeEvent[] | RawLine[];

/** Either end of the channel: a Worker, or the same-thread runner behind the same shape. */
export interface RunnerPort {
  post(message: ToRunner): void;
  onMessage(listener: (message: FromRunner) => void): void;
  /** A runner that dies (a worker's script error) says why here. */
  onFailure(listener: (reason: string) => void): void;
  terminate(): void;
}

/** Splits `items` into parts of `size`. */
export function partsOf<T>(items: readonly T[], size = PART_SIZE): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    parts.push(items.slice(i, i + size));
  }
  return parts;
}
