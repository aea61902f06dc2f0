import { buildChains, generate, parseLines, type Chain, type ChangeEvent } from '../../src/core';
import { chainsFrame } from '../../src/datasource/frames';

/** The generated scenarios parsed and correlated: the events and chains a query of them gives the data source. */
export function scenarioTrace(noiseEvents = 200): { events: ChangeEvent[]; chains: Chain[] } {
  const g = generate({ scenarios: 'all', noiseEvents, seed: 8, start: Date.UTC(2026, 2, 2, 10) });
  const events = parseLines([...g.records()].map((r) => ({ text: r.line, origin: r.file }))).events;
  return { events, chains: buildChains(events) };
}

export function scenarioChains(noiseEvents = 200): Chain[] {
  return scenarioTrace(noiseEvents).chains;
}

/** The frame the data source makes of the chains — the panel's input. */
export function framesOf(chains: Chain[], events: readonly ChangeEvent[] = []) {
  return [chainsFrame(chains, 'A', 'loki-main', undefined, events)];
}
