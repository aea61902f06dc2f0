#!/usr/bin/env node
// The one test command (`npm test`): typecheck, lint, build, then every jest project (core, CLI, integration with
// the Loki emulator, plugin — including the built dist/ loaded as Grafana loads it — and browser, in Debian's
// chromium). Ends with one plain line `N passed, N failed`
// summed over everything it ran (each check step counts as one), and exits non-zero on any failure.
// Skipped or todo tests count as failures: a test that does not run proves nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = { passed: 0, failed: 0 };
const failures = [];

function step(name, cmd, args) {
  process.stdout.write(`\n=== ${name}: ${[cmd, ...args].join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  const ok = r.status === 0;
  results[ok ? 'passed' : 'failed']++;
  if (!ok) {
    failures.push(`${name} (exit ${r.status ?? r.signal})`);
  }
  return ok;
}

// The browser tests drive Debian's chromium (never a downloaded browser): install it when it is missing and we
// may (root, as in CI); otherwise those tests fail and say how to install it.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium) && process.getuid?.() === 0) {
  process.stdout.write('\n=== chromium: not installed; installing Debian\'s package\n');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

step('typecheck', 'npx', ['tsc', '--noEmit']);
step('lint', 'npx', ['eslint', '--max-warnings', '0', '.']);
step('build', 'npx', ['webpack', '-c', './webpack.config.ts', '--env', 'production']);
// The @grafana/plugin-e2e specs need a running Grafana (Docker), so here they are only loaded and listed:
// config, fixtures and every spec file must import cleanly.
step('e2e specs load', 'npx', ['playwright', 'test', '--list']);

mkdirSync('artifacts', { recursive: true });
const report = 'artifacts/jest-results.json';
rmSync(report, { force: true });
process.stdout.write('\n=== tests: jest (all projects)\n');
spawnSync('npx', ['jest', '--ci', '--maxWorkers', '2', '--json', '--outputFile', report], { stdio: 'inherit' });
try {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  const notRun = j.numPendingTests + j.numTodoTests;
  // A suite that failed to load reports no tests: count it as one failure.
  const brokenSuites = j.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
  results.passed += j.numPassedTests;
  results.failed += j.numFailedTests + notRun + brokenSuites;
  if (j.numFailedTests + brokenSuites > 0) {
    failures.push(`jest: ${j.numFailedTests} failed tests, ${brokenSuites} suites that did not run`);
  }
  if (notRun > 0) {
    failures.push(`jest: ${notRun} skipped/todo tests`);
  }
} catch (e) {
  results.failed++;
  failures.push(`jest: no results (${e.message})`);
}

if (failures.length) {
  process.stdout.write(`\nFailed: ${failures.join('; ')}\n`);
}
process.stdout.write(`${results.passed} passed, ${results.failed} failed\n`);
process.exit(results.failed > 0 ? 1 : 0);
