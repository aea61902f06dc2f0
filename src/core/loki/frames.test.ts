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

describe('decodeLokiFrames, odd fields', () => {
  const frame = (fields: Array<{ name: string; values: unknown; nanos?: unknown }>) => decodeLokiFrames([{ fields }]);

  it("reads Grafana's Vector (toArray) as values; values of no known shape are no lines", () => {
    expect(
      frame([
        { name: 'Line', values: { toArray: () => ['v'] } },
        { name: 'tsNs', values: { toArray: () => ['1772446805431000123'] } },
      ])
    ).toEqual([{ text: 'v', labels: {}, ns: '1772446805431000123' }]);
    expect(frame([{ name: 'Line', values: { length: 1, 0: 'x' } }])).toEqual([]);
    expect(frame([{ name: 'Line', values: undefined }])).toEqual([]);
  });

  it('keeps string labels only; labels that are not JSON, or missing, are none', () => {
    expect(
      frame([
        { name: 'labels', values: [{ job: 'a', n: 1, o: { x: 'y' } }, '{"job":', null, '"job"'] },
        { name: 'Line', values: ['one', 'two', 'three', 'four'] },
      ]).map((l) => l.labels)
    ).toEqual([{ job: 'a' }, {}, {}, {}]);
  });

  it('adds the nanoseconds past the millisecond when they are a number in [1, 999999]; no ns without a whole ms', () => {
    const at = (ms: unknown, nanos: unknown) =>
      frame([
        { name: 'timestamp', values: [ms], nanos: [nanos] },
        { name: 'body', values: ['x'] },
      ])[0];
    expect(at(1772446805431, 456.7).ns).toBe('1772446805431000456');
    expect(at(1772446805431, 999_999).ns).toBe('1772446805431999999');
    expect(at(1772446805431, 1_000_000).ns).toBe('1772446805431000000');
    expect(at(1772446805431, -5).ns).toBe('1772446805431000000');
    expect(at(1772446805431, '7').ns).toBe('1772446805431000000');
    expect(at(1772446805431.5, 0)).toEqual({ text: 'x', labels: {} });
    expect(at('1772446805431', 0)).toEqual({ text: 'x', labels: {} });
    // nanos that are not a list are none.
    expect(
      frame([
        { name: 'Time', values: [1772446805431], nanos: 9 },
        { name: 'Line', values: ['x'] },
      ])[0].ns
    ).toBe('1772446805431000000');
  });

  it('a tsNs that is not text falls back to the time field', () => {
    expect(
      frame([
        { name: 'tsNs', values: [1772446805431] },
        { name: 'Time', values: [1772446805431] },
        { name: 'Line', values: ['x'] },
      ])[0].ns
    ).toBe('1772446805431000000');
  });
});

describe('framesFromJson', () => {
  it('pairs each schema field with its values and nanos; missing parts are empty', () => {
    expect(
      framesFromJson([
        {
          schema: { fields: [{ name: 'Time' }, { name: 'Line' }] },
          data: {
            values: [
              [1, 2],
              ['a', 'b'],
            ],
            nanos: [[5, 6], null],
          },
        },
        { schema: { fields: [{ name: 'Line' }] } },
        // Grafana leaves out `nanos` when no field has them, and `values` of a frame with no rows.
        { schema: { fields: [{ name: 'Line' }] }, data: { values: [['c']] } },
        { schema: { fields: [{ name: 'Line' }] }, data: {} },
        {},
      ])
    ).toEqual([
      {
        fields: [
          { name: 'Time', values: [1, 2], nanos: [5, 6] },
          { name: 'Line', values: ['a', 'b'], nanos: undefined },
        ],
      },
      { fields: [{ name: 'Line', values: [], nanos: undefined }] },
      { fields: [{ name: 'Line', values: ['c'], nanos: undefined }] },
      { fields: [{ name: 'Line', values: [], nanos: undefined }] },
      { fields: [] },
    ]);
  });
});
