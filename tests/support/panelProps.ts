import { dateTime, LoadingState, type DataFrame, type PanelProps } from '@grafana/data';

import { DEFAULT_OPTIONS, type ProvenancePanelOptions } from '../../src/panel/types';

/** What Grafana hands the panel in a 1000×700 tile: the frames over the range `from`–`to`, default options. */
export function panelProps(
  series: DataFrame[],
  range: { from: number; to: number },
  over: Partial<PanelProps<ProvenancePanelOptions>> = {}
): PanelProps<ProvenancePanelOptions> {
  const timeRange = { from: dateTime(range.from), to: dateTime(range.to), raw: { from: '', to: '' } };
  return {
    data: { series, state: LoadingState.Done, timeRange },
    options: DEFAULT_OPTIONS,
    width: 1000,
    height: 700,
    timeRange,
    timeZone: 'utc',
    onChangeTimeRange: jest.fn(),
    ...over,
  } as unknown as PanelProps<ProvenancePanelOptions>;
}
