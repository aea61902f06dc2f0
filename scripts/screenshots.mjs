// Refreshes the README's screenshots: runs the browser tests (Debian chromium, the real editors and panel with
// Grafana's theme), which write every screenshot to artifacts/screenshots, and copies the ones the README shows
// into docs/screenshots.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const README_SCREENSHOTS = [
  'panel-light.png',
  'panel-details-dark.png',
  'panel-diff-light.png',
  'panel-diff-dark.png',
  'panel-520x400-dark.png',
  'panel-380x260-light.png',
  'datasource-editors-light.png',
  'app-investigate-dark.png',
  'app-object-history-light.png',
  'app-person-trail-dark.png',
  'app-person-trail-groups-dark.png',
  'app-source-health-dark.png',
  'app-source-health-misconfigured-light.png',
  'app-configuration-dark.png',
];

const root = join(import.meta.dirname, '..');
const run = spawnSync('npx', ['jest', '--selectProjects', 'browser'], { cwd: root, stdio: 'inherit' });
if (run.status !== 0) {
  console.error('the browser tests failed: screenshots left as they were');
  process.exit(run.status ?? 1);
}
mkdirSync(join(root, 'docs', 'screenshots'), { recursive: true });
for (const name of README_SCREENSHOTS) {
  copyFileSync(join(root, 'artifacts', 'screenshots', name), join(root, 'docs', 'screenshots', name));
  console.log(`docs/screenshots/${name}`);
}
