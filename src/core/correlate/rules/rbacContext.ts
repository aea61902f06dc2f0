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

function matchSubjects(r: ChangeEvent, identity: string, groups: string[]): string | undefined {
  const sa = parseServiceAccount(identity);
  for (const s of r.rbac?.subjects ?? []) {
    if (
      sa &&
      s.kind === 'ServiceAccount' &&
      s.name === sa.name &&
      (s.namespace ?? r.target.namespace) === sa.namespace
    ) {
      return `its subjects include ServiceAccount ${sa.namespace}/${sa.name}`;
    }
    if (!sa && s.kind === 'User' && s.name === identity) {
      return `its subjects include User ${identity}`;
    }
    if (s.kind === 'Group' && groups.includes(s.name)) {
      return `its subjects include Group ${s.name}, a group of ${identity}`;
    }
  }
  return undefined;
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

/** RBAC changes before `e` that granted (or may have granted) its acting identity. */
export function findRbacContext(e: ChangeEvent, { ix, opts }: RuleContext): RbacContextHit[] {
  if (e.time === undefined) {
    return [];
  }
  const t = e.time;
  const out: RbacContextHit[] = [];
  for (const r of ix.rbacWrites.between('*', t - opts.rbacLookbackMs, t)) {
    if (r === e) {
      continue;
    }
    for (const identity of identitiesOf(e)) {
      const exact = matchSubjects(r, identity, e.actor.groups);
      const loose = exact ? undefined : matchWithoutBody(r, identity);
      if (exact || loose) {
        out.push({
          event: r,
          confidence: exact ? 1 : 0.5,
          evidence: [
            `${r.actor.loginName ?? r.actor.name} ${r.verb}d ${objectName(r)} at ${at(r.time)}, ${describeDelta(t - (r.time as number))} before`,
            (exact ?? loose) as string,
          ],
        });
        break;
      }
    }
  }
  // A change made through Rancher's proxy is in both audit logs: keep the downstream record, drop its twin.
  return out.filter(
    (h) =>
      h.event.source !== 'rancher-audit' ||
      !out.some(
        (k) =>
          k.event.source === 'kube-audit' &&
          k.event.verb === h.event.verb &&
          objectName(k.event) === objectName(h.event) &&
          Math.abs((k.event.time as number) - (h.event.time as number)) <= opts.skewMs + 1_000
      )
  );
}
