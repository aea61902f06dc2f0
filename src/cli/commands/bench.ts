import { createReadStream, mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildChains, ParseSession } from '../../core';
import type { Io } from '../io';
import { generateCommand } from './generate';
import { traceCommand } from './trace';

/**
 * `provenance bench`: generates N events (background noise plus every scenario) to files, then measures
 * parse+normalise and correlation separately. The parse figure is a ratio to a bare `JSON.parse` of the same
 * lines in the same run, so it does not depend on the machine; `traceFile` is `provenance trace` of the same files
 * end to end on one thread, as the same ratio, and again on two threads (`traceFileJobs2`, its speedup). Lines are read in chunks and dropped after
 * parsing: the events keep references to raw lines (file:line), not copies.
 */

export interface BenchOptions {
  events: number;
  json: boolean;
}

const CHUNK_BYTES = 32 * 1024 * 1024;

function elapsedMs(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Whole lines of a file, a chunk at a time. */
async function* lineChunks(path: string): AsyncGenerator<string[]> {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK_BYTES })) {
    const text = rest + (chunk as string);
    const cut = text.lastIndexOf('\n');
    rest = text.slice(cut + 1);
    yield text.slice(0, cut).split('\n');
  }
  if (rest !== '') {
    yield [rest];
  }
}

export async function benchCommand(o: BenchOptions, io: Io): Promise<number> {
  const load0 = Number(loadavg()[0].toFixed(2));
  const dir = mkdtempSync(join(tmpdir(), 'provenance-bench-'));
  try {
    await generateCommand(
      { scenario: 'all', out: dir, events: o.events, seed: 42, start: '2026-03-02T10:00:00Z' },
      { ...io, err: () => undefined }
    );
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.log')).map((f) => join(dir, f));
    const session = new ParseSession();
    let lines = 0;
    let bytes = 0;
    let jsonMs = 0;
    let parseMs = 0;
    let sink = 0;
    for (const file of files) {
      for await (const chunk of lineChunks(file)) {
        let t0 = process.hrtime.bigint();
        for (const text of chunk) {
          sink += JSON.parse(text) === null ? 1 : 0;
        }
        jsonMs += elapsedMs(t0);
        t0 = process.hrtime.bigint();
        for (const text of chunk) {
          session.add({ text });
        }
        parseMs += elapsedMs(t0);
        lines += chunk.length;
        bytes += chunk.reduce((n, l) => n + l.length + 1, 0);
      }
    }
    let t0 = process.hrtime.bigint();
    const parsed = session.finish();
    parseMs += elapsedMs(t0);
    // Same-run baseline for what changed: the same events correlated without the bodies kept for diffs (they
    // are put back after), so the difference is what diffing and links cost.
    const bodies = parsed.events.map((e) => e.snapshot);
    const withBodies = bodies.filter(Boolean).length;
    parsed.events.forEach((e) => delete e.snapshot);
    t0 = process.hrtime.bigint();
    buildChains(parsed.events);
    const withoutDiffsMs = elapsedMs(t0);
    parsed.events.forEach((e, i) => {
      if (bodies[i]) {
        e.snapshot = bodies[i];
      }
    });
    bodies.length = 0;
    t0 = process.hrtime.bigint();
    // CPU time too: on a shared machine the wall time says how loaded it was as much as how fast the code is.
    const cpu0 = process.cpuUsage();
    const chains = buildChains(parsed.events);
    const correlateMs = elapsedMs(t0);
    const cpu = process.cpuUsage(cpu0);
    const correlateCpuMs = Math.round((cpu.user + cpu.system) / 1000);
    const changed = chains.filter((c) => c.change).length;
    // `provenance trace` of the same files end to end (read, skip reads, parse, leave out routine, correlate, print).
    let traceOut = 0;
    const traceOn = async (jobs: number) => {
      traceOut = 0;
      const start = process.hrtime.bigint();
      await traceCommand(
        files,
        { format: 'json', jobs },
        { out: (t) => (traceOut += t.length), err: () => undefined, errIsTTY: false }
      );
      return elapsedMs(start);
    };
    const traceMs = await traceOn(1);
    // The same on two threads (worker threads parse byte ranges; one session merges them in order).
    const traceJobs2Ms = await traceOn(2);
    const result = {
      events: parsed.events.length,
      parse: { ms: Math.round(parseMs), eventsPerSec: Math.round((parsed.events.length / parseMs) * 1000) },
      jsonParseMs: Math.round(jsonMs),
      parseToJsonParseRatio: Number((parseMs / jsonMs).toFixed(2)),
      correlate: { ms: Math.round(correlateMs), cpuMs: correlateCpuMs, chains: chains.length },
      diffs: {
        eventsWithBodies: withBodies,
        chainsWithChange: changed,
        withoutDiffsMs: Math.round(withoutDiffsMs),
        ratio: Number((correlateMs / withoutDiffsMs).toFixed(2)),
      },
      traceFile: { ms: Math.round(traceMs), ratioToJsonParse: Number((traceMs / jsonMs).toFixed(2)) },
      traceFileJobs2: { ms: Math.round(traceJobs2Ms), speedupToJobs1: Number((traceMs / traceJobs2Ms).toFixed(2)) },
      // On a shared machine a wall-time ratio says how busy it was as much as how fast the code is.
      loadAverage1m: { before: load0, after: Number(loadavg()[0].toFixed(2)) },
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (sink < 0) {
      io.err('');
    }
    if (o.json) {
      io.out(JSON.stringify(result) + '\n');
    } else {
      io.out(
        [
          `input                 ${lines} lines, ${(bytes / 1e6).toFixed(0)} MB (avg ${Math.round(bytes / lines)} B; realistic cluster traffic + every scenario)`,
          `bare JSON.parse       ${result.jsonParseMs} ms`,
          `parse + normalise     ${result.parse.ms} ms  ${result.parse.eventsPerSec} events/s  (${result.events} events)`,
          `ratio to JSON.parse   ${result.parseToJsonParseRatio}×   (budget 2.0×, stretch 1.3×)`,
          `correlate             ${result.correlate.ms} ms, ${result.correlate.cpuMs} ms of CPU  (${result.correlate.chains} chains; budget 5000 ms)`,
          `  of which diffs      ×${result.diffs.ratio} of ${result.diffs.withoutDiffsMs} ms without diff bodies  (${result.diffs.chainsWithChange} chains with a change, from ${result.diffs.eventsWithBodies} events with bodies)`,
          `trace (end to end)    ${result.traceFile.ms} ms  ${result.traceFile.ratioToJsonParse}× JSON.parse  (one thread; budget 1.0×; ${traceOut} B of JSON out)`,
          `trace --jobs 2        ${result.traceFileJobs2.ms} ms  ${result.traceFileJobs2.speedupToJobs1}× faster than --jobs 1  (target 1.7×)`,
          `load average (1 min)  ${result.loadAverage1m.before} before, ${result.loadAverage1m.after} after  (${availableParallelism()} cores)`,
          `peak RSS              ${result.peakRssMB} MB   (budget 1500 MB)`,
          '',
        ].join('\n')
      );
    }
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
