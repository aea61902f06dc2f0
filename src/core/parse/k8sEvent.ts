import { ARGOCD_CONTROLLER, ARGOCD_SERVER, argoEventFromRecord } from './argocd';
import { isObj, type Obj } from './fields';
import { fleetEvent, fleetEventFacts } from './fleet';
import { parseLogfmt } from './logfmt';
import { skip, type ObjectParser, type ParseContext, type ParseResult, type TextParser } from './types';

/**
 * Kubernetes Events about GitOps objects, as they reach Loki (log-formats.md §5.1):
 * - kubernetes-event-exporter: the full `core/v1` Event JSON (annotations kept: Argo CD's `user`, `dest-*`), or
 *   an `events.k8s.io/v1` Event (`regarding`, `note`, `reportingController`);
 * - Alloy `loki.source.kubernetes_events`: logfmt (default) or JSON with keys `name kind action objectAPIversion …
 *   reason type count msg`; annotations and the namespace are not in the line (namespace is a stream label) and
 *   the only time is the Loki entry time.
 * Application events become `argocd` events, GitRepo events `fleet` events; others are skipped.
 */

const SOURCE = 'k8s-event';

interface EventFields {
  kind: string;
  apiVersion: string;
  name?: string;
  namespace?: string;
  reason: string;
  message: string;
  component?: string;
  time?: unknown;
  annotations: Obj;
  format: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function fromEventJson(o: Obj): EventFields {
  const involved = (isObj(o.involvedObject) ? o.involvedObject : isObj(o.regarding) ? o.regarding : {}) as Obj;
  const meta = (isObj(o.metadata) ? o.metadata : {}) as Obj;
  const source = (isObj(o.source) ? o.source : {}) as Obj;
  return {
    kind: str(involved.kind) ?? '',
    apiVersion: str(involved.apiVersion) ?? '',
    name: str(involved.name),
    namespace: str(involved.namespace) ?? str(meta.namespace),
    reason: str(o.reason) ?? '',
    message: str(o.message) ?? str(o.note) ?? '',
    component: str(source.component) ?? str(o.reportingComponent) ?? str(o.reportingController),
    time: str(o.lastTimestamp) ?? str(o.eventTime) ?? str(o.firstTimestamp) ?? str(meta.creationTimestamp),
    annotations: (isObj(meta.annotations) ? meta.annotations : {}) as Obj,
    format: 'k8s-event/exporter-json',
  };
}

function fromAlloy(kv: Record<string, unknown>, labels: Record<string, string>, format: string): EventFields {
  return {
    kind: str(kv.kind) ?? '',
    apiVersion: str(kv.objectAPIversion) ?? '',
    name: str(kv.name),
    namespace: labels.namespace,
    reason: str(kv.reason) ?? '',
    message: str(kv.msg) ?? '',
    component: str(kv.sourcecomponent) ?? str(kv.reportingcontroller),
    annotations: {},
    format,
  };
}

export function gitopsEventFromK8sEvent(ev: EventFields, ctx: ParseContext): ParseResult {
  if (ev.kind === 'Application' && (ev.apiVersion === '' || ev.apiVersion.startsWith('argoproj.io'))) {
    // Other tools (e.g. Kargo) also write OperationStarted events on Applications: only Argo CD's own count.
    if (ev.component && !ev.component.startsWith('argocd')) {
      return skip(SOURCE, 'not-from-argocd');
    }
    return argoEventFromRecord(
      {
        msg: ev.message,
        format: ev.format,
        time: ev.time,
        application: ev.name,
        appNamespace: ev.namespace,
        user: str(ev.annotations.user),
        destServer: str(ev.annotations['dest-server']),
        destNamespace: str(ev.annotations['dest-namespace']),
        reason: ev.reason,
        component: ev.component === ARGOCD_CONTROLLER || ev.component === ARGOCD_SERVER ? ev.component : undefined,
      },
      ctx
    );
  }
  const facts = fleetEventFacts(ev.reason, ev.kind, ev.namespace, ev.name, ev.message);
  if (facts) {
    return fleetEvent(facts, ev.time, ev.format, `${ev.reason}: ${ev.message}`, ctx);
  }
  return skip(SOURCE, ev.kind === 'GitRepo' ? 'not-a-change' : 'not-gitops');
}

export const k8sEventJsonParser: ObjectParser = {
  id: 'k8s-event-json',
  source: SOURCE,
  detect: (o) => (isObj(o.involvedObject) || isObj(o.regarding)) && ('reason' in o || 'message' in o || 'note' in o),
  parse: (o, ctx) => gitopsEventFromK8sEvent(fromEventJson(o), ctx),
};

export const alloyEventJsonParser: ObjectParser = {
  id: 'k8s-event-alloy-json',
  source: SOURCE,
  detect: (o) => 'objectAPIversion' in o && 'reason' in o && 'msg' in o,
  parse: (o, ctx) => gitopsEventFromK8sEvent(fromAlloy(o, ctx.raw.labels, 'k8s-event/alloy-json'), ctx),
};

export const alloyEventLogfmtParser: TextParser = {
  id: 'k8s-event-alloy-logfmt',
  source: SOURCE,
  detect: (line) => line.startsWith('name=') && line.includes(' reason=') && line.includes(' kind='),
  parse(line, ctx) {
    const kv = parseLogfmt(line);
    if (!kv) {
      return skip(SOURCE, 'invalid-logfmt');
    }
    return gitopsEventFromK8sEvent(fromAlloy(kv, ctx.raw.labels, 'k8s-event/alloy-logfmt'), ctx);
  },
};
