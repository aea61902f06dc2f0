import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ChainJson } from '../core';
import { runCli } from '../../tests/support/cli';

/** `provenance trace` on each identity door's scenario names the person, with the link that found them. */

async function traceScenario(scenario: string): Promise<ChainJson[]> {
  const dir = mkdtempSync(join(tmpdir(), 'provenance-doors-'));
  const g = await runCli(['generate', '--scenario', scenario, '--out', dir, '--events', '300', '--seed', '7']);
  expect(g.code).toBe(0);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(dir, f));
  const r = await runCli(['trace', '--format', 'json', '--verdict', 'manual,manual-drift', ...files]);
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as { chains: ChainJson[] }).chains;
}

describe('identity doors, end to end', () => {
  it('Argo CD UI edit: the Argo CD user behind argocd-server, manual-drift on a managed object', async () => {
    const [c, ...rest] = await traceScenario('argocd-ui-edit');
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ verdict: 'manual-drift', who: { name: 'ravi@example.org', kind: 'human' } });
    expect(c.who.ip ?? undefined).toBeUndefined();
    const link = c.links.find((l) => l.kind === 'argocd-ui');
    expect(link?.evidence[1]).toMatch(
      /PatchResource call on Deployment shop\/storefront-web by ravi@example\.org \(JWT claims\)/
    );
  });

  it('ApplicationSet: the generated Application is explained by its generator and the person who changed it', async () => {
    const chains = await traceScenario('applicationset-generate');
    const app = chains.find((c) => c.effect.target.resource === 'applications');
    expect(app).toMatchObject({ who: { name: 'lee@example.org', kind: 'human' } });
    const links = app?.links.filter((l) => l.kind === 'app-generator') ?? [];
    expect(links.map((l) => l.evidence[0])).toEqual([
      'applications argocd/shop-envs-staging was written by the ApplicationSet controller (system:serviceaccount:argocd:argocd-applicationset-controller)',
      'lee@example.org updated ApplicationSet shop-envs at 2026-03-02T10:00:00Z',
    ]);
  });

  it('Rancher authorized cluster endpoint: the user id resolved to its login from an earlier Rancher record', async () => {
    const [c, ...rest] = await traceScenario('rancher-ace-delete');
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ verdict: 'manual', who: { name: 'kim', kind: 'human', ip: '198.51.100.44' } });
    const link = c.links.find((l) => l.kind === 'rancher-ace');
    expect(link?.evidence[1]).toMatch(
      /^Rancher audit [0-9a-f-]+ at 2026-03-02T09:20:00Z names u-kim4x9 with login kim$/
    );
  });
});
