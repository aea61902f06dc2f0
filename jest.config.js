// Tests run in UTC so that times print the same everywhere.
process.env.TZ = 'UTC';
process.env.I18NEXT_NO_SUPPORT_NOTICE = '1';

const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');
const base = require('./.config/jest.config');

const swc = base.transform['^.+\\.(t|j)sx?$'];
const shared = {
  ...base,
  // d3-color ≥3.1.1 ships .mjs entry points; the scaffold transform only matches .(t|j)sx?.
  transform: { ...base.transform, '^.+\\.mjs$': swc },
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, '@marcbachmann/cel-js', 'yaml'])],
  // Mutation testing copies the repository into .stryker-tmp/: never a second copy of the modules.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
};

module.exports = {
  // A generous per-test limit: CI and developers share 2 cores, and a hang still fails.
  testTimeout: 30_000,
  projects: [
    {
      // Engine, CLI and integration tests: plain Node, no DOM.
      ...shared,
      displayName: 'core',
      testEnvironment: 'node',
      setupFilesAfterEnv: [],
      testMatch: ['<rootDir>/src/core/**/*.test.ts', '<rootDir>/src/cli/**/*.test.ts', '<rootDir>/tests/integration/**/*.test.ts'],
    },
    {
      // Real headless Chromium (Debian's), driven by playwright-core: the plugin UI in a harness page.
      ...shared,
      displayName: 'browser',
      testEnvironment: 'node',
      setupFilesAfterEnv: [],
      testMatch: ['<rootDir>/tests/browser/**/*.browser.test.ts'],
    },
    {
      // Grafana glue: React components and plugin classes under jsdom.
      ...shared,
      displayName: 'plugin',
      testMatch: [
        '<rootDir>/src/{datasource,panel,components,pages}/**/*.test.{ts,tsx}',
        '<rootDir>/src/*.test.{ts,tsx}',
        '<rootDir>/tests/plugin/**/*.test.{ts,tsx}',
      ],
    },
  ],
};
