import type { FrameLike } from './frames';
import type { RawLine } from '../parse/types';

/**
 * How core reads log lines from Loki. LokiClient implements it over Loki's HTTP API; the data source plugs in
 * Grafana's own Loki data source behind the same interface, so the two-phase fetch is the same code for both.
 */
export interface LokiTransport {
  /**
   * Every line of `logql` in [startMs, endMs), oldest first, with warnings for anything not read; with
   * `maxLines`, only the oldest that many. `onPage`, when the transport pages, hears each page's new lines in
   * the order of the answer (PagingOptions.onPage); a transport that does not page never calls it, and a caller
   * checks what it heard against the answer before relying on it.
   */
  queryRange(
    logql: string,
    startMs: number,
    endMs: number,
    signal?: AbortSignal,
    maxLines?: number,
    onPage?: (piece: number, lines: RawLine[]) => void
  ): Promise<{ lines: RawLine[]; warnings: string[]; requests: number }>;
  /** A metric query at `stepMs`, as frames (the source health page); transports that cannot leave it out. */
  queryMetric?(logql: string, startMs: number, endMs: number, stepMs: number): Promise<FrameLike[]>;
}
