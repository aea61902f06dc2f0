/**
 * Caps that keep diffing cheap on attacker-sized input (README "What changed: limits"). Past a cap the diff is
 * cut, marked `complete: false` with the reason — never a throw, never unbounded work.
 */
export const DIFF_LIMITS = {
  /** A body kept for diffing is at most this many characters of JSON; a larger one is dropped, with the reason. */
  maxBodyChars: 64 * 1024,
  /** Diff entries per change; the rest are counted in the reason. */
  maxEntries: 200,
  /** Arrays longer than this are compared as one value, not item by item. */
  maxArrayItems: 1_000,
  /** Objects nested deeper than this are compared as one value. */
  maxDepth: 32,
  /** A value longer than this (as JSON) is shown folded: its type and size, not its content. */
  maxValueChars: 2_048,
  /** JSON patch operations read per request body. */
  maxPatchOps: 500,
} as const;
