import type { ChangeEvent } from '../../model';
import { parseServiceAccount } from '../../parse/actor';
import { describeDelta } from '../options';
import { at, objectName, type RuleContext, type RuleInfo } from '../rule';

export const rbacContextRule: RuleInfo = {
  kind: 'rbac-context',
  summary:
    "Role/Binding changes within the RBAC look-back whose subjects include the acting identity (or, when the audit level did not record the binding's body, that sit in the acting service account's namespace or name it)",
};

export interface RbacContextHit {
  event: ChangeEvent;
  confidence: number;
  evidence: string[];
}

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

function matchSubjects(
  r: ChangeEvent,
  identity: string,
  groups: string[]
): { reason: string; wide?: string } | undefined {
  let wide: { reason: string; wide: string } | undefined;
  for (const m of subjectMatches(r, identity, groups)) {
    if (m.wide === undefined) {
      return m;
    }
    wide ??= m as { reason: string; wide: string };
  }
  return wide;
}

function* subjectMatches(
  r: ChangeEvent,
  identity: string,
  groups: string[]
): Generator<{ reason: string; wide?: string }> {
  const sa = parseServiceAccount(identity);
  for (const s of r.rbac?.subjects ?? []) {
    if (
      sa &&
      s.kind === 'ServiceAccount' &&
      s.name === sa.name &&
      (s.namespace ?? r.target.namespace) === sa.namespace
    ) {
      yield { reason: `its subjects include ServiceAccount ${sa.namespace}/${sa.name}` };
    } else if (!sa && s.kind === 'User' && s.name === identity) {
      yield { reason: `its subjects include User ${identity}` };
    } else if (s.kind === 'Group' && groups.includes(s.name)) {
      const reason = `its subjects include Group ${s.name}, a group of ${identity}`;
      yield isGroupWide(s.name) ? { reason, wide: s.name } : { reason };
    }
  }
}

/** Without a recorded body: a binding in the acting service account's namespace, or whose name mentions it. */
function matchWithoutBody(r: ChangeEvent, identity: string): string | undefined {
  const sa = parseServiceAccount(identity);
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

/** RBAC changes before `e` that granted (or may have granted) its acting identity: bounded per chain. */
export function findRbacContext(e: ChangeEvent, { ix, opts }: RuleContext): RbacContextHit[] {
  if (e.time === undefined) {
    return [];
  }
  const t = e.time;
  const matches: Match[] = [];
  // Group-wide matches: only the latest per group is kept, the others counted.
  const wideLatest = new Map<string, { match: Match; count: number }>();
  for (const r of ix.rbacWrites.between('*', t - opts.rbacLookbackMs, t)) {
    if (r === e) {
      continue;
    }
    for (const identity of identitiesOf(e)) {
      const exact = matchSubjects(r, identity, e.actor.groups);
      const loose = exact ? undefined : matchWithoutBody(r, identity);
      if (exact?.wide !== undefined) {
        const seen = wideLatest.get(exact.wide);
        const match = { event: r, exact: true, reason: exact.reason, wide: exact.wide };
        if (!seen) {
          wideLatest.set(exact.wide, { match, count: 1 });
        } else {
          seen.count++;
          if ((r.time ?? 0) >= (seen.match.event.time ?? 0)) {
            seen.match = match;
          }
        }
        break;
      }
      if (exact || loose) {
        matches.push({ event: r, exact: exact !== undefined, reason: exact?.reason ?? (loose as string) });
        break;
      }
    }
  }
  const wideNotes = new Map<Match, string>();
  for (const [group, { match, count }] of wideLatest) {
    matches.push(match);
    if (count > 1) {
      wideNotes.set(
        match,
        `the latest of ${count} changes binding Group ${group} (every such account) in the look-back`
      );
    }
  }
  // A change made through Rancher's proxy is in both audit logs: keep the downstream record, drop its twin.
  const kept = matches.filter(
    (h) =>
      h.event.source !== 'rancher-audit' ||
      !matches.some(
        (k) =>
          k.event.source === 'kube-audit' &&
          k.event.verb === h.event.verb &&
          objectName(k.event) === objectName(h.event) &&
          Math.abs((k.event.time as number) - (h.event.time as number)) <= opts.skewMs + 1_000
      )
  );
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
    return { event: m.event, confidence: m.exact ? 1 : 0.5, evidence };
  });
}
