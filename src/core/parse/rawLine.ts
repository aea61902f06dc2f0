import { TEXT_ENVELOPES, unwrapObject } from './envelope';
import { isObj } from './fields';
import { credentialWordAt, redactRecord, REDACTED, scrubText, WITHHELD, type Override } from './redact';
import { OBJECT_PARSERS, TEXT_PARSERS } from './registry';

/**
 * A raw line made safe to show, failing closed: every envelope we read is opened (CRI, viewer prefixes, Docker
 * json-file, logcli, Loki responses and pushes, AKS), the record inside is redacted as a whole, and the envelope
 * is put back around it. A line that cannot be read well enough to redact — cut JSON, a CRI partial line, an
 * unknown text or JSON format, binary bytes, an envelope whose inner record is not a value of it — is withheld.
 */

const MAX_ENVELOPE_DEPTH = 4;
// NUL, or U+FFFD from a failed UTF-8 decode: the line held binary bytes.
const BINARY = /[\u0000\ufffd]/;

export function redactRawLine(text: string): string {
  return redactLine(text, 0) ?? WITHHELD;
}

/**
 * A notice, warning or error message made safe to show, failing closed. What it quotes from the first `{` on (a
 * Loki error body, a line, a record) is shown only as the raw-line redactor returns it — withheld when it cannot
 * be read whole. Its words are scrubbed free text; words that name a credential (`db password is …`) are cut
 * from the quote (the last `: `) before them, since free text has no rule for where the value ends.
 */
export function redactNotice(text: string): string {
  const brace = text.indexOf('{');
  const words = scrubText(brace === -1 ? text : text.slice(0, brace));
  const named = credentialWordAt(words);
  if (named !== -1) {
    const quote = words.lastIndexOf(': ', named);
    return `${quote === -1 ? '' : words.slice(0, quote + 2)}${REDACTED}`;
  }
  return brace === -1 ? words : words + redactRawLine(text.slice(brace));
}

/** True when the redactor could not check the line (the text shown instead is `WITHHELD`). */
export function isWithheld(shown: string): boolean {
  return shown === WITHHELD;
}

function redactLine(text: string, depth: number): string | undefined {
  if (depth > MAX_ENVELOPE_DEPTH) {
    return undefined;
  }
  const trimmed = text.trim();
  if (trimmed === '') {
    return text;
  }
  if (BINARY.test(text)) {
    return undefined;
  }
  if (trimmed.startsWith('{')) {
    let o: unknown;
    try {
      o = JSON.parse(trimmed);
    } catch {
      return undefined;
    }
    return isObj(o) ? redactObjectLine(o, text, depth) : undefined;
  }
  if (TEXT_PARSERS.some((p) => p.detect(trimmed))) {
    return scrubText(text);
  }
  for (const env of TEXT_ENVELOPES) {
    const opened = env.open(text);
    if (opened) {
      if (opened.partial) {
        return undefined;
      }
      const inner = redactLine(opened.inner, depth + 1);
      return inner === undefined ? undefined : inner === opened.inner ? text : opened.rewrap(inner);
    }
  }
  return undefined;
}

function redactObjectLine(o: Record<string, unknown>, text: string, depth: number): string | undefined {
  const env = depth < MAX_ENVELOPE_DEPTH ? unwrapObject(o) : undefined;
  let result: { value: unknown; changed: boolean };
  if (env && env.inner.length > 0) {
    const byObject = new Map<unknown, unknown>();
    const byText = new Map<string, string>();
    for (const inner of env.inner) {
      if (inner.object) {
        byObject.set(inner.object, redactRecord(inner.object).value);
      } else {
        const r = redactLine(inner.text ?? '', depth + 1);
        if (r === undefined) {
          return undefined;
        }
        byText.set(inner.text ?? '', r);
      }
    }
    const used = new Set<unknown>();
    const override: Override = (v) => {
      if (typeof v === 'string') {
        // Docker's `log` ends in the newline the inner record does not have.
        const bare = v.replace(/\r?\n$/, '');
        const r = byText.get(bare);
        if (r !== undefined) {
          used.add(bare);
          return { value: r + v.slice(bare.length) };
        }
        return undefined;
      }
      if (byObject.has(v)) {
        used.add(v);
        return { value: byObject.get(v) };
      }
      return undefined;
    };
    result = redactRecord(o, override);
    if (used.size < byText.size + byObject.size) {
      // An inner record we could not find again inside its envelope: we cannot show the envelope safely.
      return undefined;
    }
  } else if (OBJECT_PARSERS.some((p) => p.detect(o))) {
    result = redactRecord(o);
  } else {
    // JSON of no format we read: we do not know where its secrets would be.
    return undefined;
  }
  return result.changed ? JSON.stringify(result.value) : text;
}
