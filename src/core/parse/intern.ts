/**
 * A bounded pool of repeated strings and string lists (user agents, authorization reasons, user names, groups,
 * resources). Audit logs repeat these on almost every line; keeping one copy per distinct value instead of one
 * per event cuts the memory of a million events by a third. Past `limit` distinct values new ones are not
 * pooled (high-cardinality fields must not grow the pool without bound).
 */
export class InternPool {
  private readonly strings = new Map<string, string>();
  private readonly lists = new Map<string, string[]>();
  private readonly list1 = new Map<string, string[]>();
  private readonly records = new Map<string, object[]>();

  constructor(private readonly limit = 50_000) {}

  str<T extends string | undefined>(s: T): T {
    // V8's JSON.parse already shares strings of up to 10 characters: a lookup would only cost time.
    if (s === undefined || s.length <= 10) {
      return s;
    }
    const hit = this.strings.get(s);
    if (hit !== undefined) {
      return hit as T;
    }
    if (this.strings.size < this.limit) {
      this.strings.set(s, s);
    }
    return s;
  }

  /**
   * One shared, frozen copy of equal small records (an outcome, an actor), found among the variants filed
   * under `key` (an interned string, so the lookup does not re-hash) by `same`.
   */
  record<T extends object>(key: string, value: T, same: (a: T, b: T) => boolean): T {
    const variants = this.records.get(key) as T[] | undefined;
    if (variants) {
      for (const v of variants) {
        if (same(v, value)) {
          return v;
        }
      }
      if (variants.length < 16) {
        variants.push(Object.freeze(value));
      }
      return value;
    }
    if (this.records.size < this.limit) {
      this.records.set(key, [Object.freeze(value)]);
    }
    return value;
  }

  /** The shared one-element list `[s]`. */
  one(s: string): string[] {
    return this.list1.get(s) ?? this.remember1(s);
  }

  private remember1(s: string): string[] {
    const xs = [s];
    if (this.list1.size < this.limit) {
      this.list1.set(s, xs);
    }
    return xs;
  }

  /** One shared array per distinct list; callers must not mutate the result. */
  list(xs: string[]): string[] {
    if (xs.length === 0) {
      return EMPTY;
    }
    const key = xs.length === 1 ? xs[0] : xs.join('\u0000');
    const hit = this.lists.get(key);
    if (hit !== undefined) {
      return hit;
    }
    if (this.lists.size < this.limit) {
      this.lists.set(key, xs);
    }
    return xs;
  }
}

const EMPTY: string[] = Object.freeze([]) as unknown as string[];
