export interface ProvenancePanelOptions {
  maxChains: number;
}
