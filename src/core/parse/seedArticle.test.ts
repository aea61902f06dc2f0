import { readFileSync } from 'node:fs';

import { parseAll } from '../../../tests/support/parse';
import { sharedPath } from '../../../tests/support/shared';

/**
 * The acceptance story: every example entry of the article the product grew from
 * (../shared/seed/audit-logs-fleet-argocd.md), including its simplified shapes, becomes the event a reader of the
 * article expects — actor, verb, target, IP and commit.
 */

function articleJsonBlocks(): string[] {
  const md = readFileSync(sharedPath('seed', 'audit-logs-fleet-argocd.md'), 'utf8');
  return [...md.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe('the seed article, entry by entry', () => {
  const blocks = articleJsonBlocks();
  // Each block is pretty-printed in the article; in a log it is one line.
  const summary = parseAll(
    blocks.map((b, i) => ({ text: JSON.stringify(JSON.parse(b)), origin: `article:block${i + 1}` }))
  );
  const byBlock = (n: number) => summary.events.find((e) => e.raw.origin === `article:block${n}`);

  it('has six example entries and every one becomes an event', () => {
    expect(blocks).toHaveLength(6);
    expect(summary.stats.skipped).toBe(0);
    expect(summary.events).toHaveLength(6);
  });

  it('1 — "Rancher server audit log" entry: devops-admin updated frontend-bundle from 192.168.0.5', () => {
    expect(byBlock(1)).toMatchObject({
      source: 'kube-audit',
      verb: 'update',
      time: Date.UTC(2024, 8, 11, 14, 35, 21),
      actor: { name: 'devops-admin', kind: 'human', groups: ['system:authenticated'] },
      target: { resource: 'fleetbundles', namespace: 'fleet-default', name: 'frontend-bundle' },
      sourceIPs: ['192.168.0.5'],
      outcome: { code: 200, status: 'success' },
    });
  });

  it('2 — kube-apiserver entry: the Argo CD controller patched production/nginx-deployment from 10.10.20.15', () => {
    expect(byBlock(2)).toMatchObject({
      verb: 'patch',
      time: Date.UTC(2024, 8, 11, 15, 12, 47),
      actor: { name: 'system:serviceaccount:argocd:argocd-application-controller', kind: 'gitops-controller' },
      target: { resource: 'deployments', namespace: 'production', name: 'nginx-deployment' },
      sourceIPs: ['10.10.20.15'],
      outcome: { code: 200 },
    });
  });

  it('3 — Argo CD sync log: admin@argocd.local synced nginx-app to production at commit 34c5f9e', () => {
    expect(byBlock(3)).toMatchObject({
      source: 'argocd',
      verb: 'sync',
      time: Date.UTC(2024, 8, 11, 16, 2, 33),
      actor: { name: 'admin@argocd.local', kind: 'human' },
      target: { kind: 'Application', name: 'nginx-app' },
      gitops: {
        tool: 'argocd',
        operation: 'sync',
        app: 'nginx-app',
        destNamespace: 'production',
        commit: '34c5f9e',
        initiator: 'admin@argocd.local',
        repoURL: 'https://git.example.com/repo/argocd-app',
      },
    });
  });

  it('4 — walk-through: the Argo CD controller deleted frontend-app from 10.10.20.15 (no time in the excerpt)', () => {
    const e = byBlock(4);
    expect(e).toMatchObject({
      verb: 'delete',
      actor: { name: 'system:serviceaccount:argocd:argocd-application-controller', kind: 'gitops-controller' },
      target: { resource: 'deployments', name: 'frontend-app' },
      sourceIPs: ['10.10.20.15'],
    });
    expect(e?.time).toBeUndefined();
  });

  it('5 — walk-through: rancher-admin updated the argocd-admin RoleBinding from 192.168.1.100', () => {
    expect(byBlock(5)).toMatchObject({
      verb: 'update',
      actor: { name: 'rancher-admin', kind: 'human' },
      target: { resource: 'rolebindings', name: 'argocd-admin' },
      sourceIPs: ['192.168.1.100'],
    });
  });

  it('6 — walk-through: the rollback of frontend-app to commit 45d9f8a', () => {
    expect(byBlock(6)).toMatchObject({
      source: 'argocd',
      verb: 'rollback',
      target: { kind: 'Application', name: 'frontend-app' },
      gitops: {
        operation: 'rollback',
        app: 'frontend-app',
        commit: '45d9f8a',
        message: 'Rollback triggered due to failed sync',
      },
    });
  });
});
