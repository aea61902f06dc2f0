import { DataFrameType, FieldType } from '@grafana/data';

import { kubeAudit } from '../../tests/support/builders';
import { parseAll } from '../../tests/support/parse';
import { buildChains, decodeLokiFrames } from '../core';
import { chainsFrame, logsFrame } from './frames';

describe('logsFrame', () => {
  it('shows the raw lines with Secret data redacted, their labels and times', () => {
    const secret = 'aHVudGVyMg==';
    const line = JSON.stringify(
      kubeAudit({
        verb: 'create',
        objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiVersion: 'v1' },
        requestObject: { kind: 'Secret', data: { password: secret } },
      })
    );
    const f = logsFrame([{ text: line, labels: { job: 'kube-audit' }, ns: '1772445600123456789' }], 'A');
    const values = (name: string) => f.fields.find((x) => x.name === name)?.values;
    expect(values('body')?.[0]).toContain('"verb":"create"');
    expect(values('body')?.[0]).not.toContain(secret);
    expect(values('labels')).toEqual([{ job: 'kube-audit' }]);
    expect(values('timestamp')).toEqual([1772445600123]);
    expect(f.fields[0].nanos).toEqual([456789]);
  });

  it('is a dataplane logs frame: Grafana finds timestamp (time) and body (string); ids are unique', () => {
    const f = logsFrame(
      [
        { text: 'a', labels: { job: 'x' }, ns: '1772445600123000000' },
        { text: 'a', labels: { job: 'x' }, ns: '1772445600123000000' },
      ],
      'A'
    );
    // The dataplane logs contract as public/app/features/logs/logsFrame.ts reads it (Grafana 13.1).
    expect(f.meta?.type).toBe(DataFrameType.LogLines);
    const typeOf = (name: string) => f.fields.find((x) => x.name === name)?.type;
    expect([typeOf('timestamp'), typeOf('body'), typeOf('id'), typeOf('labels')]).toEqual([
      FieldType.time,
      FieldType.string,
      FieldType.string,
      FieldType.other,
    ]);
    const ids = f.fields.find((x) => x.name === 'id')?.values as string[];
    expect(new Set(ids).size).toBe(2);
    // Our own decoder reads the frame back: the ns time survives.
    expect(decodeLokiFrames([f]).map((l) => l.ns)).toEqual(['1772445600123000000', '1772445600123000000']);
  });
});

describe('chainsFrame: what changed and the links', () => {
  const secretRef = { resource: 'secrets', namespace: 'shop', name: 'db', apiGroup: '', apiVersion: 'v1' };
  const secretWrite = (auditID: string, t: string, password: string, verb: string) =>
    kubeAudit({
      auditID,
      verb,
      level: 'RequestResponse',
      requestURI: '/api/v1/namespaces/shop/secrets/db',
      objectRef: secretRef,
      requestReceivedTimestamp: t,
      stageTimestamp: t,
      requestObject: { data: { password } },
      responseObject: { kind: 'Secret', metadata: { name: 'db', uid: 's-1' }, data: { password } },
    });

  it('a diff summary column, and a Secret value in no field of the frame', () => {
    const chains = buildChains(
      parseAll([
        secretWrite('a-1', '2026-03-02T10:00:00Z', 'aHVudGVyMg==', 'create'),
        secretWrite('a-2', '2026-03-02T10:05:00Z', 'c3dvcmRmaXNo', 'patch'),
      ]).events
    );
    const f = chainsFrame(chains, 'A');
    const diff = f.fields.find((x) => x.name === 'diff')?.values;
    expect(diff?.[1]).toBe(
      'data.password: changed (Secret value not shown); (1 field (complete, from the objects before and after))'
    );
    const everything = JSON.stringify(f.fields.map((x) => x.values));
    expect(everything).not.toContain('aHVudGVyMg==');
    expect(everything).not.toContain('c3dvcmRmaXNo');
  });

  it('link columns open their own https URL', () => {
    const f = chainsFrame([], 'A');
    for (const name of ['commit url', 'compare url', 'app url', 'user url']) {
      expect(f.fields.find((x) => x.name === name)?.config.links?.[0]).toMatchObject({ url: '${__value.raw}' });
    }
  });
});
