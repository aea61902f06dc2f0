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

function bench(n: number): Array<[string, number, number]> {
  const baseline = lines(n, (i) => write(i));
  const base = time(() => parseLines(baseline));
  const rows: Array<[string, number, number]> = [];
  const add = (name: string, ms: number, against = base) => rows.push([name, ms, ms / against]);
  add('baseline: ordinary audit lines', base);
  add(
    'one Audit-ID shared by every line',
    time(() => parseLines(lines(n, (i) => write(i, 'shared'))))
  );
  const argoBase = time(() =>
    parseLines(lines(n, () => k8sEvent({ message: 'Updated sync status: OutOfSync -> Synced' })))
  );
  add('argo events: ordinary status messages', argoBase);
  add(
    "argo events: 'Updated sync status: a -> ' + ' ('×4000",
    time(() => parseLines(lines(n, () => k8sEvent({ message: `Updated sync status: a -> ${' ('.repeat(4_000)}` })))),
    argoBase
  );
  const deep = lines(n, (i) => ({ ...write(i), level: 'Request', requestObject: deepBody(300) }));
  add(
    'bodies 300 deep, kept (--keep-bodies)',
    time(() => parseLines(deep, { keepBodies: true }))
  );
  add(
    'raw lines redacted: ordinary',
    time(() => baseline.forEach((l) => redactRawLine(l.text)))
  );
  add(
    'raw lines redacted: 300-deep bodies',
    time(() => deep.forEach((l) => redactRawLine(l.text)))
  );
  // RBAC: 2,000 bindings to system:authenticated in front of n/10 writes by different people.
  const effects = lines(n / 10, (i) =>
    kubeAudit({ auditID: `w-${i}`, user: { username: `u${i}`, groups: ['system:authenticated'] } })
  );
  const bindings = lines(2_000, (i) =>
    roleBindingUpdate({ auditID: `rb-${i}`, requestReceivedTimestamp: '2026-03-02T09:00:00.000000Z' }, [
      { kind: 'Group', name: 'system:authenticated' },
    ])
  );
  const plainChains = time(() => buildChains(parseLines(effects).events));
  add(`chains of ${n / 10} writes`, plainChains, plainChains);
  add(
    `chains of ${n / 10} writes after 2,000 bindings to system:authenticated`,
    time(() => buildChains(parseLines([...bindings, ...effects]).events)),
    plainChains
  );
  return rows;
}

const arg = process.argv.find((a) => a.startsWith('--lines='));
for (const n of (arg ? arg.slice(8) : '10000,100000').split(',').map(Number)) {
  console.log(`\n${n.toLocaleString('en')} lines`);
  for (const [name, ms, ratio] of bench(n)) {
    console.log(`  ${name.padEnd(66)} ${ms.toFixed(0).padStart(7)} ms  ×${ratio.toFixed(2)}`);
  }
}
