import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode, Tree } from '@lezer/common';

/**
 * The LogQL subset the builder emits, evaluated the way Loki does: stream selector matchers (=, !=, =~, !~),
 * line filters (|=, !=, |~, !~), `| json` (nested keys joined by `_`, arrays skipped), `| regexp` (named groups), `| label_format` with
 * the templates in compileTemplate, label filters with string matchers (regexes anchored), and `count_over_time(… [range])` under `sum` / `sum by (…)`. Anything else is
 * refused with UnsupportedQuery, so a test cannot pass because a filter was ignored.
 */

export class UnsupportedQuery extends Error {}

type Matcher = { label: string; op: string; value: string; re?: RegExp };
type Stage =
  | { kind: 'line'; op: string; value: string; re?: RegExp }
  | { kind: 'json' }
  | { kind: 'regexp'; re: RegExp }
  | { kind: 'label'; m: Matcher }
  | { kind: 'format'; label: string; value: (labels: (name: string) => string) => string };

/**
 * The `| label_format` templates we evaluate: `{{ .a }}` and sprig's `{{ default <.b or "text"> .a }}` (the
 * second argument when it is not empty, else the first). Any other template is refused.
 */
function compileTemplate(template: string): (labels: (name: string) => string) => string {
  const plain = /^\{\{\s*\.(\w+)\s*\}\}$/.exec(template);
  if (plain) {
    return (labels) => labels(plain[1]);
  }
  const withDefault = /^\{\{\s*default\s+(?:\.(\w+)|"([^"\\]*)")\s+\.(\w+)\s*\}\}$/.exec(template);
  if (withDefault) {
    const [, fallbackLabel, fallbackText, label] = withDefault;
    return (labels) => labels(label) || (fallbackLabel ? labels(fallbackLabel) : fallbackText);
  }
  throw new UnsupportedQuery(`label_format template ${template}`);
}

export interface LogPlan {
  selector: Matcher[];
  stages: Stage[];
}

export interface MetricPlan {
  log: LogPlan;
  rangeMs: number;
  /** undefined: no aggregation; []: `sum`; labels: `sum by (…)`. */
  by?: string[];
}

export type Plan = { kind: 'log'; plan: LogPlan } | { kind: 'metric'; plan: MetricPlan };

function unquote(text: string): string {
  if (text.startsWith('`')) {
    return text.slice(1, -1);
  }
  return JSON.parse(text.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
}

function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) {
    out.push(c);
  }
  return out;
}

function find(n: SyntaxNode, name: string): SyntaxNode | null {
  if (n.type.name === name) {
    return n;
  }
  for (const c of children(n)) {
    const f = find(c, name);
    if (f) {
      return f;
    }
  }
  return null;
}

const OPS: Record<string, string> = { Eq: '=', Neq: '!=', Re: '=~', Nre: '!~' };

/** A literal leg (escapes allowed), with `.*` before and/or after it or none. */
const LEG = /^(\.\*)?((?:[^\\.+*?()|[\]{}^$]|\\[\\.+*?()|[\]{}^$])+)(\.\*)?$/;

/**
 * The regex Loki actually applies for the shapes we emit (see the matcher), or undefined when it keeps the
 * anchored regex. Legs with no parentheses only; a common prefix Go's parser would factor out is not modelled.
 */
function simplifiedLabelRegex(value: string): RegExp | undefined {
  if (value.includes('(')) {
    return undefined;
  }
  const legs = value.split(/(?<!\\)\|/);
  const parts: string[] = [];
  for (const leg of legs) {
    const m = LEG.exec(leg);
    if (!m) {
      return undefined;
    }
    const literal = m[2].replace(/\\(.)/g, '$1').replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
    parts.push(m[1] || m[3] ? literal : `^${literal}$`);
  }
  return new RegExp(parts.join('|'));
}

/** Error nodes in a lezer tree (lezer never throws; it marks what it cannot parse). */
function errorNodes(tree: Tree): number {
  let errors = 0;
  tree.iterate({ enter: (n) => void (n.type.isError && errors++) });
  return errors;
}

/** Parse errors of a query in @grafana/lezer-logql, the grammar Grafana's Loki editor uses. */
export function parseErrors(query: string): number {
  return errorNodes(parser.parse(query));
}

