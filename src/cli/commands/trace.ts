import {
  buildAllChains,
  excludeRoutine,
  parseRoutineClasses,
  type ExcludedCounts,
  type RoutineClass,
  chainToJson,
  GIT_HOST_KINDS,
  LokiClient,
  LokiError,
  DEFAULT_MAX_LINE_BYTES,
  redactNotice,
  selectChains,
  traceOverLoki,
  type Chain,
  type LinkSettings,
  type ParseSummary,
  type RawRef,
  trustedRanges,
  type TraceSelection,
} from '../../core';
import { CliError, type Io } from '../io';
import { foldedCount, formatChainTable } from '../output/chainTable';
import { writeChainsJson } from '../output/chainsJson';
import { formatReport } from '../output/report';
import { formatParseSummary } from '../output/skipSummary';
import { startProgress, type Progress } from '../progress';
import { defaultJobs, parseInThreads } from '../threads/parseInThreads';
import { traceRecordedCommand } from './traceRecorded';

export interface TraceOptions {
  loki?: string;
  tenant?: string;
  /** Bytes per Loki answer the client aims under (default: under stock Loki's 4 MiB gRPC message). */
  lokiPageBytes?: number;
  target?: string;
  actor?: string;
  from?: string;
  to?: string;
  verdict?: string;
  /** Routine classes to leave out (comma-separated, `all` or `none`); default all. */
  exclude?: string;
  /** Keep routine system traffic too (same as `--exclude none`). */
  all?: boolean;
  /** With --loki: lines of writes read at most before a long range is answered with its newest part. */
  maxLines?: number;
  format: 'table' | 'json' | 'markdown';
  /** With --format markdown: zone shown next to UTC; Grafana URL and Loki data source uid for Explore links. */
  timeZone?: string;
  grafanaUrl?: string;
  lokiUid?: string;
  /** Show a redacted piece of the first skipped line per reason. */
  skippedExamples?: boolean;
  diff?: boolean;
  argocdUrl?: string;
  rancherUrl?: string;
  gitHost?: string[];
  /** `--trusted-proxies`: comma-separated CIDR ranges. */
  trustedProxies?: string;
  /** Bytes a .gz input may inflate to (a cap against gzip bombs). */
  maxInflatedBytes?: number;
  /** With --loki: read the chains `provenance watch` recorded (live correlation for the rest). */
  recorded?: boolean;
  /** With --recorded: the cluster label the watcher recorded with. */
  cluster?: string;
  /** Bytes of a plain file per thread task (`--range-bytes`, hidden: tests split small files with it). */
  rangeBytes?: number;
  /** Threads that parse files (default: one per core). */
  jobs?: number;
}

/** `--argocd-url`, `--rancher-url`, `--git-host host=kind` as the engine's link settings. */
export function linkSettingsFrom(o: TraceOptions): LinkSettings {
  const gitHosts: Record<string, string> = {};
  for (const h of o.gitHost ?? []) {
    const [host, kind, ...rest] = h.split('=');
    if (!host || !kind || rest.length > 0 || !(GIT_HOST_KINDS as readonly string[]).includes(kind)) {
      throw new CliError(`--git-host ${h}: expected HOST=KIND, KIND one of ${GIT_HOST_KINDS.join(', ')}`, 2);
    }
    gitHosts[host.toLowerCase()] = kind;
  }
  for (const [name, url] of [
    ['argocd-url', o.argocdUrl],
    ['rancher-url', o.rancherUrl],
  ] as const) {
    if (url !== undefined && !/^https:\/\/[^/@\s]+/.test(url)) {
      throw new CliError(`--${name} ${url}: expected an https URL without user info`, 2);
    }
  }
  return { argocdUrl: o.argocdUrl, rancherUrl: o.rancherUrl, gitHosts };
}

function trustedProxiesOf(o: TraceOptions): string[] {
  const list = (o.trustedProxies ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    trustedRanges(list);
  } catch (e) {
    throw new CliError(`--trusted-proxies: ${e instanceof Error ? e.message : String(e)}`, 2);
  }
  return list;
}

function routineOption(o: TraceOptions): RoutineClass[] {
  if (o.all) {
    return [];
  }
  try {
    return parseRoutineClasses(o.exclude);
  } catch (e) {
    throw new CliError(`--exclude ${o.exclude}: ${e instanceof Error ? e.message : String(e)}`, 2);
  }
}

export function isoOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) {
    return undefined;
  }
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) {
    throw new CliError(`--${name} ${v}: not an ISO time (e.g. 2026-03-02T10:00:00Z)`, 2);
  }
  return ms;
}

export function selectionFrom(o: TraceOptions): TraceSelection {
  const sel: TraceSelection = { actor: o.actor, from: isoOption('from', o.from), to: isoOption('to', o.to) };
  if (o.target) {
    const parts = o.target.split('/');
    if (parts.length > 3) {
      throw new CliError(`--target ${o.target}: expected RESOURCE[/NAMESPACE[/NAME]]`, 2);
    }
    const [resource, namespace, name] = parts;
    sel.target = { resource: resource || undefined, namespace: namespace || undefined, name: name || undefined };
  }
  return sel;
}

