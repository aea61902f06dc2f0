import { generate, pushBodies, pushBody, pushEntryOf, type PushEntry } from '../../core';
import { CliError, type Io } from '../io';
import { startProgress } from '../progress';
import { readRawLines } from '../readLines';

export interface PushOptions {
  loki: string;
  tenant?: string;
  cluster: string;
  batch: number;
  live: boolean;
  intervalMinutes: number;
  events: number;
  /** With --live: stop after this many rounds (default: never). */
  rounds?: number;
}

async function shipEntries(
  entries: PushEntry[],
  o: PushOptions,
  io: Io,
  label: string
): Promise<{ rejected: string[]; retries: number }> {
  const bodies = pushBodies(entries, o.batch);
  const progress = startProgress(io, label, entries.length, 'lines');
  const rejected: string[] = [];
  let retries = 0;
  let sent = 0;
  try {
    for (const body of bodies) {
      // Sequential batches: a 429 waits (Retry-After) before the next batch goes — backpressure.
      const r = await pushBody((url, init) => fetch(url, init), o.loki, body, { tenant: o.tenant });
      rejected.push(...r.rejected);
      retries += r.retries;
      sent += (JSON.parse(body) as { streams: Array<{ values: unknown[] }> }).streams.reduce(
        (n, s) => n + s.values.length,
        0
      );
      progress.update(sent);
    }
  } catch (e) {
    throw new CliError(`push to ${o.loki} failed: ${e instanceof Error ? e.message : String(e)}`, 1);
  } finally {
    progress.stop();
  }
  return { rejected, retries };
}

/** `provenance push FILE... --loki URL`: ship log lines with Alloy-like labels; `--live` feeds generated incidents. */
export async function pushCommand(files: string[], o: PushOptions, io: Io): Promise<number> {
  if (o.live) {
    for (let round = 0; o.rounds === undefined || round < o.rounds; round++) {
      // Re-stamped to now: the scenarios end a little before the present, so Loki accepts every line.
      const g = generate({
        scenarios: 'all',
        noiseEvents: o.events,
        seed: round + 1,
        start: Date.now() - 4 * 40 * 60_000 - 5 * 60_000,
      });
      const entries = [...g.records()]
        .map((r) => pushEntryOf(r.line, o.cluster))
        .filter((e): e is PushEntry => e !== undefined);
      const r = await shipEntries(entries, o, io, 'feeding');
      io.err(
        `round ${round + 1}: pushed ${entries.length} lines (${r.rejected.length} rejected, ${r.retries} retries)\n`
      );
      if (o.rounds === undefined || round + 1 < o.rounds) {
        await new Promise((resolve) => setTimeout(resolve, o.intervalMinutes * 60_000));
      }
    }
    return 0;
  }
  if (files.length === 0) {
    throw new CliError('push needs FILE... (or --live)', 2);
  }
  const entries: PushEntry[] = [];
  let skipped = 0;
  for (const f of files) {
    for await (const raw of readRawLines(f)) {
      const e = pushEntryOf(raw.text, o.cluster);
      if (e) {
        entries.push(e);
      } else if (raw.text.trim() !== '') {
        skipped++;
      }
    }
  }
  const r = await shipEntries(entries, o, io, 'pushing');
  io.out(
    `pushed ${entries.length - r.rejected.length} lines to ${o.loki}; ${skipped} lines not recognised and not sent; ${r.retries} retries\n`
  );
  for (const msg of r.rejected) {
    io.out(`Loki rejected: ${msg}\n`);
  }
  return r.rejected.length > 0 ? 1 : 0;
}
