import type { ActorKind, AddressTrust, ChangeEvent } from '../model';
import { clientAddress, trustedRanges } from './clientAddress';
import type { LinkHit, RuleContext } from './rule';
import { classifyActor } from '../parse/actor';
import { linkAppGenerator } from './rules/appGenerator';
import { linkArgocdUiEdit } from './rules/argocdUiEdit';
import { linkImpersonation } from './rules/impersonation';
import { linkRancherAce } from './rules/rancherAce';
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
  const via = e.actor.via.map((h) => `${h.name} (${h.mechanism}${h.constraint ? `, allowed by ${h.constraint}` : ''})`);
  if (rancher) {
    via.push(`Rancher (audit ${rancher.keys.rancherAuditID ?? rancher.id})`);
  }
  // Behind Rancher the downstream sourceIPs are Rancher's own: only Rancher's record can name the client.
  const address = clientAddress(rancher ? rancher.sourceIPs : e.sourceIPs, trustedRanges(rc.opts.trustedProxies));
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
  // Doors that need no impersonation: an edit in the Argo CD UI, kubectl through Rancher's authorized endpoint.
  const ui = linkArgocdUiEdit(e, rc);
  if (ui) {
    resolved.hits.push(ui.hit);
    resolved.name = ui.user;
    resolved.kind = classifyActor(ui.user);
    resolved.via = [`${e.actor.name} (Argo CD UI/API)`, ...via];
    // The write's source IP is argocd-server's pod, not the person's.
    delete resolved.ip;
    return resolved;
  }
  const generated = linkAppGenerator(e, rc);
  if (generated) {
    resolved.hits.push(...generated.hits);
    const edit = generated.edit;
    if (edit?.source === 'argocd' && edit.gitops?.initiator) {
      resolved.name = edit.gitops.initiator;
      resolved.kind = classifyActor(edit.gitops.initiator);
    } else if (edit) {
      const editor = resolveIdentity(edit, rc);
      resolved.hits.push(...editor.hits);
      resolved.name = editor.name;
      resolved.kind = editor.kind;
    }
    if (edit) {
      resolved.via = [`${e.actor.name} (ApplicationSet ${generated.appSet})`, ...via];
      delete resolved.ip;
    }
    return resolved;
  }
  const ace = linkRancherAce(e, rc);
  if (ace) {
    resolved.hits.push(ace.hit);
    resolved.name = ace.login ?? e.actor.name;
    resolved.via = [ace.login ? `Rancher user ${e.actor.name}` : `${e.actor.name} (a Rancher user)`, ...via];
  }
  return resolved;
}
