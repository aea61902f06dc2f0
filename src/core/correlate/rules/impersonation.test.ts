import { kubeAudit } from '../../../../tests/support/builders';
import { eventsOf } from '../../../../tests/support/correlate';
import { linkImpersonation } from './impersonation';

describe('impersonation rule', () => {
  it('links an impersonated request to its own record, naming both identities', () => {
    const [e] = eventsOf([
      kubeAudit({ user: { username: 'system:admin' }, impersonatedUser: { username: 'bob', groups: [] } }),
    ]);
    const [h] = linkImpersonation(e);
    expect(h.link).toMatchObject({ kind: 'impersonation', from: e.id, to: e.id, confidence: 1 });
    expect(h.link.evidence[0]).toBe(
      'the request authenticated as system:admin and impersonated bob (impersonatedUser of the same audit event)'
    );
  });

  it('says when the impersonator is a Rancher account and what extras it passed', () => {
    const [e] = eventsOf([
      kubeAudit({
        user: { username: 'system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-q8z3n' },
        impersonatedUser: { username: 'u-q8z3n', extra: { username: ['kim'], principalid: ['local://u-q8z3n'] } },
      }),
    ]);
    expect(linkImpersonation(e)[0].link.evidence).toEqual([
      'the request authenticated as system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-q8z3n and impersonated u-q8z3n (impersonatedUser of the same audit event)',
      'system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-q8z3n is a Rancher impersonation account: Rancher forwarded a request of its user u-q8z3n',
      'impersonation extras give the login name kim and principal local://u-q8z3n',
    ]);
  });

  it('near miss: a request without impersonatedUser makes no link', () => {
    expect(linkImpersonation(eventsOf([kubeAudit()])[0])).toEqual([]);
  });
  it('names the extras it has: a login name alone, a principal alone; a plain impersonation has one sentence', () => {
    const evidence = (extra: object) =>
      linkImpersonation(
        eventsOf([
          kubeAudit({ user: { username: 'system:admin' }, impersonatedUser: { username: 'bob', groups: [], extra } }),
        ])[0]
      )[0].link.evidence.slice(1);
    expect(evidence({ username: ['bob-login'] })).toEqual(['impersonation extras give the login name bob-login']);
    expect(evidence({ principalid: ['okta://bob'] })).toEqual(['impersonation extras give the principal okta://bob']);
    expect(evidence({})).toEqual([]);
  });

  it('near miss: a hop that is not an impersonation (Rancher proxying a request) makes no link', () => {
    const [e] = eventsOf([
      kubeAudit({ user: { username: 'system:admin' }, impersonatedUser: { username: 'bob', groups: [] } }),
    ]);
    const proxied = { ...e, actor: { ...e.actor, via: [{ ...e.actor.via[0], mechanism: 'rancher-proxy' as const }] } };
    expect(linkImpersonation(proxied)).toEqual([]);
  });
});
