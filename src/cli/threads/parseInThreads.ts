import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

import { ParseSession, type ParseOptions, type ParseSummary, type RawLine, type RoutineClass } from '../../core';
import { CliError } from '../io';
import { expandInputs, lineCharsKept, plainLinesSize, readRawLines, type ReadOptions } from '../readLines';
import { FileLine, OpenFiles } from './fileRanges';
import {
  TaskRunner,
  WORKER_ROLE,
  type FromWorker,
  type ParseSetup,
  type ParseTask,
  type TaskResult,
} from './parseWorker';
import { parseWorkerScript, type WorkerScript } from './workerBundle';

/**
 * `parse` and `trace` over files on every core. Plain files are cut into byte ranges that worker threads read
 * and parse themselves; other inputs (stdin, FIFOs, .gz, whole documents) are read here and handed over in
 * batches of lines. Each thread records what its lines became (core's LineRecorder); one session applies the
 * records in input order (ParseSession.replay), so the answer is the one a single thread gives, byte for byte:
 * the same events, ids, order, counts and skip examples. A worker that fails fails the answer with its reason.
 */

/**
 * One thread unless told: on two cores the bound is total CPU, and `--jobs 2` spends more of it than one thread
 * (200,049 generated lines at load ~24: 10.6 s against 9.6 s, 40% of either in V8's GC helper threads); on the
 * 1M-line bench file at load ~3, 19.0 s against 21.1 s wall (1.11×), 33.5 s against 29.7 s of CPU. Not the number
 * of cores until two threads are faster by the target (README, "What limits `--jobs 2`").
 */
export const defaultJobs = (): number => 1;

/** Bytes of a plain file per task. */
const RANGE_BYTES = 8 * 1024 * 1024;
/** Characters of lines per batch read in the main thread. */
const BATCH_CHARS = 4 * 1024 * 1024;

export interface ThreadOptions extends ReadOptions {
  parse: ParseOptions;
  /**
   * Routine classes whose events are left out where lines are parsed and only counted (ParseSummary.withheld;
   * `trace`, which leaves them out anyway): most of a cluster's writes, not copied between threads nor kept.
   */
  withhold?: RoutineClass[];
  /** Threads that parse (1: this thread only). */
  jobs: number;
  /** Bytes of a plain file per task (tests make it small). */
  rangeBytes?: number;
  /** Told the input bytes done after each task is applied. */
  onBytes?: (done: number, total: number) => void;
  /** The module a worker runs (tests give one that fails, or the TypeScript sources). */
  workerEntry?: string;
}

interface Executor {
  run(task: ParseTask): Promise<TaskResult>;
  close(): Promise<void>;
}

/** `--jobs 1`, and inputs too small to be worth a thread: the same tasks, run here. */
class InThisThread implements Executor {
  private readonly runner: TaskRunner;

  constructor(setup: ParseSetup) {
    this.runner = new TaskRunner(setup);
  }

