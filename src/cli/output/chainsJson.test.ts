import { buildChains, chainToJson, type Chain } from '../../core';
import { kubeAudit, rancherAudit } from '../../../tests/support/builders';
import { eventsOf } from '../../../tests/support/correlate';
import { writeChainsJson } from './chainsJson';

/** What `writeChainsJson` writes for the engine's chains, gathered, and how many writes it took. */
function written(chains: Chain[], rest: Record<string, unknown>) {
  const parts: string[] = [];
  writeChainsJson({ out: (t) => parts.push(t), err: () => undefined, errIsTTY: false }, chains, chainToJson, rest);
  return { text: parts.join(''), writes: parts.length };
}

// Deletes by a person through Rancher: chains with links, evidence, quotes and newlines in their strings.
const records = (n: number) =>
  Array.from({ length: n }, (_, i) => [
    kubeAudit({
      auditID: `a-${i}`,
      verb: 'delete',
      requestURI: `/apis/apps/v1/namespaces/shop/deployments/d-${i}`,
      objectRef: { resource: 'deployments', namespace: 'shop', name: `d-${i}`, apiGroup: 'apps' },
      userAgent: 'kubectl/v1.31 "quoted"\nsecond line',
      requestReceivedTimestamp: `2026-03-02T10:${String(i % 60).padStart(2, '0')}:00.000000Z`,
    }),
    rancherAudit({ auditID: `r-${i}` }),
  ]).flat();

describe('trace --format json, written chain by chain', () => {
  const rest = {
    skipped: [{ source: 'kube-audit', reason: 'not-a-change', count: 3 }],
    stats: { lines: 10, events: 4, chains: 2, excluded: { leases: 2 }, ms: 5 },
    warnings: ['a "warning"\nwith a newline'],
    absent: undefined,
  };

  // The contract is JSON.stringify(…, null, 2) of the whole answer: any other byte (a separator, an indent) fails.
  it.each([0, 1, 2, 30])('%d chains: the same bytes as the whole answer stringified', (n) => {
    const chains = buildChains(eventsOf(records(n)));
    expect(chains.length).toBeGreaterThanOrEqual(n);
    const whole = JSON.stringify({ chains: chains.map(chainToJson), ...rest }, null, 2) + '\n';
    expect(written(chains, rest).text).toBe(whole);
  });

  it('a large answer is written in pieces of about a million characters, still the same bytes', () => {
    const chains = buildChains(eventsOf(records(60)));
    const many = Array.from({ length: 20 }, () => chains).flat();
    const whole = JSON.stringify({ chains: many.map(chainToJson), stats: { ms: 1 } }, null, 2) + '\n';
    const w = written(many, { stats: { ms: 1 } });
    expect(w.text).toBe(whole);
    expect(w.writes).toBeGreaterThan(1);
    expect(w.writes).toBeLessThanOrEqual(Math.ceil(whole.length / (1 << 20)) + 1);
  });
});
