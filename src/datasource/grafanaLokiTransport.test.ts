import { LoadingState } from '@grafana/data';

import { scenarioNames } from '../core';
import { FakeLokiDataSource, scenarioLokiLines } from '../../tests/support/fakeLokiDataSource';
import { stubGrafanaRuntime } from '../../tests/support/grafanaRuntime';
import { GrafanaLokiTransport } from './grafanaLokiTransport';

const START = Date.UTC(2026, 2, 2, 10);
const FROM = START - 600_000;
const TO = START + scenarioNames().length * 2_400_000;
const ALL = '{job=~".+"}';

describe('GrafanaLokiTransport through Grafana (stubbed backend service)', () => {
  it('three panels reading one range at once get three full answers', async () => {
    const loki = new FakeLokiDataSource();
    const lines = scenarioLokiLines(400, START);
    loki.add(lines);
    stubGrafanaRuntime(loki);
    const alone = await new GrafanaLokiTransport('loki-test', 200).queryRange(ALL, FROM, TO);
    // Every stored line in [FROM, TO), counted from the lines themselves.
    const inRange = lines.filter((l) => Number(l.ns?.slice(0, -6)) >= FROM && Number(l.ns?.slice(0, -6)) < TO);
    expect(alone.lines).toHaveLength(inRange.length);
    expect(inRange.length).toBeGreaterThan(200);
    let release = () => undefined as void;
    loki.hold = new Promise<void>((r) => (release = r));
    const panels = [1, 2, 3].map(() => new GrafanaLokiTransport('loki-test', 200).queryRange(ALL, FROM, TO));
    await new Promise((r) => setTimeout(r, 20));
    release();
    loki.hold = undefined;
    for (const answer of await Promise.all(panels)) {
      expect(answer.lines.map((l) => l.ns)).toEqual(alone.lines.map((l) => l.ns));
    }
  });

  it('reads the last millisecond of every piece: Loki’s end is exclusive and Grafana passes it on as is', async () => {
    const loki = new FakeLokiDataSource();
    const pieceEnd = START + 3_600_000;
    loki.add([
      { text: 'last ms of the hour', labels: { job: 'edge' }, ns: `${pieceEnd - 1}000000` },
      { text: 'first ms of the next', labels: { job: 'edge' }, ns: `${pieceEnd}000000` },
    ]);
    stubGrafanaRuntime(loki);
    const r = await new GrafanaLokiTransport('loki-test').queryRange('{job="edge"}', START, START + 2 * 3_600_000);
    expect(r.lines.map((l) => l.text)).toEqual(['last ms of the hour', 'first ms of the next']);
  });

  const failing = (reply: object) => {
    stubGrafanaRuntime({ uid: 'loki-test', type: 'loki', query: async () => reply } as never);
    return new GrafanaLokiTransport('loki-test').queryRange(ALL, FROM, TO);
  };

  it('a cancelled reply (`error`, not `errors`) is a failure, not an empty page', async () => {
    await expect(
      failing({ data: [], state: LoadingState.Error, error: { message: 'Query error: -1 Request was aborted' } })
    ).rejects.toThrow('Request was aborted');
  });

  it('state Error without a message, or no frame at all, is a failure too', async () => {
    await expect(failing({ data: [{ fields: [] }], state: LoadingState.Error })).rejects.toThrow('failed');
    await expect(failing({ data: [], state: LoadingState.Done })).rejects.toThrow('no data frame');
  });
});
