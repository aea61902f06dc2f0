import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import type { LinkSettings, RoutineClass } from '../core';

export type ProvenanceMode = 'chains' | 'events' | 'graph' | 'logs';

export interface ProvenanceQuery extends DataQuery {
  mode: ProvenanceMode;
  /** Object: resource / namespace / name; each may be empty. Template variables allowed. */
  resource?: string;
  namespace?: string;
  name?: string;
  /** Person or account (login name, user, initiator). */
  actor?: string;
  /** Verbs counted as changes (empty: every write verb). */
  verbs?: string[];
  /** Only these verdicts (empty: all). */
  verdicts?: string[];
  /** Free text the audit line must contain. */
  text?: string;
  /**
   * One search box (the app's pages): an object `resource/namespace/name`, an IP, or a person; read by
   * `searchQuery` after variables are replaced, and filling the fields above.
   */
  search?: string;
  /** Streams read to explain the changes (default all). */
  sources?: Array<'rancher-audit' | 'argocd' | 'fleet'>;
  /** Keep routine system traffic (leases, Events, status heartbeats…) that the data source leaves out by default. */
  keepRoutine?: boolean;
  /** Correlate live even when the data source reads recorded chains (setting "Recorded chains"). */
  live?: boolean;
}

export const DEFAULT_QUERY: Partial<ProvenanceQuery> = { mode: 'chains' };

/** `job=kube-audit, cluster=prod` per source: the labels that select each stream in Loki. */
export type SelectorText = Partial<Record<'kube-audit' | 'rancher-audit' | 'argocd' | 'fleet', string>>;

/** Settings of one Change Provenance data source: which Loki data source holds the audit streams, and how. */
export interface ProvenanceOptions extends DataSourceJsonData {
  lokiUid?: string;
  selectors?: SelectorText;
  /** Lines per Loki request (the Loki data source's own maximum applies). */
  pageLimit?: number;
  /** Correlation windows and look-backs, overriding core's documented defaults (values in ms). */
  /** Routine classes left out of every answer (default: every class; an empty list keeps everything). */
  excludeRoutine?: RoutineClass[];
  windows?: Partial<
    Record<'skewMs' | 'syncWindowMs' | 'rbacLookbackMs' | 'driftLookbackMs' | 'fleetLookbackMs', number>
  >;
  /** CIDR ranges of the ingress / load balancers whose X-Forwarded-For hop is trusted, comma-separated. */
  trustedProxies?: string;
  /** Link settings: Argo CD and Rancher web UIs (https), self-hosted Git hosts (host → kind) for commit links. */
  links?: LinkSettings;
  /**
   * Read the chains `provenance watch` recorded in Loki instead of correlating (Chains, Node graph, annotations,
   * variables), and correlate live only the part of the range not recorded yet.
   */
  recordedChains?: boolean;
  /** The `--cluster` the watcher recorded with (default: the `cluster` label of the kube-audit selector). */
  recordedCluster?: string;
}

/** The data source's trusted-proxy text as a list (blank entries dropped). */
export function trustedProxyList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
