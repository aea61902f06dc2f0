import type { Chain } from '../model';
import { chainToJson } from './chainJson';

/** The stable JSON contract, written out field by field: every optional part present, then every one absent. */

const effect = {
  id: 'e1',
  time: Date.UTC(2026, 2, 2, 10, 15, 30, 123),
  source: 'kube-audit',
  verb: 'patch',
  target: { apiGroup: 'apps', resource: 'deployments', namespace: 'shop', name: 'checkout', subresource: 'scale' },
  actor: { name: 'dana@example.org', kind: 'human', via: [] },
  sourceIPs: ['203.0.113.27'],
  userAgent: 'kubectl/v1.31.2',
  keys: {},
  raw: { origin: 'test:1' },
};

/** Every field of the GitOps part set (chainToJson passes each on under the same name). */
const gitops = {
  tool: 'argocd',
  app: 'storefront',
  revision: 'r1',
  commit: 'abc',
  initiator: 'lee',
  automation: 'auto-sync',
  automated: true,
  operation: 'sync',
  commitUrl: 'https://git/c/abc',
  previousCommit: 'abb',
  compareUrl: 'https://git/compare',
  appUrl: 'https://argo/app',
};

const full = {
  id: 'c1',
  effect,
  verdict: 'gitops-sync',
  who: {
    name: 'dana@example.org',
    kind: 'human',
    ip: '203.0.113.27',
    ipTrust: 'client',
    via: ['rancher'],
    url: 'https://r/u',
  },
  gitops,
  links: [{ kind: 'drift', confidence: 0.9, evidence: ['a'], cause: { id: 'x' }, effect: { id: 'y' } }],
  context: [{ kind: 'rbac', event: { time: Date.UTC(2026, 2, 2, 9, 0, 0) }, summary: 's', evidence: ['b'] }],
  consequenceOf: 'c0',
  consequences: 3,
  change: { kind: 'fields', fields: [] },
  grantedBy: {
    by: 'admin@example.org',
    event: {
      time: Date.UTC(2026, 2, 2, 9, 30, 0),
      verb: 'create',
      target: { resource: 'rolebindings', namespace: 'shop', name: 'dana-edit' },
    },
  },
  failedSyncBefore: {
    time: Date.UTC(2026, 2, 2, 10, 0, 0),
    gitops: { message: 'one or more objects failed to apply' },
  },
} as unknown as Chain;

describe('chainToJson', () => {
  it('carries every field of a chain that has them all, and nothing more (a link leaves out its events)', () => {
    expect(chainToJson(full)).toStrictEqual({
      id: 'c1',
      effect: {
        time: '2026-03-02T10:15:30.123Z',
        source: 'kube-audit',
        verb: 'patch',
        target: {
          apiGroup: 'apps',
          resource: 'deployments',
          namespace: 'shop',
          name: 'checkout',
          subresource: 'scale',
        },
        actor: { name: 'dana@example.org', kind: 'human' },
        sourceIPs: ['203.0.113.27'],
        userAgent: 'kubectl/v1.31.2',
      },
      verdict: 'gitops-sync',
      who: {
        name: 'dana@example.org',
        kind: 'human',
        ip: '203.0.113.27',
        ipTrust: 'client',
        via: ['rancher'],
        url: 'https://r/u',
      },
      // Every GitOps field present is passed on as it is.
      gitops,
      links: [{ kind: 'drift', confidence: 0.9, evidence: ['a'] }],
      context: [{ kind: 'rbac', time: '2026-03-02T09:00:00.000Z', summary: 's', evidence: ['b'] }],
      consequenceOf: 'c0',
      consequences: 3,
      change: { kind: 'fields', fields: [] },
      grantedBy: {
        time: '2026-03-02T09:30:00.000Z',
        by: 'admin@example.org',
        verb: 'create',
        object: 'rolebindings shop/dana-edit',
      },
      failedSyncBefore: { time: '2026-03-02T10:00:00.000Z', message: 'one or more objects failed to apply' },
    });
  });

  it('an absent optional field is null (consequences 0), never left out', () => {
    const bare = {
      id: 'c2',
      effect: {
        ...effect,
        time: undefined,
        target: { apiGroup: '', resource: 'namespaces' },
        userAgent: undefined,
      },
      verdict: 'unknown',
      who: { name: 'x', kind: 'unknown', via: [] },
      gitops: { tool: 'fleet', operation: 'deploy' },
      links: [],
      context: [{ kind: 'rbac', event: {}, summary: 's', evidence: [] }],
    } as unknown as Chain;
    expect(chainToJson(bare)).toStrictEqual({
      id: 'c2',
      effect: {
        time: null,
        source: 'kube-audit',
        verb: 'patch',
        target: { apiGroup: '', resource: 'namespaces', namespace: null, name: null, subresource: null },
        actor: { name: 'dana@example.org', kind: 'human' },
        sourceIPs: ['203.0.113.27'],
        userAgent: null,
      },
      verdict: 'unknown',
      who: { name: 'x', kind: 'unknown', ip: null, ipTrust: null, via: [], url: null },
      gitops: {
        tool: 'fleet',
        app: null,
        revision: null,
        commit: null,
        initiator: null,
        automation: null,
        automated: null,
        operation: 'deploy',
        commitUrl: null,
        previousCommit: null,
        compareUrl: null,
        appUrl: null,
      },
      links: [],
      context: [{ kind: 'rbac', time: null, summary: 's', evidence: [] }],
      consequenceOf: null,
      consequences: 0,
      change: null,
      grantedBy: null,
      failedSyncBefore: null,
    });
    expect(chainToJson({ ...bare, gitops: undefined } as unknown as Chain).gitops).toBeNull();
  });
});
