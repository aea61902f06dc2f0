import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

export type ProvenanceMode = 'chains' | 'events' | 'graph' | 'logs';

export interface ProvenanceQuery extends DataQuery {
  mode: ProvenanceMode;
}

export const DEFAULT_QUERY: Partial<ProvenanceQuery> = { mode: 'chains' };

/** Settings of one Change Provenance data source: which Loki data source holds the audit streams. */
export interface ProvenanceOptions extends DataSourceJsonData {
  lokiUid?: string;
}
