// Mutation testing (`npm run test:mutation`; not part of `npm test`: a full run takes hours on two cores).
// Engine folders run against the core jest project; the data source glue (transport, frames) against the plugin
// project: `npm run test:mutation:datasource`. Scope a run to one folder on the command line, e.g.
//   npm run test:mutation -- --mutate 'src/core/logql/**/*.ts' --incrementalFile reports/stryker-incremental-logql.json
// Incremental: each folder keeps its results in its own reports/stryker-incremental-<folder>.json, so a re-run
// tests only the mutants whose code or tests changed.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';

const plugin = process.env.STRYKER_JEST_PROJECT === 'plugin';

// Tests read the real samples from `../shared` beside the repository; Stryker runs them in a sandbox one level
// down (.stryker-tmp/sandbox-*), whose `../shared` this link points back to the real one.
mkdirSync('.stryker-tmp', { recursive: true });
if (!existsSync('.stryker-tmp/shared') && existsSync('../shared')) {
  symlinkSync(resolve('../shared'), '.stryker-tmp/shared');
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.stryker.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants, run once at import) each need every test in a fresh process: on two
  // cores that is hours per folder. They are left out of the run and of the score (reported as ignored).
  ignoreStatic: true,
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: plugin
    ? ['src/datasource/grafanaLokiTransport.ts', 'src/datasource/frames.ts']
    : [
        'src/core/parse/**/*.ts',
        'src/core/correlate/**/*.ts',
        'src/core/logql/**/*.ts',
        'src/core/loki/**/*.ts',
        'src/core/alerts/**/*.ts',
        '!src/**/*.test.ts',
      ],
  ignorePatterns: ['dist', 'artifacts', 'reports', 'coverage', 'test-results', 'playwright-report', '.eslintcache'],
  incremental: true,
  incrementalFile: plugin ? 'reports/stryker-incremental-datasource.json' : 'reports/stryker-incremental.json',
  concurrency: 1,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress', 'json'],
  // STRYKER_JSON names the report file, so that two runs side by side do not overwrite each other's.
  jsonReporter: { fileName: process.env.STRYKER_JSON ?? 'reports/mutation/mutation.json' },
  thresholds: { high: 80, low: 70, break: null },
  tempDirName: '.stryker-tmp',
};
