import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The real samples live in the steering checkout beside this repository (`../shared`), never in this repo.
 * CI has them; when they are absent the tests that need them fail with this message instead of passing or
 * skipping quietly.
 */
export const SHARED_DIR = resolve(__dirname, '..', '..', '..', 'shared');
export const SAMPLES_DIR = join(SHARED_DIR, 'reference', 'samples');

export function sharedPath(...parts: string[]): string {
  const p = join(SHARED_DIR, ...parts);
  if (!existsSync(p)) {
    throw new Error(
      `${p} is absent: these tests read the real samples from ../shared (the steering checkout beside this repository). ` +
        'Check it out next to this repository to run them.'
    );
  }
  return p;
}

export function readSample(name: string): string {
  return readFileSync(sharedPath('reference', 'samples', name), 'utf8');
}

/** A sample file's lines as RawLines with `name:line` origins (a trailing empty line is dropped). */
export function sampleLines(name: string): Array<{ text: string; origin: string }> {
  const lines = readSample(name).split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines.map((text, i) => ({ text, origin: `${name}:${i + 1}` }));
}
