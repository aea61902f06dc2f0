import type { Actor, ChangeEvent, Outcome, ResourceRef, ViaHop } from '../model';
import { classifyActor, isRancherImpersonator } from './actor';
import { firstOf, optNum, optObj, optStr, optStrArr, reqStr, type Obj } from './fields';
import { fnv1a } from './hash';
import { parseK8sRequestPath } from './k8sPath';
import { readChangedFields, readOwnershipMarks, readRbac } from './marks';
import { isSecretUri, redactSecrets } from './redact';
import { parseTimestamp, fromNs, type Instant } from './time';
import { skip, type ObjectParser, type ParseContext, type ParseResult } from './types';

/**
 * kube-apiserver audit events (`audit.k8s.io/v1`, `v1beta1`, and the unversioned 2018 shape), one JSON object
 * per line and per stage (log-formats.md §1). Also accepts the simplified shapes of the seed article, which
 * carry only `user`, `verb`, `objectRef`, `sourceIPs`.
 */

const SOURCE = 'kube-audit';

function isAuditShape(o: Obj): boolean {
  if (typeof o.apiVersion === 'string' && o.apiVersion.startsWith('audit.k8s.io/')) {
    return true;
  }
  const user = o.user;
  const hasUser = typeof user === 'object' && user !== null && 'username' in user;
  // Core Events also have kind "Event"; audit events are told apart by user + verb (+ auditID/objectRef/URI).
  return hasUser && 'verb' in o && ('auditID' in o || 'objectRef' in o || 'requestURI' in o);
}

function readUser(o: Obj, key: string): { name: string; uid?: string; groups: string[]; extra?: Obj } | undefined {
  const u = optObj(o, key);
  if (!u) {
    return undefined;
  }
  return {
    name: reqStr(u, 'username', `${key}.username`),
    uid: optStr(u, 'uid', `${key}.uid`),
    groups: optStrArr(u, 'groups', `${key}.groups`) ?? [],
    extra: optObj(u, 'extra', `${key}.extra`),
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

function readTarget(o: Obj, requestURI: string | undefined, cluster: string | undefined): ResourceRef {
  const ref = optObj(o, 'objectRef');
  if (!ref) {
    const fromUri = requestURI ? parseK8sRequestPath(requestURI).target : { apiGroup: '', resource: '' };
    return cluster ? { ...fromUri, cluster } : fromUri;
  }
  const target: ResourceRef = {
    apiGroup: optStr(ref, 'apiGroup', 'objectRef.apiGroup') ?? '',
    resource: optStr(ref, 'resource', 'objectRef.resource') ?? '',
  };
  const optional = ['apiVersion', 'namespace', 'name', 'subresource', 'uid'] as const;
  for (const k of optional) {
    const v = optStr(ref, k, `objectRef.${k}`);
    if (v !== undefined && v !== '') {
      target[k] = v;
    }
  }
  if (cluster) {
    target.cluster = cluster;
  }
  return target;
}

function readOutcome(o: Obj): Outcome {
  const rs = optObj(o, 'responseStatus');
  const ann = optObj(o, 'annotations');
  const decisionRaw = ann ? optStr(ann, 'authorization.k8s.io/decision', 'annotations.decision') : undefined;
  const decision = decisionRaw === 'allow' || decisionRaw === 'forbid' ? decisionRaw : undefined;
  const code = rs ? optNum(rs, 'code', 'responseStatus.code') : undefined;
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
  const authzReason = ann ? optStr(ann, 'authorization.k8s.io/reason', 'annotations.reason') : undefined;
  if (authzReason) {
    outcome.authzReason = authzReason;
  }
  const message = rs ? optStr(rs, 'message', 'responseStatus.message') : undefined;
  if (message) {
    outcome.message = message;
  }
  return outcome;
}

function readActor(o: Obj, userAgent: string | undefined, fieldManager: string | undefined): Actor | undefined {
  const user = readUser(o, 'user');
  if (!user) {
    return undefined;
  }
  const imp = readUser(o, 'impersonatedUser');
  const effective = imp ?? user;
  const hints = { groups: effective.groups, userAgent, fieldManager };
  const via: ViaHop[] = imp
    ? [
        {
          name: user.name,
          kind: classifyActor(user.name, { groups: user.groups, userAgent }),
          mechanism: isRancherImpersonator(user.name) ? 'rancher-impersonation' : 'impersonation',
        },
      ]
    : [];
  const actor: Actor = { name: effective.name, kind: classifyActor(effective.name, hints), groups: effective.groups, via };
  if (effective.uid) {
    actor.uid = effective.uid;
  }
  const extra = effective.extra;
  const principalId = firstOf(extra, 'principalid');
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
  return actor;
}

export function parseKubeAuditEvent(o: Obj, ctx: ParseContext): ParseResult {
  const verb = optStr(o, 'verb');
  if (verb === undefined || verb === '') {
    return skip(SOURCE, 'missing-field', 'verb');
  }
  const requestURI = optStr(o, 'requestURI');
  const userAgent = optStr(o, 'userAgent');
  const fieldManager = requestURI ? (parseK8sRequestPath(requestURI).query.get('fieldManager') ?? undefined) : undefined;
  const actor = readActor(o, userAgent, fieldManager);
  if (!actor) {
    return skip(SOURCE, 'missing-field', 'user');
  }
  const t = eventTime(o, ctx);
  if (t === 'invalid') {
    return skip(SOURCE, 'invalid-timestamp');
  }
  const target = readTarget(o, requestURI, ctx.raw.labels.cluster);
  const auditID = optStr(o, 'auditID');
  const stage = optStr(o, 'stage');
  const apiVersion = optStr(o, 'apiVersion');
  const requestObject = o.requestObject;
  const responseObject = o.responseObject;

  const event: ChangeEvent = {
    id: auditID ? `${SOURCE}:${auditID}` : `${SOURCE}:line-${fnv1a(ctx.text)}`,
    source: SOURCE,
    format: apiVersion ? `kube-audit/${apiVersion.slice('audit.k8s.io/'.length) || apiVersion}` : 'kube-audit/unversioned',
    time: t?.ms,
    ns: t?.ns ?? '',
    actor,
    sourceIPs: optStrArr(o, 'sourceIPs') ?? [],
    verb,
    target,
    outcome: readOutcome(o),
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
    event.stages = [stage];
  }
  const marks = readOwnershipMarks(requestObject, responseObject);
  if (marks || fieldManager) {
    event.marks = { ...marks, ...(fieldManager ? { fieldManager } : {}) };
    if (marks?.argocdTrackingId) {
      event.keys.trackingId = marks.argocdTrackingId;
    }
    if (marks?.objectsetId) {
      event.keys.objectsetId = marks.objectsetId;
    }
  }
  const rbac = readRbac(target.resource, requestObject, responseObject);
  if (rbac) {
    event.rbac = rbac;
  }
  const changedFields = readChangedFields(target.resource, requestObject);
  if (changedFields) {
    event.changedFields = changedFields;
  }
  if (ctx.keepBodies && (requestObject !== undefined || responseObject !== undefined)) {
    const secret = target.resource === 'secrets' || isSecretUri(requestURI);
    event.body = { request: redactSecrets(requestObject, secret), response: redactSecrets(responseObject, secret) };
  }
  return {
    event,
    mergeKey: auditID ? `${auditID}|${verb}|${requestURI ?? ''}|${o.user && (o.user as Obj).username}` : undefined,
    stage,
  };
}

export const kubeAuditParser: ObjectParser = {
  id: 'kube-audit',
  source: SOURCE,
  detect: isAuditShape,
  parse: parseKubeAuditEvent,
};
