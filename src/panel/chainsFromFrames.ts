import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import type { Chain } from '../core';

/**
 * The chains in the data source's frames (a frame named `chains` whose hidden `chain` field holds each Chain),
 * with the notices that came with them. The panel never correlates; frames that are not ours are reported.
 */
export interface PanelInput {
  chains: Chain[];
  notices: QueryResultMetaNotice[];
  /** Frames arrived, but none is a Change Provenance chains frame. */
  foreign: boolean;
  /** More chains than the panel shows (option "max chains"). */
  hidden: number;
}

function isChain(v: unknown): v is Chain {
  return typeof v === 'object' && v !== null && 'effect' in v && 'verdict' in v && 'who' in v && 'links' in v;
}

export function chainsFromFrames(frames: DataFrame[], maxChains: number): PanelInput {
  const chains: Chain[] = [];
  const notices: QueryResultMetaNotice[] = [];
  let ours = false;
  let skipped = 0;
  for (const f of frames) {
    const field = f.fields.find((x) => x.name === 'chain');
    if (f.name !== 'chains' || !field) {
      continue;
    }
    ours = true;
    notices.push(...(f.meta?.notices ?? []));
    for (const v of field.values as unknown[]) {
      if (isChain(v)) {
        chains.push(v);
      } else {
        skipped++;
      }
    }
  }
  if (skipped > 0) {
    notices.push({ severity: 'warning', text: `${skipped} rows of the chains frame hold no chain and are not shown.` });
  }
  // Newest first: during an incident the latest change is the first question.
  chains.sort((a, b) => (b.effect.time ?? 0) - (a.effect.time ?? 0));
  return {
    chains: chains.slice(0, maxChains),
    notices,
    foreign: frames.length > 0 && !ours,
    hidden: Math.max(0, chains.length - maxChains),
  };
}
