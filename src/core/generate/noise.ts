import { pick, uuid, type Rng } from './random';

/**
 * Background kube-apiserver audit traffic as real clusters write it at Metadata level (~0.9 KB a line):
 * controllers and nodes reading, watching and updating leases, pods, configmaps, endpoints. The benchmark's
 * and the scenario generator's filler.
 */

interface NoiseActor {
  user: string;
  groups: string[];
  ua: string;
  /** Namespaces it writes in; GitOps controllers write only their own state (their writes in app namespaces are syncs). */
  writesIn?: string[];
}

const ACTORS: NoiseActor[] = [
  {
    user: 'system:kube-controller-manager',
    groups: ['system:authenticated'],
    ua: 'kube-controller-manager/v1.31.2 (linux/amd64) kubernetes/5864a46/leader-election',
  },
  {
    user: 'system:kube-scheduler',
    groups: ['system:authenticated'],
    ua: 'kube-scheduler/v1.31.2 (linux/amd64) kubernetes/5864a46/scheduler',
  },
  {
    user: 'system:node:worker-1',
    groups: ['system:nodes', 'system:authenticated'],
    ua: 'kubelet/v1.31.2 (linux/amd64) kubernetes/5864a46',
  },
  {
    user: 'system:node:worker-2',
    groups: ['system:nodes', 'system:authenticated'],
    ua: 'kubelet/v1.31.2 (linux/amd64) kubernetes/5864a46',
  },
  {
    user: 'system:serviceaccount:kube-system:replicaset-controller',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
    ua: 'kube-controller-manager/v1.31.2 (linux/amd64) kubernetes/5864a46/system:serviceaccount:kube-system:replicaset-controller',
  },
  {
    user: 'system:serviceaccount:argocd:argocd-application-controller',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:argocd', 'system:authenticated'],
    ua: 'argocd-application-controller/v3.1.8 (linux/amd64)',
    writesIn: ['argocd'],
  },
  {
    user: 'system:serviceaccount:cattle-fleet-system:fleet-agent',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:cattle-fleet-system', 'system:authenticated'],
    ua: 'fleetagent/v0.13.1 (linux/amd64) kubernetes/$Format',
    writesIn: ['cattle-fleet-system'],
  },
];
const NAMESPACES = ['kube-system', 'shop', 'payments', 'argocd', 'cattle-fleet-system', 'monitoring'];
const RESOURCES = [
  { group: 'coordination.k8s.io', resource: 'leases', verbs: ['get', 'update'] },
  { group: '', resource: 'pods', verbs: ['get', 'list', 'watch', 'patch'] },
  { group: '', resource: 'configmaps', verbs: ['get', 'list', 'watch'] },
  { group: '', resource: 'endpoints', verbs: ['get', 'list', 'watch'] },
  { group: 'apps', resource: 'replicasets', verbs: ['get', 'list', 'watch'] },
  { group: 'discovery.k8s.io', resource: 'endpointslices', verbs: ['list', 'watch'] },
];
const READS = new Set(['get', 'list', 'watch']);
// Stable identities per actor, derived from the name so every run and seed agrees.
const IDS = ACTORS.map((a) => {
  const h = [...a.user]
    .reduce((n, c) => (Math.imul(n, 31) + c.charCodeAt(0)) >>> 0, 7)
    .toString(16)
    .padStart(8, '0');
  return { uid: `${h}-0000-4000-8000-${h}0000`, jti: `${h}-1111-4111-8111-${h}1111` };
});

/** One background audit line at `ms`. */
export function kubeAuditNoiseLine(rng: Rng, ms: number): string {
  const i = Math.floor(rng() * ACTORS.length);
  const a = { ...ACTORS[i], ...IDS[i] };
  const r = pick(rng, RESOURCES);
  const ns = pick(rng, NAMESPACES);
  const allowed = a.writesIn && !a.writesIn.includes(ns) ? r.verbs.filter((v) => READS.has(v)) : r.verbs;
  const verb = pick(rng, allowed.length > 0 ? allowed : ['get']);
  const name = `${r.resource.slice(0, -1)}-${Math.floor(rng() * 5000)}`;
  const named = verb === 'get' || verb === 'update' || verb === 'patch';
  const base = r.group ? `/apis/${r.group}/v1` : '/api/v1';
  const uri = `${base}/namespaces/${ns}/${r.resource}${named ? '/' + name : verb === 'watch' ? '?allowWatchBookmarks=true&resourceVersion=1234567&timeout=7m2s&watch=true' : '?limit=500&resourceVersion=0'}`;
  const start = new Date(ms).toISOString().replace('Z', `${String(Math.floor(rng() * 1000)).padStart(3, '0')}Z`);
  const end = new Date(ms + 3).toISOString().replace('Z', '517Z');
  const objectRef: Record<string, string> = {
    resource: r.resource,
    namespace: ns,
    apiGroup: r.group,
    apiVersion: 'v1',
  };
  if (named) {
    objectRef.name = name;
  }
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: uuid(rng),
    stage: 'ResponseComplete',
    requestURI: uri,
    verb,
    user: {
      username: a.user,
      uid: uuid(rng),
      groups: a.groups,
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${uuid(rng)}`] },
    },
    sourceIPs: [`10.42.${Math.floor(rng() * 4)}.${Math.floor(rng() * 250) + 2}`],
    userAgent: a.ua,
    objectRef,
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: start,
    stageTimestamp: end,
    annotations: {
      'authorization.k8s.io/decision': 'allow',
      'authorization.k8s.io/reason': `RBAC: allowed by ClusterRoleBinding "system:${a.user.split(':').pop()}" of ClusterRole "system:${a.user.split(':').pop()}" to User "${a.user}"`,
    },
  });
}
