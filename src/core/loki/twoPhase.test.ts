import { kubeAudit, rancherAudit, rancherDownstream } from '../../../tests/support/builders';
import { compile, matches, runPipeline } from '../../../tests/support/logqlEval';
import { buildAllChains } from '../correlate/engine';
import type { Chain } from '../model';
import { parseLines } from '../parse/session';
import type { RawLine } from '../parse/types';
import type { LokiTransport } from './transport';
import { traceOverLoki } from './twoPhase';

/** A write at `ms` as kube-apiserver logs it (written here, not by the generator): `who` writes `resource` `name` in `web`. */
function auditWrite(
  ms: number,
  i: number,
  w: { who: string; resource: string; name: string; group?: string; verb?: string }
): RawLine {
  const t = new Date(ms).toISOString();
  const api = w.group ? `/apis/${w.group}/v1` : '/api/v1';
  return {
    text: JSON.stringify({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      stage: 'ResponseComplete',
      requestURI: `${api}/namespaces/web/${w.resource}/${w.name}`,
      verb: w.verb ?? 'create',
      user: { username: w.who, groups: ['system:authenticated'] },
      sourceIPs: ['203.0.113.5'],
      userAgent: 'kubectl/v1.31.2',
      objectRef: {
        resource: w.resource,
        namespace: 'web',
        name: w.name,
        apiVersion: 'v1',
        ...(w.group ? { apiGroup: w.group } : {}),
      },
      responseStatus: { metadata: {}, code: 200 },
      requestReceivedTimestamp: t,
      stageTimestamp: t,
    }),
    labels: { job: 'kube-audit' },
    ns: `${ms}000000`,
  };
}

/** A person's update of ConfigMap c<i> at `ms`. */
const write = (ms: number, i: number) =>
  auditWrite(ms, i, { who: 'alice@example.org', resource: 'configmaps', name: `c${i}`, verb: 'update' });

/** Loki with `perHour` writes an hour over the whole month; phase-1 queries are recorded. */
function monthOfWrites(perHour: number): LokiTransport & { phase1: Array<[number, number]> } {
  const phase1: Array<[number, number]> = [];
  return {
    phase1,
    queryRange(logql, start, end) {
      const lines: RawLine[] = [];
      // Phase 1 starts with the write-verb filter; phase 2's kube-audit queries with a resource or name filter.
      if (logql.startsWith('{job="kube-audit"} |~ "\\"verb')) {
        phase1.push([start, end]);
        const step = 3_600_000 / perHour;
        for (let ms = Math.ceil(start / step) * step; ms < end; ms += step) {
          lines.push(write(ms, ms / step));
        }
      }
      return Promise.resolve({ lines, warnings: [], requests: 1 });
    },
  };
}

describe('broad questions stay bounded', () => {
  const to = Date.UTC(2026, 2, 31);
  const from = to - 30 * 86_400_000;

  it('a month: the newest hours first, until the line budget is spent, and a warning says what was not read', async () => {
    const loki = monthOfWrites(60);
    const progress: number[] = [];
    const r = await traceOverLoki(loki, { from, to }, undefined, {}, undefined, {
      maxEffectLines: 150,
      onProgress: (p) => progress.push(p.piecesDone),
    });
    // 60 lines an hour, a budget of 150: the newest three hours are read, newest first, and no more.
    expect(loki.phase1.map(([s, e]) => (e - s) / 3_600_000)).toEqual([1, 1, 1]);
    expect(loki.phase1[0][1]).toBe(to + 1);
    expect(loki.phase1[2][0]).toBe(to + 1 - 3 * 3_600_000);
    expect(progress).toEqual([1, 2, 3]);
    expect(r.chains).toHaveLength(180);
    expect(r.chains[0].effect.time).toBeGreaterThanOrEqual(to + 1 - 3 * 3_600_000);
    expect(r.warnings).toContainEqual(
      expect.stringMatching(
        /^Answered the newest part only: changes from 2026-03-30T21:00:00\.001Z to 2026-03-31T00:00:00Z \(180 lines of writes read, the limit is 150\)\. 2026-03-01T00:00:00Z to 2026-03-30T21:00:00\.001Z was not read: .*ends at 2026-03-30T21:00:00\.001Z/
      )
    );
  });

  it('a short range is read whole, in one query, with no warning', async () => {
    const loki = monthOfWrites(60);
    const r = await traceOverLoki(loki, { from: to - 3_600_000, to }, undefined, {}, undefined, { maxEffectLines: 10 });
    expect(loki.phase1).toEqual([[to - 3_600_000, to + 1]]);
    expect(r.chains.length).toBe(61);
    expect(r.warnings.filter((w) => w.startsWith('Answered'))).toEqual([]);
  });
});

