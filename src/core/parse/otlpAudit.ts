import type { ChangeEvent } from '../model';
import { classifyActor } from './actor';
import { fnv1a } from './hash';
import { parseK8sRequestPath } from './k8sPath';
import { fromNs } from './time';
import type { ParseContext } from './types';

/**
 * Audit events shipped over OTLP in the OpenShift logging data model: the body is the audit JSON line, and the
 * collector copies fields into log attributes that Loki keeps as structured metadata — `k8s.audit.event.level`,
 * `.stage`, `.request.uri`, `.request.verb`, `.user_agent`, `.response.code`, `.object_ref.*`,
 * `k8s.user.username`, `k8s.user.groups` (openshift/cluster-logging-operator, OTEL audit transform; Loki writes
 * the names with `_` for `.`). When the body cannot be read (cut short, not JSON), these still say who did what.
 */

const SOURCE = 'kube-audit';

function attr(labels: Record<string, string>, dotted: string): string | undefined {
  const v = labels[dotted] ?? labels[dotted.replace(/\./g, '_')];
  return v === undefined || v === '' ? undefined : v;
}

export function auditFromOtlpMetadata(labels: Record<string, string>, ctx: ParseContext): ChangeEvent | undefined {
  const user = attr(labels, 'k8s.user.username');
  const verb = attr(labels, 'k8s.audit.event.request.verb');
  const uri = attr(labels, 'k8s.audit.event.request.uri');
  if (!user || !verb || !uri) {
    return undefined;
  }
  const req = parseK8sRequestPath(uri);
  const target = { ...req.target };
  const resource = attr(labels, 'k8s.audit.event.object_ref.resource');
  if (resource) {
    target.resource = resource;
    target.apiGroup = attr(labels, 'k8s.audit.event.object_ref.api_group') ?? target.apiGroup;
    const namespace = attr(labels, 'k8s.audit.event.object_ref.namespace');
    const name = attr(labels, 'k8s.audit.event.object_ref.name');
    if (namespace) {
      target.namespace = namespace;
    }
    if (name) {
      target.name = name;
    }
  }
  const codeText = attr(labels, 'k8s.audit.event.response.code');
  const code = codeText && /^\d{3}$/.test(codeText) ? Number(codeText) : undefined;
  const userAgent = attr(labels, 'k8s.audit.event.user_agent');
  const stage = attr(labels, 'k8s.audit.event.stage');
  const t = ctx.fallbackNs ? fromNs(ctx.fallbackNs) : undefined;
  const event: ChangeEvent = {
    id: `${SOURCE}:otlp-${fnv1a(`${ctx.fallbackNs ?? ''}|${user}|${verb}|${uri}|${stage ?? ''}`)}`,
    source: SOURCE,
    format: 'kube-audit/otlp-metadata',
    time: t?.ms,
    ns: t?.ns ?? '',
    actor: { name: user, kind: classifyActor(user, { userAgent }), groups: [], via: [] },
    sourceIPs: [],
    verb,
    target,
    requestURI: uri,
    outcome: code === undefined ? { status: 'unknown' } : { code, status: code < 400 ? 'success' : 'failure' },
    keys: {},
    truncated: true,
    raw: ctx.raw,
  };
  if (userAgent) {
    event.userAgent = userAgent;
  }
  if (stage) {
    event.stages = [stage];
  }
  return event;
}
