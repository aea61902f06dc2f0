/**
 * Log lines in the real formats (log-formats.md), for the scenario generator. Each writer takes the facts of
 * one record and returns one line exactly as the source writes it.
 */

const iso = (ms: number, micro = true) => {
  const s = new Date(ms).toISOString();
  return micro ? s.replace('Z', '000Z') : s.replace('.000Z', 'Z').replace(/\.\d{3}Z$/, 'Z');
};

export interface Identity {
  /** Rancher user id, when the request came through Rancher. */
  rancherUserId?: string;
  login: string;
  ip: string;
  token?: string;
}

export interface KubeWrite {
  ms: number;
  auditID: string;
  verb: string;
  resource: string;
  apiGroup: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  user: string;
  groups?: string[];
  /** The person behind a Rancher impersonation account. */
  impersonated?: Identity;
  sourceIPs: string[];
  userAgent: string;
  code: number;
  stage?: string;
  level?: string;
  requestObject?: unknown;
  responseObject?: unknown;
  query?: string;
}

export function kubePath(w: Pick<KubeWrite, 'apiGroup' | 'resource' | 'namespace' | 'name' | 'subresource'>): string {
  const base = w.apiGroup ? `/apis/${w.apiGroup}/v1` : '/api/v1';
  const ns = w.namespace ? `/namespaces/${w.namespace}` : '';
  return `${base}${ns}/${w.resource}${w.name ? '/' + w.name : ''}${w.subresource ? '/' + w.subresource : ''}`;
}

export function kubeAuditLine(w: KubeWrite): string {
  const objectRef: Record<string, string> = { resource: w.resource, apiGroup: w.apiGroup, apiVersion: 'v1' };
  if (w.namespace) {
    objectRef.namespace = w.namespace;
  }
  if (w.name) {
    objectRef.name = w.name;
  }
  if (w.subresource) {
    objectRef.subresource = w.subresource;
  }
  const rec: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: w.level ?? 'Metadata',
    auditID: w.auditID,
    stage: w.stage ?? 'ResponseComplete',
    requestURI: kubePath(w) + (w.query ? `?${w.query}` : ''),
    verb: w.verb,
    user: { username: w.user, groups: w.groups ?? ['system:authenticated'] },
  };
  if (w.impersonated?.rancherUserId) {
    const extra: Record<string, string[]> = {
      principalid: [`local://${w.impersonated.rancherUserId}`],
      username: [w.impersonated.login],
    };
    if (w.impersonated.token) {
      extra.requesttokenid = [w.impersonated.token];
      extra.requesthost = ['rancher.example.org'];
    }
    rec.impersonatedUser = {
      username: w.impersonated.rancherUserId,
      groups: ['system:authenticated', 'system:cattle:authenticated'],
      extra,
    };
  }
  Object.assign(rec, {
    sourceIPs: w.sourceIPs,
    userAgent: w.userAgent,
    objectRef,
    responseStatus:
      w.code >= 400
        ? { metadata: {}, status: 'Failure', reason: w.code === 403 ? 'Forbidden' : 'Invalid', code: w.code }
        : { metadata: {}, code: w.code },
  });
  if (w.requestObject !== undefined) {
    rec.requestObject = w.requestObject;
  }
  if (w.responseObject !== undefined) {
    rec.responseObject = w.responseObject;
  }
  rec.requestReceivedTimestamp = iso(w.ms);
  rec.stageTimestamp = iso(w.ms + 9);
  rec.annotations = {
    'authorization.k8s.io/decision': w.code === 403 ? 'forbid' : 'allow',
    'authorization.k8s.io/reason': '',
  };
  return JSON.stringify(rec);
}

/** Rancher v2.2+ API audit line of a request through the cluster proxy or the steve API. */
export function rancherAuditLine(r: {
  ms: number;
  auditID: string;
  uri: string;
  method: string;
  who: Identity;
  code: number;
  body?: unknown;
}): string {
  const extra: Record<string, string[]> = { principalid: [`local://${r.who.rancherUserId}`], username: [r.who.login] };
  if (r.who.token) {
    extra.requesttokenid = [r.who.token];
    extra.requesthost = ['rancher.example.org'];
  }
  const rec: Record<string, unknown> = {
    auditID: r.auditID,
    requestURI: r.uri,
    user: { name: r.who.rancherUserId, group: ['system:authenticated', 'system:cattle:authenticated'], extra },
    method: r.method,
    remoteAddr: '10.42.0.17:51234',
    responseCode: r.code,
    requestTimestamp: iso(Math.floor(r.ms / 1000) * 1000, false),
    responseTimestamp: iso(Math.floor(r.ms / 1000) * 1000, false),
    requestHeader: {
      'User-Agent': ['Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0'],
      'X-Forwarded-For': [r.who.ip],
      'X-Real-Ip': [r.who.ip],
    },
  };
  if (r.body !== undefined) {
    rec.requestBody = r.body;
  }
  return JSON.stringify(rec);
}

/** An Argo CD logrus JSON line (event logger or controller). */
export function argoLogLine(a: {
  ms: number;
  app: string;
  appNamespace?: string;
  destNamespace?: string;
  msg: string;
  reason?: string;
  type?: string;
  user?: string;
}): string {
  const rec: Record<string, unknown> = { application: a.app, 'app-namespace': a.appNamespace ?? 'argocd' };
  if (a.destNamespace) {
    rec['dest-namespace'] = a.destNamespace;
    rec['dest-server'] = 'https://kubernetes.default.svc';
  }
  rec.level = 'info';
  rec.msg = a.msg;
  if (a.reason) {
    rec.reason = a.reason;
  }
  rec.time = iso(a.ms, false);
  if (a.type) {
    rec.type = a.type;
  }
  if (a.user) {
    rec.user = a.user;
  }
  return JSON.stringify(rec);
}

/** argocd-server's API-call log line with the caller's JWT claims. */
export function argoApiCallLine(a: {
  ms: number;
  method: string;
  email: string;
  content: Record<string, unknown>;
}): string {
  return JSON.stringify({
    'grpc.code': 'OK',
    'grpc.method': a.method,
    'grpc.request.claims': JSON.stringify({ iss: 'https://dex.example.org', sub: 'CgRkYW5h', email: a.email }),
    'grpc.request.content': JSON.stringify(a.content),
    'grpc.service': 'application.ApplicationService',
    level: 'info',
    msg: `received unary call /application.ApplicationService/${a.method}`,
    time: iso(a.ms, false),
  });
}

/** A Fleet controller/agent zap JSON line. */
export function fleetLine(rec: Record<string, unknown> & { ms: number }): string {
  const { ms, ...rest } = rec;
  return JSON.stringify({ level: 'info', ts: iso(ms, false), ...rest });
}
