import type { Actor, ChangeEvent, Outcome, ResourceRef, ViaHop } from '../model';
import { classifyActor, isRancherImpersonator } from './actor';
import { addBodyFacts } from './bodies';
import { firstOf, optNum, optObj, optStr, optStrArr, reqStr, type Obj } from './fields';
import { fnv1a } from './hash';
import type { InternPool } from './intern';
import { parseK8sRequestPath } from './k8sPath';
import { parseTimestamp, fromNs, type Instant } from './time';
import { skip, type ObjectParser, type ParseContext, type ParseResult } from './types';

/**
 * kube-apiserver audit events (`audit.k8s.io/v1`, `v1beta1`, and the unversioned 2018 shape), one JSON object
 * per line and per stage (log-formats.md §1). Also accepts the simplified shapes of the seed article, which
 * carry only `user`, `verb`, `objectRef`, `sourceIPs`.
 */

const SOURCE = 'kube-audit';
const OPTIONAL_REF_FIELDS = ['apiVersion', 'namespace', 'name', 'subresource', 'uid'] as const;
const NO_HOPS: ViaHop[] = Object.freeze([]) as unknown as ViaHop[];

/** `?fieldManager=` of a request URI; a substring test first because most requests carry none. */
function fieldManagerOf(uri: string): string | undefined {
  const q = uri.indexOf('?');
  if (q === -1 || uri.indexOf('fieldManager=', q) === -1) {
    return undefined;
  }
  return new URLSearchParams(uri.slice(q + 1)).get('fieldManager') ?? undefined;
}

function isAuditShape(o: Obj): boolean {
  if (typeof o.apiVersion === 'string' && o.apiVersion.startsWith('audit.k8s.io/')) {
    return true;
  }
  const user = o.user;
  const hasUser = typeof user === 'object' && user !== null && 'username' in user;
  // Core Events also have kind "Event"; audit events are told apart by user + verb (+ auditID/objectRef/URI).
  return hasUser && 'verb' in o && ('auditID' in o || 'objectRef' in o || 'requestURI' in o);
}

function readUser(
  o: Obj,
  key: string,
  pool: InternPool
): { name: string; uid?: string; groups: string[]; extra?: Obj } | undefined {
  const u = optObj(o, key);
  if (!u) {
    return undefined;
  }
  return {
    name: pool.str(reqStr(u, 'username', key)),
    uid: pool.str(optStr(u, 'uid', key)),
    groups: pool.list(optStrArr(u, 'groups', key) ?? []),
    extra: optObj(u, 'extra', key),
  };
}

function eventTime(o: Obj, ctx: ParseContext): Instant | undefined | 'invalid' {
  const meta = optObj(o, 'metadata');
  const candidates = [o.requestReceivedTimestamp, o.stageTimestamp, o.timestamp, meta?.creationTimestamp];
  for (const c of candidates) {
    if (c === undefined || c === null) {
      continue;
    }
    if (typeof c !== 'string') {
      return 'invalid';
    }
    return parseTimestamp(c) ?? 'invalid';
  }
  return ctx.fallbackNs ? fromNs(ctx.fallbackNs) : undefined;
}

function readTarget(
  o: Obj,
  requestURI: string | undefined,
  cluster: string | undefined,
  pool: InternPool
): ResourceRef {
  const ref = optObj(o, 'objectRef');
  if (!ref) {
    const fromUri = requestURI ? parseK8sRequestPath(requestURI).target : { apiGroup: '', resource: '' };
    return cluster ? { ...fromUri, cluster } : fromUri;
  }
  const target: ResourceRef = {
    apiGroup: pool.str(optStr(ref, 'apiGroup', 'objectRef') ?? ''),
    resource: pool.str(optStr(ref, 'resource', 'objectRef') ?? ''),
  };
  for (const k of OPTIONAL_REF_FIELDS) {
    const v = optStr(ref, k, 'objectRef');
    if (v !== undefined && v !== '') {
      // Names and uids are mostly unique; group, version, namespace and subresource repeat.
      target[k] = k === 'name' || k === 'uid' ? v : pool.str(v);
    }
  }
  if (cluster) {
    target.cluster = cluster;
  }
  return target;
}

function readOutcome(o: Obj, pool: InternPool): Outcome {
  const rs = optObj(o, 'responseStatus');
  const ann = optObj(o, 'annotations');
  const decisionRaw = ann ? optStr(ann, 'authorization.k8s.io/decision', 'annotations') : undefined;
  const decision = decisionRaw === 'allow' || decisionRaw === 'forbid' ? decisionRaw : undefined;
  const code = rs ? optNum(rs, 'code', 'responseStatus') : undefined;
  let status: Outcome['status'] = 'unknown';
  if (code !== undefined) {
    status = code < 400 ? 'success' : 'failure';
  } else if (decision === 'forbid') {
    status = 'failure';
  }
  const outcome: Outcome = { status };
  if (code !== undefined) {
    outcome.code = code;
  }
  if (decision) {
    outcome.decision = decision;
  }
  const authzReason = ann ? optStr(ann, 'authorization.k8s.io/reason', 'annotations') : undefined;
  if (authzReason) {
    outcome.authzReason = pool.str(authzReason);
  }
  const message = rs ? optStr(rs, 'message', 'responseStatus') : undefined;
  if (message) {
    outcome.message = message;
    return outcome;
  }
  // Most requests share one of a few outcomes: keep one copy of each.
  return pool.record(outcome.authzReason ?? '', outcome, sameOutcome);
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  return (
    a.status === b.status &&
    a.code === b.code &&
    a.decision === b.decision &&
    a.authzReason === b.authzReason &&
    a.message === b.message
  );
}

