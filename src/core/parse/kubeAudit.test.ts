import { appStatusWrite, kubeAudit, roleBindingUpdate } from '../../../tests/support/builders';
import { parseAll, parseOne, skipCounts } from '../../../tests/support/parse';
import { sampleLines } from '../../../tests/support/shared';

describe('parseKubeAuditEvent — our fixtures', () => {
  it('reads actor, verb, target, client, outcome and authorization of a v1 event', () => {
    const e = parseOne(kubeAudit());
    expect(e).toMatchObject({
      id: 'kube-audit:5f2c1a4e-9b7d-4c1e-8a3f-0d6e2b9c7a11',
      source: 'kube-audit',
      format: 'kube-audit/v1',
      verb: 'patch',
      time: Date.UTC(2026, 2, 2, 10, 15, 30, 123),
      ns: '1772446530123456000',
      actor: { name: 'dana@example.org', kind: 'human', groups: ['platform-admins', 'system:authenticated'], via: [] },
      sourceIPs: ['203.0.113.27'],
      userAgent: 'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46',
      target: { apiGroup: 'apps', apiVersion: 'v1', resource: 'deployments', namespace: 'shop', name: 'checkout' },
      outcome: { code: 200, status: 'success', decision: 'allow' },
      keys: { auditID: '5f2c1a4e-9b7d-4c1e-8a3f-0d6e2b9c7a11' },
      marks: { fieldManager: 'kubectl-edit' },
      stages: ['ResponseComplete'],
    });
    expect(e.outcome.authzReason).toContain('ClusterRoleBinding "platform-admins"');
  });

  it('makes the impersonated user the actor and the caller a via hop, with Rancher extras', () => {
    const e = parseOne(
      kubeAudit({
        user: {
          username: 'system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-q8z3n',
          groups: ['system:serviceaccounts'],
        },
        impersonatedUser: {
          username: 'u-q8z3n',
          groups: ['system:authenticated', 'system:cattle:authenticated'],
          extra: {
            principalid: ['local://u-q8z3n'],
            username: ['kim'],
            requesttokenid: ['token-4hx9p'],
            requesthost: ['rancher.example.org'],
          },
        },
        sourceIPs: ['198.51.100.44', '10.42.0.17'],
      })
    );
    expect(e.actor).toEqual({
      name: 'u-q8z3n',
      kind: 'human',
      groups: ['system:authenticated', 'system:cattle:authenticated'],
      via: [
        {
          name: 'system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-q8z3n',
          kind: 'serviceaccount',
          mechanism: 'rancher-impersonation',
        },
      ],
      principalId: 'local://u-q8z3n',
      loginName: 'kim',
      requestTokenId: 'token-4hx9p',
      requestHost: 'rancher.example.org',
    });
    expect(e.keys.requestTokenId).toBe('token-4hx9p');
  });

  it('collapses the stages of one request into one event with the final outcome', () => {
    const received = kubeAudit({
      stage: 'RequestReceived',
      responseStatus: undefined,
      stageTimestamp: '2026-03-02T10:15:30.123456Z',
    });
    const complete = kubeAudit({ objectRef: { uid: 'b3f1c2d4-aaaa-4bbb-8ccc-ddddeeeeffff' } });
    for (const order of [
      [received, complete],
      [complete, received],
    ]) {
      const s = parseAll(order);
      expect(s.events).toHaveLength(1);
      expect(s.events[0].outcome).toMatchObject({ code: 200, status: 'success' });
      expect(s.events[0].target.uid).toBe('b3f1c2d4-aaaa-4bbb-8ccc-ddddeeeeffff');
      expect([...(s.events[0].stages ?? [])].sort()).toEqual(['RequestReceived', 'ResponseComplete']);
    }
  });

  it('keeps impersonation from whichever stage carried it (rancher/rancher#38536)', () => {
    const withImp = kubeAudit({
      stage: 'RequestReceived',
      responseStatus: undefined,
      impersonatedUser: { username: 'u-q8z3n', groups: [] },
    });
    const without = kubeAudit();
    const e = parseOne([without, withImp]);
    expect(e.actor.name).toBe('u-q8z3n');
    expect(e.actor.via[0].name).toBe('dana@example.org');
    expect(e.outcome.code).toBe(200);
  });

  it('counts a repeated stage line as a duplicate, not a second event', () => {
    const s = parseAll([kubeAudit(), kubeAudit()]);
    expect(s.events).toHaveLength(1);
    expect(s.stats.duplicates).toBe(1);
  });

  it('keeps two requests apart when a client reuses an Audit-ID for a different request', () => {
    const s = parseAll([
      kubeAudit(),
      kubeAudit({ verb: 'delete', requestURI: '/apis/apps/v1/namespaces/shop/deployments/checkout' }),
    ]);
    expect(s.events.map((e) => e.verb).sort()).toEqual(['delete', 'patch']);
    expect(new Set(s.events.map((e) => e.id)).size).toBe(2);
    expect(s.events.every((e) => e.id.startsWith('kube-audit:5f2c1a4e-9b7d-4c1e-8a3f-0d6e2b9c7a11~'))).toBe(true);
  });

  it('reads a forbidden request as a failure with the decision', () => {
    const e = parseOne(
      kubeAudit({
        responseStatus: {
          metadata: {},
          status: 'Failure',
          reason: 'Forbidden',
          code: 403,
          message: 'deployments.apps "checkout" is forbidden',
        },
        annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' },
      })
    );
    expect(e.outcome).toEqual({
      code: 403,
      status: 'failure',
      decision: 'forbid',
      message: 'deployments.apps "checkout" is forbidden',
    });
  });

  it('reads non-resource requests by path, exec as a create on the exec subresource', () => {
    const healthz = parseOne(kubeAudit({ verb: 'get', requestURI: '/readyz', objectRef: undefined }));
    expect(healthz.target).toEqual({ apiGroup: '', resource: '', path: '/readyz' });
    const exec = parseOne(
      kubeAudit({
        verb: 'create',
        stage: 'ResponseStarted',
        requestURI: '/api/v1/namespaces/shop/pods/checkout-7d9f/exec?command=sh&stdin=true&tty=true',
        objectRef: {
          resource: 'pods',
          namespace: 'shop',
          name: 'checkout-7d9f',
          apiGroup: '',
          apiVersion: 'v1',
          subresource: 'exec',
        },
        responseStatus: { metadata: {}, code: 101 },
      })
    );
    expect(exec.target).toMatchObject({ resource: 'pods', name: 'checkout-7d9f', subresource: 'exec' });
    expect(exec.outcome).toMatchObject({ code: 101, status: 'success' });
  });

  it('classifies GitOps controllers by service account, and a service account by user agent and field manager', () => {
    const bySa = parseOne(
      kubeAudit({ user: { username: 'system:serviceaccount:argocd:argocd-application-controller' } })
    );
    expect(bySa.actor.kind).toBe('gitops-controller');
    const byAgent = parseOne(
      kubeAudit({
        user: { username: 'system:serviceaccount:gitops:deployer' },
        userAgent: 'argocd-application-controller/v3.1.0 (linux/amd64)',
      })
    );
    expect(byAgent.actor.kind).toBe('gitops-controller');
    const uri = '/apis/apps/v1/namespaces/shop/deployments/checkout?fieldManager=argocd-controller&force=true';
    const byManager = parseOne(
      kubeAudit({ user: { username: 'system:serviceaccount:gitops:deployer' }, requestURI: uri })
    );
    expect(byManager.actor.kind).toBe('gitops-controller');
    expect(byManager.marks?.fieldManager).toBe('argocd-controller');
    // A person's `kubectl apply --field-manager=argocd-controller`: still the person, the claim kept as a mark.
    const person = parseOne(kubeAudit({ requestURI: uri }));
    expect(person.actor.kind).toBe('human');
    expect(person.marks?.fieldManager).toBe('argocd-controller');
    const fleet = parseOne(kubeAudit({ user: { username: 'system:serviceaccount:cattle-fleet-system:fleet-agent' } }));
    expect(fleet.actor.kind).toBe('gitops-controller');
  });

  it('reads ownership marks from the request and response objects', () => {
    const e = parseOne(
      kubeAudit({
        level: 'RequestResponse',
        verb: 'update',
        responseObject: {
          kind: 'Deployment',
          metadata: {
            name: 'checkout',
            annotations: {
              'argocd.argoproj.io/tracking-id': 'storefront:apps/Deployment:shop/checkout',
              'objectset.rio.cattle.io/id': 'default-payments-api',
              'meta.helm.sh/release-name': 'payments-api',
              'meta.helm.sh/release-namespace': 'payments',
            },
            labels: {
              'app.kubernetes.io/instance': 'storefront',
              'app.kubernetes.io/managed-by': 'Helm',
              'objectset.rio.cattle.io/hash': 'abc123',
            },
          },
        },
      })
    );
    expect(e.marks).toEqual({
      argocdTrackingId: 'storefront:apps/Deployment:shop/checkout',
      objectsetId: 'default-payments-api',
      helmReleaseName: 'payments-api',
      helmReleaseNamespace: 'payments',
      instanceLabel: 'storefront',
      managedBy: 'Helm',
      objectsetHash: 'abc123',
      fieldManager: 'kubectl-edit',
    });
    expect(e.keys).toMatchObject({
      trackingId: 'storefront:apps/Deployment:shop/checkout',
      objectsetId: 'default-payments-api',
    });
  });

  it('reads subjects and roleRef of a RoleBinding change', () => {
    const e = parseOne(
      roleBindingUpdate({ requestObject: { roleRef: { name: 'admin' } } }, [
        { kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' },
        { kind: 'User', name: 'kim', apiGroup: 'rbac.authorization.k8s.io' },
      ])
    );
    expect(e.rbac).toEqual({
      roleRef: { kind: 'ClusterRole', name: 'admin' },
      subjects: [
        { kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' },
        { kind: 'User', name: 'kim' },
      ],
    });
  });

  it('reads the GitOps controls a write sets (Application operation written with kubectl)', () => {
    const e = parseOne(
      kubeAudit({
        level: 'Request',
        requestURI: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/storefront',
        objectRef: {
          resource: 'applications',
          namespace: 'argocd',
          name: 'storefront',
          apiGroup: 'argoproj.io',
          apiVersion: 'v1alpha1',
        },
        requestObject: { operation: { initiatedBy: { username: 'someone-else' }, sync: { revision: 'abc1234' } } },
      })
    );
    expect(e.changedFields).toEqual({
      'operation.initiatedBy.username': '"someone-else"',
      'operation.sync.revision': '"abc1234"',
    });
  });

  it('reads the history an Application status write carries (to resolve rollbacks)', () => {
    const e = parseOne(
      appStatusWrite([
        { id: 6, revision: 'aaa1111' },
        { id: 7, revision: 'bbb2222', deployedAt: '2026-03-01T08:00:00Z' },
      ])
    );
    expect(e.appHistory).toEqual([
      { id: 6, revision: 'aaa1111' },
      { id: 7, revision: 'bbb2222', deployedAt: '2026-03-01T08:00:00Z' },
    ]);
  });

  it('redacts Secret data in kept bodies, including last-applied-configuration', () => {
    const e = parseOne(
      kubeAudit({
        level: 'RequestResponse',
        verb: 'create',
        requestURI: '/api/v1/namespaces/shop/secrets',
        objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiGroup: '', apiVersion: 'v1' },
        requestObject: {
          kind: 'Secret',
          metadata: {
            name: 'db',
            annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}' },
          },
          data: { password: 'aHVudGVyMg==' },
          stringData: { user: 'app' },
        },
      }),
      { keepBodies: true }
    );
    const body = JSON.stringify(e.body);
    expect(body).not.toContain('aHVudGVyMg');
    expect(body).not.toContain('"app"');
    expect(e.body?.request).toMatchObject({ data: { password: '[redacted]' }, stringData: { user: '[redacted]' } });
  });

  it('does not keep bodies unless asked', () => {
    expect(parseOne(kubeAudit({ requestObject: { kind: 'Deployment' } })).body).toBeUndefined();
  });

  it('uses the Loki entry time only when the record has none, and keeps records without any time', () => {
    const seed = { user: { username: 'x' }, verb: 'delete', objectRef: { resource: 'deployments', name: 'a' } };
    const fromLoki = parseOne({
      text: JSON.stringify(seed),
      ns: '1772446530000000001',
      labels: { job: 'audit', cluster: 'prod-eu' },
    });
    expect(fromLoki.ns).toBe('1772446530000000001');
    expect(fromLoki.target.cluster).toBe('prod-eu');
    expect(fromLoki.raw).toEqual({ labels: { job: 'audit', cluster: 'prod-eu' }, ns: '1772446530000000001' });
    const timeless = parseOne(seed);
    expect(timeless.time).toBeUndefined();
    expect(timeless.ns).toBe('');
  });

  it('skips, counted by reason, wrong types, missing fields and bad timestamps', () => {
    const s = parseAll([
      kubeAudit({ verb: 42 }),
      kubeAudit({ user: { username: ['x'] } }),
      kubeAudit({ user: undefined, objectRef: undefined }),
      kubeAudit({ requestReceivedTimestamp: 'yesterday' }),
      kubeAudit({ sourceIPs: 'not-a-list' }),
    ]);
    expect(s.events).toHaveLength(0);
    expect(skipCounts(s)).toEqual({
      'kube-audit:invalid-field': 3,
      'kube-audit:invalid-timestamp': 1,
      'kube-audit:missing-field': 1,
    });
    expect(s.skipped['kube-audit:missing-field'].detail).toBe('user');
    expect(s.skipped['kube-audit:invalid-field'].detail).toBe('field "verb" is not a string');
  });
});

