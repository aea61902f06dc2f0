import { deserialize, serialize } from 'node:v8';

import { chainRecords, DEFAULT_SELECTORS, traceOverLoki, type LokiTransport, type RawLine } from '../core';
import { FakeLokiDataSource, scenarioLokiLines } from '../../tests/support/fakeLokiDataSource';
import { stubGrafanaRuntime } from '../../tests/support/grafanaRuntime';
import { GrafanaLokiTransport } from './grafanaLokiTransport';
import { runnerPort, sameThreadPort, startTrace } from './remoteTrace';
import type { FromRunner, RunnerPort, ToRunner, TraceRequest } from './traceMessages';
import { TraceRunner } from './traceRunner';

const START = Date.UTC(2026, 2, 2, 10);
const loki = new FakeLokiDataSource();
const request: TraceRequest = {
  question: { from: START - 600_000, to: START + 4 * 2_400_000 },
  selectors: DEFAULT_SELECTORS,
  options: {},
};

beforeAll(() => {
  loki.add(scenarioLokiLines(400, START));
  stubGrafanaRuntime(loki);
});

/** Small pages, so every query arrives in several. */
const transport = () => new GrafanaLokiTransport('loki-test', 5);

/** The answer as core gives it on one thread, with no channel between: what the channel must not change. */
async function direct() {
  const t = await traceOverLoki(transport(), request.question, request.selectors, request.options);
  const byId = new Map(t.parsed.events.map((e) => [e.id, e]));
  return { trace: t, records: t.chains.map((c) => chainRecords(c, byId, request.selectors, t.lineOf)) };
}

/**
 * A worker as the browser gives one: the runner on the other side, every message structured-cloned (v8's
 * serializer, which refuses functions as structuredClone does) and delivered in a later task. Records the traffic.
 */
function clonedPort(traffic: { toRunner: ToRunner[]; fromRunner: FromRunner[] } = { toRunner: [], fromRunner: [] }) {
  const clone = <T>(m: T): T => deserialize(serialize(m)) as T;
  let listener: ((m: FromRunner) => void) | undefined;
  let ended = false;
  const runner = new TraceRunner((m) => {
    traffic.fromRunner.push(m);
    const copy = clone(m);
    setTimeout(() => !ended && listener?.(copy), 0);
  });
  const port: RunnerPort & { terminated: boolean } = {
    terminated: false,
    post: (m) => {
      traffic.toRunner.push(m);
      const copy = clone(m);
      setTimeout(() => !ended && runner.receive(copy), 0);
    },
    onMessage: (l) => (listener = l),
    onFailure: () => undefined,
    terminate: () => {
      ended = true;
      port.terminated = true;
      runner.stop();
    },
  };
  return port;
}

