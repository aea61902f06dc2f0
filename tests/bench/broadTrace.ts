/**
 * The trace side of `bench:loki -- --broad`, in its own process so its peak RSS is the trace's alone: the broad
 * question ("every change in the hour") over Loki, then one targeted question per embedded scenario change,
 * each compared with the ground truth and with the broad answer. Prints one JSON object.
 */
import { chainToJson, LokiClient, traceOverLoki, type ChainJson, type TruthChain } from '../../src/core';
import { keepHeapNearLiveSize } from '../../src/cli/heap';
import { compareToTruth, targetedChains } from '../support/truth';

interface Input {
  url: string;
  from: number;
  to: number;
  truth: TruthChain[];
}

/** The chain fields whose values differ between two answers (what to look at when they are not the same). */
function differingFields(a: ChainJson | undefined, b: ChainJson | undefined): string[] {
  if (!a || !b) {
    return [];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof ChainJson>;
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** The time within [0, endMs] when no request was in flight (what the trace spent on its own work). */
function notInFlightMs(spans: Array<[number, number]>, endMs: number): number {
  let idle = 0;
  let reached = 0;
  for (const [from, to] of spans.filter(Boolean).sort((a, b) => a[0] - b[0])) {
    idle += Math.max(0, from - reached);
    reached = Math.max(reached, to);
  }
  return idle + Math.max(0, endMs - reached);
}

async function main(): Promise<void> {
  // As the CLI runs (src/cli/main.ts): the trace's peak RSS is then what it keeps alive, not V8's slack.
  keepHeapNearLiveSize();
  const input = JSON.parse(process.argv[2]) as Input;
  const urls: string[] = [];
  const urlBytes: number[] = [];
  // When each request was in flight, from the start of the broad trace: the time none was is the trace's own.
  const inFlight: Array<[number, number]> = [];
  let t0 = Date.now();
  let bytesReceived = 0;
  const client = new LokiClient({
    baseUrl: input.url,
    // What the trace itself received (the bytes read from Loki), counted as it reads them: a re-download of the
    // same requests may be answered otherwise (a refused page, a page cut by the answer's size).
    fetch: async (u, init) => {
      const i = urls.push(u) - 1;
      const t = Date.now();
      const res = await fetch(u, init);
      const text = await res.text();
      bytesReceived += Buffer.byteLength(text);
      urlBytes[i] = Buffer.byteLength(text);
      inFlight[i] = [t - t0, Date.now() - t0];
      return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
    },
  });
  t0 = Date.now();
  const broad = await traceOverLoki(client, { from: input.from, to: input.to });
  const endToEndMs = Date.now() - t0;
  const rssAfterBroad = process.resourceUsage().maxRSS;
  const byVerdict: Record<string, number> = {};
  broad.chains.forEach((c) => (byVerdict[c.verdict] = (byVerdict[c.verdict] ?? 0) + 1));
  const broadJson = broad.chains.map(chainToJson);
  const linesRead = broad.queries.reduce((n, q) => n + q.lines, 0);

  const quiet = new LokiClient({ baseUrl: input.url, fetch: (u, init) => fetch(u, init) });
  const scenarios: Array<{
    scenario: string;
    change: string;
    found: boolean;
    sameAsTargeted: boolean;
    problems: string[];
  }> = [];
  for (const t of input.truth) {
    // Another scenario's RBAC change is context for later writes too (every scenario is in one stream).
    const inBroad = compareToTruth(broadJson, t, input.truth);
    const inTargeted = compareToTruth(await targetedChains(quiet, t, input), t, input.truth);
    scenarios.push({
      scenario: t.scenario,
      change: `${t.effect.verb} ${t.effect.resource} ${t.effect.namespace ?? ''}/${t.effect.name}`,
      found: inBroad.problems.length === 0,
      sameAsTargeted:
        inBroad.chain !== undefined && JSON.stringify(inBroad.chain) === JSON.stringify(inTargeted.chain as ChainJson),
      problems: [
        ...inBroad.problems,
        ...inTargeted.problems.map((p) => `targeted: ${p}`),
        ...differingFields(inBroad.chain, inTargeted.chain).map((k) => `targeted differs in ${k}`),
      ],
    });
  }
  process.stdout.write(
    JSON.stringify({
      urls,
      urlBytes,
      idleMs: notInFlightMs(inFlight, endToEndMs),
      bytesReceived,
      endToEndMs,
      peakRssMB: Math.round(rssAfterBroad / 1024),
      chains: broad.chains.length,
      byVerdict,
      excluded: broad.excluded,
      excludedInLoki: broad.excludedInLoki,
      linesRead: linesRead,
      queries: broad.queries.map((q) => ({
        phase: q.phase,
        lines: q.lines,
        requests: q.requests,
        logqlChars: q.logql.length,
      })),
      warnings: broad.warnings,
      scenarios,
    }) + '\n'
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`broad trace failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
