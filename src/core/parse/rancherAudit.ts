import type { Actor, ChangeEvent } from '../model';
import { classifyActor } from './actor';
import { addBodyFacts } from './bodies';
import { fnv1a } from './hash';
import { firstOf, optNum, optObj, optStr, optStrArr, type Obj } from './fields';
import { isIp } from './ip';
import { parseRancherPath } from './rancherPath';
import { fromNs, parseTimestamp } from './time';
import { skip, type ObjectParser, type ParseContext, type ParseResult } from './types';

/**
 * Rancher API audit log, all three generations (log-formats.md §2.1):
 * - v2.0–2.1: `verb` (HTTP method), `stage`, `stageTimestamp` ("2006-01-02 15:04:05 -0700"), `sourceIPs`,
 *   `responseStatus` (string), one line per stage;
 * - v2.2–2.11 and v2.12+: `method`, `remoteAddr`, `requestTimestamp`, `responseCode`, `requestHeader`, …,
 *   `user.extra` (principalid, username, and since 2.11 requesttokenid, requesthost).
 * Timestamps are whole seconds with the server's local offset. The real client IP is `X-Forwarded-For` /
 * `X-Real-Ip`; `remoteAddr` is usually the ingress pod.
 */

const SOURCE = 'rancher-audit';

function isRancherShape(o: Obj): boolean {
  const user = o.user;
  return (
    (typeof o.requestURI === 'string' &&
      'auditID' in o &&
      typeof user === 'object' &&
      user !== null &&
      'name' in user &&
      ('method' in o || 'verb' in o)) ||
    isLegacyStageLine(o)
  );
}

/**
 * v2.0–2.1 lines `LogRequest` / `LogResponse` write (rancher/rancher v2.1.x `pkg/audit/writer.go`): the request
 * line omits `user` when the request was not authenticated; the response line carries only `auditID`, `stage`,
 * `stageTimestamp`, `responseStatus` (a string) and the body. Neither has an `apiVersion` (that is kube audit).
 */
function isLegacyStageLine(o: Obj): boolean {
  if (typeof o.auditID !== 'string' || typeof o.stage !== 'string' || typeof o.stageTimestamp !== 'string') {
    return false;
  }
  if ('apiVersion' in o || 'kind' in o || 'method' in o) {
    return false;
  }
  const request = typeof o.requestURI === 'string' && 'verb' in o;
  const response = 'responseStatus' in o && !('requestURI' in o) && !('verb' in o) && !('user' in o);
  return request || response;
}

function hostOf(remoteAddr: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(remoteAddr);
  if (v6) {
    return v6[1];
  }
  const parts = remoteAddr.split(':');
  return parts.length === 2 ? parts[0] : remoteAddr;
}

/** Client first, like kube-apiserver's `sourceIPs`: X-Forwarded-For entries, X-Real-Ip, then the TCP peer. */
function clientIPs(headers: Obj | undefined, remoteAddr: string | undefined, legacy: string[] | undefined): string[] {
  const ips: string[] = [];
  const add = (ip: string | undefined) => {
    const v = ip?.trim();
    // A header is what the client wrote: only addresses are addresses.
    if (v && isIp(v) && !ips.includes(v)) {
      ips.push(v);
    }
  };
  firstOf(headers, 'X-Forwarded-For')?.split(',').forEach(add);
  add(firstOf(headers, 'X-Real-Ip'));
  legacy?.forEach(add);
  if (remoteAddr) {
    add(hostOf(remoteAddr));
  }
  return ips;
}

function readActor(user: Obj, userLoginName: string | undefined): Actor {
  const name = optStr(user, 'name', 'user') ?? '';
  const groups = optStrArr(user, 'group', 'user') ?? [];
  const extra = optObj(user, 'extra', 'user');
  const requestUser = optStr(user, 'requestUser', 'user');
  const principalId = firstOf(extra, 'principalid');
  const actor: Actor = requestUser
    ? {
        name: requestUser,
        kind: classifyActor(requestUser, { groups: optStrArr(user, 'requestGroups', 'user') }),
        groups: optStrArr(user, 'requestGroups', 'user') ?? [],
        via: [{ name, kind: classifyActor(name, { groups }), mechanism: 'impersonation' }],
      }
    : { name, kind: classifyActor(name, { groups, principalId }), groups, via: [] };
  const loginName = firstOf(extra, 'username') ?? (userLoginName || undefined);
  const requestTokenId = firstOf(extra, 'requesttokenid');
  const requestHost = firstOf(extra, 'requesthost');
  if (!requestUser) {
    Object.assign(
      actor,
      loginName ? { loginName } : {},
      principalId ? { principalId } : {},
      requestTokenId ? { requestTokenId } : {},
      requestHost ? { requestHost } : {}
    );
  }
  return actor;
}

