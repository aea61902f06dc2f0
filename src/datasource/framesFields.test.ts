import { DataFrameType, FieldType, type DataFrame } from '@grafana/data';

import type { Chain, ChangeEvent } from '../core';
import { chainsFrame, escapeMarkup, eventsFrame, logsFrame, nodeGraphFrames, storyOf } from './frames';

/**
 * The frames field by field, for hand-built chains and events whose every value is known here: the cases the
 * scenario-driven data source tests do not reach (no GitOps operation, no commit, no address, no time, an
 * automated sync, a login name, an outcome without a code).
 */

function event(over: Partial<ChangeEvent> = {}): ChangeEvent {
  return {
    id: 'kube-audit:e1',
    source: 'kube-audit',
    format: 'kube-audit/v1',
    time: 1772445600000,
    ns: '1772445600000000000',
    actor: { name: 'lee@example.org', kind: 'human', groups: [], via: [] },
    sourceIPs: ['203.0.113.9'],
    verb: 'patch',
    target: { apiGroup: 'apps', resource: 'deployments', namespace: 'shop', name: 'checkout' },
    outcome: { code: 200, status: 'success' },
    keys: { auditID: 'a1b2c3d4-0000-4000-8000-000000000001' },
    raw: { origin: 'test:1' },
    ...over,
  } as ChangeEvent;
}

function chain(over: Partial<Chain> = {}): Chain {
  return {
    id: 'kube-audit:e1',
    effect: event(),
    verdict: 'manual',
    who: { name: 'lee@example.org', kind: 'human', via: [] },
    gitops: null,
    links: [],
    context: [],
    ...over,
  };
}

const column = (f: DataFrame, name: string) => {
  const x = f.fields.find((y) => y.name === name);
  if (!x) {
    throw new Error(`no field ${name}`);
  }
  return x;
};
const values = (f: DataFrame, name: string) => [...(column(f, name).values as unknown[])];

describe('storyOf and escapeMarkup', () => {
  it('escapes the five HTML metacharacters as numeric references, and nothing else', () => {
    expect(escapeMarkup(`<a href="x">&'b</a> é`)).toBe('&#60;a href=&#34;x&#34;&#62;&#38;&#39;b&#60;/a&#62; é');
  });

  it('who, from where, what; the address only when known; the operation and short commit when GitOps', () => {
    const manual = chain({ who: { name: 'lee@example.org', kind: 'human', ip: '203.0.113.9', via: [] } });
    expect(storyOf(manual)).toBe('lee@example.org from 203.0.113.9: patch deployments shop/checkout');
    expect(storyOf(chain())).toBe('lee@example.org: patch deployments shop/checkout');
    const synced = chain({
      gitops: {
        tool: 'argocd',
        operation: 'sync',
        app: 'storefront',
        commit: '7b3e9d1c2a4f6e8d0b1c3a5e7f9d2b4c6e8a0f1d',
      },
    });
    expect(storyOf(synced)).toBe(
      'lee@example.org: patch deployments shop/checkout during argocd sync of storefront at 7b3e9d1c2a4f'
    );
    const noAppNoCommit = chain({ gitops: { tool: 'fleet', operation: 'deploy' } });
    expect(storyOf(noAppNoCommit)).toBe('lee@example.org: patch deployments shop/checkout during fleet deploy of ?');
  });
});

