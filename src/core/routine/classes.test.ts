import { ClusterTraffic } from '../generate/noise';
import { seededRng } from '../generate/random';
import { routineLineFilters } from '../logql/routineFilters';
import { parseLines } from '../parse/session';
import { ALL_ROUTINE, excludeRoutine, parseRoutineClasses, routineClassOf, type RoutineClass } from './classes';

/**
 * Each routine class on its own lines, in and out, and the requests that are never routine. The lines are
 * written here by hand in kube-apiserver's own field order (audit.k8s.io/v1 Event, ObjectReference), not by
 * the generator under test.
 */

interface Req {
  verb?: string;
  uri: string;
  user: string;
  groups?: string[];
  ua: string;
  ref?: string;
  code?: number;
  stage?: string;
  impersonated?: string;
  body?: string;
}

function auditLine(r: Req): string {
  const code = r.code ?? 200;
  const imp = r.impersonated
    ? `,"impersonatedUser":{"username":"${r.impersonated}","groups":["system:authenticated"]}`
    : '';
  const status =
    r.stage === 'RequestReceived'
      ? ''
      : code < 400
        ? `,"responseStatus":{"metadata":{},"code":${code}}`
        : `,"responseStatus":{"metadata":{},"status":"Failure","reason":"Forbidden","code":${code}}`;
  return (
    `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"${r.body ? 'RequestResponse' : 'Metadata'}",` +
    `"auditID":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","stage":"${r.stage ?? 'ResponseComplete'}",` +
    `"requestURI":"${r.uri}","verb":"${r.verb ?? 'update'}",` +
    `"user":{"username":"${r.user}","uid":"u-1","groups":${JSON.stringify(r.groups ?? ['system:authenticated'])},"extra":{"authentication.kubernetes.io/credential-id":["X509SHA256=ab12"]}}${imp},` +
    `"sourceIPs":["10.0.0.7"],"userAgent":"${r.ua}"${r.ref ? `,"objectRef":${r.ref}` : ''}${status}` +
    `${r.body ? `,"requestObject":${r.body}` : ''},"requestReceivedTimestamp":"2026-03-02T10:00:00.000001Z",` +
    `"stageTimestamp":"2026-03-02T10:00:00.003001Z","annotations":{"authorization.k8s.io/decision":"${code === 403 ? 'forbid' : 'allow'}"}}`
  );
}

const KUBELET = 'kubelet/v1.31.2 (linux/amd64) kubernetes/5864a46';
const KCM = (sa: string) => `kube-controller-manager/v1.31.2 (linux/amd64) kubernetes/5864a46/${sa}`;
const NODE = { user: 'system:node:worker-7', groups: ['system:nodes', 'system:authenticated'], ua: KUBELET };
const LEASE_REF =
  '{"resource":"leases","namespace":"kube-node-lease","name":"worker-7","uid":"9f1e","apiGroup":"coordination.k8s.io","apiVersion":"v1","resourceVersion":"4410"}';
const nodeLease: Req = {
  ...NODE,
  uri: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-7?timeout=10s',
  ref: LEASE_REF,
};

