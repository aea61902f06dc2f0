import type { ChangeEvent, Outcome } from '../model';
import { classifyActor } from './actor';
import { isObj, optObj, optStr, type Obj } from './fields';
import { fnv1a } from './hash';
import { parseK8sRequestPath } from './k8sPath';
import { fromNs, parseTimestamp } from './time';
import { skip, type ObjectParser, type ParseContext, type ParseResult } from './types';

/**
 * GKE delivers kube-apiserver audit events as Cloud Audit Log entries (log-formats.md §1.9, sample S3):
 * `protoPayload.authenticationInfo.principalEmail`, `methodName` (`io.k8s.<group>.<version>.<resource>.<verb>`,
 * `io.k8s.get` for non-resource URLs), `resourceName` (`core/v1/namespaces/ns/pods/name`, or `readyz`),
 * `requestMetadata.callerIp`, `status.code` (a google.rpc code), and the authorization annotations in `labels`.
 */

const SOURCE = 'kube-audit';

// google.rpc.Code → the HTTP status the apiserver answered with.
const RPC_TO_HTTP: Record<number, number> = {
  0: 200,
  3: 400,
  4: 504,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  10: 409,
  13: 500,
  14: 503,
  16: 401,
};

function toRequestPath(resourceName: string, method: string): string {
  const [group, version, ...rest] = resourceName.split('/');
  // Discovery (`api/v1`, `apis/apps/v1`) and other non-resource URLs come as `io.k8s.get` with the URL path.
  if (method === 'io.k8s.get' || version === undefined || !/^v\d/.test(version) || /^apis?\//.test(resourceName)) {
    return `/${resourceName}`;
  }
  return group === 'core' ? `/api/${version}/${rest.join('/')}` : `/apis/${group}/${version}/${rest.join('/')}`;
}

export function parseGkeAuditEntry(o: Obj, ctx: ParseContext): ParseResult {
  const p = optObj(o, 'protoPayload') as Obj;
  const method = optStr(p, 'methodName', 'protoPayload');
  const principal = optStr(
    optObj(p, 'authenticationInfo', 'protoPayload') ?? {},
    'principalEmail',
    'protoPayload.authenticationInfo'
  );
  if (!method || !principal) {
    return skip(SOURCE, 'missing-field', method ? 'principalEmail' : 'methodName');
  }
  const timeText = optStr(o, 'timestamp');
  const time = timeText !== undefined ? parseTimestamp(timeText) : ctx.fallbackNs ? fromNs(ctx.fallbackNs) : undefined;
  if (timeText !== undefined && !time) {
    return skip(SOURCE, 'invalid-timestamp');
  }
  const meta = optObj(p, 'requestMetadata', 'protoPayload') ?? {};
  const userAgent = optStr(meta, 'callerSuppliedUserAgent', 'requestMetadata');
  const callerIp = optStr(meta, 'callerIp', 'requestMetadata');
  const resourceName = optStr(p, 'resourceName', 'protoPayload') ?? '';
  const path = toRequestPath(resourceName, method);
  const target = parseK8sRequestPath(path).target;
  const status = optObj(p, 'status', 'protoPayload');
  const rpc = status && typeof status.code === 'number' ? status.code : undefined;
  const labels = isObj(o.labels) ? o.labels : {};
  const decision = labels['authorization.k8s.io/decision'];
  const outcome: Outcome = { status: rpc === undefined ? 'unknown' : rpc === 0 ? 'success' : 'failure' };
  if (rpc !== undefined && RPC_TO_HTTP[rpc] !== undefined) {
    outcome.code = RPC_TO_HTTP[rpc];
  }
  if (decision === 'allow' || decision === 'forbid') {
    outcome.decision = decision;
  }
  if (typeof labels['authorization.k8s.io/reason'] === 'string' && labels['authorization.k8s.io/reason'] !== '') {
    outcome.authzReason = labels['authorization.k8s.io/reason'];
  }
  const insertId = optStr(o, 'insertId');
  const event: ChangeEvent = {
    id: `${SOURCE}:gke-${insertId ?? fnv1a(ctx.text)}`,
    source: SOURCE,
    format: 'kube-audit/gke',
    time: time?.ms,
    ns: time?.ns ?? '',
    actor: { name: principal, kind: classifyActor(principal, { userAgent }), groups: [], via: [] },
    sourceIPs: callerIp ? [callerIp] : [],
    verb: method.slice(method.lastIndexOf('.') + 1),
    target: ctx.raw.labels.cluster ? { ...target, cluster: ctx.raw.labels.cluster } : target,
    requestURI: path,
    outcome,
    keys: insertId ? { insertId } : {},
    raw: ctx.raw,
  };
  if (userAgent) {
    event.userAgent = userAgent;
  }
  return { event };
}

export const gkeAuditParser: ObjectParser = {
  id: 'kube-audit-gke',
  source: SOURCE,
  detect: (o) => isObj(o.protoPayload) && (o.protoPayload as Obj).serviceName === 'k8s.io',
  parse: parseGkeAuditEntry,
};
