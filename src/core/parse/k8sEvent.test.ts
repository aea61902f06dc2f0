import { k8sEvent } from '../../../tests/support/builders';
import { parseAll, parseOne, skipCounts } from '../../../tests/support/parse';

describe('Kubernetes Events about GitOps objects', () => {
  it('kubernetes-event-exporter JSON: Argo CD rollback with the user annotation', () => {
    const e = parseOne(k8sEvent());
    expect(e).toMatchObject({
      source: 'argocd',
      format: 'k8s-event/exporter-json',
      verb: 'rollback',
      time: Date.UTC(2026, 2, 2, 10, 30),
      actor: { name: 'dana@example.org', kind: 'human' },
      target: { kind: 'Application', namespace: 'argocd', name: 'storefront' },
      gitops: {
        operation: 'rollback',
        historyId: 7,
        initiator: 'dana@example.org',
        destNamespace: 'shop',
        app: 'storefront',
      },
    });
  });

  it('the controller as event source means no user even if the message had a prefix-like word', () => {
    const e = parseOne(
      k8sEvent({
        message: "Initiated automated sync to 'abc1234'",
        source: { component: 'argocd-application-controller' },
        metadata: { annotations: { user: undefined } },
      })
    );
    expect(e).toMatchObject({ actor: { kind: 'gitops-controller' }, gitops: { automated: true, commit: 'abc1234' } });
  });

  it('events.k8s.io/v1 shape (regarding, note, reportingController)', () => {
    const e = parseOne({
      regarding: {
        kind: 'GitRepo',
        namespace: 'fleet-default',
        name: 'payments',
        apiVersion: 'fleet.cattle.io/v1alpha1',
      },
      reason: 'GotNewCommit',
      action: 'GetNewCommit',
      note: '9c8b7a6f5e4d3c2b1a0998877665544332211000',
      reportingController: 'fleet-gitops',
      eventTime: '2026-03-02T11:59:00.000000Z',
      type: 'Normal',
    });
    expect(e).toMatchObject({
      source: 'fleet',
      verb: 'commit',
      target: { resource: 'gitrepos', namespace: 'fleet-default', name: 'payments' },
      gitops: {
        tool: 'fleet',
        operation: 'commit',
        app: 'payments',
        commit: '9c8b7a6f5e4d3c2b1a0998877665544332211000',
      },
    });
  });

  it('Alloy logfmt line: namespace from the stream label, time from the Loki entry', () => {
    const e = parseOne({
      text: 'name=storefront kind=Application action= objectAPIversion=argoproj.io/v1alpha1 objectRV=8812 eventRV=8820 reportinginstance= reportingcontroller= sourcecomponent=argocd-server sourcehost= reason=OperationStarted type=Normal count=1 msg="dana@example.org initiated sync to main (0f3c9a1d2b7e4c6a8f1e2d3c4b5a69788766554e)"',
      labels: { namespace: 'argocd', job: 'integrations/kubernetes/eventhandler' },
      ns: '1772446498000000000',
    });
    expect(e).toMatchObject({
      format: 'k8s-event/alloy-logfmt',
      ns: '1772446498000000000',
      gitops: {
        app: 'storefront',
        appNamespace: 'argocd',
        initiator: 'dana@example.org',
        commit: '0f3c9a1d2b7e4c6a8f1e2d3c4b5a69788766554e',
      },
    });
  });

  it('Alloy JSON line', () => {
    const e = parseOne({
      text: JSON.stringify({
        name: 'payments',
        kind: 'GitRepo',
        objectAPIversion: 'fleet.cattle.io/v1alpha1',
        sourcecomponent: 'fleet-gitops',
        reason: 'FailedToCheckCommit',
        type: 'Warning',
        msg: 'authentication required',
      }),
      labels: { namespace: 'fleet-default' },
      ns: '1772446498000000000',
    });
    expect(e).toMatchObject({
      format: 'k8s-event/alloy-json',
      verb: 'commit-check-failed',
      outcome: { status: 'failure' },
      target: { name: 'payments', namespace: 'fleet-default' },
    });
  });

  it('skips events of other objects and of other tools on Applications', () => {
    const s = parseAll([
      k8sEvent({
        involvedObject: { kind: 'Pod', apiVersion: 'v1', name: 'web-1' },
        reason: 'Scheduled',
        message: 'Successfully assigned shop/web-1',
      }),
      k8sEvent({ source: { component: 'kargo-controller' } }),
      k8sEvent({
        involvedObject: { kind: 'GitRepo', apiVersion: 'fleet.cattle.io/v1alpha1' },
        reason: 'Created',
        message: 'GitJob was created',
      }),
    ]);
    expect(skipCounts(s)).toEqual({
      'k8s-event:not-gitops': 1,
      'k8s-event:not-from-argocd': 1,
      'k8s-event:not-a-change': 1,
    });
  });
});
