import { PanelPlugin } from '@grafana/data';

import { ProvenancePanel } from './components/ProvenancePanel';
import { DEFAULT_OPTIONS, type ProvenancePanelOptions } from './types';

export const plugin = new PanelPlugin<ProvenancePanelOptions>(ProvenancePanel).setPanelOptions((builder) =>
  builder
    .addRadio({
      path: 'view',
      name: 'View',
      defaultValue: DEFAULT_OPTIONS.view,
      settings: {
        options: [
          { value: 'both', label: 'Timeline and stories' },
          { value: 'stories', label: 'Stories' },
          { value: 'timeline', label: 'Timeline' },
        ],
      },
    })
    .addRadio({
      path: 'groupBy',
      name: 'Timeline rows',
      defaultValue: DEFAULT_OPTIONS.groupBy,
      settings: {
        options: [
          { value: 'object', label: 'Object' },
          { value: 'actor', label: 'Person' },
          { value: 'app', label: 'App' },
        ],
      },
      showIf: (o) => o.view !== 'stories',
    })
    .addBooleanSwitch({
      path: 'showContext',
      name: 'Show context',
      description: 'RBAC changes and failed syncs before each change',
      defaultValue: DEFAULT_OPTIONS.showContext,
    })
    .addBooleanSwitch({
      path: 'groupRepeats',
      name: 'Group repeated changes',
      description: 'One card for a run of identical changes: "kim patched 40 pods in shop, 12:00–12:03"',
      defaultValue: DEFAULT_OPTIONS.groupRepeats,
      showIf: (o) => o.view !== 'timeline',
    })
    .addNumberInput({
      path: 'maxChains',
      name: 'Max chains',
      defaultValue: DEFAULT_OPTIONS.maxChains,
      settings: { min: 1 },
    })
);
