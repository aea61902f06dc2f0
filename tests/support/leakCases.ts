import { argoLog, k8sEvent, kubeAudit, rancherAudit } from './builders';

/**
 * Crafted lines for the permanent leak suite (issue 22): each carries a unique marker where a secret would be —
 * in every envelope we read, every body shape, every Rancher credential type, every header and URL form — so a
 * surface that shows any marker has leaked. Our own inventions, shaped like the real formats.
 */

export interface LeakCase {
  name: string;
  lines: string[];
  markers: string[];
}

let n = 0;
/** A unique marker; letters and digits only, so it is also a valid base64 Secret value. */
function mark(): string {
  n++;
  return `zqLEAK${String(n).padStart(3, '0')}qz`;
}

const cases: LeakCase[] = [];
function add(name: string, build: (m: string) => string | string[]): void {
  const m = mark();
  const lines = build(m);
  cases.push({ name, lines: Array.isArray(lines) ? lines : [lines], markers: [m] });
}
const j = (o: unknown) => JSON.stringify(o);
/** A record id derived from the marker without containing it. */
const idOf = (m: string) => m.replace('LEAK', 'id');

const SECRET_URI = '/api/v1/namespaces/shop/secrets/db';
function secretPatch(m: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return kubeAudit({
    auditID: `sec-${idOf(m)}`,
    level: 'RequestResponse',
    requestURI: SECRET_URI,
    objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiGroup: undefined, apiVersion: 'v1' },
    requestObject: { data: { password: m } },
    responseObject: { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'db' }, data: { password: m } },
    ...over,
  });
}
const lastApplied = (m: string) =>
  j({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { password: m } });

// --- envelopes around a Secret-bearing kube audit line ----------------------------------------------------
add('plain kube audit Secret patch', (m) => j(secretPatch(m)));
add('CRI F line', (m) => `2026-03-02T10:15:30.123456789Z stdout F ${j(secretPatch(m))}`);
add('CRI P (partial) line', (m) => {
  const line = j(secretPatch(m));
  return `2026-03-02T10:15:30.123456789Z stdout P ${line.slice(0, line.indexOf(m) + m.length + 5)}`;
});
add('Docker json-file line', (m) =>
  j({ log: `${j(secretPatch(m))}\n`, stream: 'stdout', time: '2026-03-02T10:15:30.1Z' })
);
add('stern prefix', (m) => `kube-apiserver-cp-1 kube-apiserver ${j(secretPatch(m))}`);
add('kubectl --prefix', (m) => `[pod/kube-apiserver-cp-1/kube-apiserver] ${j(secretPatch(m))}`);
add(
  'stern prefix around CRI',
  (m) => `kube-apiserver-cp-1 kube-apiserver 2026-03-02T10:15:30.1Z stdout F ${j(secretPatch(m))}`
);
add('logcli jsonl', (m) =>
  j({ labels: { job: 'audit' }, line: j(secretPatch(m)), timestamp: '2026-03-02T10:15:30.1Z' })
);
add('Loki query_range response', (m) =>
  j({
    status: 'success',
    data: {
      resultType: 'streams',
      result: [{ stream: { job: 'audit' }, values: [['1772446530123000000', j(secretPatch(m))]] }],
    },
  })
);
add('Loki push body', (m) =>
  j({ streams: [{ stream: { job: 'audit' }, values: [['1772446530123000000', j(secretPatch(m))]] }] })
);
add('Loki response around a CRI line', (m) =>
  j({
    status: 'success',
    data: {
      resultType: 'streams',
      result: [
        { stream: {}, values: [['1772446530123000000', `2026-03-02T10:15:30.1Z stdout F ${j(secretPatch(m))}`]] },
      ],
    },
  })
);
add('AKS wrapper, log as string', (m) =>
  j({ category: 'kube-audit', time: '2026-03-02T10:15:30Z', properties: { log: j(secretPatch(m)) } })
);
add('AKS wrapper, log as object', (m) => j({ category: 'kube-audit-admin', properties: { log: secretPatch(m) } }));
add('GKE Cloud Audit entry with a Secret body', (m) =>
  j({
    insertId: 'gke-1',
    timestamp: '2026-03-02T10:15:30Z',
    protoPayload: {
      serviceName: 'k8s.io',
      methodName: 'io.k8s.core.v1.secrets.update',
      resourceName: 'core/v1/namespaces/shop/secrets/db',
      authenticationInfo: { principalEmail: 'dana@example.org' },
      request: { kind: 'Secret', data: { password: m } },
      response: { data: { password: m } },
    },
  })
);
add('shipper-truncated Secret line', (m) => j(secretPatch(m)).slice(0, j(secretPatch(m)).indexOf(m) + m.length + 3));
add('unknown text line mentioning a secret', (m) => `db password is ${m}`);
add('JSON object of no known format holding a secret', (m) => j({ note: `db password is ${m}`, at: 3 }));