describe('chainsFrame', () => {
  const gitops = chain({
    verdict: 'gitops-sync',
    who: {
      name: 'system:serviceaccount:argocd:argocd-application-controller',
      kind: 'gitops-controller',
      ip: '10.10.20.15',
      ipTrust: 'seen by the server',
      via: [],
    },
    gitops: {
      tool: 'argocd',
      operation: 'sync',
      app: 'billing',
      commit: 'abc',
      automated: true,
      automation: 'auto-sync',
    },
    links: [
      { kind: 'gitops-apply', confidence: 0.7, evidence: ['first', 'second'] },
      { kind: 'sync-trigger', confidence: 0.955, evidence: [] },
    ] as unknown as Chain['links'],
  });

  it('one row per chain, every column', () => {
    const noTime = chain({ effect: event({ time: undefined }) });
    const f = chainsFrame([gitops, noTime], 'B');
    expect(f.refId).toBe('B');
    expect(f.name).toBe('chains');
    expect(f.meta?.preferredVisualisationType).toBe('table');
    expect(values(f, 'time')).toEqual([1772445600000, null]);
    expect(values(f, 'verdict')).toEqual(['gitops-sync', 'manual']);
    expect(values(f, 'who')).toEqual(['system:serviceaccount:argocd:argocd-application-controller', 'lee@example.org']);
    expect(values(f, 'ip')).toEqual(['10.10.20.15', '']);
    expect(values(f, 'ip trust')).toEqual(['seen by the server', '']);
    expect(values(f, 'verb')).toEqual(['patch', 'patch']);
    expect(values(f, 'object')).toEqual(['deployments shop/checkout', 'deployments shop/checkout']);
    expect(values(f, 'app')).toEqual(['billing', '']);
    expect(values(f, 'commit')).toEqual(['abc', '']);
    expect(values(f, 'initiator')).toEqual(['', '']);
    expect(values(f, 'automation')).toEqual(['auto-sync', '']);
    // Each link: kind, confidence to two places, its first evidence; one line per link.
    expect(values(f, 'evidence')).toEqual(['gitops-apply 0.70: first\nsync-trigger 0.95: ', '']);
    expect(values(f, 'raw query')).toEqual([
      '{job="kube-audit"} |= "a1b2c3d4-0000-4000-8000-000000000001"',
      '{job="kube-audit"} |= "a1b2c3d4-0000-4000-8000-000000000001"',
    ]);
    expect(values(f, 'chain')).toEqual([gitops, noTime]);
  });

  it('typed for Grafana: time, strings, and the hidden objects the panel reads', () => {
    const f = chainsFrame([gitops], 'A');
    const types = Object.fromEntries(f.fields.map((x) => [x.name, x.type]));
    expect(types).toEqual({
      time: FieldType.time,
      verdict: FieldType.string,
      who: FieldType.string,
      ip: FieldType.string,
      'ip trust': FieldType.string,
      verb: FieldType.string,
      object: FieldType.string,
      app: FieldType.string,
      commit: FieldType.string,
      initiator: FieldType.string,
      automation: FieldType.string,
      text: FieldType.string,
      evidence: FieldType.string,
      'raw query': FieldType.string,
      diff: FieldType.string,
      'commit url': FieldType.string,
      'compare url': FieldType.string,
      'app url': FieldType.string,
      'user url': FieldType.string,
      chain: FieldType.other,
      records: FieldType.other,
    });
    expect(column(f, 'chain').config.custom).toEqual({ hidden: true });
    expect(column(f, 'records').config.custom).toEqual({ hidden: true });
  });

  it('links the raw query to Explore on the Loki data source only when there is one', () => {
    expect(column(chainsFrame([gitops], 'A'), 'raw query').config.links).toEqual([]);
    expect(column(chainsFrame([gitops], 'A', { uid: 'loki-uid', name: 'Loki EU' }), 'raw query').config.links).toEqual([
      {
        title: 'Raw lines in Explore',
        url: '',
        internal: {
          datasourceUid: 'loki-uid',
          datasourceName: 'Loki EU',
          query: { refId: 'A', expr: '${__value.raw}', queryType: 'range' },
        },
      },
    ]);
  });
});

