import { kubeAudit } from '../../../tests/support/builders';
import { redactNotice, redactRawLine } from './rawLine';
import { REDACTED, WITHHELD } from './redact';

const PW = 'aHVudGVyMg==';
const secretLine = JSON.stringify(
  kubeAudit({
    level: 'Request',
    objectRef: { resource: 'secrets', namespace: 'shop', name: 'db' },
    requestURI: '/api/v1/namespaces/shop/secrets/db',
    requestObject: { data: { password: PW } },
  })
);
const redactedInner = (shown: string) => JSON.parse(shown) as { requestObject: unknown; verb: string };

describe('redactRawLine opens every envelope, redacts inside, and puts the envelope back', () => {
  it('CRI and viewer prefixes keep their text around the redacted record', () => {
    const cri = `2026-03-02T10:15:30.123456789Z stdout F ${secretLine}`;
    const shown = redactRawLine(cri);
    expect(shown.startsWith('2026-03-02T10:15:30.123456789Z stdout F {')).toBe(true);
    expect(redactedInner(shown.slice(shown.indexOf('{'))).requestObject).toEqual({ data: { password: REDACTED } });
    for (const prefix of ['kube-apiserver-cp-1 kube-apiserver ', '[pod/kube-apiserver-cp-1/kube-apiserver] ']) {
      const s = redactRawLine(prefix + secretLine);
      expect(s.startsWith(prefix)).toBe(true);
      expect(s).not.toContain(PW);
    }
  });

  it('JSON envelopes (Docker, logcli, Loki, AKS) stay the same shape with the inner line redacted', () => {
    const docker = JSON.parse(redactRawLine(JSON.stringify({ log: `${secretLine}\n`, stream: 'stdout', time: 't' })));
    expect(docker.stream).toBe('stdout');
    expect(docker.log.endsWith('}\n')).toBe(true);
    expect(redactedInner(docker.log).requestObject).toEqual({ data: { password: REDACTED } });
    const loki = JSON.parse(
      redactRawLine(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'streams', result: [{ stream: { job: 'a' }, values: [['1', secretLine]] }] },
        })
      )
    );
    expect(loki.data.result[0].stream).toEqual({ job: 'a' });
    expect(redactedInner(loki.data.result[0].values[0][1]).verb).toBe('patch');
    expect(JSON.stringify(loki)).not.toContain(PW);
    const aks = redactRawLine(JSON.stringify({ category: 'kube-audit', properties: { log: JSON.parse(secretLine) } }));
    expect(JSON.parse(aks).properties.log.requestObject).toEqual({ data: { password: REDACTED } });
  });

  it('withholds what it cannot check: cut JSON, CRI partial lines, unknown text, binary bytes', () => {
    expect(redactRawLine(secretLine.slice(0, secretLine.indexOf(PW) + 4))).toBe(WITHHELD);
    expect(redactRawLine(`2026-03-02T10:15:30Z stdout P ${secretLine.slice(0, 300)}`)).toBe(WITHHELD);
    expect(redactRawLine(`some tool says password ${PW}`)).toBe(WITHHELD);
    expect(redactRawLine(`{"log":"x\u0000"}`)).toBe(WITHHELD);
    // A Docker envelope around a cut record: the envelope cannot be shown either.
    expect(redactRawLine(JSON.stringify({ log: secretLine.slice(0, 200), stream: 'stdout', time: 't' }))).toBe(
      WITHHELD
    );
  });

  it('leaves lines without secrets byte-identical, including known text formats', () => {
    const plain = JSON.stringify(kubeAudit());
    expect(redactRawLine(plain)).toBe(plain);
    const logfmt = 'time="2026-03-02T10:14:58Z" level=info msg="dana initiated sync to main" application=storefront';
    expect(redactRawLine(logfmt)).toBe(logfmt);
  });

  it('a 6,000-deep body answers with the deep part cut, not a RangeError', () => {
    const depth = 6_000;
    const line = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","requestObject":${'{"a":'.repeat(depth)}"${PW}"${'}'.repeat(depth)}}`;
    const shown = redactRawLine(line);
    expect(shown).toContain('[omitted: nested too deep]');
    expect(shown).not.toContain(PW);
    const aks = redactRawLine(`{"category":"kube-audit","properties":{"log":${line}}}`);
    expect(aks).not.toContain(PW);
  });
});

describe("redactNotice: a message's own words stay, what it quotes is redacted or withheld", () => {
  it.each([
    ['more than 2 lines share the timestamp 17 ns', 'more than 2 lines share the timestamp 17 ns'],
    ['Loki at https://ops:s3cr3t@loki.example:3100: no answer', 'Loki at https://loki.example:3100: no answer'],
    ['parse error: db password is hunter2', `parse error: ${REDACTED}`],
    ['token hunter2 refused', REDACTED],
    ['Loki answered 500: {"data":{"password":"hunter2"}', `Loki answered 500: ${WITHHELD}`],
    ['Loki answered 500: {"kind":"Secret","data":{"password":"aHVudGVyMg=="}}', `Loki answered 500: ${WITHHELD}`],
  ])('%s', (text, shown) => {
    expect(redactNotice(text)).toBe(shown);
  });
});
