import { diffValues, newCollector, type DiffContext } from './objectDiff';
import { applyPatch, patchEntries, patchKindOf } from './patch';

const ctx: DiffContext = { statusWrite: false, secret: false };

function entries(body: unknown, verb: string, apiGroup: string, c: DiffContext = ctx) {
  const kind = patchKindOf(body, verb, apiGroup);
  const out = newCollector();
  if (kind) {
    patchEntries(body, kind, c, out);
  }
  return { kind, out };
}

describe('patch kinds', () => {
  it('tells JSON patch, strategic merge patch, merge patch and whole objects apart', () => {
    expect(patchKindOf([{ op: 'add', path: '/a', value: 1 }], 'patch', 'apps')).toBe('json-patch');
    expect(patchKindOf({ spec: { replicas: 3 } }, 'patch', 'apps')).toBe('strategic-merge-patch');
    expect(patchKindOf({ spec: { replicas: 3 } }, 'patch', 'networking.k8s.io')).toBe('strategic-merge-patch');
    expect(patchKindOf({ spec: { syncPolicy: null } }, 'patch', 'argoproj.io')).toBe('merge-patch');
    expect(patchKindOf({ spec: { $patch: 'replace' } }, 'patch', 'argoproj.io')).toBe('strategic-merge-patch');
    expect(patchKindOf({ kind: 'ConfigMap' }, 'update', '')).toBe('object');
    expect(patchKindOf('not json', 'patch', '')).toBeUndefined();
  });
});

describe('what a patch sent, the object before unknown', () => {
  it('JSON merge patch: a null removes the field (auto-sync disabled)', () => {
    const { out } = entries(
      { spec: { syncPolicy: { automated: null }, source: { targetRevision: 'v2' } } },
      'patch',
      'argoproj.io'
    );
    expect(out.entries).toEqual([
      { path: 'spec.syncPolicy.automated' },
      { path: 'spec.source.targetRevision', after: 'v2' },
    ]);
  });

  it('strategic merge patch: list items by merge key, $patch directives', () => {
    const body = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }],
            containers: [
              { name: 'app', image: 'shop/checkout:1.5.0' },
              { name: 'old', $patch: 'delete' },
            ],
            volumes: { $patch: 'replace' },
            '$deleteFromPrimitiveList/finalizers': ['x'],
          },
        },
      },
    };
    const { out } = entries(body, 'patch', 'apps');
    expect(out.entries).toEqual([
      { path: 'spec.template.spec.containers[name=app].image', after: 'shop/checkout:1.5.0' },
      { path: 'spec.template.spec.containers[name=old]' },
      { path: 'spec.template.spec.volumes', after: {} },
      { path: 'spec.template.spec.finalizers[value=x]' },
    ]);
  });

  it('JSON patch: each operation by its pointer, escapes undone; broken operations counted', () => {
    const { out } = entries(
      [
        { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'a:2' },
        { op: 'remove', path: '/metadata/annotations/example.com~1owner' },
        { op: 'test', path: '/spec/replicas', value: 2 },
        { op: 'move', from: '/spec/a', path: '/spec/b' },
        { op: 'add', path: '/metadata/resourceVersion', value: '9' },
        { path: '/no/op' },
      ],
      'patch',
      'apps'
    );
    expect(out.entries).toEqual([
      { path: 'spec.template.spec.containers[0].image', after: 'a:2' },
      { path: 'metadata.annotations["example.com/owner"]' },
      { path: 'spec.a' },
      { path: 'spec.b', after: '(moved from spec.a)' },
    ]);
    expect(out.noise).toEqual(['metadata.resourceVersion']);
    expect(out.cuts).toEqual(['1 JSON patch operation not understood']);
  });

  it("a Secret patch's values never show, whatever the patch type", () => {
    const secret: DiffContext = { statusWrite: false, secret: true };
    for (const body of [
      { data: { password: 'aHVudGVyMg==' } },
      { stringData: { password: 'hunter2' } },
      [{ op: 'replace', path: '/data/password', value: 'aHVudGVyMg==' }],
      [{ op: 'add', path: '/data', value: { password: 'aHVudGVyMg==' } }],
    ]) {
      const { out } = entries(body, 'patch', '', secret);
      const text = JSON.stringify(out);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('aHVudGVyMg');
      expect(out.entries[0].secret).toBe(true);
    }
  });

  it('a whole object (create / update) lists what it sets', () => {
    const { out } = entries({ metadata: { name: 'x', resourceVersion: '3' }, data: { a: '1' } }, 'update', '');
    expect(out.entries).toEqual([
      { path: 'metadata.name', after: 'x' },
      { path: 'data.a', after: '1' },
    ]);
  });
});

