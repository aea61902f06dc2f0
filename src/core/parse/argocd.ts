import type { ActorKind, ChangeEvent, GitOpsRef, ResourceRef } from '../model';
import { ARGOCD_UNKNOWN_USER, classifyActor, describeInitiator } from './actor';
import {
  classifyArgoMessage,
  MAX_MESSAGE_CHARS,
  parseDisplayRevision,
  pluralOf,
  type ArgoMessage,
} from './argocdMessages';
import { parseProtoText } from './protoText';
import { isObj, type Obj } from './fields';
import { fnv1a } from './hash';
import { parseLogfmt } from './logfmt';
import { fromNs, parseAnyTime } from './time';
import { skip, type ObjectParser, type ParseContext, type ParseResult, type TextParser } from './types';

/**
 * Argo CD server and application-controller log lines, JSON (logrus JSONFormatter, default since v3.0) and
 * text (logrus TextFormatter), plus the simplified shapes of the seed article (`app`, `user`, `commit`, `dest`).
 * Kubernetes Events with the same messages are read by k8sEvent.ts through `argoEventFromRecord`.
 */

const SOURCE = 'argocd';

/** The fields of one Argo CD record, whatever its transport. */
export interface ArgoRecord {
  msg: string;
  format: string;
  time?: unknown;
  application?: string;
  appNamespace?: string;
  project?: string;
  destNamespace?: string;
  destServer?: string;
  /** `user` field of the event logger / annotation (server messages). */
  user?: string;
  syncId?: string;
  reason?: string;
  /** `argocd-server` or `argocd-application-controller` when the transport says (event source component). */
  component?: string;
  commit?: string;
  revision?: string;
  repoURL?: string;
  phase?: string;
  grpcClaims?: unknown;
  grpcContent?: unknown;
  /** `name` field: the object an audit message is about when it is neither an app nor a project (ApplicationSet). */
  name?: string;
}

const CONTROLLER = 'argocd-application-controller';
const SERVER = 'argocd-server';
const API_CALL = /^received (?:unary|streaming) call \/application\.ApplicationService\/(\w+)$/;
const API_VERBS: Record<string, { verb: string; operation: GitOpsRef['operation'] }> = {
  Sync: { verb: 'sync', operation: 'sync' },
  Rollback: { verb: 'rollback', operation: 'rollback' },
  Create: { verb: 'create', operation: 'app-change' },
  Update: { verb: 'update', operation: 'app-change' },
  UpdateSpec: { verb: 'update', operation: 'app-change' },
  Patch: { verb: 'patch', operation: 'app-change' },
  Delete: { verb: 'delete', operation: 'app-change' },
  PatchResource: { verb: 'patch', operation: 'resource-change' },
  DeleteResource: { verb: 'delete', operation: 'resource-change' },
  RunResourceAction: { verb: 'action', operation: 'action' },
  // v2.14+: the V1 call is deprecated and forwards to V2 (server/application/application.go).
  RunResourceActionV2: { verb: 'action', operation: 'action' },
  TerminateOperation: { verb: 'terminate', operation: 'terminate' },
};

