import { kubeAudit, rancherAudit } from '../../../../tests/support/builders';
import { eventsOf, ruleContext } from '../../../../tests/support/correlate';
import { linkRancherAce } from './rancherAce';

const aceWrite = (over: Record<string, unknown> = {}) =>
  kubeAudit({
    user: { username: 'u-q8z3n', groups: ['system:authenticated', 'system:cattle:authenticated'] },
    requestReceivedTimestamp: '2026-03-02T12:00:00.000000Z',
    ...over,
  });

function link(records: object[]) {
  const events = eventsOf(records);
  const e = events.find((x) => x.source === 'kube-audit' && x.actor.via.length === 0);
  if (!e) {
    throw new Error('no direct kube event');
  }
  return linkRancherAce(e, ruleContext(events));
}

describe('rancher-ace rule', () => {
  it('resolves the id to the login of the latest Rancher record of it, with that record', () => {
    const r = link([aceWrite(), rancherAudit()]);
    expect(r?.login).toBe('kim');
    expect(r?.hit.link).toMatchObject({
      kind: 'rancher-ace',
      confidence: 0.9,
      to: 'rancher-audit:0b7e4f0c-2d55-4e8e-9c1b-3f7d2a6e5b90',
    });
    expect(r?.hit.link.evidence.slice(1)).toEqual([
      'Rancher audit 0b7e4f0c-2d55-4e8e-9c1b-3f7d2a6e5b90 at 2026-03-02T10:20:05Z names u-q8z3n with login kim',
      '100 min before this request',
    ]);
  });

  // A request through Rancher's proxy as the kube-apiserver logs it: Rancher impersonates the id, extras name the login.
  const proxied = (at: string) =>
    kubeAudit({
      auditID: `proxied-${at}`,
      user: { username: 'system:serviceaccount:cattle-system:cattle-impersonation-u-q8z3n' },
      impersonatedUser: { username: 'u-q8z3n', extra: { username: ['kim'], principalid: ['local://u-q8z3n'] } },
      requestReceivedTimestamp: at,
    });

  it("prefers Rancher's record to its twin in the kube-apiserver log (the same request, within the skew)", () => {
    // Rancher logs second precision; the proxied request reaches the kube-apiserver a little later.
    const r = link([aceWrite(), rancherAudit(), proxied('2026-03-02T10:20:05.930000Z')]);
    expect(r?.hit.link.to).toBe('rancher-audit:0b7e4f0c-2d55-4e8e-9c1b-3f7d2a6e5b90');
  });

  it('a later record of another source, past the skew, is the latest evidence', () => {
    const r = link([aceWrite(), rancherAudit(), proxied('2026-03-02T11:00:00.000000Z')]);
    expect(r?.login).toBe('kim');
    expect(r?.hit.link.to).toBe('kube-audit:proxied-2026-03-02T11:00:00.000000Z');
    expect(r?.hit.link.evidence[1]).toBe(
      'the kube-audit record proxied-2026-03-02T11:00:00.000000Z at 2026-03-02T11:00:00Z names u-q8z3n with login kim'
    );
  });

  it('with no record of the id: says it is a Rancher user, at low confidence', () => {
    const r = link([aceWrite()]);
    expect(r?.login).toBeUndefined();
    expect(r?.hit.link.confidence).toBe(0.5);
    expect(r?.hit.link.evidence[1]).toBe('no Rancher record of u-q8z3n in the last 7 days names its login');
  });

  it('not for other users, impersonated requests, or a record of another id', () => {
    expect(link([aceWrite({ user: { username: 'dana@example.org', groups: [] } })])).toBeUndefined();
    expect(link([aceWrite(), rancherAudit({ user: { name: 'u-zz9zz' } })])?.login).toBeUndefined();
  });
});