export function parseRancherAuditEvent(o: Obj, ctx: ParseContext): ParseResult {
  const requestURI = optStr(o, 'requestURI') ?? '';
  const legacy = isLegacyStageLine(o) || ('verb' in o && !('method' in o));
  // v2.0–2.1 omit `user` on requests that were not authenticated.
  const user = optObj(o, 'user') ?? (legacy ? {} : undefined);
  if (!user) {
    return skip(SOURCE, 'missing-field', 'user');
  }
  const responseOnly = legacy && !('verb' in o) && !('requestURI' in o);
  const method = legacy ? optStr(o, 'verb') : optStr(o, 'method');
  if (!method && !responseOnly) {
    return skip(SOURCE, 'missing-field', legacy ? 'verb' : 'method');
  }
  const timeText = legacy
    ? optStr(o, 'stageTimestamp')
    : (optStr(o, 'requestTimestamp') ?? optStr(o, 'responseTimestamp'));
  const time = timeText !== undefined ? parseTimestamp(timeText) : ctx.fallbackNs ? fromNs(ctx.fallbackNs) : undefined;
  if (timeText !== undefined && !time) {
    return skip(SOURCE, 'invalid-timestamp');
  }
  const headers = optObj(o, 'requestHeader');
  const code = legacy ? optNum(o, 'responseStatus') : optNum(o, 'responseCode');
  // A response line names no request: verb '' until the session merges it into its request by auditID.
  const { target, verb, downstreamURI } = responseOnly
    ? { target: { apiGroup: '', resource: '' }, verb: '', downstreamURI: undefined }
    : parseRancherPath(requestURI, method ?? '');
  const auditID = optStr(o, 'auditID') ?? '';
  const stage = legacy ? optStr(o, 'stage') : undefined;
  const actor = readActor(user, optStr(o, 'userLoginName'));
  const event: ChangeEvent = {
    id: auditID ? `${SOURCE}:${auditID}` : `${SOURCE}:line-${fnv1a(ctx.text)}`,
    source: SOURCE,
    format: legacy ? 'rancher-audit/v2.0' : 'rancher-audit/v2.2+',
    time: time?.ms,
    ns: time?.ns ?? '',
    actor,
    sourceIPs: clientIPs(headers, optStr(o, 'remoteAddr'), legacy ? optStrArr(o, 'sourceIPs') : undefined),
    verb,
    target,
    requestURI,
    outcome: code === undefined ? { status: 'unknown' } : { code, status: code < 400 ? 'success' : 'failure' },
    keys: { rancherAuditID: auditID },
    raw: ctx.raw,
  };
  if (responseOnly) {
    delete event.requestURI;
  }
  const userAgent = firstOf(headers, 'User-Agent') ?? optStr(o, 'userAgent');
  if (userAgent) {
    event.userAgent = userAgent;
  }
  if (downstreamURI) {
    event.keys.downstreamURI = downstreamURI;
  }
  if (actor.requestTokenId) {
    event.keys.requestTokenId = actor.requestTokenId;
  }
  if (stage) {
    event.stages = [stage];
  }
  const remote = optStr(o, 'remoteAddr');
  if (!legacy && !headers && remote) {
    // No request headers recorded (audit level 0, the default from v2.12: pkg/auth/audit/utils.go
    // verbosityForLevel): remoteAddr is the TCP peer — the ingress — and the client's address was not recorded.
    event.sourceIPs = [];
    event.proxyIPs = [hostOf(remote)];
  }
  addBodyFacts(event, o.requestBody, o.responseBody, ctx);
  // A response line names no request even when its stage is empty: it only ever joins its request by auditID.
  return { event, mergeKey: (stage || responseOnly) && auditID ? `rancher|${auditID}` : undefined, stage };
}

export const rancherAuditParser: ObjectParser = {
  id: 'rancher-audit',
  source: SOURCE,
  detect: isRancherShape,
  parse: parseRancherAuditEvent,
};
