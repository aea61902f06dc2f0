import { KUBE_CONTROLLERS } from '../routine/classes';
import { pick, uuid, type Rng } from './random';
import { kubePath } from './records';

/**
 * Background kube-apiserver audit traffic of a real cluster, line for line as kube-apiserver writes it (field
 * order of `audit.k8s.io/v1` Event and ObjectReference, compact JSON, `apiGroup` omitted for the core group).
 *
 * The mix, as a share of all audit events, follows published measurements and the policies that tame it:
 * - node Leases renewed every 10 s by each kubelet and leader election (get + update every 2 s per component)
 *   make ~20–25% of all events; Events, TokenReviews/SubjectAccessReviews, `nodes/status` and `pods/status`
 *   patches and EndpointSlice updates make most of the writes; reads (get/list/watch by controllers and nodes)
 *   make the largest share; health, version and OpenAPI requests a few percent;
 * - the levels are those of Kubernetes' GCE ("GKE-style") policy, `create-master-audit-policy` in
 *   `cluster/gce/gci/configure-helper.sh`: writes of known APIs at RequestResponse (request and response
 *   bodies), `nodes/status` and `pods/status` updates by nodes at Request (the patch only), reads at Request
 *   (no body), TokenReviews and Secrets at Metadata, RequestReceived omitted. Watches are long-running: they
 *   have a ResponseStarted and a ResponseComplete stage, two lines of one request. Events are kept at Metadata
 *   (GCE drops them, many clusters keep them: OpenShift's profiles too log what they do not drop).
 * - real workload changes: Deployment → ReplicaSet → Pod rollouts, pods bound by the scheduler, garbage
 *   collection of old ReplicaSets and finished pods, Jobs from CronJobs, HPA scaling, operators updating their
 *   custom resources, and GitOps controllers writing only their own state.
 * Every name, uid and time comes from the seeded generator: the same seed gives the same lines.
 */

export interface ClusterShape {
  /** Worker nodes (each renews a Lease every 10 s and patches its status). Default 50. */
  nodes: number;
  /** Operators besides kube-controller-manager's own controllers (leader election, reads, CR status). Default 12. */
  controllers: number;
}

export const DEFAULT_CLUSTER: ClusterShape = { nodes: 50, controllers: 12 };

interface Who {
  username: string;
  groups: string[];
  ua: string;
  ip: string;
}

const K8S = 'v1.31.2 (linux/amd64) kubernetes/5864a46';
const SA_GROUPS = (ns: string) => ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'];
const APP_NAMESPACES = ['web', 'api', 'batch', 'data', 'search', 'billing', 'auth', 'media'];
const WORKLOADS = ['frontend', 'gateway', 'orders', 'catalog', 'cart', 'users', 'indexer', 'reports', 'mailer'];

/** Operators a cluster runs, in the order `controllers` takes them: namespace, service account, user agent, CRs. */
const OPERATORS: Array<{ ns: string; sa: string; ua: string; group: string; resource: string }> = [
  {
    ns: 'cert-manager',
    sa: 'cert-manager',
    ua: 'cert-manager-controller/v1.16.1',
    group: 'cert-manager.io',
    resource: 'certificates',
  },
  {
    ns: 'ingress-nginx',
    sa: 'ingress-nginx',
    ua: 'nginx-ingress-controller/v1.11.3',
    group: 'networking.k8s.io',
    resource: 'ingresses',
  },
  {
    ns: 'monitoring',
    sa: 'prometheus-operator',
    ua: 'PrometheusOperator/0.78.1',
    group: 'monitoring.coreos.com',
    resource: 'prometheuses',
  },
  {
    ns: 'monitoring',
    sa: 'kube-state-metrics',
    ua: 'kube-state-metrics/v2.13.0',
    group: 'apps',
    resource: 'deployments',
  },
  {
    ns: 'external-dns',
    sa: 'external-dns',
    ua: 'external-dns/v0.15.0',
    group: 'externaldns.k8s.io',
    resource: 'dnsendpoints',
  },
  { ns: 'kube-system', sa: 'cluster-autoscaler', ua: 'cluster-autoscaler/v1.31.0', group: '', resource: 'configmaps' },
  { ns: 'keda', sa: 'keda-operator', ua: 'keda/2.16.0', group: 'keda.sh', resource: 'scaledobjects' },
  { ns: 'velero', sa: 'velero', ua: 'velero/v1.15.0', group: 'velero.io', resource: 'backups' },
  {
    ns: 'longhorn-system',
    sa: 'longhorn-service-account',
    ua: 'longhorn-manager/v1.7.2',
    group: 'longhorn.io',
    resource: 'volumes',
  },
  {
    ns: 'kyverno',
    sa: 'kyverno-admission-controller',
    ua: 'kyverno/v1.13.1',
    group: 'kyverno.io',
    resource: 'policyreports',
  },
  {
    ns: 'istio-system',
    sa: 'istiod',
    ua: 'pilot-discovery/1.24.1',
    group: 'networking.istio.io',
    resource: 'virtualservices',
  },
  {
    ns: 'gatekeeper-system',
    sa: 'gatekeeper-admin',
    ua: 'gatekeeper/v3.17.1',
    group: 'templates.gatekeeper.sh',
    resource: 'constrainttemplates',
  },
  { ns: 'kube-system', sa: 'metrics-server', ua: 'metrics-server/v0.7.2', group: '', resource: 'configmaps' },
  { ns: 'kube-system', sa: 'coredns', ua: 'coredns/v1.11.3', group: '', resource: 'configmaps' },
];

