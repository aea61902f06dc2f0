import { kubeAudit } from '../../../../tests/support/builders';
import { eventAt, eventsOf, ruleContext } from '../../../../tests/support/correlate';
import { buildChains } from '../engine';
import { linkCascade } from './cascade';

const KS = 'system:serviceaccount:kube-system:';
const DANA = 'dana@example.org';
const GROUPS: Record<string, string> = {
  deployments: 'apps',
  replicasets: 'apps',
  statefulsets: 'apps',
  daemonsets: 'apps',
  jobs: 'batch',
  cronjobs: 'batch',
  pods: '',
};

interface W {
  id: string;
  user: string;
  verb: string;
  resource: string;
  name: string;
  /** Seconds after 10:00:00. */
  s: number;
  ns?: string;
  sub?: string;
  body?: unknown;
  cluster?: string;
}

/** One audit record of a write, as kube-apiserver logs it (our own invented values). */
function w(x: W): object {
  const ns = x.ns ?? 'shop';
  const group = GROUPS[x.resource] ?? '';
  const base = group ? `/apis/${group}/v1` : '/api/v1';
  const rec: Record<string, unknown> = {
    auditID: x.id,
    verb: x.verb,
    user: { username: x.user, groups: ['system:authenticated'] },
    requestURI: `${base}/namespaces/${ns}/${x.resource}/${x.name}${x.sub ? '/' + x.sub : ''}`,
    objectRef: {
      resource: x.resource,
      namespace: ns,
      name: x.name,
      apiGroup: group,
      apiVersion: 'v1',
      subresource: x.sub,
    },
    requestReceivedTimestamp: new Date(Date.UTC(2026, 2, 2, 10, 0, 0) + x.s * 1000).toISOString(),
  };
  if (x.body !== undefined) {
    rec.level = 'RequestResponse';
    rec.responseObject = x.body;
  }
  return x.cluster ? { text: JSON.stringify(kubeAudit(rec)), labels: { cluster: x.cluster } } : kubeAudit(rec);
}

/** The cascade rule's answer for the last record, given all records. */
function cascadeOfLast(records: object[]) {
  const events = eventsOf(records.map((r, i) => ('text' in r ? { ...r, origin: `test:${i + 1}` } : r)));
  return linkCascade(eventAt(events, records.length), ruleContext(events));
}

/** The HorizontalPodAutoscaler scaling deployments shop/web: its own decision (automation). */
const hpaScale = w({
  id: 'h',
  user: KS + 'horizontal-pod-autoscaler',
  verb: 'update',
  resource: 'deployments',
  name: 'web',
  sub: 'scale',
  s: 0,
});
const deploymentDelete = w({ id: 'd-1', user: DANA, verb: 'delete', resource: 'deployments', name: 'checkout', s: 0 });
const gcDeletesRs = w({
  id: 'rs-1',
  user: KS + 'generic-garbage-collector',
  verb: 'delete',
  resource: 'replicasets',
  name: 'checkout-7d9f8c6b5',
  s: 2,
});

