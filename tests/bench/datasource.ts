/**
 * `npm run bench:datasource`: one Chains query ("Keep routine traffic" on, every write of a busy stretch) whose
 * Loki answer is about 200,000 lines, run by the data source in Debian's headless chromium against the Loki
 * emulator over HTTP. Long Tasks API: every main-thread task over 50 ms while the query runs, with the trace in
 * the data source's Web Worker and, as the baseline in the same run, on the page's thread (the fallback where no
 * worker starts). The traffic: a 50-node cluster's audit stream (src/core/generate, routine system traffic in its
 * real proportions) with every scenario inside. `--events=N` (per hour, default 490,000, which makes the
 * ~200,000-line answer), `--runs=N` (default 1), `--json`.
 */
import { startHarness } from '../browser/browser';
import { LokiEmulator } from '../support/lokiEmulator';
import { busyHour, pushLines } from './pushLines';

const TARGET_MS = 50;

interface Run {
  ms: number;
  chains: number;
  lokiLines: number;
  lokiRequests: number;
  longTasks: number;
  longestTaskMs: number;
  heapMb: number;
  spent: Record<string, { count: number; ms: number; longest: number }>;
}

async function load(url: string, eventsPerHour: number) {
  const g = busyHour(eventsPerHour, Date.UTC(2026, 2, 2, 10));
  await pushLines(url, g.records());
  return g.span;
}

function arg(args: string[], name: string, fallback: number): number {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  const n = a ? Number(a.split('=')[1]) : fallback;
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`--${name} must be a positive whole number, not ${a}`);
  }
  return n;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const events = arg(args, 'events', 490_000);
  const runs = arg(args, 'runs', 1);
  const emulator = new LokiEmulator();
  const lokiUrl = await emulator.start();
  const span = await load(lokiUrl, events);
  const harness = await startHarness({ lokiUrl });
  try {
    const once = async (worker: boolean): Promise<Run> => {
      const page = await harness.browser.newPage();
      try {
        await page.goto(
          `${harness.url}/datasource-bench.html?worker=${worker ? 1 : 0}&from=${span.from}&to=${span.to}`
        );
        await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
        // A source string, not a function: tsx would wrap named functions in a helper the page does not have.
        return (await page.evaluate('window.runBench()')) as Run;
      } finally {
        await page.close();
      }
    };
    const results: Array<{ worker: Run; sameThread: Run }> = [];
    for (let i = 0; i < runs; i++) {
      results.push({ sameThread: await once(false), worker: await once(true) });
    }
    if (json) {
      console.log(JSON.stringify({ eventsPerHour: events, runs: results }));
      return;
    }
    console.log(`data source, Chains query with routine traffic kept, ${events} events an hour, headless chromium`);
    for (const r of results) {
      const line = (name: string, x: Run) =>
        `  ${name}: ${round(x.ms / 1000)} s, ${x.chains} chains from ${x.lokiLines} lines in ${x.lokiRequests} Loki requests; ` +
        `main-thread tasks over ${TARGET_MS} ms: ${x.longTasks}, longest ${round(x.longestTaskMs)} ms; page heap ${x.heapMb} MB`;
      console.log(line('same thread (baseline)', r.sameThread));
      console.log(
        `${line('Web Worker            ', r.worker)} — ${r.worker.longTasks === 0 ? 'met' : 'MISSED'} (none over ${TARGET_MS} ms); ` +
          `longest ${round(r.worker.longestTaskMs / Math.max(1, r.sameThread.longestTaskMs))}× baseline, ` +
          `end to end ${round(r.worker.ms / r.sameThread.ms)}× baseline`
      );
      console.log(`    page thread by cause (worker run): ${causes(r.worker)}`);
    }
  } finally {
    await harness.close();
    await emulator.stop();
  }
}

function causes(r: Run): string {
  return Object.entries(r.spent)
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([what, s]) => `${what} ×${s.count} ${Math.round(s.ms)} ms (longest ${round(s.longest)})`)
    .join(', ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