/** Share of each kind of request in every 1,000 audit events. */
const MIX: Array<[kind: Kind, perMille: number]> = [
  ['read', 375],
  ['lease-get', 95],
  ['lease-update', 130],
  ['event', 80],
  ['review', 60],
  ['node-status', 45],
  ['pod-status', 55],
  ['endpoints', 45],
  ['health', 60],
  ['rollout', 25],
  ['gc', 5],
  ['cronjob', 10],
  ['hpa', 12],
  ['operator', 8],
  ['gitops', 5],
];
type Kind =
  | 'read'
  | 'lease-get'
  | 'lease-update'
  | 'event'
  | 'review'
  | 'node-status'
  | 'pod-status'
  | 'endpoints'
  | 'health'
  | 'rollout'
  | 'gc'
  | 'cronjob'
  | 'hpa'
  | 'operator'
  | 'gitops';
const MIX_TOTAL = MIX.reduce((n, [, w]) => n + w, 0);

interface Request {
  who: Who;
  verb: string;
  level: 'Metadata' | 'Request' | 'RequestResponse';
  uri: string;
  objectRef?: { resource: string; namespace?: string; name?: string; apiGroup?: string; subresource?: string };
  code: number;
  requestObject?: unknown;
  responseObject?: unknown;
  /** Long-running (watch): a ResponseStarted line, then ResponseComplete. */
  longRunning?: boolean;
  reason: string;
}

const micro = (ms: number, us: number) => new Date(ms).toISOString().replace('Z', `${String(us).padStart(3, '0')}Z`);

function line(r: Request, auditID: string, stage: string, ms: number, us: number): string {
  // Field order of audit.k8s.io/v1 Event; ObjectReference fields in their declared order, empty ones omitted.
  const rec: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: r.level,
    auditID,
    stage,
    requestURI: r.uri,
    verb: r.verb,
    user: { username: r.who.username, groups: r.who.groups },
    sourceIPs: [r.who.ip],
    userAgent: r.who.ua,
  };
  if (r.objectRef) {
    const o = r.objectRef;
    const ref: Record<string, string> = { resource: o.resource };
    if (o.namespace) {
      ref.namespace = o.namespace;
    }
    if (o.name) {
      ref.name = o.name;
    }
    if (o.apiGroup) {
      ref.apiGroup = o.apiGroup;
    }
    ref.apiVersion = 'v1';
    if (o.subresource) {
      ref.subresource = o.subresource;
    }
    rec.objectRef = ref;
  }
  if (stage !== 'RequestReceived') {
    rec.responseStatus =
      r.code < 400
        ? { metadata: {}, code: r.code }
        : {
            metadata: {},
            status: 'Failure',
            message: r.reason,
            reason: r.code === 409 ? 'Conflict' : 'Forbidden',
            code: r.code,
          };
  }
  if (r.requestObject !== undefined && r.level !== 'Metadata') {
    rec.requestObject = r.requestObject;
  }
  if (r.responseObject !== undefined && r.level === 'RequestResponse' && stage === 'ResponseComplete') {
    rec.responseObject = r.responseObject;
  }
  rec.requestReceivedTimestamp = micro(ms, us);
  rec.stageTimestamp = micro(ms + (stage === 'ResponseComplete' && r.longRunning ? 420_000 : 3), us);
  rec.annotations = {
    'authorization.k8s.io/decision': r.code === 403 ? 'forbid' : 'allow',
    'authorization.k8s.io/reason': r.reason,
  };
  return JSON.stringify(rec);
}

