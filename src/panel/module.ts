import { PanelPlugin } from '@grafana/data';

import { ProvenancePanel } from './components/ProvenancePanel';
import type { ProvenancePanelOptions } from './types';

export const plugin = new PanelPlugin<ProvenancePanelOptions>(ProvenancePanel).setPanelOptions((builder) =>
  builder.addNumberInput({ path: 'maxChains', name: 'Max chains', defaultValue: 1000 })
);
