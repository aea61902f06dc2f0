import { redactRawLine } from './rawLine';
import { parse as parseYaml } from 'yaml';

import { isCredentialRequest, REDACTED, redactSecrets, scrubText, WITHHELD } from './redact';
import { kubeAudit, rancherAudit } from '../../../tests/support/builders';

const PW = 'aHVudGVyMg==';
const LAC = 'kubectl.kubernetes.io/last-applied-configuration';

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
    expect(redactRawLine('not json but mentions secret')).toBe(WITHHELD);
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

describe('credentials recognised by what they are', () => {
  const leaks = (v: unknown) => JSON.stringify(v).includes(PW);

  it('reads request paths through the shared normaliser: percent-escapes, norman, steve, actions', () => {
    for (const uri of [
      '/api/v1/namespaces/x/%73ecrets/db',
      '/v1/%73ecrets/x',
      '/v3/project/c-1:p-1/namespacedsecrets',
      '/v3/project/c-1:p-1/basicauths/p-1:git',
      '/v3/project/c-1:p-1/dockercredentials',
      '/v3/project/c-1:p-1/certificates',
      '/v3/cloudcredentials',
      '/v3/tokens',
      '/v1/management.cattle.io.tokens',
      '/v1/ext.cattle.io.tokens',
      '/v3/authConfigs/github',
      '/v3/settings/x',
      '/v3-public/localProviders/local?action=login',
      '/v3/users/u-1?action=setpassword',
      '/api/v1/namespaces/x/serviceaccounts/y/token',
    ]) {
      expect([uri, isCredentialRequest(uri)]).toEqual([uri, true]);
    }
    for (const uri of ['/api/v1/namespaces/x/configmaps/secret-ish', '/v3/clusters', '/apis/apps/v1/deployments']) {
      expect([uri, isCredentialRequest(uri)]).toEqual([uri, false]);
    }
  });

  it('redacts Secrets embedded anywhere, as objects, JSON strings and YAML strings', () => {
    const yamlSecret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${PW}\n`;
    const body = {
      kind: 'Bundle',
      spec: {
        resources: [{ content: yamlSecret }, { content: JSON.stringify({ kind: 'Secret', data: { a: PW } }) }],
        template: { kind: 'Secret', data: { a: PW } },
      },
    };
    const out = redactSecrets(body) as { spec: { resources: Array<{ content: string }> } };
    expect(leaks(out)).toBe(false);
    // The YAML stays YAML with its keys, so a person still sees which key was set.
    expect(parseYaml(out.spec.resources[0].content)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db' },
      stringData: { password: REDACTED },
    });
  });

  it('redacts last-applied annotations of Secrets in every patch form', () => {
    const lac = JSON.stringify({ kind: 'Secret', data: { a: PW } });
    for (const patch of [
      [{ op: 'add', path: '/metadata/annotations', value: { [LAC]: lac } }],
      [{ op: 'replace', path: '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration', value: lac }],
      { metadata: { annotations: { [LAC]: lac } } },
      [{ path: '/metadata/annotations', value: { [LAC]: lac } }],
    ]) {
      expect(leaks(redactSecrets(patch))).toBe(false);
      expect(leaks(redactSecrets(patch, true))).toBe(false);
    }
  });

  it('redacts tokens of TokenRequests and TokenReviews, and secret-looking keys anywhere', () => {
    expect(leaks(redactSecrets({ kind: 'TokenRequest', status: { token: PW } }))).toBe(false);
    expect(leaks(redactSecrets({ kind: 'TokenReview', spec: { token: PW } }))).toBe(false);
    const rancher = { eksConfig: { secretAccessKey: PW }, privateKey: PW, x: { 'db-password': PW, bearerToken: PW } };
    expect(leaks(redactSecrets(rancher))).toBe(false);
    // Keys that only look alike keep their values.
    const kept = { secretName: 'db', requesttokenid: 'token-1', automountServiceAccountToken: true };
    expect(redactSecrets(kept)).toEqual(kept);
  });

  it('redacts credential headers in any spelling', () => {
    const headers = {
      Authorization: [`Bearer ${PW}`],
      cookie: [`R_SESS=${PW}`],
      'X-Api-Tokenauth': [PW],
      'X-Amz-Security-Token': [PW],
      'User-Agent': ['kubectl'],
    };
    expect(redactSecrets({ requestHeader: headers })).toEqual({
      requestHeader: {
        Authorization: REDACTED,
        cookie: REDACTED,
        'X-Api-Tokenauth': REDACTED,
        'X-Amz-Security-Token': REDACTED,
        'User-Agent': ['kubectl'],
      },
    });
  });
});

describe('scrubText', () => {
  it('strips URL userinfo, secret assignments, bearer tokens and private keys', () => {
    expect(scrubText(`repo https://ci:${PW}@git.example.org/a.git and ssh://git@host/x`)).toBe(
      'repo https://git.example.org/a.git and ssh://host/x'
    );
    expect(scrubText(`level=info password=${PW} token="${PW} x" user=kim`)).toBe(
      `level=info password=${REDACTED} token=${REDACTED} user=kim`
    );
    expect(scrubText(`/v3/clusters?token=${PW}&limit=5`)).toBe(`/v3/clusters?token=${REDACTED}&limit=5`);
    expect(scrubText(`Authorization: Bearer ${PW}`)).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(scrubText(`k: -----BEGIN RSA PRIVATE KEY-----\n${PW}\n-----END RSA PRIVATE KEY-----`)).toBe(
      `k: ${REDACTED}`
    );
  });

  it('stays linear on hostile text (one pass over 200k characters)', () => {
    const hostile = 'a://'.repeat(50_000) + 'b'.repeat(100_000) + '=' + 'c='.repeat(50_000);
    const out = scrubText(hostile + `@x password=${PW}`);
    expect(out).not.toContain(PW);
    expect(out.length).toBeGreaterThan(100_000);
  });
});
