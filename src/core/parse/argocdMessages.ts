import type { GitOpsOperation, ResourceRef } from '../model';

/**
 * The grammar of Argo CD's audit messages (log-formats.md §3.3): argocd-server prefixes every action with the
 * user (`session.Username`, or "Unknown user"); the application controller writes its own messages with no
 * user. The same text arrives in Kubernetes Events, the event logger's log line, and Alloy's event lines.
 */
export interface ArgoMessage {
  operation: GitOpsOperation;
  /** Verb for the ChangeEvent. */
  verb: string;
  /** The user prefix of a server message; undefined for controller messages and "Unknown user". */
  user?: string;
  /** True when the message comes from the application controller (no user). */
  fromController: boolean;
  revision?: string;
  commit?: string;
  automated?: boolean;
  historyId?: number;
  phase?: string;
  partial?: boolean;
  dryRun?: boolean;
  /** The object a resource-level message names (patched/deleted resource, action on resource). */
  resource?: ResourceRef;
  action?: string;
  statusChange?: { what: 'sync' | 'health'; from: string; to: string };
}

const SHA = /^[0-9a-f]{7,64}$/;

/** `HEAD (8a1c…)`, a bare SHA, or a comma-joined list of either (multi-source apps). */
export function parseDisplayRevision(text: string): { revision?: string; commit?: string } {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const revisions: string[] = [];
  const commits: string[] = [];
  for (const p of parts) {
    const m = /^(.*?) \(([0-9a-f]{7,64})\)$/.exec(p);
    if (m) {
      revisions.push(m[1]);
      commits.push(m[2]);
    } else {
      revisions.push(p);
      if (SHA.test(p)) {
        commits.push(p);
      }
    }
  }
  return {
    revision: revisions.length ? revisions.join(',') : undefined,
    commit: commits.length ? commits.join(',') : undefined,
  };
}

/** The API's resource name of a Kind (`Ingress` → `ingresses`, `NetworkPolicy` → `networkpolicies`). */
export function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(k)) {
    return k + 'es';
  }
  if (/[^aeiou]y$/.test(k)) {
    return k.slice(0, -1) + 'ies';
  }
  return k + 's';
}

function resourceRef(group: string, kind: string, name: string, namespace?: string): ResourceRef {
  const ref: ResourceRef = { apiGroup: group, resource: pluralOf(kind), kind, name };
  if (namespace) {
    ref.namespace = namespace;
  }
  return ref;
}

type Rule = [RegExp, (m: RegExpExecArray) => Omit<ArgoMessage, 'user' | 'fromController'>];

const SERVER_ACTIONS: Rule[] = [
  [/^created application$/, () => ({ operation: 'app-change', verb: 'create' })],
  [/^updated application spec$/, () => ({ operation: 'app-change', verb: 'update' })],
  [/^deleted application$/, () => ({ operation: 'app-change', verb: 'delete' })],
  [
    /^initiated (partial )?sync to (.*)$/,
    (m) => ({
      operation: m[1] ? 'partial-sync' : 'sync',
      verb: 'sync',
      partial: !!m[1],
      automated: false,
      ...parseDisplayRevision(m[2]),
    }),
  ],
  [
    /^initiated (partial )?sync locally$/,
    (m) => ({ operation: 'sync-locally', verb: 'sync', partial: !!m[1], automated: false }),
  ],
  [
    /^initiated rollback to (\d+)$/,
    (m) => ({ operation: 'rollback', verb: 'rollback', historyId: Number(m[1]), automated: false }),
  ],
  [/^terminated running operation$/, () => ({ operation: 'terminate', verb: 'terminate' })],
  [
    /^patched resource ([^/]*)\/(\S+) '(.*)'$/,
    (m) => ({ operation: 'resource-change', verb: 'patch', resource: resourceRef(m[1], m[2], m[3]) }),
  ],
  [
    /^deleted resource ([^/]*)\/(\S+) '(.*)'$/,
    (m) => ({ operation: 'resource-change', verb: 'delete', resource: resourceRef(m[1], m[2], m[3]) }),
  ],
  [
    /^ran action (\S+) on resource ([^/]*)\/([^/]+)\/(.+)$/,
    (m) => ({ operation: 'action', verb: 'action', action: m[1], resource: resourceRef(m[2], m[3], m[4]) }),
  ],
  [/^ran action (\S+)$/, (m) => ({ operation: 'action', verb: 'action', action: m[1] })],
  // AppProject and ApplicationSet audit messages (server/project/project.go, server/applicationset/applicationset.go).
  [/^(created|updated|deleted) project$/, (m) => projectChange(m[1])],
  [
    /^(created|deleted) token$/,
    (m) => ({ ...projectChange(m[1] === 'created' ? 'created' : 'deleted'), action: `${m[1]} token` }),
  ],
  [/^(?:(created) ApplicationSet|(updated|deleted) ApplicationSets(?: spec)?)$/, (m) => appSetChange(m[1] ?? m[2])],
];

const CHANGE_VERBS: Record<string, string> = { created: 'create', updated: 'update', deleted: 'delete' };

function projectChange(done: string): Omit<ArgoMessage, 'user' | 'fromController'> {
  return {
    operation: 'app-change',
    verb: CHANGE_VERBS[done],
    resource: { apiGroup: 'argoproj.io', resource: 'appprojects', kind: 'AppProject' },
  };
}

function appSetChange(done: string): Omit<ArgoMessage, 'user' | 'fromController'> {
  return {
    operation: 'app-change',
    verb: CHANGE_VERBS[done],
    resource: { apiGroup: 'argoproj.io', resource: 'applicationsets', kind: 'ApplicationSet' },
  };
}

