import {
  ALERT_RULES,
  clusterSelectors,
  generate,
  pushBodies,
  pushBody,
  pushEntryOf,
  scenarioNames,
  type PushEntry,
  type TruthChain,
} from '../../src/core';
import { grafanaAlertRules } from '../../src/cli/provisioning/alertRules';
import { argoLog, kubeAudit } from '../support/builders';
import { runCli } from '../support/cli';
import { evaluateRule, type Evaluation, type ProvisionedRule } from '../support/grafanaAlertEval';
import { LokiEmulator } from '../support/lokiEmulator';

/**
 * Every alert rule's LogQL, run on the Loki API emulator the way Grafana evaluates it (an instant query every
 * range step): it fires on the lines it is about and stays quiet on generated noise. Each data set has its own
 * `cluster` label, so the rules run on that data alone. The rule × scenario table is printed.
 */

const T = Date.UTC(2026, 2, 2, 10, 15, 30);
const human = { user: { username: 'mallory@example.org', groups: ['system:authenticated'] } };

const ARGO_SA = 'system:serviceaccount:argocd:argocd-application-controller';
const GRANT = {
  time: new Date(T - 600_000).toISOString(),
  by: 'kim',
  verb: 'update',
  object: 'rolebindings argocd/argocd-admin',
};
const FAILED = { time: new Date(T - 480_000).toISOString(), message: 'Sync operation to 0a1b2c3d failed' };

/** A recorded chain line of a write (by default a patch by `who`) to shop/checkout at T. */
function recordedChain(
  verdict: string,
  who: { name: string; kind: string; via: string[] },
  over: { verb?: string; actor?: string; namespace?: string; grantedBy?: object; failedSyncBefore?: object } = {}
): object {
  return {
    id: `kube-audit:${verdict}-${over.verb ?? 'patch'}`,
    effect: {
      time: new Date(T).toISOString(),
      source: 'kube-audit',
      verb: over.verb ?? 'patch',
      target: {
        apiGroup: 'apps',
        resource: 'deployments',
        namespace: over.namespace ?? 'shop',
        name: 'checkout',
        subresource: null,
      },
      actor: { name: over.actor ?? who.name, kind: over.actor ? 'gitops-controller' : who.kind },
      sourceIPs: ['203.0.113.9'],
      userAgent: 'kubectl/v1.31.0',
    },
    verdict,
    who: { ...who, ip: '203.0.113.9', ipTrust: 'seen by the server' },
    gitops:
      verdict === 'manual-drift' || verdict.startsWith('gitops-')
        ? {
            tool: 'argocd',
            app: 'shop',
            commit: '45d9f8a1',
            operation: verdict === 'gitops-rollback' ? 'rollback' : 'sync',
          }
        : null,
    links: [],
    context: [],
    consequenceOf: null,
    consequences: 0,
    change: null,
    grantedBy: over.grantedBy ?? null,
    failedSyncBefore: over.failedSyncBefore ?? null,
  };
}

