import type { ChangeEvent, RbacSubject } from '../../model';
import { parseServiceAccount } from '../../parse/actor';
import { describeDelta } from '../options';
import { at, objectName, type RuleContext, type RuleInfo } from '../rule';
import { TimelineMap } from '../timeline';

export const rbacContextRule: RuleInfo = {
  kind: 'rbac-context',
  summary:
    "Role/Binding changes within the RBAC look-back whose subjects include the acting identity (or, when the audit level did not record the binding's body, that sit in the acting service account's namespace or name it)",
};

export interface RbacContextHit {
  event: ChangeEvent;
  confidence: number;
  evidence: string[];
  /**
   * The change granted this identity by name: a create, update or patch whose recorded subjects name its user,
   * its service account or one of its own groups (not a group every account is in, not a guess without a body).
   */
  grants: boolean;
}

/** Verbs that give a binding's subjects rights (a delete takes them away). */
const GRANTING_VERBS = new Set(['create', 'update', 'patch']);

type ServiceAccountRef = { namespace: string; name: string };

function identitiesOf(e: ChangeEvent): string[] {
  return [e.actor.name, ...e.actor.via.map((h) => h.name)];
}

/**
 * Groups every account of a kind belongs to: a binding to one says nothing about this identity in particular,
 * and anyone allowed to bind may create thousands — they are summarised, one per group, with a count.
 */
function isGroupWide(group: string): boolean {
  return (
    group === 'system:authenticated' ||
    group === 'system:unauthenticated' ||
    group === 'system:serviceaccounts' ||
    group === 'system:cattle:authenticated' ||
    group.startsWith('system:serviceaccounts:')
  );
}

/** At most this many RBAC changes per chain; the rest are counted in the last one's evidence. */
export const MAX_RBAC_CONTEXT = 10;

interface Match {
  event: ChangeEvent;
  exact: boolean;
  reason: string;
  /** The group-wide group the match went through, if that was the only match. */
  wide?: string;
}

function reasonOf(s: RbacSubject, identity: string, sa: ServiceAccountRef | undefined): string {
  if (s.kind === 'ServiceAccount' && sa) {
    return `its subjects include ServiceAccount ${sa.namespace}/${sa.name}`;
  }
  return s.kind === 'User'
    ? `its subjects include User ${identity}`
    : `its subjects include Group ${s.name}, a group of ${identity}`;
}

/** Without a recorded body: a binding in the acting service account's namespace, or whose name mentions it. */
function matchWithoutBody(r: ChangeEvent, sa: ServiceAccountRef | undefined): string | undefined {
  if (!sa || r.rbac?.subjects) {
    return undefined;
  }
  if (r.target.namespace && r.target.namespace === sa.namespace) {
    return `its body was not recorded (Metadata-level audit); it is in ${sa.namespace}, the namespace of ServiceAccount ${sa.namespace}/${sa.name}`;
  }
  const name = r.target.name ?? '';
  const token = sa.namespace.length >= 4 ? sa.namespace : sa.name.split('-')[0];
  if (name && token.length >= 4 && name.includes(token)) {
    return `its body was not recorded (Metadata-level audit); its name ${name} mentions ${token}, as the acting ServiceAccount ${sa.namespace}/${sa.name} does`;
  }
  return undefined;
}

/** Where a subject is found in the index: `User:<name>`, `Group:<name>`, `ServiceAccount:<ns>/<name>`. */
function subjectKey(s: RbacSubject, bindingNamespace: string | undefined): string {
  return s.kind === 'ServiceAccount'
    ? `ServiceAccount:${s.namespace ?? bindingNamespace ?? ''}/${s.name}`
    : `${s.kind}:${s.name}`;
}
const NO_BODY = 'no-body';

// RBAC writes by the subjects they name (and those without a recorded body), built once per event index: a change
// looks up its own identities instead of testing every RBAC write in the look-back.
const bySubjectOf = new WeakMap<RuleContext['ix'], TimelineMap>();
function bySubject(ix: RuleContext['ix']): TimelineMap {
  let m = bySubjectOf.get(ix);
  if (!m) {
    m = new TimelineMap();
    for (const r of ix.rbacWrites.between('*', -Infinity, Infinity)) {
      if (!r.rbac?.subjects) {
        m.add(NO_BODY, r);
        continue;
      }
      for (const key of new Set(r.rbac.subjects.map((s) => subjectKey(s, r.target.namespace)))) {
        m.add(key, r);
      }
    }
    bySubjectOf.set(ix, m);
  }
  return m;
}

