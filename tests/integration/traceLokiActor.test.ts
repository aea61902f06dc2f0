import { buildAllChains, chainToJson, generate, parseLines, selectChains, traceOverLoki } from '../../src/core';
import { LokiEmulator } from '../support/lokiEmulator';
import { loadLoki } from '../support/lokiLoad';

/**
 * A person's trail over Loki equals the file trace's: dana's rollback is written by the Argo CD controller and no
 * kube-apiserver line names her, kim's changes through Rancher name only her user id downstream. A line filter on
 * the person (what phase 1 once did) lost the rollback.
 */
it.each([['dana@example.org'], ['kim'], ['lee@example.org']])('--actor %s: Loki trace = file trace', async (actor) => {
  const emu = new LokiEmulator();
  const url = await emu.start();
  try {
    const g = generate({ scenarios: 'all', noiseEvents: 300, seed: 11, start: Date.UTC(2026, 2, 2, 10) });
    const lines = [...g.records()].map((r) => r.line);
    const client = await loadLoki(url, lines);
    const overLoki = await traceOverLoki(client, { actor, from: g.span.from, to: g.span.to });
    const fileChains = selectChains(
      buildAllChains(parseLines(lines.map((text, i) => ({ text, origin: `f:${i + 1}` }))).events),
      { actor, from: g.span.from, to: g.span.to }
    );
    const wanted = g.truth.filter((t) => t.who.name === actor || t.gitops?.initiator === actor);
    expect(wanted.length).toBeGreaterThan(0);
    const key = (c: {
      effect: { time: string | null; verb: string; target: { name: string | null } };
      who: { name: string };
    }) => `${c.effect.time} ${c.effect.verb} ${c.effect.target.name} by ${c.who.name}`;
    expect(overLoki.chains.map(chainToJson).map(key).sort()).toEqual(fileChains.map(chainToJson).map(key).sort());
    for (const t of wanted) {
      expect(
        overLoki.chains
          .map(chainToJson)
          .some((c) => c.effect.target.name === t.effect.name && c.effect.verb === t.effect.verb)
      ).toBe(true);
    }
  } finally {
    await emu.stop();
  }
});
