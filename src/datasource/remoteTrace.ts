import type { ChangeEvent, LokiTransport, RawLine } from '../core';
import { appendColumns, emptyColumns } from './chainColumns';
import {
  partsOf,
  type ChainsPart,
  type Detail,
  type DetailItems,
  type FromRunner,
  type RunnerPort,
  type ToRunner,
  type TraceRequest,
  type TraceSummary,
} from './traceMessages';
import { TraceRunner } from './traceRunner';

/**
 * The main-thread side of a trace: starts the runner (a Web Worker from the plugin's public path, else the same
 * thread), answers its Loki queries through Grafana's transport page by page, and gathers the chains it sends.
 * Cancelling (the signal) terminates the worker and stops the Loki requests.
 */

export interface TraceAnswer extends TraceSummary {
  /** Every event the trace kept (events mode), asked of the runner when first wanted. */
  events(): Promise<ChangeEvent[]>;
  /** The phase-1 lines (logs mode), asked of the runner when first wanted. */
  effectLines(): Promise<RawLine[]>;
}

export interface RemoteTrace {
  answer: Promise<TraceAnswer>;
  /** Ends the runner (a worker is terminated): a shared trace nobody can ask anything more. */
  stop(): void;
}

export function startTrace(
  port: RunnerPort,
  transport: LokiTransport,
  request: TraceRequest,
  signal: AbortSignal
): RemoteTrace {
  const abort = new AbortController();
  const summary: Pick<TraceSummary, 'chains' | 'records' | 'columns'> = {
    chains: [],
    records: [],
    columns: emptyColumns(),
  };
  const details = new Map<
    number,
    { items: unknown[]; resolve: (items: unknown[]) => void; reject: (e: Error) => void }
  >();
  const asked = new Map<Detail, Promise<unknown[]>>();
  let nextAsk = 0;
  let stopped = false;
  let settle: { resolve: (a: TraceAnswer) => void; reject: (e: Error) => void } | undefined;
  const answer = new Promise<TraceAnswer>((resolve, reject) => (settle = { resolve, reject }));
  const post = (m: ToRunner) => {
    if (!stopped) {
      port.post(m);
    }
  };
  const fail = (e: Error) => {
    settle?.reject(e);
    details.forEach((d) => d.reject(e));
    details.clear();
    stop();
  };
  const stop = () => {
    if (!stopped) {
      stopped = true;
      abort.abort();
      port.terminate();
    }
  };
  const detail = (d: Detail): Promise<unknown[]> => {
    let p = asked.get(d);
    if (!p) {
      p = new Promise<unknown[]>((resolve, reject) => {
        if (stopped) {
          reject(new Error('the trace has ended: run the query again'));
          return;
        }
        const ask = nextAsk++;
        details.set(ask, { items: [], resolve, reject });
        post({ type: 'detail', ask, detail: d });
      });
      asked.set(d, p);
    }
    return p;
  };
  const query = async (m: Extract<FromRunner, { type: 'query' }>) => {
    let paged = false;
    try {
      const r = await transport.queryRange(m.logql, m.from, m.to, abort.signal, m.maxLines, (piece, lines) => {
        paged = true;
        post({ type: 'page', query: m.query, piece, lines });
      });
      if (!paged) {
        // A transport that does not page: its answer goes over in parts all the same.
        partsOf(r.lines).forEach((lines) => post({ type: 'page', query: m.query, piece: 0, lines }));
      }
      post({ type: 'answered', query: m.query, lines: r.lines.length, warnings: r.warnings, requests: r.requests });
    } catch (e) {
      post({ type: 'failed', query: m.query, message: e instanceof Error ? e.message : String(e) });
    }
  };
  port.onMessage((m) => {
    switch (m.type) {
      case 'query':
        void query(m);
        return;
      case 'chains': {
        const part = JSON.parse(m.json) as ChainsPart;
        for (const [chain, records] of part.rows) {
          summary.chains.push(chain);
          summary.records.push(records);
        }
        appendColumns(summary.columns, part.columns);
        return;
      }
      case 'traced':
        settle?.resolve({
          ...summary,
          ...m.meta,
          events: () => detail('events') as Promise<ChangeEvent[]>,
          effectLines: () => detail('effectLines') as Promise<RawLine[]>,
        });
        return;
      case 'error':
        fail(new Error(m.message));
        return;
      case 'items':
        (JSON.parse(m.json) as DetailItems).forEach((x: unknown) => details.get(m.ask)?.items.push(x));
        return;
      case 'detailed':
        details.get(m.ask)?.resolve(details.get(m.ask)?.items ?? []);
        details.delete(m.ask);
        return;
    }
  });
  port.onFailure((reason) => fail(new Error(`the trace stopped: ${reason}`)));
  signal.addEventListener('abort', () => fail(new Error('cancelled')), { once: true });
  post({ type: 'trace', request });
  return { answer, stop };
}

