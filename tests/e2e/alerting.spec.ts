import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test } from '@grafana/plugin-e2e';
import { parse } from 'yaml';

/**
 * Grafana evaluates every provisioned Change Provenance rule against the real Loki without an error: the LogQL
 * (json, label_format, label filters, sum by) is accepted by Loki, not only by our emulator.
 */
const provisioned = parse(
  readFileSync(join(__dirname, '..', '..', 'provisioning', 'alerting', 'change-provenance.yaml'), 'utf8')
) as { groups: Array<{ name: string; rules: Array<{ title: string }> }> };

interface RuleStatus {
  name: string;
  health: string;
  lastError?: string;
  lastEvaluation?: string;
}

test('every Change Provenance rule evaluates on Loki without error', async ({ page }) => {
  const group = provisioned.groups[0];
  let rules: RuleStatus[] = [];
  await expect
    .poll(
      async () => {
        const res = await page.request.get('/api/prometheus/grafana/api/v1/rules');
        const body = (await res.json()) as { data: { groups: Array<{ name: string; rules: RuleStatus[] }> } };
        rules = body.data.groups.filter((g) => g.name === group.name).flatMap((g) => g.rules);
        return rules.filter((r) => r.lastEvaluation && !r.lastEvaluation.startsWith('0001')).length;
      },
      { timeout: 180_000, intervals: [5_000] }
    )
    .toBe(group.rules.length);
  expect(rules.map((r) => r.name).sort()).toEqual(group.rules.map((r) => r.title).sort());
  expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
});

test('a raw audit line in Explore links to its object’s provenance (provisioned correlation)', async ({ page }) => {
  const res = await page.request.get('/api/datasources/uid/loki/correlations');
  expect(res.ok()).toBe(true);
  // An array, or a page `{ correlations: [...] }` in the versions that paginate this list.
  type Correlation = { targetUID: string };
  const body = (await res.json()) as Correlation[] | { correlations: Correlation[] };
  const correlations = Array.isArray(body) ? body : body.correlations;
  expect(correlations.map((c) => c.targetUID)).toContain('change-provenance');
});