export function compile(query: string): Plan {
  const tree = parser.parse(query);
  if (errorNodes(tree) > 0) {
    throw new SyntaxError(`parse error in query: ${query}`);
  }
  const text = (n: SyntaxNode) => query.slice(n.from, n.to);

  const matcher = (m: SyntaxNode, inPipeline = false): Matcher => {
    const [id, op, str] = children(m);
    if (!id || id.type.name !== 'Identifier' || !op || !(op.type.name in OPS) || !str || str.type.name !== 'String') {
      throw new UnsupportedQuery(`matcher ${text(m)}`);
    }
    const value = unquote(text(str));
    const o = OPS[op.type.name];
    if (o !== '=~' && o !== '!~') {
      return { label: text(id), op: o, value };
    }
    // loki v3.5.0 pkg/logql/log/filter.go parseRegexpFilter: in a pipeline label filter, an alternation whose legs
    // are all literals (equality) or a literal with `.*` before and/or after it ("contains", anchors lost; loki
    // issue #14433) is simplified leg by leg; anything else stays an anchored regex. Stream selectors: anchored.
    const re = (inPipeline && simplifiedLabelRegex(value)) || new RegExp(`^(?:${value})$`);
    return { label: text(id), op: o, value, re };
  };

  const logPlan = (expr: SyntaxNode): LogPlan => {
    const selNode = find(expr, 'Selector');
    if (!selNode) {
      throw new UnsupportedQuery('no stream selector');
    }
    const selector: Matcher[] = [];
    selNode.cursor().iterate((c) => {
      if (c.type.name === 'Matcher') {
        selector.push(matcher(c.node));
        return false;
      }
      return undefined;
    });
    const stages: Stage[] = [];
    const walk = (n: SyntaxNode) => {
      for (const c of children(n)) {
        switch (c.type.name) {
          case 'PipelineExpr':
          case 'LineFilters':
            walk(c);
            break;
          case 'PipelineStage':
            walk(c);
            break;
          case 'LineFilter': {
            const [filter, str] = children(c);
            const op = text(filter).trim();
            if (!['|=', '!=', '|~', '!~'].includes(op) || !str || str.type.name !== 'String') {
              throw new UnsupportedQuery(`line filter ${text(c)}`);
            }
            const value = unquote(text(str));
            stages.push({ kind: 'line', op, value, re: op.endsWith('~') ? new RegExp(value) : undefined });
            break;
          }
          case 'LabelParser': {
            const str = find(c, 'String');
            if (text(c).trim() === 'json') {
              stages.push({ kind: 'json' });
            } else if (text(c).trim().startsWith('regexp') && str) {
              stages.push({ kind: 'regexp', re: regexpParser(unquote(text(str))) });
            } else {
              throw new UnsupportedQuery(`parser ${text(c)}`);
            }
            break;
          }
          case 'LabelFilter': {
            const m = children(c)[0];
            if (!m || m.type.name !== 'Matcher') {
              throw new UnsupportedQuery(`label filter ${text(c)}`);
            }
            stages.push({ kind: 'label', m: matcher(m, true) });
            break;
          }
          case 'LabelFormatExpr': {
            const formats = find(c, 'LabelsFormat');
            for (const f of formats ? children(formats) : []) {
              if (f.type.name !== 'LabelFormatMatcher') {
                continue;
              }
              const [name, , value] = children(f);
              if (!name || value?.type.name !== 'String') {
                throw new UnsupportedQuery(`label_format ${text(f)}`);
              }
              stages.push({ kind: 'format', label: text(name).trim(), value: compileTemplate(unquote(text(value))) });
            }
            break;
          }
          case 'Pipe':
          case 'Selector':
            break;
          default:
            throw new UnsupportedQuery(`pipeline stage ${c.type.name}: ${text(c)}`);
        }
      }
    };
    const pipeline = find(expr, 'PipelineExpr');
    if (pipeline) {
      walk(pipeline);
    }
    return { selector, stages };
  };

  const exprNode = find(tree.topNode, 'Expr');
  const top = exprNode?.firstChild;
  if (!top) {
    throw new UnsupportedQuery('empty query');
  }
  if (top.type.name === 'LogExpr') {
    return { kind: 'log', plan: logPlan(top) };
  }
  // MetricExpr: sum [by (…)] (count_over_time(<log> [range])) or a bare count_over_time.
  let by: string[] | undefined;
  let range: SyntaxNode | null = top;
  const agg = find(top, 'VectorAggregationExpr');
  if (agg) {
    const op = find(agg, 'VectorOp');
    if (!op || text(op) !== 'sum') {
      throw new UnsupportedQuery(`aggregation ${op ? text(op) : '?'}`);
    }
    const grouping = find(agg, 'Grouping');
    by = [];
    if (grouping) {
      if (text(grouping).trim().startsWith('without')) {
        throw new UnsupportedQuery('without');
      }
      grouping.cursor().iterate((c) => void (c.type.name === 'Identifier' && by?.push(text(c.node))));
    }
    range = find(agg, 'RangeAggregationExpr');
  } else {
    range = find(top, 'RangeAggregationExpr');
  }
  const rangeOp = range ? find(range, 'RangeOp') : null;
  if (!range || !rangeOp || text(rangeOp) !== 'count_over_time') {
    throw new UnsupportedQuery(`metric ${text(top)}`);
  }
  const dur = find(range, 'Duration');
  const m = dur ? /^(\d+)(ms|s|m|h|d)$/.exec(text(dur)) : null;
  if (!m) {
    throw new UnsupportedQuery('range');
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms'];
  const logRange = find(range, 'LogRangeExpr') as SyntaxNode;
  return { kind: 'metric', plan: { log: logPlan(logRange), rangeMs: Number(m[1]) * unit, by } };
}

export function matches(m: Matcher, value: string | undefined): boolean {
  const v = value ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return (m.re as RegExp).test(v);
    default:
      return !(m.re as RegExp).test(v);
  }
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Loki's `| regexp` parser as it is built (loki v3.5.0 pkg/logql/syntax/ast.go newLabelParserExpr, then
 * pkg/logql/log/parser.go NewRegexpParser): Go's regexp must compile it (a group name of word characters only),
 * it needs a named group, and each name must be a valid label name, once. RE2's `(?P<name>…)` is JavaScript's
 * `(?<name>…)`; other `(?` syntax RE2 and JavaScript read differently is refused as not implemented.
 */
