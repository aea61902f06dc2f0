import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';

import { DEFAULT_SELECTORS, type StreamSelectors } from '../core';

import type { SelectorText } from './types';

/** A selector setting read: its labels, or why it cannot be used. */
export type SelectorReading = { labels: Record<string, string> } | { error: string };

const OP_NAMES: Record<string, string> = { Neq: '!=', Re: '=~', Nre: '!~' };

/** A LogQL string literal: "double quoted" with Go escapes, or `raw`. */
function unquote(s: string): string | undefined {
  if (s.startsWith('`')) {
    return s.slice(1, -1);
  }
  try {
    return JSON.parse(s) as string;
  } catch {
    return undefined;
  }
}

/**
 * A stream selector as written in Loki — `{job="kube-audit", cluster="prod"}`, or without the braces — parsed
 * with @grafana/lezer-logql, Grafana's own LogQL grammar; the short `job=kube-audit, cluster=prod` form is read
 * too. The queries are built with equality matchers (core's renderSelector), so other operators are refused.
 */
export function readSelector(text: string): SelectorReading {
  const trimmed = text.trim();
  // The short form this setting has always taken: name=value pairs, values optionally quoted.
  const short = trimmed
    .split(',')
    .map((p) => /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"?([^"]*)"?$/.exec(p.trim()) ?? p.trim());
  const pairs = short.filter((p) => p !== '');
  if (pairs.length > 0 && pairs.every((p) => typeof p !== 'string' && !/[{}`]/.test(p[2]))) {
    return { labels: Object.fromEntries((pairs as RegExpExecArray[]).map((m) => [m[1], m[2]])) };
  }
  const query = trimmed.startsWith('{') ? trimmed : `{${trimmed.replace(/,\s*$/, '')}}`;
  const tree = parser.parse(query);
  let broken = false;
  let pipeline = false;
  const matchers: SyntaxNode[] = [];
  tree.iterate({
    enter: (n) => {
      broken ||= n.type.isError;
      pipeline ||= n.name === 'PipelineExpr' || n.name === 'MetricExpr';
      if (n.name === 'Matcher') {
        matchers.push(n.node);
      }
    },
  });
  if (broken) {
    return { error: 'Not a stream selector: write {job="kube-audit"} or job=kube-audit, cluster=prod' };
  }
  if (pipeline) {
    return { error: 'Only the stream selector, without line filters or a pipeline' };
  }
  const labels: Record<string, string> = {};
  for (const m of matchers) {
    const [id, op, str] = [m.firstChild, m.firstChild?.nextSibling, m.lastChild];
    const name = id ? query.slice(id.from, id.to) : '';
    if (op && op.name !== 'Eq') {
      return {
        error: `${name}${OP_NAMES[op.name] ?? query.slice(op.from, op.to)}…: only label="value" matchers can be used`,
      };
    }
    const value = str ? unquote(query.slice(str.from, str.to)) : undefined;
    if (!name || value === undefined) {
      return { error: `Cannot read the matcher ${query.slice(m.from, m.to)}` };
    }
    labels[name] = value;
  }
  return matchers.length > 0 ? { labels } : { error: 'A stream selector needs at least one label' };
}

/** The labels of a selector setting; undefined when it cannot be used. */
export function parseSelectorText(text: string): Record<string, string> | undefined {
  const r = readSelector(text);
  return 'labels' in r ? r.labels : undefined;
}

export function selectorText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** The configured selectors, each falling back to the default when empty or invalid. */
export function streamSelectors(text: SelectorText = {}): StreamSelectors {
  const out: StreamSelectors = {};
  for (const source of Object.keys(DEFAULT_SELECTORS) as Array<keyof typeof DEFAULT_SELECTORS>) {
    out[source] = (text[source] && parseSelectorText(text[source] as string)) || DEFAULT_SELECTORS[source];
  }
  return out;
}