describe('Rancher user ids through the authorized cluster endpoint: the identity look-back over Loki', () => {
  const T = Date.UTC(2026, 2, 10, 12);
  const DAY = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const line = (record: object, job: string, ms: number): RawLine => ({
    text: JSON.stringify(record),
    labels: { job },
    ns: `${ms}000000`,
  });
  const ace = line(
    kubeAudit({
      auditID: 'ace00000-0000-4000-8000-000000000001',
      user: { username: 'u-q8z3n', groups: ['system:authenticated', 'system:cattle:authenticated'] },
      requestReceivedTimestamp: iso(T),
      stageTimestamp: iso(T),
    }),
    'kube-audit',
    T
  );
  const rancherRecord = (ms: number) =>
    line(rancherAudit({ requestTimestamp: iso(ms), responseTimestamp: iso(ms) }), 'rancher-audit', ms);

  /** The ACE write's chain from the Loki trace and from the file trace of the same lines. */
  async function both(lines: RawLine[]) {
    const l = evalLoki(lines);
    const r = await traceOverLoki(l, { from: T - 1_800_000, to: T + 1_800_000 });
    const fromLoki = r.chains.find((c) => c.effect.keys.auditID === 'ace00000-0000-4000-8000-000000000001');
    const fromFile = buildAllChains(parseLines(lines).events, {}).find(
      (c) => c.effect.keys.auditID === 'ace00000-0000-4000-8000-000000000001'
    );
    const ace = (c?: Chain) => ({ who: c?.who.name, link: c?.links.find((k) => k.kind === 'rancher-ace') });
    const rancherReads = l.asked.filter((q) => q.logql.startsWith('{job="rancher-audit"}'));
    return { loki: ace(fromLoki), file: ace(fromFile), rancherReads };
  }

  it('a login named three days before (past the first day read): both traces name kim, with the same record', async () => {
    const r = await both([ace, rancherRecord(T - 3 * DAY)]);
    expect(r.loki.who).toBe('kim');
    expect(r.loki).toEqual(r.file);
    // Newest first: the first day, then older pieces only until the record was found.
    expect(r.rancherReads.length).toBeGreaterThan(1);
    expect(Math.min(...r.rancherReads.map((q) => q.start))).toBeLessThanOrEqual(T - 3 * DAY);
    expect(Math.min(...r.rancherReads.map((q) => q.start))).toBeGreaterThan(T - 7 * DAY);
  });

  it('a login named eight days before (past the 7-day look-back): neither names it; Loki reads back 7 days, no more', async () => {
    const r = await both([ace, rancherRecord(T - 8 * DAY)]);
    expect(r.loki.who).toBe('u-q8z3n');
    expect(r.loki.link?.evidence[1]).toBe('no Rancher record of u-q8z3n in the last 7 days names its login');
    expect(r.loki).toEqual(r.file);
    expect(Math.min(...r.rancherReads.map((q) => q.start))).toBe(T - 7 * DAY);
  });

  it('a login named an hour before: one Rancher read, as before', async () => {
    const r = await both([ace, rancherRecord(T - 3_600_000)]);
    expect(r.loki.who).toBe('kim');
    expect(r.loki).toEqual(r.file);
    expect(r.rancherReads).toHaveLength(1);
  });
});

