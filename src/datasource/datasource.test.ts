import { dateTime, type DataFrame, type DataQueryRequest } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import type { LokiTransport } from '../core';
import { FakeLokiDataSource, scenarioLokiLines } from '../../tests/support/fakeLokiDataSource';
import { stubGrafanaRuntime } from '../../tests/support/grafanaRuntime';
import { provenanceSettings } from '../../tests/support/instanceSettings';
import { DataSource } from './datasource';
import { GrafanaLokiTransport } from './grafanaLokiTransport';
import { sameThreadPort } from './remoteTrace';
import type { ProvenanceOptions, ProvenanceQuery } from './types';

const START = Date.UTC(2026, 2, 2, 10);
const loki = new FakeLokiDataSource();

beforeAll(() => {
  loki.add(scenarioLokiLines(400, START));
  stubGrafanaRuntime(loki, (s) => s.replace('$ns', 'production'));
});

function settings(jsonData: ProvenanceOptions = { lokiUid: 'loki-test' }) {
  return provenanceSettings(jsonData);
}

function request(
  targets: Array<Partial<ProvenanceQuery>>,
  from = START - 600_000,
  to = START + 4 * 2_400_000
): DataQueryRequest<ProvenanceQuery> {
  return {
    targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), mode: 'chains', ...t })),
    range: { from: dateTime(from), to: dateTime(to), raw: { from: 'now-1h', to: 'now' } },
    scopedVars: {},
  } as unknown as DataQueryRequest<ProvenanceQuery>;
}

const field = (f: DataFrame, name: string) => f.fields.find((x) => x.name === name)?.values as unknown[];

