#!/usr/bin/env -S node --max-semi-space-size=32
// Runs the TypeScript CLI directly (no build step): `npm run provenance -- parse FILE` works right after `npm ci`.
require('tsx/cjs');
require('../src/cli/main.ts').main();
