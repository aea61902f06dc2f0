import { DEFAULT_SELECTORS, type StreamSelectors } from '../core';

import type { SelectorText } from './types';

/** `job=kube-audit, cluster=prod` → label map; undefined when the text is not `name=value` pairs. */
export function parseSelectorText(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"?([^"]*)"?$/.exec(part);
    if (!m) {
      return undefined;
    }
    out[m[1]] = m[2];
  }
  return Object.keys(out).length > 0 ? out : undefined;
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