describe('parseKubeAuditEvent — real samples (../shared/reference/samples)', () => {
  it('audit2rbac demo log (v1beta1, impersonation, 403, non-resource)', () => {
    const s = parseAll(sampleLines('audit2rbac_demo_883f4e8.log'));
    expect(s.stats.skipped).toBe(0);
    expect(s.events).toHaveLength(37);
    const first = s.events.find((e) => e.keys.auditID === '033d17af-082d-4b24-aa22-627752e83d71');
    expect(first).toMatchObject({
      format: 'kube-audit/v1beta1',
      verb: 'list',
      actor: {
        name: 'bob',
        kind: 'human',
        via: [{ name: 'system:admin', kind: 'unknown', mechanism: 'impersonation' }],
      },
      target: { resource: 'pods', namespace: 'default' },
      sourceIPs: ['::1'],
      outcome: { code: 403, status: 'failure' },
      time: Date.UTC(2017, 8, 11, 19, 55, 5),
    });
    const nonResource = s.events.find((e) => e.requestURI === '/api' && e.verb === 'get');
    expect(nonResource?.target).toEqual({ apiGroup: '', resource: '', path: '/api' });
    const sa = s.events.filter((e) => e.actor.name === 'system:serviceaccount:ns1:sa1');
    expect(sa.length).toBeGreaterThan(0);
    expect(sa.every((e) => e.actor.kind === 'serviceaccount')).toBe(true);
  });

  it('elastic fixtures: v1 with RBAC reason, AKS wrapper (the GKE line: gkeAudit.test.ts)', () => {
    const s = parseAll(sampleLines('elastic_test-audit.log'));
    expect(s.events.filter((e) => e.format !== 'kube-audit/gke')).toHaveLength(3);
    expect(s.stats.skipped).toBe(0);
    const lease = s.events.find((e) => e.actor.name === 'system:serviceaccount:kube-system:elastic-agent');
    expect(lease).toMatchObject({
      verb: 'get',
      actor: { kind: 'system' },
      target: {
        apiGroup: 'coordination.k8s.io',
        resource: 'leases',
        namespace: 'kube-system',
        name: 'elastic-agent-cluster-test',
      },
      outcome: { decision: 'allow', authzReason: expect.stringContaining('RoleBinding "elastic-agent/kube-system"') },
    });
    const aks = s.events.find((e) => e.actor.name === 'aksService');
    expect(aks).toMatchObject({
      verb: 'update',
      target: { uid: '12345678' },
      raw: { ns: expect.stringMatching(/^1759213415101355367$/) },
    });
    const aksLines = sampleLines('elastic_test-kube-audit.log');
    const kubeAudit = parseAll(aksLines);
    // The AKS wrapper holds the audit event as a JSON string in properties.log: compare with that, not a copy.
    const inner = JSON.parse((JSON.parse(aksLines[0].text) as { properties: { log: string } }).properties.log) as {
      auditID: string;
      sourceIPs: string[];
      objectRef: { name: string };
    };
    expect(kubeAudit.events[0]).toMatchObject({
      keys: { auditID: inner.auditID },
      verb: 'update',
      sourceIPs: inner.sourceIPs,
      target: { name: inner.objectRef.name },
    });
    expect(inner.auditID).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('falco traces (unversioned 2018 shape): create with requestObject, delete, exec, anonymous', () => {
    const create = parseOne(sampleLines('falco_create_deployment.json'));
    expect(create).toMatchObject({
      format: 'kube-audit/unversioned',
      verb: 'create',
      actor: { name: 'minikube-user', kind: 'human' },
      target: { apiGroup: 'extensions', resource: 'deployments', namespace: 'default', name: 'nginx-deployment' },
      sourceIPs: ['192.168.99.1'],
      outcome: { code: 201, status: 'success' },
    });
    expect(parseOne(sampleLines('falco_delete_deployment.json'))).toMatchObject({
      verb: 'delete',
      outcome: { code: 200 },
    });
    expect(parseOne(sampleLines('falco_exec_pod.json'))).toMatchObject({
      verb: 'create',
      target: { resource: 'pods', subresource: 'exec', name: 'nginx-deployment-7998647bdf-phvq7' },
      outcome: { code: 101 },
      stages: ['ResponseStarted'],
    });
    expect(parseOne(sampleLines('falco_anonymous_creates_namespace_foo.json'))).toMatchObject({
      format: 'kube-audit/v1beta1',
      actor: { name: 'system:anonymous', kind: 'anonymous' },
      target: { resource: 'namespaces', name: 'foo' },
    });
  });

  it('harvester RKE2 line: bound SA token, RequestReceived only', () => {
    const e = parseOne(sampleLines('harvester_k8s_audit_line40.log'));
    expect(e).toMatchObject({
      verb: 'patch',
      actor: { name: 'system:serviceaccount:harvester-system:kubevirt-controller', kind: 'serviceaccount' },
      target: { apiGroup: 'kubevirt.io', resource: 'virtualmachineinstances', namespace: 'default', name: 'vm33' },
      sourceIPs: ['10.52.0.214'],
      outcome: { status: 'unknown' },
      stages: ['RequestReceived'],
    });
  });

  it('excerpts cut mid-line in their issues: what the prefix states is salvaged and marked truncated', () => {
    const cut = parseAll(sampleLines('issue_38536_downstream.txt'));
    expect(cut.events).toHaveLength(1);
    expect(cut.salvaged['truncated-salvaged'].count).toBe(1);
    // Values as the sample states them before its cut (responseStatus came before the cut, the timestamps after).
    expect(cut.events[0]).toMatchObject({
      truncated: true,
      verb: 'delete',
      actor: {
        name: 'u-xunnontx2o',
        via: [{ name: 'system:serviceaccount:cattle-system:kontainer-engine', mechanism: 'rancher-impersonation' }],
      },
      sourceIPs: ['10.62.116.77', '10.49.12.180', '10.47.25.193'],
      target: { apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', name: 'get-node-role-binding' },
      outcome: { code: 200, status: 'success' },
    });
    expect(cut.events[0].time).toBeUndefined();
    // Pasted with a line break inside "responseStatus": the first half is salvaged, the second half is not a record.
    const wrapped = parseAll(sampleLines('issue_33126_downstream.txt'));
    expect(wrapped.events).toHaveLength(1);
    expect(wrapped.events[0]).toMatchObject({
      truncated: true,
      verb: 'list',
      actor: { name: 'user-gpr69' },
      target: { resource: 'nodes' },
      outcome: { status: 'unknown' },
    });
    expect(wrapped.stats.skipped).toBe(1);
  });
});
