import { kubeAudit } from '../../../tests/support/builders';
import { parseOne } from '../../../tests/support/parse';
import { buildChains } from '../correlate/engine';
import { DEFAULT_SELECTORS } from '../logql/questions';
import type { RawRef } from '../model';
import { chainRecords, rawQueryOf } from './chainRecords';

const PW = 'aHVudGVyMg==';

describe('chainRecords', () => {
  const line = JSON.stringify(
    kubeAudit({
      verb: 'patch',
      objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiVersion: 'v1' },
      requestURI: '/api/v1/namespaces/shop/secrets/db',
      requestObject: { data: { password: PW } },
    })
  );
  const effect = parseOne(line);
  const [chain] = buildChains([effect]);

  it('gives the effect its raw line with Secret data redacted, and LogQL that finds it', () => {
    const lineOf = (raw: RawRef) => (raw === effect.raw ? line : undefined);
    const [r] = chainRecords(chain, new Map(), DEFAULT_SELECTORS, lineOf);
    expect(r).toMatchObject({ role: 'effect', source: 'kube-audit', verb: 'patch', object: 'secrets shop/db' });
    expect(r.line).toContain('"verb":"patch"');
    expect(r.line).not.toContain(PW);
    expect(r.logql).toMatch(/^\{job="kube-audit"\} \|= "/);
  });

  it('cuts a long line and says how much it left out; says nothing when the line is gone', () => {
    const long = JSON.stringify(kubeAudit({ annotations: { note: 'x'.repeat(10_000) } }));
    const [r] = chainRecords(chain, new Map(), DEFAULT_SELECTORS, () => long);
    expect(r.line).toBe(`${long.slice(0, 4096)}… (${long.length - 4096} more characters)`);
    // 4096 characters are shown whole, one more is cut.
    const padded = (n: number) => {
      const base = JSON.stringify(kubeAudit({ annotations: { note: '' } }));
      return JSON.stringify(kubeAudit({ annotations: { note: 'y'.repeat(n - base.length) } }));
    };
    expect(chainRecords(chain, new Map(), DEFAULT_SELECTORS, () => padded(4096))[0].line).toBe(padded(4096));
    expect(chainRecords(chain, new Map(), DEFAULT_SELECTORS, () => padded(4097))[0].line).toBe(
      `${padded(4097).slice(0, 4096)}… (1 more characters)`
    );
    expect(chainRecords(chain, new Map(), DEFAULT_SELECTORS)[0].line).toBeUndefined();
  });
});

describe('rawQueryOf', () => {
  const e = parseOne(JSON.stringify(kubeAudit({})));
  const id = e.keys.auditID as string;

  it("narrows the event's stream by its audit ID, then Rancher's audit ID, then the object's name, else not at all", () => {
    expect(rawQueryOf(e, DEFAULT_SELECTORS)).toBe(`{job="kube-audit"} |= "${id}"`);
    expect(rawQueryOf({ ...e, keys: { auditID: 'a-1', rancherAuditID: 'r-1' } }, DEFAULT_SELECTORS)).toBe(
      '{job="kube-audit"} |= "a-1"'
    );
    expect(rawQueryOf({ ...e, keys: { rancherAuditID: 'r-1' } }, DEFAULT_SELECTORS)).toBe(
      '{job="kube-audit"} |= "r-1"'
    );
    expect(rawQueryOf({ ...e, keys: {} }, DEFAULT_SELECTORS)).toBe('{job="kube-audit"} |= "checkout"');
    expect(rawQueryOf({ ...e, keys: {}, target: { ...e.target, name: undefined } }, DEFAULT_SELECTORS)).toBe(
      '{job="kube-audit"}'
    );
  });

  it("reads the configured stream (escaped), the default one when the selectors leave it out, Argo CD's for an event", () => {
    expect(rawQueryOf({ ...e, keys: {} }, { 'kube-audit': { job: 'audit', cluster: 'a"b' } })).toBe(
      '{job="audit", cluster="a\\"b"} |= "checkout"'
    );
    expect(rawQueryOf(e, {})).toBe(`{job="kube-audit"} |= "${id}"`);
    // Kubernetes Events have no stream selector of their own: they are read from Argo CD's stream.
    expect(rawQueryOf({ ...e, source: 'k8s-event' }, { argocd: { job: 'argo' } })).toBe(`{job="argo"} |= "${id}"`);
  });
});
