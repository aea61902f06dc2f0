import type { ChangeEvent } from '../../model';
import { hit, type LinkHit, type RuleInfo } from '../rule';

export const impersonationRule: RuleInfo = {
  kind: 'impersonation',
  summary:
    'the request carries impersonatedUser: that identity is the actor, the authenticated account is the hop (hard key: same audit event)',
};

/** The actor of an impersonated request is the impersonated identity; the account that authenticated is a hop. */
export function linkImpersonation(e: ChangeEvent): LinkHit[] {
  const hop = e.actor.via[0];
  if (!hop || (hop.mechanism !== 'impersonation' && hop.mechanism !== 'rancher-impersonation')) {
    return [];
  }
  const evidence = [
    `the request authenticated as ${hop.name} and impersonated ${e.actor.name} (impersonatedUser of the same audit event)`,
  ];
  if (hop.mechanism === 'rancher-impersonation') {
    evidence.push(
      `${hop.name} is a Rancher impersonation account: Rancher forwarded a request of its user ${e.actor.name}`
    );
  }
  if (e.actor.loginName || e.actor.principalId) {
    const parts = [
      e.actor.loginName && `login name ${e.actor.loginName}`,
      e.actor.principalId && `principal ${e.actor.principalId}`,
    ].filter(Boolean);
    evidence.push(`impersonation extras give the ${parts.join(' and ')}`);
  }
  return [hit('impersonation', e, e, 1, evidence)];
}
