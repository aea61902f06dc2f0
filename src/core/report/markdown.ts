import type { ChainJson } from '../correlate/chainJson';
import { startedByText, targetName } from '../correlate/rule';
import { changeSummary, diffLine } from '../diff/describe';
import type { ChainRecord } from '../model';

/**
 * A report of chains for tickets and postmortems: the story, each link's evidence, times in UTC and a chosen zone,
 * the records behind each chain with their raw lines and Explore links. Every value comes from logs, so every value
 * is written as inert Markdown text: a ticket system that renders Markdown (and the HTML inside it) shows it as
 * typed, never as a link, an image or markup.
 */

export interface ReportChain {
  chain: ChainJson;
  /** The records behind the chain (core's `chainRecords`): raw lines already redacted and cut. */
  records: readonly ChainRecord[];
}

export interface ReportOptions {
  /** IANA zone shown next to UTC (the dashboard's zone); UTC only when unset or "utc". */
  timeZone?: string;
  /** Explore link for LogQL around a time, when a Grafana and its Loki data source are known. */
  exploreUrl?: (logql: string, time: number) => string;
  /** When the report was made (ms); written in its header. */
  generatedAt?: number;
  /** What was asked (the question or the query), written in the header as text. */
  question?: string;
}

/** ASCII punctuation CommonMark lets a backslash escape; with it escaped no value opens markup of any kind. */
const MARKDOWN_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/**
 * A log value as inline Markdown text: one line, every ASCII punctuation mark escaped — markup, HTML, table pipes,
 * and the `:`, `.`, `@` that GitHub-flavoured Markdown would otherwise turn into autolinks (`https://…`, `www.…`).
 */
export function markdownText(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

/** Inline code whose fence is longer than any run of backticks inside (CommonMark code spans). */
export function markdownCode(value: string): string {
  const text = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  const fence = '`'.repeat(longestRun(text, '`') + 1);
  return `${fence} ${text} ${fence}`;
}

/** A fenced block that no line of the content can close: the fence is longer than any backtick run in it. */
export function markdownBlock(value: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(value, '`') + 1));
  return `${fence}${info}\n${value.replace(/\r\n?/g, '\n')}\n${fence}`;
}

/** An unknown zone is a clear error, not a report with wrong times. */
export function checkTimeZone(timeZone: string | undefined): void {
  zoneFormatter(timeZone);
}

/** The formatter of a zone's local time, undefined for UTC; an unknown zone is an error. */
export function zoneFormatter(timeZone: string | undefined): Intl.DateTimeFormat | undefined {
  if (!timeZone || timeZone.toLowerCase() === 'utc') {
    return undefined;
  }
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
      hourCycle: 'h23',
    });
  } catch {
    throw new Error(`unknown time zone "${timeZone}" (an IANA name such as Europe/Berlin, or utc)`);
  }
}

function timeText(iso: string | null | undefined, zone: Intl.DateTimeFormat | undefined): string {
  if (!iso) {
    return 'time not recorded';
  }
  const utc = iso.replace('T', ' ').replace(/\.000Z$|Z$/, '') + ' UTC';
  return zone ? `${utc} (${zone.format(new Date(iso))})` : utc;
}

/** The object as the CLI table names it (core's `targetName`, qualified by API group). */
export function targetText(t: ChainJson['effect']['target']): string {
  const nullToUndefined = (v: string | null) => v ?? undefined;
  return targetName(
    {
      ...t,
      namespace: nullToUndefined(t.namespace),
      name: nullToUndefined(t.name),
      subresource: nullToUndefined(t.subresource),
    },
    true
  );
}

/** Who acted, from where, through what. */
export function whoText(c: ChainJson): string {
  const parts = [`${c.who.name} (${c.who.kind})`];
  if (c.who.ip) {
    parts.push(`from ${c.who.ip}${c.who.ipTrust ? ` (${c.who.ipTrust})` : ''}`);
  }
  if (c.who.via.length) {
    parts.push(`via ${c.who.via.join(' → ')}`);
  }
  return parts.join(' ');
}

/** The verdict and, for a GitOps change, the sync, its commit and who started it. */
export function whyText(c: ChainJson): string {
  const g = c.gitops;
  if (!g) {
    return `verdict ${c.verdict}`;
  }
  const started = startedByText({
    initiator: g.initiator ?? undefined,
    automation: g.automation ?? undefined,
    automated: g.automated ?? undefined,
  });
  const at = g.commit ? `commit ${g.commit}` : g.revision ? `revision ${g.revision}` : 'revision unknown';
  return `verdict ${c.verdict}; ${g.tool} ${g.operation} of ${g.app ?? '(unknown app)'} at ${at}, ${started}`;
}

function row(name: string, value: string): string {
  return `| ${name} | ${value} |`;
}

