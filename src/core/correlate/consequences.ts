import type { Chain } from '../model';
import { describeDelta } from './options';
import { at } from './rule';

/**
 * What a change set off through Kubernetes' controllers (the cascade rule's `consequenceOf` links), read
 * downwards: the blast radius of a root change, grouped by kind, with times.
 */

const KIND_OF: Readonly<Record<string, string>> = {
  pods: 'Pod',
  replicasets: 'ReplicaSet',
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
  replicationcontrollers: 'ReplicationController',
};

function kindOf(c: Chain): string {
  const r = c.effect.target.resource;
  return KIND_OF[r] ?? c.effect.target.kind ?? r;
}

const plural = (n: number, kind: string) => `${n} ${kind}${n === 1 ? '' : 's'}`;

/**
 * Every chain below a root, directly or through further controllers, oldest first. Build it once over all
 * chains and ask it per root: each call walks only that root's consequences.
 */
export function consequenceIndex(all: readonly Chain[]): (root: Chain) => Chain[] {
  const children = new Map<string, Chain[]>();
  for (const c of all) {
    if (c.consequenceOf) {
      const list = children.get(c.consequenceOf) ?? [];
      list.push(c);
      children.set(c.consequenceOf, list);
    }
  }
  return (root) => {
    if (!children.has(root.id)) {
      // Most chains set nothing off: no walk, no set of ids to build.
      return [];
    }
    const out: Chain[] = [];
    const seen = new Set<string>([root.id]);
    const queue = [root.id];
    for (let i = 0; i < queue.length; i++) {
      for (const c of children.get(queue[i]) ?? []) {
        if (!seen.has(c.id)) {
          seen.add(c.id);
          out.push(c);
          queue.push(c.id);
        }
      }
    }
    return out.sort((a, b) => (a.effect.time ?? 0) - (b.effect.time ?? 0) || (a.id < b.id ? -1 : 1));
  };
}

/** The objects the consequences wrote, by kind (a ReplicaSet created then scaled is one ReplicaSet). */
function objectsByKind(consequences: readonly Chain[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const c of consequences) {
    const k = kindOf(c);
    const set = out.get(k) ?? new Set<string>();
    set.add(`${c.effect.target.namespace ?? ''}/${c.effect.target.name ?? ''}`);
    out.set(k, set);
  }
  return out;
}

/** `2 ReplicaSets, 12 Pods`: the objects consequences wrote, by kind, in the order they first happened. */
export function countByKind(consequences: readonly Chain[]): string {
  return [...objectsByKind(consequences)].map(([k, objects]) => plural(objects.size, k)).join(', ');
}

/**
 * One sentence per kind: `replaced 2 Pods in 21 s (2 created, 2 deleted; 10:00:05Z – 10:00:26Z)`, "replaced" when
 * the same kind was both created and deleted.
 */
export function blastRadius(consequences: readonly Chain[]): string[] {
  const byKind = new Map<string, Chain[]>();
  consequences.forEach((c) => byKind.set(kindOf(c), [...(byKind.get(kindOf(c)) ?? []), c]));
  return [...byKind].map(([kind, cs]) => {
    const verbs = new Map<string, number>();
    cs.forEach((c) => verbs.set(c.effect.verb, (verbs.get(c.effect.verb) ?? 0) + 1));
    const times = cs.map((c) => c.effect.time).filter((t): t is number => t !== undefined);
    const first = Math.min(...times);
    const last = Math.max(...times);
    const verb =
      verbs.has('create') && verbs.has('delete')
        ? 'replaced'
        : verbs.size === 1
          ? `${[...verbs.keys()][0].replace(/e$/, '')}ed`
          : 'changed';
    const n =
      verb === 'replaced'
        ? Math.max(verbs.get('create') ?? 0, verbs.get('delete') ?? 0)
        : (objectsByKind(cs).get(kind)?.size ?? cs.length);
    const detail = [...verbs].map(([v, k]) => `${k} ${v.replace(/e$/, '')}ed`).join(', ');
    const span =
      times.length === 0
        ? ` (${detail})`
        : first === last
          ? ` at ${at(first)} (${detail})`
          : ` in ${describeDelta(last - first)} (${detail}; ${at(first)} – ${at(last)})`;
    return `${verb} ${plural(n, kind)}${span}`;
  });
}
