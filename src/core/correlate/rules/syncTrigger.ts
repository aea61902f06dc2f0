import type { ActorKind, ChangeEvent, GitOpsRef } from '../../model';
import { describeInitiator, parseServiceAccount } from '../../parse/actor';
import { resolveIdentity } from '../identity';
import { describeDelta } from '../options';
import { at, hit, type LinkHit, type RuleContext, type RuleInfo } from '../rule';

export const syncTriggerRule: RuleInfo = {
  kind: 'sync-trigger',
  summary:
    'an Argo CD sync/rollback ⇄ who started it (the server event or API-call log of the same app within the API window; the audited writer of the Application operation: a person with kubectl, or an automaton — the application controller (auto-sync, self-heal), the ApplicationSet controller, Kargo) or that it was automated; a rollback history id ⇄ the revision it deployed when an Application status write holds the history',
};

const SHA = /^[0-9a-f]{7,64}$/;
/** argocd-server writes the operation for the user of its session; that user is in its own event and API log. */
const ARGOCD_SERVER_SA = 'argocd-server';

export interface SyncTrigger {
  hits: LinkHit[];
  gitops: GitOpsRef;
  /** The automaton that started the operation by writing it (Kargo, the ApplicationSet controller, …). */
  automaton?: { name: string; kind: ActorKind };
}

function automatedWords(automation: string | undefined): string {
  return !automation || automation === 'auto-sync'
    ? 'an automated sync, started by the application controller'
    : `an automated operation, started by ${automation}`;
}

type Writer =
  | { role: 'person'; name: string }
  | { role: 'server'; name: string }
  | { role: 'automaton'; name: string; kind: ActorKind; automation: string };

/** Who wrote an Application's `operation`, by the audit record's identity (not the body's claims). */
function writerOf(w: ChangeEvent, rc: RuleContext): Writer {
  const id = resolveIdentity(w, rc);
  if (id.kind === 'human') {
    return { role: 'person', name: id.name };
  }
  if (parseServiceAccount(w.actor.name)?.name === ARGOCD_SERVER_SA) {
    return { role: 'server', name: w.actor.name };
  }
  const said = describeInitiator(w.actor.name);
  const selfHeal = w.changedFields?.['operation.sync.autoHealAttemptsCount'] !== undefined;
  let automation = said.person ? w.actor.name : said.automation;
  if (automation === 'auto-sync' && selfHeal) {
    automation = 'self-heal';
  }
  return { role: 'automaton', name: w.actor.name, kind: id.kind, automation };
}

function facts(e: ChangeEvent): string {
  const g = e.gitops;
  return g?.message ? `"${g.message}"` : `${e.verb} of ${g?.app ?? '?'}`;
}

/** Everything known about who/what started the operation `s`, with a link per source of that knowledge. */
export function linkSyncTrigger(s: ChangeEvent, rc: RuleContext): SyncTrigger {
  const { ix, opts } = rc;
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
    'automation',
    'automated',
    'historyId',
    'destNamespace',
  ] as const) {
    if (g[k] !== undefined) {
      (out as unknown as Record<string, unknown>)[k] = g[k];
    }
  }

  // A sync started by writing the Application's `operation`: the audit record names the real writer, whatever
  // `initiatedBy` claims — a person (kubectl), argocd-server for its session user, or an automaton, which makes
  // the operation automated whoever the body names.
  let automaton: SyncTrigger['automaton'];
  let personWrote = false;
  for (const w of ix.appOperationWrites.between(app, t - opts.operationWriteWindowMs, t + opts.skewMs)) {
    const claimed = w.changedFields?.['operation.initiatedBy.username'];
    const writer = writerOf(w, rc);
    const wrote = `${writer.name} wrote the operation of Application ${app} at ${at(w.time)}, ${describeDelta(t - (w.time as number))} before it started`;
    const claim = claimed ? `initiatedBy.username claims ${claimed}: that field is whatever the writer put there` : '';
    if (writer.role === 'person') {
      hits.push(hit('sync-trigger', s, w, 1, [wrote, claim || 'the write set the operation directly']));
      // The audited writer outranks a name the start record copied from `initiatedBy`.
      out.initiator = writer.name;
      personWrote = true;
    } else if (writer.role === 'automaton') {
      hits.push(
        hit('sync-trigger', s, w, 1, [
          wrote,
          `${writer.name} is an automaton (${writer.automation}), not a person`,
          ...(claim ? [claim] : []),
        ])
      );
      automaton ??= { name: writer.name, kind: writer.kind };
      out.automation ??= writer.automation;
    }
  }
  if (personWrote) {
    // A person wrote the operation (an automaton's write in the same window is its retry): a person's sync.
    automaton = undefined;
    delete out.automation;
    out.automated = false;
  } else if (automaton) {
    out.automated = true;
    delete out.initiator;
  }

  // The same operation is told by several records: server event, controller "Initialized new operation", API log.
  const near = ix.argoByApp.between(app, t - opts.apiCallWindowMs, t + opts.apiCallWindowMs).filter((o) => o !== s);
  const api = ix.argoApiByApp
    .between(app, t - opts.apiCallWindowMs, t + opts.apiCallWindowMs)
    .filter((o) => (o.keys.apiVerb ?? o.verb) === s.verb);
  for (const other of [...api, ...near.filter((o) => o.gitops?.operation === 'operation-state' || o.verb === s.verb)]) {
    const og = other.gitops as GitOpsRef;
    const adds: string[] = [];
    // Once an automaton is known to have written the operation, no record's name makes it a person's.
    if (!out.initiator && !automaton && og.initiator) {
      out.initiator = og.initiator;
      adds.push(`started by ${og.initiator}`);
    }
    if (!out.initiator && !out.automation && og.automation) {
      out.automation = og.automation;
      adds.push(`started by ${og.automation}`);
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
        ? [`${facts(s)} at ${at(s.time)}: ${automatedWords(out.automation)}, not by a person`]
        : [`${facts(s)} at ${at(s.time)}: the record does not say who started it`];
    hits.push(hit('sync-trigger', s, s, out.initiator || out.automated ? 1 : 0.5, evidence));
  }

  const result = ix.argoByApp.between(app, t, t + opts.syncWindowMs).find((o) => o.gitops?.operation === 'sync-result');
  if (result?.gitops?.phase) {
    out.phase = result.gitops.phase;
    out.commit ??= result.gitops.commit;
  }
  if (out.automation) {
    out.automated = true;
  } else if (out.automated === undefined && out.initiator) {
    out.automated = false;
  }
  if (out.automated && !out.initiator) {
    out.automation ??= 'auto-sync';
  }
  return { hits, gitops: out, ...(automaton ? { automaton } : {}) };
}
