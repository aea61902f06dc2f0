import { createDataFrame, FieldType } from '@grafana/data';

import type { Chain } from '../../core';
import { scenarioChains } from '../../../tests/support/panelFrames';
import { CLUSTER_WIDE, deniedAttempts, doorOf, NO_CLUSTER, trailOf, TRAIL_LIMITS } from './trail';

const chains = scenarioChains(0);

function copyOf(c: Chain, i: number, namespace: string): Chain {
  return { ...c, id: `${c.id}-${i}`, effect: { ...c.effect, time: i, target: { ...c.effect.target, namespace } } };
}

describe('the person trail', () => {
  it('doors: Argo CD syncs and Fleet edits by the tool, Rancher and --as by the account in between, else direct', () => {
    const by = (pred: (c: Chain) => boolean) => chains.find(pred)!;
    expect(doorOf(by((c) => c.gitops?.tool === 'argocd'))).toBe('argocd');
    expect(doorOf(by((c) => c.gitops?.tool === 'fleet'))).toBe('fleet');
    expect(doorOf(by((c) => !c.gitops && c.links.some((l) => l.kind === 'rancher-proxy')))).toBe('rancher');
    const direct = by((c) => !c.gitops && c.effect.actor.via.length === 0 && c.links.length === 0);
    expect(doorOf(direct)).toBe('direct');
    const asOther: Chain = {
      ...direct,
      effect: {
        ...direct.effect,
        actor: { ...direct.effect.actor, via: [{ name: 'kim', kind: 'human', mechanism: 'impersonation' }] },
      },
    };
    expect(doorOf(asOther)).toBe('impersonation');
  });

  it('a person with 100,000 writes is a bounded page: counts whole, each group its newest few and how many more', () => {
    const base = chains.find((c) => !c.gitops && c.effect.target.namespace)!;
    const many = Array.from({ length: 100_000 }, (_, i) => copyOf(base, i, `ns-${i % 80}`));
    const t = trailOf(many, []);
    expect(t.total).toBe(100_000);
    expect(Object.values(t.doors).reduce((a, b) => a + b, 0)).toBe(100_000);
    expect(t.groups).toHaveLength(TRAIL_LIMITS.maxGroups);
    expect(t.moreGroups).toBe(80 - TRAIL_LIMITS.maxGroups);
    for (const g of t.groups) {
      expect(g.count).toBe(1250);
      expect(g.latest).toHaveLength(TRAIL_LIMITS.perGroup);
      expect(g.more).toBe(1250 - TRAIL_LIMITS.perGroup);
      // Newest first.
      expect(g.latest[0].effect.time).toBeGreaterThan(g.latest[1].effect.time!);
    }
    // Listed rows: at most groups × per group, whatever the number of writes.
    expect(t.groups.reduce((n, g) => n + g.latest.length, 0)).toBe(TRAIL_LIMITS.maxGroups * TRAIL_LIMITS.perGroup);
  });

  it('groups without a cluster label or a namespace are named as such', () => {
    const c = chains[0];
    const bare: Chain = {
      ...c,
      effect: { ...c.effect, target: { ...c.effect.target, namespace: undefined, cluster: undefined } },
    };
    expect(trailOf([bare], []).groups[0]).toMatchObject({ cluster: NO_CLUSTER, namespace: CLUSTER_WIDE, count: 1 });
  });

  it('refused attempts: 401/403 rows of the events frame whose actor is the person, newest first', () => {
    const frame = createDataFrame({
      name: 'events',
      fields: [
        { name: 'time', type: FieldType.time, values: [1, 2, 3, 4] },
        { name: 'source', type: FieldType.string, values: ['kube-audit', 'kube-audit', 'kube-audit', 'rancher-audit'] },
        { name: 'verb', type: FieldType.string, values: ['delete', 'patch', 'delete', 'delete'] },
        { name: 'actor', type: FieldType.string, values: ['kim', 'argocd-application-controller', 'kim', 'Kim'] },
        { name: 'object', type: FieldType.string, values: ['secrets a/b', 'x', 'y', 'z'] },
        { name: 'ip', type: FieldType.string, values: ['', '', '', ''] },
        { name: 'outcome', type: FieldType.string, values: ['403', '403', '200', '401'] },
      ],
    });
    expect(deniedAttempts([frame], 'kim').map((d) => [d.code, d.object])).toEqual([
      ['401', 'z'],
      ['403', 'secrets a/b'],
    ]);
    expect(deniedAttempts([frame], '')).toEqual([]);
  });
});
