import { argoLog, appStatusWrite, kubeAudit } from '../../../tests/support/builders';
import { parseAll } from '../../../tests/support/parse';
import { buildChains } from './engine';
import { chainToJson } from './chainJson';
import type { Chain } from '../model';

let n = 0;
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

const deployment = (image: string, rv: string) => ({
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: {
    name: 'checkout',
    namespace: 'shop',
    uid: 'd-1',
    resourceVersion: rv,
    managedFields: [{ manager: 'kubectl', operation: 'Update' }],
  },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          { name: 'sidecar', image: 'envoy:1.30' },
          { name: 'app', image },
        ],
      },
    },
  },
  status: { replicas: 2, observedGeneration: Number(rv) },
});

const write = (t: string, over: Record<string, unknown>) =>
  kubeAudit({
    auditID: id(),
    level: 'RequestResponse',
    requestReceivedTimestamp: t,
    stageTimestamp: t,
    ...over,
  });

function chainsOf(records: Array<string | object>, options = {}): Chain[] {
  return buildChains(parseAll(records).events, options);
}

describe('chain.change from bodies', () => {
  it('the object before (an earlier write) and after (this response): a complete diff, noise counted', () => {
    const [first, second] = chainsOf([
      write('2026-03-02T10:00:00Z', { responseObject: deployment('shop/checkout:1.4.2', '10') }),
      write('2026-03-02T10:05:00Z', {
        requestObject: {
          spec: { template: { spec: { containers: [{ name: 'app', image: 'shop/checkout:1.5.0' }] } } },
        },
        responseObject: deployment('shop/checkout:1.5.0', '11'),
      }),
    ]);
    // A patch with its response but neither the request nor an earlier body: nothing says what changed.
    expect(first.change).toBeNull();
    expect(second.change).toEqual({
      source: 'response-bodies',
      complete: true,
      diff: [
        { path: 'spec.template.spec.containers[1].image', before: 'shop/checkout:1.4.2', after: 'shop/checkout:1.5.0' },
      ],
      patch: { spec: { template: { spec: { containers: [{ name: 'app', image: 'shop/checkout:1.5.0' }] } } } },
      patchType: 'strategic-merge-patch',
      omitted: { count: 2, paths: ['metadata.resourceVersion', 'status'] },
    });
  });

  it('an earlier read at RequestResponse level is the object before; a patch without response is applied to it', () => {
    const [c] = chainsOf([
      write('2026-03-02T10:00:00Z', { verb: 'get', responseObject: deployment('shop/checkout:1.4.2', '10') }),
      write('2026-03-02T10:05:00Z', {
        level: 'Request',
        requestObject: [{ op: 'replace', path: '/spec/replicas', value: 4 }],
      }),
    ]);
    expect(c.change).toMatchObject({
      source: 'request-body',
      complete: false,
      patchType: 'json-patch',
      diff: [{ path: 'spec.replicas', before: 2, after: 4 }],
    });
    expect(c.change?.reason).toMatch(/request applied to the object before/);
  });

  it('a JSON patch that does not apply to the known object says why and lists what was sent', () => {
    const [c] = chainsOf([
      write('2026-03-02T10:00:00Z', { verb: 'get', responseObject: deployment('a:1', '10') }),
      write('2026-03-02T10:05:00Z', {
        level: 'Request',
        requestObject: [{ op: 'replace', path: '/spec/paused', value: true }],
      }),
    ]);
    expect(c.change?.diff).toEqual([{ path: 'spec.paused', after: true }]);
    expect(c.change?.reason).toMatch(
      /does not apply to the object before: path \/spec\/paused is not in the object before/
    );
  });

  it('a body of another object with the same name (deleted and created again) is not the object before', () => {
    const other = { ...deployment('a:0', '1'), metadata: { ...deployment('a:0', '1').metadata, uid: 'd-0' } };
    const [, c] = chainsOf([
      write('2026-03-02T10:00:00Z', { responseObject: other }),
      write('2026-03-02T10:05:00Z', {
        verb: 'update',
        requestObject: deployment('a:1', '2'),
        responseObject: deployment('a:1', '2'),
      }),
    ]);
    expect(c.change?.source).toBe('request-body');
  });

  it('a person disabling auto-sync on an Application: the merge patch says what, the chain who', () => {
    const chains = chainsOf([
      write('2026-03-02T10:05:00Z', {
        level: 'Request',
        requestURI: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/billing',
        objectRef: {
          resource: 'applications',
          namespace: 'argocd',
          name: 'billing',
          apiGroup: 'argoproj.io',
          apiVersion: 'v1alpha1',
        },
        requestObject: { spec: { syncPolicy: { automated: null } } },
      }),
    ]);
    expect(chains[0].who.name).toBe('dana@example.org');
    expect(chains[0].change).toMatchObject({
      source: 'request-body',
      complete: false,
      patchType: 'merge-patch',
      diff: [{ path: 'spec.syncPolicy.automated' }],
    });
  });

  it('nothing recorded (Metadata level): change is null', () => {
    expect(chainsOf([kubeAudit()])[0].change).toBeNull();
  });

  it('a body over the kept size is left out, and the diff says so', () => {
    const big = { ...deployment('a:1', '2'), data: 'x'.repeat(70_000) };
    const [c] = chainsOf([
      write('2026-03-02T10:05:00Z', { verb: 'create', requestObject: big, responseObject: { kind: 'Deployment' } }),
    ]);
    expect(c.change?.complete).toBe(false);
    expect(c.change?.reason).toMatch(/request body of \d+ characters is over the 65536 kept for diffs/);
  });
});

