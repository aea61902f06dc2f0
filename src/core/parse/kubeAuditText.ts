import type { ChangeEvent } from '../model';
import { classifyActor, isRancherImpersonator } from './actor';
import { parseK8sRequestPath, verbForMethod } from './k8sPath';
import { parseLogfmt } from './logfmt';
import { parseTimestamp } from './time';
import { skip, type ParseContext, type ParseResult, type TextParser } from './types';

/**
 * The kube-apiserver `legacy` audit log format (`--audit-log-format=legacy`, audit/format.go `EventString`):
 * `<time> AUDIT: id="…" stage="…" ip="…" method="…" user="…" groups="…" as="…" asgroups="…" user-agent="…"
 * namespace="…" uri="…" response="…"`. Before Kubernetes 1.8 the request and its response were two lines
 * (`id=… response="404"`) and `method` was the HTTP method; since 1.8 `method` carries the verb.
 */

const SOURCE = 'kube-audit';
const MARKER = ' AUDIT: ';
const NONE = new Set(['<none>', '<self>', '<lookup>', '<unknown>', '<deferred>', '']);

function val(v: string | undefined): string | undefined {
  return v === undefined || NONE.has(v) ? undefined : v;
}

/**
 * `groups` / `asgroups`: each group `%q`-quoted, then comma-joined, then the whole `%q`-quoted again
 * (staging/src/k8s.io/apiserver/pkg/audit/format.go, `auditStringSlice`). After the outer unquote:
 * `"system:masters","system:authenticated"`. Lines written without the inner quotes are split on commas.
 */
export function unquoteGroups(v: string | undefined): string[] {
  const text = val(v);
  if (text === undefined) {
    return [];
  }
  if (!text.startsWith('"')) {
    return text.split(',');
  }
  const out: string[] = [];
  const item = /"((?:[^"\\]|\\.)*)"(?:,|$)/y;
  let m: RegExpExecArray | null;
  while ((m = item.exec(text)) !== null) {
    out.push(m[1].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)));
    if (item.lastIndex >= text.length) {
      break;
    }
  }
  return out;
}

export function parseKubeAuditTextLine(line: string, ctx: ParseContext): ParseResult {
  const at = line.indexOf(MARKER);
  const time = parseTimestamp(line.slice(0, at));
  if (!time) {
    return skip(SOURCE, 'invalid-timestamp');
  }
  const kv = parseLogfmt(line.slice(at + MARKER.length));
  if (!kv || !kv.id) {
    return skip(SOURCE, 'invalid-legacy-line');
  }
  const uri = val(kv.uri);
  const req = uri ? parseK8sRequestPath(uri) : undefined;
  const method = val(kv.method);
  const verb =
    method === undefined ? '' : /^[A-Z]+$/.test(method) && req ? verbForMethod(method, req) : method.toLowerCase();
  const userName = kv.user ?? '';
  const groups = unquoteGroups(kv.groups);
  const as = val(kv.as);
  const ua = val(kv['user-agent']);
  const actorName = as ?? userName;
  const code = kv.response && /^\d+$/.test(kv.response) ? Number(kv.response) : undefined;
  const target = req ? { ...req.target } : { apiGroup: '', resource: '' };
  const ns = val(kv.namespace);
  if (ns && req?.isResource) {
    target.namespace = ns;
  }
  const event: ChangeEvent = {
    id: `${SOURCE}:${kv.id}`,
    source: SOURCE,
    format: 'kube-audit/legacy-text',
    time: time.ms,
    ns: time.ns,
    actor: {
      name: actorName,
      kind: classifyActor(actorName, { groups, userAgent: ua }),
      groups: as ? unquoteGroups(kv.asgroups) : groups,
      via: as
        ? [
            {
              name: userName,
              kind: classifyActor(userName, { groups }),
              mechanism: isRancherImpersonator(userName) ? 'rancher-impersonation' : 'impersonation',
            },
          ]
        : [],
    },
    sourceIPs: val(kv.ip)?.split(',') ?? [],
    verb,
    target,
    outcome: code === undefined ? { status: 'unknown' } : { code, status: code < 400 ? 'success' : 'failure' },
    keys: { auditID: kv.id },
    raw: ctx.raw,
  };
  if (ua) {
    event.userAgent = ua;
  }
  if (uri) {
    event.requestURI = uri;
  }
  const stage = kv.stage ?? (method === undefined ? 'ResponseComplete' : 'RequestReceived');
  event.stages = [stage];
  return { event, mergeKey: `legacy|${kv.id}`, stage };
}

export const kubeAuditTextParser: TextParser = {
  id: 'kube-audit-legacy-text',
  source: SOURCE,
  detect: (line) => line.includes(MARKER) && /^\d{4}-\d{2}-\d{2}T/.test(line),
  parse: parseKubeAuditTextLine,
};
