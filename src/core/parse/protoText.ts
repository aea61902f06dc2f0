import type { Obj } from './fields';

/**
 * The top-level scalar fields of a protobuf message in compact text form, as gogo/protobuf's `String()` prints
 * it: `name:"guestbook" revision:"HEAD" dryRun:true id:3 strategy:<apply:<> >`. Strings are Go-quoted (octal
 * and `\n`/`\"` escapes); nested messages are skipped. Bounded: one pass over at most `MAX` characters.
 */

const MAX = 16 * 1024;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\' };

export function parseProtoText(text: string): Obj {
  const s = text.length > MAX ? text.slice(0, MAX) : text;
  const out: Obj = {};
  let i = 0;
  const ident = /[A-Za-z_][\w.]*/y;
  while (i < s.length) {
    while (s[i] === ' ' || s[i] === '\n') {
      i++;
    }
    ident.lastIndex = i;
    const key = ident.exec(s);
    if (!key) {
      break;
    }
    i = ident.lastIndex;
    if (s[i] === ':') {
      i++;
    }
    while (s[i] === ' ') {
      i++;
    }
    const c = s[i];
    if (c === '"' || c === "'") {
      let v = '';
      i++;
      while (i < s.length && s[i] !== c) {
        if (s[i] === '\\' && i + 1 < s.length) {
          const e = s[i + 1];
          const oct = /^[0-7]{3}/.exec(s.slice(i + 1, i + 4));
          if (oct) {
            v += String.fromCharCode(parseInt(oct[0], 8));
            i += 4;
            continue;
          }
          v += ESCAPES[e] ?? e;
          i += 2;
          continue;
        }
        v += s[i++];
      }
      i++;
      setField(out, key[0], v);
    } else if (c === '<' || c === '{') {
      // A nested message: skip to its matching close.
      let depth = 0;
      do {
        if (s[i] === '<' || s[i] === '{') {
          depth++;
        } else if (s[i] === '>' || s[i] === '}') {
          depth--;
        } else if (s[i] === '"') {
          i = skipQuoted(s, i);
        }
        i++;
      } while (i < s.length && depth > 0);
    } else {
      const start = i;
      while (i < s.length && s[i] !== ' ' && s[i] !== '\n') {
        i++;
      }
      const raw = s.slice(start, i);
      // Integers stay text, as jsonpb writes int64: the reader converts what it needs.
      setField(out, key[0], raw === 'true' ? true : raw === 'false' ? false : raw);
    }
  }
  return out;
}

/** Index of the closing quote of the string starting at `i`. */
function skipQuoted(s: string, i: number): number {
  let j = i + 1;
  while (j < s.length && s[j] !== '"') {
    j += s[j] === '\\' ? 2 : 1;
  }
  return j;
}

/** Repeated fields keep their first value; keys never reach the prototype. */
function setField(out: Obj, key: string, value: unknown): void {
  if (!Object.prototype.hasOwnProperty.call(out, key)) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true });
  }
}
