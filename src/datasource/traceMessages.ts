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
 * functions, no class instances. Large answers travel in parts of at most PART_SIZE items, so no single message
 * makes the main thread decode a whole answer in one task.
 */

export const PART_SIZE = 1000;

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
  | { type: 'chains'; chains: Chain[]; records: ChainRecord[][]; columns: ChainColumns }
  | { type: 'traced'; meta: TraceMeta }
  | { type: 'error'; message: string }
  | { type: 'items'; ask: number; items: ChangeEvent[] | RawLine[] }
  | { type: 'detailed'; ask: number };

/** Either end of the channel: a Worker, or the same-thread runner behind the same shape. */
export interface RunnerPort {
  post(message: ToRunner): void;
  onMessage(listener: (message: FromRunner) => void): void;
  /** A runner that dies (a worker's script error) says why here. */
  onFailure(listener: (reason: string) => void): void;
  terminate(): void;
}

/** Splits `items` into parts of PART_SIZE. */
export function partsOf<T>(items: readonly T[]): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += PART_SIZE) {
    parts.push(items.slice(i, i + PART_SIZE));
  }
  return parts;
}
