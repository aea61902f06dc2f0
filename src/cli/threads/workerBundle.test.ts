import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildSync } from 'esbuild';

import { workerBundle, type BundleOptions } from './workerBundle';

/**
 * The worker's bundle is never older than its sources: it is kept under the hash of every file in it, built
 * again when one changes, and not used at all (the sources go through tsx) when it cannot be built.
 */

function project(): BundleOptions & { builds: () => number } {
  const root = mkdtempSync(join(tmpdir(), 'provenance-bundle-'));
  writeFileSync(join(root, 'entry.ts'), "import { answer } from './answer';\nexport const value: number = answer;\n");
  writeFileSync(join(root, 'answer.ts'), 'export const answer = 41;\n');
  let builds = 0;
  const build: typeof buildSync = (o) => {
    builds++;
    return buildSync(o);
  };
  return { root, source: join(root, 'entry.ts'), cacheDir: join(root, 'cache'), build, builds: () => builds };
}

const valueOf = (bundle: string) => (require(bundle) as { value: number }).value;

describe('the worker bundle', () => {
  it('is built once and used while its sources stay the same', () => {
    const p = project();
    const first = workerBundle(p);
    expect(first).toBeDefined();
    expect(valueOf(first!)).toBe(41);
    expect(workerBundle(p)).toBe(first);
    expect(p.builds()).toBe(1);
  });

  it('is built again when a file in it changes, and the old one is removed', () => {
    const p = project();
    const first = workerBundle(p)!;
    writeFileSync(join(p.root, 'answer.ts'), 'export const answer = 42;\n');
    const second = workerBundle(p)!;
    expect(second).not.toBe(first);
    expect(valueOf(second)).toBe(42);
    expect(p.builds()).toBe(2);
    expect(readdirSync(p.cacheDir).filter((f) => f.endsWith('.cjs'))).toEqual([second.slice(p.cacheDir.length + 1)]);
  });

  it('is not used when it cannot be built', () => {
    const p = project();
    writeFileSync(join(p.root, 'answer.ts'), 'export const answer = ;\n');
    expect(workerBundle(p)).toBeUndefined();
    const failing = project();
    expect(
      workerBundle({
        ...failing,
        build: () => {
          throw new Error('no esbuild here');
        },
      })
    ).toBeUndefined();
  });
});
