/**
 * LogQL literals. Every user value that reaches a query goes through one of these: a Go-style double-quoted
 * string (LogQL parses strings with Go's strconv.Unquote), with regex metacharacters escaped first when the
 * value is matched literally under `=~` / `|~` (RE2 syntax).
 *
 * Grafana re-interpolates the finished query (the Loki data source's `applyTemplateVariables` runs
 * `templateSrv.replace` over the whole expression; template_srv.ts expands `$name`, `${name…}` and `[[name]]`), so a
 * `$` before a word character or `{`, and a `[` starting `[[name`, are written as the Go escapes `\x24` and `\x5b`:
 * the query Loki reads is the same, the text Grafana scans holds no variable (a regex's `$` anchor stays readable).
 */

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

// What Grafana's template service reads as a variable: `$name`, `${…}`, `[[name…]]` (variable names are word characters).
const VARIABLE_AHEAD = /^[\w{]/;
const DOUBLE_BRACKET_AHEAD = /^\[\w/;

export function quote(value: string): string {
  let out = '"';
  let i = 0;
  for (const ch of value) {
    const c = ch.codePointAt(0) as number;
    i += ch.length;
    if (
      (ch === '$' && VARIABLE_AHEAD.test(value.slice(i, i + 1))) ||
      (ch === '[' && DOUBLE_BRACKET_AHEAD.test(value.slice(i, i + 2)))
    ) {
      out += ch === '$' ? '\\x24' : '\\x5b';
      continue;
    }
    if (ch === '\\' || ch === '"') {
      out += '\\' + ch;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (c < 0x20 || c === 0x7f) {
      out += '\\x' + c.toString(16).padStart(2, '0');
    } else {
      out += ch;
    }
  }
  return out + '"';
}

/** A value matched literally inside a regular expression. */
export function regexLiteral(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** An alternation that matches exactly one of `values` (each taken literally). */
export function regexAnyOf(values: readonly string[]): string {
  return values.map(regexLiteral).join('|');
}

export function assertLabelName(name: string): string {
  if (!LABEL_NAME.test(name)) {
    throw new Error(`not a valid Loki label name: ${JSON.stringify(name)}`);
  }
  return name;
}