// --- body shapes -------------------------------------------------------------------------------------------
add('JSON patch add /metadata/annotations with last-applied (Secret endpoint)', (m) =>
  j(
    secretPatch(m, {
      requestObject: [
        {
          op: 'add',
          path: '/metadata/annotations',
          value: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied(m) },
        },
      ],
      responseObject: undefined,
    })
  )
);
add('JSON patch on a non-Secret path carrying a Secret last-applied', (m) =>
  j(
    kubeAudit({
      auditID: `cm-${idOf(m)}`,
      level: 'Request',
      requestObject: [
        {
          op: 'add',
          path: '/metadata/annotations',
          value: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied(m) },
        },
      ],
    })
  )
);
add('JSON patch replacing the last-applied annotation path', (m) =>
  j(
    kubeAudit({
      auditID: `cm2-${idOf(m)}`,
      level: 'Request',
      requestObject: [
        {
          op: 'replace',
          path: '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration',
          value: lastApplied(m),
        },
      ],
    })
  )
);
add('patch array with one element lacking op', (m) =>
  j(
    secretPatch(m, {
      requestObject: [
        { op: 'replace', path: '/data/a', value: 'eA==' },
        { path: '/data/password', value: m },
      ],
      responseObject: undefined,
    })
  )
);
add('apply patch logged as a YAML string', (m) =>
  j(
    kubeAudit({
      auditID: `yaml-${idOf(m)}`,
      level: 'Request',
      verb: 'patch',
      requestObject: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${m}\n`,
    })
  )
);
add('TokenRequest status.token', (m) =>
  j(
    kubeAudit({
      auditID: `tr-${idOf(m)}`,
      verb: 'create',
      level: 'RequestResponse',
      requestURI: '/api/v1/namespaces/shop/serviceaccounts/deployer/token',
      objectRef: {
        resource: 'serviceaccounts',
        subresource: 'token',
        namespace: 'shop',
        name: 'deployer',
        apiGroup: undefined,
        apiVersion: 'v1',
      },
      responseObject: {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        status: { token: m, expirationTimestamp: '2026-03-02T11:15:30Z' },
      },
    })
  )
);
add('TokenReview spec.token', (m) =>
  j(
    kubeAudit({
      auditID: `rv-${idOf(m)}`,
      verb: 'create',
      level: 'Request',
      requestURI: '/apis/authentication.k8s.io/v1/tokenreviews',
      objectRef: {
        resource: 'tokenreviews',
        apiGroup: 'authentication.k8s.io',
        apiVersion: 'v1',
        namespace: undefined,
        name: undefined,
      },
      requestObject: { kind: 'TokenReview', spec: { token: m } },
    })
  )
);
add('Secret embedded in a Fleet Bundle (YAML content)', (m) =>
  j(
    kubeAudit({
      auditID: `bundle-${idOf(m)}`,
      verb: 'create',
      level: 'Request',
      requestURI: '/apis/fleet.cattle.io/v1alpha1/namespaces/fleet-default/bundles',
      objectRef: {
        resource: 'bundles',
        namespace: 'fleet-default',
        apiGroup: 'fleet.cattle.io',
        apiVersion: 'v1alpha1',
        name: undefined,
      },
      requestObject: {
        kind: 'Bundle',
        spec: {
          resources: [
            {
              name: 'db.yaml',
              content: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: ${m}\n`,
            },
          ],
        },
      },
    })
  )
);
add('Fleet Bundle with encoded content', (m) =>
  j(
    kubeAudit({
      auditID: `bundlegz-${idOf(m)}`,
      verb: 'create',
      level: 'Request',
      requestObject: { kind: 'Bundle', spec: { resources: [{ name: 'db.yaml', encoding: 'base64+gz', content: m }] } },
    })
  )
);
add('Secret embedded in a custom resource', (m) =>
  j(
    kubeAudit({
      auditID: `crd-${idOf(m)}`,
      level: 'Request',
      requestObject: { kind: 'SealedThing', spec: { template: { kind: 'Secret', stringData: { password: m } } } },
    })
  )
);
add('SecretList response', (m) =>
  j(
    kubeAudit({
      auditID: `list-${idOf(m)}`,
      verb: 'list',
      level: 'RequestResponse',
      requestURI: '/api/v1/secrets',
      objectRef: { resource: 'secrets', apiGroup: undefined, apiVersion: 'v1', namespace: undefined, name: undefined },
      responseObject: { kind: 'SecretList', items: [{ metadata: { name: 'a' }, data: { k: m } }] },
    })
  )
);
add('Secret path written with a percent-escape (kube)', (m) =>
  j(
    kubeAudit({
      auditID: `pct-${idOf(m)}`,
      level: 'Request',
      requestURI: '/api/v1/namespaces/shop/%73ecrets/db',
      objectRef: { resource: 'deployments' },
      requestObject: { data: { k: m } },
    })
  )
);