  run(task: ParseTask): Promise<TaskResult> {
    try {
      return Promise.resolve(this.runner.run(task));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  close(): Promise<void> {
    this.runner.close();
    return Promise.resolve();
  }
}

interface Job {
  id: number;
  task: ParseTask;
  resolve(r: TaskResult): void;
  reject(e: Error): void;
}

// Worker threads do not inherit the main thread's loader: TypeScript sources register tsx first (workerBundle.ts).
const BOOT = `const { workerData } = require('node:worker_threads');
if (workerData.loader) require(workerData.loader);
require(workerData.entry);`;

const scriptOf = (entry: string): WorkerScript =>
  entry.endsWith('.ts') ? { entry, loader: require.resolve('tsx/cjs') } : { entry };

const crashed = (why: string) =>
  new CliError(`a parse thread failed (${why}); nothing is answered from a part of the input`, 70);

class WorkerPool implements Executor {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  constructor(
    private readonly size: number,
    private readonly setup: ParseSetup,
    private readonly script: WorkerScript
  ) {}

  run(task: ParseTask): Promise<TaskResult> {
    if (this.failure) {
      return Promise.reject(this.failure);
    }
    return new Promise<TaskResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      if (this.idle.length === 0 && this.workers.length < this.size) {
        this.idle.push(this.start());
      }
      const worker = this.idle.pop();
      if (!worker) {
        return;
      }
      const job = this.queue.shift() as Job;
      this.running.set(worker, job);
      worker.postMessage({ id: job.id, task: job.task });
    }
  }

  private start(): Worker {
    const worker = new Worker(BOOT, {
      eval: true,
      workerData: { role: WORKER_ROLE, setup: this.setup, entry: this.script.entry, loader: this.script.loader },
    });
    this.workers.push(worker);
    worker.on('message', (m: FromWorker) => {
      // Every job is settled: a job still running when the pool fails is rejected with the failure.
      const job = this.running.get(worker);
      if (!job || job.id !== m.id || !('result' in m || 'error' in m)) {
        this.fail(crashed('it answered a task it was not given'));
        return;
      }
      if ('error' in m) {
        this.fail(new CliError(m.error, m.exitCode));
        return;
      }
      this.running.delete(worker);
      job.resolve(m.result);
      this.idle.push(worker);
      this.pump();
    });
    worker.on('error', (e) => this.fail(crashed(e.message)));
    worker.on('messageerror', (e) => this.fail(crashed(`a message could not be read: ${e.message}`)));
    worker.on('exit', (code) => {
      if (!this.closing) {
        this.fail(crashed(`it exited with code ${code}`));
      }
    });
    return worker;
  }

  private fail(e: Error): void {
    if (this.failure) {
      return;
    }
    this.failure = e;
    for (const job of [...this.running.values(), ...this.queue]) {
      job.reject(e);
    }
    this.running.clear();
    this.queue.length = 0;
    void this.close();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** A task and how the lines it reports are named (their origin, and their text should it be needed again). */
interface Planned {
  task: ParseTask;
  bytes: number;
  /** The lines a batch was made of (read in this thread, with their origins). */
  lines?: RawLine[];
}

async function* plan(files: string[], sizes: Array<number | undefined>, o: ThreadOptions): AsyncGenerator<Planned> {
  const rangeBytes = o.rangeBytes ?? RANGE_BYTES;
  for (const [i, path] of files.entries()) {
    const size = sizes[i];
    if (size !== undefined) {
      for (let start = 0; start < size; start += rangeBytes) {
        const end = Math.min(size, start + rangeBytes);
        yield { task: { kind: 'range', path, start, end }, bytes: end - start };
      }
      continue;
    }
    let lines: RawLine[] = [];
    let chars = 0;
    const batch = (): Planned => {
      const documents = lines.flatMap((l, n) => (l.document ? [n] : []));
      const planned = { task: { kind: 'lines', texts: lines.map((l) => l.text), documents }, bytes: chars, lines };
      lines = [];
      chars = 0;
      return planned as Planned;
    };
    for await (const line of readRawLines(path, o)) {
      lines.push(line);
      chars += line.text.length + 1;
      if (chars >= BATCH_CHARS) {
        yield batch();
      }
    }
    if (lines.length > 0) {
      yield batch();
    }
  }
}

/** Every line of the inputs (files, directories, `-`), parsed on `jobs` threads, as one session's summary. */
export async function parseInThreads(paths: string[], o: ThreadOptions): Promise<ParseSummary> {
  const { files, skipped } = await expandInputs(paths);
  const session = new ParseSession(o.parse);
  for (const s of skipped) {
    session.skipInput(s.reason, s.path);
  }
  const sizes = await Promise.all(files.map((f) => plainLinesSize(f)));
  // For progress: a .gz counts its size on disk (its lines count what they inflate to, as in readRawLines' callers).
  const onDisk = await Promise.all(
    files.map(
      (f, i) =>
        sizes[i] ??
        (f === '-'
          ? 0
          : stat(f).then(
              (s) => (s.isFile() ? s.size : 0),
              () => 0
            ))
    )
  );
  const total = onDisk.reduce((a, b) => a + b, 0);
  const maxChars = lineCharsKept(o);
  const setup: ParseSetup = { options: o.parse, maxChars, withhold: o.withhold };
  const rangeBytes = o.rangeBytes ?? RANGE_BYTES;
  const small = sizes.every((s) => s !== undefined) && total <= rangeBytes;
  const executor: Executor =
    o.jobs <= 1 || small
      ? new InThisThread(setup)
      : new WorkerPool(o.jobs, setup, o.workerEntry ? scriptOf(o.workerEntry) : parseWorkerScript());
  const open = new OpenFiles();
  // Lines read so far per file: a range's lines are numbered after those of the ranges before it.
  const linesSoFar = new Map<string, number>();
  const inFlight: Array<{ planned: Planned; result: Promise<TaskResult> }> = [];
  let done = 0;
  const applyNext = async () => {
    const { planned, result } = inFlight.shift() as (typeof inFlight)[number];
    const r = await result;
    const task = planned.task;
    if (task.kind === 'range') {
      const base = linesSoFar.get(task.path) ?? 0;
      const { starts, ends } = r as Required<TaskResult>;
      session.replay(r.recorded, (i) => new FileLine(open, task.path, base + i + 1, starts[i], ends[i], maxChars));
      linesSoFar.set(task.path, base + r.recorded.lines);
    } else {
      const lines = planned.lines as RawLine[];
      session.replay(r.recorded, (i) => lines[i]);
    }
    done += planned.bytes;
    o.onBytes?.(done, total);
  };
  try {
    for await (const planned of plan(files, sizes, o)) {
      const result = executor.run(planned.task);
      // Awaited in order below; a failure before then is not an unhandled rejection.
      result.catch(() => undefined);
      inFlight.push({ planned, result });
      if (inFlight.length >= 2 * Math.max(1, o.jobs)) {
        await applyNext();
      }
    }
    while (inFlight.length > 0) {
      await applyNext();
    }
  } finally {
    await executor.close();
    open.close();
  }
  return session.finish();
}
