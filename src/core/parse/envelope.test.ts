import { kubeAudit } from '../../../tests/support/builders';
import { parseAll, parseOne, skipCounts } from '../../../tests/support/parse';

const line = JSON.stringify(kubeAudit());

describe('envelopes: how lines were shipped', () => {
  it('Loki query_range response without categorize-labels: labels and entry time kept', () => {
    const response = {
      status: 'success',
      data: {
        resultType: 'streams',
        result: [
          {
            stream: { job: 'kube-audit', cluster: 'prod-eu', service_name: 'kube-audit' },
            values: [['1772446531000000000', line]],
          },
        ],
        stats: {},
      },
    };
    const e = parseOne({ text: JSON.stringify(response, null, 2), origin: 'saved.json:1', document: true });
    expect(e.raw).toEqual({
      labels: { job: 'kube-audit', cluster: 'prod-eu', service_name: 'kube-audit' },
      ns: '1772446531000000000',
      origin: 'saved.json:1',
    });
    expect(e.target.cluster).toBe('prod-eu');
    expect(e.ns).toBe('1772446530123456000');
  });

  it('Loki query_range response with categorize-labels: structured metadata and parsed labels merged', () => {
    const response = {
      status: 'success',
      data: {
        resultType: 'streams',
        encodingFlags: ['categorize-labels'],
        result: [
          {
            stream: { job: 'kube-audit' },
            values: [
              ['1772446531000000000', line, { structuredMetadata: { auditID: '5f2c1a4e' }, parsed: { verb: 'patch' } }],
              ['1772446532000000000', JSON.stringify(kubeAudit({ auditID: 'other-1' })), {}],
            ],
          },
        ],
      },
    };
    const s = parseAll([JSON.stringify(response)]);
    expect(s.events).toHaveLength(2);
    expect(s.events.find((e) => e.keys.auditID !== 'other-1')?.raw.labels).toEqual({
      job: 'kube-audit',
      auditID: '5f2c1a4e',
      verb: 'patch',
    });
  });

  it('a Loki matrix response has no log lines: counted, not silently empty', () => {
    const s = parseAll([JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } })]);
    expect(skipCounts(s)).toEqual({ 'empty-envelope:loki-response-matrix': 1 });
  });

  it('Loki push payload, logcli --output=jsonl, Docker json-file, AKS wrapper', () => {
    const push = parseOne(
      JSON.stringify({
        streams: [{ stream: { job: 'audit' }, values: [['1772446531000000000', line, { pod: 'kube-apiserver-0' }]] }],
      })
    );
    expect(push.raw.labels).toEqual({ job: 'audit', pod: 'kube-apiserver-0' });
    const logcli = parseOne(
      JSON.stringify({ labels: { job: 'audit' }, line, timestamp: '2026-03-02T10:15:31.5+01:00' })
    );
    expect(logcli.raw).toMatchObject({ labels: { job: 'audit' }, ns: '1772442931500000000' });
    const docker = parseOne(
      JSON.stringify({ log: line + '\n', stream: 'stdout', time: '2026-03-02T10:15:31.000000001Z' })
    );
    expect(docker.raw.ns).toBe('1772446531000000001');
    const aks = parseOne(
      JSON.stringify({
        category: 'kube-audit',
        properties: { log: line, pod: 'kube-apiserver-1' },
        time: '2026-03-02T10:15:31Z',
      })
    );
    expect(aks.verb).toBe('patch');
  });

  it('CRI container lines, and the runtime splitting a long line', () => {
    const e = parseOne(`2026-03-02T10:15:31.000000002Z stdout F ${line}`);
    expect(e).toMatchObject({ verb: 'patch', raw: { ns: '1772446531000000002' } });
    const s = parseAll([`2026-03-02T10:15:31.000000002Z stdout P ${line.slice(0, 50)}`]);
    expect(skipCounts(s)).toEqual({ 'cri-partial-line': 1 });
  });

  it('log-viewer prefixes: `pod container {json}`, `[pod/x/container] {json}`, `pod time=…`', () => {
    expect(parseOne(`kube-apiserver-0 audit ${line}`).verb).toBe('patch');
    expect(parseOne(`[pod/kube-apiserver-0/audit] ${line}`).verb).toBe('patch');
    const text = `argocd-application-controller time="2026-03-02T10:20:00Z" level=info msg="Initiated automated sync to 'abc1234'" application=storefront`;
    expect(parseOne(text).gitops?.automated).toBe(true);
  });
});