/** Lines each rule is about, made with our builders. */
const TRIGGERS: Record<string, object[]> = {
  'clusterrole-wildcard': [
    kubeAudit({
      ...human,
      verb: 'create',
      level: 'Request',
      objectRef: {
        resource: 'clusterroles',
        name: 'everything',
        apiGroup: 'rbac.authorization.k8s.io',
        namespace: undefined,
      },
      requestObject: { kind: 'ClusterRole', rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
    }),
  ],
  'binding-cluster-admin': [
    kubeAudit({
      ...human,
      verb: 'create',
      level: 'Request',
      objectRef: { resource: 'clusterrolebindings', name: 'mallory-admin', apiGroup: 'rbac.authorization.k8s.io' },
      requestObject: {
        roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'User', name: 'mallory' }],
      },
    }),
  ],
  'pod-exec': [
    kubeAudit({
      ...human,
      verb: 'create',
      requestURI: '/api/v1/namespaces/shop/pods/checkout-1/exec?command=sh',
      objectRef: { resource: 'pods', namespace: 'shop', name: 'checkout-1', subresource: 'exec', apiGroup: '' },
    }),
  ],
  'namespace-deleted': [
    kubeAudit({
      ...human,
      verb: 'delete',
      objectRef: { resource: 'namespaces', name: 'shop', namespace: undefined, apiGroup: '' },
    }),
  ],
  'secret-read-by-human': [
    kubeAudit({
      ...human,
      verb: 'get',
      objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiGroup: '' },
    }),
  ],
  'anonymous-allowed': [
    kubeAudit({
      user: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
      verb: 'list',
      objectRef: { resource: 'pods', namespace: 'shop', apiGroup: '' },
    }),
  ],
  'privileged-pod': [
    kubeAudit({
      ...human,
      verb: 'create',
      level: 'Request',
      objectRef: { resource: 'pods', namespace: 'shop', name: 'debug', apiGroup: '' },
      requestObject: {
        spec: { containers: [{ name: 'sh', image: 'busybox', securityContext: { privileged: true } }] },
      },
    }),
  ],
  'events-deleted': [
    kubeAudit({
      ...human,
      verb: 'deletecollection',
      objectRef: { resource: 'events', namespace: 'shop', apiGroup: '' },
    }),
  ],
  'kube-system-serviceaccount': [
    kubeAudit({
      ...human,
      verb: 'create',
      objectRef: { resource: 'serviceaccounts', namespace: 'kube-system', name: 'helper', apiGroup: '' },
    }),
  ],
  'rancher-unresolved-person': [
    kubeAudit({
      verb: 'delete',
      user: {
        username: 'system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-x1y2z3',
        groups: ['system:serviceaccounts'],
      },
      impersonatedUser: { username: 'u-x1y2z3', groups: ['system:authenticated'] },
    }),
  ],
  'manual-gitops-write': [
    kubeAudit({
      ...human,
      verb: 'patch',
      level: 'RequestResponse',
      objectRef: { resource: 'deployments', namespace: 'shop', name: 'checkout', apiGroup: 'apps' },
      responseObject: {
        kind: 'Deployment',
        metadata: {
          name: 'checkout',
          annotations: { 'argocd.argoproj.io/tracking-id': 'storefront:apps/Deployment:shop/checkout' },
        },
      },
    }),
  ],
  'argocd-sync-failed': [
    argoLog({
      msg: 'Sync operation to 0a1b2c3d failed: one or more objects failed to apply',
      application: 'shop',
      level: 'info',
    }),
  ],
  'gitops-trust-boundary': [
    kubeAudit({
      ...human,
      verb: 'patch',
      objectRef: { resource: 'configmaps', namespace: 'argocd', name: 'argocd-rbac-cm', apiGroup: '' },
    }),
  ],
  'gitops-paused': [
    kubeAudit({
      ...human,
      verb: 'patch',
      level: 'Request',
      objectRef: { resource: 'gitrepos', namespace: 'fleet-default', name: 'payments', apiGroup: 'fleet.cattle.io' },
      requestObject: { spec: { paused: true } },
    }),
  ],
  // Recorded chains as `provenance watch` writes them (the chain JSON; stream labels job and verdict).
  'recorded-manual-drift': [recordedChain('manual-drift', { name: 'lee@example.org', kind: 'human', via: [] })],
  'recorded-rancher-no-person': [
    recordedChain('manual', {
      name: 'u-kim4x9',
      kind: 'human',
      via: ['system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-kim4x9 (rancher-impersonation)'],
    }),
  ],
  'recorded-rbac-enabled-delete': [
    recordedChain(
      'gitops-rollback',
      { name: 'dana@example.org', kind: 'human', via: [ARGO_SA] },
      {
        verb: 'delete',
        actor: ARGO_SA,
        grantedBy: GRANT,
      }
    ),
  ],
  'recorded-protected-namespace-write': [
    recordedChain('manual', { name: 'rio@example.org', kind: 'human', via: [] }, { namespace: 'production' }),
  ],
  'recorded-rollback-after-failed-sync': [
    recordedChain(
      'gitops-rollback',
      { name: 'dana@example.org', kind: 'human', via: [ARGO_SA] },
      {
        failedSyncBefore: FAILED,
      }
    ),
  ],
};

