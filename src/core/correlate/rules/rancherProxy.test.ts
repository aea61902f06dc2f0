import { rancherAudit, rancherDownstream } from '../../../../tests/support/builders';
import { eventsOf, ruleContext } from '../../../../tests/support/correlate';
import { linkRancherProxy } from './rancherProxy';

const downstream = rancherDownstream;

function link(records: object[]) {
  const events = eventsOf(records);
  const e = events.find((x) => x.source === 'kube-audit');
  if (!e) {
    throw new Error('no kube event');
  }
  return linkRancherProxy(e, ruleContext(events));
}

describe('rancher-proxy rule', () => {
  it('links on the shared token: login name and X-Forwarded-For client IP', () => {
    const [h] = link([downstream(), rancherAudit()]);
    expect(h.link).toMatchObject({ kind: 'rancher-proxy', confidence: 1 });
    expect(h.cause.source).toBe('rancher-audit');
    expect(h.link.evidence).toEqual([
      'same Rancher token token-4hx9p (requesttokenid on both sides)',
      'Rancher audit 0b7e4f0c-2d55-4e8e-9c1b-3f7d2a6e5b90: /k8s/clusters/c-m-7xk2q/apis/apps/v1/namespaces/shop/deployments/checkout by Rancher user u-q8z3n (login kim) at 2026-03-02T10:20:05Z',
      'same verb (delete) and downstream path /apis/apps/v1/namespaces/shop/deployments/checkout on cluster c-m-7xk2q',
      '412 ms apart (Rancher logs whole seconds; tolerated 2 s of skew)',
      "client IP 198.51.100.44 (X-Forwarded-For at Rancher), not the proxy's 10.42.0.17",
    ]);
  });

  it('links on user, verb, path and time when neither side has a token (Rancher < 2.11)', () => {
    const [h] = link([
      downstream({ impersonatedUser: { username: 'u-q8z3n', groups: [] } }),
      rancherAudit({ user: { extra: { requesttokenid: undefined, requesthost: undefined } } }),
    ]);
    expect(h.link.confidence).toBe(0.9);
  });

  it.each([
    ['other user', rancherAudit({ user: { name: 'u-other' } })],
    [
      'other path',
      rancherAudit({ requestURI: '/k8s/clusters/c-m-7xk2q/apis/apps/v1/namespaces/shop/deployments/cart' }),
    ],
    ['other verb', rancherAudit({ method: 'PATCH' })],
    ['outside the window', rancherAudit({ requestTimestamp: '2026-03-02T11:19:58+01:00' })],
    ['other token', rancherAudit({ user: { extra: { requesttokenid: ['token-zzzzz'] } } })],
  ])('near miss: %s', (_, rancher) => {
    expect(link([downstream(), rancher])).toEqual([]);
  });

  it('near miss: a request not made by a Rancher impersonation account', () => {
    expect(link([downstream({ user: { username: 'system:admin' } }), rancherAudit()])).toEqual([]);
  });
});
