import { chainToJson, generate, traceOverLoki } from '../../src/core';
import { LokiEmulator } from '../support/lokiEmulator';
import { loadLoki } from '../support/lokiLoad';
import { compareToTruth } from '../support/truth';

/**
 * A targeted question about a Fleet deployment finds the person who edited the GitRepo in Rancher's UI: that
 * edit exists only in Rancher's audit log (steve API), so phase 2 must ask Rancher for GitRepo edits too.
 * (Found by `bench:loki -- --broad`, which compares every scenario's broad and targeted answers.)
 */
it('a Fleet deployment asked about alone: who is the GitRepo editor, as in the broad answer', async () => {
  const emu = new LokiEmulator();
  const url = await emu.start();
  try {
    const g = generate({
      scenarios: ['fleet-gitrepo-edit'],
      noiseEvents: 500,
      seed: 42,
      start: Date.UTC(2026, 2, 2, 10),
    });
    const client = await loadLoki(
      url,
      [...g.records()].map((r) => r.line)
    );
    const deploy = g.truth.find((t) => t.effect.resource === 'deployments');
    expect(deploy?.who.name).toBe('kim');
    const t = deploy as NonNullable<typeof deploy>;
    const targeted = await traceOverLoki(client, {
      target: { resource: t.effect.resource, namespace: t.effect.namespace, name: t.effect.name },
      from: g.span.from,
      to: g.span.to,
    });
    expect(compareToTruth(targeted.chains.map(chainToJson), t).problems).toEqual([]);
  } finally {
    await emu.stop();
  }
});
