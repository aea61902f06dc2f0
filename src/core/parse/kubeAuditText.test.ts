import { parseAll, parseOne, skipCounts } from '../../../tests/support/parse';
import { readSample, sampleLines } from '../../../tests/support/shared';

describe('kube-apiserver legacy text audit format', () => {
  it('1.8+ line: the verb in method=, impersonation in as=, response in the same line', () => {
    const e = parseOne(
      '2026-03-02T10:15:30.123456789Z AUDIT: id="1c0ffee0-0000-4000-8000-000000000001" stage="ResponseComplete" ip="203.0.113.27" method="delete" user="dana@example.org" groups="\\"platform-admins\\",\\"system:authenticated\\"" as="kim" asgroups="<lookup>" user-agent="kubectl/v1.31.2" namespace="shop" uri="/apis/apps/v1/namespaces/shop/deployments/checkout" response="200"'
    );
    expect(e).toMatchObject({
      format: 'kube-audit/legacy-text',
      verb: 'delete',
      ns: '1772446530123456789',
      actor: { name: 'kim', via: [{ name: 'dana@example.org', mechanism: 'impersonation' }] },
      sourceIPs: ['203.0.113.27'],
      target: { apiGroup: 'apps', resource: 'deployments', namespace: 'shop', name: 'checkout' },
      outcome: { code: 200, status: 'success' },
      userAgent: 'kubectl/v1.31.2',
    });
  });

  it('pre-1.8 request + response lines collapse; a response with no request is a counted skip', () => {
    const s = parseAll(sampleLines('issue_servicecatalog_897.txt'));
    expect(s.events).toHaveLength(3);
    // The request id of the sample's GET, read from its own text.
    const getId = /id="([0-9a-f-]{36})" ip="172\.17\.0\.6" method="GET"/.exec(
      readSample('issue_servicecatalog_897.txt')
    )?.[1];
    expect(getId).toBeDefined();
    const api = s.events.find((e) => e.keys.auditID === getId);
    expect(api).toMatchObject({
      verb: 'get',
      time: Date.UTC(2017, 4, 25, 4, 55, 5, 668),
      ns: '1495688105668094220',
      actor: { name: '<none>', kind: 'unknown', via: [] },
      sourceIPs: ['172.17.0.6'],
      target: { path: '/api' },
      outcome: { code: 404, status: 'failure' },
      stages: ['RequestReceived', 'ResponseComplete'],
    });
    const orphan = parseAll([
      '2017-05-25T04:55:05.668239935Z AUDIT: id="aaaaaaaa-0000-4000-8000-000000000000" response="200"',
    ]);
    expect(skipCounts(orphan)).toEqual({ 'kube-audit:response-without-request': 1 });
  });
});