// --- Rancher credential types (norman and steve) and headers ----------------------------------------------
const rancherBody = (uri: string, method: string, requestBody?: unknown, responseBody?: unknown) =>
  j(rancherAudit({ auditID: `r-${uri}`, requestURI: uri, method, requestBody, responseBody }));
add('norman namespacedsecrets', (m) =>
  rancherBody('/v3/project/c-1:p-1/namespacedsecrets', 'POST', { type: 'namespacedSecret', name: 'db', data: { k: m } })
);
add('norman basicauths', (m) =>
  rancherBody('/v3/project/c-1:p-1/basicauths', 'POST', { type: 'basicAuth', name: 'git', username: 'ci', password: m })
);
add('norman dockercredentials', (m) =>
  rancherBody('/v3/project/c-1:p-1/dockercredentials', 'POST', {
    type: 'dockerCredential',
    registries: { 'reg.example.org': { username: 'ci', password: m } },
  })
);
add('norman certificates (private key)', (m) =>
  rancherBody('/v3/project/c-1:p-1/certificates', 'POST', {
    type: 'certificate',
    name: 'tls',
    certs: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    key: m,
  })
);
add('norman cloudcredentials', (m) =>
  rancherBody('/v3/cloudcredentials', 'POST', {
    type: 'cloudCredential',
    amazonec2credentialConfig: { accessKey: 'AKIA', secretKey: m },
  })
);
add('norman /v3/tokens response', (m) =>
  rancherBody(
    '/v3/tokens',
    'POST',
    { type: 'token', description: 'ci' },
    { type: 'token', name: 'token-abc', token: `token-abc:${m}` }
  )
);
add('login body', (m) =>
  rancherBody('/v3-public/localProviders/local?action=login', 'POST', {
    username: 'admin',
    password: m,
    responseType: 'cookie',
  })
);
add('v1-public login body', (m) =>
  rancherBody('/v1-public/login', 'POST', { type: 'localProvider', username: 'admin', password: m })
);
add('authconfig testAndApply', (m) =>
  rancherBody('/v3/githubConfigs/github?action=testAndApply', 'POST', {
    githubConfig: { clientId: 'x', clientSecret: m },
  })
);
add('authconfigs PUT', (m) =>
  rancherBody('/v3/authConfigs/openldap', 'PUT', {
    type: 'openLdapConfig',
    serviceAccountDistinguishedName: 'cn=svc',
    serviceAccountPassword: m,
  })
);
add('settings with a password', (m) =>
  rancherBody('/v3/settings/smtp-relay', 'PUT', { type: 'setting', name: 'smtp-relay', value: m })
);
add('steve secrets', (m) =>
  rancherBody('/v1/secrets/shop', 'POST', {
    type: 'secret',
    metadata: { name: 'db', namespace: 'shop' },
    data: { k: m },
  })
);
add('steve secrets, percent-escaped path, no type', (m) =>
  rancherBody('/v1/%73ecrets/shop', 'POST', { metadata: { name: 'db' }, data: { k: m } })
);
add('steve tokens', (m) =>
  rancherBody('/v1/management.cattle.io.tokens', 'GET', undefined, {
    type: 'collection',
    data: [{ id: 't-1', type: 'management.cattle.io.token', token: m }],
  })
);
add('steve ext tokens', (m) =>
  rancherBody('/v1/ext.cattle.io.tokens', 'POST', { spec: { description: 'ci' } }, { status: { value: m } })
);
add('cluster proxy to Secrets', (m) =>
  rancherBody('/k8s/clusters/c-1/api/v1/namespaces/shop/secrets', 'POST', {
    metadata: { name: 'db' },
    stringData: { k: m },
  })
);
add('generateKubeconfig response', (m) =>
  rancherBody('/v3/clusters/c-1?action=generateKubeconfig', 'POST', undefined, {
    type: 'generateKubeConfigOutput',
    config: `users:\n- name: x\n  user:\n    token: kubeconfig-u-1:${m}\n`,
  })
);
add('unknown secret-looking keys in a Rancher body', (m) =>
  rancherBody('/v3/clusters', 'POST', {
    type: 'cluster',
    eksConfig: { secretAccessKey: m },
    privateKey: m,
    extra: { dbPassword: m },
  })
);
for (const header of ['Authorization', 'Cookie', 'X-Api-Tokenauth', 'X-Amz-Security-Token', 'authorization']) {
  add(`request header ${header}`, (m) =>
    j(
      rancherAudit({
        auditID: `h-${idOf(m)}`,
        requestHeader: { [header]: [header.toLowerCase() === 'authorization' ? `Bearer ${m}` : m] },
      })
    )
  );
}

