import fc from 'fast-check';

import { buildChains, chainToJson, generate, parseLines, scenarioNames, type RawLine, type TruthChain } from '..';
import { kubeAudit } from '../../../tests/support/builders';
import { compareToTruth, compareWhole, effectName } from '../../../tests/support/truth';

const START = Date.UTC(2026, 2, 2, 10);
const WRITES = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

function linesOf(
  noiseEvents: number,
  seed = 3,
  scenarios: string[] | 'all' = 'all'
): { lines: RawLine[]; truth: TruthChain[]; noise: string[] } {
  const g = generate({ scenarios, noiseEvents, seed, start: START });
  const lines = [...g.records()].map((r, i) => ({ text: r.line, origin: `${r.file}:${i + 1}` }));
  // The same scenarios without noise: every other line is background noise.
  const scenarioLines = new Set(
    [...generate({ scenarios, noiseEvents: 0, seed, start: START }).records()].map((r) => r.line)
  );
  return { lines, truth: g.truth, noise: lines.map((l) => l.text).filter((t) => !scenarioLines.has(t)) };
}

function trace(lines: RawLine[]) {
  return buildChains(parseLines(lines).events).map(chainToJson);
}

/**
 * What the background noise must come back as, read from each raw audit line itself (not through the parser):
 * every successful write is a routine chain of the controller or node that made it.
 */
function routineWrites(noise: string[]) {
  return noise
    .map((text) => JSON.parse(text) as Record<string, never>)
    .filter((a) => WRITES.has(a.verb) && (a.responseStatus as { code: number }).code < 400)
    .map((a) => {
      const o = a.objectRef as Record<string, string>;
      return {
        actor: (a.user as { username: string }).username,
        effect: {
          verb: a.verb as string,
          resource: o.resource,
          namespace: o.namespace,
          // A create of a generated name (an Event, a review) has none; status writes name their subresource.
          name: o.name ?? '',
          ...(o.subresource ? { subresource: o.subresource } : {}),
          time: new Date(Date.parse(a.requestReceivedTimestamp)).toISOString(),
        },
      };
    });
}

describe('each scenario in background noise: the whole answer equals the ground truth', () => {
  it.each(scenarioNames())('%s', (name) => {
    const { lines, truth, noise } = linesOf(600, 3, [name]);
    const routine = routineWrites(noise);
    // The noise must hold controller writes, or the routine check checks nothing.
    expect(routine.length).toBeGreaterThan(20);
    const events = parseLines(lines).events;
    const problems = compareWhole({ chains: buildChains(events), events, toJson: chainToJson }, truth, routine);
    expect(problems).toEqual([]);
  });
});

describe('the verdicts no scenario tells: unknown and controller, compared whole', () => {
  it('an anonymous write is unknown, a controller writing as itself is controller, each with its who', () => {
    const at = '2026-03-02T10:15:30.123Z';
    const lines = [
      kubeAudit({
        user: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
        sourceIPs: ['192.0.2.7'],
      }),
      kubeAudit({
        auditID: '0b7e2c44-1f3a-4d5e-9c8b-7a6f5e4d3c2b',
        user: {
          username: 'system:serviceaccount:kube-system:replicaset-controller',
          groups: ['system:serviceaccounts'],
        },
        sourceIPs: ['10.42.0.3'],
        objectRef: { resource: 'replicasets', name: 'checkout-7d9f8c6b5' },
        requestURI: '/apis/apps/v1/namespaces/shop/replicasets/checkout-7d9f8c6b5',
      }),
    ].map((o, i) => ({ text: JSON.stringify(o), origin: `hand.log:${i + 1}` }));
    const events = parseLines(lines).events;
    const truth: TruthChain[] = [
      {
        scenario: 'hand-made',
        effect: { verb: 'patch', resource: 'deployments', namespace: 'shop', name: 'checkout', time: at },
        verdict: 'unknown',
        who: { name: 'system:anonymous', ip: '192.0.2.7' },
      },
      {
        scenario: 'hand-made',
        effect: { verb: 'patch', resource: 'replicasets', namespace: 'shop', name: 'checkout-7d9f8c6b5', time: at },
        verdict: 'controller',
        who: { name: 'system:serviceaccount:kube-system:replicaset-controller', ip: '10.42.0.3' },
      },
    ];
    expect(compareWhole({ chains: buildChains(events), events, toJson: chainToJson }, truth, [])).toEqual([]);
  });
});