let emu: LokiEmulator;
let url: string;
const spans = new Map<string, [number, number]>();

/** Pushes lines under `cluster`, each at its own time (or T), and remembers the data set's time span. */
async function load(
  cluster: string,
  lines: Array<{ text: string; job?: string; timeMs?: number; verdict?: string }>
): Promise<void> {
  const entries: PushEntry[] = lines.map((l) => {
    const parsed = l.verdict ? undefined : pushEntryOf(l.text, cluster);
    return (
      parsed ?? {
        labels: { job: l.job ?? 'kube-audit', cluster, ...(l.verdict ? { verdict: l.verdict } : {}) },
        ns: `${l.timeMs ?? T}000000`,
        line: l.text,
        meta: {},
      }
    );
  });
  const times = entries.map((e) => Math.floor(Number(e.ns.slice(0, -6))));
  spans.set(cluster, [Math.min(...times), Math.max(...times)]);
  for (const body of pushBodies(entries, 2000)) {
    await pushBody((u, init) => fetch(u, init), url, body);
  }
}

/** The provisioned rule (as `provenance rules --format grafana` writes it) on one data set's selectors. */
function provisioned(ruleId: string, cluster: string): ProvisionedRule {
  const file = grafanaAlertRules('loki', clusterSelectors(cluster));
  // Grafana reads `$$` in a provisioning file as `$`.
  const rules = JSON.parse(JSON.stringify(file).replace(/\$\$/g, '$')) as typeof file;
  return rules.groups[0].rules.find((r) => r.labels?.rule === ruleId) as ProvisionedRule;
}

/** The provisioned rule with alert settings (`provenance rules --protected-namespaces …`). */
function provisionedWith(ruleId: string, cluster: string, settings: object): ProvisionedRule {
  const file = grafanaAlertRules('loki', clusterSelectors(cluster), settings);
  const rules = JSON.parse(JSON.stringify(file).replace(/\$\$/g, '$')) as typeof file;
  return rules.groups[0].rules.find((r) => r.labels?.rule === ruleId) as ProvisionedRule;
}

/** Whether a provisioned rule fires at any range step over the data set. */
async function firesRule(rule: ProvisionedRule, cluster: string): Promise<boolean> {
  const [first, last] = spans.get(cluster)!;
  for (let t = first + 1; t <= last + HOUR; t += 5 * 60_000) {
    const e = await evaluateRule(rule, t, lokiInstant);
    if (e.state === 'Error') {
      throw new Error(e.error);
    }
    if (e.state === 'Alerting') {
      return true;
    }
  }
  return false;
}

/** Grafana's Loki query for an alert's data node: an instant query at the range end, on the emulator. */
async function lokiInstant(uid: string, model: Record<string, unknown>, timeMs: number) {
  expect(uid).toBe('loki');
  expect(model.queryType).toBe('instant');
  const query = String(model.expr);
  const res = await fetch(`${url}/loki/api/v1/query?${new URLSearchParams({ query, time: `${timeMs}000000` })}`);
  const text = await res.text();
  if (res.status !== 200) {
    throw new Error(`Loki ${res.status}: ${text}`);
  }
  const body = JSON.parse(text) as {
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  return body.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}

/** Every evaluation of the provisioned rule, one per range step over the data set, as Grafana evaluates it. */
async function evaluations(ruleId: string, cluster: string): Promise<Evaluation[]> {
  const rule = ALERT_RULES.find((r) => r.id === ruleId)!;
  const stepMs = Number(/^(\d+)m$/.exec(rule.range)![1]) * 60_000;
  const [first, last] = spans.get(cluster)!;
  const out: Evaluation[] = [];
  for (let t = first + 1; t <= last + stepMs; t += stepMs) {
    out.push(await evaluateRule(provisioned(ruleId, cluster), t, lokiInstant));
  }
  return out;
}

/** True when any evaluation fires; an evaluation in error fails the test. */
async function fires(ruleId: string, cluster: string): Promise<boolean> {
  const all = await evaluations(ruleId, cluster);
  const errors = all.filter((e) => e.state === 'Error');
  if (errors.length) {
    throw new Error(`${ruleId}: ${errors[0].error}`);
  }
  return all.some((e) => e.state === 'Alerting');
}

const HOUR = 3_600_000;
/** Ground truth of every scenario, to say which recorded-verdict rule each must set off. */
const truth: TruthChain[] = [];

/**
 * `provenance watch` records the chains of one data set's audit lines under its `cluster`, as it does beside a
 * real Loki: the recorded-verdict rules then count what the correlation found, not lines made for them.
 */
async function record(cluster: string, span: { from: number; to: number }): Promise<void> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const from = Math.floor(span.from / HOUR) * HOUR;
  const until = Math.ceil(span.to / HOUR) * HOUR + HOUR;
  const r = await runCli(['watch', '--loki', url, '--from', iso(from), '--until', iso(until), '--cluster', cluster]);
  if (r.code !== 0) {
    throw new Error(`watch ${cluster}: ${r.err}`);
  }
  if (emu.dump({ job: 'change-provenance', cluster }).length === 0) {
    throw new Error(`watch ${cluster}: recorded no chain`);
  }
}

