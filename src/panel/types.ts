export type PanelView = 'stories' | 'timeline' | 'both';
export type GroupBy = 'object' | 'actor' | 'app';

export interface ProvenancePanelOptions {
  view: PanelView;
  groupBy: GroupBy;
  showContext: boolean;
  maxChains: number;
  /** Fold runs of identical changes (same person, verb, kind of object, namespace) into one card. */
  groupRepeats: boolean;
}

export const DEFAULT_OPTIONS: ProvenancePanelOptions = {
  view: 'both',
  groupBy: 'object',
  showContext: true,
  maxChains: 10_000,
  groupRepeats: true,
};