describe('cascade rule: which owner change set a controller write off', () => {
  it('garbage collector: a ReplicaSet delete ← its Deployment delete, by the naming rule (0.7)', () => {
    const r = cascadeOfLast([deploymentDelete, gcDeletesRs]);
    expect(r?.hit?.cause.id).toBe('kube-audit:d-1');
    expect(r?.hit?.link).toMatchObject({ kind: 'cascade', from: 'kube-audit:rs-1', confidence: 0.7 });
    expect(r?.hit?.link.evidence).toEqual([
      `${KS}generic-garbage-collector deleted replicasets shop/checkout-7d9f8c6b5 2 s after the delete of its owner deployments shop/checkout at 2026-03-02T10:00:00Z`,
      'ownership from the name, no body recorded: by the naming rule <deployment>-<pod-template-hash>',
      "the owner's change is the newest within the 5 min cascade window",
    ]);
  });

  it('garbage collector: a Pod delete ← its ReplicaSet delete; a Pod of a Job ← the Job delete', () => {
    const pod = (name: string) =>
      w({ id: 'p-1', user: KS + 'generic-garbage-collector', verb: 'delete', resource: 'pods', name, s: 3 });
    expect(cascadeOfLast([deploymentDelete, gcDeletesRs, pod('checkout-7d9f8c6b5-x2k4q')])?.hit?.cause.id).toBe(
      'kube-audit:rs-1'
    );
    const jobDelete = w({ id: 'j-1', user: DANA, verb: 'delete', resource: 'jobs', name: 'migrate', s: 0 });
    expect(cascadeOfLast([jobDelete, pod('migrate-h7k2p')])?.hit?.cause.id).toBe('kube-audit:j-1');
  });

  it('garbage collector: any kind, by the ownerReferences of the recorded body (0.95; 1 when the uid matches)', () => {
    const owner = w({
      id: 'o-1',
      user: DANA,
      verb: 'delete',
      resource: 'widgets',
      name: 'big',
      s: 0,
      body: { metadata: { name: 'big', uid: 'uid-big' } },
    });
    const dependent = (uid?: string) =>
      w({
        id: 'x-1',
        user: KS + 'generic-garbage-collector',
        verb: 'delete',
        resource: 'configmaps',
        name: 'big-settings',
        s: 1,
        body: { metadata: { ownerReferences: [{ apiVersion: 'example.org/v1', kind: 'Widget', name: 'big', uid }] } },
      });
    // `widgets` has no API group in our fixture: the owner's group is '' there and 'example.org' in the reference.
    const ownerInGroup = JSON.parse(JSON.stringify(owner)) as Record<string, Record<string, string>>;
    ownerInGroup.objectRef.apiGroup = 'example.org';
    const hard = cascadeOfLast([ownerInGroup, dependent()]);
    expect(hard?.hit?.link.confidence).toBe(0.95);
    expect(hard?.hit?.link.evidence[1]).toBe('ownership by hard key: its ownerReferences name Widget big');
    expect(cascadeOfLast([ownerInGroup, dependent('uid-big')])?.hit?.link.confidence).toBe(1);
    expect(cascadeOfLast([owner, dependent('uid-big')])?.missed).toContain('no change of Widget shop/big');
  });

  it('deployment controller: a new ReplicaSet ← the Deployment template change, never ← a scale', () => {
    const patch = w({ id: 'd-2', user: DANA, verb: 'patch', resource: 'deployments', name: 'checkout', s: 0 });
    const scale = w({
      id: 'd-3',
      user: DANA,
      verb: 'patch',
      resource: 'deployments',
      name: 'checkout',
      sub: 'scale',
      s: 5,
    });
    const newRs = w({
      id: 'rs-2',
      user: KS + 'deployment-controller',
      verb: 'create',
      resource: 'replicasets',
      name: 'checkout-5c8d9f7b4',
      s: 8,
    });
    const r = cascadeOfLast([patch, scale, newRs]);
    expect(r?.hit?.cause.id).toBe('kube-audit:d-2');
    expect(r?.hit?.link.evidence[0]).toContain('8 s after the Pod template change (→ new ReplicaSet) of its owner');
    const resize = w({
      id: 'rs-3',
      user: KS + 'deployment-controller',
      verb: 'update',
      resource: 'replicasets',
      name: 'checkout-5c8d9f7b4',
      s: 9,
    });
    expect(cascadeOfLast([patch, scale, resize])?.hit?.cause.id).toBe('kube-audit:d-3');
  });

  it('deployment controller: the pod-template-hash label makes the ReplicaSet → Deployment a hard key', () => {
    const patch = w({ id: 'd-2', user: DANA, verb: 'patch', resource: 'deployments', name: 'checkout', s: 0 });
    const rs = w({
      id: 'rs-2',
      user: KS + 'deployment-controller',
      verb: 'create',
      resource: 'replicasets',
      name: 'checkout-5c8d9f7b4',
      s: 1,
      body: { metadata: { labels: { 'pod-template-hash': '5c8d9f7b4' } } },
    });
    expect(cascadeOfLast([patch, rs])?.hit?.link).toMatchObject({
      confidence: 0.95,
      evidence: expect.arrayContaining([
        'ownership by hard key: its pod-template-hash label 5c8d9f7b4 is the suffix of its name',
      ]) as unknown,
    });
  });

  it('replicaset, job, statefulset and daemonset controllers: Pods ← their owner change', () => {
    const cases: Array<[string, string, string]> = [
      ['replicaset-controller', 'replicasets', 'checkout-5c8d9f7b4-q2w4z'],
      ['job-controller', 'jobs', 'nightly-29549520-b7x9k'],
      ['statefulset-controller', 'statefulsets', 'db-2'],
      ['daemon-set-controller', 'daemonsets', 'node-agent-zt5m8'],
    ];
    for (const [controller, owner, pod] of cases) {
      const ownerName = owner === 'statefulsets' ? 'db' : pod.slice(0, pod.lastIndexOf('-'));
      const change = w({ id: 'o', user: DANA, verb: 'patch', resource: owner, name: ownerName, s: 0 });
      const create = w({ id: 'p', user: KS + controller, verb: 'create', resource: 'pods', name: pod, s: 4 });
      expect({ controller, cause: cascadeOfLast([change, create])?.hit?.cause.id }).toEqual({
        controller,
        cause: 'kube-audit:o',
      });
    }
  });

  it('CronJob Jobs and HPA scales are their own cause: automation, said so', () => {
    const job = cascadeOfLast([
      w({ id: 'j', user: KS + 'cronjob-controller', verb: 'create', resource: 'jobs', name: 'nightly-29549520', s: 0 }),
    ]);
    expect(job?.automation).toBe('CronJob schedule');
    expect(job?.hit?.cause.id).toBe('kube-audit:j');
    expect(job?.hit?.link.evidence).toEqual([
      `${KS}cronjob-controller created jobs shop/nightly-29549520 on a CronJob's schedule, no person did (automation)`,
      'owned by CronJob shop/nightly: by the naming rule <cronjob>-<scheduled minute>',
      "the name's suffix 29549520 is the scheduled minute 2026-03-08T12:00:00Z",
    ]);
    const hpa = cascadeOfLast([hpaScale]);
    expect(hpa?.automation).toBe('HorizontalPodAutoscaler');
  });
});

