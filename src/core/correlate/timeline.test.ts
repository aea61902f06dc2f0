import fc from 'fast-check';

import type { ChangeEvent } from '../model';
import { Timeline, TimelineMap } from './timeline';

const ev = (id: string, time: number | undefined) => ({ id, time }) as ChangeEvent;

/** What `between` must answer, computed the plain way: filter, then order by time and id. */
function naive(events: ChangeEvent[], from: number, to: number): string[] {
  return events
    .filter((e) => e.time !== undefined && e.time >= from && e.time <= to)
    .sort((a, b) => (a.time as number) - (b.time as number) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => e.id);
}

describe('Timeline', () => {
  // Catches: a wrong bound (< for ≤ at either end), a lost re-sort after an out-of-order add, ties not by id,
  // timeless events kept.
  it('answers every range as a filter and sort would, whatever the order events arrive in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            id: fc.stringMatching(/^[a-e]{1,3}$/),
            time: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
          }),
          {
            selector: (r) => r.id,
            maxLength: 30,
          }
        ),
        fc.array(fc.tuple(fc.integer({ min: -2, max: 22 }), fc.integer({ min: -2, max: 22 })), {
          minLength: 1,
          maxLength: 5,
        }),
        (records, ranges) => {
          const events = records.map((r) => ev(r.id, r.time));
          const t = new Timeline();
          events.forEach((e) => t.add(e));
          expect(t.size).toBe(events.filter((e) => e.time !== undefined).length);
          for (const [from, to] of ranges) {
            expect(t.between(from, to).map((e) => e.id)).toEqual(naive(events, from, to));
          }
        }
      )
    );
  });

  it('a range is inclusive at both ends; adding after a query keeps the order', () => {
    const t = new Timeline();
    [ev('b', 5), ev('a', 5), ev('c', 7)].forEach((e) => t.add(e));
    expect(t.between(5, 5).map((e) => e.id)).toEqual(['a', 'b']);
    expect(t.between(6, 7).map((e) => e.id)).toEqual(['c']);
    t.add(ev('d', 1));
    expect(t.between(0, 10).map((e) => e.id)).toEqual(['d', 'a', 'b', 'c']);
    expect(t.between(8, 3)).toEqual([]);
  });
});

describe('TimelineMap', () => {
  it('keeps one timeline per key and no key for an empty or missing one', () => {
    const m = new TimelineMap();
    m.add('x', ev('1', 1));
    m.add('y', ev('2', 2));
    m.add('', ev('3', 3));
    m.add(undefined, ev('4', 4));
    m.add('x', ev('5', 0));
    expect(m.between('x', 0, 10).map((e) => e.id)).toEqual(['5', '1']);
    expect(m.between('y', 0, 10).map((e) => e.id)).toEqual(['2']);
    expect(m.between('', 0, 10)).toEqual([]);
    expect(m.between(undefined, 0, 10)).toEqual([]);
    expect(m.between('z', 0, 10)).toEqual([]);
  });
});