describe('a patch applied to the object before', () => {
  const before = {
    spec: {
      replicas: 2,
      template: {
        spec: {
          containers: [
            { name: 'sidecar', image: 's:1' },
            { name: 'app', image: 'a:1' },
          ],
        },
      },
    },
  };

  const diffOf = (after: unknown) => {
    const out = newCollector();
    diffValues(before, after, ctx, out);
    return out.entries;
  };

  it('strategic merge patch merges containers by name', () => {
    const r = applyPatch(
      before,
      { spec: { template: { spec: { containers: [{ name: 'app', image: 'a:2' }] } } } },
      'strategic-merge-patch'
    );
    expect('after' in r && diffOf(r.after)).toEqual([
      { path: 'spec.template.spec.containers[1].image', before: 'a:1', after: 'a:2' },
    ]);
  });

  it('merge patch replaces lists whole', () => {
    const r = applyPatch(
      before,
      { spec: { template: { spec: { containers: [{ name: 'app', image: 'a:2' }] } } } },
      'merge-patch'
    );
    expect('after' in r && diffOf(r.after)).toEqual([
      { path: 'spec.template.spec.containers[0].image', before: 'a:1', after: 'a:2' },
      // A removed item is named by its position before.
      { path: 'spec.template.spec.containers[0]', before: { name: 'sidecar', image: 's:1' } },
    ]);
  });

  it('JSON patch applies by pointer; one that does not apply says why', () => {
    const ok = applyPatch(before, [{ op: 'replace', path: '/spec/replicas', value: 5 }], 'json-patch');
    expect('after' in ok && diffOf(ok.after)).toEqual([{ path: 'spec.replicas', before: 2, after: 5 }]);
    expect(applyPatch(before, [{ op: 'replace', path: '/spec/nope/x', value: 1 }], 'json-patch')).toEqual({
      error: 'path /spec/nope is not in the object before',
    });
    expect(applyPatch(before, [{ op: 'test', path: '/spec/replicas', value: 3 }], 'json-patch')).toEqual({
      error: 'JSON patch test of spec.replicas does not hold for the object before',
    });
    expect(before.spec.replicas).toBe(2);
  });
});

describe('hostile patches end, bounded', () => {
  it('a cycle of $patch directives (only possible in memory, not in JSON) ends, bounded, never a throw', () => {
    const loop: Record<string, unknown> = { $patch: 'replace', name: 'app' };
    loop.spec = { $patch: 'merge', template: loop, containers: [loop] };
    const out = newCollector();
    expect(() => patchEntries({ spec: loop }, 'strategic-merge-patch', ctx, out)).not.toThrow();
    // `$patch: replace` makes the looping value one replaced value, measured without walking it all: folded.
    expect(out.entries).toEqual([
      { path: 'spec', after: '(an object of 2 keys, over 2048 characters of JSON, folded)' },
    ]);
    const applied = applyPatch({ spec: { replicas: 1 } }, { spec: loop }, 'strategic-merge-patch');
    expect('after' in applied || 'error' in applied).toBe(true);
    // A loop of merges is walked to the depth cap, then compared as one value.
    const merges: Record<string, unknown> = { $patch: 'merge' };
    merges.a = merges;
    const deep = newCollector();
    patchEntries({ spec: merges }, 'strategic-merge-patch', ctx, deep);
    expect(deep.cuts.join('; ')).toMatch(/deeper than 32 levels/);
    expect(deep.entries.length).toBeLessThanOrEqual(200);
  });
});
