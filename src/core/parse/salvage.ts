import { isObj, type Obj } from './fields';

/**
 * A tolerant reader for a JSON object whose text was cut short (a shipper's buffer limit, a size limit): it
 * keeps every member whose value is complete, closes the objects and arrays open at the cut with the members
 * they had, and drops the scalar the cut went through (a cut number or string would be a wrong value).
 * Text that is malformed before the cut is not salvaged. Linear in the text; nesting is bounded.
 */

const MAX_DEPTH = 64;

class Malformed extends Error {}

/** An object or array open at the cut is kept only when something in it survived. */
function hasContent(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.keys(v).length > 0;
}

interface Piece {
  value: unknown;
  /** False when the text ended inside this value. */
  complete: boolean;
}

class PrefixReader {
  private i = 0;

  constructor(private readonly s: string) {}

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) {
        return;
      }
      this.i++;
    }
  }

  private get atEnd(): boolean {
    return this.i >= this.s.length;
  }

  value(depth: number): Piece {
    if (depth > MAX_DEPTH) {
      throw new Malformed('too deep');
    }
    this.ws();
    if (this.atEnd) {
      return { value: undefined, complete: false };
    }
    const c = this.s[this.i];
    if (c === '{') {
      return this.object(depth);
    }
    if (c === '[') {
      return this.array(depth);
    }
    if (c === '"') {
      return this.string();
    }
    return this.scalar();
  }

  private object(depth: number): Piece {
    this.i++;
    const out: Obj = {};
    for (;;) {
      this.ws();
      if (this.atEnd) {
        return { value: out, complete: false };
      }
      if (this.s[this.i] === '}') {
        this.i++;
        return { value: out, complete: true };
      }
      if (this.s[this.i] === ',' && Object.keys(out).length > 0) {
        this.i++;
        this.ws();
      }
      const key = this.string();
      if (!key.complete) {
        return { value: out, complete: false };
      }
      this.ws();
      if (this.atEnd) {
        return { value: out, complete: false };
      }
      if (this.s[this.i] !== ':') {
        throw new Malformed('expected a colon');
      }
      this.i++;
      const v = this.value(depth + 1);
      if (v.complete || hasContent(v.value)) {
        Object.defineProperty(out, key.value as string, { value: v.value, enumerable: true, writable: true });
      }
      if (!v.complete) {
        return { value: out, complete: false };
      }
    }
  }

  private array(depth: number): Piece {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.atEnd) {
        return { value: out, complete: false };
      }
      if (this.s[this.i] === ']') {
        this.i++;
        return { value: out, complete: true };
      }
      if (this.s[this.i] === ',' && out.length > 0) {
        this.i++;
      }
      const v = this.value(depth + 1);
      if (v.complete || hasContent(v.value)) {
        out.push(v.value);
      }
      if (!v.complete) {
        return { value: out, complete: false };
      }
    }
  }

  private string(): Piece {
    const s = this.s;
    if (s[this.i] !== '"') {
      throw new Malformed('expected a string');
    }
    const start = this.i;
    this.i++;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '\\') {
        this.i += 2;
        continue;
      }
      if (c === '"') {
        this.i++;
        return { value: JSON.parse(s.slice(start, this.i)) as string, complete: true };
      }
      this.i++;
    }
    this.i = s.length;
    return { value: undefined, complete: false };
  }

  private scalar(): Piece {
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.s.slice(this.i, this.i + 40));
    if (!m) {
      // A literal cut at the very end (`tru`, `-`) is incomplete, anything else is malformed.
      if (/^[-\dtruefalsn.eE+]*$/.test(this.s.slice(this.i)) && this.s.length - this.i < 40) {
        this.i = this.s.length;
        return { value: undefined, complete: false };
      }
      throw new Malformed('unexpected character');
    }
    this.i += m[0].length;
    // A number that runs to the end of the text may itself have been cut (`20` of `200`).
    if (this.atEnd && /\d$/.test(m[0])) {
      return { value: undefined, complete: false };
    }
    return { value: JSON.parse(m[0]) as unknown, complete: true };
  }
}

/**
 * The members of a cut JSON object that survived the cut, or undefined when the text is not a cut object
 * (malformed before the cut, or not an object).
 */
export function salvageCutObject(text: string): Obj | undefined {
  try {
    const piece = new PrefixReader(text).value(0);
    return !piece.complete && isObj(piece.value) ? piece.value : undefined;
  } catch (e) {
    if (e instanceof Malformed || e instanceof SyntaxError) {
      return undefined;
    }
    throw e;
  }
}

/**
 * A cut audit record is worth an event only when its prefix still names the request: its audit id, verb (or
 * method), request URI and the user (kube-apiserver and Rancher write these first, before objectRef and bodies).
 */
export function statesWhoAndWhat(o: Obj): boolean {
  const user = o.user;
  return (
    typeof o.auditID === 'string' &&
    (typeof o.verb === 'string' || typeof o.method === 'string') &&
    typeof o.requestURI === 'string' &&
    isObj(user) &&
    (typeof user.username === 'string' || typeof user.name === 'string')
  );
}
