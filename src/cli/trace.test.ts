import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ChainJson, TruthChain } from '../core';
import { CHAIN_JSON_KEYS } from '../../tests/support/contract';
import { compareToTruth } from '../../tests/support/truth';
import { rancherAudit } from '../../tests/support/builders';
import { runCli } from '../../tests/support/cli';

async function generated(
  scenario: string,
  events = 300
): Promise<{ dir: string; files: string[]; truth: TruthChain[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'provenance-'));
  const r = await runCli(['generate', '--scenario', scenario, '--out', dir, '--events', String(events), '--seed', '5']);
  expect(r.code).toBe(0);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(dir, f));
  const truth = (JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as { chains: TruthChain[] }).chains;
  return { dir, files, truth };
}

describe('provenance generate → trace', () => {
  it('every scenario: trace --format json reproduces the ground truth, in the documented contract', async () => {
    const { files, truth } = await generated('all', 1_000);
    const r = await runCli(['trace', '--format', 'json', ...files]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      chains: ChainJson[];
      skipped: Record<string, number>;
      stats: Record<string, number>;
    };
    expect(Object.keys(j)).toEqual(['chains', 'skipped', 'stats']);
    expect(Object.keys(j.stats)).toEqual(['lines', 'events', 'chains', 'excluded', 'ms']);
    expect(j.skipped).toEqual({});
    expect(Object.keys(j.chains[0])).toEqual(CHAIN_JSON_KEYS);
    expect(Object.keys(j.chains[0].effect)).toEqual([
      'time',
      'source',
      'verb',
      'target',
      'actor',
      'sourceIPs',
      'userAgent',
    ]);
    for (const t of truth) {
      expect({
        t: `${t.scenario} ${t.effect.verb} ${t.effect.name}`,
        problems: compareToTruth(j.chains, t, truth).problems,
      }).toEqual({ t: `${t.scenario} ${t.effect.verb} ${t.effect.name}`, problems: [] });
    }
  });

  it("the article's unauthorized deletion, as a person reads it", async () => {
    const { files } = await generated('unauthorized-deletion');
    const r = await runCli(['trace', '--target', 'deployments/production/frontend-app', ...files]);
    expect(r.code).toBe(0);
    const block = r.out;
    expect(block).toContain('GITOPS ROLLBACK  delete deployments production/frontend-app');
    // the rollback's initiator, the app, the commit
    expect(block).toMatch(/who\s+dana@example\.org \(human\)/);
    expect(block).toMatch(
      /gitops\s+argocd frontend-app · rollback · commit 45d9f8a1b2c3 · started by dana@example\.org/
    );
    // the controller and its IP
    expect(block).toMatch(
      /acted as\s+sa argocd\/argocd-application-controller \(gitops-controller\) · from 10\.10\.20\.15/
    );
    // the RoleBinding change, with the Rancher user's login name and real client IP
    expect(block).toMatch(
      /context\s+kim from 198\.51\.100\.44 updated rolebindings argocd\/argocd-admin 10 min before/
    );
    expect(block.split('\n').every((l) => l.length <= 100)).toBe(true);
    expect(block).toContain('1 change; ');
  });

  it('selects by actor, time and verdict', async () => {
    const { files } = await generated('all');
    const byKim = JSON.parse((await runCli(['trace', '--format', 'json', '--actor', 'kim', ...files])).out) as {
      chains: ChainJson[];
    };
    expect(byKim.chains.map((c) => `${c.effect.verb} ${c.effect.target.name}`)).toEqual([
      'update argocd-admin',
      'update payments',
      'patch payments-api',
      'delete legacy-worker',
      // kubectl through the authorized cluster endpoint: the id u-kim4x9 resolved to kim (rancher-ace).
      'delete feature-flags',
    ]);
    const drift = JSON.parse(
      (await runCli(['trace', '--format', 'json', '--verdict', 'manual-drift', ...files])).out
    ) as { chains: ChainJson[] };
    // ravi@example.org: a live edit in the Argo CD UI, written by argocd-server (argocd-ui); sam's scale, and the
    // ReplicaSet and two Pods it set off, carry the drift down.
    expect(drift.chains.map((c) => [c.who.name, c.effect.target.resource])).toEqual([
      ['lee@example.org', 'deployments'],
      ['ravi@example.org', 'deployments'],
      ['sam@example.org', 'deployments'],
      ['sam@example.org', 'replicasets'],
      ['sam@example.org', 'pods'],
      ['sam@example.org', 'pods'],
    ]);
    const window = JSON.parse(
      (
        await runCli([
          'trace',
          '--format',
          'json',
          '--from',
          '2026-03-02T12:39:00Z',
          '--to',
          '2026-03-02T12:41:00Z',
          '--verdict',
          'manual',
          ...files,
        ])
      ).out
    ) as { chains: ChainJson[] };
    expect(window.chains.map((c) => c.effect.target.subresource)).toEqual(['exec']);
  });

  it('folds consequences under their cause; --target of the root lists its blast radius; json lists every chain', async () => {
    const { files } = await generated('argocd-rollout,rancher-delete-cascade', 0);
    const table = (await runCli(['trace', ...files])).out;
    expect(table).toMatch(
      /MANUAL  delete deployments shop\/catalog\n[^]*consequences\s+and 4 consequences: 1 ReplicaSet, 3 Pods\n/
    );
    expect(table).toMatch(/consequences\s+and 8 consequences: 2 ReplicaSets, 4 Pods\n/);
    // Folded: no Pod or ReplicaSet of the scenarios has a block of its own.
    expect(table).not.toMatch(/^\S.* (pods|replicasets) (shop|search)\//m);
    expect(table).toMatch(/\n\d+ changes \(and 12 consequences folded under them\); /);

    const root = (await runCli(['trace', '--target', 'deployments/search/search-api', ...files])).out;
    expect(root).toMatch(/replaced 2 Pods in 22 s \(2 created, 2 deleted; 2026-03-02T10:00:05Z –/);
    expect(root).toMatch(/changed 2 ReplicaSets in 22 s \(1 created, 3 updated;/);

    const pod = (await runCli(['trace', '--target', 'pods/shop', ...files])).out;
    expect(pod).toMatch(/consequence of 2026-03-02 10:40:00 delete deployments shop\/catalog/);
    expect(pod).toMatch(/who\s+alex \(human\) · from 198\.51\.100\.61/);

    const j = JSON.parse((await runCli(['trace', '--format', 'json', ...files])).out) as { chains: ChainJson[] };
    const byId = new Map(j.chains.map((c) => [c.id, c]));
    const pods = j.chains.filter((c) => c.effect.target.resource === 'pods' && c.effect.target.namespace === 'shop');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      const rs = byId.get(p.consequenceOf ?? '');
      expect([rs?.effect.target.resource, byId.get(rs?.consequenceOf ?? '')?.effect.target.name]).toEqual([
        'replicasets',
        'catalog',
      ]);
    }
  });

  it('usage errors and unreadable files', async () => {
    expect((await runCli(['trace', '--from', 'yesterday', 'x.log'])).code).toBe(2);
    expect((await runCli(['trace', '--target', 'a/b/c/d', 'x.log'])).code).toBe(2);
    expect((await runCli(['trace', 'missing.log'])).code).toBe(1);
    expect((await runCli(['generate', '--out', '/tmp/x', '--scenario', 'nope'])).err).toContain(
      'unknown scenario nope'
    );
    expect((await runCli(['generate'])).code).toBe(2);
  });
});

describe('provenance trace --trusted-proxies', () => {
  it('takes the hop before the trusted ingress as the client and says so; a bad range is a usage error', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'xff-')), 'r.log');
    writeFileSync(
      file,
      JSON.stringify(
        rancherAudit({ requestHeader: { 'X-Forwarded-For': ['6.6.6.6, 198.51.100.44'], 'X-Real-Ip': undefined } })
      ) + '\n'
    );
    const plain = await runCli(['trace', file]);
    expect(plain.out).toContain('from 6.6.6.6 (claimed by the client)');
    const trusted = await runCli(['trace', '--trusted-proxies', '10.42.0.0/16', '--format', 'json', file]);
    expect(JSON.parse(trusted.out).chains[0].who).toMatchObject({
      ip: '198.51.100.44',
      ipTrust: 'seen by the ingress',
    });
    const bad = await runCli(['trace', '--trusted-proxies', 'ingress', file]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('"ingress" is not a CIDR range');
  });
});

