import { diffValues, newCollector, type DiffContext } from './objectDiff';

const spec: DiffContext = { statusWrite: false, secret: false };

function diff(before: unknown, after: unknown, ctx: DiffContext = spec) {
  const out = newCollector();
  diffValues(before, after, ctx, out);
  return out;
}

const deployment = (image: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'checkout', resourceVersion: '1', generation: 1, ...extra },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'sidecar', image: 'envoy:1.30' },
          { name: 'app', image, env: [{ name: 'A', value: '1' }] },
        ],
      },
    },
  },
  status: { replicas: 2 },
});

describe('object diff', () => {
  it('names a changed container image by its position, noise left out and counted', () => {
    const before = deployment('shop/checkout:1.4.2');
    const after = {
      ...deployment('shop/checkout:1.5.0', { resourceVersion: '2', generation: 2 }),
      status: { replicas: 3 },
    };
    const out = diff(before, after);
    expect(out.entries).toEqual([
      { path: 'spec.template.spec.containers[1].image', before: 'shop/checkout:1.4.2', after: 'shop/checkout:1.5.0' },
    ]);
    expect(out.noise.sort()).toEqual(['metadata.generation', 'metadata.resourceVersion', 'status']);
  });

  it('matches containers by name, so a reordered list is no change', () => {
    const before = deployment('x:1');
    const after = deployment('x:1');
    after.spec.template.spec.containers.reverse();
    expect(diff(before, after).entries).toEqual([]);
  });

  it('reports added and removed env entries by name', () => {
    const before = {
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    };
    const after = {
      env: [
        { name: 'C', value: '3' },
        { name: 'A', value: '1' },
      ],
    };
    expect(diff(before, after).entries).toEqual([
      { path: 'env[0]', after: { name: 'C', value: '3' } },
      { path: 'env[1]', before: { name: 'B', value: '2' } },
    ]);
  });

  it('keeps status of a status write', () => {
    expect(
      diff({ status: { replicas: 1 } }, { status: { replicas: 2 } }, { ...spec, statusWrite: true }).entries
    ).toEqual([{ path: 'status.replicas', before: 1, after: 2 }]);
  });

  it('quotes keys that are not identifiers', () => {
    const out = diff({ metadata: { annotations: { 'a.b/c': '1' } } }, { metadata: { annotations: { 'a.b/c': '2' } } });
    expect(out.entries[0].path).toBe('metadata.annotations["a.b/c"]');
  });

  it('never shows a Secret value: a changed key is a "changed" entry with redacted marks', () => {
    const ctx: DiffContext = {
      statusWrite: false,
      secret: true,
      beforeDigests: { 'data.password': 'd1', 'data.user': 'u' },
      afterDigests: { 'data.password': 'd2', 'data.user': 'u', 'data.token': 't' },
    };
    const out = diff(
      { data: { password: '[redacted]', user: '[redacted]' } },
      { data: { password: '[redacted]', user: '[redacted]', token: '[redacted]' } },
      ctx
    );
    expect(out.entries).toEqual([
      { path: 'data.password', before: '[redacted]', after: '[redacted]', secret: true },
      { path: 'data.token', after: '[redacted]', secret: true },
    ]);
  });

  it('says when Secret values could not be compared', () => {
    const out = diff(
      { data: { a: '[redacted]' } },
      { data: { a: '[redacted]' } },
      { statusWrite: false, secret: true }
    );
    expect(out.entries).toEqual([]);
    expect(out.cuts).toEqual(['1 Secret value could not be compared (recorded redacted)']);
  });

  it('compares lists over the cap as one value and says so', () => {
    const big = (n: number) => Array.from({ length: 10_000 }, (_, i) => i + n);
    const out = diff({ args: big(0) }, { args: big(1) });
    expect(out.entries).toHaveLength(1);
    expect(out.entries[0].path).toBe('args');
    expect(String(out.entries[0].after)).toBe('(a list of 10000 items, over 2048 characters of JSON, folded)');
    expect(out.cuts).toEqual(['lists over 1000 items compared as one value']);
  });

  it('stops listing at the entry cap and counts the rest', () => {
    const before = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`k${i}`, 0]));
    const after = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`k${i}`, 1]));
    const out = diff(before, after);
    expect(out.entries).toHaveLength(200);
    expect(out.dropped).toBe(50);
  });

  it('stops at the depth cap without recursing further', () => {
    let deepA: unknown = 1;
    let deepB: unknown = 2;
    for (let i = 0; i < 5_000; i++) {
      deepA = { x: deepA };
      deepB = { x: deepB };
    }
    const out = diff(deepA, deepB);
    expect(out.entries).toHaveLength(1);
    expect(out.cuts[0]).toMatch(/deeper than 32 levels/);
  });
});
