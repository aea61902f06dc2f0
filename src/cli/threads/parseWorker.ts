import { isMainThread, parentPort, workerData } from 'node:worker_threads';

import {
  LineParser,
  LineRecorder,
  withholdRoutine,
  type ChangeEvent,
  type ParseOptions,
  type RawLine,
  type RecordedLines,
  type RoutineClass,
} from '../../core';
import { CliError } from '../io';
import { OpenFiles, readRange } from './fileRanges';

/**
 * The work one thread does: the lines of a byte range of a plain file (read here), or lines read by the main
 * thread (stdin, FIFOs, .gz, whole documents), parsed and recorded for the main thread's session to apply in
 * input order. Run in a worker thread, or in the main thread for `--jobs 1`.
 */

export type ParseTask =
  { kind: 'range'; path: string; start: number; end: number } | { kind: 'lines'; texts: string[]; documents: number[] };

export interface TaskResult {
  recorded: RecordedLines;
  /** For a range: where each line starts in the file and where the bytes kept of it end. */
  starts?: Float64Array;
  ends?: Float64Array;
}

export interface ParseSetup {
  options: ParseOptions;
  /** Characters of a line kept (the rest of a longer line is not held: it is skipped as too long anyway). */
  maxChars: number;
  /** Routine classes left out here, counted by the session without their events (`trace`). */
  withhold?: RoutineClass[];
}

/** Lines parsed away from their session carry this origin; the session puts the real one back (replay). */
const ORIGIN_PUT_BACK = '?';

export class TaskRunner {
  private readonly recorder: LineRecorder;
  private readonly files = new OpenFiles();

  constructor(private readonly setup: ParseSetup) {
    const withhold = withholdRoutine(setup.withhold ?? []);
    // The bodies of an event to be left out are not read (most of the parse of a routine write).
    const leftOut = withhold && ((event: ChangeEvent) => withhold({ event }) !== undefined);
    this.recorder = new LineRecorder(new LineParser(setup.options, leftOut), withhold);
  }

  run(task: ParseTask): TaskResult {
    if (task.kind === 'lines') {
      const documents = new Set(task.documents);
      task.texts.forEach((text, i) => {
        const raw: RawLine = { text, origin: ORIGIN_PUT_BACK };
        if (documents.has(i)) {
          raw.document = true;
        }
        this.recorder.add(raw);
      });
      return { recorded: this.recorder.take() };
    }
    const lines = readRange(this.files.fd(task.path), task.start, task.end, this.setup.maxChars);
    for (const text of lines.texts) {
      this.recorder.add({ text, origin: ORIGIN_PUT_BACK });
    }
    return { recorded: this.recorder.take(), starts: lines.starts, ends: lines.ends };
  }

  close(): void {
    this.files.close();
  }
}

export type ToWorker = { id: number; task: ParseTask };
export type FromWorker = { id: number; result: TaskResult } | { id: number; error: string; exitCode: number };

/** Marks the worker threads this module starts (parseInThreads.ts). */
export const WORKER_ROLE = 'provenance-parse';

if (!isMainThread && parentPort && (workerData as { role?: string } | undefined)?.role === WORKER_ROLE) {
  const port = parentPort;
  const runner = new TaskRunner((workerData as { setup: ParseSetup }).setup);
  port.on('message', ({ id, task }: ToWorker) => {
    let reply: FromWorker;
    try {
      reply = { id, result: runner.run(task) };
    } catch (e) {
      // An input that cannot be read fails the answer with its reason, as it does on one thread.
      reply = {
        id,
        error: e instanceof Error ? e.message : String(e),
        exitCode: e instanceof CliError ? e.exitCode : 70,
      };
    }
    const transfer =
      'result' in reply && reply.result.starts ? [reply.result.starts.buffer, reply.result.ends!.buffer] : [];
    port.postMessage(reply, transfer as ArrayBuffer[]);
  });
}
