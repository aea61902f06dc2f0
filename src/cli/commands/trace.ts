import { promises as fs } from 'node:fs';

import { buildChains, chainToJson, ParseSession, type TraceSelection } from '../../core';
import { CliError, type Io } from '../io';
import { formatChainTable } from '../output/chainTable';
import { formatParseSummary } from '../output/skipSummary';
import { startProgress } from '../progress';
import { readRawLines } from '../readLines';

export interface TraceOptions {
  target?: string;
  actor?: string;
  from?: string;
  to?: string;
  verdict?: string;
  format: 'table' | 'json';
}

function isoOption(name: string, v: string | undefined): number | undefined {
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
  const verdicts = o.verdict ? new Set(o.verdict.split(',').map((v) => v.trim())) : undefined;
  const started = Date.now();
  const sizes = await Promise.all(
    files.map((f) =>
      f === '-'
        ? 0
        : fs.stat(f).then(
            (s) => s.size,
            () => 0
          )
    )
  );
  const progress = startProgress(
    io,
    'reading',
    sizes.reduce((a, b) => a + b, 0),
    'bytes'
  );
  const session = new ParseSession();
  let bytes = 0;
  try {
    for (const file of files) {
      for await (const line of readRawLines(file)) {
        session.add(line);
        bytes += line.text.length + 1;
        progress.update(bytes);
      }
    }
  } finally {
    progress.stop();
  }
  const parsed = session.finish();
  const chains = buildChains(parsed.events, {}, selection).filter((c) => !verdicts || verdicts.has(c.verdict));
  if (o.format === 'json') {
    const skipped = Object.fromEntries(Object.entries(parsed.skipped).map(([k, v]) => [k, v.count]));
    const stats = {
      lines: parsed.stats.lines,
      events: parsed.stats.events,
      chains: chains.length,
      ms: Date.now() - started,
    };
    io.out(JSON.stringify({ chains: chains.map(chainToJson), skipped, stats }, null, 2) + '\n');
  } else {
    io.out(formatChainTable(chains));
    io.out(`\n${chains.length} change${chains.length === 1 ? '' : 's'}; ` + formatParseSummary(parsed));
  }
  return 0;
}