/**
 * Messages longer than this are not classified (a counted skip, `argocd:message-too-long`): Argo CD's own
 * messages are far shorter, and the cost of reading one must not depend on what a user put into it.
 */
export const MAX_MESSAGE_CHARS = 32 * 1024;

// The literal words each server action starts with: found by indexOf, then the action is matched once, anchored.
const SERVER_RULES = SERVER_ACTIONS.map(([re, build]) => ({
  head: ` ${/^\^([a-z ]+)/.exec(re.source)?.[1] ?? ''}`,
  re,
  build,
}));
// A user name holding an action's words is possible but rare: a few candidate positions, not every one.
const MAX_USER_CANDIDATES = 4;

const CONTROLLER_MESSAGES: Rule[] = [
  [
    /^Initiated automated sync to '(.*)'$/,
    (m) => ({ operation: 'sync', verb: 'sync', automated: true, ...parseDisplayRevision(m[1]) }),
  ],
  [
    // "to <revision>" only when the operation has a sync result (controller/appcontroller.go, setOperationState):
    // a sync that failed before syncing anything reads "Sync operation failed: <message>".
    /^(Partial s|S)ync operation (?:to (.*?) )?(succeeded|failed)(?:: ([\s\S]*))?$/,
    (m) => ({
      operation: 'sync-result',
      verb: m[3] === 'succeeded' ? 'sync-succeeded' : 'sync-failed',
      phase: m[3] === 'succeeded' ? 'Succeeded' : 'Failed',
      partial: m[1] === 'Partial s',
      ...(m[2] !== undefined ? parseDisplayRevision(m[2]) : {}),
    }),
  ],
  [
    /^Initialized new operation: ([\s\S]*)$/,
    (m) => ({ operation: 'operation-state', verb: 'operation', ...parseInitializedOperation(m[1]) }),
  ],
  [
    /^updated '[^']*' operation \(phase: (\w+)\)$/,
    (m) => ({ operation: 'operation-state', verb: 'operation', phase: m[1] }),
  ],
  [/^Finished processing requested app operation$/, () => ({ operation: 'operation-state', verb: 'operation' })],
];

/**
 * `Initialized new operation: {&SyncOperation{Revision:<rev>,…} {<username> <automated>} [] {0 nil}}` — the Go
 * `%v` print of the Operation struct: the second brace group is `initiatedBy`.
 */
function parseInitializedOperation(text: string): Partial<ArgoMessage> {
  const out: Partial<ArgoMessage> = {};
  const rev = /Revision:([^,}]*)/.exec(text);
  if (rev && rev[1] !== '') {
    Object.assign(out, parseDisplayRevision(rev[1]));
  }
  const by = /\} \{([^{}\s]*) (true|false)\}/.exec(text);
  if (by) {
    out.automated = by[2] === 'true';
    if (by[1] !== '') {
      out.user = by[1];
    }
  }
  if (/^\{&RollbackOperation|Rollback/.test(text) && !/SyncOperation/.test(text)) {
    out.operation = 'rollback';
    out.verb = 'rollback';
  } else if (text.startsWith('{&SyncOperation{')) {
    // The controller's own record of the sync it starts: a sync, partial when it names resources.
    const partial = /Resources:\[&/.test(text);
    out.operation = partial ? 'partial-sync' : 'sync';
    out.verb = 'sync';
    out.partial = partial;
    if (/[{,]DryRun:true[,}]/.test(text)) {
      out.dryRun = true;
    }
  }
  return out;
}

/** Reads one Argo CD message; undefined when it is not about an operation or a change (progress lines etc.). */
export function classifyArgoMessage(msg: string): ArgoMessage | undefined {
  const status = statusChange(msg);
  if (status) {
    return status;
  }
  for (const [re, build] of CONTROLLER_MESSAGES) {
    const m = re.exec(msg);
    if (m) {
      const { user, ...rest } = build(m) as ArgoMessage;
      return { ...rest, fromController: true, ...(user ? { user } : {}) };
    }
  }
  // Server messages: "<user> <action>"; the user may contain spaces ("Unknown user"), so the action anchors the end.
  for (const { head, re, build } of SERVER_RULES) {
    let at = msg.indexOf(head, 1);
    for (let tries = 0; at !== -1 && tries < MAX_USER_CANDIDATES; tries++) {
      const m = re.exec(msg.slice(at + 1));
      if (m) {
        const user = msg.slice(0, at);
        return { ...build(m), fromController: false, ...(user !== 'Unknown user' ? { user } : {}) };
      }
      at = msg.indexOf(head, at + 1);
    }
  }
  return undefined;
}

const STATUS_PREFIX = /^Updated (sync|health) status: /;

/**
 * `Updated sync status: OutOfSync -> Synced` with an optional ` (<detail>)` tail, read by position: the first
 * ` -> ` splits from and to, a trailing `(…)` after the first ` (` is dropped — what the lazy pattern
 * `(.*?) -> (.*?)(?: \(.*\))?$` meant, without its backtracking on ` (` repeated.
 */
function statusChange(msg: string): ArgoMessage | undefined {
  const p = STATUS_PREFIX.exec(msg);
  const arrow = p ? msg.indexOf(' -> ', p[0].length) : -1;
  if (!p || arrow === -1 || msg.includes('\n')) {
    return undefined;
  }
  const rest = msg.slice(arrow + 4);
  const paren = rest.indexOf(' (');
  const to = paren !== -1 && rest.endsWith(')') ? rest.slice(0, paren) : rest;
  return {
    operation: 'status',
    verb: 'status',
    fromController: true,
    statusChange: { what: p[1] as 'sync' | 'health', from: msg.slice(p[0].length, arrow), to },
  };
}
