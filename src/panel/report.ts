import type { DataFrame } from '@grafana/data';
import { config } from '@grafana/runtime';

import {
  chainsMarkdown,
  chainsReportJson,
  chainToJson,
  explorePanesUrl,
  type Chain,
  type ReportChain,
  type ReportJson,
  type ReportOptions,
} from '../core';
import { evidenceOf } from './explore';

/**
 * The report of chains a person hands on — a ticket, a postmortem: core's Markdown report (story, each link's
 * evidence, times in UTC and the dashboard's zone, the raw lines with Explore links) and the trace JSON contract.
 */

/** Grafana's own address for links that leave Grafana (a ticket): its root URL, else this page's origin. */
function grafanaBase(): string {
  const root = config.appUrl?.replace(/\/+$/, '');
  return root && /^https?:\/\//i.test(root) ? root : `${window.location.origin}${config.appSubUrl ?? ''}`;
}

/** The dashboard's zone as an IANA name: "browser" and the default are this browser's zone. */
export function reportZone(timeZone: string | undefined): string {
  if (!timeZone || timeZone === 'browser' || timeZone === 'default') {
    return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'utc';
  }
  return timeZone;
}

export interface ReportRequest {
  /** The frames the chains came in (their records and the Loki data source the Explore links open). */
  series: DataFrame[];
  chains: readonly Chain[];
  timeZone?: string;
  /** What was asked, written in the report's header. */
  question?: string;
}

/** The chains with their records, and how the report writes times and links, from the frames they came in. */
function reportInput({ series, chains, timeZone, question }: ReportRequest): [ReportChain[], ReportOptions] {
  const lokiUid = lokiUidOf(series);
  const base = grafanaBase();
  let zone = reportZone(timeZone);
  try {
    Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    // A zone this browser does not know: the report is still whole, in UTC.
    zone = 'utc';
  }
  return [
    chains.map((c) => ({ chain: chainToJson(c), records: evidenceOf(series, c).records })),
    {
      timeZone: zone,
      generatedAt: Date.now(),
      question,
      exploreUrl: lokiUid ? (logql, time) => explorePanesUrl(lokiUid, logql, time, base) : undefined,
    },
  ];
}

export function reportMarkdown(request: ReportRequest): string {
  return chainsMarkdown(...reportInput(request));
}

/**
 * "Download JSON": `provenance trace --format json`'s contract (README "JSON contract") for the chains, and beside
 * them each one's story, times in UTC and the zone, raw lines and Explore links (core's `chainsReportJson`).
 */
export function reportJson(request: ReportRequest): ReportJson {
  return chainsReportJson(...reportInput(request));
}

function lokiUidOf(series: DataFrame[]): string | undefined {
  for (const f of series) {
    const uid = f.fields.find((x) => x.name === 'raw query')?.config.links?.[0]?.internal?.datasourceUid;
    if (uid) {
      return uid;
    }
  }
  return undefined;
}

/** A file name for the download: the time, and the object when there is one chain. */
export function reportFileName(chains: readonly Chain[], now = Date.now()): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const one = chains.length === 1 ? chains[0].effect.target.name : undefined;
  const what = one ? one.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) : `${chains.length}-changes`;
  return `provenance-${what}-${stamp}.json`;
}
