import { ALERT_RULES, clusterSelectors, pushEntries, pushEntryOf, ruleLogQL, type PushEntry } from '../../src/core';
import { provenanceDashboard } from '../../src/cli/provisioning/dashboard';
import { LokiEmulator } from '../support/lokiEmulator';

/**
 * Metric queries as real Loki 3.5 evaluates them: a sample carrying `__error__` fails the whole query with
 * "pipeline error" (pkg/logql/evaluator.go), and a label regex of a literal and `.*` is simplified into
 * "contains" (pkg/logql/log/filter.go). The emulator does both; the rules must still fire where they should.
 */

const T = Date.now() - 10 * 60_000;
let emu: LokiEmulator;
let url: string;

beforeAll(async () => {
  emu = new LokiEmulator();
  url = await emu.start();
});
afterAll(() => emu.stop());

async function load(cluster: string, lines: Array<{ text: string; labels?: Record<string, string> }>) {
  // Each line at its own time in the evaluated window, with the labels push gives its source.
  const entries = lines.map((l, i): PushEntry => ({
    labels: pushEntryOf(l.text, cluster)?.labels ?? { ...l.labels, cluster },
    ns: `${T + i}000000`,
    line: l.text,
    meta: {},
  }));
  const r = await pushEntries((u, init) => fetch(u, init), url, entries);
  expect(r.rejectedLines).toBe(0);
}

async function evaluate(ruleId: string, cluster: string): Promise<number> {
  const rule = ALERT_RULES.find((r) => r.id === ruleId);
  const query = ruleLogQL(rule!, clusterSelectors(cluster));
  const time = `${T + 60_000}000000`;
  const res = await fetch(`${url}/loki/api/v1/query?${new URLSearchParams({ query, time }).toString()}`);
  const text = await res.text();
  if (res.status !== 200) {
    throw new Error(`${ruleId}: ${res.status} ${text}`);
  }
  const body = JSON.parse(text) as { data: { result: Array<{ value: [number, string] }> } };
  return body.data.result.reduce((n, s) => n + Number(s.value[1]), 0);
}

it('argocd-sync-failed counts a failed sync in Argo CD text format (the default up to v2.14) and in JSON, by app, and nothing else', async () => {
  const failed = 'Sync operation to 0a1b2c3d failed: one or more objects failed to apply';
  const text = (msg: string, app: string, level = 'warning') =>
    `time="2026-03-02T10:00:00Z" level=${level} msg="${msg}" app-namespace=argocd application=${app} dest-namespace=shop reason=OperationCompleted type=Warning`;
  const json = (msg: string, app: string) =>
    JSON.stringify({ application: app, 'app-namespace': 'argocd', level: 'warning', msg, time: '2026-03-02T10:00:00Z' });
  await load('argo-formats', [
    { text: text(failed, 'argocd/shop'), labels: { job: 'argocd' } },
    { text: json(failed, 'shop'), labels: { job: 'argocd' } },
    // No sync result: no "to <rev>"; a partial sync; an empty revision (two spaces).
    { text: text('Sync operation failed: ComparisonError', 'billing'), labels: { job: 'argocd' } },
    { text: json('Partial sync operation to 9f8e7d6c failed: hook failed', 'billing'), labels: { job: 'argocd' } },
    { text: json('Sync operation to  failed: one or more objects failed to apply', 'shop'), labels: { job: 'argocd' } },
    // Noise: success, the sync start, refresh errors that mention a failure, in both formats.
    { text: text('Sync operation to 0a1b2c3d succeeded', 'shop', 'info'), labels: { job: 'argocd' } },
    { text: json('Sync operation to 0a1b2c3d succeeded', 'shop'), labels: { job: 'argocd' } },
    { text: text('Initiated automated sync to \'0a1b2c3d\'', 'shop', 'info'), labels: { job: 'argocd' } },
    { text: json('Failed to compare desired state to live state: failed to load target state', 'shop'), labels: { job: 'argocd' } },
    { text: 'level=info msg="Reconciliation completed" application=shop', labels: { job: 'argocd' } },
  ]);
  expect(await series('argocd-sync-failed', 'argo-formats')).toEqual({ 'argocd/shop': 1, shop: 2, billing: 2 });
});

/** The rule's instant result at the end of its range, as { group label value: count }. */
async function series(ruleId: string, cluster: string): Promise<Record<string, number>> {
  const rule = ALERT_RULES.find((r) => r.id === ruleId);
  const query = ruleLogQL(rule!, clusterSelectors(cluster));
  const res = await fetch(`${url}/loki/api/v1/query?${new URLSearchParams({ query, time: `${T + 60_000}000000` }).toString()}`);
  const text = await res.text();
  expect({ status: res.status, text: res.status === 200 ? '' : text }).toEqual({ status: 200, text: '' });
  const body = JSON.parse(text) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  return Object.fromEntries(body.data.result.map((r) => [Object.values(r.metric).join(','), Number(r.value[1])]));
}

it('secret-read-by-human counts oidc:system:alice as a person, though her name contains "system:"', async () => {
  const read = (username: string, i: number) =>
    JSON.stringify({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: `5b007d9a-c991-458d-9779-00000000000${i}`,
      stage: 'ResponseComplete',
      requestURI: '/api/v1/namespaces/shop/secrets/db',
      verb: 'get',
      user: { username, groups: ['system:authenticated'] },
      sourceIPs: ['10.0.0.9'],
      objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 200 },
      requestReceivedTimestamp: new Date(T + i).toISOString(),
      stageTimestamp: new Date(T + i).toISOString(),
    });
  await load('secrets', [{ text: read('oidc:system:alice', 1) }, { text: read('system:serviceaccount:shop:app', 2) }]);
  expect(await evaluate('secret-read-by-human', 'secrets')).toBe(1);
});

it('every metric query (alert rules, dashboard) drops lines | json cannot parse', () => {
  const board = provenanceDashboard() as unknown as { panels: Array<{ targets?: Array<{ expr?: string }> }> };
  const exprs = [
    ...ALERT_RULES.map((r) => ruleLogQL(r)),
    ...board.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? '')).filter((e) => e.includes('_over_time')),
  ];
  expect(exprs.length).toBeGreaterThan(ALERT_RULES.length);
  for (const e of exprs) {
    const parsers = e.match(/\| json/g)?.length ?? 0;
    expect({ e, checked: e.match(/\| json \| __error__=""/g)?.length ?? 0 }).toEqual({ e, checked: parsers });
  }
});