/** The same change of an RBAC object through Rancher's proxy is in both audit logs. */
function isTwin(rancher: ChangeEvent, kube: ChangeEvent, skewMs: number): boolean {
  return (
    rancher.source === 'rancher-audit' &&
    kube.source === 'kube-audit' &&
    kube.verb === rancher.verb &&
    objectName(kube) === objectName(rancher) &&
    Math.abs((kube.time as number) - (rancher.time as number)) <= skewMs + 1_000
  );
}

function downstreamTwin(r: ChangeEvent, ix: RuleContext['ix'], opts: RuleContext['opts']): boolean {
  if (r.source !== 'rancher-audit' || r.time === undefined) {
    return false;
  }
  const near = ix.rbacWrites.between('*', r.time - opts.skewMs - 1_000, r.time + opts.skewMs + 1_000);
  return near.some((k) => isTwin(r, k, opts.skewMs));
}

/** RBAC changes before `e` that granted (or may have granted) its acting identity: bounded per chain. */
export function findRbacContext(e: ChangeEvent, { ix, opts }: RuleContext): RbacContextHit[] {
  if (e.time === undefined) {
    return [];
  }
  const t = e.time;
  const from = t - opts.rbacLookbackMs;
  const index = bySubject(ix);
  const matches: Match[] = [];
  const seen = new Set<ChangeEvent>();
  const take = (r: ChangeEvent, exact: boolean, reason: string, wide?: string) => {
    if (r !== e && !seen.has(r)) {
      seen.add(r);
      matches.push({ event: r, exact, reason, ...(wide ? { wide } : {}) });
    }
  };
  // Group-wide matches: only the latest per group is kept, the others counted.
  const wideCounts = new Map<string, number>();
  for (const identity of identitiesOf(e)) {
    const sa = parseServiceAccount(identity);
    const own: RbacSubject = sa
      ? { kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace }
      : { kind: 'User', name: identity };
    for (const r of index.between(subjectKey(own, undefined), from, t)) {
      take(r, true, reasonOf(own, identity, sa));
    }
    for (const g of e.actor.groups) {
      const group: RbacSubject = { kind: 'Group', name: g };
      const rs = index.between(subjectKey(group, undefined), from, t).filter((r) => r !== e && !seen.has(r));
      if (isGroupWide(g)) {
        if (rs.length > 0 && !wideCounts.has(g)) {
          wideCounts.set(g, rs.length);
          take(rs[rs.length - 1], true, reasonOf(group, identity, sa), g);
        }
      } else {
        rs.forEach((r) => take(r, true, reasonOf(group, identity, sa)));
      }
    }
    for (const r of index.between(NO_BODY, from, t)) {
      // Rancher records no body; the same change's kube-apiserver record decides (its subjects were matched above).
      const loose = seen.has(r) || downstreamTwin(r, ix, opts) ? undefined : matchWithoutBody(r, sa);
      if (loose) {
        take(r, false, loose);
      }
    }
  }
  matches.sort((a, b) => (a.event.time as number) - (b.event.time as number));
  const wideNotes = new Map<Match, string>();
  for (const m of matches) {
    const count = m.wide !== undefined ? (wideCounts.get(m.wide) ?? 0) : 0;
    if (count > 1) {
      wideNotes.set(m, `the latest of ${count} changes binding Group ${m.wide} (every such account) in the look-back`);
    }
  }
  // A change made through Rancher's proxy is in both audit logs: keep the downstream record, drop its twin.
  const kept = matches.filter((h) => !matches.some((k) => isTwin(h.event, k.event, opts.skewMs)));
  // Specific grants first, then the most recent; the rest are counted, not listed.
  kept.sort(
    (a, b) =>
      Number(a.wide !== undefined) - Number(b.wide !== undefined) ||
      Number(b.exact) - Number(a.exact) ||
      (b.event.time as number) - (a.event.time as number)
  );
  const shown = kept.slice(0, MAX_RBAC_CONTEXT);
  return shown.map((m, i) => {
    const evidence = [
      `${m.event.actor.loginName ?? m.event.actor.name} ${m.event.verb}d ${objectName(m.event)} at ${at(m.event.time)}, ${describeDelta(t - (m.event.time as number))} before`,
      m.reason,
    ];
    const note = wideNotes.get(m);
    if (note) {
      evidence.push(note);
    }
    if (i === shown.length - 1 && kept.length > shown.length) {
      evidence.push(`${kept.length - shown.length} more RBAC changes granting this identity are not listed`);
    }
    return {
      event: m.event,
      confidence: m.exact ? 1 : 0.5,
      evidence,
      grants: m.exact && m.wide === undefined && GRANTING_VERBS.has(m.event.verb),
    };
  });
}
