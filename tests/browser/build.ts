import { build } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bundles the harness page into a temporary folder (index.html + harness.js) and returns the folder. */
export async function buildHarness(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'provenance-harness-'));
  await build({
    entryPoints: {
      harness: join(__dirname, 'harness', 'main.tsx'),
      panel: join(__dirname, 'harness', 'panel.tsx'),
      app: join(__dirname, 'harness', 'app.tsx'),
      datasourceBench: join(__dirname, 'harness', 'datasourceBench.ts'),
      // The data source's worker, at the root: the harness pages' public path (as module.js's folder in Grafana).
      traceWorker: join(__dirname, '..', '..', 'src', 'datasource', 'traceWorker.ts'),
    },
    bundle: true,
    outdir: out,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    // `__webpack_public_path__`: what webpack's runtime gives the data source in Grafana, here the server's root.
    define: { 'process.env.NODE_ENV': '"production"', global: 'window', __webpack_public_path__: '"/"' },
    loader: { '.css': 'empty', '.svg': 'text', '.woff': 'empty', '.woff2': 'empty', '.png': 'empty' },
    logLevel: 'silent',
    minify: false,
  });
  const page = (script: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>harness</title><style>body{margin:0}</style></head><body><div id="root"></div><script src="${script}"></script></body></html>`;
  writeFileSync(join(out, 'index.html'), page('harness.js'));
  writeFileSync(join(out, 'panel.html'), page('panel.js'));
  writeFileSync(join(out, 'datasource-bench.html'), page('datasourceBench.js'));
  // The app's pages are routed by path: the server answers app.html for every path under /a/.
  writeFileSync(join(out, 'app.html'), page('/app.js'));
  return out;
}
