import { argoApiCall, argoLog, k8sEvent, kubeAudit } from '../../../../tests/support/builders';
import { eventsOf, ruleContext } from '../../../../tests/support/correlate';
import { linkArgocdUiEdit } from './argocdUiEdit';

const serverWrite = (over: Record<string, unknown> = {}) =>
  kubeAudit({
    verb: 'delete',
    requestURI: '/apis/apps/v1/namespaces/shop/deployments/checkout',
    user: { username: 'system:serviceaccount:argocd:argocd-server', groups: ['system:serviceaccounts'] },
    userAgent: 'argocd-server/v2.14.9',
    requestReceivedTimestamp: '2026-03-02T10:15:30.100000Z',
    ...over,
  });
const apiCall = (method: string, content: object, claims?: object) =>
  argoApiCall(method, content, claims, { time: '2026-03-02T10:15:30Z' });
const checkout = {
  name: 'storefront',
  namespace: 'shop',
  resourceName: 'checkout',
  version: 'v1',
  group: 'apps',
  kind: 'Deployment',
};

function link(records: object[]) {
  const events = eventsOf(records);
  const e = events.find((x) => x.source === 'kube-audit');
  if (!e) {
    throw new Error('no kube event');
  }
  return linkArgocdUiEdit(e, ruleContext(events));
}

