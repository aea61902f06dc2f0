/** The keys of one chain in the `trace --format json` contract, in their order (as the README's contract lists them). */
export const CHAIN_JSON_KEYS = [
  'id',
  'effect',
  'verdict',
  'who',
  'gitops',
  'links',
  'context',
  'consequenceOf',
  'consequences',
  'change',
  'grantedBy',
  'failedSyncBefore',
];
