import { kubeAudit } from '../../../tests/support/builders';
import { parseOne } from '../../../tests/support/parse';
import { buildChains } from '../correlate/engine';
import { DEFAULT_SELECTORS } from '../logql/questions';
import type { RawRef } from '../model';
import { chainRecords } from './chainRecords';

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
    expect(r.line).toMatch(new RegExp(`… \\(${long.length - 4096} more characters\\)$`));
    expect(chainRecords(chain, new Map(), DEFAULT_SELECTORS)[0].line).toBeUndefined();
  });
});
