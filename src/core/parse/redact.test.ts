import { REDACTED, redactRawLine, redactSecrets } from './redact';
import { kubeAudit, rancherAudit } from '../../../tests/support/builders';

const PW = 'aHVudGVyMg==';

describe('redactSecrets', () => {
  it('replaces data and stringData values of Secrets, keeping keys', () => {
    expect(
      redactSecrets({
        kind: 'Secret',
        data: { password: PW, user: 'YXBw' },
        stringData: { token: 't' },
        type: 'Opaque',
      })
    ).toEqual({
      kind: 'Secret',
      data: { password: REDACTED, user: REDACTED },
      stringData: { token: REDACTED },
      type: 'Opaque',
    });
  });

  it('redacts last-applied-configuration of Secrets only', () => {
    const lac = 'kubectl.kubernetes.io/last-applied-configuration';
    const secret = redactSecrets({
      kind: 'Secret',
      metadata: { name: 'db', annotations: { [lac]: `{"data":{"password":"${PW}"}}`, other: 'x' } },
    });
    expect(secret).toEqual({ kind: 'Secret', metadata: { name: 'db', annotations: { [lac]: REDACTED, other: 'x' } } });
    const cm = { kind: 'ConfigMap', metadata: { annotations: { [lac]: '{}' } }, data: { a: 'b' } };
    expect(redactSecrets(cm)).toEqual(cm);
  });

  it('in a Secret endpoint context, redacts merge patches and JSON patches', () => {
    expect(redactSecrets({ data: { password: PW } }, true)).toEqual({ data: { password: REDACTED } });
    expect(
      redactSecrets(
        [
          { op: 'replace', path: '/data/password', value: PW },
          { op: 'add', path: '/data', value: { a: PW } },
          { op: 'add', path: '/metadata/labels/team', value: 'shop' },
          { op: 'remove', path: '/data/old' },
        ],
        true
      )
    ).toEqual([
      { op: 'replace', path: '/data/password', value: REDACTED },
      { op: 'add', path: '/data', value: { a: REDACTED } },
      { op: 'add', path: '/metadata/labels/team', value: 'shop' },
      { op: 'remove', path: '/data/old' },
    ]);
  });

  it('redacts every Secret of a SecretList and of a steve collection', () => {
    const list = redactSecrets({ kind: 'SecretList', items: [{ kind: 'Secret', data: { a: PW } }] });
    expect(JSON.stringify(list)).not.toContain(PW);
    const steve = redactSecrets({ type: 'collection', data: [{ type: 'secret', data: { a: PW } }] });
    expect(JSON.stringify(steve)).not.toContain(PW);
  });
});

it('cuts bodies nested deeper than any Kubernetes object instead of overflowing the stack', () => {
  let deep: unknown = { kind: 'Secret', data: { a: PW } };
  for (let i = 0; i < 20000; i++) {
    deep = [deep];
  }
  const out = JSON.stringify(redactSecrets(deep, true));
  expect(out).toContain('[omitted: nested too deep]');
  expect(out).not.toContain(PW);
});

describe('redactRawLine', () => {
  it('redacts a kube audit line about a Secret and leaves others byte-identical', () => {
    const secretLine = JSON.stringify(
      kubeAudit({
        objectRef: { resource: 'secrets', name: 'db' },
        requestURI: '/api/v1/namespaces/shop/secrets/db',
        requestObject: { data: { password: PW } },
        responseObject: { kind: 'Secret', data: { password: PW } },
      })
    );
    const out = redactRawLine(secretLine);
    expect(out).not.toContain(PW);
    expect(JSON.parse(out).verb).toBe('patch');
    const plain = JSON.stringify(kubeAudit());
    expect(redactRawLine(plain)).toBe(plain);
    expect(redactRawLine('not json but mentions secret')).toBe('not json but mentions secret');
  });

  it('redacts Rancher request bodies and AKS-wrapped audit events', () => {
    const rancher = JSON.stringify(
      rancherAudit({ requestURI: '/v1/secrets/shop', requestBody: { type: 'secret', data: { password: PW } } })
    );
    expect(redactRawLine(rancher)).not.toContain(PW);
    const inner = JSON.stringify(
      kubeAudit({ objectRef: { resource: 'secrets' }, requestObject: { data: { password: PW } } })
    );
    expect(redactRawLine(JSON.stringify({ category: 'kube-audit', properties: { log: inner } }))).not.toContain(PW);
    expect(
      redactRawLine(JSON.stringify({ category: 'kube-audit-admin', properties: { log: JSON.parse(inner) } }))
    ).not.toContain(PW);
  });
});
