import { argoLog, fleetDeployed, k8sEvent, kubeAudit, rancherAudit } from '../../../tests/support/builders';
import { parseAll, skipCounts } from '../../../tests/support/parse';
import { ParseSession } from './session';

describe('ParseSession', () => {
  it('orders events by time, then ns, then id; events without a time first', () => {
    const s = parseAll([
      kubeAudit({ auditID: 'b', requestReceivedTimestamp: '2026-03-02T10:00:00.000002Z' }),
      kubeAudit({ auditID: 'a', requestReceivedTimestamp: '2026-03-02T10:00:00.000001Z' }),
      { user: { username: 'x' }, verb: 'get', objectRef: { resource: 'pods' } },
      argoLog({ time: '2026-03-01T00:00:00Z' }),
    ]);
    expect(s.events.map((e) => (e.time === undefined ? 'none' : (e.keys.auditID ?? e.source)))).toEqual([
      'none',
      'argocd',
      'a',
      'b',
    ]);
  });

  it('counts every non-event line by reason: empty, too long, binary, truncated, invalid, unknown', () => {
    const s = parseAll(
      [
        '',
        '   ',
        '{"a":' + 'x'.repeat(300 * 1024) + '}',
        'bin\u0000ary',
        'caf\ufffd',
        '{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"get"',
        '{"kind":"Event",}',
        '[1,2,3]',
        '42',
        'just some words',
        '{"hello":"world"}',
      ],
      { maxLineBytes: 256 * 1024 }
    );
    expect(s.events).toHaveLength(0);
    expect(skipCounts(s)).toEqual({
      'empty-line': 2,
      'line-too-long': 1,
      'binary-data': 2,
      'truncated-json': 1,
      'invalid-json': 1,
      'unknown-format': 4,
    });
    expect(s.stats).toMatchObject({ lines: 11, skipped: 11, events: 0 });
    expect(s.skipped['line-too-long'].example).toBe('test:3');
  });

  it('measures the line limit in UTF-8 bytes', () => {
    const multiByte = JSON.stringify(kubeAudit({ user: { username: 'é'.repeat(600) } }));
    expect(parseAll([multiByte], { maxLineBytes: multiByte.length + 100 }).events).toHaveLength(0);
    expect(parseAll([multiByte], { maxLineBytes: multiByte.length + 700 }).events).toHaveLength(1);
  });

  it('gives the same events in the same order whatever the input order (determinism)', () => {
    const lines = [
      kubeAudit(),
      rancherAudit(),
      argoLog(),
      k8sEvent(),
      fleetDeployed(),
      kubeAudit({ auditID: 'z', stage: 'RequestReceived', responseStatus: undefined }),
    ];
    const forward = parseAll(lines);
    const backward = parseAll([...lines].reverse());
    const withoutOrigin = (es: typeof forward.events) =>
      es.map((e) => ({ ...e, raw: { ...e.raw, origin: undefined } }));
    expect(withoutOrigin(backward.events)).toEqual(withoutOrigin(forward.events));
    expect(forward.events).toHaveLength(6);
  });

  it('an identical line twice is one event and one duplicate, for every source', () => {
    const lines = [argoLog(), k8sEvent(), fleetDeployed(), rancherAudit()];
    const s = parseAll([...lines, ...lines]);
    expect(s.events).toHaveLength(4);
    expect(s.stats.duplicates).toBe(4);
  });
});

describe('ParseSession.eventsSoFar (planning before the end of the input)', () => {
  const writeA = kubeAudit({ auditID: 'a', verb: 'patch', requestReceivedTimestamp: '2026-03-02T10:00:02Z' });
  const writeB = kubeAudit({ auditID: 'b', verb: 'delete', requestReceivedTimestamp: '2026-03-02T10:00:01Z' });
  const orphan = '2017-05-25T04:55:05.668239935Z AUDIT: id="aaaaaaaa-0000-4000-8000-000000000000" response="200"';

  it('the events so far in the answer’s order, a response whose request never came left out, nothing counted', () => {
    const s = new ParseSession();
    [writeA, writeB].forEach((o, i) => s.add({ text: JSON.stringify(o), origin: `f:${i + 1}` }));
    s.add({ text: orphan, origin: 'f:3' });
    expect(s.eventsSoFar().map((e) => e.keys.auditID)).toEqual(['b', 'a']);
    // Asking twice changes nothing, and the finished summary is the one a session never asked gives.
    expect(s.eventsSoFar().map((e) => e.keys.auditID)).toEqual(['b', 'a']);
    const asked = s.finish();
    const never = new ParseSession();
    [writeA, writeB].forEach((o, i) => never.add({ text: JSON.stringify(o), origin: `f:${i + 1}` }));
    never.add({ text: orphan, origin: 'f:3' });
    expect(asked).toEqual(never.finish());
    expect(skipCounts(asked)).toEqual({ 'kube-audit:response-without-request': 1 });
  });
});