describe('cascade rule: what must not link', () => {
  const rsCreate = (over: Partial<W> = {}) =>
    w({ id: 'rs', user: DANA, verb: 'create', resource: 'replicasets', name: 'api-6b7c8d9f5', s: 0, ...over });
  const podCreate = (over: Partial<W> = {}) =>
    w({
      id: 'p',
      user: KS + 'replicaset-controller',
      verb: 'create',
      resource: 'pods',
      name: 'api-6b7c8d9f5-k8m2n',
      s: 3,
      ...over,
    });

  it.each<[string, object[]]>([
    ['the same name in another namespace', [rsCreate({ ns: 'other' }), podCreate()]],
    ['the same name in another cluster', [rsCreate({ cluster: 'eu' }), podCreate({ cluster: 'us' })]],
    ['an owner change outside the cascade window', [rsCreate({ s: -301 }), podCreate()]],
    ['an owner change after the write (beyond clock skew)', [rsCreate({ s: 6 }), podCreate()]],
    ['only the owner status was written', [rsCreate({ sub: 'status', verb: 'update' }), podCreate()]],
    ["a controller's own write of the owner", [rsCreate({ user: KS + 'replicaset-controller' }), podCreate()]],
    [
      'a GC delete whose owner was only changed, not deleted',
      [rsCreate({ verb: 'patch' }), podCreate({ verb: 'delete', user: KS + 'generic-garbage-collector' })],
    ],
  ])('%s', (_, records) => {
    expect(cascadeOfLast(records)?.hit).toBeUndefined();
  });

  // The HPA's scale is its own decision; what it records about itself (its status, the Events "New size: 4")
  // is neither a consequence of anyone's change nor an automation of a change: no link, no note.
  it.each<[string, Partial<W>]>([
    ['an Event the HPA records', { verb: 'create', resource: 'events', name: 'web.17f2a9c3b4d5e6f7' }],
    ['an Event the HPA patches (count)', { verb: 'patch', resource: 'events', name: 'web.17f2a9c3b4d5e6f7' }],
    ['the HPA status', { verb: 'update', resource: 'horizontalpodautoscalers', name: 'web', sub: 'status' }],
    ['the Deployment status', { verb: 'update', resource: 'deployments', name: 'web', sub: 'status' }],
  ])('%s: not a cascade', (_, over) => {
    const r = cascadeOfLast([
      hpaScale,
      w({
        id: 'x',
        user: KS + 'horizontal-pod-autoscaler',
        verb: 'create',
        resource: 'events',
        name: 'e',
        s: 1,
        ...over,
      }),
    ]);
    expect(r).toBeUndefined();
  });

  it('controllers recording Events after a person changed the owner: the Events are not consequences', () => {
    const event = (id: string, controller: string, verb: string, name: string, s: number) =>
      w({ id, user: KS + controller, verb, resource: 'events', name, s });
    const events = eventsOf([
      w({ id: 'd', user: DANA, verb: 'patch', resource: 'deployments', name: 'api', s: 0 }),
      event('ev1', 'deployment-controller', 'create', 'api.17f2a9c3b4d5e6f7', 1),
      event('ev2', 'replicaset-controller', 'create', 'api-6b7c8d9f5.17f2a9c3b4d5e6f8', 2),
      event('ev3', 'generic-garbage-collector', 'delete', 'api.17f2a9c3b4d5e6f7', 3),
    ]);
    const chains = buildChains(events);
    expect(chains.map((c) => [c.id, c.verdict, c.consequenceOf, c.links.map((l) => l.kind)])).toEqual([
      ['kube-audit:d', 'manual', undefined, []],
      ['kube-audit:ev1', 'controller', undefined, []],
      ['kube-audit:ev2', 'controller', undefined, []],
      ['kube-audit:ev3', 'controller', undefined, []],
    ]);
  });

  it('a person or an impersonated controller name is not a controller write', () => {
    expect(cascadeOfLast([rsCreate(), podCreate({ user: DANA })])).toBeUndefined();
    const impersonated = kubeAudit({
      ...(podCreate() as Record<string, unknown>),
      user: { username: DANA, groups: ['system:authenticated'] },
      impersonatedUser: { username: KS + 'replicaset-controller' },
    });
    expect(cascadeOfLast([rsCreate(), impersonated])).toBeUndefined();
  });

  it('a generated name of the maximum length (its base may be cut) gets no owner from its prefix', () => {
    const long = 'x'.repeat(57);
    const r = cascadeOfLast([
      rsCreate({ name: `${long}y` }),
      podCreate({ name: `${long}-k8m2n`, user: KS + 'generic-garbage-collector', verb: 'delete' }),
    ]);
    expect(r?.hit).toBeUndefined();
    expect(r?.missed).toBe(
      `no owner known for pods shop/${long}-k8m2n (no ownerReferences recorded, no Kubernetes naming rule fits)`
    );
  });

  it('a controller write with no owner change says what was looked for', () => {
    expect(cascadeOfLast([podCreate()])?.missed).toBe(
      "no change of ReplicaSet shop/api-6b7c8d9f5 or ReplicationController shop/api-6b7c8d9f5 within 5 min before this replicaset-controller write: it stays the controller's"
    );
  });
});

