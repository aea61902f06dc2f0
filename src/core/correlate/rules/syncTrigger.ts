import type { ChangeEvent, GitOpsRef } from '../../model';
import { describeDelta } from '../options';
import { at, hit, type LinkHit, type RuleContext, type RuleInfo } from '../rule';

export const syncTriggerRule: RuleInfo = {
  kind: 'sync-trigger',
  summary:
    'an Argo CD sync/rollback ⇄ who started it (the server event or API-call log of the same app within the API window, a kubectl write of the Application operation) or that it was automated; a rollback history id ⇄ the revision it deployed when an Application status write holds the history',
};

const SHA = /^[0-9a-f]{7,64}$/;

export interface SyncTrigger {
  hits: LinkHit[];
  gitops: GitOpsRef;
}

function facts(e: ChangeEvent): string {
  const g = e.gitops;
  return g?.message ? `"${g.message}"` : `${e.verb} of ${g?.app ?? '?'}`;
}

/** Everything known about who/what started the operation `s`, with a link per source of that knowledge. */
export function linkSyncTrigger(s: ChangeEvent, { ix, opts }: RuleContext): SyncTrigger {
  const g = s.gitops as GitOpsRef;
  const app = g.app;
  const t = s.time as number;
  const hits: LinkHit[] = [];
  const out: GitOpsRef = { tool: 'argocd', operation: g.operation, app };
  for (const k of [
    'appNamespace',
    'revision',
    'commit',
    'initiator',
    'automated',
    'historyId',
    'destNamespace',
  ] as const) {
    if (g[k] !== undefined) {
      (out as unknown as Record<string, unknown>)[k] = g[k];
    }
  }

  // The same operation is told by several records: server event, controller "Initialized new operation", API log.
  const near = ix.argoByApp.between(app, t - opts.apiCallWindowMs, t + opts.apiCallWindowMs).filter((o) => o !== s);
  const api = ix.argoApiByApp
    .between(app, t - opts.apiCallWindowMs, t + opts.apiCallWindowMs)
    .filter((o) => (o.keys.apiVerb ?? o.verb) === s.verb);
  for (const other of [...api, ...near.filter((o) => o.gitops?.operation === 'operation-state' || o.verb === s.verb)]) {
    const og = other.gitops as GitOpsRef;
    const adds: string[] = [];
    if (!out.initiator && og.initiator) {
      out.initiator = og.initiator;
      adds.push(`started by ${og.initiator}`);
    }
    if (out.automated === undefined && og.automated !== undefined) {
      out.automated = og.automated;
    }
    if (!out.commit && og.commit) {
      out.commit = og.commit;
      adds.push(`revision ${og.commit}`);
    }
    if (out.historyId === undefined && og.historyId !== undefined) {
      out.historyId = og.historyId;
    }
    const corroborates = og.initiator !== undefined && og.initiator === out.initiator;
    if (adds.length > 0 || corroborates) {
      const what = other.keys.apiCall
        ? `argocd-server logged the ${other.keys.apiCall} call for ${app}${og.initiator ? ` by ${og.initiator} (JWT claims)` : ''}`
        : `${facts(other)} at ${at(other.time)}`;
      hits.push(
        hit('sync-trigger', s, other, 1, [
          what,
          `same app, ${describeDelta((other.time as number) - t)} apart`,
          ...(other.keys.apiCall
            ? ['the call is logged before the RBAC check: this operation is what confirms it went through']
            : []),
          ...adds,
        ])
      );
    }
  }

  // A sync started by writing the Application's `operation` (kubectl): the audit log names the real writer.
  for (const w of ix.appOperationWrites.between(app, t - opts.operationWriteWindowMs, t + opts.skewMs)) {
    const claimed = w.changedFields?.['operation.initiatedBy.username'];
    hits.push(
      hit('sync-trigger', s, w, 1, [
        `${w.actor.name} wrote the operation of Application ${app} at ${at(w.time)}, ${describeDelta(t - (w.time as number))} before it started`,
        claimed
          ? `initiatedBy.username claims ${claimed}: that field is whatever the writer put there`
          : 'the write set the operation directly',
      ])
    );
    out.initiator ??= w.actor.loginName ?? w.actor.name;
  }

  if (g.operation === 'rollback' && out.historyId !== undefined) {
    const entry = ix.appHistory.get(app ?? '')?.get(out.historyId);
    if (entry) {
      out.revision = entry.revision;
      if (SHA.test(entry.revision.split(',')[0])) {
        out.commit ??= entry.revision;
      }
      hits.push(
        hit('sync-trigger', s, entry.event, 1, [
          `rollback to history id ${out.historyId} of ${app}`,
          `the Application status written at ${at(entry.event.time)} lists history id ${out.historyId} = revision ${entry.revision}`,
        ])
      );
    }
  }

  if (hits.length === 0) {
    const evidence = out.initiator
      ? [`${facts(s)} at ${at(s.time)}: argocd-server names the user from the session`]
      : out.automated
        ? [`${facts(s)} at ${at(s.time)}: an automated sync, started by the application controller, not by a person`]
        : [`${facts(s)} at ${at(s.time)}: the record does not say who started it`];
    hits.push(hit('sync-trigger', s, s, out.initiator || out.automated ? 1 : 0.5, evidence));
  }

  const result = ix.argoByApp.between(app, t, t + opts.syncWindowMs).find((o) => o.gitops?.operation === 'sync-result');
  if (result?.gitops?.phase) {
    out.phase = result.gitops.phase;
    out.commit ??= result.gitops.commit;
  }
  if (out.automated === undefined && out.initiator) {
    out.automated = false;
  }
  return { hits, gitops: out };
}
