import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
      // Mutation testing's sandboxes (copies of the repository) and reports.
      '.stryker-tmp/',
      'reports/',
    ],
  },
  ...baseConfig,
  // Dependency direction (DESIGN.md §2): core is pure and stands alone; plugins and CLI reach it only through
  // src/core/index.ts; the panel never imports the data source.
  {
    files: ['src/core/**/*.ts'],
    // Tests of core run in Node and may read files.
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@grafana/*', '!@grafana/lezer-logql', 'react', 'react-dom', 'rxjs', '@emotion/*'],
              message: 'core is pure TypeScript: no Grafana runtime, React or RxJS (the LogQL parser is allowed).',
            },
            { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'readline'], message: 'core runs in the browser too: Node APIs belong in src/cli.' },
            { group: ['**/datasource', '**/datasource/**', '**/panel', '**/panel/**', '**/cli', '**/cli/**', '**/components/**'], message: 'core never imports from outside core.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/datasource/**/*.{ts,tsx}', 'src/panel/**/*.{ts,tsx}', 'src/cli/**/*.ts', 'src/components/**/*.{ts,tsx}', 'src/*.{ts,tsx}'],
    ignores: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/core/**'], message: 'import core through src/core/index.ts only.' }] },
      ],
    },
  },
  {
    files: ['src/panel/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/core/**'], message: 'import core through src/core/index.ts only.' },
            { group: ['**/datasource', '**/datasource/**'], message: 'the panel reads frames; it never imports the data source.' },
          ],
        },
      ],
    },
  },
]);
