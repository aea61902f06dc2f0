/**
 * `npm run bench:loki`: loads N generated events (default 1,000,000) into the Loki emulator, then answers a
 * typical incident question ("who deleted deployments/production/frontend-app, and why?") end to end with
 * trace --loki, and compares it with a raw download of exactly the same Loki requests (plain HTTP, same
 * concurrency, no processing) from the same server in the same run. `--json` prints
 * {"events","pushEventsPerSec","endToEndMs","rawDownloadMs","ratio"}.
 */
import { generate, LokiClient, pushBodies, pushBody, pushEntryOf, traceOverLoki, type PushEntry } from '../../src/core';
import { LokiEmulator } from '../support/lokiEmulator';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const eventsArg = args.find((a) => a.startsWith('--events='));
  const events = eventsArg ? Number(eventsArg.split('=')[1]) : 1_000_000;
  const emu = new LokiEmulator();
  const url = await emu.start();
  try {
    const g = generate({ scenarios: 'all', noiseEvents: events, seed: 42, start: Date.UTC(2026, 2, 2, 10) });
    const t0 = Date.now();
    let pushed = 0;
    let batch: PushEntry[] = [];
    const flush = async () => {
      for (const body of pushBodies(batch, 2000)) {
        await pushBody((u, init) => fetch(u, init), url, body);
      }
      pushed += batch.length;
      batch = [];
    };
    for (const r of g.records()) {
      const e = pushEntryOf(r.line, 'prod-eu');
      if (e) {
        batch.push(e);
      }
      if (batch.length >= 20_000) {
        await flush();
      }
    }
    await flush();
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

    // The same requests, downloaded and thrown away, four at a time as the client runs them.
    const t2 = Date.now();
    let next = 0;
    let bytes = 0;
    const worker = async () => {
      while (next < urls.length) {
        const res = await fetch(urls[next++], { headers: { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' } });
        bytes += (await res.text()).length;
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const rawDownloadMs = Date.now() - t2;

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
  process.stderr.write(`bench:loki failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