const path = (group: string | undefined, resource: string, namespace?: string, name?: string, subresource?: string) =>
  kubePath({ apiGroup: group ?? '', resource, namespace, name, subresource });

function meta(rng: Rng, name: string, namespace?: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    uid: uuid(rng),
    resourceVersion: String(4_000_000 + Math.floor(rng() * 5_000_000)),
    creationTimestamp: '2026-02-11T08:14:03Z',
    ...extra,
  };
}

const hash = (rng: Rng, n: number) =>
  Array.from({ length: n }, () => 'bcdfghjklmnpqrstvwxz2456789'[Math.floor(rng() * 27)]).join('');

/** A cluster's audit stream, one line at a time. Lines of a two-stage request come one after the other. */
export class ClusterTraffic {
  private readonly nodes: Who[];
  private readonly cp: Who[];
  private readonly operators: Array<Who & (typeof OPERATORS)[number]>;
  private pending: string[] = [];
  /** Time of the line being written (bodies carry it, e.g. a Lease's renewTime). */
  private now = 0;

  constructor(
    private readonly rng: Rng,
    shape: ClusterShape = DEFAULT_CLUSTER
  ) {
    const nodeCount = Math.max(1, shape.nodes);
    this.nodes = Array.from({ length: nodeCount }, (_, i) => ({
      username: `system:node:worker-${i + 1}`,
      groups: ['system:nodes', 'system:authenticated'],
      ua: `kubelet/${K8S}`,
      ip: `10.0.${Math.floor(i / 200) + 1}.${(i % 200) + 10}`,
    }));
    this.cp = [1, 2, 3].map((i) => ({ username: '', groups: [], ua: '', ip: `10.0.0.${i + 1}` }));
    this.operators = OPERATORS.slice(0, Math.max(0, Math.min(OPERATORS.length, shape.controllers))).map((o) => ({
      ...o,
      username: `system:serviceaccount:${o.ns}:${o.sa}`,
      groups: SA_GROUPS(o.ns),
      ua: `${o.ua} (linux/amd64)`,
      ip: `10.42.${Math.floor(this.rng() * 8)}.${Math.floor(this.rng() * 250) + 2}`,
    }));
  }

  /** The audit line at `ms`. */
  next(ms: number): string {
    const queued = this.pending.shift();
    if (queued !== undefined) {
      return queued;
    }
    this.now = ms;
    const r = this.request(this.kind());
    const id = uuid(this.rng);
    const us = Math.floor(this.rng() * 1000);
    if (r.longRunning) {
      this.pending.push(line(r, id, 'ResponseComplete', ms, us));
      return line(r, id, 'ResponseStarted', ms, us);
    }
    return line(r, id, 'ResponseComplete', ms, us);
  }

  private kind(): Kind {
    let x = this.rng() * MIX_TOTAL;
    for (const [k, w] of MIX) {
      x -= w;
      if (x < 0) {
        return k;
      }
    }
    return 'read';
  }

  private controller(name: string): Who {
    return {
      username: `system:serviceaccount:kube-system:${name}`,
      groups: SA_GROUPS('kube-system'),
      ua: `kube-controller-manager/${K8S}/system:serviceaccount:kube-system:${name}`,
      ip: this.cp[0].ip,
    };
  }

  private component(user: 'system:kube-controller-manager' | 'system:kube-scheduler'): Who {
    const bin = user.slice('system:'.length);
    return {
      username: user,
      groups: ['system:authenticated'],
      ua: `${bin}/${K8S}/leader-election`,
      ip: pick(this.rng, this.cp).ip,
    };
  }

  private node(): Who {
    return pick(this.rng, this.nodes);
  }

  private podName(workload: string): string {
    return `${workload}-${hash(this.rng, 9)}-${hash(this.rng, 5)}`;
  }

