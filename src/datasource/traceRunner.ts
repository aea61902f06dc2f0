import { chainRecords, traceOverLoki, type LokiTrace, type LokiTransport, type RawLine } from '../core';
import { chainColumns } from './chainColumns';
import {
  ANSWER_PART,
  CHAINS_PART_CHARS,
  partsOf,
  type FromRunner,
  type ToRunner,
  type TraceRequest,
} from './traceMessages';

/**
 * The trace side of the channel (in the Web Worker, or on the main thread where no worker starts): core's
 * two-phase trace over a transport whose every query is asked of the main thread, which reads Loki through
 * Grafana and hands each page over as it arrives. Parsing and correlating happen here; what goes back is the
 * chains with their records, in parts, and the events or phase-1 lines when a query's mode asks for them.
 */
export class TraceRunner {
  private readonly abort = new AbortController();
  private readonly pending = new Map<number, PendingQuery>();
  private nextQuery = 0;
  private trace?: LokiTrace;

  constructor(private readonly send: (message: FromRunner) => void) {}

  receive(m: ToRunner): void {
    switch (m.type) {
      case 'trace':
        void this.run(m.request);
        return;
      case 'page': {
        const q = this.pending.get(m.query);
        if (q) {
          const piece = (q.pieces[m.piece] ??= []);
          for (const l of m.lines) {
            piece.push(l);
          }
        }
        return;
      }
      case 'answered': {
        const q = this.pending.get(m.query);
        this.pending.delete(m.query);
        const all = q?.pieces.flat() ?? [];
        const lines = q?.maxLines !== undefined ? all.slice(0, q.maxLines) : all;
        if (lines.length !== m.lines) {
          // Pages lost on the way would be a partial answer presented as whole: fail instead.
          q?.reject(new Error(`the trace got ${lines.length} of the ${m.lines} lines Loki answered`));
        } else {
          q?.resolve({ lines, warnings: m.warnings, requests: m.requests });
        }
        return;
      }
      case 'failed':
        this.pending.get(m.query)?.reject(new Error(m.message));
        this.pending.delete(m.query);
        return;
      case 'detail': {
        const items = m.detail === 'events' ? this.trace?.parsed.events : this.trace?.effectLines;
        for (const part of partsOf<unknown>(items ?? [], ANSWER_PART)) {
          this.send({ type: 'items', ask: m.ask, json: JSON.stringify(part) });
        }
        this.send({ type: 'detailed', ask: m.ask });
        return;
      }
    }
  }

  /** Stops the trace (the same-thread runner's terminate): pending queries fail, nothing more is sent. */
  stop(): void {
    this.abort.abort();
    for (const q of this.pending.values()) {
      q.reject(new Error('cancelled'));
    }
    this.pending.clear();
  }

  private readonly transport: LokiTransport = {
    queryRange: (logql, from, to, _signal, maxLines) =>
      new Promise((resolve, reject) => {
        if (this.abort.signal.aborted) {
          reject(new Error('cancelled'));
          return;
        }
        const query = this.nextQuery++;
        this.pending.set(query, { pieces: [], maxLines, resolve, reject });
        this.send({ type: 'query', query, logql, from, to, maxLines });
      }),
  };

  private async run(r: TraceRequest): Promise<void> {
    try {
      const trace = await traceOverLoki(this.transport, r.question, r.selectors, r.options, this.abort.signal);
      if (this.abort.signal.aborted) {
        return;
      }
      this.trace = trace;
      const byId = new Map(trace.parsed.events.map((e) => [e.id, e]));
      // Parts of about CHAINS_PART_CHARS: the JSON of a ChainsPart, written row by row.
      let rows: string[] = [];
      let chars = 0;
      let first = 0;
      const flush = (end: number) => {
        const columns = JSON.stringify(chainColumns(trace.chains.slice(first, end), r.selectors));
        this.send({ type: 'chains', json: `{"rows":[${rows.join(',')}],"columns":${columns}}` });
        rows = [];
        chars = 0;
        first = end;
      };
      trace.chains.forEach((c, i) => {
        const row = JSON.stringify([c, chainRecords(c, byId, r.selectors, trace.lineOf)]);
        rows.push(row);
        chars += row.length;
        if (chars >= CHAINS_PART_CHARS) {
          flush(i + 1);
        }
      });
      if (rows.length > 0) {
        flush(trace.chains.length);
      }
      this.send({
        type: 'traced',
        meta: {
          excluded: trace.excluded,
          excludedInLoki: trace.excludedInLoki,
          warnings: trace.warnings,
          skipped: trace.parsed.skipped,
          queries: trace.queries,
        },
      });
    } catch (e) {
      if (!this.abort.signal.aborted) {
        this.send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      }
    }
  }
}

interface PendingQuery {
  pieces: RawLine[][];
  maxLines?: number;
  resolve: (r: { lines: RawLine[]; warnings: string[]; requests: number }) => void;
  reject: (e: Error) => void;
}
