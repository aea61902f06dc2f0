import { DataFrameType, FieldType } from '@grafana/data';

import { decodeLokiFrames } from '../core';
import { kubeAudit } from '../../tests/support/builders';
import { logsFrame } from './frames';

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
