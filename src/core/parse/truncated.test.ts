import fc from 'fast-check';

import { salvageCutObject } from './salvage';
import { kubeAudit, rancherAudit } from '../../../tests/support/builders';
import { parseAll, skipCounts } from '../../../tests/support/parse';

/** A RequestResponse line cut by a shipper's buffer limit: its first kilobytes still say who did what. */

const bigBody = { kind: 'ConfigMap', data: { blob: 'x'.repeat(20_000) } };
const whole = kubeAudit({
  level: 'RequestResponse',
  stage: 'ResponseComplete',
  verb: 'update',
  requestURI: '/api/v1/namespaces/shop/configmaps/prices',
  objectRef: { resource: 'configmaps', namespace: 'shop', name: 'prices', apiGroup: '', apiVersion: 'v1' },
  requestObject: bigBody,
  responseObject: bigBody,
});
const wholeLine = JSON.stringify(whole);
const cutInBody = wholeLine.slice(0, wholeLine.indexOf('xxxx') + 100);

describe('truncated lines', () => {
  it('salvages what the prefix states, marks the event truncated, counts it under its own reason', () => {
    const s = parseAll([{ text: cutInBody, ns: '1772446530123456000' }]);
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject({
      truncated: true,
      verb: 'update',
      actor: { name: 'dana@example.org', kind: 'human' },
      sourceIPs: ['203.0.113.27'],
      target: { resource: 'configmaps', namespace: 'shop', name: 'prices' },
      // The response status was written before the bodies, so it survived the cut.
      outcome: { code: 200, status: 'success' },
      // requestReceivedTimestamp comes after the bodies: the Loki entry time stands in.
      time: Date.UTC(2026, 2, 2, 10, 15, 30, 123),
    });
    expect(skipCounts(s)).toEqual({});
    expect(s.salvaged['truncated-salvaged'].count).toBe(1);
  });

  it('merges a cut stage with a whole stage of the same auditID; the whole line clears the mark', () => {
    const received = JSON.stringify({ ...whole, stage: 'RequestReceived', responseStatus: undefined });
    const cutReceived = received.slice(0, received.indexOf('xxxx') + 10);
    const s = parseAll([cutReceived, kubeAudit({ ...whole, requestObject: undefined, responseObject: undefined })]);
    expect(s.events).toHaveLength(1);
    expect(s.events[0].stages).toEqual(['RequestReceived', 'ResponseComplete']);
    expect(s.events[0].truncated).toBeUndefined();
    const both = parseAll([cutReceived, cutInBody]);
    expect(both.events).toHaveLength(1);
    expect(both.events[0]).toMatchObject({ truncated: true, outcome: { code: 200 } });
  });

  it('a Rancher line cut in its body keeps the Rancher user and the client IP', () => {
    const line = JSON.stringify(rancherAudit({ requestBody: bigBody }));
    const e = parseAll([line.slice(0, line.indexOf('xxxx') + 5)]).events[0];
    expect(e).toMatchObject({ truncated: true, actor: { name: 'u-q8z3n', loginName: 'kim' }, verb: 'delete' });
  });

  it('a line cut before the audit id, verb, URI and user stays a skip', () => {
    const early = wholeLine.slice(0, wholeLine.indexOf('"verb"'));
    const s = parseAll([early]);
    expect(s.events).toHaveLength(0);
    expect(skipCounts(s)).toEqual({ 'truncated-json': 1 });
  });

  it('the scanner drops the scalar the cut went through and keeps complete members', () => {
    expect(salvageCutObject('{"a":"x","code":20')).toEqual({ a: 'x' });
    expect(salvageCutObject('{"a":[1,2,{"b":true},"c')).toEqual({ a: [1, 2, { b: true }] });
    expect(salvageCutObject('{"a":{"b":1},"u":{}')).toEqual({ a: { b: 1 }, u: {} });
    expect(salvageCutObject('{"a":{"b":')).toEqual({});
    expect(salvageCutObject('{"__proto__":{"polluted":1},"z":"')).toEqual(JSON.parse('{"__proto__":{"polluted":1}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Malformed before the cut, or complete: not a cut object.
    expect(salvageCutObject('{"a" 1, "b":"')).toBeUndefined();
    expect(salvageCutObject('{"a":1}')).toBeUndefined();
    expect(salvageCutObject('['.repeat(10_000))).toBeUndefined();
  });

  it('mutated cut lines: an event or a counted skip, never a throw', () => {
    fc.assert(
      fc.property(fc.nat(wholeLine.length), fc.nat(), fc.string({ maxLength: 3 }), (cut, at, junk) => {
        const text = wholeLine.slice(0, cut);
        const i = text.length ? at % text.length : 0;
        const mutated = text.slice(0, i) + junk + text.slice(i + junk.length);
        const s = parseAll([mutated]);
        expect(s.skipped['internal-error']).toBeUndefined();
        expect(s.events.length + s.stats.skipped).toBe(1);
        for (const e of s.events) {
          expect(e.verb).not.toBe('');
        }
      }),
      { numRuns: 400 }
    );
  });
});
