import type { ChangeEvent } from '../model';

/** Events of one key in time order, with range queries by binary search. Only events with a time are kept. */
export class Timeline {
  private readonly items: ChangeEvent[] = [];
  private sorted = true;

  add(e: ChangeEvent): void {
    if (e.time === undefined) {
      return;
    }
    const last = this.items[this.items.length - 1];
    if (last && compare(last, e) > 0) {
      this.sorted = false;
    }
    this.items.push(e);
  }

  private all(): ChangeEvent[] {
    if (!this.sorted) {
      this.items.sort(compare);
      this.sorted = true;
    }
    return this.items;
  }

  /** Events with from ≤ time ≤ to, oldest first. */
  between(from: number, to: number): ChangeEvent[] {
    const xs = this.all();
    const start = lowerBound(xs, from);
    let end = start;
    while (end < xs.length && (xs[end].time as number) <= to) {
      end++;
    }
    return xs.slice(start, end);
  }

  get size(): number {
    return this.items.length;
  }
}

function compare(a: ChangeEvent, b: ChangeEvent): number {
  const d = (a.time as number) - (b.time as number);
  return d !== 0 ? d : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function lowerBound(xs: ChangeEvent[], t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid].time as number) < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** A map of timelines, created on first use. */
export class TimelineMap {
  private readonly map = new Map<string, Timeline>();

  add(key: string | undefined, e: ChangeEvent): void {
    if (key === undefined || key === '') {
      return;
    }
    let t = this.map.get(key);
    if (!t) {
      t = new Timeline();
      this.map.set(key, t);
    }
    t.add(e);
  }

  between(key: string | undefined, from: number, to: number): ChangeEvent[] {
    return key === undefined ? [] : (this.map.get(key)?.between(from, to) ?? []);
  }
}
