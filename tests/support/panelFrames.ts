import {
  buildChains,
  generate,
  parseLines,
  scenarioNames,
  type Chain,
  type ChangeEvent,
  type TruthChain,
} from '../../src/core';
import { chainsFrame } from '../../src/datasource/frames';

/** When the generated scenarios start. */
export const SCENARIO_START = Date.UTC(2026, 2, 2, 10);

/** The generated scenarios parsed and correlated: the events and chains a query of them gives the data source. */
/**
 * The scenarios the panel's tests show: the first ten (the tests' counts and time windows are drawn for them). Later ones
 * — the controller cascades among them, whose dozens of ReplicaSet and Pod chains would each be a card until the
 * panel folds consequences — are left out.
 */
export const PANEL_SCENARIOS = scenarioNames().slice(0, 10);

export function scenarioTrace(
  noiseEvents = 200,
  scenarios: readonly string[] = PANEL_SCENARIOS
): { events: ChangeEvent[]; chains: Chain[] } {
  const g = generate({ scenarios: [...scenarios], noiseEvents, seed: 8, start: SCENARIO_START });
  const events = parseLines([...g.records()].map((r) => ({ text: r.line, origin: r.file }))).events;
  return { events, chains: buildChains(events) };
}

/** The controller cascades (consequences folded under their cause), for the panel's folding tests. */
export const CASCADE_SCENARIOS = ['rancher-delete-cascade', 'argocd-rollout', 'manual-scale-cascade', 'cronjob-run'];

export function cascadeTrace(noiseEvents = 0): { events: ChangeEvent[]; chains: Chain[]; truth: TruthChain[] } {
  const g = generate({ scenarios: CASCADE_SCENARIOS, noiseEvents, seed: 8, start: SCENARIO_START });
  const events = parseLines([...g.records()].map((r) => ({ text: r.line, origin: r.file }))).events;
  return { events, chains: buildChains(events), truth: g.truth };
}

export function scenarioChains(noiseEvents = 200): Chain[] {
  return scenarioTrace(noiseEvents).chains;
}

/**
 * A copy of a chain carrying what a hostile log line could: markup in the person's name (100 KB long) and in the
 * object's name, right-to-left text in the namespace. The panel must show it as inert text.
 */
export function hostileChain(of: Chain): Chain {
  const evil: Chain = JSON.parse(JSON.stringify(of));
  evil.who.name = '<img src=x onerror="window.__pwned=1">' + 'x'.repeat(100_000);
  evil.effect.target.name = '<script>window.__pwned=2</script>';
  evil.effect.target.namespace = 'מרחב-שמות';
  evil.context = [];
  return evil;
}

/** The frame the data source makes of the chains — the panel's input. */
export function framesOf(chains: Chain[], events: readonly ChangeEvent[] = []) {
  return [chainsFrame(chains, 'A', { uid: 'loki-main', name: 'Loki (main)' }, undefined, events)];
}
