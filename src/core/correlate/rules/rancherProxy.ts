import type { ChangeEvent } from '../../model';
import { describeDelta } from '../options';
import { at, closest, hit, type LinkHit, type RuleContext, type RuleInfo } from '../rule';

export const rancherProxyRule: RuleInfo = {
  kind: 'rancher-proxy',
  summary:
    'a downstream request made by a Rancher impersonation account ⇄ the Rancher audit record of the same user (and token, Rancher ≥ 2.11), same verb and downstream path, within the skew window: gives the login name and the real client IP',
};

function pathOf(uri: string | undefined): string | undefined {
  return uri?.split('?')[0];
}

function sameTarget(kube: ChangeEvent, rancher: ChangeEvent): boolean {
  const kp = pathOf(kube.requestURI);
  const rp = pathOf(rancher.keys.downstreamURI);
  if (kp && rp) {
    return kp === rp;
  }
  const a = kube.target;
  const b = rancher.target;
  return a.resource === b.resource && (a.namespace ?? '') === (b.namespace ?? '') && (a.name ?? '') === (b.name ?? '');
}

/** A downstream audit event proxied by Rancher ⇄ the Rancher API audit record of the same request. */
export function linkRancherProxy(e: ChangeEvent, { ix, opts }: RuleContext): LinkHit[] {
  const hop = e.actor.via[0];
  if (e.source !== 'kube-audit' || !hop || hop.mechanism !== 'rancher-impersonation' || e.time === undefined) {
    return [];
  }
  const t = e.time;
  // Rancher writes whole seconds, before the downstream apiserver sees the request.
  const from = t - 1_000 - opts.skewMs;
  const to = t + opts.skewMs;
  const token = e.actor.requestTokenId;
  const byToken = token ? ix.rancherByToken.between(token, from, to) : [];
  const pool = byToken.length > 0 ? byToken : ix.rancherByUser.between(e.actor.name, from, to);
  const matches = pool.filter(
    (r) =>
      r.actor.name === e.actor.name &&
      r.verb === e.verb &&
      (!token || !r.actor.requestTokenId || r.actor.requestTokenId === token) &&
      // No cluster comparison: Rancher names clusters by id (c-m-…), log pipelines by their own label values.
      sameTarget(e, r)
  );
  const r = closest(matches, t);
  if (!r) {
    return [];
  }
  const byTokenMatch = Boolean(token && r.actor.requestTokenId === token);
  const evidence = [
    `Rancher audit ${r.keys.rancherAuditID}: ${r.requestURI ?? ''} by Rancher user ${r.actor.name}${r.actor.loginName ? ` (login ${r.actor.loginName})` : ''} at ${at(r.time)}`,
    `same verb (${e.verb}) and downstream path ${pathOf(r.keys.downstreamURI) ?? pathOf(e.requestURI) ?? ''}${r.target.cluster ? ` on cluster ${r.target.cluster}` : ''}`,
    `${describeDelta(t - (r.time as number))} apart (Rancher logs whole seconds; tolerated ${describeDelta(opts.skewMs)} of skew)`,
  ];
  if (byTokenMatch) {
    evidence.unshift(`same Rancher token ${token} (requesttokenid on both sides)`);
  }
  if (r.sourceIPs[0]) {
    evidence.push(
      `client IP ${r.sourceIPs[0]} (X-Forwarded-For at Rancher), not the proxy's ${e.sourceIPs[e.sourceIPs.length - 1] ?? ''}`.trim()
    );
  } else if (r.proxyIPs?.length) {
    evidence.push(
      `the client IP was not recorded: Rancher wrote no request headers (audit level 0, its default from v2.12), so its remoteAddr ${r.proxyIPs[0]} is the ingress, not the client; audit level 1 or higher records X-Forwarded-For`
    );
  }
  return [hit('rancher-proxy', e, r, byTokenMatch ? 1 : 0.9, evidence)];
}