describe('cascade in the engine: the consequence takes the cause story', () => {
  it('Pod ← ReplicaSet ← Deployment ← a person: who, verdict, every hop a link, ids and counts', () => {
    const events = eventsOf([
      w({ id: 'd', user: DANA, verb: 'patch', resource: 'deployments', name: 'api', s: 0 }),
      w({
        id: 'rs',
        user: KS + 'deployment-controller',
        verb: 'create',
        resource: 'replicasets',
        name: 'api-6b7c8d9f5',
        s: 1,
      }),
      w({
        id: 'p1',
        user: KS + 'replicaset-controller',
        verb: 'create',
        resource: 'pods',
        name: 'api-6b7c8d9f5-k8m2n',
        s: 2,
      }),
      w({
        id: 'p2',
        user: KS + 'replicaset-controller',
        verb: 'create',
        resource: 'pods',
        name: 'api-6b7c8d9f5-q4r7t',
        s: 3,
      }),
    ]);
    const chains = buildChains(events);
    expect(chains.map((c) => [c.id, c.verdict, c.who.name, c.consequenceOf, c.consequences])).toEqual([
      ['kube-audit:d', 'manual', DANA, undefined, 3],
      ['kube-audit:rs', 'manual', DANA, 'kube-audit:d', 2],
      ['kube-audit:p1', 'manual', DANA, 'kube-audit:rs', undefined],
      ['kube-audit:p2', 'manual', DANA, 'kube-audit:rs', undefined],
    ]);
    expect(chains[2].who.via).toEqual([
      `${KS}deployment-controller (controller)`,
      `${KS}replicaset-controller (controller)`,
    ]);
    expect(chains[2].links.map((l) => [l.kind, l.from, l.to])).toEqual([
      ['cascade', 'kube-audit:p1', 'kube-audit:rs'],
      ['cascade', 'kube-audit:rs', 'kube-audit:d'],
    ]);
  });

  it('owner loops end: two objects owning each other, both deleted by the garbage collector', () => {
    const gcDelete = (id: string, name: string, owner: string, s: number) =>
      w({
        id,
        user: KS + 'generic-garbage-collector',
        verb: 'delete',
        resource: 'configmaps',
        name,
        s,
        body: { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner }] } },
      });
    const chains = buildChains(eventsOf([gcDelete('a', 'a', 'b', 0), gcDelete('b', 'b', 'a', 0)]));
    expect(chains).toHaveLength(2);
    // One of the two takes the other's story; the one that closes the loop stays the controller's.
    expect(chains.map((c) => c.verdict)).toEqual(['controller', 'controller']);
    expect(chains.filter((c) => c.consequenceOf).length).toBe(1);
  });
});
