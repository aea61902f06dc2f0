import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ALERT_RULES, ALL_ROUTINE, DEFAULT_OPTIONS, LINK_RULES, scenarioNames } from '../../src/core';

/** The README documents every link rule, every correlation window and every scenario the code has. */
const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const hostContracts = readFileSync(join(ROOT, 'docs', 'host-contracts.md'), 'utf8');

/** The rows of the README's format table: shape, where it is defined, the fixtures that pin it. */
function formatRows(): Array<{ shape: string; definedBy: string; fixture: string }> {
  const start = readme.indexOf('### Shapes read, where each is defined');
  const table = readme.slice(start, readme.indexOf('\n### ', start + 1));
  return table
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| shape |'))
    .map((l) => {
      // Cells are split on ` | ` (a pipe inside backticks, as in `| json`, has no spaces around it there).
      const [shape, definedBy, fixture] = l.slice(2, -2).split(' | ');
      return { shape, definedBy, fixture };
    });
}
const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

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

  it('format table: every fixture named exists, and every Loki or Grafana shape is a host contract with the same sources', () => {
    const rows = formatRows();
    expect(rows.length).toBeGreaterThan(20);
    const files = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]
      );
    const repoFiles = [...files('src'), ...files('tests')];
    for (const row of rows) {
      const fixtures = ticked(row.fixture).filter((f) => /\.(test\.tsx?|json)$/.test(f));
      expect({ shape: row.shape, fixtures: fixtures.length > 0 }).toEqual({ shape: row.shape, fixtures: true });
      for (const f of fixtures) {
        const found = repoFiles.some((p) => p === f || p.endsWith(`/${f}`));
        expect({ shape: row.shape, fixture: f, found }).toEqual({ shape: row.shape, fixture: f, found: true });
      }
      if (/grafana\/(loki|grafana)|@grafana\//.test(row.definedBy)) {
        // Host source paths as written; fixtures by file name (the host page names tests by file name).
        const names = fixtures.map((f) => f.split('/').pop() as string);
        for (const ref of [...ticked(row.definedBy).filter((t) => /\.(go|md|ts)$/.test(t)), ...names]) {
          const listed = hostContracts.includes(ref);
          expect({ shape: row.shape, ref, listed }).toEqual({ shape: row.shape, ref, listed: true });
        }
      }
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
