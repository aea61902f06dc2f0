#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step): `npm run provenance -- parse FILE` works right after `npm ci`.
require('tsx/cjs');
const { run } = require('../src/cli/main.ts');

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`provenance: internal error: ${e && e.stack ? e.stack : String(e)}\n`);
    process.exitCode = 70;
  }
);
