import type { Chain, Change } from '../model';
import { targetName } from './rule';

/**
 * The stable JSON contract of `provenance trace --format json` (documented in the README). Field names and
 * shapes here change only with a version note; everything else in the model may evolve.
 */
export interface ChainJson {
  /** Stable id of the chain (its effect record's id). */
  id: string;
  effect: {
    time: string | null;
    source: string;
    verb: string;
    target: {
      apiGroup: string;
      resource: string;
      namespace: string | null;
      name: string | null;
      subresource: string | null;
    };
    actor: { name: string; kind: string };
    sourceIPs: string[];
    userAgent: string | null;
  };
  verdict: string;
  /**
   * `ipTrust`: how far `ip` can be trusted (see the README's Security section); `url`: the person's Rancher user
   * page, when the Rancher URL is set.
   */
  who: { name: string; kind: string; ip: string | null; ipTrust: string | null; via: string[]; url: string | null };
  gitops: {
    tool: string;
    app: string | null;
    revision: string | null;
    commit: string | null;
    initiator: string | null;
    /** What started the operation when no person did ("auto-sync", "Kargo promotion", …). */
    automation: string | null;
    automated: boolean | null;
    operation: string;
    /** https links on the Git host (null when the repo URL or host is not known), the commit before, the Argo CD app page. */
    commitUrl: string | null;
    previousCommit: string | null;
    compareUrl: string | null;
    appUrl: string | null;
  } | null;
  links: Array<{ kind: string; confidence: number; evidence: string[] }>;
  context: Array<{ kind: string; time: string | null; summary: string; evidence: string[] }>;
  /** Id of the chain whose change set this one off through a controller (cascade), or null. */
  consequenceOf: string | null;
  /** How many chains follow from this one (directly or through further controllers). */
  consequences: number;
  /** What exactly changed (README "What changed"); null when nothing recorded says. */
  change: Change | null;
  /**
   * The newest RBAC change in the look-back that granted the acting identity by name (also in `context`), or
   * null. A flat object rather than a `context` entry: Loki's `| json` skips arrays, and alert rules read it.
   */
  grantedBy: { time: string | null; by: string; verb: string; object: string } | null;
  /** For an Argo CD operation: the app's last failed sync before it started (also in `context`), or null. */
  failedSyncBefore: { time: string | null; message: string | null } | null;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function chainToJson(c: Chain): ChainJson {
  const e = c.effect;
  return {
    id: c.id,
    effect: {
      time: iso(e.time),
      source: e.source,
      verb: e.verb,
      target: {
        apiGroup: e.target.apiGroup,
        resource: e.target.resource,
        namespace: e.target.namespace ?? null,
        name: e.target.name ?? null,
        subresource: e.target.subresource ?? null,
      },
      actor: { name: e.actor.name, kind: e.actor.kind },
      sourceIPs: e.sourceIPs,
      userAgent: e.userAgent ?? null,
    },
    verdict: c.verdict,
    who: {
      name: c.who.name,
      kind: c.who.kind,
      ip: c.who.ip ?? null,
      ipTrust: c.who.ipTrust ?? null,
      via: c.who.via,
      url: c.who.url ?? null,
    },
    gitops: c.gitops
      ? {
          tool: c.gitops.tool,
          app: c.gitops.app ?? null,
          revision: c.gitops.revision ?? null,
          commit: c.gitops.commit ?? null,
          initiator: c.gitops.initiator ?? null,
          automation: c.gitops.automation ?? null,
          automated: c.gitops.automated ?? null,
          operation: c.gitops.operation,
          commitUrl: c.gitops.commitUrl ?? null,
          previousCommit: c.gitops.previousCommit ?? null,
          compareUrl: c.gitops.compareUrl ?? null,
          appUrl: c.gitops.appUrl ?? null,
        }
      : null,
    links: c.links.map((l) => ({ kind: l.kind, confidence: l.confidence, evidence: l.evidence })),
    context: c.context.map((x) => ({
      kind: x.kind,
      time: iso(x.event.time),
      summary: x.summary,
      evidence: x.evidence,
    })),
    consequenceOf: c.consequenceOf ?? null,
    consequences: c.consequences ?? 0,
    change: c.change ?? null,
    grantedBy: c.grantedBy
      ? {
          time: iso(c.grantedBy.event.time),
          by: c.grantedBy.by,
          verb: c.grantedBy.event.verb,
          object: targetName(c.grantedBy.event.target),
        }
      : null,
    failedSyncBefore: c.failedSyncBefore
      ? { time: iso(c.failedSyncBefore.time), message: c.failedSyncBefore.gitops?.message ?? null }
      : null,
  };
}
