#!/usr/bin/env node
// The one test command (`npm test`): the check steps (typecheck, lint, build, e2e spec listing), then every jest
// project (core, CLI, integration with the Loki emulator, plugin — including the built dist/ loaded as Grafana
// loads it — and browser, in Debian's chromium). The steps are reported as steps, not tests: each must pass,
// and none adds to the test counts. The closing line `N passed, N failed` is jest's own count, plus one failure
// per test file that failed without a failed test (it did not load, or a hook such as afterAll threw) and one per
// skipped or todo test (a test that does not run proves nothing). Exits non-zero when a step fails, when jest
// exits non-zero or reports `success: false`, or when the counts hold a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const steps = [];
const failures = [];

function step(name, cmd, args) {
  process.stdout.write(`\n=== step ${name}: ${[cmd, ...args].join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  const ok = r.status === 0;
  steps.push({ name, ok });
  if (!ok) {
    failures.push(`step ${name} (exit ${r.status ?? r.signal})`);
  }
  return ok;
}

/**
 * Tests passed and failed in jest's JSON report, and what else went wrong in it. A suite whose status is
 * `failed` but holds no failed test (a load error, a throwing beforeAll/afterAll) counts as one failure.
 */
function jestCounts(j) {
  const problems = [];
  const notRun = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  const suiteErrors = j.testResults.filter(
    (s) => s.status === 'failed' && !s.assertionResults.some((a) => a.status === 'failed')
  );
  const failedSuites = j.testResults.filter((s) => s.status === 'failed').length;
  if (j.numFailedTests > 0) {
    problems.push(`${j.numFailedTests} failed tests`);
  }
  for (const s of suiteErrors) {
    const why = (s.message || 'no message').split('\n').find((l) => l.trim()) ?? '';
    problems.push(`suite error in ${s.name}: ${why.trim()}`);
  }
  if (failedSuites > 0) {
    problems.push(`${failedSuites} of ${j.numTotalTestSuites} test files failed`);
  }
  if (notRun > 0) {
    problems.push(`${notRun} skipped/todo tests`);
  }
  let failed = j.numFailedTests + suiteErrors.length + notRun;
  if (j.success === false && failed === 0) {
    problems.push('jest reports success: false');
    failed = 1;
  }
  return { passed: j.numPassedTests, failed, problems };
}

function main() {
  // The browser tests drive Debian's chromium (never a downloaded browser): install it when it is missing and we
  // may (root, as in CI); otherwise those tests fail and say how to install it.
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium) && process.getuid?.() === 0) {
    process.stdout.write("\n=== chromium: not installed; installing Debian's package\n");
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }

  // TEST_ALL_SKIP_STEPS=1 runs only jest (with any arguments given after `--`): for checking this script itself.
  if (process.env.TEST_ALL_SKIP_STEPS === '1') {
    process.stdout.write('\n=== steps skipped (TEST_ALL_SKIP_STEPS=1)\n');
  } else {
    step('typecheck', 'npx', ['tsc', '--noEmit']);
    step('lint', 'npx', ['eslint', '--max-warnings', '0', '.']);
    step('build', 'npx', ['webpack', '-c', './webpack.config.ts', '--env', 'production']);
    // The @grafana/plugin-e2e specs need a running Grafana (Docker), so here they are only loaded and listed:
    // config, fixtures and every spec file must import cleanly. A check, not a test.
    step('e2e specs load', 'npx', ['playwright', 'test', '--list']);
  }

  mkdirSync('artifacts', { recursive: true });
  const report = 'artifacts/jest-results.json';
  rmSync(report, { force: true });
  const jestArgs = ['jest', '--ci', '--maxWorkers', '2', '--json', '--outputFile', report, ...process.argv.slice(2)];
  process.stdout.write(`\n=== tests: ${['npx', ...jestArgs].join(' ')}\n`);
  const run = spawnSync('npx', jestArgs, { stdio: 'inherit' });
  const counts = { passed: 0, failed: 0 };
  let j;
  try {
    j = JSON.parse(readFileSync(report, 'utf8'));
  } catch (e) {
    counts.failed++;
    failures.push(`jest: no results (${e.message})`);
  }
  if (j) {
    const c = jestCounts(j);
    counts.passed = c.passed;
    counts.failed = c.failed;
    failures.push(...c.problems.map((p) => `jest: ${p}`));
  }
  if (run.status !== 0) {
    failures.push(`jest exited ${run.status ?? run.signal}`);
    // A non-zero exit with nothing counted as failed is still a failure to count.
    if (counts.failed === 0) {
      counts.failed = 1;
    }
  }

  if (steps.length) {
    const failedSteps = steps.filter((s) => !s.ok);
    process.stdout.write(
      `\nSteps: ${steps.length - failedSteps.length} of ${steps.length} passed` +
        (failedSteps.length ? ` (failed: ${failedSteps.map((s) => s.name).join(', ')})` : '') +
        '\n'
    );
  }
  if (failures.length) {
    process.stdout.write(`Failed: ${failures.join('; ')}\n`);
  }
  process.stdout.write(`${counts.passed} passed, ${counts.failed} failed\n`);
  process.exit(failures.length > 0 || counts.failed > 0 ? 1 : 0);
}

main();
