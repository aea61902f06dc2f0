import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import { buildHarness } from './build';

/**
 * Debian's chromium, driven by playwright-core — never a downloaded browser. `.ci/run` installs it with
 * apt-get; on a machine without it these tests fail and say how to install it.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The machine's network is closed: background requests would only be refused.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where Grafana's Icon fetches its SVGs when no public path is set (@grafana/ui Icon/utils getIconRoot). */
const ICON_ROOT = 'public/build/img/icons/';
const ICONS = join(__dirname, '..', '..', 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');

/** Serves a folder on loopback, and Grafana's icons as Grafana serves them; /loki/ goes to `lokiUrl` when given. */
async function serve(dir: string, lokiUrl?: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (lokiUrl && req.url?.startsWith('/loki/')) {
      fetch(`${lokiUrl}${req.url}`).then(
        async (r) =>
          res.writeHead(r.status, { 'Content-Type': 'application/json' }).end(Buffer.from(await r.arrayBuffer())),
        (e: unknown) => res.writeHead(502).end(String(e))
      );
      return;
    }
    // Under an app page's path Grafana's relative icon URLs resolve below it: serve them from the icon root too.
    const raw = (req.url ?? '/').split('?')[0];
    const path = raw.includes(`/${ICON_ROOT}`) ? raw.slice(raw.indexOf(`/${ICON_ROOT}`)) : raw;
    const isPage = path.startsWith('/a/') && !path.includes('/public/');
    const name = path === '/' ? 'index.html' : isPage ? 'app.html' : path.slice(1);
    const [root, file] = name.startsWith(ICON_ROOT)
      ? [ICONS, join(ICONS, name.slice(ICON_ROOT.length))]
      : [dir, join(dir, name)];
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = name.endsWith('.html') ? 'text/html' : name.endsWith('.svg') ? 'image/svg+xml' : 'text/javascript';
    res.writeHead(200, { 'Content-Type': type }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Screenshots are CI artifacts (artifacts/ is not committed). */
export function screenshotPath(name: string): string {
  const dir = join(__dirname, '..', '..', 'artifacts', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** The harness pages built, served on loopback and a chromium to open them, for one test file or bench run. */
export interface Harness {
  browser: Browser;
  url: string;
  close(): Promise<void>;
}

export async function startHarness(options: { lokiUrl?: string } = {}): Promise<Harness> {
  const { url, server } = await serve(await buildHarness(), options.lokiUrl);
  const browser = await launch();
  return {
    browser,
    url,
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}

/** Opens a harness page and waits until it says it is ready; errors the page throws are collected. */
export async function openHarnessPage(
  h: Harness,
  path: string,
  viewport: { width: number; height: number },
  /** Browser permissions the page is granted (the report's "Copy as Markdown" writes the clipboard). */
  permissions: string[] = []
): Promise<{ page: Page; errors: string[] }> {
  const page = await h.browser.newPage({ viewport, permissions, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${h.url}/${path}`);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  return { page, errors };
}
