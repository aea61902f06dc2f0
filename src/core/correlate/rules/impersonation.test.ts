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
    const ev = linkImpersonation(e)[0].link.evidence;
    expect(ev[1]).toContain('Rancher impersonation account');
    expect(ev[2]).toBe('impersonation extras give the login name kim and principal local://u-q8z3n');
  });

  it('near miss: a request without impersonatedUser makes no link', () => {
    expect(linkImpersonation(eventsOf([kubeAudit()])[0])).toEqual([]);
  });
});