describe('the trace channel (data source ↔ worker)', () => {
  it('gives the chains, their records, counts and details core gives on one thread, page by page', async () => {
    const expected = await direct();
    expect(expected.trace.chains.length).toBeGreaterThan(5);
    const traffic = { toRunner: [] as ToRunner[], fromRunner: [] as FromRunner[] };
    const remote = startTrace(clonedPort(traffic), transport(), request, new AbortController().signal);
    const a = await remote.answer;
    expect(a.chains).toEqual(expected.trace.chains);
    expect(a.records).toEqual(expected.records);
    expect(a.warnings).toEqual(expected.trace.warnings);
    expect(a.excluded).toEqual(expected.trace.excluded);
    expect(a.skipped).toEqual(expected.trace.parsed.skipped);
    // Phase 2's queries run side by side: they are listed as they finish.
    const byText = (q: { logql: string; from: number }) => `${q.logql} ${q.from}`;
    expect(a.queries.map(byText).sort()).toEqual(expected.trace.queries.map(byText).sort());
    expect(a.queries[0]).toEqual(expected.trace.queries[0]);
    expect(await a.events()).toEqual(expected.trace.parsed.events);
    expect(await a.effectLines()).toEqual(expected.trace.effectLines);
    // Each query's lines went over as the pages came (5 lines at most), never as one message.
    const pages = traffic.toRunner.filter((m): m is Extract<ToRunner, { type: 'page' }> => m.type === 'page');
    const asked = traffic.fromRunner.filter((m): m is Extract<FromRunner, { type: 'query' }> => m.type === 'query');
    const biggest = [...a.queries].sort((x, y) => y.lines - x.lines)[0];
    const id = asked.find((q) => q.logql === biggest.logql && q.from === biggest.from)?.query;
    expect(biggest.lines).toBeGreaterThan(10);
    expect(pages.filter((p) => p.query === id).length).toBeGreaterThanOrEqual(Math.ceil(biggest.lines / 5));
    expect(Math.max(...pages.map((p) => p.lines.length))).toBeLessThanOrEqual(5);
    expect(asked).toHaveLength(expected.trace.queries.length);
    remote.stop();
  });

  it('rebuilds a query from pages in piece order, however they arrive', async () => {
    const line = (i: number): RawLine => ({ text: `{"n":${i}}`, ns: `${1000 + i}000000` });
    const pieces = [[0, 1], [2, 3, 4], [5]].map((p) => p.map(line));
    const outOfOrder: LokiTransport = {
      queryRange: (_q, _f, _t, _s, _m, onPage) => {
        onPage?.(1, pieces[1].slice(0, 2));
        onPage?.(2, pieces[2]);
        onPage?.(0, pieces[0]);
        onPage?.(1, pieces[1].slice(2));
        return Promise.resolve({ lines: pieces.flat(), warnings: [], requests: 4 });
      },
    };
    const runner = new TraceRunner(() => undefined);
    // The runner's transport as traceOverLoki sees it: a query answered over the channel.
    const asked = (runner as unknown as { transport: LokiTransport }).transport.queryRange('{x="y"}', 0, 1);
    const answer = await outOfOrder.queryRange('{x="y"}', 0, 1, undefined, undefined, (piece, lines) =>
      runner.receive({ type: 'page', query: 0, piece, lines })
    );
    runner.receive({ type: 'answered', query: 0, lines: answer.lines.length, warnings: [], requests: 4 });
    expect((await asked).lines.map((l) => l.text)).toEqual([
      '{"n":0}',
      '{"n":1}',
      '{"n":2}',
      '{"n":3}',
      '{"n":4}',
      '{"n":5}',
    ]);
  });

  it('a page lost on the way fails the answer instead of presenting part of it as whole', async () => {
    const losing: LokiTransport = {
      queryRange: async (logql, from, to, signal, maxLines, onPage) => {
        let first = true;
        const r = await transport().queryRange(logql, from, to, signal, maxLines, (piece, lines) => {
          if (!first) {
            onPage?.(piece, lines);
          }
          first = false;
        });
        return r;
      },
    };
    const remote = startTrace(clonedPort(), losing, request, new AbortController().signal);
    await expect(remote.answer).rejects.toThrow(/the trace got \d+ of the \d+ lines Loki answered/);
  });

  it('a Loki error reaches the answer with its message', async () => {
    const failing: LokiTransport = {
      queryRange: () => Promise.reject(new Error('Loki data source: too many outstanding requests')),
    };
    const remote = startTrace(clonedPort(), failing, request, new AbortController().signal);
    await expect(remote.answer).rejects.toThrow('Loki data source: too many outstanding requests');
  });

  it('cancelling terminates the runner and aborts the Loki request in flight', async () => {
    let seen: AbortSignal | undefined;
    const hanging: LokiTransport = {
      queryRange: (_q, _f, _t, signal) => {
        seen = signal;
        return new Promise(() => undefined);
      },
    };
    const port = clonedPort();
    const abort = new AbortController();
    const remote = startTrace(port, hanging, request, abort.signal);
    while (!seen) {
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(port.terminated).toBe(false);
    abort.abort();
    expect(port.terminated).toBe(true);
    expect(seen.aborted).toBe(true);
    await expect(remote.answer).rejects.toThrow('cancelled');
  });

  it('a worker that dies after it started fails the answer with the reason', async () => {
    let fail: (reason: string) => void = () => undefined;
    const port: RunnerPort = {
      post: () => undefined,
      onMessage: () => undefined,
      onFailure: (l) => (fail = l),
      terminate: () => undefined,
    };
    const remote = startTrace(port, transport(), request, new AbortController().signal);
    fail('out of memory');
    await expect(remote.answer).rejects.toThrow('the trace stopped: out of memory');
  });
});

describe('where no worker runs, the same thread', () => {
  const realWorker = (globalThis as { Worker?: unknown }).Worker;
  afterEach(() => {
    (globalThis as { Worker?: unknown }).Worker = realWorker;
  });

  /** The runner `runnerPort(url)` gives answers the question as core does on this thread. */
  const expectCoreAnswerThrough = async (url: string) => {
    const expected = await direct();
    const remote = startTrace(runnerPort(url), transport(), request, new AbortController().signal);
    expect((await remote.answer).chains).toEqual(expected.trace.chains);
  };

  it('without Worker (this jsdom has none) the runner is on this thread and answers as core does', async () => {
    expect(typeof Worker).toBe('undefined');
    await expectCoreAnswerThrough('http://grafana.example/traceWorker.js');
  });

  it('a worker the page refuses (another origin) falls back at once', async () => {
    (globalThis as { Worker?: unknown }).Worker = class {
      constructor() {
        throw new DOMException('Script at cdn.example cannot be accessed from origin grafana.example', 'SecurityError');
      }
    };
    await expectCoreAnswerThrough('https://cdn.example/traceWorker.js');
  });

  it('a worker whose script never runs (not found) falls back, and what was posted to it is replayed', async () => {
    const started: string[] = [];
    (globalThis as { Worker?: unknown }).Worker = class {
      private readonly listeners: Record<string, Array<(e: unknown) => void>> = {};
      terminated = false;
      constructor(url: string) {
        started.push(url);
        // As a browser reports a worker script that 404s: an error event, no message ever.
        setTimeout(() => this.listeners.error?.forEach((l) => l({ message: '', preventDefault: () => undefined })), 5);
      }
      addEventListener(type: string, l: (e: unknown) => void) {
        (this.listeners[type] ??= []).push(l);
      }
      postMessage() {}
      terminate() {
        this.terminated = true;
      }
    };
    await expectCoreAnswerThrough('http://grafana.example/traceWorker.js');
    expect(started).toEqual(['http://grafana.example/traceWorker.js']);
  });

  it('the same-thread runner stops on terminate: no Loki request after it', async () => {
    let requests = 0;
    const counting: LokiTransport = {
      queryRange: (...args) => {
        requests++;
        return transport().queryRange(...args);
      },
    };
    const port = sameThreadPort();
    const abort = new AbortController();
    const remote = startTrace(port, counting, request, abort.signal);
    const failed = expect(remote.answer).rejects.toThrow('cancelled');
    while (requests === 0) {
      await new Promise((r) => setTimeout(r, 1));
    }
    abort.abort();
    await failed;
    await new Promise((r) => setTimeout(r, 50));
    expect(requests).toBe(1);
  });
});
