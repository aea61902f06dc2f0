import type { Chain } from '../model';
import { blastRadius, consequenceIndex, countByKind } from './consequences';

/** A chain with only what the consequence helpers read: id, cause, and the effect's verb, object and time. */
function chain(id: string, verb: string, resource: string, name: string, s: number, consequenceOf?: string): Chain {
  return {
    id,
    effect: {
      verb,
      target: { resource, namespace: 'web', name, apiGroup: '' },
      time: Date.UTC(2026, 2, 2, 10) + s * 1000,
    },
    consequenceOf,
  } as unknown as Chain;
}

const root = chain('d', 'patch', 'deployments', 'web', 0);
const all = [
  root,
  chain('rs1', 'create', 'replicasets', 'web-6b7c8d9f5', 1, 'd'),
  chain('p1', 'create', 'pods', 'web-6b7c8d9f5-k8m2n', 2, 'rs1'),
  chain('rs0', 'update', 'replicasets', 'web-5c4b3d2f9', 10, 'd'),
  chain('p0', 'delete', 'pods', 'web-5c4b3d2f9-q4r7t', 11, 'rs0'),
  chain('rs1b', 'update', 'replicasets', 'web-6b7c8d9f5', 12, 'd'),
  chain('p2', 'create', 'pods', 'web-6b7c8d9f5-z2x4c', 13, 'rs1b'),
  chain('p3', 'delete', 'pods', 'web-5c4b3d2f9-b5v7n', 42, 'rs0'),
  chain('other', 'create', 'pods', 'api-6b7c8d9f5-k8m2n', 3),
];

describe('consequences of a root change', () => {
  const of = consequenceIndex(all);

  it('every chain below the root, through further controllers, oldest first; nothing else', () => {
    expect(of(root).map((c) => c.id)).toEqual(['rs1', 'p1', 'rs0', 'p0', 'rs1b', 'p2', 'p3']);
    expect(of(all[1]).map((c) => c.id)).toEqual(['p1']);
    expect(of(all[8])).toEqual([]);
  });

  it('counts objects by kind: a ReplicaSet created then scaled is one', () => {
    expect(countByKind(of(root))).toBe('2 ReplicaSets, 4 Pods');
  });

  it('says what each kind went through, with the time it took', () => {
    expect(blastRadius(of(root))).toEqual([
      'changed 2 ReplicaSets in 11 s (1 created, 2 updated; 2026-03-02T10:00:01Z – 2026-03-02T10:00:12Z)',
      'replaced 2 Pods in 40 s (2 created, 2 deleted; 2026-03-02T10:00:02Z – 2026-03-02T10:00:42Z)',
    ]);
    expect(blastRadius(of(all[1]))).toEqual(['created 1 Pod at 2026-03-02T10:00:02Z (1 created)']);
  });

  it('a cycle of consequenceOf (never made by the engine) still ends', () => {
    const a = chain('a', 'delete', 'configmaps', 'a', 0, 'b');
    const b = chain('b', 'delete', 'configmaps', 'b', 0, 'a');
    expect(consequenceIndex([a, b])(a).map((c) => c.id)).toEqual(['b']);
  });
  it('consequences at the same time are in id order, whatever order they came in', () => {
    const r = chain('r', 'delete', 'replicasets', 'web-1', 0);
    const b = chain('p-b', 'delete', 'pods', 'web-1-b', 5, 'r');
    const a = chain('p-a', 'delete', 'pods', 'web-1-a', 5, 'r');
    expect(consequenceIndex([r, b, a])(r).map((c) => c.id)).toEqual(['p-a', 'p-b']);
    expect(consequenceIndex([r, a, b])(r).map((c) => c.id)).toEqual(['p-a', 'p-b']);
  });

  it('objects of one name in two namespaces are two objects', () => {
    const r = chain('r', 'patch', 'deployments', 'web', 0);
    const web = chain('p1', 'create', 'pods', 'web-1', 1, 'r');
    const api = { ...chain('p2', 'create', 'pods', 'web-1', 2, 'r') };
    api.effect = { ...api.effect, target: { ...api.effect.target, namespace: 'api' } };
    expect(countByKind(consequenceIndex([r, web, api])(r))).toBe('2 Pods');
  });

  it('"replaced" counts the larger of the creates and the deletes', () => {
    const r = chain('r', 'patch', 'deployments', 'web', 0);
    const pods = (verbs: string[]) => verbs.map((v, i) => chain(`p${i}`, v, 'pods', `web-${i}`, i + 1, 'r'));
    expect(blastRadius(consequenceIndex([r, ...pods(['create', 'create', 'create', 'delete'])])(r))).toEqual([
      'replaced 3 Pods in 3 s (3 created, 1 deleted; 2026-03-02T10:00:01Z – 2026-03-02T10:00:04Z)',
    ]);
    expect(blastRadius(consequenceIndex([r, ...pods(['create', 'delete', 'delete', 'delete'])])(r))).toEqual([
      'replaced 3 Pods in 3 s (1 created, 3 deleted; 2026-03-02T10:00:01Z – 2026-03-02T10:00:04Z)',
    ]);
  });

  it('a consequence without a time: the span is of those with one, or none is given', () => {
    const untimed = (c: Chain) => ({ ...c, effect: { ...c.effect, time: undefined } }) as unknown as Chain;
    const p1 = chain('p1', 'create', 'pods', 'web-1', 1, 'd');
    const p2 = chain('p2', 'create', 'pods', 'web-2', 2, 'd');
    expect(blastRadius([p1, untimed(p2)])).toEqual(['created 2 Pods at 2026-03-02T10:00:01Z (2 created)']);
    expect(blastRadius([untimed(p1), untimed(p2)])).toEqual(['created 2 Pods (2 created)']);
  });
});