// --- URL credentials ---------------------------------------------------------------------------------------
add('Argo CD JSON log with repoURL userinfo', (m) =>
  j(
    argoLog({
      msg: `Refreshing app status (comparison expired); repo https://ci:${m}@git.example.org/shop/deploy.git`,
      repoURL: `https://ci:${m}@git.example.org/shop/deploy.git`,
    })
  )
);
add(
  'Argo CD logfmt line with userinfo',
  (m) =>
    `time="2026-03-02T10:14:58Z" level=info msg="dana@example.org initiated sync to main (0f3c9a1d2b7e4c6a8f1e2d3c4b5a69788766554e) from https://ci:${m}@git.example.org/r.git" application=storefront`
);
add('Argo CD event message with userinfo', (m) =>
  j(k8sEvent({ message: `dana@example.org initiated sync to https://ci:${m}@git.example.org/r.git` }))
);
add('GitRepo spec.repo with userinfo', (m) =>
  j(
    kubeAudit({
      auditID: `gitrepo-${idOf(m)}`,
      verb: 'update',
      level: 'RequestResponse',
      requestURI: '/apis/fleet.cattle.io/v1alpha1/namespaces/fleet-default/gitrepos/shop',
      objectRef: {
        resource: 'gitrepos',
        namespace: 'fleet-default',
        name: 'shop',
        apiGroup: 'fleet.cattle.io',
        apiVersion: 'v1alpha1',
      },
      requestObject: {
        kind: 'GitRepo',
        metadata: { name: 'shop' },
        spec: { repo: `https://ci:${m}@git.example.org/shop.git`, paused: true },
      },
    })
  )
);
add('request URI with a token query parameter', (m) =>
  j(rancherAudit({ auditID: `q-${idOf(m)}`, requestURI: `/v3/clusters/c-1?token=${m}`, method: 'GET' }))
);

