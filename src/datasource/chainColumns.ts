import { changeSummary, diffLine, objectName, rawQueryOf, type Chain, type StreamSelectors } from '../core';

/**
 * The chains frame's columns as plain arrays, computed where the chains are (the trace worker): nothing here
 * imports Grafana, so the worker bundle stays free of what only the page's SystemJS provides. frames.ts wraps
 * them in a DataFrame on the main thread.
 */

/**
 * Markup as text: Grafana renders annotation text as (sanitised) HTML — `AnnotationTooltipBody` in
 * public/app/plugins/panel/timeseries/plugins/annotations2 sets it with `dangerouslySetInnerHTML` after
 * `textUtil.sanitize`, which keeps `<a href>` and `<img src>` — and every part of the story comes from logs.
 */
export function escapeMarkup(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One sentence a person reads, also used as the annotation text (so markup in it is escaped). */
export function storyOf(c: Chain): string {
  return escapeMarkup(plainStoryOf(c));
}

function plainStoryOf(c: Chain): string {
  const g = c.gitops;
  const how = g
    ? ` during ${g.tool} ${g.operation} of ${g.app ?? '?'}${g.commit ? ` at ${g.commit.slice(0, 12)}` : ''}`
    : '';
  const from = c.who.ip ? ` from ${c.who.ip}` : '';
  return `${c.who.name}${from}: ${c.effect.verb} ${objectName(c.effect)}${how}`;
}

const DIFF_LINES_IN_COLUMN = 3;

/** The diff in one cell: the first few changed fields, then how many more and where the diff came from. */
export function diffColumnText(c: Chain): string {
  const ch = c.change;
  if (!ch) {
    return '';
  }
  const shown = ch.diff.slice(0, DIFF_LINES_IN_COLUMN).map((d) => diffLine(d, 40));
  const more = ch.diff.length - shown.length;
  return [...shown, ...(more > 0 ? [`+${more} more`] : []), `(${changeSummary(ch)})`].join('; ');
}

export interface ChainColumns {
  time: Array<number | null>;
  verdict: string[];
  who: string[];
  ip: string[];
  ipTrust: string[];
  verb: string[];
  object: string[];
  app: string[];
  commit: string[];
  initiator: string[];
  automation: string[];
  text: string[];
  diff: string[];
  commitUrl: string[];
  compareUrl: string[];
  appUrl: string[];
  userUrl: string[];
  evidence: string[];
  rawQuery: string[];
}

export function chainColumns(chains: readonly Chain[], selectors: StreamSelectors): ChainColumns {
  return {
    time: chains.map((c) => c.effect.time ?? null),
    verdict: chains.map((c) => c.verdict),
    who: chains.map((c) => c.who.name),
    ip: chains.map((c) => c.who.ip ?? ''),
    ipTrust: chains.map((c) => c.who.ipTrust ?? ''),
    verb: chains.map((c) => c.effect.verb),
    object: chains.map((c) => objectName(c.effect)),
    app: chains.map((c) => c.gitops?.app ?? ''),
    commit: chains.map((c) => c.gitops?.commit ?? ''),
    initiator: chains.map((c) => c.gitops?.initiator ?? ''),
    automation: chains.map((c) => c.gitops?.automation ?? ''),
    text: chains.map(storyOf),
    diff: chains.map(diffColumnText),
    commitUrl: chains.map((c) => c.gitops?.commitUrl ?? ''),
    compareUrl: chains.map((c) => c.gitops?.compareUrl ?? ''),
    appUrl: chains.map((c) => c.gitops?.appUrl ?? ''),
    userUrl: chains.map((c) => c.who.url ?? ''),
    evidence: chains.map((c) =>
      c.links.map((l) => `${l.kind} ${l.confidence.toFixed(2)}: ${l.evidence[0] ?? ''}`).join('\n')
    ),
    rawQuery: chains.map((c) => rawQueryOf(c.effect, selectors)),
  };
}

/**
 * The rows of `columns` where `keep` is true (a verdict filter), else all of them: new arrays either way, so frames
 * of one shared trace never share values a panel could change.
 */
export function filterColumns(columns: ChainColumns, keep?: readonly boolean[]): ChainColumns {
  const out = {} as Record<keyof ChainColumns, unknown[]>;
  for (const [name, values] of Object.entries(columns) as Array<[keyof ChainColumns, unknown[]]>) {
    out[name] = keep ? values.filter((_, i) => keep[i]) : values.slice();
  }
  return out as unknown as ChainColumns;
}

/** Appends one part's columns to `into` (the main thread gathering the worker's parts). */
export function appendColumns(into: ChainColumns, part: ChainColumns): void {
  for (const [name, values] of Object.entries(part) as Array<[keyof ChainColumns, unknown[]]>) {
    const target = into[name] as unknown[];
    for (const v of values) {
      target.push(v);
    }
  }
}

export function emptyColumns(): ChainColumns {
  return chainColumns([], {});
}