  private request(kind: Kind): Request {
    const rng = this.rng;
    const rbac = (who: Who) =>
      `RBAC: allowed by ClusterRoleBinding "${who.username.split(':').pop()}" of ClusterRole "${who.username.split(':').pop()}" to User "${who.username}"`;
    const ns = () => pick(rng, APP_NAMESPACES);
    const workload = () => pick(rng, WORKLOADS);
    switch (kind) {
      case 'lease-get':
      case 'lease-update': {
        // Node heartbeats (kube-node-lease) or leader election (kube-system / the operator's namespace).
        const heartbeat = rng() < 0.6;
        const op = this.operators.length && rng() < 0.15 ? pick(rng, this.operators) : undefined;
        const who = heartbeat
          ? this.node()
          : (op ?? this.component(rng() < 0.5 ? 'system:kube-controller-manager' : 'system:kube-scheduler'));
        const name = heartbeat
          ? who.username.slice('system:node:'.length)
          : op
            ? `${op.sa}-leader`
            : who.username.slice('system:'.length);
        const namespace = heartbeat ? 'kube-node-lease' : op ? op.ns : 'kube-system';
        const update = kind === 'lease-update';
        const lease = {
          kind: 'Lease',
          apiVersion: 'coordination.k8s.io/v1',
          metadata: meta(rng, name, namespace),
          spec: {
            holderIdentity: heartbeat ? name : `${name}_${uuid(rng)}`,
            leaseDurationSeconds: heartbeat ? 40 : 15,
            renewTime: micro(this.now, 0),
          },
        };
        // A follower's get is answered 200; now and then an update loses the race (409).
        const code = update && rng() < 0.01 ? 409 : 200;
        return {
          who,
          verb: update ? 'update' : 'get',
          level: update ? 'RequestResponse' : 'Request',
          uri: `${path('coordination.k8s.io', 'leases', namespace, name)}?timeout=${heartbeat ? '10s' : '5s'}`,
          objectRef: { resource: 'leases', namespace, name, apiGroup: 'coordination.k8s.io' },
          code,
          requestObject: update ? lease : undefined,
          responseObject: update && code === 200 ? lease : undefined,
          reason: rbac(who),
        };
      }
      case 'event': {
        const byNode = rng() < 0.6;
        const who = byNode
          ? this.node()
          : this.controller(
              pick(rng, [
                'replicaset-controller',
                'deployment-controller',
                'job-controller',
                'horizontal-pod-autoscaler',
              ])
            );
        const namespace = ns();
        const name = `${this.podName(workload())}.${hash(rng, 16)}`;
        const patch = rng() < 0.3;
        const newApi = rng() < 0.3;
        return {
          who,
          verb: patch ? 'patch' : 'create',
          level: 'Metadata',
          uri: path(newApi ? 'events.k8s.io' : undefined, 'events', namespace, patch ? name : undefined),
          objectRef: {
            resource: 'events',
            namespace,
            name: patch ? name : undefined,
            apiGroup: newApi ? 'events.k8s.io' : undefined,
          },
          code: patch ? 200 : 201,
          reason: rbac(who),
        };
      }
      case 'review': {
        const who =
          this.operators.length && rng() < 0.15
            ? pick(rng, this.operators)
            : rng() < 0.5
              ? this.node()
              : this.component('system:kube-controller-manager');
        const token = rng() < 0.6;
        return {
          who,
          verb: 'create',
          level: 'Metadata',
          uri: token
            ? '/apis/authentication.k8s.io/v1/tokenreviews'
            : '/apis/authorization.k8s.io/v1/subjectaccessreviews',
          objectRef: token
            ? { resource: 'tokenreviews', apiGroup: 'authentication.k8s.io' }
            : { resource: 'subjectaccessreviews', apiGroup: 'authorization.k8s.io' },
          code: 201,
          reason: rbac(who),
        };
      }
      case 'node-status': {
        const who = this.node();
        const name = who.username.slice('system:node:'.length);
        const now = new Date(this.now).toISOString().replace(/\.\d+Z$/, 'Z');
        const conditions = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({
          type,
          status: type === 'Ready' ? 'True' : 'False',
          lastHeartbeatTime: now,
          reason: type === 'Ready' ? 'KubeletReady' : `KubeletHasNo${type}`,
          message: type === 'Ready' ? 'kubelet is posting ready status' : `kubelet has no ${type.toLowerCase()}`,
        }));
        return {
          who,
          verb: 'patch',
          level: 'Request',
          uri: `${path(undefined, 'nodes', undefined, name, 'status')}?timeout=10s`,
          objectRef: { resource: 'nodes', name, subresource: 'status' },
          code: 200,
          requestObject: {
            status: { $setElementOrder_conditions: conditions.map((c) => ({ type: c.type })), conditions },
          },
          reason: '',
        };
      }
      case 'pod-status': {
        const who = this.node();
        const namespace = ns();
        const name = this.podName(workload());
        return {
          who,
          verb: 'patch',
          level: 'Request',
          uri: path(undefined, 'pods', namespace, name, 'status'),
          objectRef: { resource: 'pods', namespace, name, subresource: 'status' },
          code: 200,
          requestObject: {
            metadata: { uid: uuid(rng) },
            status: {
              conditions: [
                { type: 'Ready', status: rng() < 0.9 ? 'True' : 'False', lastTransitionTime: '2026-03-02T10:00:00Z' },
              ],
              containerStatuses: [
                {
                  name: 'app',
                  ready: true,
                  restartCount: Math.floor(rng() * 3),
                  started: true,
                  state: { running: { startedAt: '2026-03-02T09:58:41Z' } },
                  imageID: `registry.example.org/app@sha256:${hash(rng, 32)}`,
                  containerID: `containerd://${hash(rng, 32)}`,
                },
              ],
            },
          },
          reason: '',
        };
      }
      case 'endpoints': {
        const slice = rng() < 0.75;
        const who = this.controller(slice ? 'endpointslice-controller' : 'endpoint-controller');
        const namespace = ns();
        const svc = workload();
        const name = slice ? `${svc}-${hash(rng, 5)}` : svc;
        const obj = slice
          ? {
              kind: 'EndpointSlice',
              apiVersion: 'discovery.k8s.io/v1',
              metadata: meta(rng, name, namespace, { labels: { 'kubernetes.io/service-name': svc } }),
              addressType: 'IPv4',
              endpoints: [1, 2, 3].map(() => ({
                addresses: [`10.42.${Math.floor(rng() * 8)}.${Math.floor(rng() * 250) + 2}`],
                conditions: { ready: true, serving: true, terminating: false },
                nodeName: this.node().username.slice('system:node:'.length),
              })),
              ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
            }
          : { kind: 'Endpoints', apiVersion: 'v1', metadata: meta(rng, name, namespace), subsets: [] };
        return {
          who,
          verb: 'update',
          level: 'RequestResponse',
          uri: path(slice ? 'discovery.k8s.io' : undefined, slice ? 'endpointslices' : 'endpoints', namespace, name),
          objectRef: {
            resource: slice ? 'endpointslices' : 'endpoints',
            namespace,
            name,
            apiGroup: slice ? 'discovery.k8s.io' : undefined,
          },
          code: 200,
          requestObject: obj,
          responseObject: obj,
          reason: rbac(who),
        };
      }
      case 'health': {
        // Load-balancer probes are anonymous; discovery and OpenAPI downloads come from controllers and nodes.
        const probe = rng() < 0.5;
        const who: Who = probe
          ? {
              username: 'system:anonymous',
              groups: ['system:unauthenticated'],
              ua: 'kube-probe/1.31',
              ip: '10.0.0.254',
            }
          : rng() < 0.5
            ? this.node()
            : this.controller(pick(rng, KUBE_CONTROLLERS));
        const uri = probe
          ? pick(rng, ['/readyz', '/livez', '/healthz'])
          : pick(rng, ['/version', '/openapi/v2?timeout=32s', '/api', '/apis', '/openapi/v3']);
        return { who, verb: 'get', level: 'Metadata', uri, code: 200, reason: probe ? '' : rbac(who) };
      }
      case 'rollout':
        return this.rollout();
      case 'gc': {
        const pods = rng() < 0.5;
        const who = this.controller(pods ? 'pod-garbage-collector' : 'generic-garbage-collector');
        const namespace = ns();
        const w = workload();
        const name = pods ? this.podName(w) : `${w}-${hash(rng, 9)}`;
        return {
          who,
          verb: 'delete',
          level: 'RequestResponse',
          uri: path(pods ? undefined : 'apps', pods ? 'pods' : 'replicasets', namespace, name),
          objectRef: { resource: pods ? 'pods' : 'replicasets', namespace, name, apiGroup: pods ? undefined : 'apps' },
          code: 200,
          requestObject: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
          responseObject: {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Success',
            details: { name, kind: pods ? 'pods' : 'replicasets', uid: uuid(rng) },
          },
          reason: rbac(who),
        };
      }
      case 'cronjob': {
        const namespace = 'batch';
        const job = `${pick(rng, ['nightly-report', 'cleanup', 'sync-ledger', 'backup-db'])}-${29_000_000 + Math.floor(rng() * 99_999)}`;
        const step = Math.floor(rng() * 4);
        const who = this.controller(
          ['cronjob-controller', 'job-controller', 'job-controller', 'ttl-after-finished-controller'][step]
        );
        const jobObj = {
          kind: 'Job',
          apiVersion: 'batch/v1',
          metadata: meta(rng, job, namespace, {
            ownerReferences: [
              { apiVersion: 'batch/v1', kind: 'CronJob', name: job.replace(/-\d+$/, ''), controller: true },
            ],
          }),
          spec: {
            backoffLimit: 2,
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                containers: [{ name: 'job', image: 'registry.example.org/jobs:4.2.0' }],
              },
            },
          },
        };
        const shapes: Array<Omit<Request, 'who' | 'reason' | 'level' | 'code'> & { code?: number }> = [
          {
            verb: 'create',
            uri: path('batch', 'jobs', namespace),
            objectRef: { resource: 'jobs', namespace, name: job, apiGroup: 'batch' },
            requestObject: jobObj,
            responseObject: jobObj,
            code: 201,
          },
          {
            verb: 'create',
            uri: path(undefined, 'pods', namespace),
            objectRef: { resource: 'pods', namespace, name: `${job}-${hash(rng, 5)}` },
            requestObject: { kind: 'Pod', apiVersion: 'v1', metadata: { generateName: `${job}-` } },
            code: 201,
          },
          {
            verb: 'update',
            uri: path('batch', 'jobs', namespace, job, 'status'),
            objectRef: { resource: 'jobs', namespace, name: job, apiGroup: 'batch', subresource: 'status' },
            requestObject: { ...jobObj, status: { succeeded: 1 } },
          },
          {
            verb: 'delete',
            uri: path('batch', 'jobs', namespace, job),
            objectRef: { resource: 'jobs', namespace, name: job, apiGroup: 'batch' },
            requestObject: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' },
          },
        ];
        return { who, level: 'RequestResponse', code: 200, reason: rbac(who), ...shapes[step] };
      }
      case 'hpa': {
        const who = this.controller('horizontal-pod-autoscaler');
        const namespace = ns();
        const name = workload();
        if (rng() < 0.5) {
          return {
            who,
            verb: 'list',
            level: 'Request',
            uri: `/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods?labelSelector=app%3D${name}`,
            objectRef: { resource: 'pods', namespace, apiGroup: 'metrics.k8s.io' },
            code: 200,
            reason: rbac(who),
          };
        }
        const scale = rng() < 0.3;
        const replicas = 2 + Math.floor(rng() * 8);
        return scale
          ? {
              who,
              verb: 'update',
              level: 'RequestResponse',
              uri: path('apps', 'deployments', namespace, name, 'scale'),
              objectRef: { resource: 'deployments', namespace, name, apiGroup: 'apps', subresource: 'scale' },
              code: 200,
              requestObject: {
                kind: 'Scale',
                apiVersion: 'autoscaling/v1',
                metadata: { name, namespace },
                spec: { replicas },
              },
              responseObject: { kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas }, status: { replicas } },
              reason: rbac(who),
            }
          : {
              who,
              verb: 'update',
              level: 'RequestResponse',
              uri: path('autoscaling', 'horizontalpodautoscalers', namespace, name, 'status'),
              objectRef: {
                resource: 'horizontalpodautoscalers',
                namespace,
                name,
                apiGroup: 'autoscaling',
                subresource: 'status',
              },
              code: 200,
              requestObject: {
                kind: 'HorizontalPodAutoscaler',
                apiVersion: 'autoscaling/v2',
                metadata: meta(rng, name, namespace),
                status: { currentReplicas: replicas, desiredReplicas: replicas },
              },
              reason: rbac(who),
            };
      }
      case 'operator': {
        if (this.operators.length === 0) {
          return this.request('read');
        }
        const op = pick(rng, this.operators);
        const namespace = op.group === '' ? op.ns : ns();
        const name = `${workload()}-${hash(rng, 4)}`;
        const obj = {
          apiVersion: `${op.group || 'v1'}`,
          kind: op.resource,
          metadata: meta(rng, name, namespace),
          status: { observedGeneration: 3, conditions: [{ type: 'Ready', status: 'True' }] },
        };
        return {
          who: op,
          verb: 'update',
          level: 'RequestResponse',
          uri: path(op.group || undefined, op.resource, namespace, name, op.group === '' ? undefined : 'status'),
          objectRef: {
            resource: op.resource,
            namespace,
            name,
            apiGroup: op.group || undefined,
            subresource: op.group === '' ? undefined : 'status',
          },
          code: 200,
          requestObject: obj,
          responseObject: obj,
          reason: rbac(op),
        };
      }
      case 'gitops': {
        // GitOps controllers watch everything and write only their own state (their app writes are the scenarios').
        const argo = rng() < 0.6;
        const who: Who = argo
          ? {
              username: 'system:serviceaccount:argocd:argocd-application-controller',
              groups: SA_GROUPS('argocd'),
              ua: 'argocd-application-controller/v3.1.8 (linux/amd64)',
              ip: '10.10.20.15',
            }
          : {
              username: 'system:serviceaccount:cattle-fleet-system:fleet-agent',
              groups: SA_GROUPS('cattle-fleet-system'),
              ua: 'fleetagent/v0.13.1 (linux/amd64) kubernetes/$Format',
              ip: '10.42.3.9',
            };
        if (rng() < 0.8) {
          return this.read(who);
        }
        const namespace = argo ? 'argocd' : 'cattle-fleet-system';
        const name = argo ? 'argocd-application-controller' : 'fleet-agent-lock';
        return {
          who,
          verb: 'update',
          level: 'RequestResponse',
          uri: path(argo ? undefined : 'coordination.k8s.io', argo ? 'configmaps' : 'leases', namespace, name),
          objectRef: {
            resource: argo ? 'configmaps' : 'leases',
            namespace,
            name,
            apiGroup: argo ? undefined : 'coordination.k8s.io',
          },
          code: 200,
          reason: rbac(who),
        };
      }
      default: {
        const who =
          rng() < 0.3
            ? this.node()
            : this.operators.length && rng() < 0.3
              ? pick(rng, this.operators)
              : this.controller(pick(rng, KUBE_CONTROLLERS));
        return this.read(who);
      }
    }
  }

  /** get, list or watch by a component (Request level for known APIs: no bodies). */
  private read(who: Who): Request {
    const rng = this.rng;
    const r = pick(rng, [
      { group: undefined, resource: 'pods' },
      { group: undefined, resource: 'configmaps' },
      { group: undefined, resource: 'secrets' },
      { group: undefined, resource: 'services' },
      { group: undefined, resource: 'nodes' },
      { group: 'apps', resource: 'replicasets' },
      { group: 'apps', resource: 'deployments' },
      { group: 'discovery.k8s.io', resource: 'endpointslices' },
      { group: 'batch', resource: 'jobs' },
    ]);
    const verb = pick(rng, ['get', 'list', 'watch', 'watch']);
    const namespace = r.resource === 'nodes' ? undefined : pick(rng, APP_NAMESPACES);
    const name =
      verb === 'get'
        ? r.resource === 'nodes'
          ? this.node().username.slice(12)
          : `${pick(rng, WORKLOADS)}-${hash(rng, 5)}`
        : undefined;
    const query =
      verb === 'watch'
        ? `?allowWatchBookmarks=true&resourceVersion=${4_000_000 + Math.floor(rng() * 5_000_000)}&timeout=7m2s&timeoutSeconds=422&watch=true`
        : verb === 'list'
          ? '?limit=500&resourceVersion=0'
          : '';
    return {
      who,
      verb,
      level: r.resource === 'secrets' ? 'Metadata' : 'Request',
      uri: path(r.group, r.resource, namespace, name) + query,
      objectRef: { resource: r.resource, namespace, name, apiGroup: r.group },
      code: 200,
      longRunning: verb === 'watch',
      reason: `RBAC: allowed by ClusterRoleBinding "system:controller" of ClusterRole "system:controller" to User "${who.username}"`,
    };
  }

  /** One step of a Deployment rollout: the Deployment, its new ReplicaSet, a Pod of it, the Pod's binding. */
  private rollout(): Request {
    const rng = this.rng;
    const namespace = pick(rng, APP_NAMESPACES);
    const w = pick(rng, WORKLOADS);
    const rs = `${w}-${hash(rng, 9)}`;
    const pod = `${rs}-${hash(rng, 5)}`;
    const labels = { app: w, 'pod-template-hash': rs.slice(w.length + 1) };
    const container = {
      name: 'app',
      image: `registry.example.org/${w}:1.${Math.floor(rng() * 40)}.0`,
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
      resources: { requests: { cpu: '100m', memory: '128Mi' } },
    };
    const step = Math.floor(rng() * 5);
    if (step === 0) {
      const who = this.controller('deployment-controller');
      const obj = {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        metadata: meta(rng, w, namespace, { generation: 12 }),
        status: {
          observedGeneration: 12,
          replicas: 3,
          updatedReplicas: Math.floor(rng() * 4),
          readyReplicas: 3,
          availableReplicas: 3,
        },
      };
      return {
        who,
        verb: 'update',
        level: 'RequestResponse',
        uri: path('apps', 'deployments', namespace, w, 'status'),
        objectRef: { resource: 'deployments', namespace, name: w, apiGroup: 'apps', subresource: 'status' },
        code: 200,
        requestObject: obj,
        responseObject: obj,
        reason: '',
      };
    }
    if (step === 1) {
      const who = this.controller('deployment-controller');
      const obj = {
        kind: 'ReplicaSet',
        apiVersion: 'apps/v1',
        metadata: meta(rng, rs, namespace, {
          labels,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: w,
              uid: uuid(rng),
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        }),
        spec: {
          replicas: 3,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [container] } },
        },
      };
      const create = rng() < 0.3;
      return {
        who,
        verb: create ? 'create' : 'update',
        level: 'RequestResponse',
        uri: path('apps', 'replicasets', namespace, create ? undefined : rs),
        objectRef: { resource: 'replicasets', namespace, name: rs, apiGroup: 'apps' },
        code: create ? 201 : 200,
        requestObject: obj,
        responseObject: obj,
        reason: '',
      };
    }
    if (step === 2 || step === 3) {
      const who = this.controller('replicaset-controller');
      const del = step === 3;
      const obj = {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: meta(rng, pod, namespace, {
          generateName: `${rs}-`,
          labels,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: rs,
              uid: uuid(rng),
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        }),
        spec: { containers: [container], serviceAccountName: 'default', terminationGracePeriodSeconds: 30 },
      };
      return del
        ? {
            who,
            verb: 'delete',
            level: 'RequestResponse',
            uri: path(undefined, 'pods', namespace, pod),
            objectRef: { resource: 'pods', namespace, name: pod },
            code: 200,
            requestObject: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: uuid(rng) } },
            responseObject: obj,
            reason: '',
          }
        : {
            who,
            verb: 'create',
            level: 'RequestResponse',
            uri: path(undefined, 'pods', namespace),
            objectRef: { resource: 'pods', namespace, name: pod },
            code: 201,
            requestObject: obj,
            responseObject: obj,
            reason: '',
          };
    }
    const who = this.component('system:kube-scheduler');
    const node = this.node().username.slice('system:node:'.length);
    return {
      who,
      verb: 'create',
      level: 'RequestResponse',
      uri: path(undefined, 'pods', namespace, pod, 'binding'),
      objectRef: { resource: 'pods', namespace, name: pod, subresource: 'binding' },
      code: 201,
      requestObject: {
        kind: 'Binding',
        apiVersion: 'v1',
        metadata: { name: pod, namespace },
        target: { kind: 'Node', name: node },
      },
      responseObject: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
      reason: '',
    };
  }
}
