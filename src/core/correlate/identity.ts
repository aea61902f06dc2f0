import type { ActorKind, ChangeEvent } from '../model';
import type { LinkHit, RuleContext } from './rule';
import { linkImpersonation } from './rules/impersonation';
import { linkRancherProxy } from './rules/rancherProxy';

/** A person (or account) behind a write, with how we know. */
export interface ResolvedIdentity {
  name: string;
  kind: ActorKind;
  ip?: string;
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
  const via = e.actor.via.map((h) => `${h.name} (${h.mechanism}${h.constraint ? `, allowed by ${h.constraint}` : ''})`);
  if (rancher) {
    via.push(`Rancher (audit ${rancher.keys.rancherAuditID ?? rancher.id})`);
  }
  // Behind Rancher the downstream sourceIPs are Rancher's own: only Rancher's record can name the client.
  const ip = rancher ? rancher.sourceIPs[0] : e.sourceIPs[0];
  const resolved: ResolvedIdentity = {
    name: rancher?.actor.loginName ?? e.actor.loginName ?? e.actor.name,
    kind: e.actor.kind,
    via,
    hits,
  };
  if (ip) {
    resolved.ip = ip;
  }
  return resolved;
}
