import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ALERT_RULES, ALL_ROUTINE, DEFAULT_OPTIONS, LINK_RULES, scenarioNames } from '../../src/core';

/** The README documents every link rule, every correlation window and every scenario the code has. */
const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('has a row for every link rule', () => {
    for (const r of LINK_RULES) {
      expect(readme).toContain(`| \`${r.kind}\` |`);
    }
  });

  it('has a row for every alert rule', () => {
    for (const r of ALERT_RULES) {
      expect(readme).toContain(`| \`${r.id}\` | ${r.severity} |`);
    }
  });

  it('documents every correlation window', () => {
    for (const k of Object.keys(DEFAULT_OPTIONS)) {
      expect(readme).toContain(`| \`${k}\` |`);
    }
  });

  it('has a row for every routine class', () => {
    for (const c of ALL_ROUTINE) {
      expect(readme).toContain(`| \`${c}\` |`);
    }
  });

  it('names every scenario', () => {
    for (const n of scenarioNames()) {
      expect(readme).toContain(`\`${n}\``);
    }
  });

  it('shows screenshots that exist: PNG files the browser tests took, at a readable size', () => {
    const images = [...readme.matchAll(/!\[[^\]]+\]\(([^)]+)\)/g)].map((m) => m[1]);
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const path of images) {
      const png = readFileSync(join(__dirname, '..', '..', path));
      // PNG signature, then the IHDR chunk: width and height, big-endian, at bytes 16 and 20.
      expect({ path, png: png.subarray(1, 4).toString('latin1') }).toEqual({ path, png: 'PNG' });
      expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(800);
      expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(400);
    }
  });

  it('has exactly the two quick-start commands', () => {
    const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Status'));
    expect([...quick.matchAll(/```sh\n([^`]*)```/g)].map((m) => m[1].trim())).toEqual([
      'docker compose up',
      'npm ci && npm test',
    ]);
  });
});
