import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCli } from '../../tests/support/cli';

/** `trace --format markdown` on the article's walk-through (the unauthorized deletion), as files. */
async function scenarioFiles(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'report-'));
  const r = await runCli(['generate', '--scenario', 'unauthorized-deletion', '--out', dir, '--events', '300']);
  expect(r.code).toBe(0);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(dir, f));
}

describe('provenance trace --format markdown', () => {
  let files: string[];
  beforeAll(async () => {
    files = await scenarioFiles();
  });

  it('reports the deletion with its evidence, the raw lines read again from the files', async () => {
    const r = await runCli([
      'trace',
      '--format',
      'markdown',
      '--target',
      'deployments/production/frontend-app',
      '--time-zone',
      'Europe/Berlin',
      '--grafana-url',
      'https://grafana.example.org/',
      '--loki-uid',
      'P8E80F9AEF21F6940',
      ...files,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const md = r.out;
    expect(md.startsWith('# Change provenance report\n')).toBe(true);
    expect(md).toContain('## 1. dana\\@example\\.org\\: delete deployments production\\/frontend\\-app');
    expect(md).toContain('| When | 2026\\-03\\-02 10\\:10\\:00 UTC \\(02\\/03\\/2026\\, 11\\:10\\:00 CET\\) |');
    // Every record's raw line is there: the effect's audit line is found by its auditID in the files.
    const auditLine = readFileSync(files.find((f) => f.endsWith('kube-audit.log')) as string, 'utf8')
      .split('\n')
      .find((l) => l.includes('"verb":"delete"') && l.includes('frontend-app')) as string;
    expect(md).toContain(auditLine);
    const blocks = md.match(/^ {3}```json$/gm) ?? [];
    const records = md.match(/^ {3}- LogQL: /gm) ?? [];
    expect(records.length).toBeGreaterThanOrEqual(4);
    expect(blocks.length).toBe(records.length);
    expect(md).not.toContain('raw line not kept');
    expect(md).toContain('([open in Explore](<https://grafana.example.org/explore?schemaVersion=1&panes=');
  });

  it.each([
    [['--time-zone', 'Mars/Olympus'], '--time-zone: unknown time zone "Mars/Olympus"'],
    [['--grafana-url', 'https://grafana.example.org'], '--grafana-url needs --loki-uid'],
    [
      ['--grafana-url', 'javascript:alert(1)', '--loki-uid', 'x'],
      '--grafana-url javascript:alert(1): expected http(s)',
    ],
  ])('%j is refused with a clear error', async (flags, message) => {
    const r = await runCli(['trace', '--format', 'markdown', ...flags, ...files]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.out).toBe('');
  });
});
