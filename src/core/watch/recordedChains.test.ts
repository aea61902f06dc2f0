import { chainToJson, type ChainJson } from '../correlate/chainJson';
import { REDACTED } from '../parse/redact';
import { asChainJson } from './readRecorded';
import { chainOfRecorded, isRecordedChain } from './recordedChains';
import type { RecordedChain } from './recorded';

const recorded = (over: Partial<RecordedChain> = {}): RecordedChain => ({
  id: 'kube-audit:7f3c',
  effect: {
    time: '2026-03-02T10:00:00.250Z',
    source: 'kube-audit',
    verb: 'patch',
    target: { apiGroup: '', resource: 'configmaps', namespace: 'shop', name: 'settings', subresource: null },
    actor: { name: 'u-x7k2p', kind: 'human' },
    sourceIPs: ['10.1.2.3'],
    userAgent: null,
  },
  verdict: 'manual',
  who: { name: 'alice@example.org', kind: 'human', ip: '10.1.2.3', ipTrust: null, via: ['rancher'], url: null },
  gitops: null,
  links: [{ kind: 'rancher-proxy', confidence: 1, evidence: ['same request id'] }],
  context: [{ kind: 'rbac-context', time: '2026-03-02T09:40:00.000Z', summary: 'bob bound edit', evidence: ['x'] }],
  consequenceOf: null,
  consequences: 2,
  change: null,
  grantedBy: {
    time: '2026-03-02T09:40:00.000Z',
    by: 'bob@example.org',
    verb: 'create',
    object: 'rolebindings shop/edit',
  },
  failedSyncBefore: null,
  records: [
    {
      id: 'kube-audit:7f3c',
      role: 'effect',
      time: '2026-03-02T10:00:00.250Z',
      source: 'kube-audit',
      actor: 'u-x7k2p',
      verb: 'patch',
      object: 'configmaps shop/settings',
      logql: '{job="kube-audit"} |= "7f3c"',
    },
  ],
  ...over,
});

describe('a recorded chain read back into the model', () => {
  it('gives the recorded chain back through the trace contract, with its cluster and evidence LogQL', () => {
    const r = chainOfRecorded(recorded(), 'prod-eu');
    expect(chainToJson(r.chain)).toEqual(asChainJson(recorded()));
    expect(r.chain.effect.target.cluster).toBe('prod-eu');
    expect(r.chain.effect.time).toBe(Date.parse('2026-03-02T10:00:00.250Z'));
    expect(r.effectLogql).toBe('{job="kube-audit"} |= "7f3c"');
    expect(r.records[0]).toMatchObject({ role: 'effect', raw: { labels: {} }, time: r.chain.effect.time });
  });

  it('redacts a Secret diff and request body again (a recorded line is anyone who can push)', () => {
    const change: ChainJson['change'] = {
      source: 'request-body',
      complete: false,
      diff: [
        { path: 'data.password', after: 'aHVudGVyMg==' },
        { path: 'metadata.labels.team', before: 'a', after: 'b' },
      ],
      patch: { kind: 'Secret', data: { password: 'aHVudGVyMg==' } },
      omitted: { count: 0, paths: [] },
    };
    const target = { apiGroup: '', resource: 'secrets', namespace: 'shop', name: 'db', subresource: null };
    const base = recorded();
    const { chain } = chainOfRecorded(recorded({ change, effect: { ...base.effect, target } }));
    expect(JSON.stringify(chain.change)).not.toContain('aHVudGVyMg==');
    expect(chain.change?.diff).toEqual([
      { path: 'data.password', after: REDACTED, secret: true },
      { path: 'metadata.labels.team', before: 'a', after: 'b' },
    ]);
  });

  it.each([
    ['no links list', { links: 'x' }],
    ['a link without confidence', { links: [{ kind: 'drift', evidence: [] }] }],
    ['an effect without a target', { effect: { time: null, source: 'kube-audit', verb: 'patch' } }],
    ['an unreadable time', { effect: { ...recorded().effect, time: 'yesterday' } }],
    ['records that are not records', { records: [{ id: 'x' }] }],
  ])('is not a chain with %s', (_why, over) => {
    expect(isRecordedChain({ ...recorded(), ...over })).toBe(false);
  });

  it('is a chain as recorded before grantedBy and failedSyncBefore were in the contract', () => {
    const { grantedBy: _g, failedSyncBefore: _f, ...old } = recorded();
    expect(isRecordedChain(old)).toBe(true);
    expect(isRecordedChain(recorded())).toBe(true);
  });
});