describe('Secret values never reach any output', () => {
  const secretRef = { resource: 'secrets', namespace: 'shop', name: 'db', apiGroup: '', apiVersion: 'v1' };
  const secret = (password: string, rv: string) => ({
    kind: 'Secret',
    apiVersion: 'v1',
    metadata: {
      name: 'db',
      namespace: 'shop',
      uid: 's-1',
      resourceVersion: rv,
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"password":"${password}"}}` },
    },
    data: { password, user: 'YWRtaW4=' },
  });

  it('a changed key shows as changed; the value is nowhere in the chain JSON', () => {
    const chains = chainsOf([
      write('2026-03-02T10:00:00Z', {
        requestURI: '/api/v1/namespaces/shop/secrets/db',
        objectRef: secretRef,
        verb: 'create',
        responseObject: secret('aHVudGVyMg==', '1'),
      }),
      write('2026-03-02T10:05:00Z', {
        requestURI: '/api/v1/namespaces/shop/secrets/db',
        objectRef: secretRef,
        verb: 'patch',
        requestObject: { data: { password: 'c3dvcmRmaXNo' }, stringData: { token: 'plain-t0ken' } },
        responseObject: secret('c3dvcmRmaXNo', '2'),
      }),
    ]);
    const c = chains[1];
    expect(c.change?.diff).toEqual([
      { path: 'data.password', before: '[redacted]', after: '[redacted]', secret: true },
    ]);
    const text = JSON.stringify(chains.map(chainToJson)) + JSON.stringify(chains.map((x) => x.effect.snapshot));
    for (const value of ['aHVudGVyMg==', 'c3dvcmRmaXNo', 'YWRtaW4=', 'plain-t0ken']) {
      expect(text).not.toContain(value);
    }
  });
});

/** The Argo CD application controller's write of the deployment at 10:15:00 (a sync's). */
const syncWrite = () =>
  kubeAudit({
    auditID: id(),
    user: {
      username: 'system:serviceaccount:argocd:argocd-application-controller',
      groups: ['system:serviceaccounts'],
    },
    userAgent: 'argocd-application-controller/v3.1.8',
    requestReceivedTimestamp: '2026-03-02T10:15:00Z',
    stageTimestamp: '2026-03-02T10:15:00Z',
  });

describe('links to the commit, the app and the user', () => {
  const OLD = '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d';
  const NEW = '0f3c9a1d2b7e4c6a8f1e2d3c4b5a69788766554e';

  it('Argo CD: commit and compare URLs from the Application body, previous commit from its history, the app page', () => {
    const records = [
      write('2026-03-02T09:00:00Z', {
        verb: 'get',
        user: { username: 'system:serviceaccount:argocd:argocd-application-controller' },
        requestURI: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/storefront',
        objectRef: {
          resource: 'applications',
          namespace: 'argocd',
          name: 'storefront',
          apiGroup: 'argoproj.io',
          apiVersion: 'v1alpha1',
        },
        responseObject: {
          spec: { source: { repoURL: 'git@gitlab.example.org:shop/deploy/storefront.git', targetRevision: 'main' } },
        },
      }),
      appStatusWrite(
        [
          { id: 6, revision: OLD },
          { id: 7, revision: NEW },
        ],
        {
          auditID: id(),
          requestReceivedTimestamp: '2026-03-02T10:14:50Z',
          stageTimestamp: '2026-03-02T10:14:50Z',
        }
      ),
      argoLog(),
      syncWrite(),
    ];
    const links = { argocdUrl: 'https://admin:pw@argocd.example.org/', gitHosts: { 'gitlab.example.org': 'gitlab' } };
    const c = chainsOf(records, { links }).find((x) => x.effect.target.resource === 'deployments') as Chain;
    expect(c.gitops).toMatchObject({
      commit: NEW,
      previousCommit: OLD,
      commitUrl: `https://gitlab.example.org/shop/deploy/storefront/-/commit/${NEW}`,
      compareUrl: `https://gitlab.example.org/shop/deploy/storefront/-/compare/${OLD}...${NEW}`,
      appUrl: 'https://argocd.example.org/applications/argocd/storefront',
    });
    expect(c.change).toMatchObject({
      source: 'argocd',
      diff: [{ path: 'applications/storefront.revision', before: OLD, after: NEW }],
    });
    expect(chainToJson(c).gitops).toMatchObject({ commitUrl: c.gitops?.commitUrl, compareUrl: c.gitops?.compareUrl });
  });

  /** An Argo CD sync of NEW (started 10:14:58) writing the deployment at 10:15:00, beside the app's history. */
  const syncedWith = (history: object[]) =>
    chainsOf([
      appStatusWrite(history, {
        auditID: id(),
        requestReceivedTimestamp: '2026-03-02T11:30:00Z',
        stageTimestamp: '2026-03-02T11:30:00Z',
      }),
      argoLog(),
      syncWrite(),
    ]).find((x) => x.effect.target.resource === 'deployments') as Chain;
  const LATER = '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b';

  it('previous commit: the deployment before this write, not one the history shows made after it', () => {
    const c = syncedWith([
      { id: 6, revision: OLD, deployedAt: '2026-03-02T09:00:00Z' },
      { id: 8, revision: LATER, deployedAt: '2026-03-02T11:00:00Z' },
    ]);
    expect(c.gitops).toMatchObject({ commit: NEW, previousCommit: OLD });
  });

  it('previous commit of a commit deployed twice (a rollback to it): the entry before this write’s deployment', () => {
    const c = syncedWith([
      { id: 5, revision: NEW, deployedAt: '2026-03-02T08:00:00Z' },
      { id: 6, revision: LATER, deployedAt: '2026-03-02T09:00:00Z' },
      { id: 7, revision: NEW, deployedAt: '2026-03-02T10:15:10Z' },
    ]);
    expect(c.gitops).toMatchObject({ commit: NEW, previousCommit: LATER });
  });

  it('the Rancher user page of the person behind an impersonated write, only when the Rancher URL is set', () => {
    const rec = kubeAudit({
      user: { username: 'system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-q8z3n' },
      impersonatedUser: { username: 'u-q8z3n', extra: { principalid: ['local://u-q8z3n'], username: ['kim'] } },
    });
    expect(chainsOf([rec])[0].who.url).toBeUndefined();
    expect(chainsOf([rec], { links: { rancherUrl: 'https://rancher.example.org' } })[0].who.url).toBe(
      'https://rancher.example.org/dashboard/c/_/auth/management.cattle.io.user/u-q8z3n'
    );
  });
});

