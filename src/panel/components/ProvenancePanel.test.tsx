import React from 'react';
import { render, screen } from '@testing-library/react';
import { getDefaultTimeRange, LoadingState, toDataFrame, type PanelProps } from '@grafana/data';

import { ProvenancePanel } from './ProvenancePanel';
import type { ProvenancePanelOptions } from '../types';

describe('ProvenancePanel (placeholder)', () => {
  it('says how many frames it received and that the story view is coming', () => {
    const timeRange = getDefaultTimeRange();
    const props = {
      data: { series: [toDataFrame({ fields: [] })], state: LoadingState.Done, timeRange },
      options: { maxChains: 1000 },
      timeRange,
    } as unknown as PanelProps<ProvenancePanelOptions>;
    render(<ProvenancePanel {...props} />);
    expect(screen.getByTestId('provenance-panel').textContent).toContain('1 frame(s) received');
  });
});
