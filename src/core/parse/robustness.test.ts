import fc from 'fast-check';

import { argoLog, fleetDeployed, k8sEvent, kubeAudit, rancherAudit } from '../../../tests/support/builders';
import { parseAll } from '../../../tests/support/parse';
import { sampleLines } from '../../../tests/support/shared';

/**
 * Bad input never throws and is never lost: every line either becomes (part of) an event or is counted as a
 * skip with a reason. Checked on random text, random bytes, random JSON, and real and fixture lines mutated.
 */

const REAL_SAMPLES = [
  'audit2rbac_demo_883f4e8.log',
  'elastic_test-audit.log',
  'elastic_test-kube-audit.log',
  'falco_create_deployment.json',
  'falco_exec_pod.json',
  'harvester_k8s_audit_line40.log',
  'harvester_rancher_audit_line113.log',
  'harvester_rancher_audit_line116.log',
  'issue_argocd_21502.txt',
  'issue_argocd_21858.txt',
  'issue_argocd_5592.txt',
  'issue_fleet_3489.txt',
  'issue_servicecatalog_897.txt',
];

const seeds: string[] = [
  ...[kubeAudit(), rancherAudit(), argoLog(), k8sEvent(), fleetDeployed()].map((o) => JSON.stringify(o)),
  ...REAL_SAMPLES.flatMap((name) => sampleLines(name).map((l) => l.text)),
];

function accounted(lines: string[]): void {
  const s = parseAll(lines);
  const nonEmpty = lines.length;
  // Each line is a skip, or at least one record (an event, a duplicate, or a stage merged into another event).
  expect(s.stats.skipped + s.stats.records).toBeGreaterThanOrEqual(nonEmpty);
  expect(s.stats.lines).toBe(nonEmpty);
  // The session's last-resort catch turns a parser bug into this reason: it must never be needed.
  expect(s.skipped['internal-error']).toBeUndefined();
  for (const e of s.events) {
    expect(typeof e.id).toBe('string');
    expect(typeof e.verb).toBe('string');
    expect(e.verb).not.toBe('');
  }
}

const mutation = fc.oneof(
  // cut the line anywhere (a shipper's size limit)
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  // flip one character
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    ch: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  }),
  // insert garbage
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 20, unit: 'binary' }) }),
  // replace a field's value with anything (wrong types: "verb": 42, objects for strings …)
  fc.record({ kind: fc.constant('retype' as const), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) })
);

/** How many object keys `v` holds, at any depth. */
function keyCount(v: unknown): number {
  if (Array.isArray(v)) {
    return v.reduce((n: number, x) => n + keyCount(x), 0);
  }
  if (typeof v !== 'object' || v === null) {
    return 0;
  }
  return Object.values(v).reduce((n: number, x) => n + 1 + keyCount(x), 0);
}

function retype(o: unknown, pick: number, value: unknown): unknown {
  // Walk to one of the keys the line has (depth-first, the pick-th modulo their number) and replace its value.
  const keys = keyCount(o);
  if (keys === 0) {
    return value;
  }
  pick %= keys;
  let n = 0;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      return v.map(walk);
    }
    if (typeof v !== 'object' || v === null) {
      return v;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = n++ === pick ? value : walk(x);
    }
    return out;
  };
  return walk(o);
}

type Mutation = { kind: string; at?: number; ch?: string; text?: string; pick?: number; value?: unknown };

function mutate(line: string, m: Mutation): string {
  const at = (m.at ?? 0) % (line.length + 1);
  switch (m.kind) {
    case 'cut':
      return line.slice(0, at);
    case 'flip':
      return line.slice(0, at) + (m.ch ?? '') + line.slice(at + 1);
    case 'insert':
      return line.slice(0, at) + (m.text ?? '') + line.slice(at);
    default:
      try {
        return JSON.stringify(retype(JSON.parse(line), m.pick ?? 0, m.value));
      } catch {
        return line;
      }
  }
}

describe('parsing never throws and never loses a line', () => {
  it('random text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 200, unit: 'binary' }), { maxLength: 5 }), (lines) =>
        accounted(lines)
      ),
      { numRuns: 300 }
    );
  });

  it('random bytes decoded as UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => accounted([new TextDecoder().decode(bytes)])),
      { numRuns: 200 }
    );
  });

  it('random JSON values, including shapes that look half like ours', () => {
    const lookalike = fc.record(
      {
        kind: fc.constantFrom('Event', 'Other'),
        apiVersion: fc.constantFrom('audit.k8s.io/v1', 'v1'),
        verb: fc.jsonValue(),
        user: fc.jsonValue(),
        auditID: fc.jsonValue(),
        objectRef: fc.jsonValue(),
        involvedObject: fc.jsonValue(),
        msg: fc.jsonValue(),
        logger: fc.jsonValue(),
        ts: fc.jsonValue(),
        data: fc.jsonValue(),
        streams: fc.jsonValue(),
      },
      { requiredKeys: [] }
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), lookalike), (v) => accounted([JSON.stringify(v) ?? 'null'])),
      { numRuns: 500 }
    );
  });

  it('a retype picks among the keys the line has: it changes the line whenever the value differs', () => {
    const line = JSON.stringify(kubeAudit());
    let changed = 0;
    fc.assert(
      fc.property(fc.nat(), (pick) => {
        if (mutate(line, { kind: 'retype', pick, value: { retyped: pick } }) !== line) {
          changed++;
        }
      }),
      { numRuns: 200 }
    );
    expect(changed).toBe(200);
  });

  // Catches: a reader that trusts a field's type (`verb.toLowerCase()` on `"verb": 42`, a string method on an
  // object) and throws, or drops a line without counting it. Shown once by making kubeAudit read
  // `(o.verb as string).toLowerCase()`: the retype runs fail with internal-error.
  it('real and fixture lines, mutated (cut, flipped, garbage inserted, fields retyped)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), mutation, (line, m) => accounted([mutate(line, m)])),
      { numRuns: 1500 }
    );
  });

  it('whole mutated files', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...seeds), mutation), { maxLength: 30 }), (pairs) =>
        accounted(pairs.map(([l, m]) => mutate(l, m)))
      ),
      { numRuns: 100 }
    );
  });
});
