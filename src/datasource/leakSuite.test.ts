import type { DataFrame } from '@grafana/data';

import { buildChains, parseLines, type RawLine, type RawRef } from '../core';
import { rancherAudit } from '../../tests/support/builders';
import { LEAK_CASES, leakedMarkers } from '../../tests/support/leakCases';
import { chainsFrame, eventsFrame, logsFrame, nodeGraphFrames, storyOf } from './frames';

/** The leak suite's crafted lines (tests/support/leakCases.ts) through every frame the data source returns. */

const lines: RawLine[] = LEAK_CASES.flatMap((c) => c.lines).map((text, i) => ({ text, origin: `leak:${i + 1}` }));
const valuesOf = (frames: DataFrame[]) => JSON.stringify(frames.map((f) => f.fields.map((x) => x.values)));

it('no marker in the chains (with records and raw lines), events, node graph or logs frames', () => {
  const parsed = parseLines(lines);
  const chains = buildChains(parsed.events, {});
  expect(chains.length).toBeGreaterThan(10);
  const byOrigin = new Map(lines.map((l) => [l.origin, l.text]));
  const lineOf = (raw: RawRef) => byOrigin.get(raw.origin);
  const frames = [
    chainsFrame(chains, 'A', 'loki', undefined, parsed.events, lineOf),
    eventsFrame(parsed.events, 'A', 'loki'),
    ...nodeGraphFrames(chains, 'A'),
    logsFrame(lines, 'A'),
  ];
  expect(valuesOf(frames)).toContain('raw line withheld: could not be checked for secrets');
  // The diff column is live: the leak cases' Secret writes are diffed (three diff cases, and the Secret `db` the
  // other cases write again and again), their keys shown only as changed.
  const diffs = frames[0].fields.find((f) => f.name === 'diff')?.values ?? [];
  expect(
    diffs.filter((d) => String(d).includes('data.password: changed (Secret value not shown)')).length
  ).toBeGreaterThanOrEqual(3);
  expect(leakedMarkers(valuesOf(frames))).toEqual([]);
});

it('annotation text escapes markup from logs (object names); X-Forwarded-For markup is no address at all', () => {
  const hostile = '<img src=x onerror=alert(1)><a href="https://evil.example">x</a>';
  const parsed = parseLines([
    {
      text: JSON.stringify(
        rancherAudit({
          requestURI: `/v3/projects/${encodeURIComponent(hostile)}`,
          method: 'PUT',
          requestHeader: { 'X-Forwarded-For': [hostile] },
        })
      ),
    },
  ]);
  const chains = buildChains(parsed.events, {});
  expect(chains).toHaveLength(1);
  const text = storyOf(chains[0]);
  expect(text).not.toMatch(/[<>"]/);
  expect(text).toContain('&#60;img');
});
