import type { ChangeEvent, ParseSummary } from '../../core';
import type { Io } from '../io';
import { formatEventTable } from '../output/eventTable';
import { formatParseSummary } from '../output/skipSummary';
import { defaultJobs, parseInThreads } from '../threads/parseInThreads';

export interface ParseCommandOptions {
  format: 'table' | 'json';
  keepBodies: boolean;
  maxLineBytes: number;
  /** Bytes a .gz input may inflate to (a cap against gzip bombs). */
  maxInflatedBytes?: number;
  /** Show a redacted piece of the first skipped line per reason (off: reasons and positions only). */
  skippedExamples?: boolean;
  /** Bytes of a plain file per thread task (`--range-bytes`, hidden: tests split small files with it). */
  rangeBytes?: number;
  /** Threads that parse (default: one per core). */
  jobs?: number;
}

export async function parseFiles(
  files: string[],
  options: Pick<ParseCommandOptions, 'keepBodies' | 'maxLineBytes' | 'maxInflatedBytes' | 'jobs' | 'rangeBytes'>
): Promise<ParseSummary> {
  return parseInThreads(files, {
    parse: { keepBodies: options.keepBodies, maxLineBytes: options.maxLineBytes },
    maxLineBytes: options.maxLineBytes,
    maxInflatedBytes: options.maxInflatedBytes,
    jobs: options.jobs ?? defaultJobs(),
    rangeBytes: options.rangeBytes,
  });
}

/** An event as printed: the salted digests of Secret values a diff compares stay in the process. */
function withoutDigests(e: ChangeEvent): ChangeEvent {
  if (!e.snapshot) {
    return e;
  }
  const { responseDigests: _r, requestDigests: _q, ...snapshot } = e.snapshot;
  return { ...e, snapshot };
}

/** `provenance parse FILE...`: normalised events, then skipped lines by reason. */
export async function parseCommand(files: string[], options: ParseCommandOptions, io: Io): Promise<number> {
  const summary = await parseFiles(files, options);
  if (options.format === 'json') {
    const skipped = Object.fromEntries(Object.entries(summary.skipped).map(([k, v]) => [k, v.count]));
    const skippedExamples = Object.fromEntries(
      Object.entries(summary.skipped).map(([k, v]) => [
        k,
        {
          example: v.example ?? null,
          detail: v.detail ?? null,
          ...(options.skippedExamples ? { sample: v.sample ?? null } : {}),
        },
      ])
    );
    const salvaged = Object.fromEntries(Object.entries(summary.salvaged).map(([k, v]) => [k, v.count]));
    io.out(
      JSON.stringify(
        { events: summary.events.map(withoutDigests), skipped, skippedExamples, salvaged, stats: summary.stats },
        null,
        2
      ) + '\n'
    );
  } else {
    io.out(formatEventTable(summary.events));
    io.out('\n' + formatParseSummary(summary, options.skippedExamples));
  }
  return 0;
}
