/**
 * The data source's Web Worker (webpack entry datasource/traceWorker, beside module.js): the trace runner behind
 * the worker's messages. It imports core and the runner only — nothing Grafana shares through SystemJS, which a
 * worker does not have.
 */
import type { FromRunner, ToRunner } from './traceMessages';
import { TraceRunner } from './traceRunner';

const scope = self as unknown as {
  postMessage(m: FromRunner): void;
  addEventListener(type: 'message', l: (e: MessageEvent<ToRunner>) => void): void;
};
const runner = new TraceRunner((m) => scope.postMessage(m));
scope.addEventListener('message', (e) => runner.receive(e.data));
