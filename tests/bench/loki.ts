/**
 * `npm run bench:loki -- --broad [--json] [--events=N]`: N (default 1,000,000) realistic events — one hour of a
 * 50-node cluster's audit stream with every scenario inside — and the broad question "every change in the
 * hour", routine system writes left out; the emulator and the trace each run in a process of their own
 * (broadTrace.ts), so the trace's peak RSS is its own. Prints the end-to-end time against a raw download of
 * the same requests, bytes read from Loki against the audit stream's bytes, chains by verdict, and each
 * embedded scenario's chain as found by the broad and by a targeted question.
 *
 * `npm run bench:loki -- --watch [--json] [--events=N]`: the same hour, recorded by `provenance watch --until` (in
 * a process of its own, watchRun.ts): events/s through the watcher, its peak RSS, against a raw download of the
 * same read requests from the same server in the same run.
 *
 * `npm run bench:loki`: loads N generated events (default 1,000,000) into the Loki emulator, then answers a
 * typical incident question ("who deleted deployments/production/frontend-app, and why?") end to end with
 * trace --loki, and compares it with a raw download of exactly the same Loki requests (plain HTTP, same
 * concurrency, no processing) from the same server in the same run. `--json` prints
 * {"events","pushEventsPerSec","endToEndMs","rawDownloadMs","ratio"}.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

import { generate, LokiClient, traceOverLoki } from '../../src/core';
import { LokiEmulator } from '../support/lokiEmulator';
import { busyHour, pushLines } from './pushLines';

// BENCH_CHILD_FLAGS: node flags for the emulator and trace processes (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
const NODE = [
  ...(process.env.BENCH_CHILD_FLAGS?.split(' ').filter(Boolean) ?? []),
  '--max-semi-space-size=32',
  '--import',
  'tsx',
];

/** A `node` child running a bench script; its stdout as text. */
function child(script: string, args: string[], heapMB?: number) {
  const flags = heapMB ? [`--max-old-space-size=${heapMB}`, ...NODE] : NODE;
  return spawn(process.execPath, [...flags, script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
}

/** The same requests, downloaded and thrown away, four at a time as the client runs them. */
async function rawDownload(
  urls: string[],
  expected?: number[]
): Promise<{ ms: number; bytes: number; mismatches: number }> {
  const t0 = Date.now();
  let next = 0;
  let bytes = 0;
  let mismatches = 0;
  const statuses: Record<number, number> = {};
  const errors = new Map<number, string>();
  const get = async (url: string): Promise<string> => {
    // A keep-alive connection the server closed while idle fails at once (ECONNRESET): as the client does, ask
    // again on a new one (the trace's client retries network errors too).
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(url, { headers: { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' } });
        const text = await res.text();
        // The trace's refused pages (Loki's message limit) are among the requests: they are downloaded again too.
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (!res.ok && !errors.has(res.status)) {
          errors.set(res.status, text.slice(0, 300));
        }
        return text;
      } catch (e) {
        if (attempt >= 3 || !(e instanceof TypeError)) {
          throw e;
        }
      }
    }
  };
  const worker = async () => {
    while (next < urls.length) {
      const i = next++;
      // Not `bytes += await …`: that reads `bytes` before the await, and the four workers' sums overwrite each other.
      const n = Buffer.byteLength(await get(urls[i]));
      bytes += n;
      if (expected && expected[i] !== n) {
        mismatches++;
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  process.stderr.write(`raw download statuses ${JSON.stringify(statuses)} ${JSON.stringify([...errors])}\n`);
  return { ms: Date.now() - t0, bytes, mismatches };
}

async function broad(events: number, json: boolean): Promise<void> {
  const { server, url } = await emulatorProcess();
  try {
    const { g, pushed: pushedAll, pushMs } = await pushHour(url, events);

    const tracer = child('tests/bench/broadTrace.ts', [
      JSON.stringify({ url, from: g.span.from, to: g.span.to, truth: g.truth }),
    ]);
    let out = '';
    tracer.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => tracer.once('exit', resolve));
    if (code !== 0) {
      throw new Error(`the trace exited with ${code}`);
    }
    const r = JSON.parse(out) as {
      urls: string[];
      urlBytes: number[];
      idleMs: number;
      bytesReceived: number;
      endToEndMs: number;
      peakRssMB: number;
      chains: number;
      byVerdict: Record<string, number>;
      excluded: Record<string, number>;
      excludedInLoki: string[];
      queries: Array<{ phase: number; lines: number; requests: number }>;
      scenarios: Array<{
        scenario: string;
        change: string;
        found: boolean;
        sameAsTargeted: boolean;
        problems: string[];
      }>;
    };
    const raw = await rawDownload(r.urls, r.urlBytes);
    const result = {
      events: pushedAll.pushed,
      spanMinutes: Math.round((g.span.to - g.span.from) / 60_000),
      pushEventsPerSec: Math.round((pushedAll.pushed / pushMs) * 1000),
      auditStreamBytes: pushedAll.auditBytes,
      bytesRead: r.bytesReceived,
      bytesReadToStreamRatio: Number((r.bytesReceived / pushedAll.auditBytes).toFixed(3)),
      rawDownloadBytes: raw.bytes,
      rawDownloadMismatches: raw.mismatches,
      requests: r.urls.length,
      endToEndMs: r.endToEndMs,
      rawDownloadMs: raw.ms,
      ratio: Number((r.endToEndMs / raw.ms).toFixed(2)),
      traceIdleMs: r.idleMs,
      peakRssMB: r.peakRssMB,
      chains: r.chains,
      byVerdict: r.byVerdict,
      excluded: r.excluded,
      excludedInLoki: r.excludedInLoki,
      phase1Lines: r.queries.filter((q) => q.phase === 1).reduce((n, q) => n + q.lines, 0),
      scenarios: r.scenarios,
    };
    if (json) {
      process.stdout.write(JSON.stringify(result) + '\n');
    } else {
      process.stdout.write(
        [
          `events pushed          ${result.events} in ${result.spanMinutes} min (${result.pushEventsPerSec}/s into the emulator)`,
          `question               every change in the hour (routine system writes left out)`,
          `audit stream           ${(pushedAll.auditBytes / 1e6).toFixed(1)} MB`,
          `read from Loki         ${(r.bytesReceived / 1e6).toFixed(1)} MB in ${result.requests} requests = ${(result.bytesReadToStreamRatio * 100).toFixed(1)}% of the stream (target ≤ 15%)`,
          `trace --loki           ${result.endToEndMs} ms end to end`,
          `raw download           ${result.rawDownloadMs} ms (same requests, no processing; ${result.rawDownloadMismatches} of them answered with other bytes than the trace got)`,
          `ratio                  ${result.ratio}×   (target ≤ 1.5×)`,
          `no request in flight   ${result.traceIdleMs} ms of the trace (its own work between its reads)`,
          `peak RSS (trace)       ${result.peakRssMB} MB   (target ≤ 600 MB)`,
          `chains by verdict      ${Object.entries(result.byVerdict)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
          `left out as routine    ${
            Object.entries(result.excluded)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ') || '—'
          } (+ in Loki: ${result.excludedInLoki.join(', ')})`,
          ...result.scenarios.map(
            (s) =>
              `scenario               ${s.scenario}: ${s.change} ${s.found ? 'found' : 'NOT FOUND'}${s.sameAsTargeted ? ', same as targeted' : ', DIFFERS from targeted'}${s.problems.length ? ` (${s.problems.join('; ')})` : ''}`
          ),
          '',
        ].join('\n')
      );
    }
    if (result.scenarios.some((s) => !s.found || !s.sameAsTargeted)) {
      process.exitCode = 1;
    }
  } finally {
    server.stdin.end();
  }
}

/** The emulator in a process of its own, and its URL. */
async function emulatorProcess() {
  const server = child('tests/bench/lokiServer.ts', [], 12_000);
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: server.stdout }).once('line', resolve);
    server.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
  });
  server.once('exit', (code, signal) => process.stderr.write(`the emulator exited (${code ?? signal})\n`));
  return { server, url };
}

/** The busy hour (every scenario inside it), pushed. */
async function pushHour(url: string, events: number) {
  const g = busyHour(events, Date.UTC(2026, 2, 2, 10));
  const t0 = Date.now();
  const pushed = await pushLines(url, g.records());
  return { g, pushed, pushMs: Date.now() - t0 };
}

async function watchBench(events: number, json: boolean): Promise<void> {
  const { server, url } = await emulatorProcess();
  try {
    const { g, pushed, pushMs } = await pushHour(url, events);
    // The watcher's 5-minute window grid, around the generated span.
    const grid = 300_000;
    const from = Math.floor(g.span.from / grid) * grid;
    const until = Math.ceil(g.span.to / grid) * grid;
    const watcher = child('tests/bench/watchRun.ts', [JSON.stringify({ url, from, until })]);
    let text = '';
    watcher.stdout.on('data', (d: Buffer) => (text += d.toString()));
    const code = await new Promise<number | null>((resolve) => watcher.once('exit', resolve));
    if (code !== 0) {
      throw new Error(`the watcher exited with ${code}`);
    }
    const r = JSON.parse(text) as {
      ms: number;
      peakRssMB: number;
      summary: string;
      windows: number;
      reads: string[];
      pushes: number;
    };
    const raw = await rawDownload(r.reads);
    const out = {
      events: pushed.pushed,
      auditStreamMB: Number((pushed.auditBytes / 1e6).toFixed(1)),
      pushEventsPerSec: Math.round((pushed.pushed / pushMs) * 1000),
      watchMs: r.ms,
      watchEventsPerSec: Math.round((pushed.pushed / r.ms) * 1000),
      peakRssMB: r.peakRssMB,
      windows: r.windows,
      readRequests: r.reads.length,
      pushRequests: r.pushes,
      rawDownloadMs: raw.ms,
      bytesReadMB: Number((raw.bytes / 1e6).toFixed(1)),
      ratio: Number((r.ms / raw.ms).toFixed(2)),
      summary: r.summary,
    };
    if (json) {
      process.stdout.write(JSON.stringify(out) + '\n');
    } else {
      process.stdout.write(
        [
          `events pushed          ${out.events} in one hour (${out.auditStreamMB} MB audit stream; ${out.pushEventsPerSec}/s into the emulator)`,
          `watch --until          ${out.watchMs} ms: ${out.watchEventsPerSec} events/s, ${out.windows} windows, peak RSS ${out.peakRssMB} MB`,
          `                       ${out.summary}`,
          `requests               ${out.readRequests} reads (${out.bytesReadMB} MB), ${out.pushRequests} pushes`,
          `raw download           ${out.rawDownloadMs} ms (same reads, no processing)`,
          `ratio                  ${out.ratio}×`,
          '',
        ].join('\n')
      );
    }
  } finally {
    server.stdin.end();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const eventsArg = args.find((a) => a.startsWith('--events='));
  const events = eventsArg ? Number(eventsArg.split('=')[1]) : 1_000_000;
  if (args.includes('--broad')) {
    return broad(events, json);
  }
  if (args.includes('--watch')) {
    return watchBench(events, json);
  }
  const emu = new LokiEmulator();
  const url = await emu.start();
  try {
    const g = generate({ scenarios: 'all', noiseEvents: events, seed: 42, start: Date.UTC(2026, 2, 2, 10) });
    const t0 = Date.now();
    const { pushed } = await pushLines(url, g.records());
    const pushMs = Date.now() - t0;

    const urls: string[] = [];
    const recording = (u: string, init: { headers: Record<string, string>; signal?: AbortSignal }) => {
      urls.push(u);
      return fetch(u, init);
    };
    const question = {
      target: { resource: 'deployments', namespace: 'production', name: 'frontend-app' },
      from: g.span.from,
      to: g.span.to,
    };
    const t1 = Date.now();
    const result = await traceOverLoki(new LokiClient({ baseUrl: url, fetch: recording }), question);
    const endToEndMs = Date.now() - t1;
    if (result.chains.length !== 1 || result.chains[0].verdict !== 'gitops-rollback') {
      throw new Error(`unexpected answer: ${result.chains.map((c) => c.verdict).join(', ')}`);
    }

    const { ms: rawDownloadMs, bytes } = await rawDownload(urls);

    const out = {
      events: pushed,
      pushEventsPerSec: Math.round((pushed / pushMs) * 1000),
      endToEndMs,
      rawDownloadMs,
      ratio: Number((endToEndMs / rawDownloadMs).toFixed(2)),
    };
    if (json) {
      process.stdout.write(JSON.stringify(out) + '\n');
    } else {
      process.stdout.write(
        [
          `events pushed          ${out.events} (${out.pushEventsPerSec}/s into the emulator)`,
          `question               who deleted deployments/production/frontend-app, and why?`,
          `requests               ${urls.length} (${result.queries.length} queries; ${(bytes / 1e6).toFixed(1)} MB)`,
          `trace --loki           ${out.endToEndMs} ms end to end`,
          `raw download           ${out.rawDownloadMs} ms (same requests, no processing)`,
          `ratio                  ${out.ratio}×   (target ≤ 1.5×)`,
          '',
        ].join('\n')
      );
    }
  } finally {
    await emu.stop();
  }
}

main().catch((e: unknown) => {
  const cause = e instanceof Error && e.cause ? ` (${String((e.cause as Error).message ?? e.cause)})` : '';
  process.stderr.write(`bench:loki failed: ${e instanceof Error ? e.message : String(e)}${cause}\n`);
  process.exitCode = 1;
});
