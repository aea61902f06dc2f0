import { unquoteGroups } from './kubeAuditText';
import { kubeAudit } from '../../../tests/support/builders';
import { parseAll, parseOne, skipCounts, assertMutatedLinesAccounted } from '../../../tests/support/parse';

/**
 * kube-apiserver audit as clouds and shippers hand it over, our own fixtures in each shape: the legacy text
 * format (k8s.io/apiserver pkg/audit/format.go), Kubernetes 1.35 constrained impersonation
 * (audit.k8s.io/v1 AuthenticationMetadata), GKE discovery paths, EKS via CloudWatch Logs, AKS diagnostic
 * records, OpenShift apiserver / oauth-apiserver, and OTLP (OpenShift logging data model) structured metadata.
 */

const legacy = (groups: string, extra = '') =>
  `2026-03-05T09:10:11.000000001Z AUDIT: id="2d3e4f50-6172-4839-a4b5-c6d7e8f90a1b" stage="ResponseComplete" ip="10.42.1.9" method="patch" user="system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-w4k7p" groups=${groups} as="u-w4k7p" asgroups="\\"system:authenticated\\",\\"system:cattle:authenticated\\"" user-agent="rancher/v2.11.3" namespace="shop" uri="/apis/apps/v1/namespaces/shop/deployments/checkout" response="200"${extra}`;

describe('kube-apiserver legacy text format', () => {
  it('groups are %q-quoted then comma-joined: unquoted; Rancher impersonation recognised', () => {
    const e = parseOne(
      legacy(
        '"\\"system:serviceaccounts\\",\\"system:serviceaccounts:cattle-impersonation-system\\",\\"system:authenticated\\""'
      )
    );
    expect(e).toMatchObject({
      actor: {
        name: 'u-w4k7p',
        groups: ['system:authenticated', 'system:cattle:authenticated'],
        via: [
          {
            name: 'system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-w4k7p',
            mechanism: 'rancher-impersonation',
          },
        ],
      },
      verb: 'patch',
      sourceIPs: ['10.42.1.9'],
      target: { resource: 'deployments', namespace: 'shop', name: 'checkout' },
      outcome: { code: 200 },
    });
    expect(unquoteGroups('"a,b","c\\"d"')).toEqual(['a,b', 'c"d']);
    expect(unquoteGroups('<none>')).toEqual([]);
    expect(unquoteGroups('plain,list')).toEqual(['plain', 'list']);
  });
});

describe('Kubernetes 1.35 constrained impersonation', () => {
  it('reads authenticationMetadata.impersonationConstraint onto the impersonation hop', () => {
    const e = parseOne(
      kubeAudit({
        user: { username: 'system:serviceaccount:ops:deploy-bot', groups: ['system:serviceaccounts'] },
        impersonatedUser: { username: 'dana@example.org', groups: ['platform-admins'] },
        authenticationMetadata: { impersonationConstraint: 'impersonate-on:user-info:patch' },
      })
    );
    expect(e.actor).toMatchObject({
      name: 'dana@example.org',
      via: [
        {
          name: 'system:serviceaccount:ops:deploy-bot',
          mechanism: 'impersonation',
          constraint: 'impersonate-on:user-info:patch',
        },
      ],
    });
  });
});

describe('GKE discovery paths', () => {
  it.each([
    ['api/v1', '/api/v1'],
    ['apis/apps/v1', '/apis/apps/v1'],
    ['apis', '/apis'],
  ])('%s with io.k8s.get is the non-resource request %s', (resourceName, path) => {
    const e = parseOne({
      protoPayload: {
        authenticationInfo: { principalEmail: 'ci@shop-prod.iam.gserviceaccount.com' },
        methodName: 'io.k8s.get',
        resourceName,
        serviceName: 'k8s.io',
        status: { code: 0 },
      },
      insertId: `gke-${resourceName}`,
      timestamp: '2026-03-05T09:00:00Z',
    });
    expect(e).toMatchObject({ verb: 'get', requestURI: path, target: { path, resource: '' } });
  });
});

