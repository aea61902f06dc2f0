/**
 * The panel harness: the provenance panel with Grafana's theme, fed the frames the data source makes of the
 * generated scenarios. `?chains=N` repeats them (shifted in time) to N chains for the render benchmark;
 * `?hostile=1` adds a chain whose fields hold markup, 100 KB names and right-to-left text. `?group=0` turns off folding repeated changes. `?w=&h=` set the size of
 * the dashboard tile: the panel is drawn inside Grafana's PanelChrome, which gives it its inner width and height.
 */
import React, { useLayoutEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createTheme, dateTime, LoadingState, ThemeContext, type PanelProps } from '@grafana/data';
import { GlobalStyles, PanelChrome } from '@grafana/ui';

import type { Chain } from '../../../src/core';
import { ProvenancePanel } from '../../../src/panel/components/ProvenancePanel';
import { DEFAULT_OPTIONS, type ProvenancePanelOptions } from '../../../src/panel/types';
import { cascadeTrace, framesOf, hostileChain, SCENARIO_START, scenarioTrace } from '../../support/panelFrames';

const params = new URLSearchParams(window.location.search);
const theme = createTheme({ colors: { mode: params.get('theme') === 'light' ? 'light' : 'dark' } });
// `?scenario=<name>` shows one scenario alone (one past the panel fixture's ten, such as the diff scenario);
// `?cascades=1` the controller cascades instead, whose consequences fold under their causes.
const only = params.get('scenario');
const { events, chains: base } =
  params.get('cascades') === '1' ? cascadeTrace(0) : scenarioTrace(0, only ? [only] : undefined);

function repeated(n: number): Chain[] {
  const out: Chain[] = [];
  for (let i = 0; out.length < n; i++) {
    for (const c of base) {
      if (out.length >= n) {
        break;
      }
      const shifted: Chain = {
        ...c,
        effect: { ...c.effect, id: `${c.effect.id}#${i}`, time: (c.effect.time ?? SCENARIO_START) + i * 60_000 },
      };
      out.push(shifted);
    }
  }
  return out;
}

const wanted = Number(params.get('chains') ?? '0');
const chains = wanted > 0 ? repeated(wanted) : [...base];
if (params.get('hostile') === '1') {
  chains.push(hostileChain(base[0]));
}
const frames = framesOf(chains, events);
const tileWidth = Number(params.get('w') ?? '1216');
const tileHeight = Number(params.get('h') ?? '816');
const maxChains = Number(params.get('max') ?? '100000');
const span = Math.max(...chains.map((c) => c.effect.time ?? SCENARIO_START)) + 600_000;
const state = window as unknown as {
  harnessReady: boolean;
  firstRenderMs?: number;
  lastTimeRange?: { from: number; to: number };
  initialRange: { from: number; to: number };
};
state.initialRange = { from: SCENARIO_START - 600_000, to: span };

function Harness() {
  const [range, setRange] = useState(state.initialRange);
  const timeRange = { from: dateTime(range.from), to: dateTime(range.to), raw: { from: '', to: '' } };
  useLayoutEffect(() => {
    if (state.firstRenderMs === undefined) {
      // Counted to the first paint: a frame, then a task after it, so layout and painting are included.
      requestAnimationFrame(() =>
        setTimeout(() => {
          state.firstRenderMs = performance.now() - started;
        }, 0)
      );
    }
  }, []);
  const props = (width: number, height: number) =>
    ({
      data: { series: frames, state: LoadingState.Done, timeRange },
      options: { ...DEFAULT_OPTIONS, maxChains, groupRepeats: params.get('group') !== '0' } as ProvenancePanelOptions,
      width,
      height,
      timeRange,
      timeZone: 'utc',
      onChangeTimeRange: (r: { from: number; to: number }) => {
        state.lastTimeRange = r;
        setRange(r);
      },
    }) as unknown as PanelProps<ProvenancePanelOptions>;
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <div style={{ background: theme.colors.background.canvas, padding: 8 }}>
        <div data-testid="tile" style={{ display: 'inline-block' }}>
          <PanelChrome title="Change provenance" width={tileWidth} height={tileHeight}>
            {(width, height) => <ProvenancePanel {...props(width, height)} />}
          </PanelChrome>
        </div>
      </div>
    </ThemeContext.Provider>
  );
}

const started = performance.now();
createRoot(document.getElementById('root') as HTMLElement).render(<Harness />);
state.harnessReady = true;