function chainSection(n: number, { chain: c, records }: ReportChain, opts: ReportOptions, zone?: Intl.DateTimeFormat) {
  const out: string[] = [];
  const what = `${c.effect.verb} ${targetText(c.effect.target)}`;
  out.push(`## ${n}. ${markdownText(`${c.who.name}: ${what}`)}`, '');
  out.push('| | |', '|---|---|');
  out.push(row('When', markdownText(timeText(c.effect.time, zone))));
  out.push(row('Who', markdownText(whoText(c))));
  out.push(row('What', markdownText(what)));
  out.push(row('Why', markdownText(whyText(c))));
  out.push(row('Recorded by', markdownText(`${c.effect.source}, as ${c.effect.actor.name} (${c.effect.actor.kind})`)));
  if (c.effect.userAgent) {
    out.push(row('User agent', markdownText(c.effect.userAgent)));
  }
  out.push(row('Chain id', markdownCode(c.id)));
  if (c.consequenceOf) {
    out.push(row('Consequence of', markdownCode(c.consequenceOf)));
  }
  if (c.consequences) {
    out.push(row('Consequences', String(c.consequences)));
  }
  out.push('');
  out.push('### How each link was found', '');
  if (c.links.length === 0) {
    out.push('No link: the record names who acted; nothing else was needed or found.', '');
  }
  c.links.forEach((l, i) => {
    out.push(`${i + 1}. **${markdownText(l.kind)}** (confidence ${l.confidence.toFixed(2)})`);
    for (const e of l.evidence) {
      out.push(`   - ${markdownText(e)}`);
    }
  });
  if (c.links.length) {
    out.push('');
  }
  if (c.context.length) {
    out.push('### Context', '');
    for (const x of c.context) {
      out.push(`- **${markdownText(x.kind)}**, ${markdownText(timeText(x.time, zone))}: ${markdownText(x.summary)}`);
      for (const e of x.evidence) {
        out.push(`  - ${markdownText(e)}`);
      }
    }
    out.push('');
  }
  out.push(...changeSection(c));
  out.push('### Evidence', '');
  if (records.length === 0) {
    out.push('The records behind this chain were not kept with it.', '');
  }
  records.forEach((r, i) => {
    const when = r.time === undefined ? null : new Date(r.time).toISOString();
    out.push(
      `${i + 1}. ${markdownText(`${r.role}: ${r.source}, ${timeText(when, zone)}, ${r.actor} ${r.verb} ${r.object}`)}`
    );
    const link = opts.exploreUrl && r.time !== undefined ? linkTarget(opts.exploreUrl(r.logql, r.time)) : undefined;
    out.push(`   - LogQL: ${markdownCode(r.logql)}${link ? ` ([open in Explore](<${link}>))` : ''}`);
    if (r.line !== undefined) {
      out.push('', indent(markdownBlock(r.line, 'json')), '');
    } else {
      out.push(`   - raw line not kept (${markdownText(r.raw.origin ?? 'no reference')})`);
    }
  });
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** What changed (chain.change) and the links to where its cause lives, when known; Secret values never. */
function changeSection(c: ChainJson): string[] {
  const links = [
    ['commit', c.gitops?.commitUrl],
    ['changes since the commit before', c.gitops?.compareUrl],
    ['the application in Argo CD', c.gitops?.appUrl],
    ['the user in Rancher', c.who.url],
  ]
    .map(([title, url]) => [title, url ? linkTarget(url) : undefined])
    .filter((x): x is [string, string] => x[1] !== undefined);
  if (!c.change && links.length === 0) {
    return [];
  }
  const out = ['### What changed', ''];
  if (c.change) {
    const reason = c.change.reason ? `; ${c.change.reason}` : '';
    out.push(markdownText(`${changeSummary(c.change)}${reason}`), '');
    out.push(...c.change.diff.map((d) => `- ${markdownCode(diffLine(d, 200))}`));
  }
  out.push(...links.map(([title, url]) => `- [${title}](<${url}>)`), '');
  return out;
}

/** Only links we made go into a report: http(s) or a path, never another scheme (`javascript:`). */
export function isOwnLink(url: string): boolean {
  return /^(https?:\/\/|\/)/i.test(url);
}

/** A link we made, as a Markdown destination: nothing that can end the `<…>` form. */
function linkTarget(url: string): string | undefined {
  if (!isOwnLink(url)) {
    return undefined;
  }
  return url.replace(/[<>\\\s]/g, (c) => encodeURIComponent(c));
}

function indent(block: string): string {
  return block
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n');
}

/** The whole report: a header, then one section per chain in the order given. */
export function chainsMarkdown(chains: readonly ReportChain[], opts: ReportOptions = {}): string {
  const zone = zoneFormatter(opts.timeZone);
  const head = ['# Change provenance report', ''];
  const facts = [`${chains.length} change${chains.length === 1 ? '' : 's'}`];
  if (opts.generatedAt !== undefined) {
    facts.unshift(`made ${timeText(new Date(opts.generatedAt).toISOString(), zone)}`);
  }
  head.push(markdownText(facts.join(', ')));
  if (opts.question) {
    head.push('', `Question: ${markdownCode(opts.question)}`);
  }
  return [head.join('\n'), ...chains.map((c, i) => chainSection(i + 1, c, opts, zone))].join('\n\n') + '\n';
}