describe('EKS audit exported from CloudWatch Logs', () => {
  const audit = kubeAudit({
    auditID: 'eks-1',
    user: { username: 'arn:aws:sts::111122223333:assumed-role/Admin/lee', groups: ['system:masters'] },
  });
  const expected = {
    verb: 'patch',
    actor: { name: 'arn:aws:sts::111122223333:assumed-role/Admin/lee' },
    sourceIPs: ['203.0.113.27'],
  };

  it('a plain line is the audit JSON; an S3 export line puts the time first', () => {
    expect(parseOne(audit)).toMatchObject(expected);
    expect(parseOne(`2026-03-02T10:15:31.000Z ${JSON.stringify(audit)}`)).toMatchObject(expected);
  });

  it('a subscription-filter batch (logEvents) yields each event; a control message none, counted', () => {
    const batch = {
      messageType: 'DATA_MESSAGE',
      owner: '111122223333',
      logGroup: '/aws/eks/shop-prod/cluster',
      logStream: 'kube-apiserver-audit-0a1b2c3d4e5f',
      subscriptionFilters: ['to-loki'],
      logEvents: [
        { id: '3795', timestamp: 1772446531000, message: JSON.stringify(audit) },
        {
          id: '3796',
          timestamp: 1772446532000,
          message: JSON.stringify(kubeAudit({ auditID: 'eks-2', verb: 'delete' })),
        },
      ],
    };
    const s = parseAll([{ text: JSON.stringify(batch), document: true }]);
    expect(s.events.map((e) => e.verb)).toEqual(['patch', 'delete']);
    expect(s.events[0].raw.labels.log_group).toBe('/aws/eks/shop-prod/cluster');
    const control = parseAll([{ ...batch, messageType: 'CONTROL_MESSAGE', logEvents: [] }]);
    expect(skipCounts(control)).toEqual({ 'empty-envelope:cloudwatch-CONTROL_MESSAGE': 1 });
  });

  it('filter-log-events output (events with message and timestamp)', () => {
    const s = parseAll([
      {
        events: [
          {
            logStreamName: 'kube-apiserver-audit-1',
            timestamp: 1772446531000,
            message: JSON.stringify(audit),
            eventId: '1',
          },
        ],
      },
    ]);
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject(expected);
  });
});

describe('AKS diagnostic records', () => {
  it('properties.log as a string, bodies replaced by "skipped-too-big-size-object"', () => {
    const inner = kubeAudit({
      level: 'RequestResponse',
      verb: 'update',
      requestObject: 'skipped-too-big-size-object',
      responseObject: 'skipped-too-big-size-object',
    });
    const e = parseOne({
      category: 'kube-audit',
      operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
      properties: { log: `${JSON.stringify(inner)}\n`, stream: 'stdout', pod: 'kube-apiserver-5d8c7b9f4-x2x7q' },
      resourceId:
        '/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/SHOP/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/PROD',
      time: '2026-03-02T10:15:30.5Z',
    });
    expect(e).toMatchObject({ verb: 'update', actor: { name: 'dana@example.org' }, outcome: { code: 200 } });
    expect(e.changedFields).toBeUndefined();
    expect(e.marks?.argocdTrackingId).toBeUndefined();
  });
});

