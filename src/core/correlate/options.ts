import type { LinkSettings } from './change';

/**
 * Windows and look-backs of the time-based link rules. Every time-window link states the delta it accepted,
 * so a person can judge it; these defaults are documented in the README ("Correlation windows").
 */
export interface CorrelateOptions {
  /** Clock skew tolerated between two sources' timestamps (Rancher logs whole seconds). */
  skewMs: number;
  /** How long after a sync/rollback starts its writes may still arrive when no result line closes it. */
  syncWindowMs: number;
  /** How long after a sync result line late writes still belong to that sync. */
  syncSlackMs: number;
  /** Argo CD API-call log ⇄ the audit event of the same operation. */
  apiCallWindowMs: number;
  /** A write of an Application's `operation` field (kubectl-started sync) ⇄ the operation Argo CD then starts. */
  operationWriteWindowMs: number;
  /** How far back RBAC changes that grant the acting identity are reported as context. */
  rbacLookbackMs: number;
  /** How far back a GitOps controller's write marks an object as GitOps-managed (for drift). */
  driftLookbackMs: number;
  /** How far back a GitRepo edit or commit explains a Fleet deployment. */
  fleetLookbackMs: number;
  /** How far before a sync or rollback a failed sync of the same app is reported as context. */
  failureLookbackMs: number;
  /** How far back a Rancher record of a user id names its login (authorized cluster endpoint requests). */
  identityLookbackMs: number;
  /**
   * CIDR ranges (or addresses) of the ingress / load balancers in front of Rancher and the API server: hops inside
   * them pass the client address on (see clientAddress.ts). Empty: the first hop is only claimed by the client.
   */
  trustedProxies: readonly string[];
  /**
   * How long after an owner's change a controller's write on its dependents still follows from it (cascade rule):
   * a rollout scales step by step, and each step is its own write of the ReplicaSet, so a few minutes suffice.
   */
  cascadeWindowMs: number;
  /** Web UIs and self-hosted Git hosts for the links of a chain (correlate/change.ts); none by default. */
  links?: LinkSettings;
}

export const DEFAULT_OPTIONS: CorrelateOptions = {
  skewMs: 2_000,
  syncWindowMs: 10 * 60_000,
  syncSlackMs: 30_000,
  apiCallWindowMs: 5_000,
  operationWriteWindowMs: 60_000,
  rbacLookbackMs: 24 * 3_600_000,
  driftLookbackMs: 7 * 24 * 3_600_000,
  fleetLookbackMs: 30 * 60_000,
  failureLookbackMs: 60 * 60_000,
  identityLookbackMs: 7 * 24 * 3_600_000,
  trustedProxies: [],
  cascadeWindowMs: 5 * 60_000,
};

/** `12 s`, `4 min`, `2 h` — deltas in evidence sentences. */
export function describeDelta(ms: number): string {
  const a = Math.abs(ms);
  if (a < 1_000) {
    return `${Math.round(a)} ms`;
  }
  if (a < 120_000) {
    return `${Math.round(a / 1_000)} s`;
  }
  if (a < 2 * 3_600_000) {
    return `${Math.round(a / 60_000)} min`;
  }
  return `${(a / 3_600_000).toFixed(1)} h`;
}
