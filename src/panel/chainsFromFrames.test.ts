import { createDataFrame, FieldType } from '@grafana/data';

import { framesOf, scenarioChains } from '../../tests/support/panelFrames';
import { chainsFromFrames } from './chainsFromFrames';

describe('chainsFromFrames', () => {
  const chains = scenarioChains(0);

  it('reads the chains newest first, with their notices', () => {
    const frames = framesOf(chains);
    frames[0].meta = { ...frames[0].meta, notices: [{ severity: 'warning', text: 'Loki answered 429; retried' }] };
    const r = chainsFromFrames(frames, 100);
    expect(r.chains).toHaveLength(chains.length);
    // The whole order: every chain's time, newest first (the input comes oldest first).
    const times = chains.map((c) => c.effect.time ?? 0);
    expect(times).not.toEqual([...times].sort((a, b) => b - a));
    expect(r.chains.map((c) => c.effect.time)).toEqual([...times].sort((a, b) => b - a));
    expect(r.notices).toEqual([{ severity: 'warning', text: 'Loki answered 429; retried' }]);
    expect([r.foreign, r.hidden]).toEqual([false, 0]);
  });

  it('counts what the max hides, and recognises frames that are not ours', () => {
    expect(chainsFromFrames(framesOf(chains), 3)).toMatchObject({ hidden: chains.length - 3 });
    const other = createDataFrame({ name: 'cpu', fields: [{ name: 'Value', type: FieldType.number, values: [1] }] });
    expect(chainsFromFrames([other], 10)).toMatchObject({ foreign: true, chains: [] });
    expect(chainsFromFrames([], 10)).toMatchObject({ foreign: false, chains: [] });
  });

  it('says how many rows held no chain instead of dropping them silently', () => {
    const frames = framesOf(chains.slice(0, 2));
    const field = frames[0].fields.find((f) => f.name === 'chain')!;
    field.values = [field.values[0], 'not a chain', null];
    const r = chainsFromFrames(frames, 10);
    expect(r.chains).toHaveLength(1);
    expect(r.notices).toEqual([
      { severity: 'warning', text: '2 rows of the chains frame hold no chain and are not shown.' },
    ]);
  });
});
