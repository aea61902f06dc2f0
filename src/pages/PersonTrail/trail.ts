import type { DataFrame } from '@grafana/data';

import { objectName, type Chain } from '../../core';

/**
 * A person's trail: what they changed, grouped by cluster and namespace, by the door they came through, and what
 * they tried and were refused. Pure: frames in, rows out; the lists are capped so a person with 100,000 writes
 * is a page of counts and the latest of each group, with how many more and how to narrow.
 */

export type Door = 'direct' | 'rancher' | 'impersonation' | 'argocd' | 'fleet';

export const DOOR_LABEL: Record<Door, string> = {
  direct: 'Directly (kubectl, API)',
  rancher: 'Through Rancher',
  impersonation: 'Impersonating (--as)',
  argocd: 'Argo CD syncs they started',
  fleet: 'Fleet edits',
};

/** The door a change came through: a GitOps tool first (the person started it), then the account in between. */
export function doorOf(c: Chain): Door {
  if (c.gitops?.tool === 'argocd') {
    return 'argocd';
  }
  if (c.gitops?.tool === 'fleet' || c.effect.target.apiGroup === 'fleet.cattle.io') {
    return 'fleet';
  }
  const via = c.effect.actor.via;
  if (c.links.some((l) => l.kind === 'rancher-proxy') || via.some((h) => h.mechanism.startsWith('rancher'))) {
    return 'rancher';
  }
  if (c.links.some((l) => l.kind === 'impersonation') || via.some((h) => h.mechanism === 'impersonation')) {
    return 'impersonation';
  }
  return 'direct';
}

export const NO_CLUSTER = '(no cluster label)';
export const CLUSTER_WIDE = '(cluster-wide)';

export interface TrailGroup {
  cluster: string;
  namespace: string;
  count: number;
  doors: Partial<Record<Door, number>>;
  /** The newest changes of the group, at most `perGroup`. */
  latest: Chain[];
  /** How many more the group holds than `latest` shows. */
  more: number;
}

export interface DeniedAttempt {
  time: number | undefined;
  code: string;
  verb: string;
  object: string;
  source: string;
  ip: string;
}

export interface Trail {
  total: number;
  doors: Record<Door, number>;
  groups: TrailGroup[];
  /** Groups past `maxGroups`, not listed. */
  moreGroups: number;
  denied: DeniedAttempt[];
  moreDenied: number;
}

export interface TrailLimits {
  perGroup: number;
  maxGroups: number;
  maxDenied: number;
}

export const TRAIL_LIMITS: TrailLimits = { perGroup: 10, maxGroups: 50, maxDenied: 100 };

/** Refused by the API server or Rancher: unauthenticated (401) or forbidden (403). */
const DENIED = new Set(['401', '403']);

function column(f: DataFrame, name: string): unknown[] {
  return (f.fields.find((x) => x.name === name)?.values ?? []) as unknown[];
}

/**
 * The person's refused attempts in the data source's events frame (mode "events"): outcome 401 or 403. The
 * frame also holds the events read to explain the changes, so only those whose actor names the person count —
 * the same case-insensitive substring the question asks Loki for.
 */
export function deniedAttempts(series: DataFrame[], person: string): DeniedAttempt[] {
  const who = person.trim().toLowerCase();
  const out: DeniedAttempt[] = [];
  for (const f of series) {
    if (f.name !== 'events') {
      continue;
    }
    const outcome = column(f, 'outcome');
    const [time, verb, object, source, ip, actor] = ['time', 'verb', 'object', 'source', 'ip', 'actor'].map((n) =>
      column(f, n)
    );
    outcome.forEach((o, i) => {
      if (
        DENIED.has(String(o)) &&
        who !== '' &&
        String(actor[i] ?? '')
          .toLowerCase()
          .includes(who)
      ) {
        out.push({
          time: typeof time[i] === 'number' ? (time[i] as number) : undefined,
          code: String(o),
          verb: String(verb[i] ?? ''),
          object: String(object[i] ?? ''),
          source: String(source[i] ?? ''),
          ip: String(ip[i] ?? ''),
        });
      }
    });
  }
  return out.sort((a, b) => (b.time ?? 0) - (a.time ?? 0));
}

export function trailOf(chains: readonly Chain[], denied: DeniedAttempt[], limits = TRAIL_LIMITS): Trail {
  const doors: Record<Door, number> = { direct: 0, rancher: 0, impersonation: 0, argocd: 0, fleet: 0 };
  const byKey = new Map<string, TrailGroup>();
  // Newest first, so each group's `latest` is filled in one pass without sorting every group.
  const newest = [...chains].sort((a, b) => (b.effect.time ?? 0) - (a.effect.time ?? 0));
  for (const c of newest) {
    const door = doorOf(c);
    doors[door]++;
    const cluster = c.effect.target.cluster ?? NO_CLUSTER;
    const namespace = c.effect.target.namespace ?? CLUSTER_WIDE;
    const key = `${cluster}\u0000${namespace}`;
    let g = byKey.get(key);
    if (!g) {
      g = { cluster, namespace, count: 0, doors: {}, latest: [], more: 0 };
      byKey.set(key, g);
    }
    g.count++;
    g.doors[door] = (g.doors[door] ?? 0) + 1;
    if (g.latest.length < limits.perGroup) {
      g.latest.push(c);
    } else {
      g.more++;
    }
  }
  const groups = [...byKey.values()].sort(
    (a, b) => a.cluster.localeCompare(b.cluster) || b.count - a.count || a.namespace.localeCompare(b.namespace)
  );
  return {
    total: chains.length,
    doors,
    groups: groups.slice(0, limits.maxGroups),
    moreGroups: Math.max(0, groups.length - limits.maxGroups),
    denied: denied.slice(0, limits.maxDenied),
    moreDenied: Math.max(0, denied.length - limits.maxDenied),
  };
}

/** One line for a change in a group's list. */
export function trailLine(c: Chain): string {
  return `${c.effect.verb} ${objectName(c.effect)}`;
}