describe('the whole-answer comparison finds what differs', () => {
  const { lines, truth, noise } = linesOf(200, 3, ['unauthorized-deletion']);
  const events = parseLines(lines).events;
  const chains = buildChains(events);
  const routine = routineWrites(noise);
  const compare = (ch = chains, t = truth, r = routine) =>
    compareWhole({ chains: ch, events, toJson: chainToJson }, t, r);

  it('a missing chain, a wrong verdict, a missing link, an unexpected context entry', () => {
    const del = chains.findIndex((c) => c.effect.verb === 'delete');
    const broken = chains.map((c, i) =>
      i === del
        ? { ...c, verdict: 'gitops-sync' as const, links: c.links.slice(1), context: [...c.context, c.context[0]] }
        : c
    );
    const rb = truth.find((t) => t.effect.resource === 'rolebindings') as TruthChain;
    const p = compare(
      broken.filter((c) => c.effect.target.resource !== 'rolebindings'),
      truth,
      routine
    );
    expect(p).toEqual(
      expect.arrayContaining([
        `${effectName(rb.effect)}: 0 chains, want 1`,
        expect.stringMatching(/frontend-app at .*: verdict: got "gitops-sync", want "gitops-rollback"$/),
        expect.stringMatching(/frontend-app at .*: links: got \[.*\], want \[.*"gitops-apply ← argocd rollback at /),
        expect.stringMatching(/frontend-app at .*: context: unexpected sync-trigger: /),
      ])
    );
  });

  it('a controller write labelled a sync, and an extra chain no truth implies', () => {
    const i = chains.findIndex((c) => c.verdict === 'controller' && c.effect.target.resource === 'leases');
    const broken = chains.map((c, k) => (k === i ? { ...c, verdict: 'gitops-sync' as const } : c));
    const p = compare(
      broken,
      truth,
      routine.filter((r) => r.effect.name !== chains[i].effect.target.name)
    );
    expect(p).toEqual([
      expect.stringMatching(/^extra chain update leases .*: verdict: got "gitops-sync", want "controller"$/),
    ]);
  });
});

describe('all scenarios in one stream', () => {
  const { lines, truth } = linesOf(3_000);
  const chains = trace(lines);

  it('covers every scenario', () => {
    expect(new Set(truth.map((t) => t.scenario))).toEqual(new Set(scenarioNames()));
  });

  // Context may span scenarios here (one RBAC change precedes later syncs), so it is checked per scenario above.
  it.each(truth.map((t) => [`${t.scenario}: ${t.effect.verb} ${t.effect.resource} ${t.effect.name}`, t] as const))(
    '%s',
    (_, t) => {
      expect(compareToTruth(chains, t, truth).problems).toEqual([]);
    }
  );

  it('the background noise is controllers and nodes: no person appears in it', () => {
    const people = chains.filter((c) => c.who.kind === 'human');
    const truthKeys = new Set(truth.map((t) => `${t.effect.time}|${t.effect.name}`));
    expect(people.filter((c) => !truthKeys.has(`${c.effect.time}|${c.effect.target.name}`))).toEqual([]);
  });
});

describe('order, duplicates and garbage change nothing', () => {
  const { lines } = linesOf(200, 11);
  const strip = (ls: RawLine[]) => ls.map((l) => ({ text: l.text }));
  const base = strip(lines);
  const reference = JSON.stringify(trace(base));

  it('origins aside, the reference equals the traced input', () => {
    // Origins (file:line) only reach the raw reference, which ChainJson does not carry.
    expect(JSON.parse(reference)).toEqual(trace(lines));
  });

  // Catches: a rule or index that depends on input order (first-seen wins), counts a duplicate line twice, or
  // lets an unreadable line change a chain. Shown once by making the engine keep duplicate events.
  it('shuffled lines, duplicated lines, inserted garbage', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(base, { minLength: base.length, maxLength: base.length }),
        fc.array(fc.nat({ max: base.length - 1 }), { maxLength: 40 }),
        fc.array(fc.string({ maxLength: 60 }), { maxLength: 20 }),
        (shuffled, dupIdx, garbage) => {
          const mixed = [...shuffled, ...dupIdx.map((i) => base[i]), ...garbage.map((text) => ({ text }))];
          const order = fc.sample(fc.shuffledSubarray(mixed, { minLength: mixed.length, maxLength: mixed.length }), {
            numRuns: 1,
            seed: dupIdx.length,
          })[0];
          expect(JSON.stringify(trace(order))).toBe(reference);
        }
      ),
      { numRuns: 25 }
    );
  });
});
