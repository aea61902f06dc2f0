import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseLines } from '../parse/session';
import { decodeLokiFrames, framesFromJson } from './frames';

/** Loki frames in the shape of grafana/grafana pkg/tsdb/loki/testdata/*.golden.jsonc (our own fixture values). */
const golden = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'tests', 'fixtures', 'grafana', 'loki-streams.golden.json'), 'utf8')
);

describe('decodeLokiFrames', () => {
  it('reads lines, labels (with structured metadata) and the ns timestamp of a /api/ds/query answer', () => {
    const lines = decodeLokiFrames(framesFromJson(golden.results.A.frames));
    expect(lines).toEqual([
      {
        text: expect.stringContaining('"auditID":"9a1f0c3e"'),
        labels: { job: 'kube-audit', cluster: 'prod-eu', auditID: '9a1f0c3e' },
        ns: '1772446805431000123',
      },
      { text: 'not a record we read', labels: { job: 'kube-audit', cluster: 'prod-eu' }, ns: '1772446806000000000' },
    ]);
    const parsed = parseLines(lines);
    expect(parsed.events[0]).toMatchObject({
      verb: 'delete',
      target: { cluster: 'prod-eu', name: 'checkout' },
      raw: { ns: '1772446805431000123' },
    });
    expect(parsed.skipped['unknown-format'].count).toBe(1);
  });

  it('accepts labels as JSON text, falls back to Time when tsNs is absent, and skips metric frames', () => {
    const lines = decodeLokiFrames([
      {
        fields: [
          { name: 'labels', values: ['{"job":"argocd"}'] },
          { name: 'Time', values: [1772446805431] },
          { name: 'Line', values: ['x'] },
        ],
      },
      {
        fields: [
          { name: 'Time', values: [1] },
          { name: 'Value', values: [3] },
        ],
      },
    ]);
    expect(lines).toEqual([{ text: 'x', labels: { job: 'argocd' }, ns: '1772446805431000000' }]);
  });

  it('reads the dataplane shape (lokiLogsDataplane): attributes, timestamp with nanos, body', () => {
    const dataplane = JSON.parse(
      readFileSync(
        join(__dirname, '..', '..', '..', 'tests', 'fixtures', 'grafana', 'loki-streams-dataplane.golden.json'),
        'utf8'
      )
    );
    const lines = decodeLokiFrames(framesFromJson(dataplane.results.A.frames));
    expect(lines).toEqual([
      {
        text: expect.stringContaining('"auditID":"7c2e4d1a"'),
        labels: { job: 'kube-audit', cluster: 'prod-eu', auditID: '7c2e4d1a' },
        ns: '1772447401250000456',
      },
      { text: 'not a record we read', labels: { job: 'kube-audit', cluster: 'prod-eu' }, ns: '1772447402000000000' },
    ]);
    expect(parseLines(lines).events[0]).toMatchObject({ verb: 'patch', target: { name: 'cart' } });
  });
});
