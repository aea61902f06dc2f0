/**
 * Builders for our own fixture records, shaped like the real formats (log-formats.md) but with invented
 * values. Each takes overrides so a test states only what it is about.
 */

type Json = Record<string, unknown>;

function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? deepMerge(b as Json, v as Json)
        : v;
  }
  for (const [k, v] of Object.entries(out)) {
    if (v === undefined) {
      delete out[k];
    }
  }
  return out;
}

/** A Metadata-level `audit.k8s.io/v1` ResponseComplete event: a person patching a Deployment with kubectl. */
export function kubeAudit(over: Json = {}): Json {
  return deepMerge(
    {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: '5f2c1a4e-9b7d-4c1e-8a3f-0d6e2b9c7a11',
      stage: 'ResponseComplete',
      requestURI: '/apis/apps/v1/namespaces/shop/deployments/checkout?fieldManager=kubectl-edit',
      verb: 'patch',
      user: { username: 'dana@example.org', groups: ['platform-admins', 'system:authenticated'] },
      sourceIPs: ['203.0.113.27'],
      userAgent: 'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46',
      objectRef: { resource: 'deployments', namespace: 'shop', name: 'checkout', apiGroup: 'apps', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 200 },
      requestReceivedTimestamp: '2026-03-02T10:15:30.123456Z',
      stageTimestamp: '2026-03-02T10:15:30.131002Z',
      annotations: {
        'authorization.k8s.io/decision': 'allow',
        'authorization.k8s.io/reason':
          'RBAC: allowed by ClusterRoleBinding "platform-admins" of ClusterRole "cluster-admin" to Group "platform-admins"',
      },
    },
    over
  );
}

/** A Rancher v2.2+ API audit line: a Rancher user acting through the cluster proxy. */
export function rancherAudit(over: Json = {}): Json {
  return deepMerge(
    {
      auditID: '0b7e4f0c-2d55-4e8e-9c1b-3f7d2a6e5b90',
      requestURI: '/k8s/clusters/c-m-7xk2q/apis/apps/v1/namespaces/shop/deployments/checkout',
      user: {
        name: 'u-q8z3n',
        group: ['system:authenticated', 'system:cattle:authenticated'],
        extra: {
          principalid: ['local://u-q8z3n'],
          username: ['kim'],
          requesttokenid: ['token-4hx9p'],
          requesthost: ['rancher.example.org'],
        },
      },
      method: 'DELETE',
      remoteAddr: '10.42.0.17:51234',
      responseCode: 200,
      requestTimestamp: '2026-03-02T11:20:05+01:00',
      responseTimestamp: '2026-03-02T11:20:05+01:00',
      requestHeader: {
        'User-Agent': ['Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0'],
        'X-Forwarded-For': ['198.51.100.44'],
        'X-Real-Ip': ['198.51.100.44'],
      },
    },
    over
  );
}

/** Rancher's impersonation account for user u-q8z3n (kim), as the downstream kube-apiserver logs it. */
const RANCHER_IMPERSONATION_SA =
  'system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-q8z3n';

/**
 * The downstream record of `rancherAudit()`'s request: kim's delete through Rancher's proxy, by its impersonation
 * account. Rancher logged 10:20:05 (whole seconds, +01:00); the apiserver saw it 0.4 s later.
 */
export function rancherDownstream(over: Json = {}): Json {
  return kubeAudit({
    verb: 'delete',
    requestURI: '/apis/apps/v1/namespaces/shop/deployments/checkout',
    user: { username: RANCHER_IMPERSONATION_SA, groups: ['system:serviceaccounts'] },
    impersonatedUser: {
      username: 'u-q8z3n',
      groups: ['system:authenticated'],
      extra: { username: ['kim'], requesttokenid: ['token-4hx9p'] },
    },
    sourceIPs: ['10.42.0.17'],
    requestReceivedTimestamp: '2026-03-02T10:20:05.412000Z',
    ...over,
  });
}

/** An argocd-server / controller logrus JSON line. */
export function argoLog(over: Json = {}): Json {
  return deepMerge(
    {
      application: 'storefront',
      'app-namespace': 'argocd',
      'dest-namespace': 'shop',
      'dest-server': 'https://kubernetes.default.svc',
      level: 'info',
      msg: 'dana@example.org initiated sync to main (0f3c9a1d2b7e4c6a8f1e2d3c4b5a69788766554e)',
      reason: 'OperationStarted',
      time: '2026-03-02T10:14:58Z',
      type: 'Normal',
      user: 'dana@example.org',
    },
    over
  );
}

