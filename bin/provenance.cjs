#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step): `npm run provenance -- parse FILE` works right after `npm ci`.
require('tsx/cjs');
require('../src/cli/main.ts').main();
