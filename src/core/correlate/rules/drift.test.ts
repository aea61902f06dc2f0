import { kubeAudit } from '../../../../tests/support/builders';
import { eventAt, eventsOf, ruleContext } from '../../../../tests/support/correlate';
import { linkDrift } from './drift';

const byController = (over: Record<string, unknown> = {}) =>
  kubeAudit({
    auditID: 'c-1',
    user: { username: 'system:serviceaccount:argocd:argocd-application-controller' },
    requestReceivedTimestamp: '2026-03-01T10:00:00.000000Z',
    ...over,
  });

function drift(records: object[]) {
  const events = eventsOf(records);
  return linkDrift(eventAt(events, 1), ruleContext(events));
}

describe('drift rule', () => {
  it('a person writes an object the GitOps controller last wrote', () => {
    const [h] = drift([kubeAudit(), byController()]);
    expect(h.link).toMatchObject({ kind: 'drift', confidence: 0.9 });
    expect(h.link.evidence).toEqual([
      'dana@example.org changed deployments shop/checkout by hand',
      'the GitOps controller system:serviceaccount:argocd:argocd-application-controller last wrote it at 2026-03-01T10:00:00Z, 24.3 h before',
    ]);
  });

  it("the controller's status writes do not make an object GitOps-managed (Argo CD reports on its Applications)", () => {
    const status = byController({
      requestURI: '/apis/apps/v1/namespaces/shop/deployments/checkout/status',
      objectRef: {
        resource: 'deployments',
        namespace: 'shop',
        name: 'checkout',
        apiGroup: 'apps',
        subresource: 'status',
      },
    });
    expect(drift([kubeAudit(), status])).toEqual([]);
  });

  it('a person writes an object carrying an Argo CD tracking annotation', () => {
    const [h] = drift([
      kubeAudit({
        level: 'RequestResponse',
        responseObject: {
          metadata: { annotations: { 'argocd.argoproj.io/tracking-id': 'storefront:apps/Deployment:shop/checkout' } },
        },
      }),
    ]);
    expect(h.link).toMatchObject({
      confidence: 1,
      evidence: [
        'dana@example.org changed deployments shop/checkout by hand',
        'the object carries argocd.argoproj.io/tracking-id storefront:apps/Deployment:shop/checkout',
      ],
    });
  });

  it.each([
    ['other object', [kubeAudit(), byController({ objectRef: { name: 'cart' } })]],
    ['other namespace', [kubeAudit(), byController({ objectRef: { namespace: 'staging' } })]],
    ['outside the look-back', [kubeAudit(), byController({ requestReceivedTimestamp: '2026-02-01T10:00:00.000000Z' })]],
    [
      'the earlier writer was not a GitOps controller',
      [kubeAudit(), byController({ user: { username: 'ops@example.org' } })],
    ],
    [
      'the writer now is the controller, not a person',
      [byController({ auditID: 'c-2', requestReceivedTimestamp: '2026-03-02T10:00:00.000000Z' }), byController()],
    ],
  ])('near miss: %s', (_, records) => {
    expect(drift(records as object[])).toEqual([]);
  });
});
