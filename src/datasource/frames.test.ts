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
    expect(values('Line')?.[0]).toContain('"verb":"create"');
    expect(values('Line')?.[0]).not.toContain(secret);
    expect(values('labels')).toEqual([{ job: 'kube-audit' }]);
    expect(values('Time')).toEqual([1772445600123]);
    expect(values('tsNs')).toEqual(['1772445600123456789']);
  });
});