beforeAll(async () => {
  emu = new LokiEmulator();
  url = await emu.start();
  const start = Date.UTC(2026, 2, 2, 10);
  const noise = generate({ scenarios: [], noiseEvents: 5_000, seed: 3, start });
  await load(
    'noise',
    [...noise.records()].map((r) => ({ text: r.line }))
  );
  await record('noise', noise.span);
  for (const name of scenarioNames()) {
    const g = generate({ scenarios: [name], noiseEvents: 0, seed: 3, start });
    await load(
      `scenario-${name}`,
      [...g.records()].map((r) => ({ text: r.line }))
    );
    await record(`scenario-${name}`, g.span);
    truth.push(...g.truth);
  }
  for (const [id, lines] of Object.entries(TRIGGERS)) {
    await load(
      `trigger-${id}`,
      lines.map((l) => ({
        text: JSON.stringify(l),
        job: id.startsWith('argocd') ? 'argocd' : id.startsWith('recorded-') ? 'change-provenance' : 'kube-audit',
        verdict: (l as { verdict?: string }).verdict,
      }))
    );
  }
}, 240_000);

afterAll(() => emu.stop());

describe('alert rules on the Loki emulator', () => {
  it('has a trigger for every rule, and unique ids', () => {
    expect(Object.keys(TRIGGERS).sort()).toEqual(ALERT_RULES.map((r) => r.id).sort());
    expect(new Set(ALERT_RULES.map((r) => r.id)).size).toBe(ALERT_RULES.length);
  });

  it.each(ALERT_RULES.map((r) => r.id))('%s fires on its lines and stays quiet on noise', async (id) => {
    expect(await fires(id, `trigger-${id}`)).toBe(true);
    expect(await fires(id, 'noise')).toBe(false);
  });

  // A person acting through Rancher is logged as Rancher's impersonation service account: the `actor` label
  // names the impersonated user, so the person rules count them and a GitOps controller still does not count.
  it('counts a person acting through Rancher as a person, and a GitOps controller as none', async () => {
    const throughRancher = {
      user: {
        username: 'system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-q7w8e9',
        groups: ['system:serviceaccounts'],
      },
      impersonatedUser: { username: 'u-q7w8e9', groups: ['system:authenticated'] },
    };
    const argoController = {
      user: { username: 'system:serviceaccount:argocd:argocd-application-controller', groups: [] },
    };
    const ownedWrite = (who: object) =>
      kubeAudit({
        ...who,
        verb: 'patch',
        objectRef: { resource: 'deployments', namespace: 'shop', name: 'checkout', apiGroup: 'apps' },
        responseObject: { metadata: { labels: { 'app.kubernetes.io/instance': 'storefront' } } },
      });
    const secretRead = kubeAudit({
      ...throughRancher,
      verb: 'get',
      objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiGroup: '' },
    });
    await load(
      'rancher-person',
      [secretRead, ownedWrite(throughRancher)].map((l) => ({ text: JSON.stringify(l) }))
    );
    await load(
      'argocd-controller',
      [ownedWrite(argoController)].map((l) => ({ text: JSON.stringify(l) }))
    );
    expect(await fires('secret-read-by-human', 'rancher-person')).toBe(true);
    expect(await fires('manual-gitops-write', 'rancher-person')).toBe(true);
    expect(await fires('manual-gitops-write', 'argocd-controller')).toBe(false);
  });

  it('argocd-sync-failed fires on a failed sync in Argo CD text format too (the default up to v2.14), not on a success', async () => {
    const line = (msg: string) =>
      `time="2026-03-02T10:00:00Z" level=warning msg="${msg}" application=shop dest-namespace=shop reason=OperationCompleted type=Warning`;
    await load('argocd-text-failed', [
      { text: line('Sync operation to 0a1b2c3d failed: one or more objects failed to apply'), job: 'argocd' },
    ]);
    await load('argocd-text-succeeded', [{ text: line('Sync operation to 0a1b2c3d succeeded'), job: 'argocd' }]);
    expect(await fires('argocd-sync-failed', 'argocd-text-failed')).toBe(true);
    expect(await fires('argocd-sync-failed', 'argocd-text-succeeded')).toBe(false);
  });

  it('as Grafana evaluates them: firing names the object, nothing happening is Normal, a Loki error is Error', async () => {
    const [first] = spans.get('trigger-namespace-deleted')!;
    const rule = provisioned('namespace-deleted', 'trigger-namespace-deleted');
    const firing = await evaluateRule(rule, first + 1, lokiInstant);
    expect(firing.state).toBe('Alerting');
    expect(firing.instances.map((i) => [i.state, i.value])).toEqual([['Alerting', 1]]);
    expect(Object.values(firing.instances[0].labels)).toContain('shop');
    // Ten minutes later the five-minute count is empty: no series at all, which the rule maps to Normal.
    expect(await evaluateRule(rule, first + 10 * 60_000, lokiInstant)).toEqual({ state: 'Normal', instances: [] });
    emu.failNext({ status: 500 });
    const failed = await evaluateRule(rule, first + 1, lokiInstant);
    expect(failed.state).toBe('Error');
    expect(failed.error).toMatch(/^Loki 500/);
  });

  // What a person reads when a recorded-verdict rule fires on the seed's story: the labels its annotations name,
  // from the ground truth, and the `chain` link's query finds that very chain in Loki.
  it.each([
    ['recorded-rbac-enabled-delete', { granted_by: 'kim', grant: 'rolebindings argocd/argocd-admin' }],
    ['recorded-rollback-after-failed-sync', {}],
  ])('%s names the person, object, app, commit and links the chain', async (id, more) => {
    const cluster = 'scenario-unauthorized-deletion';
    const firing = (await evaluations(id, cluster)).find((e) => e.state === 'Alerting')!;
    expect(firing.instances).toHaveLength(1);
    const labels = firing.instances[0].labels;
    const del = truth.find((t) => t.scenario === 'unauthorized-deletion' && t.effect.verb === 'delete')!;
    expect(labels).toMatchObject({
      actor: del.who.name,
      objectRef_resource: del.effect.resource,
      objectRef_namespace: del.effect.namespace,
      objectRef_name: del.effect.name,
      application: del.gitops?.app,
      commit: del.gitops?.commit,
      ...more,
    });
    const rule = provisioned(id, cluster);
    for (const text of Object.values(rule.annotations ?? {})) {
      for (const [, label] of text.matchAll(/\$labels\.(\w+)/g)) {
        expect({ id, label, value: labels[label] }).toEqual({ id, label, value: expect.stringMatching(/./) });
      }
    }
    // Grafana renders the link's template; the id is one an auditID makes, so nothing is taken out of it.
    const href = rule.annotations!.chain.replace(/\{\{ reReplaceAll [^}]* \$labels\.chain \}\}/, labels.chain);
    const panes = JSON.parse(new URL(href, 'http://grafana').searchParams.get('panes')!) as Record<
      string,
      { queries: Array<{ expr: string }> }
    >;
    const expr = panes.provenance.queries[0].expr;
    const [first, last] = spans.get(cluster)!;
    const q = new URLSearchParams({ query: expr, start: `${first - HOUR}000000`, end: `${last + HOUR}000000` });
    const body = (await (await fetch(`${url}/loki/api/v1/query_range?${q}`)).json()) as {
      data: { result: Array<{ values: Array<[string, string]> }> };
    };
    const found = body.data.result.flatMap((r) => r.values.map((v) => (JSON.parse(v[1]) as { id: string }).id));
    expect(found).toEqual([labels.chain]);
  });

  it('recorded-protected-namespace-write: the namespaces are a setting; other namespaces and GitOps writes stay quiet', async () => {
    const inShop = (settings: object) =>
      provisionedWith('recorded-protected-namespace-write', 'trigger-recorded-manual-drift', settings);
    // The drift trigger is a person's write in shop: quiet by default, firing once shop is protected.
    expect(await firesRule(inShop({}), 'trigger-recorded-manual-drift')).toBe(false);
    expect(
      await firesRule(inShop({ protectedNamespaces: ['payments', 'shop'] }), 'trigger-recorded-manual-drift')
    ).toBe(true);
    // A rollback in production is GitOps: quiet even with production protected.
    const rollback = provisionedWith(
      'recorded-protected-namespace-write',
      'trigger-recorded-rollback-after-failed-sync',
      {
        protectedNamespaces: ['shop'],
      }
    );
    expect(await firesRule(rollback, 'trigger-recorded-rollback-after-failed-sync')).toBe(false);
  });

  it('rule × scenario: what each generated incident sets off', async () => {
    const rows: string[] = [];
    const table: Record<string, string[]> = {};
    for (const r of ALERT_RULES) {
      const fired: string[] = [];
      for (const name of scenarioNames()) {
        if (await fires(r.id, `scenario-${name}`)) {
          fired.push(name);
        }
      }
      table[r.id] = fired;
      rows.push(`${r.id.padEnd(36)} ${fired.join(', ') || '—'}`);
    }
    console.log(`rule × scenario\n${rows.join('\n')}`);
    // The seed's story sets off the failed automated sync before the rollback; the exec into the checkout pod
    // (logged at ResponseStarted, as kubectl exec sessions are) sets off pod-exec.
    const expected = Object.fromEntries(ALERT_RULES.map((r) => [r.id, [] as string[]]));
    expected['argocd-sync-failed'] = ['unauthorized-deletion'];
    expected['pod-exec'] = ['exec-into-pod'];
    // A person turning auto-sync off on an Application is what gitops-paused is for.
    expected['gitops-paused'] = ['image-change-and-auto-sync-off'];
    // The recorded-verdict rules, from the chains watch recorded: the scenarios whose ground truth has a chain of
    // the kind each is about (every scenario logs Rancher's audit, so no Rancher change lacks its person).
    const whereTruth = (is: (t: TruthChain) => boolean) => [...new Set(truth.filter(is).map((t) => t.scenario))];
    expected['recorded-manual-drift'] = whereTruth((t) => t.verdict === 'manual-drift');
    expected['recorded-rbac-enabled-delete'] = whereTruth(
      (t) => t.grantedBy !== undefined && t.effect.verb.startsWith('delete')
    );
    expected['recorded-protected-namespace-write'] = whereTruth(
      (t) => ['manual', 'manual-drift'].includes(t.verdict) && t.effect.namespace === 'production'
    );
    expected['recorded-rollback-after-failed-sync'] = whereTruth(
      (t) => t.verdict === 'gitops-rollback' && t.failedSyncBefore !== undefined
    );
    expect(expected['recorded-rbac-enabled-delete']).toEqual(['unauthorized-deletion']);
    expect(expected['recorded-protected-namespace-write']).toEqual(['production-hotfix']);
    expect(table).toEqual(expected);
  }, 60_000);
});
