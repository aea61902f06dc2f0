import type { ChainJson } from '../correlate/chainJson';
import {
  isOwnLink,
  targetText,
  whoText,
  whyText,
  zoneFormatter,
  type ReportChain,
  type ReportOptions,
} from './markdown';

/**
 * The report as JSON ("Download JSON"): the chains exactly as `provenance trace --format json` gives them (the
 * contract tools read), and beside them what the Markdown report says of each — the story in words, times in UTC
 * and the chosen zone, each record's raw line and Explore link. Values stay as the logs have them (a JSON reader
 * shows text); links are only ours (http(s) or a path).
 */

const ownLink = (url: string): string | null => (isOwnLink(url) ? url : null);

export interface TimeJson {
  utc: string | null;
  /** The same instant in the report's zone; null in a UTC report. */
  zone: string | null;
}

export interface StoryJson {
  id: string;
  when: TimeJson;
  who: string;
  what: string;
  why: string;
  evidence: Array<{
    role: string;
    source: string;
    time: TimeJson;
    actor: string;
    verb: string;
    object: string;
    logql: string;
    explore: string | null;
    /** The raw line (Secret data redacted, cut), or null with `lineNotKept` saying why. */
    line: string | null;
    lineNotKept: string | null;
  }>;
}

export interface ReportJson {
  report: { generatedAt: string | null; timeZone: string; question: string | null; changes: number };
  chains: ChainJson[];
  /** One per chain, in the same order. */
  stories: StoryJson[];
}

function timeJson(iso: string | null, zone: Intl.DateTimeFormat | undefined): TimeJson {
  return { utc: iso, zone: iso && zone ? zone.format(new Date(iso)) : null };
}

export function chainsReportJson(chains: readonly ReportChain[], opts: ReportOptions = {}): ReportJson {
  const zone = zoneFormatter(opts.timeZone);
  return {
    report: {
      generatedAt: opts.generatedAt === undefined ? null : new Date(opts.generatedAt).toISOString(),
      timeZone: zone ? (opts.timeZone as string) : 'utc',
      question: opts.question ?? null,
      changes: chains.length,
    },
    chains: chains.map((c) => c.chain),
    stories: chains.map(({ chain: c, records }) => ({
      id: c.id,
      when: timeJson(c.effect.time, zone),
      who: whoText(c),
      what: `${c.effect.verb} ${targetText(c.effect.target)}`,
      why: whyText(c),
      evidence: records.map((r) => {
        const iso = r.time === undefined ? null : new Date(r.time).toISOString();
        const explore = opts.exploreUrl && r.time !== undefined ? ownLink(opts.exploreUrl(r.logql, r.time)) : null;
        return {
          role: r.role,
          source: r.source,
          time: timeJson(iso, zone),
          actor: r.actor,
          verb: r.verb,
          object: r.object,
          logql: r.logql,
          explore,
          line: r.line ?? null,
          lineNotKept: r.line === undefined ? (r.raw.origin ?? 'no reference') : null,
        };
      }),
    })),
  };
}
