/**
 * logfmt as logrus' TextFormatter and Alloy's event source write it: `key=value` pairs, values quoted with Go
 * `%q` rules when they hold spaces or specials. Returns undefined for text that is not logfmt, and never throws.
 */

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  '\\': '\\',
  '/': '/',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

function readQuoted(s: string, start: number): { value: string; end: number } | undefined {
  let out = '';
  let i = start + 1;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      return { value: out, end: i + 1 };
    }
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = s[i + 1];
    if (e === 'u' || e === 'x' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = s.slice(i + 2, i + 2 + len);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === len ? parseInt(hex, 16) : NaN;
      out += Number.isNaN(code) || code > 0x10ffff ? '\ufffd' : String.fromCodePoint(code);
      i += 2 + len;
    } else if (e !== undefined && ESCAPES[e] !== undefined) {
      out += ESCAPES[e];
      i += 2;
    } else {
      out += e ?? '';
      i += 2;
    }
  }
  return undefined;
}

export function parseLogfmt(s: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let i = 0;
  let pairs = 0;
  while (i < s.length) {
    while (s[i] === ' ' || s[i] === '\t') {
      i++;
    }
    if (i >= s.length) {
      break;
    }
    const eq = s.indexOf('=', i);
    const sp = s.indexOf(' ', i);
    if (eq === -1 || (sp !== -1 && sp < eq)) {
      // A bare word: tolerated only after at least one pair (logrus never writes them; prefixes are stripped earlier).
      if (pairs === 0) {
        return undefined;
      }
      i = sp === -1 ? s.length : sp + 1;
      continue;
    }
    const key = s.slice(i, eq);
    if (!/^[\w.\-/@]+$/.test(key)) {
      return undefined;
    }
    i = eq + 1;
    if (s[i] === '"') {
      const q = readQuoted(s, i);
      if (!q) {
        return undefined;
      }
      out[key] = q.value;
      i = q.end;
    } else {
      const end = s.indexOf(' ', i);
      out[key] = s.slice(i, end === -1 ? s.length : end);
      i = end === -1 ? s.length : end;
    }
    pairs++;
  }
  return pairs > 0 ? out : undefined;
}