describe('bad input: a partial diff with the reason, never a throw', () => {
  const cm = (data: Record<string, unknown>, rv: string) => ({
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { name: 'checkout', namespace: 'shop', uid: 'c-1', resourceVersion: rv },
    data,
  });
  const cmRef = { resource: 'configmaps', namespace: 'shop', name: 'checkout', apiGroup: '', apiVersion: 'v1' };
  const cmWrite = (t: string, over: Record<string, unknown>) =>
    write(t, { requestURI: '/api/v1/namespaces/shop/configmaps/checkout', objectRef: cmRef, ...over });

  it('bodies of 256 KB: a line that long is a counted skip; bodies over the kept size are dropped, and the diff says so', () => {
    const huge = cm({ blob: 'x'.repeat(256 * 1024) }, '1');
    const skipped = parseAll([cmWrite('2026-03-02T10:00:00Z', { verb: 'update', requestObject: huge })]);
    expect(skipped.events).toHaveLength(0);
    expect(skipped.skipped['line-too-long']?.count).toBe(1);
    // 100 KB each: the line fits Loki's 256 KB, each body is over the 64 KiB kept for diffs.
    const big = cm({ blob: 'x'.repeat(100 * 1024) }, '1');
    const [first, second] = chainsOf([
      cmWrite('2026-03-02T10:00:00Z', { verb: 'update', requestObject: big, responseObject: big }),
      cmWrite('2026-03-02T10:05:00Z', {
        requestObject: { data: { mode: 'fast' } },
        responseObject: cm({ mode: 'fast' }, '2'),
      }),
    ]);
    expect(first.change).toBeNull();
    expect(first.effect.snapshot?.cut).toMatch(
      /^request body of 102\d{3} characters is over the 65536 kept for diffs; response body of 102\d{3} characters/
    );
    expect(second.change).toMatchObject({ source: 'request-body', complete: false });
    expect(second.change?.reason).toMatch(/no earlier body of the object was recorded/);
    expect(second.change?.diff).toEqual([{ path: 'data.mode', after: 'fast' }]);
  });

  it('arrays of 10,000 items are compared as one value, and the diff says so', () => {
    const list = (last: number) => ({
      ...deployment('a:1', '1'),
      spec: { hostAliases: Array.from({ length: 10_000 }, (_, i) => (i === 9_999 ? last : i)) },
    });
    const [, c] = chainsOf([
      write('2026-03-02T10:00:00Z', { verb: 'update', responseObject: list(0) }),
      write('2026-03-02T10:05:00Z', {
        verb: 'update',
        responseObject: { ...list(1), metadata: { ...list(1).metadata, resourceVersion: '2' } },
      }),
    ]);
    expect(c.change).toMatchObject({ source: 'response-bodies', complete: false });
    expect(c.change?.reason).toBe('lists over 1000 items compared as one value');
    expect(c.change?.diff.map((d) => d.path)).toEqual(['spec.hostAliases']);
  });

  it('$patch directives nested 5,000 deep: bounded, cut at the depth cap with the reason', () => {
    const nested = `${'{"$patch":"replace","a":'.repeat(5_000)}"x"${'}'.repeat(5_000)}`;
    const line = JSON.stringify(write('2026-03-02T10:05:00Z', { requestObject: { spec: 'NESTED' } })).replace(
      '"NESTED"',
      nested
    );
    const [, c] = chainsOf([
      write('2026-03-02T10:00:00Z', { verb: 'update', responseObject: deployment('a:1', '1') }),
      line,
    ]);
    expect(c.change).toMatchObject({ source: 'request-body', complete: false, patchType: 'strategic-merge-patch' });
    expect(c.change?.reason).toBeTruthy();
  });

  it('a JSON patch of 1,200 operations is read up to its cap of 500 and says so', () => {
    const ops = Array.from({ length: 1_200 }, (_, i) => ({ op: 'add', path: `/data/k${i}`, value: 'v' }));
    const [, c] = chainsOf([
      cmWrite('2026-03-02T10:00:00Z', { verb: 'update', responseObject: cm({}, '1') }),
      cmWrite('2026-03-02T10:05:00Z', { requestObject: ops }),
    ]);
    expect(c.change).toMatchObject({ source: 'request-body', complete: false, patchType: 'json-patch' });
    expect(c.change?.reason).toMatch(/500/);
    expect(c.change?.diff.length).toBeLessThanOrEqual(200);
  });

  it('binary and text bodies: bytes in the line are a counted skip; a text body (an apply patch in YAML) says it was not read', () => {
    // Protobuf bytes in a JSON string (with the replacement characters of invalid UTF-8): the parser's counted skip.
    const bytes = parseAll([
      cmWrite('2026-03-02T10:05:00Z', { requestObject: 'k8s\u0000\n\u000f\n\u0002v1\u0012\tConfigMap\ufffd\ufffd' }),
    ]);
    expect(bytes.events).toHaveLength(0);
    expect(bytes.skipped['binary-data']?.count).toBe(1);
    const [, yaml] = chainsOf([
      cmWrite('2026-03-02T10:00:00Z', { verb: 'update', responseObject: cm({}, '1') }),
      cmWrite('2026-03-02T10:05:00Z', { requestObject: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  mode: fast\n' }),
    ]);
    expect(yaml.change).toMatchObject({ source: 'request-body', complete: false, diff: [] });
    expect(yaml.change?.reason).toBe(
      'the request body is text (50 characters: an apply patch in YAML, or bytes), not read for a diff'
    );
    const [, data] = chainsOf([
      cmWrite('2026-03-02T10:00:00Z', {
        verb: 'update',
        responseObject: { ...cm({}, '1'), binaryData: { f: 'AAEC' } },
      }),
      cmWrite('2026-03-02T10:05:00Z', {
        verb: 'update',
        responseObject: { ...cm({}, '2'), binaryData: { f: 'AAECAw==' } },
      }),
    ]);
    expect(data.change).toMatchObject({ source: 'response-bodies', complete: true });
    expect(data.change?.diff).toEqual([{ path: 'binaryData.f', before: 'AAEC', after: 'AAECAw==' }]);
  });

  it('a line cut by a shipper: what survived of the request, complete: false with the reason; never the object before', () => {
    const whole = JSON.stringify(
      cmWrite('2026-03-02T10:05:00Z', {
        requestObject: { data: { mode: 'fast', other: 'y'.repeat(400) } },
        responseObject: cm({ mode: 'fast', other: 'y'.repeat(400), kept: 'z' }, '2'),
      })
    );
    const cut = whole.slice(0, whole.indexOf('"kept"') - 1);
    const earlier = cmWrite('2026-03-02T10:00:00Z', { verb: 'update', responseObject: cm({ kept: 'z' }, '1') });
    const all = chainsOf([earlier, cut]);
    const c = all[all.length - 1];
    expect(c.effect.truncated).toBe(true);
    expect(c.change).toMatchObject({ source: 'request-body', complete: false });
    expect(c.change?.reason).toMatch(/cut short/);
    // The cut response would claim `data.kept` was removed: it is not read.
    expect(c.change?.diff.map((d) => d.path)).not.toContain('data.kept');
  });
});

describe('a consequence carries its own diff', () => {
  it("a ReplicaSet the deployment controller scales after a person's change: its replicas before → after", () => {
    const rsRef = {
      resource: 'replicasets',
      namespace: 'shop',
      name: 'checkout-7d9f8c6b5',
      apiGroup: 'apps',
      apiVersion: 'v1',
    };
    const rs = (replicas: number, rv: string) => ({
      kind: 'ReplicaSet',
      apiVersion: 'apps/v1',
      metadata: { name: 'checkout-7d9f8c6b5', namespace: 'shop', uid: 'rs-1', resourceVersion: rv },
      spec: { replicas },
    });
    const controller = {
      user: { username: 'system:serviceaccount:kube-system:deployment-controller', groups: ['system:serviceaccounts'] },
      requestURI: '/apis/apps/v1/namespaces/shop/replicasets/checkout-7d9f8c6b5',
      objectRef: rsRef,
      verb: 'update',
    };
    const chains = chainsOf([
      write('2026-03-02T09:00:00Z', { ...controller, responseObject: rs(3, '1') }),
      write('2026-03-02T10:00:00Z', { verb: 'patch', requestObject: { spec: { replicas: 2 } } }),
      write('2026-03-02T10:00:01Z', { ...controller, responseObject: rs(2, '2') }),
    ]);
    const scaled = chains[chains.length - 1];
    expect(scaled.consequenceOf).toBe(chains[1].id);
    expect(scaled.change).toMatchObject({
      source: 'response-bodies',
      complete: true,
      diff: [{ path: 'spec.replicas', before: 3, after: 2 }],
    });
    // Its links are the cause's (shared), not looked up again.
    expect(scaled.gitops).toBe(chains[1].gitops);
  });
});
