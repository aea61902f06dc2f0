import { kubeAuditNoiseLine, ParseSession, seededRng, type RawLine } from '../../core';
import type { Io } from '../io';

/**
 * `provenance bench`: parse+normalise throughput on realistic Metadata-level audit lines, as a ratio to a bare
 * `JSON.parse` of the same lines measured in the same run (so the figure does not depend on the machine).
 * Each measurement is the median of several passes after a warm-up pass.
 */

export interface BenchOptions {
  lines: number;
  passes: number;
  json: boolean;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export function benchCommand(options: BenchOptions, io: Io): number {
  const rng = seededRng(42);
  const start = Date.UTC(2026, 2, 2, 10);
  const raws: RawLine[] = Array.from({ length: options.lines }, (_, i) => ({
    text: kubeAuditNoiseLine(rng, start + i * 7),
  }));
  const bytes = raws.reduce((n, r) => n + r.text.length, 0);
  let sink = 0;
  const jsonParse = () => {
    for (const r of raws) {
      sink += (JSON.parse(r.text) as object) ? 1 : 0;
    }
  };
  let events = 0;
  const parse = () => {
    const s = new ParseSession();
    for (const r of raws) {
      s.add(r);
    }
    events = s.finish().events.length;
  };
  jsonParse();
  parse();
  const jsonMs = median(Array.from({ length: options.passes }, () => time(jsonParse)));
  const parseMs = median(Array.from({ length: options.passes }, () => time(parse)));
  const result = {
    lines: options.lines,
    events,
    avgLineBytes: Math.round(bytes / options.lines),
    parse: { ms: Math.round(parseMs), eventsPerSec: Math.round((events / parseMs) * 1000) },
    jsonParseMs: Math.round(jsonMs),
    parseToJsonParseRatio: Number((parseMs / jsonMs).toFixed(2)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  if (sink < 0) {
    io.err('unreachable\n');
  }
  if (options.json) {
    io.out(JSON.stringify(result) + '\n');
  } else {
    io.out(
      [
        `lines                 ${result.lines} (avg ${result.avgLineBytes} B, Metadata-level kube-apiserver audit)`,
        `bare JSON.parse       ${result.jsonParseMs} ms`,
        `parse + normalise     ${result.parse.ms} ms  (${result.parse.eventsPerSec} events/s, ${result.events} events)`,
        `ratio to JSON.parse   ${result.parseToJsonParseRatio}×`,
        `peak RSS              ${result.peakRssMB} MB`,
        '',
      ].join('\n')
    );
  }
  return 0;
}
