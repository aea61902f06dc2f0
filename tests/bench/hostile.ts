/**
 * `npm run bench:hostile [-- --lines=10000,100000]`: the denial-of-service inputs of issue 22 against an ordinary
 * input of the same size, parsed (and correlated) in the same run. Prints milliseconds and the ratio to the
 * baseline; linear handling keeps each ratio roughly the same at 10k and at 100k lines.
 */
import { buildChains, parseLines, redactRawLine, type RawLine } from '../../src/core';
import { k8sEvent, kubeAudit, roleBindingUpdate } from '../support/builders';

const lines = (n: number, f: (i: number) => object): RawLine[] =>
  Array.from({ length: n }, (_, i) => ({ text: JSON.stringify(f(i)) }));

function time(run: () => unknown): number {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

const write = (i: number, auditID = `id-${i}`) =>
  kubeAudit({ auditID, verb: 'update', requestURI: `/api/v1/namespaces/shop/configmaps/c${i}` });
const deepBody = (depth: number) => JSON.parse(`${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`) as object;

/** One case: its input built first (not timed), run, then dropped before the next case. */
function measure<T>(make: () => T, run: (input: T) => unknown): number {
  const input = make();
  const ms = time(() => run(input));
  (globalThis as { gc?: () => void }).gc?.();
  return ms;
}

function bench(n: number): Array<[string, number, number]> {
  const rows: Array<[string, number, number]> = [];
  const add = (name: string, ms: number, against: number) => rows.push([name, ms, ms / against]);
  const base = measure(
    () => lines(n, (i) => write(i)),
    (l) => parseLines(l)
  );
  add('baseline: ordinary audit lines, parsed', base, base);
  add(
    'one Audit-ID shared by every line',
    measure(
      () => lines(n, (i) => write(i, 'shared')),
      (l) => parseLines(l)
    ),
    base
  );
  const status = (message: string) => () => lines(n, () => k8sEvent({ message }));
  const argoBase = measure(status('Updated sync status: OutOfSync -> Synced'), (l) => parseLines(l));
  add('argo events: ordinary status messages', argoBase, argoBase);
  add(
    "argo events: 'Updated sync status: a -> ' + ' ('×1000",
    measure(status(`Updated sync status: a -> ${' ('.repeat(1_000)}`), (l) => parseLines(l)),
    argoBase
  );
  const deep = () => lines(n, (i) => ({ ...write(i), level: 'Request', requestObject: deepBody(100) }));
  const redactBase = measure(
    () => lines(n, (i) => write(i)),
    (l) => l.forEach((x) => redactRawLine(x.text))
  );
  add('raw lines redacted: ordinary', redactBase, redactBase);
  add(
    'raw lines redacted: 100-deep bodies',
    measure(deep, (l) => l.forEach((x) => redactRawLine(x.text))),
    redactBase
  );
  add(
    'bodies 100 deep, kept (--keep-bodies)',
    measure(deep, (l) => parseLines(l, { keepBodies: true })),
    base
  );
  // RBAC: 2,000 bindings to system:authenticated in front of n/10 writes by different people.
  const effects = () =>
    lines(n / 10, (i) =>
      kubeAudit({ auditID: `w-${i}`, user: { username: `u${i}`, groups: ['system:authenticated'] } })
    );
  const bindings = () =>
    lines(2_000, (i) =>
      roleBindingUpdate({ auditID: `rb-${i}`, requestReceivedTimestamp: '2026-03-02T09:00:00.000000Z' }, [
        { kind: 'Group', name: 'system:authenticated' },
      ])
    );
  const plainChains = measure(effects, (l) => buildChains(parseLines(l).events));
  add(`chains of ${n / 10} writes`, plainChains, plainChains);
  add(
    `chains of ${n / 10} writes after 2,000 bindings to system:authenticated`,
    measure(
      () => [...bindings(), ...effects()],
      (l) => buildChains(parseLines(l).events)
    ),
    plainChains
  );
  // What changed (issue 15): n/100 writes of one ConfigMap at RequestResponse, each diffed against the one
  // before (n/100: the 100 KB case is 200 KB a line). Against a bare JSON.parse of the same lines: bigger bodies cost more to read, not more per byte.
  const cmWrites = (body: (i: number) => unknown) => () =>
    lines(n / 100, (i) =>
      kubeAudit({
        auditID: `cm-${i}`,
        verb: 'update',
        level: 'RequestResponse',
        requestURI: '/api/v1/namespaces/shop/configmaps/big',
        objectRef: { resource: 'configmaps', namespace: 'shop', name: 'big', apiGroup: '', apiVersion: 'v1' },
        requestReceivedTimestamp: new Date(Date.UTC(2026, 2, 2, 10) + i * 1_000).toISOString(),
        requestObject: body(i),
        responseObject: body(i),
      })
    );
  const cm = (data: unknown) => ({ kind: 'ConfigMap', metadata: { name: 'big', uid: 'u-1' }, data });
  const diffCases: Array<[string, (i: number) => unknown]> = [
    ['what changed: small bodies', (i) => cm({ n: String(i) })],
    ['what changed: 60 KB bodies (under the 64 KiB kept)', (i) => cm({ n: String(i), blob: 'x'.repeat(60_000) })],
    ['what changed: 100 KB bodies (over the cap: not kept)', (i) => cm({ n: String(i), blob: 'x'.repeat(100_000) })],
    [
      'what changed: 10,000-item lists',
      (i) => ({
        ...cm({ n: String(i) }),
        items: Array.from({ length: 10_000 }, (_, k) => (k === i % 10_000 ? -1 : k)),
      }),
    ],
    ['what changed: $patch nested 1,000 deep', (i) => cm(deepPatch(1_000, i))],
  ];
  for (const [name, body] of diffCases) {
    const make = cmWrites(body);
    const json = measure(make, (l) => l.forEach((x) => JSON.parse(x.text)));
    add(
      `${name}, parsed and diffed (× JSON.parse)`,
      measure(make, (l) => buildChains(parseLines(l).events)),
      json
    );
  }
  return rows;
}

const deepPatch = (depth: number, i: number) =>
  JSON.parse(`${'{"$patch":"replace","a":'.repeat(depth)}"${i}"${'}'.repeat(depth)}`) as object;

const arg = process.argv.find((a) => a.startsWith('--lines='));
for (const n of (arg ? arg.slice(8) : '10000,100000').split(',').map(Number)) {
  console.log(`\n${n.toLocaleString('en')} lines`);
  for (const [name, ms, ratio] of bench(n)) {
    console.log(`  ${name.padEnd(66)} ${ms.toFixed(0).padStart(7)} ms  ×${ratio.toFixed(2)}`);
  }
}