describe('DataSource.query over a Loki data source', () => {
  it('chains: one row per change, field by field, with the story as annotation text', async () => {
    const ds = new DataSource(settings());
    const res = await lastValueFrom(
      ds.query(request([{ mode: 'chains', resource: 'deployments', namespace: '$ns', name: 'frontend-app' }]))
    );
    expect(res.data).toHaveLength(1);
    const f = res.data[0] as DataFrame;
    expect(f.name).toBe('chains');
    expect(f.meta?.preferredVisualisationType).toBe('table');
    expect(field(f, 'verdict')).toEqual(['gitops-rollback']);
    expect(field(f, 'who')).toEqual(['dana@example.org']);
    expect(field(f, 'verb')).toEqual(['delete']);
    expect(field(f, 'object')).toEqual(['deployments production/frontend-app']);
    expect(field(f, 'app')).toEqual(['frontend-app']);
    expect(field(f, 'commit')).toEqual(['45d9f8a1b2c3d4e5f60718293a4b5c6d7e8f9a0b']);
    expect(field(f, 'initiator')).toEqual(['dana@example.org']);
    expect(field(f, 'time')).toEqual([START + 10 * 60_000]);
    expect(field(f, 'text')).toEqual([
      'dana@example.org: delete deployments production/frontend-app during argocd rollback of frontend-app at 45d9f8a1b2c3',
    ]);
    expect(String(field(f, 'evidence')[0])).toContain('gitops-apply 0.70');
    // The records behind the change, for the panel's details: the effect, then each link's cause read from Loki.
    const records = field(f, 'records')[0] as Array<{ role: string; source: string; logql: string; raw: unknown }>;
    expect(records.map((r) => [r.role, r.source])).toEqual([
      ['effect', 'kube-audit'],
      ...records
        .slice(1)
        .map((r) => [expect.stringMatching(/^(gitops-apply|sync-trigger|rbac-context|drift)$/), r.source]),
    ]);
    expect(records.length).toBeGreaterThan(2);
    // Each with the raw line Loki returned for it (here every record's line was read by the query).
    const effectId = String(f.fields.find((x) => x.name === 'raw query')?.values[0]).split('"')[3];
    expect(JSON.parse(String((records[0] as { line?: string }).line)).auditID).toBe(effectId);
    expect(records.every((r) => typeof (r as { line?: string }).line === 'string')).toBe(true);
    expect(records[0].logql).toBe(f.fields.find((x) => x.name === 'raw query')?.values[0]);
    expect(records.every((r) => /^\{job="(kube-audit|argocd|fleet|rancher-audit)"\}/.test(r.logql))).toBe(true);
    // A data link per row to Explore on the Loki data source, with the row's raw query.
    const raw = f.fields.find((x) => x.name === 'raw query');
    expect(raw?.values[0]).toMatch(/^\{job="kube-audit"\} \|= "[0-9a-f-]{36}"$/);
    expect(raw?.config.links?.[0]).toMatchObject({
      title: 'Raw lines in Explore',
      internal: { datasourceUid: 'loki-test', query: { expr: '${__value.raw}' } },
    });
    // The uid opens it; the name is the configured data source's (Grafana's title when a link has none).
    expect(raw?.config.links?.[0].internal?.datasourceName).toBe(loki.name);
  });

  it('events, graph and logs modes, field by field', async () => {
    const ds = new DataSource(settings());
    const res = await lastValueFrom(
      ds.query(
        request([
          { mode: 'events', resource: 'pods', name: 'checkout-7d9f8c6b5-x2k4q' },
          { mode: 'graph', resource: 'deployments', name: 'frontend-app' },
          { mode: 'logs', resource: 'pods', name: 'checkout-7d9f8c6b5-x2k4q' },
        ])
      )
    );
    const [events, nodes, edges, logs] = res.data as DataFrame[];
    const table = (f: DataFrame) => Object.fromEntries(f.fields.map((x) => [x.name, [...(x.values as unknown[])]]));
    const execAt = START + 4 * 2_400_000;
    expect(events.meta?.preferredVisualisationType).toBe('table');
    // Every record read for the answer is an event row: the exec itself, and what phase 2 read to explain it.
    const ev = table(events);
    const row = (ev.object as string[]).indexOf('pods shop/checkout-7d9f8c6b5-x2k4q/exec');
    expect(Object.fromEntries(Object.entries(ev).map(([k, v]) => [k, v[row]]))).toEqual({
      time: execAt,
      source: 'kube-audit',
      verb: 'create',
      actor: 'lee@example.org',
      kind: 'human',
      object: 'pods shop/checkout-7d9f8c6b5-x2k4q/exec',
      ip: '203.0.113.9',
      outcome: '101',
      app: '',
      'raw query': expect.stringMatching(/^\{job="kube-audit"\} \|= "[0-9a-f-]{36}"$/),
    });
    expect([nodes.meta?.preferredVisualisationType, edges.meta?.preferredVisualisationType]).toEqual([
      'nodeGraph',
      'nodeGraph',
    ]);
    expect(table(nodes)).toEqual({
      id: [
        'who:dana@example.org',
        'obj:deployments production/frontend-app',
        'op:argocd:frontend-app:rollback',
        'commit:45d9f8a1b2c3d4e5f60718293a4b5c6d7e8f9a0b',
      ],
      title: ['dana@example.org', 'deployments production/frontend-app', 'argocd rollback', '45d9f8a1b2c3'],
      subtitle: ['human', 'apps', 'frontend-app', 'commit'],
    });
    expect(table(edges)).toEqual({
      id: [
        'who:dana@example.org>op:argocd:frontend-app:rollback',
        'commit:45d9f8a1b2c3d4e5f60718293a4b5c6d7e8f9a0b>op:argocd:frontend-app:rollback',
        'op:argocd:frontend-app:rollback>obj:deployments production/frontend-app',
      ],
      source: [
        'who:dana@example.org',
        'commit:45d9f8a1b2c3d4e5f60718293a4b5c6d7e8f9a0b',
        'op:argocd:frontend-app:rollback',
      ],
      target: [
        'op:argocd:frontend-app:rollback',
        'op:argocd:frontend-app:rollback',
        'obj:deployments production/frontend-app',
      ],
      mainstat: ['started', 'deploys', 'delete'],
    });
    expect(logs.meta?.type).toBe('log-lines');
    expect(logs.meta?.preferredVisualisationType).toBe('logs');
    const l = table(logs);
    expect(Object.keys(l)).toEqual(['timestamp', 'body', 'id', 'labels']);
    expect(l.labels).toEqual([{ job: 'kube-audit', cluster: 'prod-eu', auditID: expect.any(String) }]);
    expect(l.timestamp).toEqual([execAt]);
    expect(String(l.body[0])).toContain('"subresource":"exec"');
  });

  it('verdict filter, and notices for lines it could not read', async () => {
    const ds = new DataSource(settings());
    loki.add([
      {
        text: '{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"delete","objectRef":{"name":"frontend-app"}',
        labels: { job: 'kube-audit', cluster: 'prod-eu' },
        ns: `${START + 10 * 60_000 + 1}000000`,
      },
    ]);
    const res = await lastValueFrom(
      ds.query(request([{ mode: 'chains', name: 'frontend-app', verdicts: ['manual'] }]))
    );
    const f = res.data[0] as DataFrame;
    expect(f.length).toBe(0);
    expect(f.meta?.notices?.filter((n) => !n.text.startsWith('Routine system writes'))).toEqual([
      { severity: 'info', text: 'Lines not read: truncated-json ×1' },
    ]);
  });

  it('stops asking Loki when the request is cancelled', async () => {
    const ds = new DataSource(settings());
    let release: () => void = () => undefined;
    loki.hold = new Promise((r) => (release = r));
    const sub = ds.query(request([{ mode: 'chains' }])).subscribe({ next: () => undefined });
    await new Promise((r) => setTimeout(r, 20));
    sub.unsubscribe();
    const inFlight = loki.requests.length;
    release();
    loki.hold = undefined;
    await new Promise((r) => setTimeout(r, 50));
    // The pages in flight finished; no further pages or phase-2 queries were asked.
    expect(loki.requests.length).toBe(inFlight);
  });

  it('unsubscribing terminates the trace worker', async () => {
    const terminated: boolean[] = [];
    const runnerFor = () => {
      const port = sameThreadPort();
      const i = terminated.push(false) - 1;
      return {
        ...port,
        terminate: () => {
          terminated[i] = true;
          port.terminate();
        },
      };
    };
    const ds = new DataSource(settings(), undefined, runnerFor);
    let release: () => void = () => undefined;
    loki.hold = new Promise((r) => (release = r));
    const sub = ds.query(request([{ mode: 'chains' }])).subscribe({ next: () => undefined });
    await new Promise((r) => setTimeout(r, 20));
    expect(terminated).toEqual([false]);
    sub.unsubscribe();
    expect(terminated).toEqual([true]);
    release();
    loki.hold = undefined;
  });

  it('says what to do when no Loki data source is chosen', async () => {
    const ds = new DataSource(settings({}));
    await expect(lastValueFrom(ds.query(request([{ mode: 'chains' }])))).rejects.toMatchObject({
      message: expect.stringContaining('choose the Loki data source'),
    });
    await expect(ds.testDatasource()).resolves.toMatchObject({
      status: 'error',
      message: 'Choose the Loki data source that holds your audit streams.',
    });
  });

  it('Save & test reports which sources have no recent lines', async () => {
    const ds = new DataSource(settings({ lokiUid: 'loki-test', selectors: { fleet: 'job=fleet-missing' } }));
    const r = await ds.testDatasource();
    // The fake holds March 2026 lines, so nothing is from the last 24 h.
    expect(r.status).toBe('error');
    expect(r.message).toContain('no line arrived in the last 24 h for: kube-audit {job="kube-audit"}');
    expect(r.message).toContain('fleet {job="fleet-missing"}');
  });

  it('Save & test asks Loki for one line per stream, not a day of them', async () => {
    const sources = ['kube-audit', 'rancher-audit', 'argocd', 'fleet'] as const;
    const now = Date.now();
    loki.add(
      sources.flatMap((src) =>
        Array.from({ length: 50 }, (_, i) => ({
          text: `${src} line ${i}`,
          labels: { job: `recent-${src}` },
          ns: `${now - 3_600_000 + i * 1000}000000`,
        }))
      )
    );
    const before = loki.requests.length;
    const selectors = Object.fromEntries(sources.map((src) => [src, `job=recent-${src}`]));
    const r = await new DataSource(settings({ lokiUid: 'loki-test', selectors })).testDatasource();
    expect(r).toMatchObject({ status: 'success' });
    const asked = loki.requests.slice(before);
    expect(asked.length).toBeGreaterThanOrEqual(sources.length);
    expect(asked.every((q) => q.maxLines === 1)).toBe(true);
  });

  it('uses the configured windows, and the free-text filter', async () => {
    const contextKinds = async (jsonData: ProvenanceOptions) => {
      const res = await lastValueFrom(
        new DataSource(settings(jsonData)).query(
          request([{ mode: 'chains', resource: 'deployments', name: 'frontend-app' }])
        )
      );
      return (field(res.data[0] as DataFrame, 'chain') as Array<{ context: Array<{ kind: string }> }>)[0].context.map(
        (c) => c.kind
      );
    };
    expect(await contextKinds({ lokiUid: 'loki-test' })).toEqual(['sync-trigger', 'rbac-context']);
    // A one-minute RBAC look-back no longer reaches the RoleBinding change ten minutes before.
    expect(await contextKinds({ lokiUid: 'loki-test', windows: { rbacLookbackMs: 60_000 } })).toEqual(['sync-trigger']);
    const ds = new DataSource(settings());
    const none = await lastValueFrom(
      ds.query(request([{ mode: 'chains', name: 'frontend-app', text: 'no-such-text' }]))
    );
    expect((none.data[0] as DataFrame).length).toBe(0);
  });

  it('only the chosen verbs, and a notice when Loki could not give every line', async () => {
    const ns = `${START + 3 * 2_400_000 + 180}`;
    const line = (i: number) =>
      JSON.stringify({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        auditID: `same-ms-${i}`,
        stage: 'ResponseComplete',
        verb: 'patch',
        user: { username: 'ops@example.org' },
        objectRef: { resource: 'configmaps', namespace: 'shop', name: 'same-ms' },
        responseStatus: { code: 200 },
        requestReceivedTimestamp: new Date(Number(ns)).toISOString(),
      });
    loki.add(
      [0, 1, 2].map((i) => ({ text: line(i), labels: { job: 'kube-audit', cluster: 'prod-eu' }, ns: `${ns}00000${i}` }))
    );
    const ds = new DataSource(settings({ lokiUid: 'loki-test', pageLimit: 2 }));
    const res = await lastValueFrom(ds.query(request([{ mode: 'chains', name: 'same-ms', verbs: ['patch'] }])));
    const f = res.data[0] as DataFrame;
    expect(field(f, 'verb')).toEqual(['patch', 'patch']);
    expect(f.meta?.notices).toContainEqual({
      severity: 'warning',
      text: expect.stringMatching(/^more than 2 lines share the timestamp \d+ ns: the rest of them were not read$/),
    });
    const deletes = await lastValueFrom(
      new DataSource(settings()).query(request([{ mode: 'chains', name: 'same-ms', verbs: ['delete'] }]))
    );
    expect((deletes.data[0] as DataFrame).length).toBe(0);
  });

  it('explains only with the chosen streams', async () => {
    const ds = new DataSource(settings());
    const before = loki.requests.length;
    const res = await lastValueFrom(
      ds.query(request([{ mode: 'chains', resource: 'deployments', name: 'legacy-worker', sources: ['argocd'] }]))
    );
    const asked = loki.requests.slice(before).map((r) => r.expr);
    expect(asked.some((e) => e.startsWith('{job="rancher-audit"}'))).toBe(false);
    // Without Rancher's record the person is the Rancher user id, not the login name, and no client IP.
    expect(field(res.data[0] as DataFrame, 'who')).toEqual(['kim']);
    expect(field(res.data[0] as DataFrame, 'ip')).toEqual(['10.42.0.17']);
  });

  it('suggests what changed in the last hour', async () => {
    const ds = new DataSource(settings());
    const now = START + 3 * 2_400_000 + 30 * 60_000;
    expect(await ds.suggest('namespace', now)).toEqual(expect.arrayContaining(['shop']));
    expect(await ds.suggest('name', now)).toContain('legacy-worker');
    expect(await new DataSource(settings({})).suggest('name', now)).toEqual([]);
  });

  it('variables: people, apps, namespaces and verdicts of the changes in the range', async () => {
    const ds = new DataSource(settings());
    const range = { from: dateTime(START - 600_000), to: dateTime(START + 4 * 2_400_000) };
    expect(await ds.metricFindQuery('apps', { range })).toEqual([
      { text: 'frontend-app' },
      { text: 'payments' },
      { text: 'storefront' },
    ]);
    expect((await ds.metricFindQuery('actors', { range })).map((v) => v.text)).toEqual(
      expect.arrayContaining(['dana@example.org', 'kim', 'lee@example.org'])
    );
    expect(await ds.metricFindQuery('clusters', { range })).toEqual([{ text: 'prod-eu' }]);
    await expect(ds.metricFindQuery('colours', { range })).rejects.toThrow(
      'unknown variable query "colours"; use one of actors, apps, namespaces, verdicts, clusters'
    );
  });

  it('variables share one trace per time range: the second and third variable ask Loki nothing', async () => {
    const ds = new DataSource(settings());
    const range = { from: dateTime(START - 600_000), to: dateTime(START + 4 * 2_400_000) };
    const before = loki.requests.length;
    await Promise.all([ds.metricFindQuery('actors', { range }), ds.metricFindQuery('apps', { range })]);
    const oneTrace = loki.requests.length - before;
    expect(oneTrace).toBeGreaterThan(0);
    await ds.metricFindQuery('namespaces', { range });
    expect(loki.requests.length - before).toBe(oneTrace);
    // Another range is another trace.
    await ds.metricFindQuery('namespaces', { range: { from: range.from, to: dateTime(START + 3 * 2_400_000) } });
    const twoTraces = loki.requests.length - before;
    expect(twoTraces).toBeGreaterThan(oneTrace);
    // A minute later the same range is read again: an absolute range may still be receiving lines.
    const later = Date.now() + 61_000;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      await ds.metricFindQuery('namespaces', { range });
    } finally {
      clock.mockRestore();
    }
    expect(loki.requests.length - before).toBeGreaterThan(twoTraces);
  });

  it('one dashboard refresh asks Loki once per distinct question: panel, table, graph, logs, annotations, variables', async () => {
    const range = { from: dateTime(START - 600_000), to: dateTime(START + 4 * 2_400_000) };
    const alone = new DataSource(settings());
    let before = loki.requests.length;
    await lastValueFrom(alone.query(request([{ mode: 'chains' }])));
    const oneTrace = loki.requests.slice(before);
    expect(oneTrace.length).toBeGreaterThan(0);

    const ds = new DataSource(settings());
    before = loki.requests.length;
    await Promise.all([
      lastValueFrom(ds.query(request([{ mode: 'chains' }]))), // the provenance panel
      lastValueFrom(ds.query(request([{ mode: 'chains', verdicts: ['manual', 'manual-drift'] }]))), // the table
      lastValueFrom(ds.query(request([{ mode: 'graph' }, { mode: 'logs' }]))), // node graph and logs
      lastValueFrom(ds.query(request([{ mode: 'chains', refId: 'Anno' }]))), // annotations
      ds.metricFindQuery('actors', { range }),
      ds.metricFindQuery('apps', { range }),
    ]);
    const refresh = loki.requests.slice(before);
    expect(refresh.map((r) => r.expr)).toEqual(oneTrace.map((r) => r.expr));
    // Another question is another read.
    before = loki.requests.length;
    await lastValueFrom(ds.query(request([{ mode: 'chains', namespace: 'shop' }])));
    expect(loki.requests.length - before).toBeGreaterThan(0);
  });

  it('routine system writes: left out by default with a notice of the counts, kept on request', async () => {
    const ds = new DataSource(settings());
    const left = (await lastValueFrom(ds.query(request([{ mode: 'chains' }])))).data[0] as DataFrame;
    const notice = left.meta?.notices?.find((n) => n.text.startsWith('Routine system writes left out'));
    expect(notice?.text).toMatch(
      /Loki left out \(not counted\): leases, events, reviews, node-status, pod-status, endpoints\. Turn on "Keep routine traffic"/
    );
    const kept = (await lastValueFrom(ds.query(request([{ mode: 'chains', keepRoutine: true }])))).data[0] as DataFrame;
    expect(kept.meta?.notices?.some((n) => n.text.startsWith('Routine system writes'))).toBe(false);
    expect(field(kept, 'verdict').filter((v) => v === 'controller').length).toBeGreaterThan(
      field(left, 'verdict').filter((v) => v === 'controller').length
    );
    expect(ds.effectsLogQL({})).toContain('!~ "^\\\\{\\"kind\\":\\"Event\\"');
    expect(ds.effectsLogQL({ keepRoutine: true })).not.toContain('!~');
    // The setting: only the listed classes are left out.
    const some = new DataSource(settings({ lokiUid: 'loki-test', excludeRoutine: ['leases'] }));
    expect(some.effectsLogQL({})).toContain('coordination');
    expect(some.effectsLogQL({})).not.toContain('endpointslices');
  });

  it('variables: a failed trace is reported and not kept, so the next refresh asks Loki again', async () => {
    let down = true;
    const real = new GrafanaLokiTransport('loki-test', 1000);
    const flaky: LokiTransport = {
      queryRange: (...args) => (down ? Promise.reject(new Error('Loki is down')) : real.queryRange(...args)),
    };
    const ds = new DataSource(settings(), () => flaky);
    const range = { from: dateTime(START - 600_000), to: dateTime(START + 4 * 2_400_000) };
    await expect(ds.metricFindQuery('apps', { range })).rejects.toThrow('Loki is down');
    down = false;
    expect((await ds.metricFindQuery('apps', { range })).map((v) => v.text)).toContain('frontend-app');
  });

  it('annotations: the chains frame carries time and text, which Grafana turns into annotations', async () => {
    const ds = new DataSource(settings());
    expect(ds.annotations).toEqual({});
    const res = await lastValueFrom(ds.query(request([{ mode: 'chains', name: 'legacy-worker' }])));
    const f = res.data[0] as DataFrame;
    expect(field(f, 'time')).toEqual([START + 3 * 2_400_000 + 180]);
    expect(field(f, 'text')).toEqual(['kim from 198.51.100.44: delete deployments shop/legacy-worker']);
  });

  it('shows the LogQL it runs and the metric form for an alert rule', () => {
    const ds = new DataSource(settings());
    expect(ds.effectsLogQL({ namespace: 'shop', name: 'checkout', keepRoutine: true })).toBe(
      String.raw`{job="kube-audit"} |~ "\"verb\":\"(create|update|patch|delete|deletecollection)\"" |= "\"namespace\":\"shop\"" |= "\"name\":\"checkout\""`
    );
    expect(ds.alertLogQL({ namespace: 'shop' })).toMatch(
      /^sum by \(objectRef_namespace\) \(count_over_time\(\{job="kube-audit"\}.* \[5m\]\)\)$/
    );
  });
});