/** The runner on this thread, behind the same asynchronous, message-by-message channel a worker has. */
export function sameThreadPort(): RunnerPort {
  let listener: ((m: FromRunner) => void) | undefined;
  let ended = false;
  const runner = new TraceRunner((m) => setTimeout(() => !ended && listener?.(m), 0));
  return {
    post: (m) => setTimeout(() => !ended && runner.receive(m), 0),
    onMessage: (l) => (listener = l),
    onFailure: () => undefined,
    terminate: () => {
      ended = true;
      runner.stop();
    },
  };
}

/** A Web Worker running traceWorker.ts, or undefined when this page cannot start one from `url`. */
export function workerPort(url: string): RunnerPort | undefined {
  if (typeof Worker === 'undefined') {
    return undefined;
  }
  let worker: Worker;
  try {
    // Throws when the URL is of another origin (a plugin served from a CDN) or the page forbids workers.
    worker = new Worker(url, { name: 'provenance-trace' });
  } catch {
    return undefined;
  }
  return {
    post: (m) => worker.postMessage(m),
    onMessage: (l) => worker.addEventListener('message', (e: MessageEvent<FromRunner>) => l(e.data)),
    onFailure: (l) =>
      worker.addEventListener('error', (e: ErrorEvent) => {
        e.preventDefault();
        l(e.message || 'the trace worker could not run');
      }),
    terminate: () => worker.terminate(),
  };
}

/**
 * The worker when it starts, else the same thread: a worker whose script never runs (not found, refused by the
 * page's policy) fails before it says anything, and what was posted to it is replayed on this thread.
 */
export function runnerPort(url: string | undefined): RunnerPort {
  const worker = url ? workerPort(url) : undefined;
  if (!worker) {
    return sameThreadPort();
  }
  let current: RunnerPort = worker;
  let heard = false;
  const posted: ToRunner[] = [];
  let listener: ((m: FromRunner) => void) | undefined;
  let failure: ((reason: string) => void) | undefined;
  worker.onMessage((m) => {
    heard = true;
    posted.length = 0;
    listener?.(m);
  });
  worker.onFailure((reason) => {
    if (heard) {
      failure?.(reason);
      return;
    }
    worker.terminate();
    current = sameThreadPort();
    current.onMessage((m) => listener?.(m));
    posted.splice(0).forEach((m) => current.post(m));
  });
  return {
    post: (m) => {
      if (!heard && current === worker) {
        posted.push(m);
      }
      current.post(m);
    },
    onMessage: (l) => (listener = l),
    onFailure: (l) => (failure = l),
    terminate: () => current.terminate(),
  };
}

declare const __webpack_public_path__: string | undefined;

/**
 * traceWorker.js beside the data source's module.js. Webpack's public path is set at run time to the folder of the
 * URL SystemJS loaded module.js from (.config/webpack grafana-public-path.js: `amd-module` → `module.uri`); for
 * this nested plugin Grafana serves that from `public/plugins/<app id>/datasource/`, i.e. dist/datasource/
 * (pkg/plugins/manager/loader/assetpath/assetpath.go `Module`). From a plugin CDN the URL is of another origin
 * and no worker starts: the trace runs on the page's thread. Undefined outside a bundle (tests).
 */
export function traceWorkerUrl(): string | undefined {
  if (typeof __webpack_public_path__ !== 'string' || typeof document === 'undefined') {
    return undefined;
  }
  return new URL('traceWorker.js', new URL(__webpack_public_path__, document.baseURI)).href;
}
