import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { LINK_RULES } from './registry';

describe('link rule registry', () => {
  it('lists the rule of every module in rules/, one per link kind of DESIGN.md §3', () => {
    const dir = join(__dirname, 'rules');
    const modules = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const exported = modules.flatMap((f) =>
      Object.values(require(join(dir, f)) as Record<string, unknown>).filter(
        (v) => typeof v === 'object' && v !== null && 'kind' in v && 'summary' in v
      )
    );
    // Each module exports exactly one rule.
    const perModule = modules.map((f) => [
      f,
      Object.values(require(join(dir, f)) as Record<string, unknown>).filter(
        (v) => typeof v === 'object' && v !== null && 'kind' in v && 'summary' in v
      ).length,
    ]);
    expect(perModule).toEqual(modules.map((f) => [f, 1]));
    expect(exported.every((r) => LINK_RULES.includes(r as never))).toBe(true);
    expect(LINK_RULES.map((r) => r.kind).sort()).toEqual([
      'app-generator',
      'argocd-ui',
      'cascade',
      'drift',
      'fleet-commit',
      'gitops-apply',
      'impersonation',
      'rancher-ace',
      'rancher-proxy',
      'rbac-context',
      'sync-trigger',
    ]);
  });
});