function regexpParser(pattern: string): RegExp {
  const refuse = (why: string) => new SyntaxError(`parse error : invalid regexp parser: ${why}`);
  if (/\(\?(?!P?<|:)/.test(pattern)) {
    throw new UnsupportedQuery(`regexp syntax ${pattern}`);
  }
  const names = [...pattern.matchAll(/\(\?P?<([^>]*)>/g)].map((m) => m[1]);
  for (const n of names) {
    if (!/^\w+$/.test(n)) {
      throw refuse(`error parsing regexp: invalid named capture: \`(?P<${n}>\``);
    }
  }
  if (names.length === 0) {
    throw refuse('at least one named capture must be supplied');
  }
  for (const [i, n] of names.entries()) {
    if (!LABEL_NAME.test(n)) {
      throw refuse(`invalid extracted label name '${n}'`);
    }
    if (names.indexOf(n) !== i) {
      throw refuse(`duplicate extracted label name '${n}'`);
    }
  }
  // JavaScript refuses a repeated group name that Go accepts; the check above has already refused it.
  return new RegExp(pattern.replace(/\(\?P</g, '(?<'));
}

/** Loki's `| json`: nested object keys joined with `_`, invalid characters replaced, arrays skipped. */
export function flattenJson(line: string): Record<string, string> | undefined {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return undefined;
  }
  const out: Record<string, string> = {};
  const walk = (v: unknown, prefix: string) => {
    if (v === null || Array.isArray(v)) {
      return;
    }
    if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v as object)) {
        walk(x, prefix ? `${prefix}_${k.replace(/[^a-zA-Z0-9_]/g, '_')}` : k.replace(/[^a-zA-Z0-9_]/g, '_'));
      }
      return;
    }
    out[prefix] = String(v);
  };
  walk(o, '');
  return out;
}

/** Runs a log pipeline on one line; the parsed labels, or undefined when the line is filtered out. */
export function runPipeline(
  plan: LogPlan,
  line: string,
  labels: Record<string, string>
): Record<string, string> | undefined {
  let parsed: Record<string, string> = {};
  for (const s of plan.stages) {
    if (s.kind === 'line') {
      const hit = s.re ? s.re.test(line) : line.includes(s.value);
      if (hit !== (s.op === '|=' || s.op === '|~')) {
        return undefined;
      }
    } else if (s.kind === 'json') {
      const flat = flattenJson(line);
      if (flat === undefined) {
        // Loki keeps the line and adds __error__=JSONParserErr.
        parsed = { ...parsed, __error__: 'JSONParserErr' };
      } else {
        parsed = { ...parsed, ...flat };
      }
    } else if (s.kind === 'regexp') {
      // The leftmost match's named groups become labels; no match (or a group that took no part) adds none and
      // never an __error__ (RegexpParser.Process).
      const groups = s.re.exec(line)?.groups ?? {};
      for (const [k, v] of Object.entries(groups)) {
        if (v) {
          parsed = { ...parsed, [k]: v };
        }
      }
    } else if (s.kind === 'format') {
      parsed = { ...parsed, [s.label]: s.value((name) => parsed[name] ?? labels[name] ?? '') };
    } else if (!matches(s.m, parsed[s.m.label] ?? labels[s.m.label])) {
      return undefined;
    }
  }
  return parsed;
}