/** Each class: a routine line, and a line like it that is not (other resource, other writer). */
const CASES: Array<{ cls: RoutineClass; routine: Req; notRoutine: Req }> = [
  {
    cls: 'leases',
    routine: nodeLease,
    notRoutine: {
      ...nodeLease,
      uri: '/api/v1/namespaces/kube-node-lease/configmaps/worker-7',
      ref: '{"resource":"configmaps","namespace":"kube-node-lease","name":"worker-7","apiVersion":"v1"}',
    },
  },
  {
    cls: 'events',
    routine: {
      ...NODE,
      verb: 'create',
      uri: '/api/v1/namespaces/web/events',
      ref: '{"resource":"events","namespace":"web","apiVersion":"v1"}',
      code: 201,
    },
    notRoutine: {
      ...NODE,
      verb: 'create',
      uri: '/apis/example.io/v1/namespaces/web/events',
      ref: '{"resource":"events","namespace":"web","apiGroup":"example.io","apiVersion":"v1"}',
      code: 201,
    },
  },
  {
    cls: 'reviews',
    routine: {
      user: 'system:kube-controller-manager',
      ua: KCM('leader-election'),
      verb: 'create',
      uri: '/apis/authentication.k8s.io/v1/tokenreviews',
      ref: '{"resource":"tokenreviews","apiGroup":"authentication.k8s.io","apiVersion":"v1"}',
      code: 201,
    },
    notRoutine: {
      user: 'system:kube-controller-manager',
      ua: KCM('leader-election'),
      verb: 'create',
      uri: '/apis/certificates.k8s.io/v1/certificatesigningrequests',
      ref: '{"resource":"certificatesigningrequests","apiGroup":"certificates.k8s.io","apiVersion":"v1"}',
      code: 201,
    },
  },
  {
    cls: 'node-status',
    routine: {
      ...NODE,
      verb: 'patch',
      uri: '/api/v1/nodes/worker-7/status?timeout=10s',
      ref: '{"resource":"nodes","name":"worker-7","apiVersion":"v1","subresource":"status"}',
    },
    notRoutine: {
      ...NODE,
      verb: 'patch',
      uri: '/api/v1/nodes/worker-7',
      ref: '{"resource":"nodes","name":"worker-7","apiVersion":"v1"}',
    },
  },
  {
    cls: 'pod-status',
    routine: {
      ...NODE,
      verb: 'patch',
      uri: '/api/v1/namespaces/web/pods/web-5d8f-x2/status',
      ref: '{"resource":"pods","namespace":"web","name":"web-5d8f-x2","apiVersion":"v1","subresource":"status"}',
    },
    notRoutine: {
      user: 'system:serviceaccount:kube-system:replicaset-controller',
      groups: ['system:serviceaccounts', 'system:authenticated'],
      ua: KCM('system:serviceaccount:kube-system:replicaset-controller'),
      verb: 'patch',
      uri: '/api/v1/namespaces/web/pods/web-5d8f-x2/status',
      ref: '{"resource":"pods","namespace":"web","name":"web-5d8f-x2","apiVersion":"v1","subresource":"status"}',
    },
  },
  {
    cls: 'endpoints',
    routine: {
      user: 'system:serviceaccount:kube-system:endpointslice-controller',
      groups: ['system:serviceaccounts', 'system:authenticated'],
      ua: KCM('system:serviceaccount:kube-system:endpointslice-controller'),
      uri: '/apis/discovery.k8s.io/v1/namespaces/web/endpointslices/web-x7k2p',
      ref: '{"resource":"endpointslices","namespace":"web","name":"web-x7k2p","apiGroup":"discovery.k8s.io","apiVersion":"v1"}',
    },
    notRoutine: {
      user: 'system:serviceaccount:kube-system:replicaset-controller',
      groups: ['system:serviceaccounts', 'system:authenticated'],
      ua: KCM('system:serviceaccount:kube-system:replicaset-controller'),
      uri: '/apis/discovery.k8s.io/v1/namespaces/web/endpointslices/web-x7k2p',
      ref: '{"resource":"endpointslices","namespace":"web","name":"web-x7k2p","apiGroup":"discovery.k8s.io","apiVersion":"v1"}',
    },
  },
  {
    cls: 'health',
    routine: { ...NODE, verb: 'delete', uri: '/readyz' },
    notRoutine: { ...NODE, verb: 'delete', uri: '/debug/flags/v' },
  },
];

const eventOf = (r: Req) => {
  const events = parseLines([{ text: auditLine(r) }]).events;
  expect(events).toHaveLength(1);
  return events[0];
};
const lokiDrops = (r: Req, classes: readonly RoutineClass[] = ALL_ROUTINE) =>
  routineLineFilters(classes).some((f) => new RegExp(f.value).test(auditLine(r)));

describe('routine classes, each on its own lines', () => {
  it.each(CASES.map((c) => [c.cls, c] as const))('%s: in and out', (cls, c) => {
    expect(routineClassOf(eventOf(c.routine))).toBe(cls);
    expect(routineClassOf(eventOf(c.notRoutine))).toBeUndefined();
    // Loki drops the routine line (health never reaches phase 1) and never the other one.
    expect(lokiDrops(c.routine)).toBe(cls !== 'health');
    expect(lokiDrops(c.notRoutine)).toBe(false);
    // Left out only when its class is chosen.
    expect(
      lokiDrops(
        c.routine,
        ALL_ROUTINE.filter((x) => x !== cls)
      )
    ).toBe(false);
    const ev = eventOf(c.routine);
    expect(excludeRoutine([ev], [cls]).excluded).toEqual({ [cls]: 1 });
    expect(
      excludeRoutine(
        [ev],
        ALL_ROUTINE.filter((x) => x !== cls)
      ).kept
    ).toEqual([ev]);
  });
});