describe('OpenShift apiserver and oauth-apiserver audit', () => {
  it('same schema; OpenShift groups and annotations; kube:admin is a person', () => {
    const route = parseOne(
      kubeAudit({
        auditID: 'ocp-1',
        verb: 'update',
        requestURI: '/apis/route.openshift.io/v1/namespaces/shop/routes/storefront',
        user: {
          username: 'kube:admin',
          groups: ['system:cluster-admins', 'system:authenticated:oauth', 'system:authenticated'],
          extra: { 'scopes.authorization.openshift.io': ['user:full'] },
        },
        objectRef: {
          resource: 'routes',
          namespace: 'shop',
          name: 'storefront',
          apiGroup: 'route.openshift.io',
          apiVersion: 'v1',
        },
        annotations: {
          'authorization.k8s.io/decision': 'allow',
          'authorization.k8s.io/reason':
            'RBAC: allowed by ClusterRoleBinding "cluster-admins" of ClusterRole "cluster-admin" to Group "system:cluster-admins"',
        },
      })
    );
    expect(route).toMatchObject({
      actor: {
        name: 'kube:admin',
        kind: 'human',
        groups: ['system:cluster-admins', 'system:authenticated:oauth', 'system:authenticated'],
      },
      target: { apiGroup: 'route.openshift.io', resource: 'routes', name: 'storefront' },
      outcome: { decision: 'allow' },
    });
    const token = parseOne(
      kubeAudit({
        auditID: 'ocp-2',
        verb: 'create',
        requestURI: '/apis/oauth.openshift.io/v1/oauthaccesstokens',
        user: {
          username: 'system:serviceaccount:openshift-authentication:oauth-openshift',
          groups: ['system:serviceaccounts', 'system:authenticated'],
        },
        objectRef: {
          resource: 'oauthaccesstokens',
          name: 'sha256~Xx',
          apiGroup: 'oauth.openshift.io',
          apiVersion: 'v1',
        },
        responseStatus: { metadata: {}, code: 201 },
      })
    );
    expect(token).toMatchObject({
      actor: { kind: 'serviceaccount' },
      verb: 'create',
      target: { resource: 'oauthaccesstokens' },
      outcome: { code: 201 },
    });
  });
});

describe('audit shipped over OTLP (structured metadata)', () => {
  const labels = {
    service_name: 'unknown_service',
    log_type: 'audit',
    k8s_user_username: 'kube:admin',
    k8s_audit_event_request_verb: 'delete',
    k8s_audit_event_request_uri: '/api/v1/namespaces/shop/configmaps/prices',
    k8s_audit_event_stage: 'ResponseComplete',
    k8s_audit_event_response_code: '200',
    k8s_audit_event_object_ref_resource: 'configmaps',
    k8s_audit_event_object_ref_namespace: 'shop',
    k8s_audit_event_object_ref_name: 'prices',
    k8s_audit_event_user_agent: 'oc/4.17.0',
  };
  it('the body is the audit JSON: read as usual, the metadata rides along as labels', () => {
    const e = parseOne({ text: JSON.stringify(kubeAudit({ auditID: 'otlp-1' })), labels, ns: '1772446530000000000' });
    expect(e).toMatchObject({ format: 'kube-audit/v1', actor: { name: 'dana@example.org' } });
  });

  it('a body cut before the user: the structured metadata still says who did what', () => {
    const body = JSON.stringify(kubeAudit({ auditID: 'otlp-2' }));
    const s = parseAll([{ text: body.slice(0, 60), labels, ns: '1772446530000000000' }]);
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject({
      format: 'kube-audit/otlp-metadata',
      truncated: true,
      verb: 'delete',
      actor: { name: 'kube:admin', kind: 'human' },
      target: { resource: 'configmaps', namespace: 'shop', name: 'prices' },
      outcome: { code: 200, status: 'success' },
      time: 1772446530000,
    });
    expect(s.salvaged['truncated-salvaged'].count).toBe(1);
  });
});

describe('every new wrapper and shape, mutated: an event or a counted skip, never a throw', () => {
  const audit = JSON.stringify(kubeAudit({ auditID: 'm-1' }));
  const seeds = [
    legacy('"\\"a\\",\\"b\\""'),
    `2026-03-02T10:15:31.000Z ${audit}`,
    JSON.stringify({
      messageType: 'DATA_MESSAGE',
      logGroup: '/aws/eks/x/cluster',
      logEvents: [{ id: '1', timestamp: 1772446531000, message: audit }],
    }),
    JSON.stringify({ events: [{ timestamp: 1772446531000, message: audit }] }),
    JSON.stringify({ category: 'kube-audit', properties: { log: audit }, time: '2026-03-02T10:15:30Z' }),
    JSON.stringify({
      protoPayload: {
        authenticationInfo: { principalEmail: 'a@b' },
        methodName: 'io.k8s.get',
        resourceName: 'apis/apps/v1',
        serviceName: 'k8s.io',
      },
    }),
    JSON.stringify(
      kubeAudit({
        impersonatedUser: { username: 'x' },
        authenticationMetadata: { impersonationConstraint: 'impersonate-on:user-info:get' },
      })
    ),
  ];
  it('holds', () => {
    assertMutatedLinesAccounted(seeds, 700);
  });
});
