import { generate, scenarioNames } from './generate';

const START = Date.UTC(2026, 2, 2, 10);
const MIN = 60_000;

describe('generate: the span covers every line', () => {
  it('a spacing shorter than a scenario still ends the span after the last scenario’s last line', () => {
    // One minute apart: the last scenario's lines run on well past one spacing after its start.
    const g = generate({ scenarios: 'all', noiseEvents: 0, seed: 1, start: START, spacingMs: MIN });
    const times = [...g.records()].map((r) => r.ms);
    expect(Math.max(...times)).toBeLessThan(g.span.to);
    expect(g.span.to).toBeGreaterThan(START + scenarioNames().length * MIN);
  });

  it('an end given is the span’s end, and background traffic per hour fills that span', () => {
    const g = generate({
      scenarios: ['unauthorized-deletion'],
      noiseEvents: 0,
      eventsPerHour: 6_000,
      seed: 1,
      start: START,
      leadInMs: 5 * MIN,
      spacingMs: MIN,
      endMs: START + 55 * MIN,
    });
    expect(g.span).toEqual({ from: START - 5 * MIN, to: START + 55 * MIN });
    const scenarioLines = generate({ scenarios: ['unauthorized-deletion'], noiseEvents: 0, seed: 1, start: START });
    // One hour at 6,000 an hour: 6,000 background lines besides the scenario's own.
    expect([...g.records()].length - [...scenarioLines.records()].length).toBe(6_000);
  });

  it('without an end, one spacing after the last scenario’s start (the default layout)', () => {
    const g = generate({ scenarios: ['unauthorized-deletion', 'auto-sync'], noiseEvents: 0, seed: 1, start: START });
    expect(g.span).toEqual({ from: START - 10 * MIN, to: START + 2 * 40 * MIN });
  });
});