describe('never routine, whatever is touched', () => {
  const never: Array<[string, Req]> = [
    [
      'a person updates a Lease',
      {
        ...nodeLease,
        user: 'alice@example.org',
        groups: ['sre', 'system:authenticated'],
        ua: 'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46',
      },
    ],
    ['a node denied (403) on a Lease', { ...nodeLease, code: 403 }],
    [
      'a node denied (401) on its status',
      {
        ...NODE,
        verb: 'patch',
        uri: '/api/v1/nodes/worker-7/status',
        ref: '{"resource":"nodes","name":"worker-7","apiVersion":"v1","subresource":"status"}',
        code: 401,
      },
    ],
    [
      'a person impersonating a node',
      { ...nodeLease, user: 'alice@example.org', impersonated: 'system:node:worker-7' },
    ],
    ['a node impersonating a person', { ...nodeLease, impersonated: 'alice@example.org' }],
    [
      'a GitOps controller renewing its Lease',
      {
        user: 'system:serviceaccount:cattle-fleet-system:fleet-agent',
        groups: ['system:serviceaccounts', 'system:authenticated'],
        ua: 'fleetagent/v0.13.1 (linux/amd64) kubernetes/$Format',
        uri: '/apis/coordination.k8s.io/v1/namespaces/cattle-fleet-system/leases/fleet-agent-lock',
        ref: '{"resource":"leases","namespace":"cattle-fleet-system","name":"fleet-agent-lock","apiGroup":"coordination.k8s.io","apiVersion":"v1"}',
      },
    ],
    [
      'a node identity with a GitOps user agent',
      { ...nodeLease, ua: 'argocd-application-controller/v3.1.8 (linux/amd64)' },
    ],
    [
      'a node write with a GitOps field manager',
      { ...nodeLease, uri: `${nodeLease.uri.split('?')[0]}?fieldManager=argocd-controller` },
    ],
    ['anonymous', { ...nodeLease, user: 'system:anonymous', groups: ['system:unauthenticated'] }],
  ];
  it.each(never)('%s', (_, r) => {
    expect(routineClassOf(eventOf(r))).toBeUndefined();
    expect(lokiDrops(r)).toBe(false);
  });

  it('a routine-looking audit record nested in a body (attacker-controlled) does not hide the write', () => {
    const hidden = auditLine(nodeLease);
    const r: Req = {
      user: 'mallory@example.org',
      ua: 'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46',
      verb: 'create',
      uri: '/apis/example.io/v1/namespaces/web/notes',
      ref: '{"resource":"notes","namespace":"web","name":"n1","apiGroup":"example.io","apiVersion":"v1"}',
      body: `{"kind":"Note","spec":${hidden}}`,
      code: 201,
    };
    expect(auditLine(r)).toContain(hidden);
    expect(lokiDrops(r)).toBe(false);
  });

  it('the RequestReceived stage of a routine request goes with it', () => {
    expect(lokiDrops({ ...nodeLease, stage: 'RequestReceived' })).toBe(true);
    expect(routineClassOf(eventOf({ ...nodeLease, stage: 'RequestReceived' }))).toBe('leases');
  });
});

describe('Loki drops only what the engine leaves out', () => {
  it('every generated line the filter drops is a routine write of a chosen class', () => {
    const traffic = new ClusterTraffic(seededRng(5));
    const filter = new RegExp(routineLineFilters(ALL_ROUTINE)[0].value);
    let dropped = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = traffic.next(Date.UTC(2026, 2, 2, 10) + i * 10);
      if (filter.test(text)) {
        dropped++;
        const [e] = parseLines([{ text }]).events;
        expect(routineClassOf(e)).toBeDefined();
      }
    }
    // The filter does real work on a realistic stream (a quarter or more of the lines).
    expect(dropped).toBeGreaterThan(5_000);
  });
});

describe('the setting', () => {
  it('names, all, none; an unknown name is an error', () => {
    expect(parseRoutineClasses(undefined)).toEqual(ALL_ROUTINE);
    expect(parseRoutineClasses('all')).toEqual(ALL_ROUTINE);
    expect(parseRoutineClasses('none')).toEqual([]);
    expect(parseRoutineClasses('leases, events')).toEqual(['leases', 'events']);
    expect(() => parseRoutineClasses('leases,lease')).toThrow(/unknown routine class lease; known: leases/);
  });
});