function jsonish(v: unknown): Obj | undefined {
  if (isObj(v)) {
    return v;
  }
  if (typeof v === 'string' && v.startsWith('{')) {
    try {
      const o: unknown = JSON.parse(v);
      return isObj(o) ? o : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * argocd-server's `session.Username` (util/session/sessionmanager.go): Argo CD-issued tokens name the account
 * (`sub`, `<account>:<capability>` before Parse strips it) — project tokens keep `proj:<project>:<role>` whole;
 * SSO tokens the email, else the federated user id (v3), else `sub`.
 */
function usernameFromClaims(claims: Obj): string | undefined {
  const sub = str(claims.sub);
  const federated = isObj(claims.federated_claims) ? str(claims.federated_claims.user_id) : undefined;
  if (claims.iss === 'argocd') {
    return sub?.startsWith('proj:') ? sub : (federated ?? sub?.split(':')[0]);
  }
  return str(claims.email) ?? federated ?? sub;
}

/**
 * `grpc.request.content`: jsonpb JSON (JSON logs; int64 fields such as Rollback's `id` are strings) or, in text
 * logs, the proto's compact text form `name:"x" revision:"y"` (util/grpc/logging.go: logrus prints the value
 * with its String method).
 */
function requestContent(v: unknown): Obj {
  return jsonish(v) ?? (typeof v === 'string' ? parseProtoText(v) : {});
}

function bool(v: unknown): boolean | undefined {
  return v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined;
}

/** The article's simplified lines: "Syncing Application" with a user, "Rollback triggered due to failed sync". */
function classifySimplified(rec: ArgoRecord): ArgoMessage | undefined {
  if (/^rollback\b/i.test(rec.msg)) {
    return { operation: 'rollback', verb: 'rollback', fromController: !rec.user };
  }
  if (/^syncing application$/i.test(rec.msg) && rec.user) {
    return { operation: 'sync', verb: 'sync', fromController: false, automated: false };
  }
  return undefined;
}

function classifyApiCall(rec: ArgoRecord): ArgoMessage | 'read-only' | undefined {
  const m = API_CALL.exec(rec.msg);
  if (!m) {
    return undefined;
  }
  const mapped = API_VERBS[m[1]];
  if (!mapped) {
    return 'read-only';
  }
  const claims = jsonish(rec.grpcClaims);
  const content = requestContent(rec.grpcContent);
  const user = claims ? usernameFromClaims(claims) : undefined;
  const out: ArgoMessage = { ...mapped, fromController: false, automated: false, ...(user ? { user } : {}) };
  const rev = str(content.revision);
  if (rev) {
    Object.assign(out, parseDisplayRevision(rev));
  }
  const id = typeof content.id === 'string' && /^\d{1,15}$/.test(content.id) ? Number(content.id) : content.id;
  if (m[1] === 'Rollback' && typeof id === 'number' && Number.isSafeInteger(id)) {
    out.historyId = id;
  }
  if (bool(content.dryRun)) {
    out.dryRun = true;
  }
  const kind = str(content.kind);
  const resourceName = str(content.resourceName);
  if (kind && resourceName && mapped.operation !== 'app-change') {
    out.resource = {
      apiGroup: str(content.group) ?? '',
      apiVersion: str(content.version),
      resource: pluralOf(kind),
      kind,
      name: resourceName,
      ...(str(content.namespace) ? { namespace: str(content.namespace) } : {}),
    };
    if (!out.resource.apiVersion) {
      delete out.resource.apiVersion;
    }
  }
  const action = str(content.action);
  if (action) {
    out.action = action;
  }
  rec.application ??= str(content.name);
  rec.appNamespace ??= str(content.appNamespace);
  return out;
}

function appTarget(app: string | undefined, appNamespace: string | undefined): ResourceRef {
  const ref: ResourceRef = { apiGroup: 'argoproj.io', resource: 'applications', kind: 'Application' };
  if (appNamespace) {
    ref.namespace = appNamespace;
  }
  if (app) {
    ref.name = app;
  }
  return ref;
}

export function argoEventFromRecord(rec: ArgoRecord, ctx: ParseContext): ParseResult {
  // "Unknown user" is what argocd-server writes when the request had no session user: nobody, not a person.
  if (rec.user === ARGOCD_UNKNOWN_USER) {
    rec.user = undefined;
  }
  if (rec.msg.length > MAX_MESSAGE_CHARS) {
    return skip(SOURCE, 'message-too-long', `over ${MAX_MESSAGE_CHARS} characters`);
  }
  const api = classifyApiCall(rec);
  if (api === 'read-only') {
    return skip(SOURCE, 'read-only-call');
  }
  const msg = api ?? classifyArgoMessage(rec.msg) ?? classifySimplified(rec);
  if (!msg) {
    return skip(SOURCE, 'not-a-change');
  }
  const timeGiven = rec.time !== undefined && rec.time !== null && rec.time !== '';
  const t = timeGiven ? parseAnyTime(rec.time) : ctx.fallbackNs ? fromNs(ctx.fallbackNs) : undefined;
  if (timeGiven && !t) {
    return skip(SOURCE, 'invalid-timestamp');
  }
  // Before v3.1 some lines put "<ns>/<name>" into `application`.
  let app = rec.application;
  let appNamespace = rec.appNamespace;
  if (app?.includes('/')) {
    const [ns, name] = app.split('/', 2);
    appNamespace ??= ns;
    app = name;
  }
  const fromController = rec.component ? rec.component === CONTROLLER : msg.fromController;
  const named = msg.user ?? (fromController ? undefined : rec.user);
  // Only a person is an initiator; a name an automaton writes there (Kargo, ApplicationSet, project tokens) says
  // what started it.
  const said = named === undefined ? undefined : describeInitiator(named);
  const initiator = said?.person ? named : undefined;
  const automation = said && !said.person ? said.automation : undefined;
  const actorName = fromController ? CONTROLLER : (named ?? ARGOCD_UNKNOWN_USER);
  const actorKind: ActorKind = fromController ? 'gitops-controller' : named ? classifyActor(named) : 'unknown';
  // The API-call line is written before the RBAC check: alone it is an attempt; the operation that follows
  // confirms it (sync-trigger rule).
  const gitops: GitOpsRef = { tool: 'argocd', operation: api ? 'api-call' : msg.operation, message: rec.msg };
  const copy: Array<[keyof GitOpsRef, unknown]> = [
    ['app', app],
    ['appNamespace', appNamespace],
    ['project', rec.project],
    ['revision', msg.revision ?? rec.revision],
    ['commit', msg.commit ?? rec.commit],
    ['historyId', msg.historyId],
    ['phase', msg.phase ?? rec.phase],
    ['initiator', initiator],
    ['automation', automation],
    [
      'automated',
      automation ? true : (msg.automated ?? (fromController && msg.operation === 'sync' ? true : undefined)),
    ],
    ['dryRun', msg.dryRun],
    ['destNamespace', rec.destNamespace],
    ['destServer', rec.destServer],
    ['repoURL', rec.repoURL],
    ['syncId', rec.syncId],
  ];
  for (const [k, v] of copy) {
    if (v !== undefined && v !== '') {
      (gitops as unknown as Record<string, unknown>)[k] = v;
    }
  }
  const event: ChangeEvent = {
    id: `${SOURCE}:${t?.ns ?? ''}:${fnv1a(ctx.text)}`,
    source: SOURCE,
    format: rec.format,
    time: t?.ms,
    ns: t?.ns ?? '',
    actor: {
      name: actorName,
      kind: actorKind,
      groups: [],
      via: [],
      ...(initiator?.includes('@') ? { loginName: initiator } : {}),
    },
    sourceIPs: [],
    verb: api ? `attempt:${msg.verb}` : msg.verb,
    target: msg.resource ? resourceTarget(msg.resource, rec) : appTarget(app, appNamespace),
    outcome: { status: msg.phase === 'Failed' ? 'failure' : msg.phase === 'Succeeded' ? 'success' : 'unknown' },
    gitops,
    keys: {},
    raw: ctx.raw,
  };
  if (!event.target.namespace) {
    delete event.target.namespace;
  }
  if (app) {
    event.keys.app = `${appNamespace ?? ''}/${app}`;
  }
  if (rec.syncId) {
    event.keys.syncId = rec.syncId;
  }
  if (msg.statusChange) {
    event.keys.statusChange = `${msg.statusChange.what}:${msg.statusChange.from}->${msg.statusChange.to}`;
  }
  if (msg.action) {
    event.keys.action = msg.action;
  }
  if (api) {
    event.keys.apiCall = rec.msg.slice(rec.msg.lastIndexOf('/') + 1);
    event.keys.apiVerb = msg.verb;
  }
  return { event };
}

/** The object of a resource, project or ApplicationSet message; its name from the line when the text has none. */
function resourceTarget(resource: ResourceRef, rec: ArgoRecord): ResourceRef {
  const target: ResourceRef = { ...resource, namespace: resource.namespace ?? rec.destNamespace };
  if (!target.name) {
    const name =
      resource.kind === 'AppProject' ? rec.project : resource.kind === 'ApplicationSet' ? rec.name : undefined;
    if (name) {
      target.name = name;
    }
  }
  if (!target.namespace || resource.kind === 'AppProject' || resource.kind === 'ApplicationSet') {
    delete target.namespace;
  }
  return target;
}

/** Article shape: `"dest": "namespace: production"`. */
function destNamespaceOf(o: Obj): string | undefined {
  const d = str(o['dest-namespace']);
  if (d) {
    return d;
  }
  const dest = str(o.dest);
  const m = dest ? /namespace:\s*(\S+)/.exec(dest) : null;
  return m ? m[1] : undefined;
}

function recordFromFields(o: Obj, format: string): ArgoRecord {
  return {
    msg: String(o.msg),
    format,
    time: o.time,
    application: str(o.application) ?? str(o.app),
    // v2.10's controller writes the camelCase key (controller/appcontroller.go).
    appNamespace: str(o['app-namespace']) ?? str(o.appNamespace),
    project: str(o.project),
    destNamespace: destNamespaceOf(o),
    destServer: str(o['dest-server']),
    user: str(o.user),
    syncId: str(o.syncId),
    reason: str(o.reason),
    commit: str(o.commit),
    revision: str(o.revision) ?? str(o.revisions),
    repoURL: str(o.url) ?? str(o.repoURL),
    phase: str(o.phase),
    grpcClaims: o['grpc.request.claims'],
    grpcContent: o['grpc.request.content'],
    name: str(o.name),
  };
}

const ARGO_KEYS = [
  'application',
  'app',
  'app-namespace',
  'appNamespace',
  'app-qualified-name',
  'dest-server',
  'dest-namespace',
];
// AppProject and ApplicationSet audit lines carry only type, reason, project / name and the message.
const AUDIT_MESSAGE = / (created|updated|deleted) (project|token|ApplicationSets?(?: spec)?)$/;

function looksLikeArgo(o: Obj): boolean {
  if (typeof o.msg !== 'string' || 'logger' in o) {
    return false;
  }
  if (ARGO_KEYS.some((k) => k in o)) {
    return true;
  }
  if (typeof o.reason === 'string' && ('project' in o || 'name' in o) && AUDIT_MESSAGE.test(o.msg)) {
    return true;
  }
  return typeof o['grpc.service'] === 'string' || API_CALL.test(o.msg);
}

export const argocdJsonParser: ObjectParser = {
  id: 'argocd-json',
  source: SOURCE,
  detect: looksLikeArgo,
  parse: (o, ctx) => argoEventFromRecord(recordFromFields(o, 'argocd/json'), ctx),
};

export const argocdTextParser: TextParser = {
  id: 'argocd-text',
  source: SOURCE,
  detect: (line) => line.startsWith('time="') && line.includes(' msg='),
  parse(line, ctx) {
    const kv = parseLogfmt(line);
    if (!kv || kv.msg === undefined) {
      return skip(SOURCE, 'invalid-logfmt');
    }
    if (!looksLikeArgo(kv)) {
      return skip('logfmt', 'unknown-format');
    }
    return argoEventFromRecord(recordFromFields(kv, 'argocd/text'), ctx);
  },
};

/** Re-exported for k8sEvent.ts, which builds an ArgoRecord from an Event. */
export { CONTROLLER as ARGOCD_CONTROLLER, SERVER as ARGOCD_SERVER };
