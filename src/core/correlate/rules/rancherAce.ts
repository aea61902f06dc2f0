import type { ChangeEvent } from '../../model';
import { RANCHER_USER_ID } from '../eventIndex';
import { describeDelta } from '../options';
import { at, hit, type LinkHit, type RuleContext, type RuleInfo } from '../rule';

export const rancherAceRule: RuleInfo = {
  kind: 'rancher-ace',
  summary:
    'a downstream request by a Rancher user id (u-xxxxx) with no impersonation — kubectl through the authorized cluster endpoint, which Rancher does not log — ⇄ the latest Rancher record of the same id in the identity look-back that names its login; else the id is said to be a Rancher user',
};

function lookback(ms: number): string {
  return ms >= 2 * 86_400_000 ? `${Math.round(ms / 86_400_000)} days` : describeDelta(ms);
}

export interface AceIdentity {
  /** The login name, when a record of the id names it. */
  login?: string;
  hit: LinkHit;
}

/** A Rancher user id acting on a cluster directly: its login, learned from any record of the same id. */
export function linkRancherAce(e: ChangeEvent, { ix, opts }: RuleContext): AceIdentity | undefined {
  if (
    e.source !== 'kube-audit' ||
    e.actor.via.length > 0 ||
    !RANCHER_USER_ID.test(e.actor.name) ||
    e.time === undefined
  ) {
    return undefined;
  }
  const id = e.actor.name;
  if (e.actor.loginName) {
    return undefined;
  }
  const t = e.time;
  const known = ix.rancherLogins.between(id, t - opts.identityLookbackMs, t + opts.skewMs).filter((r) => r !== e);
  const latest = known[known.length - 1];
  // Rancher's own record of the login first: a kube-apiserver record within the clock skew of it is the same
  // request proxied downstream (its twin), and a question that did not read every write would not have it.
  const ownRecord = known.filter((k) => k.source === 'rancher-audit').pop();
  const r =
    ownRecord && latest && (latest.time as number) - (ownRecord.time as number) <= opts.skewMs ? ownRecord : latest;
  const direct = `${id} is a Rancher user id acting with no impersonation: kubectl through Rancher's authorized cluster endpoint, which Rancher does not log`;
  if (!r?.actor.loginName) {
    return {
      hit: hit('rancher-ace', e, e, 0.5, [
        direct,
        `no Rancher record of ${id} in the last ${lookback(opts.identityLookbackMs)} names its login`,
      ]),
    };
  }
  const record =
    r.source === 'rancher-audit'
      ? `Rancher audit ${r.keys.rancherAuditID ?? r.id} at ${at(r.time)} names ${id} with login ${r.actor.loginName}`
      : `the ${r.source} record ${r.keys.auditID ?? r.id} at ${at(r.time)} names ${id} with login ${r.actor.loginName}`;
  return {
    login: r.actor.loginName,
    hit: hit('rancher-ace', e, r, 0.9, [
      direct,
      record,
      `${describeDelta(t - (r.time as number))} before this request`,
    ]),
  };
}
