import React, { useMemo, useState } from 'react';
import { LoadingState, type PanelProps } from '@grafana/data';
import { Button, Input, useStyles2 } from '@grafana/ui';

import type { Chain } from '../../core';
import { chainsFromFrames } from '../chainsFromFrames';
import { evidenceOf } from '../explore';
import { searchText, VERDICT_LABEL } from '../story';
import type { ProvenancePanelOptions } from '../types';
import { ChainDetails } from './ChainDetails';
import { StoryList } from './StoryList';
import { getPanelStyles } from './styles';
import { Timeline } from './Timeline';

const TIMELINE_SHARE = 0.35;

export function ProvenancePanel({
  data,
  options,
  width,
  height,
  timeRange,
  timeZone,
  onChangeTimeRange,
}: PanelProps<ProvenancePanelOptions>) {
  const styles = useStyles2(getPanelStyles);
  const input = useMemo(
    () => chainsFromFrames(data.series, options.maxChains ?? 10_000),
    [data.series, options.maxChains]
  );
  const [search, setSearch] = useState('');
  const [verdicts, setVerdicts] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState(-1);
  const [open, setOpen] = useState<Chain | undefined>();
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return input.chains.filter(
      (c) => (verdicts.size === 0 || verdicts.has(c.verdict)) && (!q || searchText(c).includes(q))
    );
  }, [input.chains, search, verdicts]);

  if (data.state === LoadingState.Loading && input.chains.length === 0) {
    return <div className={styles.message}>Reading the audit streams…</div>;
  }
  if (data.state === LoadingState.Error) {
    return (
      <div className={styles.message} data-testid="panel-error">
        The query failed: {data.errors?.[0]?.message ?? 'unknown error'}. Check the Change Provenance data source
        settings (Save & test).
      </div>
    );
  }
  if (input.foreign) {
    return (
      <div className={styles.message} data-testid="panel-foreign">
        These frames are not Change Provenance chains. Use the Change Provenance data source in mode “Chains”.
      </div>
    );
  }
  const view = options.view ?? 'both';
  const showTimeline = view !== 'stories';
  const showStories = view !== 'timeline';
  const toggle = (v: string) => {
    const next = new Set(verdicts);
    if (next.has(v)) {
      next.delete(v);
    } else {
      next.add(v);
    }
    setVerdicts(next);
    // The selection is an index into the filtered list: it would point at another change.
    setSelected(-1);
  };
  return (
    <div className={styles.panel} style={{ width, height }} data-testid="provenance-panel">
      <div className={styles.toolbar}>
        <div style={{ flexShrink: 0, width: 300 }}>
          <Input
            aria-label="Search changes"
            placeholder="Search people, objects, apps, commits"
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setSelected(-1);
            }}
          />
        </div>
        {Object.keys(VERDICT_LABEL).map((v) => (
          <Button
            key={v}
            size="sm"
            variant={verdicts.has(v) ? 'primary' : 'secondary'}
            fill={verdicts.has(v) ? 'solid' : 'outline'}
            onClick={() => toggle(v)}
            aria-pressed={verdicts.has(v)}
          >
            {VERDICT_LABEL[v]}
          </Button>
        ))}
        <span className={styles.secondary} data-testid="panel-count">
          {shown.length} of {input.chains.length} changes
        </span>
      </div>
      {input.hidden > 0 && (
        <div className={styles.notice} data-testid="panel-truncated">
          {input.hidden} more changes are not shown (panel option “Max chains”); narrow the query or the time range.
        </div>
      )}
      {input.notices.map((n, i) => (
        <div key={i} className={styles.notice} data-testid="panel-notice">
          {n.text}
        </div>
      ))}
      {input.chains.length === 0 ? (
        <div className={styles.message} data-testid="panel-empty">
          No changes in this time range. Widen the range, or check that the audit streams reach Loki (data source Save &
          test).
        </div>
      ) : (
        <>
          {showTimeline && (
            <Timeline
              chains={shown}
              from={timeRange.from.valueOf()}
              to={timeRange.to.valueOf()}
              width={width}
              groupBy={options.groupBy ?? 'object'}
              timeZone={timeZone}
              selected={shown[selected]}
              onSelect={(c) => setSelected(shown.indexOf(c))}
              onBrush={(from, to) => onChangeTimeRange({ from, to })}
            />
          )}
          {showStories && (
            <div
              style={{
                flex: 1,
                minHeight: showTimeline ? height * (1 - TIMELINE_SHARE) - 60 : undefined,
                display: 'flex',
              }}
            >
              <StoryList
                chains={shown}
                selected={selected}
                showContext={options.showContext ?? true}
                timeZone={timeZone}
                onSelect={setSelected}
                onOpen={(i) => setOpen(shown[i])}
                viewportHeight={height}
              />
            </div>
          )}
        </>
      )}
      {open && (
        <ChainDetails chain={open} evidence={evidenceOf(data.series, open)} onClose={() => setOpen(undefined)} />
      )}
    </div>
  );
}
