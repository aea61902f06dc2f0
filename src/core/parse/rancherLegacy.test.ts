import fc from 'fast-check';

import { ParseSession } from './session';
import { kubeAudit } from '../../../tests/support/builders';
import { parseAll, skipCounts } from '../../../tests/support/parse';

/**
 * Rancher v2.0–2.1 write a request line and, at audit level 3, a separate response line that carries only
 * auditID, stage, stageTimestamp, responseStatus (a string) and the body (rancher/rancher v2.1.x
 * pkg/audit/writer.go, LogRequest / LogResponse). Our own fixtures in that shape.
 */

const ID = '4c7e9a10-2b3d-4e5f-8a6b-1c2d3e4f5a6b';
const request = {
  auditID: ID,
  requestURI: '/v3/project/c-r8w2k:p-5xq7n/workloads/deployment:shop:checkout',
  sourceIPs: ['192.0.2.61'],
  user: { name: 'user-b7kq2', group: ['system:authenticated', 'system:cattle:authenticated'] },
  verb: 'PUT',
  stage: 'RequestReceived',
  stageTimestamp: '2019-03-04 09:12:07 +0100',
  requestBody: { scale: 3 },
};
const response = {
  auditID: ID,
  stage: 'ResponseComplete',
  stageTimestamp: '2019-03-04 09:12:08 +0100',
  responseStatus: '403',
  responseBody: { type: 'error', status: '403', code: 'Forbidden' },
};

describe('Rancher v2.0–2.1 response lines', () => {
  const expected = {
    format: 'rancher-audit/v2.0',
    verb: 'update',
    actor: { name: 'user-b7kq2', kind: 'human' },
    sourceIPs: ['192.0.2.61'],
    time: Date.UTC(2019, 2, 4, 8, 12, 7),
    outcome: { code: 403, status: 'failure' },
    stages: expect.arrayContaining(['RequestReceived', 'ResponseComplete']) as unknown,
  };

  it.each([
    ['request first', [request, response]],
    ['response first', [response, request]],
  ])('merges the response into its request by auditID, %s, and takes the code from it', (_, lines) => {
    const s = parseAll(lines);
    expect(skipCounts(s)).toEqual({});
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject(expected);
    expect(s.events[0].requestURI).toBe(request.requestURI);
  });

  it('merges across chunks of a session (other lines between, as Loki pages arrive)', () => {
    const session = new ParseSession();
    session.add({ text: JSON.stringify(response), ns: '1551687128000000000' });
    for (let i = 0; i < 2_500; i++) {
      session.add({ text: JSON.stringify(kubeAudit({ auditID: `filler-${i}` })) });
    }
    session.add({ text: JSON.stringify(request), ns: '1551687127000000000' });
    const s = session.finish();
    const merged = s.events.filter((e) => e.keys.rancherAuditID === ID);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject(expected);
  });

  it('a response whose request never arrived is a counted skip, not an event', () => {
    const s = parseAll([response]);
    expect(s.events).toHaveLength(0);
    expect(skipCounts(s)).toEqual({ 'rancher-audit:response-without-request': 1 });
  });

  it('reads a request that was not authenticated (v2.0–2.1 omit `user`)', () => {
    const { user: _user, ...anonymous } = request;
    const s = parseAll([{ ...anonymous, requestURI: '/v3-public/localProviders/local?action=login', verb: 'POST' }]);
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject({
      verb: 'post',
      actor: { name: '', kind: 'unknown' },
      sourceIPs: ['192.0.2.61'],
    });
  });

  // Found by the property below (seed -995615909): a response line with an empty stage stood alone, a second
  // event under the request's auditID with no verb.
  it('a response line with an empty stage still joins its request, whichever comes first', () => {
    for (const lines of [
      [request, { ...response, stage: '' }],
      [{ ...response, stage: '' }, request],
    ]) {
      const s = parseAll(lines);
      expect(skipCounts(s)).toEqual({});
      expect(s.events).toHaveLength(1);
      expect(s.events[0]).toMatchObject({ verb: 'update', outcome: { code: 403, status: 'failure' } });
    }
  });

  it('mutated response lines: an event, a merge or a counted skip, never a throw', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            auditID: fc.oneof(fc.constant(ID), fc.jsonValue()),
            stage: fc.oneof(fc.constant('ResponseComplete'), fc.jsonValue()),
            stageTimestamp: fc.oneof(fc.constant(response.stageTimestamp), fc.string()),
            responseStatus: fc.oneof(fc.constant('200'), fc.jsonValue()),
            responseBody: fc.jsonValue(),
          },
          { requiredKeys: [] }
        ),
        fc.boolean(),
        (line, first) => {
          const s = parseAll(first ? [line, request] : [request, line]);
          expect(s.skipped['internal-error']).toBeUndefined();
          expect(s.stats.records + s.stats.skipped).toBeGreaterThanOrEqual(2);
          expect(s.events.filter((e) => e.keys.rancherAuditID === ID).length).toBeLessThanOrEqual(1);
        }
      ),
      { numRuns: 300 }
    );
  });
});