/** `provenance trace FILE...`: explained chains for every write, or for a selection. */
export async function traceCommand(files: string[], o: TraceOptions, io: Io): Promise<number> {
  const selection = selectionFrom(o);
  if (o.recorded) {
    if (!o.loki || files.length > 0) {
      throw new CliError('--recorded reads Loki: give --loki URL and no FILE', 2);
    }
    if (o.format === 'markdown') {
      throw new CliError('--recorded writes table or json, not markdown', 2);
    }
    return traceRecordedCommand({ ...o, format: o.format, loki: o.loki, from: selection.from, to: selection.to }, io);
  }
  const links = linkSettingsFrom(o);
  const leaveOut = routineOption(o);
  const verdicts = o.verdict ? new Set(o.verdict.split(',').map((v) => v.trim())) : undefined;
  const trustedProxies = trustedProxiesOf(o);
  const started = Date.now();
  let parsed: ParseSummary;
  let chains: Chain[];
  let excluded: ExcludedCounts;
  let excludedInLoki: string[] | undefined;
  let all: Chain[];
  let lineOf: ((raw: RawRef) => string | undefined) | undefined;
  const warnings: string[] = [];
  if (o.loki) {
    if (files.length > 0) {
      throw new CliError('give either FILE... or --loki, not both', 2);
    }
    const to = selection.to ?? Date.now();
    const from = selection.from ?? to - 3_600_000;
    const client = new LokiClient({
      baseUrl: o.loki,
      tenant: o.tenant,
      fetch: (url, init) => fetch(url, init),
      pageBytes: o.lokiPageBytes,
    });
    try {
      // On a terminal: pieces of the range read (newest first on a long range) and lines of writes read.
      let progress: Progress | undefined;
      const onProgress = (p: { pieces: number; piecesDone: number; lines: number }) => {
        progress ??= startProgress(io, 'reading Loki', p.pieces, 'pieces');
        progress.update(p.piecesDone, `${p.lines} lines of writes`);
      };
      const r = await traceOverLoki(
        client,
        { target: selection.target, actor: selection.actor, from, to, leaveOut },
        undefined,
        { trustedProxies, links },
        undefined,
        { onProgress, ...(o.maxLines ? { maxEffectLines: o.maxLines } : {}) }
      ).finally(() => progress?.stop());
      parsed = r.parsed;
      chains = r.chains;
      excluded = r.excluded;
      excludedInLoki = r.excludedInLoki;
      all = r.allChains;
      lineOf = r.lineOf;
      // Warnings and errors may quote Loki's answers (and the URL its userinfo): one notice redactor for all.
      warnings.push(...r.warnings.map(redactNotice));
    } catch (e) {
      throw new CliError(
        redactNotice(
          e instanceof LokiError ? e.message : `Loki at ${o.loki}: ${e instanceof Error ? e.message : String(e)}`
        ),
        1
      );
    }
  } else {
    if (files.length === 0) {
      throw new CliError('trace needs FILE... or --loki URL', 2);
    }
    parsed = await readAll(files, io, o, leaveOut);
    const routine = excludeRoutine(parsed.events, leaveOut, selection, parsed.withheld);
    excluded = routine.excluded;
    all = buildAllChains(routine.kept, { trustedProxies, links });
    chains = selectChains(all, selection);
  }
  chains = chains.filter((c) => !verdicts || verdicts.has(c.verdict));
  for (const w of warnings) {
    io.err(`warning: ${w}\n`);
  }
  if (o.format === 'markdown') {
    io.out(await formatReport(chains, parsed.events, o, lineOf ? { lineOf } : { files }));
  } else if (o.format === 'json') {
    const skipped = Object.fromEntries(Object.entries(parsed.skipped).map(([k, v]) => [k, v.count]));
    const stats = {
      lines: parsed.stats.lines,
      events: parsed.stats.events,
      chains: chains.length,
      excluded,
      ...(excludedInLoki?.length ? { excludedInLoki } : {}),
      ms: Date.now() - started,
    };
    writeChainsJson(io, chains, chainToJson, { skipped, stats, ...(warnings.length ? { warnings } : {}) });
  } else {
    io.out(formatChainTable(chains, all, { diff: o.diff }));
    const folded = foldedCount(chains);
    const shown = chains.length - folded;
    const foldNote = folded > 0 ? ` (and ${folded} consequence${folded === 1 ? '' : 's'} folded under them)` : '';
    io.out(`\n${shown} change${shown === 1 ? '' : 's'}${foldNote}; ` + formatParseSummary(parsed, o.skippedExamples));
    io.out(formatExcluded(excluded, excludedInLoki));
  }
  return 0;
}

/** What was left out as routine, counted by class, and what Loki left out without counting (--all keeps it). */
function formatExcluded(excluded: ExcludedCounts, inLoki: string[] | undefined): string {
  const rows = Object.entries(excluded).map(([c, n]) => `  ${c.padEnd(40)}${String(n).padStart(9)}`);
  const out = rows.length
    ? [`routine system writes left out (--all keeps them): ${describeCount(excluded)}`, ...rows]
    : [];
  if (inLoki?.length) {
    out.push(`left out in Loki (not counted): ${inLoki.join(', ')}`);
  }
  return out.length ? out.join('\n') + '\n' : '';
}

const describeCount = (excluded: ExcludedCounts) => Object.values(excluded).reduce((a, b) => a + (b ?? 0), 0);

async function readAll(paths: string[], io: Io, o: TraceOptions, leaveOut: RoutineClass[]): Promise<ParseSummary> {
  let progress: Progress | undefined;
  try {
    // No chain is built from a read: lines that certainly are reads are counted, not parsed (prescan.ts).
    return await parseInThreads(paths, {
      parse: { skipReads: true },
      // Routine writes are left out below: their events stay where they are parsed, only counted.
      withhold: leaveOut,
      maxLineBytes: DEFAULT_MAX_LINE_BYTES,
      maxInflatedBytes: o.maxInflatedBytes,
      jobs: o.jobs ?? defaultJobs(),
      rangeBytes: o.rangeBytes,
      onBytes: (done, total) => {
        progress ??= startProgress(io, 'reading', total, 'bytes');
        progress.update(done);
      },
    });
  } finally {
    progress?.stop();
  }
}