describe('phase 1 parsed as its pages arrive', () => {
  const at = Date.UTC(2026, 3, 2, 9);
  // A person's and a controller's writes, and reads between them (counted, not parsed).
  const lines: RawLine[] = Array.from({ length: 40 }, (_, i) =>
    auditWrite(at + i * 60_000, i, {
      who: i % 2 ? 'alice@example.org' : 'system:serviceaccount:kube-system:replicaset-controller',
      resource: i % 3 ? 'configmaps' : 'pods',
      name: `n${i}`,
      verb: i % 5 === 0 ? 'get' : 'update',
    })
  );
  /** Loki answering phase 1 with `lines`, its pages heard as `pages` says; nothing else. */
  const paging = (pages: (all: RawLine[]) => RawLine[][]): LokiTransport => ({
    queryRange(logql, _s, _e, _signal, _max, onPage) {
      const hits = logql.startsWith('{job="kube-audit"} |~ "\\"verb') ? lines : [];
      pages(hits).forEach((p, i) => onPage?.(i, p));
      return Promise.resolve({ lines: hits, warnings: [], requests: 1 });
    },
  });
  const answer = async (t: LokiTransport) => {
    const r = await traceOverLoki(t, { from: at, to: at + 3_600_000 });
    return { chains: r.chains.map((c) => [c.effect.id, c.verdict, c.who.name]), stats: r.parsed.stats };
  };

  it('the same answer whether the pages come in order, out of order, short of the answer, or not at all', async () => {
    const whole = await answer(paging(() => []));
    // 40 lines, 8 of them reads (every fifth): 32 writes, each a chain.
    expect(whole.stats.lines).toBe(40);
    expect(whole.chains).toHaveLength(32);
    expect(await answer(paging((all) => [all.slice(0, 15), all.slice(15)]))).toEqual(whole);
    expect(await answer(paging((all) => [all.slice(15), all.slice(0, 15)]))).toEqual(whole);
    expect(await answer(paging((all) => [all.slice(0, 15)]))).toEqual(whole);
    expect(await answer(paging((all) => [all.map((l) => ({ ...l }))]))).toEqual(whole);
  });
});

describe('a question narrowed by verbs or free text answers with what phase 1 read for it', () => {
  const at = Date.UTC(2026, 3, 3, 10);
  const del = auditWrite(at, 1, {
    who: 'dana@example.org',
    resource: 'deployments',
    name: 'web',
    group: 'apps',
    verb: 'delete',
  });
  const rs = auditWrite(at + 2_000, 2, {
    who: 'system:serviceaccount:kube-system:replicaset-controller',
    resource: 'replicasets',
    name: 'web-7d9f8c6b5',
    group: 'apps',
    verb: 'update',
  });

  it.each([
    // Phase 1 asks for deletes, or filters by the text (dana's line holds it).
    ['deletes', { verbs: ['delete'] }, '"verb\\":\\"(delete)'],
    ['free text', { text: 'dana@example.org' }, '|= "dana@example.org"'],
  ])(
    '%s asked: the ReplicaSet update read to explain what the delete set off is no answer of its own',
    async (_, narrowed, phase1) => {
      const loki: LokiTransport = {
        queryRange(logql) {
          // The dependents' read (names followed by `-`) gets the ReplicaSet's update.
          const lines = logql.includes(phase1) ? [del] : logql.includes(')-"') ? [rs] : [];
          return Promise.resolve({ lines, warnings: [], requests: 1 });
        },
      };
      const r = await traceOverLoki(loki, { ...narrowed, from: at - 60_000, to: at + 60_000 });
      expect(r.chains.map((c) => `${c.effect.verb} ${c.effect.target.name}`)).toEqual(['delete web']);
      // Both were read and correlated: the update is still there for the delete's consequences.
      expect(r.allChains.map((c) => `${c.effect.verb} ${c.effect.target.name}`).sort()).toEqual([
        'delete web',
        'update web-7d9f8c6b5',
      ]);
    }
  );
});

