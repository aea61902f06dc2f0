import {
  chainRecords,
  chainsMarkdown,
  checkTimeZone,
  chainToJson,
  DEFAULT_SELECTORS,
  explorePanesUrl,
  type Chain,
  type ChangeEvent,
  type RawRef,
} from '../../core';
import { CliError } from '../io';
import { readRawLines } from '../readLines';

export interface ReportSettings {
  /** Zone shown next to UTC. */
  timeZone?: string;
  /** Grafana's URL (with its sub-path) and the Loki data source uid there: Explore links for each record. */
  grafanaUrl?: string;
  lokiUid?: string;
  question?: string;
}

/** The raw lines behind the records, read again from the files by their `file:line` origins (stdin cannot be). */
async function linesFromFiles(files: string[], wanted: Set<string>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const file of files.filter((f) => f !== '-')) {
    if (![...wanted].some((o) => o.startsWith(`${file}:`))) {
      continue;
    }
    for await (const line of readRawLines(file)) {
      if (line.origin !== undefined && wanted.has(line.origin)) {
        found.set(line.origin, line.text);
      }
    }
  }
  return found;
}

function grafanaBase(url: string | undefined): string | undefined {
  if (url === undefined) {
    return undefined;
  }
  if (!/^https?:\/\/[^/\s]+/i.test(url)) {
    throw new CliError(`--grafana-url ${url}: expected http(s)://host[:port][/sub-path]`, 2);
  }
  return url.replace(/\/+$/, '');
}

/**
 * `trace --format markdown`: the report for a ticket or postmortem. Raw lines come from the Loki answer
 * (`lineOf`) or are read again from the files; each is redacted by `chainRecords` before it is written.
 */
export async function formatReport(
  chains: Chain[],
  events: readonly ChangeEvent[],
  settings: ReportSettings,
  source: { files: string[] } | { lineOf: (raw: RawRef) => string | undefined }
): Promise<string> {
  try {
    checkTimeZone(settings.timeZone);
  } catch (e) {
    throw new CliError(`--time-zone: ${e instanceof Error ? e.message : String(e)}`, 2);
  }
  const base = grafanaBase(settings.grafanaUrl);
  if (base !== undefined && !settings.lokiUid) {
    throw new CliError('--grafana-url needs --loki-uid (the uid of the Loki data source in that Grafana)', 2);
  }
  const byId = new Map(events.map((e) => [e.id, e]));
  let lineOf: (raw: RawRef) => string | undefined;
  if ('files' in source) {
    const wanted = new Set(
      chains.flatMap((c) => chainRecords(c, byId, DEFAULT_SELECTORS).map((r) => r.raw.origin ?? ''))
    );
    const lines = await linesFromFiles(source.files, wanted);
    lineOf = (raw) => (raw.origin ? lines.get(raw.origin) : undefined);
  } else {
    lineOf = source.lineOf;
  }
  const exploreUrl =
    base !== undefined && settings.lokiUid
      ? (logql: string, time: number) => explorePanesUrl(settings.lokiUid as string, logql, time, base)
      : undefined;
  return chainsMarkdown(
    chains.map((c) => ({ chain: chainToJson(c), records: chainRecords(c, byId, DEFAULT_SELECTORS, lineOf) })),
    { timeZone: settings.timeZone, exploreUrl, generatedAt: Date.now(), question: settings.question }
  );
}