// --- what changed: the object before and after, patches applied to it (issue 15) ---------------------------
// Each case writes the object twice or more at RequestResponse level, so the diff has both bodies to compare.
const secretWrite = (m: string, i: number, over: Record<string, unknown>) =>
  j(
    secretPatch(m, {
      auditID: `diff${i}-${idOf(m)}`,
      requestURI: `/api/v1/namespaces/shop/secrets/diff-${idOf(m)}`,
      objectRef: { resource: 'secrets', namespace: 'shop', name: `diff-${idOf(m)}`, apiGroup: undefined },
      requestReceivedTimestamp: `2026-03-02T10:2${i}:00.000000Z`,
      stageTimestamp: `2026-03-02T10:2${i}:00.010000Z`,
      ...over,
    })
  );
const secretBody = (data: Record<string, unknown>) => ({
  kind: 'Secret',
  apiVersion: 'v1',
  metadata: { name: 'db', uid: 'b1c2d3e4-0000-4000-8000-000000000015' },
  data,
});
add('Secret value changed between two recorded writes (diff of before and after)', (m) => [
  secretWrite(m, 1, {
    verb: 'create',
    requestObject: secretBody({ password: `${m}A` }),
    responseObject: secretBody({ password: `${m}A` }),
  }),
  secretWrite(m, 2, {
    verb: 'update',
    requestObject: secretBody({ password: `${m}B` }),
    responseObject: secretBody({ password: `${m}B` }),
  }),
]);
add('Secret strategic merge patch with $patch: replace, object before known, no response', (m) => [
  secretWrite(m, 1, {
    verb: 'create',
    requestObject: secretBody({ a: 'eA==' }),
    responseObject: secretBody({ a: 'eA==' }),
  }),
  secretWrite(m, 2, { requestObject: { data: { $patch: 'replace', password: m } }, responseObject: undefined }),
]);
add('Secret JSON patch replace /data/password, object before known, no response', (m) => [
  secretWrite(m, 1, {
    verb: 'create',
    requestObject: secretBody({ password: `${m}A` }),
    responseObject: secretBody({ password: `${m}A` }),
  }),
  secretWrite(m, 2, {
    requestObject: [{ op: 'replace', path: '/data/password', value: `${m}B` }],
    responseObject: undefined,
  }),
]);
add('Secret stringData by JSON merge patch, object before known', (m) => [
  secretWrite(m, 1, {
    verb: 'create',
    requestObject: secretBody({ a: 'eA==' }),
    responseObject: secretBody({ a: 'eA==' }),
  }),
  secretWrite(m, 2, {
    requestURI: `/api/v1/namespaces/shop/secrets/diff-${idOf(m)}?fieldManager=kubectl-patch`,
    requestObject: { stringData: { password: m } },
    responseObject: secretBody({ a: 'eA==', password: 'cGFzcw==' }),
  }),
]);
add('Application repoURL with a token, changed by a person (diff and commit link)', (m) => {
  const app = (repoURL: string) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `leak-${idOf(m)}`, namespace: 'argocd' },
    spec: { source: { repoURL, targetRevision: 'main', path: 'prod' } },
  });
  const write = (i: number, repoURL: string) =>
    j(
      kubeAudit({
        auditID: `app${i}-${idOf(m)}`,
        verb: 'update',
        level: 'RequestResponse',
        requestURI: `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/leak-${idOf(m)}`,
        objectRef: {
          resource: 'applications',
          namespace: 'argocd',
          name: `leak-${idOf(m)}`,
          apiGroup: 'argoproj.io',
          apiVersion: 'v1alpha1',
        },
        requestReceivedTimestamp: `2026-03-02T10:3${i}:00.000000Z`,
        stageTimestamp: `2026-03-02T10:3${i}:00.010000Z`,
        requestObject: app(repoURL),
        responseObject: app(repoURL),
      })
    );
  return [
    write(1, `https://ci:${m}A@github.com/acme/leak.git`),
    write(2, `https://ci:${m}B@github.com/acme/leak-moved.git`),
  ];
});

export const LEAK_CASES: readonly LeakCase[] = cases;
export const ALL_MARKERS: readonly string[] = cases.flatMap((c) => c.markers);

/** Every marker found in `text` (the test's failure message names what leaked). */
export function leakedMarkers(text: string): string[] {
  return ALL_MARKERS.filter((m) => text.includes(m));
}