describe('provenance trace --diff: what changed, and the commit', () => {
  it('shows the image a sync changed with its commit URL, and who turned auto-sync off on the Application', async () => {
    const { files } = await generated('image-change-and-auto-sync-off');
    const deploy = await runCli(['trace', '--diff', '--target', 'deployments/invoices/invoices-api', ...files]);
    expect(deploy.code).toBe(0);
    expect(deploy.out).toContain(
      [
        '    spec.template.spec.containers[0].image',
        '      - "registry.example.org/invoices/api:2.3.1"',
        '      + "registry.example.org/invoices/api:2.4.0"',
      ].join('\n')
    );
    expect(deploy.out).toContain(
      '  commit         https://github.com/acme/invoices-deploy/commit/b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4'
    );
    const app = await runCli(['trace', '--diff', '--target', 'applications/argocd/invoices', ...files]);
    expect(app.out).toMatch(
      /10:08:00 {2}MANUAL {2}patch applications\.argoproj\.io argocd\/invoices\n {2}who {12}ravi@example\.org \(human\) · from 198\.51\.100\.77 \(seen by the server\)\n/
    );
    expect(app.out).toContain('    spec.syncPolicy.automated: removed (was {"prune":true,"selfHeal":true})');
    const plain = await runCli(['trace', '--target', 'applications/argocd/invoices', ...files]);
    expect(plain.out).not.toContain('spec.syncPolicy.automated');
  }, 30_000);

  it('link settings: https only, known host kinds only', async () => {
    expect((await runCli(['trace', '--argocd-url', 'http://argocd', 'x.log'])).code).toBe(2);
    expect((await runCli(['trace', '--git-host', 'git.example.org=svn', 'x.log'])).code).toBe(2);
  });
});
