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
      kind: 'drift',
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

  const marked = (metadata: object) => drift([kubeAudit({ level: 'RequestResponse', responseObject: { metadata } })]);

  it("a person writes an object Fleet deployed (its objectset id), or one Argo CD tracks by label (not Helm's)", () => {
    expect(marked({ annotations: { 'objectset.rio.cattle.io/id': 'default-shop-checkout' } })[0].link).toMatchObject({
      confidence: 1,
      evidence: [
        'dana@example.org changed deployments shop/checkout by hand',
        'the object carries objectset.rio.cattle.io/id default-shop-checkout (deployed by Fleet)',
      ],
    });
    expect(marked({ labels: { 'app.kubernetes.io/instance': 'storefront' } })[0].link.evidence).toEqual([
      'dana@example.org changed deployments shop/checkout by hand',
      'the object carries app.kubernetes.io/instance storefront (Argo CD label tracking)',
    ]);
    // Helm sets the same label on what it installs: no GitOps tool is named by it.
    expect(
      marked({ labels: { 'app.kubernetes.io/instance': 'storefront', 'app.kubernetes.io/managed-by': 'Helm' } })
    ).toEqual([]);
  });

  it('names the latest of the GitOps controllers that wrote the object before', () => {
    const fleet = byController({
      auditID: 'c-0',
      user: { username: 'system:serviceaccount:cattle-fleet-system:fleet-agent' },
      requestReceivedTimestamp: '2026-03-01T09:00:00.000000Z',
    });
    const [h] = drift([kubeAudit(), fleet, byController()]);
    expect(h.link.evidence[1]).toBe(
      'the GitOps controller system:serviceaccount:argocd:argocd-application-controller last wrote it at 2026-03-01T10:00:00Z, 24.3 h before'
    );
    const [h2] = drift([kubeAudit(), byController({ requestReceivedTimestamp: '2026-03-01T08:00:00.000000Z' }), fleet]);
    expect(h2.link.evidence[1]).toMatch(
      /^the GitOps controller system:serviceaccount:cattle-fleet-system:fleet-agent /
    );
  });

  it('the look-back (7 days) includes its first millisecond; a write at the same moment is not before', () => {
    // The person writes at 2026-03-02T10:15:30.123Z; seven days before is 2026-02-23T10:15:30.123Z.
    const atMs = (t: string) => byController({ requestReceivedTimestamp: t });
    expect(drift([kubeAudit(), atMs('2026-02-23T10:15:30.123000Z')])).toHaveLength(1);
    expect(drift([kubeAudit(), atMs('2026-02-23T10:15:30.122000Z')])).toEqual([]);
    expect(drift([kubeAudit(), atMs('2026-03-02T10:15:30.122000Z')])).toHaveLength(1);
    expect(drift([kubeAudit(), atMs('2026-03-02T10:15:30.123000Z')])).toEqual([]);
  });
  it('an event without a time is not linked, even on a marked object', () => {
    const events = eventsOf([
      kubeAudit({
        level: 'RequestResponse',
        responseObject: { metadata: { annotations: { 'objectset.rio.cattle.io/id': 'default-shop-checkout' } } },
      }),
    ]);
    const untimed = { ...eventAt(events, 1), time: undefined };
    expect(linkDrift(untimed, ruleContext(events))).toEqual([]);
  });
});
