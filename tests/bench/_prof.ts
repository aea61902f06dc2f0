import { generate, pushBodies, pushBody, pushEntryOf, scenarioNames, type PushEntry } from '../../src/core';
import { startHarness } from '../browser/browser';
import { LokiEmulator } from '../support/lokiEmulator';
async function main() {
  const emulator = new LokiEmulator();
  const lokiUrl = await emulator.start();
  const start = Date.UTC(2026, 2, 2, 10);
  const g = generate({ scenarios: 'all', noiseEvents: 0, eventsPerHour: Number(process.argv[3]), seed: 42, start, leadInMs: 5 * 60_000, spacingMs: Math.floor((55 * 60_000) / scenarioNames().length) });
  const batch: PushEntry[] = [];
  for (const r of g.records()) { const e = pushEntryOf(r.line, 'prod-eu'); if (e) batch.push(e); }
  for (const body of pushBodies(batch, 2000)) await pushBody((u, init) => fetch(u, init), lokiUrl, body);
  const h = await startHarness({ lokiUrl });
  const page = await h.browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await page.goto(`${h.url}/datasource-bench.html?worker=${process.argv[2]}&from=${g.span.from}&to=${g.span.to}`);
  await page.waitForFunction(() => (window as any).harnessReady === true);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  const r = await page.evaluate('window.runBench()');
  const { profile } = (await cdp.send('Profiler.stop')) as any;
  console.log(JSON.stringify(r));
  const self = new Map<string, number>();
  const dt = profile.timeDeltas as number[];
  const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
  profile.samples.forEach((id: number, i: number) => {
    const n: any = byId.get(id);
    const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  [...self].sort((a, b) => b[1] - a[1]).slice(0, 25).forEach(([k, v]) => console.log(Math.round(v), k));
  await h.close(); await emulator.stop();
}
main();