describe('a busy window names hundreds of owners: every one is read, in queries a Loki can take', () => {
  const at = Date.UTC(2026, 3, 1, 10);
  /** The i-th write, `i` seconds after `at`. */
  const writeOf = (i: number, who: string, resource: string, name: string, group?: string) =>
    auditWrite(at + i * 1000, i, { who, resource, name, group });
  /** Loki answering phase 1 (the write-verb query first of all) with `lines`; every query's LogQL recorded. */
  const lokiWith = (lines: RawLine[]) => {
    const asked: string[] = [];
    const loki: LokiTransport = {
      queryRange(logql) {
        asked.push(logql);
        return Promise.resolve({ lines: asked.length === 1 ? lines : [], warnings: [], requests: 1 });
      },
    };
    return { loki, asked };
  };
  // Names as Loki's regex alternation holds them: `a|b|c` between `"name":"(` and `)`.
  const namedIn = (logql: string, prefix: string) =>
    (new RegExp(`${prefix}\\((.*?)\\)`).exec(logql)?.[1] ?? '').split('|').filter(Boolean);
  const names = Array.from({ length: 450 }, (_, i) => `app${String(i).padStart(3, '0')}`);

  it('450 Deployments a person created: what they set off is read in three queries naming 200, 200 and 50', async () => {
    const { loki, asked } = lokiWith(names.map((n, i) => writeOf(i, 'dana@example.org', 'deployments', n, 'apps')));
    const r = await traceOverLoki(loki, { target: { resource: 'deployments' }, from: at - 60_000, to: at + 3_600_000 });
    // The dependents' reads: names followed by `-` (`<owner>-…`).
    const dependents = asked.filter((q) => q.includes(')-"'));
    expect(dependents.map((q) => namedIn(q, '\\\\"name\\\\":\\\\"').length)).toEqual([200, 200, 50]);
    expect(dependents.flatMap((q) => namedIn(q, '\\\\"name\\\\":\\\\"')).sort()).toEqual(names);
    expect(r.warnings.filter((w) => /not read/.test(w))).toEqual([]);
  });

  it('a broad question reads what they set off only past its range: phase 1 read the rest already', async () => {
    const lines = names.map((n, i) => writeOf(i, 'dana@example.org', 'deployments', n, 'apps'));
    const inside = lokiWith(lines);
    await traceOverLoki(inside.loki, { from: at - 60_000, to: at + 3_600_000 });
    // The writes end 450 s into an hour: their cascade window (10 minutes) ends inside it.
    expect(inside.asked.filter((q) => q.includes(')-"'))).toEqual([]);
    const starts: number[] = [];
    const edge = lokiWith(lines);
    const recording: LokiTransport = {
      queryRange(logql, start, end, signal) {
        if (logql.includes(')-"')) {
          starts.push(start);
        }
        return edge.loki.queryRange(logql, start, end, signal);
      },
    };
    await traceOverLoki(recording, { from: at - 60_000, to: at + 500_000 });
    // The range ends 50 s after the last write: only the ten minutes past it are read, in three queries.
    expect(starts).toEqual([at + 500_001, at + 500_001, at + 500_001]);
  });

  it('a broad question with more owners than queries can name (5,001): the writes past its range are read whole, by time, none left out', async () => {
    const many = Array.from({ length: 5_001 }, (_, i) => `svc${String(i).padStart(4, '0')}`);
    // 5,001 Deployments created in the range's last 100 s (50 a second).
    const to = at + 3_600_000;
    const lines = many.map((n, i) =>
      auditWrite(to - 100_000 + i * 20, i, { who: 'dana@example.org', resource: 'deployments', name: n, group: 'apps' })
    );
    const asked: Array<{ logql: string; start: number; end: number }> = [];
    const loki: LokiTransport = {
      queryRange(logql, start, end) {
        asked.push({ logql, start, end });
        return Promise.resolve({ lines: asked.length === 1 ? lines : [], warnings: [], requests: 1 });
      },
    };
    const r = await traceOverLoki(loki, { from: at, to });
    expect(r.warnings.filter((w) => /not read/.test(w))).toEqual([]);
    // No query names them; phase 1's own query is asked again for the ten minutes (two cascade windows) past the range.
    expect(asked.filter((q) => q.logql.includes(')-"'))).toEqual([]);
    const again = asked.filter((q, i) => i > 0 && q.logql === asked[0].logql);
    expect(again.map((q) => [q.start, q.end])).toEqual([[to + 1, to + 600_000 + 1]]);
  });

  it("450 Pods a ReplicaSet controller created: their owners' writes are read, every owner named, none left out", async () => {
    const rsNames = names.map((n) => `${n}-7d9f8c6b5`);
    const { loki, asked } = lokiWith(
      rsNames.map((rs, i) =>
        writeOf(i, 'system:serviceaccount:kube-system:replicaset-controller', 'pods', `${rs}-x2k4q`)
      )
    );
    const r = await traceOverLoki(loki, { target: { resource: 'pods' }, from: at - 60_000, to: at + 3_600_000 });
    const ownerReads = asked.filter((q) => q.includes('\\"resource\\":\\"(replicasets'));
    const named = ownerReads.map((q) => namedIn(q, '\\\\"name\\\\":\\\\"'));
    // A Pod's name gives more than one owner to look for (a ReplicaSet or another kind by the same name): queries
    // of at most 200 owners, so more than three, each naming no more than 200.
    expect(named.length).toBeGreaterThan(2);
    expect(Math.max(...named.map((n) => n.length))).toBeLessThanOrEqual(200);
    expect([...new Set(named.flat())].sort()).toEqual(rsNames);
    expect(r.warnings.filter((w) => /not read/.test(w))).toEqual([]);
  });
});

