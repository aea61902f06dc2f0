import { buildChains, generate, parseLines, type Chain } from '../../src/core';
import { chainsFrame } from '../../src/datasource/frames';

/** Chains of the generated scenarios, and the frame the data source makes of them — the panel's input. */
export function scenarioChains(noiseEvents = 200): Chain[] {
  const g = generate({ scenarios: 'all', noiseEvents, seed: 8, start: Date.UTC(2026, 2, 2, 10) });
  return buildChains(parseLines([...g.records()].map((r) => ({ text: r.line, origin: r.file }))).events);
}

export function framesOf(chains: Chain[]) {
  return [chainsFrame(chains, 'A', 'loki-main')];
}
