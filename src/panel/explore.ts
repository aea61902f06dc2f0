import type { DataFrame } from '@grafana/data';
import { config } from '@grafana/runtime';

import { explorePanesUrl, type Chain, type ChainRecord, type RawRef } from '../core';

/** Explore on the Loki data source around `time`, under Grafana's sub-path (core's `explorePanesUrl`). */
export function exploreUrl(lokiUid: string, expr: string, time: number): string {
  return explorePanesUrl(lokiUid, expr, time, config.appSubUrl ?? '');
}

/** Where a raw line is: its file and line, or its Loki entry, and its stream labels. */
export function rawRefText(raw: RawRef): string {
  const where = raw.origin ?? (raw.ns ? `Loki entry ${raw.ns}` : 'no reference');
  const labels = Object.entries(raw.labels);
  return labels.length ? `${where} in {${labels.map(([k, v]) => `${k}="${v}"`).join(', ')}}` : where;
}

export interface ChainEvidence {
  /** The records behind the chain, effect first (empty when the frame carried none). */
  records: ChainRecord[];
  /** Explore link to the effect's raw lines, when the data source named its Loki data source. */
  effectUrl?: string;
  /** Explore link for any record, when the data source named its Loki data source. */
  urlOf?: (r: ChainRecord) => string;
}

/** What the data source put beside a chain in its frame: the records, the LogQL, and the Loki uid for Explore. */
export function evidenceOf(series: DataFrame[], chain: Chain): ChainEvidence {
  for (const f of series) {
    const i = ((f.fields.find((x) => x.name === 'chain')?.values ?? []) as unknown[]).indexOf(chain);
    if (i < 0) {
      continue;
    }
    const raw = f.fields.find((x) => x.name === 'raw query');
    const records = ((f.fields.find((x) => x.name === 'records')?.values ?? []) as unknown[])[i];
    const uid = raw?.config.links?.[0]?.internal?.datasourceUid;
    const at = (t: number | undefined) => t ?? chain.effect.time ?? Date.now();
    return {
      records: Array.isArray(records) ? (records as ChainRecord[]) : [],
      effectUrl: uid && raw ? exploreUrl(uid, (raw.values as string[])[i], at(chain.effect.time)) : undefined,
      urlOf: uid ? (r) => exploreUrl(uid, r.logql, at(r.time)) : undefined,
    };
  }
  return { records: [] };
}
