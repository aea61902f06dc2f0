import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { OBJECT_PARSERS, TEXT_PARSERS } from './registry';

function isParser(v: unknown): v is { id: string; detect: unknown; parse: unknown } {
  return typeof v === 'object' && v !== null && 'id' in v && 'detect' in v && 'parse' in v;
}

describe('parser registry', () => {
  it('lists every parser any module in parse/ exports, once, with unique ids', () => {
    const registered = new Set<unknown>([...OBJECT_PARSERS, ...TEXT_PARSERS]);
    const exported: Array<{ file: string; id: string; parser: unknown }> = [];
    for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const mod = require(join(__dirname, file)) as Record<string, unknown>;
      for (const v of Object.values(mod)) {
        if (isParser(v)) {
          exported.push({ file, id: v.id, parser: v });
        }
      }
    }
    expect(exported.length).toBeGreaterThanOrEqual(9);
    const missing = exported.filter((e) => !registered.has(e.parser)).map((e) => `${e.file}:${e.id}`);
    expect(missing).toEqual([]);
    const ids = [...registered].map((p) => (p as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
