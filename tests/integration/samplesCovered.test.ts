import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SAMPLES_DIR, sharedPath } from '../support/shared';

/** Every real sample in ../shared is read by some test, so a sample added there cannot be forgotten here. */

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) {
      return d.name === 'node_modules' ? [] : testSources(p);
    }
    return /\.test\.tsx?$/.test(d.name) ? [readFileSync(p, 'utf8')] : [];
  });
}

describe('real samples', () => {
  it('are each read by at least one test', () => {
    sharedPath('reference', 'samples');
    const root = join(__dirname, '..', '..');
    const sources = [...testSources(join(root, 'src')), ...testSources(join(root, 'tests'))].join('\n');
    const unread = readdirSync(SAMPLES_DIR).filter((name) => !sources.includes(`'${name}'`));
    expect(unread).toEqual([]);
  });
});