/** Loki over `lines`, LogQL evaluated as the emulator does (tests/support/logqlEval); every query recorded. */
function evalLoki(lines: RawLine[]): LokiTransport & { asked: Array<{ logql: string; start: number; end: number }> } {
  const asked: Array<{ logql: string; start: number; end: number }> = [];
  return {
    asked,
    queryRange(logql, start, end) {
      asked.push({ logql, start, end });
      const plan = compile(logql);
      if (plan.kind !== 'log') {
        throw new Error(`not a log query: ${logql}`);
      }
      const hits = lines.filter((l) => {
        const ms = Number(BigInt(l.ns ?? '0') / BigInt(1_000_000));
        const labels = l.labels ?? {};
        return (
          ms >= start &&
          ms < end &&
          plan.plan.selector.every((m) => matches(m, labels[m.label])) &&
          runPipeline(plan.plan, l.text, labels) !== undefined
        );
      });
      return Promise.resolve({ lines: hits, warnings: [], requests: 1 });
    },
  };
}

describe('phase 2 asks each stream for its own window around the writes (the correlation windows of the README)', () => {
  const T = Date.UTC(2026, 3, 5, 12);
  const MIN = 60_000;
  const DAY = 24 * 60 * MIN;
  const iso = (ms: number) => new Date(ms).toISOString();
  const kubeLine = (ms: number, record: object): RawLine => ({
    text: JSON.stringify(record),
    labels: { job: 'kube-audit' },
    ns: `${ms}000000`,
  });
  const update = (ms: number, id: number, username: string, resource: string, name: string, over: object = {}) =>
    kubeLine(
      ms,
      kubeAudit({
        auditID: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
        verb: 'update',
        requestURI: `/api/v1/namespaces/web/${resource}/${name}`,
        user: { username, groups: ['system:authenticated'] },
        userAgent: 'x/1',
        objectRef: { resource, namespace: 'web', name, apiVersion: 'v1' },
        requestReceivedTimestamp: iso(ms),
        stageTimestamp: iso(ms),
        annotations: {},
        ...over,
      })
    );
  // Five writes over two minutes: a person's, one through Rancher's proxy (kim, u-q8z3n), an Argo CD sync's, an
  // ApplicationSet's generated Application, a Fleet agent's.
  const lines = [
    update(T, 1, 'alice@example.org', 'configmaps', 'settings'),
    kubeLine(
      T + 30_000,
      rancherDownstream({
        auditID: '00000000-0000-4000-8000-000000000002',
        requestURI: '/api/v1/namespaces/web/secrets/s',
        objectRef: { resource: 'secrets', namespace: 'web', name: 's', apiVersion: 'v1' },
        requestReceivedTimestamp: iso(T + 30_000),
        stageTimestamp: iso(T + 30_000),
      })
    ),
    update(T + 60_000, 3, 'system:serviceaccount:argocd:argocd-application-controller', 'services', 'shop'),
    update(T + 90_000, 4, 'system:serviceaccount:argocd:argocd-applicationset-controller', 'applications', 'shop-eu', {
      requestURI: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/shop-eu',
      objectRef: {
        resource: 'applications',
        namespace: 'argocd',
        name: 'shop-eu',
        apiGroup: 'argoproj.io',
        apiVersion: 'v1alpha1',
      },
      requestObject: {
        metadata: {
          name: 'shop-eu',
          ownerReferences: [{ kind: 'ApplicationSet', name: 'shops', apiVersion: 'argoproj.io/v1alpha1' }],
        },
      },
    }),
    update(T + 120_000, 5, 'system:serviceaccount:cattle-fleet-system:fleet-agent', 'services', 'fleety'),
  ];
  const WRITES = String.raw`|~ "\"verb\":\"(create|update|patch|delete|deletecollection)\""`;
  const Q = {
    argocd: '{job="argocd"}',
    fleet: '{job="fleet"}',
    // Earlier writes of the objects people changed (alice's ConfigMap, kim's Secret): drift.
    prior: String.raw`{job="kube-audit"} |~ "\"name\":\"(settings|s)\"" ` + WRITES,
    control:
      String.raw`{job="kube-audit"} |~ "\"resource\":\"(roles|rolebindings|clusterroles|clusterrolebindings|applications|gitrepos)\"" ` +
      WRITES,
    rancherGitRepos: '{job="rancher-audit"} |= "gitrepos"',
    appSetWrites: String.raw`{job="kube-audit"} |= "\"resource\":\"applicationsets\"" ${WRITES} |~ "\"name\":\"(shops)\""`,
    appSetMessages: '{job="argocd"} |= "ApplicationSet" |~ "shops"',
    rancher: '{job="rancher-audit"} |~ "u-q8z3n"',
  };
  const phase2 = async (sources?: Array<'rancher-audit' | 'argocd' | 'fleet'>) => {
    const loki = evalLoki(lines);
    const r = await traceOverLoki(loki, { from: T - 10 * MIN, to: T + 10 * MIN, ...(sources ? { sources } : {}) });
    return r.queries.filter((q) => q.phase === 2).map((q) => [q.logql, q.from - T, q.to - T]);
  };

  it('every stream, with the writes from T to T + 2 min: each window from the first write back, to the last write on', async () => {
    expect(await phase2()).toEqual([
      // A sync begins up to a sync window (10 min) before its writes; a failed sync up to an hour before that.
      [Q.argocd, -(10 + 60) * MIN, 2 * MIN + 10 * MIN],
      // A GitRepo edit or commit within the Fleet look-back (30 min); the agent's writes within a sync window.
      [Q.fleet, -30 * MIN, 2 * MIN + 10 * MIN],
      // Drift: a GitOps write of the same object within the drift look-back (7 days), up to the last write.
      [Q.prior, -7 * DAY, 2 * MIN + 1],
      // RBAC / Application / GitRepo writes: the longer of the RBAC (24 h) and Fleet look-backs.
      [Q.control, -DAY, 2 * MIN + 10 * MIN],
      [Q.rancherGitRepos, -30 * MIN, 2 * MIN + 1],
      [Q.appSetWrites, -7 * DAY, 2 * MIN + 1],
      [Q.appSetMessages, -7 * DAY, 2 * MIN + 1],
      // Rancher's records of the proxied user: whole seconds (a second) and the skew (2 s) around its write.
      [Q.rancher, 30_000 - 1_000 - 2_000, 30_000 + 2_000 + 1],
    ]);
  });

  it.each([
    ['kube-apiserver and Argo CD', ['argocd'], ['argocd', 'prior', 'control', 'appSetWrites', 'appSetMessages']],
    ['kube-apiserver and Fleet', ['fleet'], ['fleet', 'prior', 'control', 'appSetWrites']],
    [
      'kube-apiserver, Fleet and Rancher',
      ['fleet', 'rancher-audit'],
      ['fleet', 'prior', 'control', 'rancherGitRepos', 'appSetWrites', 'rancher'],
    ],
  ] as const)('explained with %s only: no other stream is asked', async (_, sources, expected) => {
    const asked = (await phase2([...sources])).map(([logql]) => logql);
    expect(asked).toEqual(expected.map((k) => Q[k]));
  });
});

