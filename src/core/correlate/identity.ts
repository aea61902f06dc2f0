import type { ActorKind, AddressTrust, ChangeEvent } from '../model';
import { clientAddress, trustedRanges } from './clientAddress';
import type { LinkHit, RuleContext } from './rule';
import { linkImpersonation } from './rules/impersonation';
import { linkRancherProxy } from './rules/rancherProxy';

/** A person (or account) behind a write, with how we know. */
export interface ResolvedIdentity {
  name: string;
  kind: ActorKind;
  ip?: string;
  ipTrust?: AddressTrust;
  via: string[];
  hits: LinkHit[];
}

/**
 * Who really made a request: the impersonated identity rather than the impersonating account, and behind a
 * Rancher impersonation account the Rancher user's login name and real client IP from Rancher's own audit log.
 */
export function resolveIdentity(e: ChangeEvent, rc: RuleContext): ResolvedIdentity {
  const hits = [...linkImpersonation(e), ...linkRancherProxy(e, rc)];
  const rancher = hits.find((h) => h.link.kind === 'rancher-proxy')?.cause;
  const via = e.actor.via.map((h) => `${h.name} (${h.mechanism})`);
  if (rancher) {
    via.push(`Rancher (audit ${rancher.keys.rancherAuditID ?? rancher.id})`);
  }
  const address = clientAddress(
    rancher && rancher.sourceIPs.length > 0 ? rancher.sourceIPs : e.sourceIPs,
    trustedRanges(rc.opts.trustedProxies)
  );
  const resolved: ResolvedIdentity = {
    name: rancher?.actor.loginName ?? e.actor.loginName ?? e.actor.name,
    kind: e.actor.kind,
    via,
    hits,
  };
  if (address) {
    resolved.ip = address.ip;
    resolved.ipTrust = address.trust;
  }
  return resolved;
}
