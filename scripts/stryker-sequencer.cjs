// Mutation runs only: jest's default order runs the slowest suites first (its timing cache, else the largest
// file), so every mutant a slow suite covers (prescan.test.ts, ~20 s) waits for it before a small suite beside
// the code kills it in milliseconds. Stryker bails at the first failing test, so the small suites go first.
const { statSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

class SmallestFirst extends Sequencer {
  sort(tests) {
    const size = (t) => {
      try {
        return statSync(t.path).size;
      } catch {
        return Number.MAX_SAFE_INTEGER;
      }
    };
    return [...tests].sort((a, b) => size(a) - size(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

module.exports = SmallestFirst;
