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

describe('rancher-ace rule, its edges', () => {
  const DIRECT =
    "u-q8z3n is a Rancher user id acting with no impersonation: kubectl through Rancher's authorized cluster endpoint, which Rancher does not log";
  const ctx = (records: object[], opts = {}) => {
    const events = eventsOf(records);
    return { events, ctx: ruleContext(events, opts) };
  };

  it('says first that the request bypassed Rancher, whether or not the login is known', () => {
    expect(link([aceWrite(), rancherAudit()])?.hit.link.evidence[0]).toBe(DIRECT);
    expect(link([aceWrite()])?.hit.link).toMatchObject({
      evidence: [DIRECT, expect.any(String)],
      to: expect.stringMatching(/^kube-audit:/),
    });
  });

  it('names a short look-back as a duration, a long one in days', () => {
    const { events, ctx: c } = ctx([aceWrite()], { identityLookbackMs: 3_600_000 });
    expect(linkRancherAce(events[0], c)?.hit.link.evidence[1]).toBe(
      'no Rancher record of u-q8z3n in the last 60 min names its login'
    );
    const { events: e2, ctx: c2 } = ctx([aceWrite()], { identityLookbackMs: 2 * 86_400_000 });
    expect(linkRancherAce(e2[0], c2)?.hit.link.evidence[1]).toBe(
      'no Rancher record of u-q8z3n in the last 2 days names its login'
    );
  });

  it('a record older than the look-back, or later than the skew, does not name the login', () => {
    const { events, ctx: c } = ctx([aceWrite(), rancherAudit()], { identityLookbackMs: 3_600_000 });
    expect(
      linkRancherAce(
        events.find((e) => e.source === 'kube-audit')!,
        c
      )?.login
    ).toBeUndefined();
    const after = link([aceWrite(), rancherAudit({ requestTimestamp: '2026-03-02T13:00:01+01:00' })]);
    expect(after?.login).toBe('kim');
    const tooLate = link([aceWrite(), rancherAudit({ requestTimestamp: '2026-03-02T13:00:03+01:00' })]);
    expect(tooLate?.login).toBeUndefined();
  });

  it('the latest record of the id wins', () => {
    const r = link([
      aceWrite(),
      rancherAudit({
        auditID: 'older',
        user: { extra: { username: ['kim.old'] } },
        requestTimestamp: '2026-03-02T10:00:00+01:00',
      }),
      rancherAudit({ auditID: 'newer', requestTimestamp: '2026-03-02T12:30:00+01:00' }),
    ]);
    expect(r).toMatchObject({ login: 'kim', hit: { link: { to: 'rancher-audit:newer' } } });
    expect(r?.hit.link.evidence[2]).toBe('30 min before this request');
  });

  it('not for requests with impersonation, from another source, with a login already, or without a time', () => {
    const events = eventsOf([aceWrite(), rancherAudit()]);
    const c = ruleContext(events);
    const write = events.find((e) => e.source === 'kube-audit')!;
    expect(linkRancherAce(write, c)).toBeDefined();
    expect(
      linkRancherAce({ ...write, actor: { ...write.actor, via: [{ name: 'kim', kind: 'human' }] } } as typeof write, c)
    ).toBeUndefined();
    expect(linkRancherAce({ ...write, source: 'rancher-audit' }, c)).toBeUndefined();
    expect(linkRancherAce({ ...write, actor: { ...write.actor, loginName: 'kim' } }, c)).toBeUndefined();
    expect(linkRancherAce({ ...write, time: undefined }, c)).toBeUndefined();
    expect(linkRancherAce({ ...write, actor: { ...write.actor, name: 'xu-q8z3n' } }, c)).toBeUndefined();
  });
});
