// One jest project for Stryker (it wraps the root test environment for its per-test coverage, which a
// `projects` list would bypass): `core` by default, `plugin` when STRYKER_JEST_PROJECT=plugin (the data source
// glue, under jsdom).
const all = require('./jest.config');

const name = process.env.STRYKER_JEST_PROJECT ?? 'core';
const { displayName, ...project } = all.projects.find((p) => p.displayName === name);

// For the engine, the unit tests beside the code (src/core/**): the CLI and integration suites start servers and
// processes per run, which on two shared cores makes a folder's run take hours. Their kills are not counted
// unless named in STRYKER_EXTRA_TESTS.
// STRYKER_EXTRA_TESTS (comma-separated paths or globs) adds suites for one folder's run: `src/core/loki`'s client,
// pager and push are tested against the in-process Loki emulator in tests/integration (lokiClient, pushWindow).
// STRYKER_TESTS instead runs only the suites named: a folder against its own tests, which on a loaded machine is
// the difference between an hour and a day (kills by other suites are then not counted: a lower bound).
const paths = (v) =>
  (v ?? '')
    .split(',')
    .filter(Boolean)
    .map((p) => `<rootDir>/${p}`);
const only = paths(process.env.STRYKER_TESTS);
const extra = paths(process.env.STRYKER_EXTRA_TESTS);
const testMatch =
  only.length > 0 ? only : name === 'core' ? ['<rootDir>/src/core/**/*.test.ts', ...extra] : project.testMatch;

// The report suites (src/core/report) run under jsdom (a docblock), outside the environment Stryker wraps for its
// per-test coverage: with them in, a core run's dry run fails ("Missing coverage results"). They test no mutated
// folder. STRYKER_SKIP_TESTS (comma-separated paths) leaves other suites out of one run.
const skipped = [
  ...(name === 'core' ? ['/src/core/report/'] : []),
  ...(process.env.STRYKER_SKIP_TESTS ?? '').split(',').filter(Boolean),
];

module.exports = {
  ...project,
  testMatch,
  testPathIgnorePatterns: [...(project.testPathIgnorePatterns ?? ['/node_modules/']), ...skipped],
  testSequencer: '<rootDir>/scripts/stryker-sequencer.cjs',
  rootDir: __dirname,
};
