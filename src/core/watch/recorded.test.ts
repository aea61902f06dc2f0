import type { ChainJson } from '../correlate/chainJson';
import type { ChainRecord } from '../model';
import { newestVersions, planWrites, readRecorded, recordedLine, type Candidate } from './recorded';

const chain = (id: string, over: Partial<ChainJson> = {}): ChainJson => ({
  id,
  effect: {
    time: '2026-03-02T10:00:00.250Z',
    source: 'kube-audit',
    verb: 'patch',
    target: { apiGroup: 'apps', resource: 'deployments', namespace: 'shop', name: 'checkout', subresource: null },
    actor: { name: 'alice@example.org', kind: 'human' },
    sourceIPs: ['10.1.2.3'],
    userAgent: 'kubectl/v1.31.0',
  },
  verdict: 'manual-drift',
  who: { name: 'alice@example.org', kind: 'human', ip: '10.1.2.3', ipTrust: 'seen by the server', via: [], url: null },
  gitops: {
    tool: 'argocd',
    app: 'shop',
    revision: null,
    commit: null,
    initiator: null,
    automation: null,
    automated: true,
    operation: 'sync',
    commitUrl: null,
    previousCommit: null,
    compareUrl: null,
    appUrl: null,
  },
  links: [{ kind: 'drift', confidence: 0.9, evidence: ['argocd-application-controller wrote it 2 h before'] }],
  context: [],
  consequenceOf: null,
  consequences: 0,
  change: null,
  grantedBy: null,
  failedSyncBefore: null,
  ...over,
});

const record = (line: string): ChainRecord => ({
  id: 'kube-audit:a',
  role: 'effect',
  time: Date.UTC(2026, 2, 2, 10),
  source: 'kube-audit',
  actor: 'alice@example.org',
  verb: 'patch',
  object: 'deployments shop/checkout',
  raw: { labels: { job: 'kube-audit' } },
  logql: '{job="kube-audit"} |= "a"',
  line,
});

const candidate = (c: ChainJson, line = 'x'.repeat(200)): Candidate => ({
  chain: c,
  ms: Date.parse(c.effect.time as string),
  records: [record(line)],
  cluster: 'prod',
});

describe('recorded chains', () => {
  it('one entry per chain: verdict and cluster labels, effect time in ns, person/app/namespace metadata', () => {
    const p = planWrites([candidate(chain('kube-audit:a'))], []);
    expect(p.entries).toHaveLength(1);
    expect(p.entries[0]).toMatchObject({
      labels: { job: 'change-provenance', verdict: 'manual-drift', cluster: 'prod' },
      ns: '1772445600250000000',
      meta: { chain_id: 'kube-audit:a', person: 'alice@example.org', app: 'shop', namespace: 'shop' },
    });
    const line = JSON.parse(p.entries[0].line);
    expect(line).toMatchObject({ id: 'kube-audit:a', verdict: 'manual-drift', records: [{ role: 'effect' }] });
    expect(line.revision).toBeUndefined();
    expect(line.shortened).toBeUndefined();
  });

  it('is byte-identical for the same input', () => {
    const a = planWrites([candidate(chain('kube-audit:a'))], []).entries;
    const b = planWrites([candidate(chain('kube-audit:a'))], []).entries;
    expect(a).toEqual(b);
  });

  it('leaves a chain alone when it is recorded with the same answer; a changed answer goes one revision up', () => {
    const first = planWrites([candidate(chain('kube-audit:a'))], []).entries[0].line;
    expect(planWrites([candidate(chain('kube-audit:a'))], [first])).toMatchObject({ entries: [], unchanged: 1 });
    const changed = candidate(chain('kube-audit:a', { verdict: 'manual', gitops: null }));
    const p = planWrites([changed], [first]);
    expect(p).toMatchObject({ unchanged: 0, rerecorded: 1 });
    expect(p.entries[0].labels.verdict).toBe('manual');
    expect(JSON.parse(p.entries[0].line).revision).toBe(2);
    // Read back, the newest version wins; and the same changed answer is not sent a third time.
    expect(newestVersions([p.entries[0].line, first]).get('kube-audit:a')?.chain.verdict).toBe('manual');
    expect(planWrites([changed], [first, p.entries[0].line])).toMatchObject({ entries: [], unchanged: 1 });
    // Going back to the first answer is a change too: revision 3.
    expect(
      JSON.parse(planWrites([candidate(chain('kube-audit:a'))], [first, p.entries[0].line]).entries[0].line).revision
    ).toBe(3);
  });

  it('shortens a long line: raw lines of the records first, then the records, then evidence; never the chain', () => {
    const c = candidate(chain('kube-audit:a'), 'y'.repeat(5_000));
    const full = recordedLine(c, 1)!;
    expect(full.shortened).toEqual([]);
    const noRaw = recordedLine(c, 1, 2_000)!;
    expect(noRaw.shortened).toEqual(['records.line']);
    expect(JSON.parse(noRaw.line).records[0].line).toBeUndefined();
    const limit = new TextEncoder().encode(noRaw.line).length - 1;
    const tight = recordedLine(c, 1, limit)!;
    expect(tight.shortened.slice(0, 2)).toEqual(['records.line', 'records']);
    expect(new TextEncoder().encode(tight.line).length).toBeLessThanOrEqual(limit);
    expect(JSON.parse(tight.line)).toMatchObject({
      id: 'kube-audit:a',
      verdict: 'manual-drift',
      who: { name: 'alice@example.org' },
    });
  });

  it('a chain that fits in no line is reported, not silently dropped', () => {
    const p = planWrites([candidate(chain('kube-audit:a'))], [], { maxLineBytes: 100 });
    expect(p).toMatchObject({ entries: [], unfit: ['kube-audit:a'] });
  });

  it('reads back only lines that are chains', () => {
    expect(readRecorded('not json')).toBeUndefined();
    expect(readRecorded('{"id":"x"}')).toBeUndefined();
    expect(readRecorded(planWrites([candidate(chain('kube-audit:a'))], []).entries[0].line)?.revision).toBe(1);
  });
});
