/**
 * `npm run bench:panel`: first render of 10,000 chains in the provenance panel, and how smoothly its story list
 * scrolls, in Debian's headless chromium (the browser-test harness, the real @grafana/ui theme, frames made by
 * the data source). The baseline, measured in the same run, is the same page with the 10 chains of the
 * generated scenarios. `--chains=N` changes the size; `--json` prints {"chains","firstRenderMs","scrollFps"}.
 */
import type { Browser } from 'playwright-core';

import { startHarness } from '../browser/browser';

const RUNS = 5;
const SCROLL_MS = 2000;
const TARGET_MS = 300;

interface Sample {
  firstRenderMs: number;
  scrollFps: number;
}

/** One cold page load: time to the first paint, then a scripted scroll through the list, one step a frame. */
async function measure(browser: Browser, url: string, chains: number): Promise<Sample> {
  const page = await browser.newPage({ viewport: { width: 1240, height: 840 } });
  try {
    await page.goto(`${url}/panel.html?chains=${chains}&group=0`);
    await page.waitForFunction(() => (window as { firstRenderMs?: number }).firstRenderMs !== undefined);
    const firstRenderMs = await page.evaluate(() => (window as unknown as { firstRenderMs: number }).firstRenderMs);
    // A source string, not a function: tsx would wrap named functions in a helper the page does not have.
    const scrollFps = (await page.evaluate(`new Promise((resolve) => {
      const list = document.querySelector('[data-testid="story-list"]');
      const start = performance.now();
      let frames = 0;
      const step = (now) => {
        frames++;
        list.scrollTop += 240;
        if (now - start < ${SCROLL_MS}) {
          requestAnimationFrame(step);
        } else {
          resolve((frames * 1000) / (now - start));
        }
      };
      requestAnimationFrame(step);
    })`)) as number;
    return { firstRenderMs, scrollFps };
  } finally {
    await page.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function series(browser: Browser, url: string, chains: number): Promise<Sample> {
  await measure(browser, url, chains); // warm-up: the first load also compiles the bundle
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    samples.push(await measure(browser, url, chains));
  }
  return {
    firstRenderMs: median(samples.map((s) => s.firstRenderMs)),
    scrollFps: median(samples.map((s) => s.scrollFps)),
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const chainsArg = args.find((a) => a.startsWith('--chains='));
  const chains = chainsArg ? Number(chainsArg.split('=')[1]) : 10_000;
  if (!Number.isInteger(chains) || chains < 1) {
    throw new Error(`--chains must be a positive whole number, not ${chainsArg}`);
  }
  const harness = await startHarness();
  try {
    const base = await series(harness.browser, harness.url, 10);
    const big = await series(harness.browser, harness.url, chains);
    if (json) {
      console.log(JSON.stringify({ chains, firstRenderMs: round(big.firstRenderMs), scrollFps: round(big.scrollFps) }));
      return;
    }
    console.log(`panel, median of ${RUNS} cold loads in headless chromium`);
    console.log(
      `  baseline (10 chains):   first render ${round(base.firstRenderMs)} ms, scroll ${round(base.scrollFps)} fps`
    );
    console.log(
      `  ${chains} chains: first render ${round(big.firstRenderMs)} ms (${round(big.firstRenderMs / base.firstRenderMs)}× baseline, ` +
        `target < ${TARGET_MS} ms: ${big.firstRenderMs < TARGET_MS ? 'met' : 'MISSED'}), scroll ${round(big.scrollFps)} fps ` +
        `(${round(big.scrollFps / base.scrollFps)}× baseline)`
    );
  } finally {
    await harness.close();
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