function sameActor(a: Actor, b: Actor): boolean {
  return (
    a.name === b.name &&
    a.kind === b.kind &&
    a.groups === b.groups &&
    a.uid === b.uid &&
    a.via.length === 0 &&
    b.via.length === 0
  );
}

/** audit.k8s.io/v1 `authenticationMetadata.impersonationConstraint` (Kubernetes 1.35, constrained impersonation). */
function impersonationConstraint(o: Obj): string | undefined {
  const meta = optObj(o, 'authenticationMetadata');
  return meta ? optStr(meta, 'impersonationConstraint', 'authenticationMetadata') || undefined : undefined;
}

function readActor(
  o: Obj,
  userAgent: string | undefined,
  fieldManager: string | undefined,
  pool: InternPool
): Actor | undefined {
  const user = readUser(o, 'user', pool);
  if (!user) {
    return undefined;
  }
  const imp = readUser(o, 'impersonatedUser', pool);
  const effective = imp ?? user;
  const extra = effective.extra;
  const principalId = firstOf(extra, 'principalid');
  const hints = { groups: effective.groups, userAgent, fieldManager, principalId };
  const via: ViaHop[] = imp
    ? [
        {
          name: user.name,
          kind: classifyActor(user.name, { groups: user.groups, userAgent }),
          mechanism: isRancherImpersonator(user.name) ? 'rancher-impersonation' : 'impersonation',
        },
      ]
    : NO_HOPS;
  const constraint = imp ? impersonationConstraint(o) : undefined;
  if (constraint) {
    via[0].constraint = constraint;
  }
  const actor: Actor = {
    name: effective.name,
    kind: classifyActor(effective.name, hints),
    groups: effective.groups,
    via,
  };
  if (effective.uid) {
    actor.uid = effective.uid;
  }
  const loginName = firstOf(extra, 'username');
  const requestTokenId = firstOf(extra, 'requesttokenid');
  const requestHost = firstOf(extra, 'requesthost');
  if (principalId) {
    actor.principalId = principalId;
  }
  if (loginName) {
    actor.loginName = loginName;
  }
  if (requestTokenId) {
    actor.requestTokenId = requestTokenId;
  }
  if (requestHost) {
    actor.requestHost = requestHost;
  }
  // A service account or controller acting as itself is the same actor on every line: keep one copy.
  if (via.length === 0 && !principalId && !loginName && !requestTokenId && !requestHost) {
    return pool.record(actor.name, actor, sameActor);
  }
  return actor;
}

export function parseKubeAuditEvent(o: Obj, ctx: ParseContext): ParseResult {
  const verb = optStr(o, 'verb');
  if (verb === undefined || verb === '') {
    return skip(SOURCE, 'missing-field', 'verb');
  }
  const requestURI = optStr(o, 'requestURI');
  const pool = ctx.pool;
  const userAgent = pool.str(optStr(o, 'userAgent'));
  const fieldManager = requestURI ? fieldManagerOf(requestURI) : undefined;
  const actor = readActor(o, userAgent, fieldManager, pool);
  if (!actor) {
    return skip(SOURCE, 'missing-field', 'user');
  }
  const t = eventTime(o, ctx);
  if (t === 'invalid') {
    return skip(SOURCE, 'invalid-timestamp');
  }
  const target = readTarget(o, requestURI, ctx.raw.labels.cluster, pool);
  const auditID = optStr(o, 'auditID');
  const stage = optStr(o, 'stage');
  const apiVersion = optStr(o, 'apiVersion');

  const event: ChangeEvent = {
    id: auditID ? `${SOURCE}:${auditID}` : `${SOURCE}:line-${fnv1a(ctx.text)}`,
    source: SOURCE,
    format: apiVersion
      ? `kube-audit/${apiVersion.slice('audit.k8s.io/'.length) || apiVersion}`
      : 'kube-audit/unversioned',
    time: t?.ms,
    ns: t?.ns ?? '',
    actor,
    sourceIPs: pool.list(optStrArr(o, 'sourceIPs') ?? []),
    verb: pool.str(verb),
    target,
    outcome: readOutcome(o, pool),
    keys: {},
    raw: ctx.raw,
  };
  if (userAgent) {
    event.userAgent = userAgent;
  }
  if (requestURI) {
    event.requestURI = requestURI;
  }
  if (auditID) {
    event.keys.auditID = auditID;
  }
  if (actor.requestTokenId) {
    event.keys.requestTokenId = actor.requestTokenId;
  }
  if (stage) {
    event.stages = pool.one(stage);
  }
  if (fieldManager) {
    event.marks = { fieldManager };
  }
  // Reading the bodies never turns an event into a skip (no field type is checked there), so one left out
  // is counted the same without them.
  if (!ctx.leftOut?.(event)) {
    addBodyFacts(event, o.requestObject, o.responseObject, ctx);
  }
  return {
    event,
    mergeKey: auditID,
    stage,
  };
}

export const kubeAuditParser: ObjectParser = {
  id: 'kube-audit',
  source: SOURCE,
  detect: isAuditShape,
  parse: parseKubeAuditEvent,
};
