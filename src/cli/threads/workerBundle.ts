import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * What a parse thread runs. The CLI runs its TypeScript sources through tsx, and a worker thread does not inherit
 * the main thread's loader: loading the sources through tsx again costs each worker about 1.2 s. So the worker's
 * module is bundled once by esbuild (tsx's own dependency) into one CommonJS file, cached under
 * `node_modules/.cache/provenance/` by a hash of the contents of every file in it, and used while that hash
 * holds: a bundle is never older than the sources. Without esbuild, or when the bundle cannot be written, the
 * worker loads the sources through tsx as before.
 */

export interface WorkerScript {
  /** The module a worker requires. */
  entry: string;
  /** A module to require first (tsx's loader, for a TypeScript entry). */
  loader?: string;
}

export interface BundleOptions {
  /** The worker's module (parseWorker.ts). */
  source: string;
  /** Where bundles are kept. */
  cacheDir: string;
  /** The directory the bundle's inputs are named from (the repository). */
  root: string;
  /** esbuild's `buildSync` (tests give one that fails). */
  build?: typeof import('esbuild').buildSync;
}

const ROOT = resolve(__dirname, '..', '..', '..');
const NAME = 'parseWorker';

/** The hash of the files, by name and content; undefined when one cannot be read (then it is not cached). */
function hashOf(root: string, inputs: string[]): string | undefined {
  const h = createHash('sha256');
  try {
    for (const input of inputs) {
      h.update(input)
        .update('\0')
        .update(readFileSync(join(root, input)))
        .update('\0');
    }
  } catch {
    return undefined;
  }
  return h.digest('hex').slice(0, 32);
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** The bundle of `o.source` kept for its inputs as they are now, built if there is none; undefined if it cannot be. */
export function workerBundle(o: BundleOptions): string | undefined {
  const manifest = join(o.cacheDir, `${NAME}.json`);
  const bundleOf = (hash: string) => join(o.cacheDir, `${NAME}-${hash}.cjs`);
  try {
    const { inputs } = JSON.parse(readFileSync(manifest, 'utf8')) as { inputs: string[] };
    const hash = hashOf(o.root, inputs);
    if (hash !== undefined && existsSync(bundleOf(hash))) {
      return bundleOf(hash);
    }
  } catch {
    // No bundle yet, or the sources changed since: build one.
  }
  try {
    const build = o.build ?? (require('esbuild') as typeof import('esbuild')).buildSync;
    const result = build({
      entryPoints: [o.source],
      absWorkingDir: o.root,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: `node${process.versions.node.split('.')[0]}`,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile?.inputs ?? {}).sort();
    const code = result.outputFiles?.[0]?.text;
    const hash = hashOf(o.root, inputs);
    if (code === undefined || inputs.length === 0 || hash === undefined) {
      return undefined;
    }
    mkdirSync(o.cacheDir, { recursive: true });
    const bundle = bundleOf(hash);
    writeAtomically(bundle, code);
    // A source edited while esbuild read it: the bundle is kept under the hash it was built from only.
    if (hashOf(o.root, inputs) !== hash) {
      return undefined;
    }
    writeAtomically(manifest, JSON.stringify({ inputs }));
    for (const f of readdirSync(o.cacheDir)) {
      if (f.startsWith(`${NAME}-`) && f.endsWith('.cjs') && join(o.cacheDir, f) !== bundle) {
        rmSync(join(o.cacheDir, f), { force: true });
      }
    }
    return bundle;
  } catch {
    return undefined;
  }
}

/** The parse worker: its bundle when it can be had, else its sources through tsx. */
export function parseWorkerScript(): WorkerScript {
  const source = require.resolve('./parseWorker');
  if (!source.endsWith('.ts')) {
    return { entry: source };
  }
  const bundle = workerBundle({ source, cacheDir: join(ROOT, 'node_modules', '.cache', 'provenance'), root: ROOT });
  return bundle ? { entry: bundle } : { entry: source, loader: require.resolve('tsx/cjs') };
}
