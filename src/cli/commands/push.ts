import { generate, pushEntries, pushEntryOf, type PushEntry, type PushReport } from '../../core';
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
  /** Value of the `import` label for pushed files: `auto` (default), `none`, or a name. */
  import?: string;
}

/** Loki refuses an entry older than its stream's newest minus 1 h (max_chunk_age / 2, pkg/ingester/stream.go). */
const BEHIND_WINDOW_MS = 3_600_000;
/** Live lines end this long before now: Loki refuses lines over 10 min ahead of its clock (creation_grace_period). */
const LIVE_END_BEFORE_NOW_MS = 60_000;

async function shipEntries(entries: PushEntry[], o: PushOptions, io: Io, label: string): Promise<PushReport> {
  const progress = startProgress(io, label, entries.length, 'lines');
  try {
    // Sequential batches: a 429 waits before the next batch goes — backpressure.
    return await pushEntries((url, init) => fetch(url, init), o.loki, entries, {
      tenant: o.tenant,
      maxLines: o.batch,
      onProgress: (n) => progress.update(n),
    });
  } catch (e) {
    throw new CliError(`push to ${o.loki} failed: ${e instanceof Error ? e.message : String(e)}`, 1);
  } finally {
    progress.stop();
  }
}

const withImport = (entries: PushEntry[], value: string): PushEntry[] =>
  entries.map((e) => ({ ...e, labels: { ...e.labels, import: value } }));

/**
 * One round of generated incidents, stamped so its newest line is just before now (never ahead: Loki refuses
 * lines over 10 min in the future). A round spans more than the hour Loki lets a stream's lines fall behind its
 * newest, so rounds rotate over `import="live-N"` streams, each used again only once its lines are old enough.
 */
function liveRound(round: number, o: PushOptions): PushEntry[] {
  const scenarios = (start: number) => generate({ scenarios: 'all', noiseEvents: o.events, seed: round + 1, start });
  const probe = scenarios(0);
  let first = Infinity;
  let last = -Infinity;
  for (const r of probe.records()) {
    first = Math.min(first, r.ms);
    last = Math.max(last, r.ms);
  }
  const start = Date.now() - LIVE_END_BEFORE_NOW_MS - last;
  const span = last - first;
  const slots = Math.max(1, Math.ceil((span - BEHIND_WINDOW_MS) / (o.intervalMinutes * 60_000)) + 1);
  const entries = [...scenarios(start).records()]
    .map((r) => pushEntryOf(r.line, o.cluster))
    .filter((e): e is PushEntry => e !== undefined);
  return withImport(entries, `live-${round % slots}`);
}

/**
 * The `import` label of a file push: with `auto`, files whose newest line is more than an hour old land in
 * their own streams (`import=<time of their oldest line>`), so a Loki already holding newer lines of the same
 * sources does not refuse them as too far behind.
 */
function importLabel(entries: PushEntry[], option: string | undefined): string | undefined {
  const choice = option ?? 'auto';
  if (choice === 'none' || entries.length === 0) {
    return undefined;
  }
  if (choice !== 'auto') {
    return choice;
  }
  let oldest = entries[0].ns;
  let newest = entries[0].ns;
  for (const e of entries) {
    const earlier = (a: string, b: string) => a.length < b.length || (a.length === b.length && a < b);
    oldest = earlier(e.ns, oldest) ? e.ns : oldest;
    newest = earlier(newest, e.ns) ? e.ns : newest;
  }
  const ms = (ns: string) => Number(ns.slice(0, -6));
  if (Date.now() - ms(newest) <= BEHIND_WINDOW_MS) {
    return undefined;
  }
  return new Date(ms(oldest)).toISOString().slice(0, 16) + 'Z';
}

/** `provenance push FILE... --loki URL`: ship log lines with Alloy-like labels; `--live` feeds generated incidents. */
export async function pushCommand(files: string[], o: PushOptions, io: Io): Promise<number> {
  if (o.live) {
    for (let round = 0; o.rounds === undefined || round < o.rounds; round++) {
      const entries = liveRound(round, o);
      const r = await shipEntries(entries, o, io, 'feeding');
      io.err(
        `round ${round + 1}: pushed ${r.accepted} of ${entries.length} lines (${r.rejectedLines} rejected, ${r.retries} retries)\n`
      );
      for (const msg of r.rejected) {
        io.err(`Loki rejected: ${msg}\n`);
      }
      if (o.rounds === undefined || round + 1 < o.rounds) {
        await new Promise((resolve) => setTimeout(resolve, o.intervalMinutes * 60_000));
      }
    }
    return 0;
  }
  if (files.length === 0) {
    throw new CliError('push needs FILE... (or --live)', 2);
  }
  let entries: PushEntry[] = [];
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
  const label = importLabel(entries, o.import);
  if (label !== undefined) {
    entries = withImport(entries, label);
  }
  const r = await shipEntries(entries, o, io, 'pushing');
  io.out(
    `pushed ${r.accepted} lines to ${o.loki}${label === undefined ? '' : ` with import="${label}"`}; ` +
      `${r.rejectedLines} rejected; ${skipped} lines not recognised and not sent; ${r.retries} retries\n`
  );
  for (const msg of r.rejected) {
    io.out(`Loki rejected: ${msg}\n`);
  }
  return r.rejectedLines > 0 ? 1 : 0;
}