/** A Kubernetes Event as kubernetes-event-exporter writes it (full core/v1 Event JSON). */
export function k8sEvent(over: Json = {}): Json {
  return deepMerge(
    {
      metadata: {
        name: 'storefront.18a2b3c4d5e6f7a8',
        namespace: 'argocd',
        annotations: {
          'dest-namespace': 'shop',
          'dest-server': 'https://kubernetes.default.svc',
          user: 'dana@example.org',
        },
      },
      involvedObject: {
        kind: 'Application',
        namespace: 'argocd',
        name: 'storefront',
        apiVersion: 'argoproj.io/v1alpha1',
        uid: 'a1b2c3d4-0000-4000-8000-000000000001',
      },
      reason: 'OperationStarted',
      message: 'dana@example.org initiated rollback to 7',
      source: { component: 'argocd-server' },
      firstTimestamp: '2026-03-02T10:30:00Z',
      lastTimestamp: '2026-03-02T10:30:00Z',
      count: 1,
      type: 'Normal',
      clusterName: 'prod-eu',
    },
    over
  );
}

/** A fleet-agent `Deployed bundle` zap line. */
export function fleetDeployed(over: Json = {}): Json {
  return deepMerge(
    {
      level: 'info',
      ts: '2026-03-02T12:01:07Z',
      logger: 'bundledeployment.deploy-bundle',
      msg: 'Deployed bundle',
      controller: 'bundledeployment',
      controllerGroup: 'fleet.cattle.io',
      controllerKind: 'BundleDeployment',
      BundleDeployment: { name: 'payments-api', namespace: 'cluster-fleet-default-prod-eu-1f2e3d4c5b6a' },
      namespace: 'cluster-fleet-default-prod-eu-1f2e3d4c5b6a',
      name: 'payments-api',
      reconcileID: '6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
      deploymentID: 's-1111aaaa:2222bbbb',
      appliedDeploymentID: 's-0000ffff:2222bbbb',
      release: 'payments/payments-api:12',
      DeploymentID: 's-1111aaaa:2222bbbb',
    },
    over
  );
}

/** An update of RoleBinding argocd/argocd-admin; given `subjects`, at level Request with the body recorded. */
export function roleBindingUpdate(over: Json = {}, subjects?: object[]): Json {
  return kubeAudit(
    deepMerge(
      {
        auditID: 'rb-1',
        verb: 'update',
        level: subjects ? 'Request' : 'Metadata',
        user: { username: 'rancher-admin' },
        requestURI: '/apis/rbac.authorization.k8s.io/v1/namespaces/argocd/rolebindings/argocd-admin',
        objectRef: {
          resource: 'rolebindings',
          namespace: 'argocd',
          name: 'argocd-admin',
          apiGroup: 'rbac.authorization.k8s.io',
          apiVersion: 'v1',
        },
        requestReceivedTimestamp: '2026-03-02T10:00:00.000000Z',
        ...(subjects
          ? {
              requestObject: {
                kind: 'RoleBinding',
                metadata: { name: 'argocd-admin', namespace: 'argocd' },
                roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
                subjects,
              },
            }
          : {}),
      },
      over
    )
  );
}

/**
 * Someone writing Application argocd/storefront's `operation` (audit level Request, so the body is there): how a
 * sync is started with kubectl, by Kargo, by the ApplicationSet controller or by the application controller.
 */
export function appOperationWrite(username: string, operation: Json, over: Json = {}): Json {
  const serviceAccount = username.startsWith('system:serviceaccount:');
  return kubeAudit(
    deepMerge(
      {
        level: 'Request',
        verb: 'update',
        user: {
          username,
          groups: serviceAccount ? ['system:serviceaccounts', 'system:authenticated'] : ['sre', 'system:authenticated'],
        },
        requestURI: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/storefront',
        objectRef: { resource: 'applications', namespace: 'argocd', name: 'storefront', apiGroup: 'argoproj.io' },
        requestObject: { operation },
        requestReceivedTimestamp: '2026-03-02T10:15:00.000000Z',
      },
      over
    )
  );
}

/** The Argo CD controller writing Application argocd/storefront's status, with its history. */
export function appStatusWrite(history: object[], over: Json = {}): Json {
  return kubeAudit(
    deepMerge(
      {
        level: 'RequestResponse',
        verb: 'update',
        user: { username: 'system:serviceaccount:argocd:argocd-application-controller' },
        requestURI: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/storefront/status',
        objectRef: {
          resource: 'applications',
          namespace: 'argocd',
          name: 'storefront',
          apiGroup: 'argoproj.io',
          apiVersion: 'v1alpha1',
          subresource: 'status',
        },
        responseObject: { status: { history } },
      },
      over
    )
  );
}

/** argocd-server's API-call log line (`received unary call …`), JWT claims and request content as it logs them. */
export function argoApiCall(
  method: string,
  content: unknown,
  claims: object = { iss: 'https://sso.example.org', email: 'ravi@example.org' },
  over: Json = {}
): Json {
  return deepMerge(
    {
      'grpc.method': method,
      'grpc.request.claims': JSON.stringify(claims),
      'grpc.request.content': typeof content === 'string' ? content : JSON.stringify(content),
      'grpc.service': 'application.ApplicationService',
      level: 'info',
      msg: `received unary call /application.ApplicationService/${method}`,
      span: { kind: 'server' },
      system: 'grpc',
      time: '2026-03-03T08:00:00Z',
    },
    over
  );
}
