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

  it('the window: from 1 s plus the skew (2 s) before the downstream time to the skew after, both ends included', () => {
    // Rancher logged 10:20:05 (whole seconds). The downstream apiserver at t: linked when 10:20:05 ∈ [t − 3 s, t + 2 s].
    const at = (t: string) => link([downstream({ requestReceivedTimestamp: t }), rancherAudit()]);
    expect(at('2026-03-02T10:20:08.000000Z')).toHaveLength(1);
    expect(at('2026-03-02T10:20:08.001000Z')).toEqual([]);
    expect(at('2026-03-02T10:20:03.000000Z')).toHaveLength(1);
    expect(at('2026-03-02T10:20:02.999000Z')).toEqual([]);
  });

  it('a token on the downstream side only: matched by user instead, at the lower confidence, no token sentence', () => {
    const [h] = link([downstream(), rancherAudit({ user: { extra: { requesttokenid: undefined } } })]);
    expect(h.link.confidence).toBe(0.9);
    expect(h.link.evidence[0]).toMatch(/^Rancher audit 0b7e4f0c-2d55-4e8e-9c1b-3f7d2a6e5b90: /);
  });

  it('of two records of the same request, the closer in time; the query string is not part of the path', () => {
    const [h] = link([
      downstream({ requestURI: '/apis/apps/v1/namespaces/shop/deployments/checkout?dryRun=None' }),
      rancherAudit({ auditID: 'far', requestTimestamp: '2026-03-02T11:20:03+01:00' }),
      rancherAudit({
        auditID: 'near',
        requestURI: '/k8s/clusters/c-m-7xk2q/apis/apps/v1/namespaces/shop/deployments/checkout?x=1',
      }),
    ]);
    expect(h.link.evidence[1]).toMatch(/^Rancher audit near: /);
    expect(h.link.evidence[2]).toBe(
      'same verb (delete) and downstream path /apis/apps/v1/namespaces/shop/deployments/checkout on cluster c-m-7xk2q'
    );
  });

  it('without the client address (audit level 0): says the remote address is the ingress; without a login, none named', () => {
    const [h] = link([
      downstream(),
      rancherAudit({ requestHeader: undefined, user: { extra: { username: undefined } } }),
    ]);
    expect(h.link.evidence.slice(1)).toEqual([
      'Rancher audit 0b7e4f0c-2d55-4e8e-9c1b-3f7d2a6e5b90: /k8s/clusters/c-m-7xk2q/apis/apps/v1/namespaces/shop/deployments/checkout by Rancher user u-q8z3n at 2026-03-02T10:20:05Z',
      'same verb (delete) and downstream path /apis/apps/v1/namespaces/shop/deployments/checkout on cluster c-m-7xk2q',
      '412 ms apart (Rancher logs whole seconds; tolerated 2 s of skew)',
      'the client IP was not recorded: Rancher wrote no request headers (audit level 0, its default from v2.12), so its remoteAddr 10.42.0.17 is the ingress, not the client; audit level 1 or higher records X-Forwarded-For',
    ]);
  });
  it('a Rancher record with no downstream path (its own /v1 API): the same resource, namespace and name', () => {
    const steve = (uri: string) => rancherAudit({ requestURI: uri });
    const [h] = link([downstream(), steve('/v1/apps.deployments/shop/checkout')]);
    expect(h.link.confidence).toBe(1);
    expect(h.link.evidence[2]).toBe(
      'same verb (delete) and downstream path /apis/apps/v1/namespaces/shop/deployments/checkout'
    );
    expect(link([downstream(), steve('/v1/apps.deployments/shop/cart')])).toEqual([]);
    expect(link([downstream(), steve('/v1/apps.deployments/staging/checkout')])).toEqual([]);
    expect(link([downstream(), steve('/v1/apps.statefulsets/shop/checkout')])).toEqual([]);
    // Cluster-scoped: neither side names a namespace.
    const clusterRole = downstream({
      requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterroles/view-shop',
      objectRef: {
        resource: 'clusterroles',
        namespace: undefined,
        name: 'view-shop',
        apiGroup: 'rbac.authorization.k8s.io',
        apiVersion: 'v1',
      },
    });
    expect(link([clusterRole, steve('/v1/rbac.authorization.k8s.io.clusterroles/view-shop')])).toHaveLength(1);
    expect(link([clusterRole, steve('/v1/rbac.authorization.k8s.io.clusterroles/edit-shop')])).toEqual([]);
  });
  it('with neither a client nor a remote address, no address sentence', () => {
    const [h] = link([downstream(), rancherAudit({ requestHeader: undefined, remoteAddr: undefined })]);
    expect(h.link.evidence).toHaveLength(4);
    expect(h.link.evidence.at(-1)).toBe('412 ms apart (Rancher logs whole seconds; tolerated 2 s of skew)');
  });
});