describe('eventsFrame', () => {
  it('the login name when the source knows it, the first address, the status when there is no code', () => {
    const rancher = event({
      id: 'rancher-audit:r1',
      source: 'rancher-audit',
      time: undefined,
      actor: { name: 'u-abc', kind: 'human', groups: [], via: [], loginName: 'kim' },
      sourceIPs: ['198.51.100.44', '10.0.0.1'],
      outcome: { status: 'failure' },
      gitops: { tool: 'fleet', operation: 'deploy', app: 'payments' },
    });
    const plain = event({ sourceIPs: [] });
    const f = eventsFrame([rancher, plain], 'C', { uid: 'loki-uid', name: 'Loki EU' });
    expect(f.refId).toBe('C');
    expect(f.name).toBe('events');
    expect(f.meta?.preferredVisualisationType).toBe('table');
    expect(values(f, 'time')).toEqual([null, 1772445600000]);
    expect(values(f, 'source')).toEqual(['rancher-audit', 'kube-audit']);
    expect(values(f, 'actor')).toEqual(['kim', 'lee@example.org']);
    expect(values(f, 'kind')).toEqual(['human', 'human']);
    expect(values(f, 'ip')).toEqual(['198.51.100.44', '']);
    expect(values(f, 'outcome')).toEqual(['failure', '200']);
    expect(values(f, 'app')).toEqual(['payments', '']);
    expect(column(f, 'raw query').config.links?.[0]?.internal?.datasourceUid).toBe('loki-uid');
    expect(column(eventsFrame([plain], 'C'), 'raw query').config.links).toEqual([]);
  });
});

describe('nodeGraphFrames', () => {
  it('a change with no GitOps operation is one edge from the person to the object, labelled with the verb', () => {
    const pod = chain({
      who: { name: 'sam', kind: 'human', via: [] },
      effect: event({ verb: 'delete', target: { apiGroup: '', resource: 'pods', namespace: 'shop', name: 'p' } }),
    });
    const [nodes, edges] = nodeGraphFrames([pod, pod], 'D');
    expect([nodes.refId, nodes.name, edges.refId, edges.name]).toEqual(['D', 'nodes', 'D', 'edges']);
    expect(values(nodes, 'id')).toEqual(['who:sam', 'obj:pods shop/p']);
    expect(values(nodes, 'title')).toEqual(['sam', 'pods shop/p']);
    // The core group is '' in the API; the graph names it.
    expect(values(nodes, 'subtitle')).toEqual(['human', 'core']);
    expect(values(edges, 'id')).toEqual(['who:sam>obj:pods shop/p']);
    expect(values(edges, 'source')).toEqual(['who:sam']);
    expect(values(edges, 'target')).toEqual(['obj:pods shop/p']);
    expect(values(edges, 'mainstat')).toEqual(['delete']);
  });

  it('an automated operation without a commit: the controller `automated` the operation, which wrote the object', () => {
    const auto = chain({
      who: { name: 'fleet-agent', kind: 'gitops-controller', via: [] },
      gitops: { tool: 'fleet', operation: 'deploy', automated: true },
    });
    const [nodes, edges] = nodeGraphFrames([auto], 'A');
    expect(values(nodes, 'id')).toEqual(['who:fleet-agent', 'obj:deployments shop/checkout', 'op:fleet::deploy']);
    expect(values(nodes, 'subtitle')).toEqual(['gitops-controller', 'apps', '']);
    expect(values(edges, 'id')).toEqual([
      'who:fleet-agent>op:fleet::deploy',
      'op:fleet::deploy>obj:deployments shop/checkout',
    ]);
    expect(values(edges, 'mainstat')).toEqual(['automated', 'patch']);
    expect([nodes.meta?.preferredVisualisationType, edges.meta?.preferredVisualisationType]).toEqual([
      'nodeGraph',
      'nodeGraph',
    ]);
  });
});

describe('logsFrame, edge cases', () => {
  it('a line without a time has none (null, no nanoseconds); below a millisecond, all of it is nanoseconds', () => {
    const f = logsFrame([{ text: 'no time' }, { text: 'short', ns: '123' }], 'E');
    expect(f.refId).toBe('E');
    expect(f.name).toBe('logs');
    expect(f.meta).toEqual({ type: DataFrameType.LogLines, preferredVisualisationType: 'logs' });
    // 123 ns after the epoch: 0 ms and 123 ns.
    expect(values(f, 'timestamp')).toEqual([null, 0]);
    expect(f.fields[0].nanos).toEqual([0, 123]);
    expect(values(f, 'labels')).toEqual([{}, {}]);
    expect(values(f, 'id')).toEqual(['_0', '123_1']);
    // Not JSON, so not checked for Secret data: withheld (redaction fails closed).
    expect(values(f, 'body')).toEqual([
      'raw line withheld: could not be checked for secrets',
      'raw line withheld: could not be checked for secrets',
    ]);
  });
});
