/**
 * `node --import tsx tests/bench/profilePage.ts PATH [--ms=N]`: a CPU profile of one harness page in Debian's
 * headless chromium (the Chrome DevTools Protocol's sampling profiler from before the page loads until it sets
 * `window.firstRenderMs`, or for `--ms`), printed as the functions with the most self time. What limits a browser
 * benchmark, measured instead of guessed.
 */
import { startHarness } from '../browser/browser';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

async function main(): Promise<void> {
  const path = process.argv[2];
  const msArg = process.argv.find((a) => a.startsWith('--ms='));
  const top = Number(process.argv.find((a) => a.startsWith('--top='))?.split('=')[1] ?? 30);
  const h = await startHarness();
  try {
    const page = await h.browser.newPage({ viewport: { width: 1240, height: 840 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.goto(`${h.url}/${path}`);
    if (msArg) {
      await new Promise((r) => setTimeout(r, Number(msArg.split('=')[1])));
    } else {
      await page.waitForFunction(() => (window as { firstRenderMs?: number }).firstRenderMs !== undefined, null, {
        timeout: 120_000,
      });
      console.log('firstRenderMs', await page.evaluate('window.firstRenderMs'));
    }
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
      profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
    };
    // With --from=NAME: only the samples from the first one inside function NAME on (e.g. the first render).
    const fromName = process.argv.find((a) => a.startsWith('--from='))?.split('=')[1];
    if (fromName) {
      const parentOf = new Map<number, number>();
      for (const n of profile.nodes as Array<ProfileNode & { children?: number[] }>) {
        (n.children ?? []).forEach((c) => parentOf.set(c, n.id));
      }
      const nodeOf = new Map(profile.nodes.map((n) => [n.id, n]));
      const inside = (id: number | undefined): boolean =>
        id !== undefined && (nodeOf.get(id)?.callFrame.functionName === fromName || inside(parentOf.get(id)));
      const first = profile.samples.findIndex((s) => inside(s));
      const ms = profile.timeDeltas.slice(first).reduce((a, b) => a + b, 0) / 1000;
      console.log(
        `from the first sample in ${fromName}: ${profile.samples.length - first} samples, ${ms.toFixed(0)} ms`
      );
      profile.samples = profile.samples.slice(first);
    }
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    for (const s of profile.samples) {
      const n = byId.get(s);
      if (!n) continue;
      const f = n.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + 1);
    }
    const total = profile.samples.length;
    const parent = new Map<number, number>();
    for (const n of profile.nodes as Array<ProfileNode & { children?: number[] }>) {
      (n.children ?? []).forEach((c) => parent.set(c, n.id));
    }
    const inclusive = new Map<string, number>();
    for (const s of profile.samples) {
      const seen = new Set<string>();
      for (let id: number | undefined = s; id !== undefined; id = parent.get(id)) {
        const f = byId.get(id)?.callFrame;
        if (f?.functionName) seen.add(f.functionName);
      }
      seen.forEach((k) => inclusive.set(k, (inclusive.get(k) ?? 0) + 1));
    }
    // With --under=NAME: the time inside NAME by the function it called (its direct callees, inclusive).
    const under = process.argv.find((a) => a.startsWith('--under='))?.split('=')[1];
    if (under) {
      const callees = new Map<string, number>();
      for (const s of profile.samples) {
        let child: string | undefined;
        for (let id: number | undefined = s; id !== undefined; id = parent.get(id)) {
          const f = byId.get(id)?.callFrame;
          if (f?.functionName === under) {
            const k = child ?? '(self)';
            callees.set(k, (callees.get(k) ?? 0) + 1);
            break;
          }
          child = f ? `${f.functionName || '(anonymous)'}:${f.lineNumber}` : undefined;
        }
      }
      console.log(`inside ${under}, by callee:`);
      [...callees.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .forEach(([k, n]) => console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${k}`));
    }
    console.log('inclusive:');
    [...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([k, n]) => console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${k}`));
    console.log('self:');
    [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([k, n]) => console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${k}`));
  } finally {
    await h.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
