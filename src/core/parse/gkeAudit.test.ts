import { parseOne, parseAll, skipCounts } from '../../../tests/support/parse';
import { sampleLines } from '../../../tests/support/shared';

function gke(over: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) {
  return {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: { principalEmail: 'dana@example.org' },
      methodName: 'io.k8s.apps.v1.deployments.patch',
      requestMetadata: {
        callerIp: '203.0.113.27',
        callerSuppliedUserAgent: 'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46',
      },
      resourceName: 'apps/v1/namespaces/shop/deployments/checkout',
      serviceName: 'k8s.io',
      status: { code: 0 },
      ...payload,
    },
    insertId: 'c0ffee42',
    resource: {
      type: 'k8s_cluster',
      labels: { cluster_name: 'prod-eu', location: 'europe-west1', project_id: 'shop-prod' },
    },
    timestamp: '2026-03-02T10:15:30.123456Z',
    labels: {
      'authorization.k8s.io/decision': 'allow',
      'authorization.k8s.io/reason':
        'RBAC: allowed by ClusterRoleBinding "admins" of ClusterRole "cluster-admin" to User "dana@example.org"',
    },
    logName: 'projects/shop-prod/logs/cloudaudit.googleapis.com%2Factivity',
    ...over,
  };
}

describe('GKE Cloud Audit Log entries for Kubernetes', () => {
  it('a patch: principal, verb from the method, target from the resource name, caller IP', () => {
    expect(parseOne(gke())).toMatchObject({
      source: 'kube-audit',
      format: 'kube-audit/gke',
      verb: 'patch',
      time: Date.UTC(2026, 2, 2, 10, 15, 30, 123),
      actor: { name: 'dana@example.org', kind: 'human' },
      sourceIPs: ['203.0.113.27'],
      target: { apiGroup: 'apps', apiVersion: 'v1', resource: 'deployments', namespace: 'shop', name: 'checkout' },
      requestURI: '/apis/apps/v1/namespaces/shop/deployments/checkout',
      outcome: { code: 200, status: 'success', decision: 'allow' },
      keys: { insertId: 'c0ffee42' },
    });
  });

  it('exec on a core pod, and a denied request', () => {
    const exec = parseOne(
      gke(
        {},
        { methodName: 'io.k8s.core.v1.pods.exec.create', resourceName: 'core/v1/namespaces/shop/pods/web-1/exec' }
      )
    );
    expect(exec).toMatchObject({
      verb: 'create',
      target: { apiGroup: '', resource: 'pods', name: 'web-1', subresource: 'exec' },
    });
    const denied = parseOne(
      gke({ labels: { 'authorization.k8s.io/decision': 'forbid' } }, { status: { code: 7, message: 'forbidden' } })
    );
    expect(denied.outcome).toEqual({ code: 403, status: 'failure', decision: 'forbid' });
  });

  it('the real elastic fixture: a non-resource health check', () => {
    const s = parseAll(sampleLines('elastic_test-audit.log'));
    const hc = s.events.find((e) => e.format === 'kube-audit/gke');
    expect(hc).toMatchObject({
      verb: 'get',
      time: Date.UTC(2025, 6, 13, 8, 38, 39, 127),
      actor: { name: 'system:gke-master-healthcheck', kind: 'system' },
      sourceIPs: ['67.43.156.1'],
      target: { path: '/readyz' },
      outcome: { code: 200, status: 'success', decision: 'allow' },
    });
    expect(s.stats.skipped).toBe(0);
  });

  it('missing principal or method is a counted skip', () => {
    const s = parseAll([gke({}, { authenticationInfo: {} }), gke({}, { methodName: undefined })]);
    expect(skipCounts(s)).toEqual({ 'kube-audit:missing-field': 2 });
  });
});