describe('argocd-ui rule', () => {
  it('names the Argo CD user from the DeleteResource call on the same object', () => {
    const r = link([serverWrite(), apiCall('DeleteResource', checkout)]);
    expect(r?.user).toBe('ravi@example.org');
    expect(r?.hit.link).toMatchObject({ kind: 'argocd-ui', confidence: 0.95 });
    expect(r?.hit.link.evidence).toEqual([
      'deployments shop/checkout was written by system:serviceaccount:argocd:argocd-server: a change made in the Argo CD UI or API',
      'argocd-server logged the DeleteResource call on Deployment shop/checkout by ravi@example.org (JWT claims) at 2026-03-02T10:15:30Z',
      'same object, 100 ms apart (within 5 s)',
    ]);
  });

  it('falls back to the audit message, logged after the write', () => {
    const r = link([
      serverWrite(),
      argoLog({
        msg: "lee@example.org deleted resource apps/Deployment 'checkout'",
        user: 'lee@example.org',
        time: '2026-03-02T10:15:31Z',
      }),
    ]);
    expect(r?.user).toBe('lee@example.org');
    expect(r?.hit.link.confidence).toBe(0.85);
  });

  it('a resource action patches the object; a project token is named as automation', () => {
    const r = link([
      serverWrite({ verb: 'patch' }),
      apiCall('RunResourceActionV2', { ...checkout, action: 'restart' }, { iss: 'argocd', sub: 'proj:shop:ci' }),
    ]);
    expect(r?.user).toBe('proj:shop:ci');
    expect(r?.hit.link.evidence.at(-1)).toBe(
      "proj:shop:ci is not a person's account (an Argo CD project token or automation)"
    );
  });

  it('no link for another object, another verb, outside the window, or a write not by argocd-server', () => {
    expect(link([serverWrite(), apiCall('DeleteResource', { ...checkout, resourceName: 'cart' })])).toBeUndefined();
    expect(link([serverWrite(), apiCall('PatchResource', checkout)])).toBeUndefined();
    expect(
      link([serverWrite(), { ...apiCall('DeleteResource', checkout), time: '2026-03-02T10:15:00Z' }])
    ).toBeUndefined();
    expect(
      link([serverWrite({ user: { username: 'dana@example.org', groups: [] } }), apiCall('DeleteResource', checkout)])
    ).toBeUndefined();
  });

  it('the API window (5 s) includes both ends', () => {
    // The API call is logged at 10:15:30 (whole seconds); the write at t is linked when |t − 10:15:30| ≤ 5 s.
    const at = (t: string) => link([serverWrite({ requestReceivedTimestamp: t }), apiCall('DeleteResource', checkout)]);
    expect(at('2026-03-02T10:15:25.000000Z')?.user).toBe('ravi@example.org');
    expect(at('2026-03-02T10:15:24.999000Z')).toBeUndefined();
    expect(at('2026-03-02T10:15:35.000000Z')?.user).toBe('ravi@example.org');
    expect(at('2026-03-02T10:15:35.001000Z')).toBeUndefined();
  });

  it('a PatchResource call is an update or apply as well; a resource action may create', () => {
    expect(link([serverWrite({ verb: 'update' }), apiCall('PatchResource', checkout)])?.user).toBe('ravi@example.org');
    expect(
      link([serverWrite({ verb: 'create' }), apiCall('RunResourceActionV2', { ...checkout, action: 'x' })])?.user
    ).toBe('ravi@example.org');
    expect(link([serverWrite({ verb: 'create' }), apiCall('PatchResource', checkout)])).toBeUndefined();
  });

  it("the API-call line's claims are preferred to a closer audit message; the message's evidence quotes it", () => {
    const message = argoLog({
      msg: "lee@example.org deleted resource apps/Deployment 'checkout'",
      user: 'lee@example.org',
      time: '2026-03-02T10:15:30Z',
    });
    const r = link([serverWrite(), { ...apiCall('DeleteResource', checkout), time: '2026-03-02T10:15:33Z' }, message]);
    expect(r?.user).toBe('ravi@example.org');
    const m = link([serverWrite(), message]);
    expect(m?.hit.link.evidence).toEqual([
      'deployments shop/checkout was written by system:serviceaccount:argocd:argocd-server: a change made in the Argo CD UI or API',
      `argocd-server logged "lee@example.org deleted resource apps/Deployment 'checkout'" at 2026-03-02T10:15:30Z`,
      'same object, 100 ms apart (within 5 s)',
    ]);
  });

  it("argocd-server's field manager marks the write as well, and the evidence names it", () => {
    const r = link([
      serverWrite({
        verb: 'patch',
        user: { username: 'system:serviceaccount:argocd:argocd-application-controller', groups: [] },
        requestURI: '/apis/apps/v1/namespaces/shop/deployments/checkout?fieldManager=argocd-server',
      }),
      apiCall('PatchResource', checkout),
    ]);
    expect(r?.hit.link.evidence[0]).toBe(
      'deployments shop/checkout was written by system:serviceaccount:argocd:argocd-application-controller (field manager argocd-server): a change made in the Argo CD UI or API'
    );
  });

  it('the same object: same kind (Deployment for deployments) and, when both name one, the same namespace', () => {
    expect(
      link([serverWrite(), apiCall('DeleteResource', { ...checkout, kind: 'Service', version: 'v1', group: '' })])
    ).toBeUndefined();
    expect(link([serverWrite(), apiCall('DeleteResource', { ...checkout, namespace: 'staging' })])).toBeUndefined();
    // A cluster-scoped write names no namespace: any namespace the call names will do.
    const clusterRole = serverWrite({
      requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterroles/checkout',
      objectRef: {
        resource: 'clusterroles',
        namespace: undefined,
        name: 'checkout',
        apiGroup: 'rbac.authorization.k8s.io',
      },
    });
    expect(
      link([
        clusterRole,
        apiCall('DeleteResource', { ...checkout, kind: 'ClusterRole', group: 'rbac.authorization.k8s.io' }),
      ])?.user
    ).toBe('ravi@example.org');
  });
  it('a record that names nobody names no user: "Unknown user", claims without a user, the controller on its own', () => {
    const unknownMessage = argoLog({
      msg: "Unknown user deleted resource apps/Deployment 'checkout'",
      user: 'Unknown user',
      time: '2026-03-02T10:15:30Z',
    });
    expect(link([serverWrite(), unknownMessage])).toBeUndefined();
    expect(link([serverWrite(), apiCall('DeleteResource', checkout, { iss: 'argocd' })])).toBeUndefined();
    const controllerEvent = k8sEvent({
      message: "Unknown user deleted resource apps/Deployment 'checkout'",
      source: { component: 'argocd-application-controller' },
      firstTimestamp: '2026-03-02T10:15:30Z',
      lastTimestamp: '2026-03-02T10:15:30Z',
    });
    expect(link([serverWrite(), controllerEvent])).toBeUndefined();
    // A nameless record closer to the write does not hide a named one further off.
    const lee = argoLog({
      msg: "lee@example.org deleted resource apps/Deployment 'checkout'",
      user: 'lee@example.org',
      time: '2026-03-02T10:15:33Z',
    });
    expect(link([serverWrite(), apiCall('DeleteResource', checkout, { iss: 'argocd' }), lee])?.user).toBe(
      'lee@example.org'
    );
    expect(link([serverWrite(), unknownMessage, lee])?.user).toBe('lee@example.org');
  });

  it('a GitOps controller that names its automation is the caller (an ApplicationSet rolling sync)', () => {
    const r = link([
      serverWrite(),
      argoLog({
        msg: "applicationset-controller deleted resource apps/Deployment 'checkout'",
        user: 'applicationset-controller',
        time: '2026-03-02T10:15:31Z',
      }),
    ]);
    expect(r?.user).toBe('applicationset-controller');
    expect(r?.hit.link.evidence.at(-1)).toBe(
      "applicationset-controller is not a person's account (an Argo CD project token or automation)"
    );
  });

  it('an Ingress or a NetworkPolicy deleted through the API is the same object as its kube write', () => {
    // The API call names the Kind; the kube write names the resource (ingresses, networkpolicies).
    for (const [kind, resource] of [
      ['Ingress', 'ingresses'],
      ['NetworkPolicy', 'networkpolicies'],
    ]) {
      const write = serverWrite({
        requestURI: `/apis/networking.k8s.io/v1/namespaces/shop/${resource}/checkout`,
        objectRef: { resource, namespace: 'shop', name: 'checkout', apiGroup: 'networking.k8s.io', apiVersion: 'v1' },
      });
      const call = apiCall('DeleteResource', { ...checkout, kind, group: 'networking.k8s.io' });
      expect(link([write, call])?.user).toBe('ravi@example.org');
    }
  });
});