describe('the owner chain of a controller write, hop by hop, each owner within the cascade window of its dependent', () => {
  const T = Date.UTC(2026, 3, 6, 9);
  const iso = (ms: number) => new Date(ms).toISOString();
  const write = (
    ms: number,
    id: number,
    username: string,
    resource: string,
    name: string,
    verb = 'update'
  ): RawLine => {
    const group = resource === 'pods' ? undefined : 'apps';
    return {
      text: JSON.stringify(
        kubeAudit({
          auditID: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
          verb,
          requestURI: `${group ? '/apis/apps/v1' : '/api/v1'}/namespaces/web/${resource}/${name}`,
          user: { username, groups: ['system:authenticated'] },
          userAgent: 'x/1',
          objectRef: { resource, namespace: 'web', name, apiVersion: 'v1', ...(group ? { apiGroup: group } : {}) },
          requestReceivedTimestamp: iso(ms),
          stageTimestamp: iso(ms),
          annotations: {},
        })
      ),
      labels: { job: 'kube-audit' },
      ns: `${ms}000000`,
    };
  };
  const pod = write(
    T,
    1,
    'system:serviceaccount:kube-system:replicaset-controller',
    'pods',
    'web-7d9f8c6b5-x2k4q',
    'create'
  );
  const rs = write(
    T - 10_000,
    2,
    'system:serviceaccount:kube-system:deployment-controller',
    'replicasets',
    'web-7d9f8c6b5'
  );
  const deploy = write(T - 20_000, 3, 'dana@example.org', 'deployments', 'web', 'patch');

  it("a Pod asked about: its ReplicaSet's write, then its Deployment's, are read; the person behind them is who", async () => {
    const loki = evalLoki([pod, rs, deploy]);
    const r = await traceOverLoki(loki, { target: { resource: 'pods' }, from: T - 60_000, to: T + 60_000 });
    expect(r.chains.map((c) => [c.effect.target.name, c.who.name])).toEqual([
      ['web-7d9f8c6b5-x2k4q', 'dana@example.org'],
    ]);
    // Hop 1 from the Pod (T): 5 min before to the skew (2 s) after; hop 2 from the ReplicaSet's write (T - 10 s).
    const owners = loki.asked.filter((q) => /resource\\":\\"\((replicasets|deployments)/.test(q.logql));
    expect(owners.map((q) => [q.start - T, q.end - T])).toEqual([
      [-300_000, 2_001],
      [-10_000 - 300_000, -10_000 + 2_001],
    ]);
    // Both owners' writes joined the trace, and each once.
    expect(r.allChains.map((c) => c.effect.target.name).sort()).toEqual([
      'web',
      'web-7d9f8c6b5',
      'web-7d9f8c6b5-x2k4q',
    ]);
  });

  it('an owner write Loki returns outside the window is not an owner change (a Deployment patched 6 min before)', async () => {
    const old = write(T - 10_000 - 360_000, 3, 'dana@example.org', 'deployments', 'web', 'patch');
    // A Loki that answers every owner query with every owner line, whatever the range: only the window decides.
    const all = [rs, old];
    const asked: string[] = [];
    const loki: LokiTransport = {
      queryRange(logql) {
        asked.push(logql);
        const lines = asked.length === 1 ? [pod] : /resource\\":\\"\((replicasets|deployments)/.test(logql) ? all : [];
        return Promise.resolve({ lines, warnings: [], requests: 1 });
      },
    };
    const r = await traceOverLoki(loki, { target: { resource: 'pods' }, from: T - 60_000, to: T + 60_000 });
    expect(r.chains.map((c) => c.who.name)).toEqual(['system:serviceaccount:kube-system:deployment-controller']); // Nor does it widen phase 2: the owner changes explained start with the ReplicaSet's (T - 10 s), and no person's
    // write (the old patch would be one) asks for the drift look-back.
    const control = r.queries.filter((q) => q.phase === 2 && q.logql.includes('rolebindings'));
    expect(control.map((q) => q.from - T)).toEqual([-(86_400_000 + 10_000)]);
    expect(r.queries.filter((q) => q.from <= T - 7 * 86_400_000)).toEqual([]);
  });
});

describe("lineOf: the raw line of a record behind the answer's chains, as Loki returned it", () => {
  const T = Date.UTC(2026, 3, 7, 8);
  const ns = (ms: number) => `${ms}000000`;
  const labelled = (l: RawLine, labels: Record<string, string>, at: number): RawLine => ({ ...l, labels, ns: ns(at) });
  // Two clusters' writes at the same Loki entry time (two streams), and a third write a second later.
  const alice = labelled(
    auditWrite(T, 1, { who: 'alice@example.org', resource: 'configmaps', name: 'c1', verb: 'update' }),
    { job: 'kube-audit', cluster: 'a' },
    T
  );
  const bob = labelled(
    auditWrite(T, 2, { who: 'bob@example.org', resource: 'configmaps', name: 'c2', verb: 'update' }),
    { job: 'kube-audit', cluster: 'b' },
    T
  );
  const carol = labelled(
    auditWrite(T + 1_000, 3, { who: 'carol@example.org', resource: 'configmaps', name: 'c3', verb: 'update' }),
    { job: 'kube-audit', cluster: 'a' },
    T + 1_000
  );

  it("found by entry time, then by the stream's labels; a line behind no chain of the answer is let go", async () => {
    let first = true;
    const loki: LokiTransport = {
      queryRange() {
        const lines = first ? [alice, bob, carol] : [];
        first = false;
        return Promise.resolve({ lines, warnings: [], requests: 1 });
      },
    };
    const r = await traceOverLoki(loki, { actor: 'alice@example.org', from: T - 60_000, to: T + 60_000 });
    expect(r.chains.map((c) => c.effect.target.name)).toEqual(['c1']);
    const byName = new Map(r.allChains.map((c) => [c.effect.target.name, c.effect.raw]));
    expect(r.lineOf(byName.get('c1')!)).toBe(alice.text);
    // Bob's line shares alice's entry time: kept, and told apart by its cluster label.
    expect(r.lineOf(byName.get('c2')!)).toBe(bob.text);
    expect(r.lineOf(byName.get('c3')!)).toBeUndefined();
  });
});
