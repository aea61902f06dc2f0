import React, { useMemo, useState } from 'react';
import { LoadingState, systemDateFormats, type PanelProps } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';

import type { Chain } from '../../core';
import { chainsFromFrames } from '../chainsFromFrames';
import { evidenceOf } from '../explore';
import { groupRepeats, type StoryItem } from '../group';
import { layoutOf } from '../layout';
import { consequencesText, foldConsequences, foldedMatch } from '../fold';
import { parseSearch } from '../search';
import { countText } from '../story';
import type { ProvenancePanelOptions } from '../types';
import { ChainDetails } from './ChainDetails';
import { ConsequenceList } from './ConsequenceList';
import { Notices } from './Notices';
import { ReportButtons } from './ReportButtons';
import { StoryList } from './StoryList';
import { getPanelStyles } from './styles';
import { Timeline } from './Timeline';
import { Toolbar } from './Toolbar';

const DAY_MS = 86_400_000;

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
  const [open, setOpen] = useState<StoryItem | undefined>();
  const [timelineShown, setTimelineShown] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const terms = useMemo(() => parseSearch(search), [search]);
  // Consequences fold under their cause: the cards are the causes, the search looks into what they set off too.
  const fold = useMemo(() => foldConsequences(input.chains), [input.chains]);
  const matching = useMemo(() => {
    const m = new Map<Chain, number>();
    for (const c of fold.roots) {
      const n =
        verdicts.size === 0 || verdicts.has(c.verdict) ? foldedMatch(c, fold.consequencesOf(c), terms) : undefined;
      if (n !== undefined) {
        m.set(c, n);
      }
    }
    return m;
  }, [fold, terms, verdicts]);
  const shown = useMemo(() => fold.roots.filter((c) => matching.has(c)), [fold, matching]);
  const group = options.groupRepeats ?? true;
  const items = useMemo(
    () =>
      (group ? groupRepeats(shown) : shown.map((c) => ({ chain: c, repeats: [c] }))).map((item): StoryItem => {
        const consequences = item.repeats.flatMap(fold.consequencesOf);
        const matched = item.repeats.reduce((n, c) => n + (matching.get(c) ?? 0), 0);
        return consequences.length ? { ...item, consequences, matching: matched } : item;
      }),
    [shown, group, fold, matching]
  );
  const foldedShown = items.reduce((n, item) => n + (item.consequences?.length ?? 0), 0);
  /** The card a timeline mark's change is on, looked for on a click rather than indexed on every render. */
  const itemOf = (c: Chain) => items.findIndex((item) => item.repeats.includes(c));

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
  const layout = layoutOf(width, height);
  const view = options.view ?? 'both';
  const showStories = view !== 'timeline';
  // With the stories hidden by the option, the timeline is all there is: always show it, as rows.
  const timelineMode = !showStories ? 'rows' : layout.timeline === 'toggle' ? 'strip' : layout.timeline;
  const showTimeline = view !== 'stories' && (layout.timeline !== 'toggle' || timelineShown || !showStories);
  // The selection is an index into the filtered list: a new filter would make it point at another change.
  const toggle = (v: string) => {
    const next = new Set(verdicts);
    if (next.has(v)) {
      next.delete(v);
    } else {
      next.add(v);
    }
    setVerdicts(next);
    setSelected(-1);
  };
  const clearFilters = () => {
    setSearch('');
    setVerdicts(new Set());
    setSelected(-1);
  };
  const count = countText(shown.length, fold.roots.length, input.hidden) + consequencesText(foldedShown);
  return (
    <div className={styles.panel} style={{ width, height }} data-testid="provenance-panel" data-layout={layout.toolbar}>
      {input.chains.length > 0 && (
        <Toolbar
          search={search}
          onSearch={(text) => {
            setSearch(text);
            setSelected(-1);
          }}
          verdicts={verdicts}
          onToggle={toggle}
          kind={layout.toolbar}
          count={count}
          shortCount={`${shown.length} of ${input.chains.length + input.hidden}`}
          timelineToggle={
            layout.timeline === 'toggle' && view === 'both'
              ? { shown: timelineShown, onToggle: () => setTimelineShown(!timelineShown) }
              : undefined
          }
          actions={
            layout.toolbar === 'buttons' && shown.length > 0 ? (
              <ReportButtons
                series={data.series}
                chains={shown}
                timeZone={timeZone}
                question={search.trim() || undefined}
              />
            ) : undefined
          }
        />
      )}
      <Notices notices={input.notices} />
      {input.chains.length === 0 ? (
        <div className={styles.message} data-testid="panel-empty">
          No changes in this time range. Widen the range, or check that the audit streams reach Loki (data source Save &
          test).
        </div>
      ) : shown.length === 0 ? (
        <div className={styles.message} data-testid="panel-no-match">
          <p>No change matches {search.trim() ? `“${search.trim()}”` : 'the verdicts picked'}.</p>
          <Button size="sm" variant="secondary" icon="times" onClick={clearFilters}>
            Clear search and filters
          </Button>
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
              selected={items[selected]?.chain}
              onSelect={(c) => setSelected(itemOf(c))}
              onBrush={(from, to) => onChangeTimeRange({ from, to })}
              mode={timelineMode}
              maxRows={showStories ? layout.timelineRows : Math.max(2, Math.floor((height - 60) / 18))}
              labelWidth={layout.labelWidth}
            />
          )}
          {showStories && (
            <div className={styles.listArea}>
              <StoryList
                items={items}
                selected={selected}
                showContext={options.showContext ?? true}
                timeZone={timeZone}
                onSelect={setSelected}
                onOpen={(i) => setOpen(items[i])}
                expanded={expanded}
                onToggleConsequences={(i) => {
                  const id = items[i].chain.id;
                  const next = new Set(expanded);
                  if (!next.delete(id)) {
                    next.add(id);
                  }
                  setExpanded(next);
                }}
                viewportHeight={height}
                terms={terms}
                compact={layout.compactCards}
                timeFormat={
                  !layout.shortTimes
                    ? undefined
                    : timeRange.to.valueOf() - timeRange.from.valueOf() > DAY_MS
                      ? systemDateFormats.interval.hour
                      : systemDateFormats.interval.minute
                }
              />
            </div>
          )}
        </>
      )}
      {open && (
        <ChainDetails
          chain={open.chain}
          repeats={open.repeats}
          evidence={evidenceOf(data.series, open.chain)}
          timeZone={timeZone}
          onClose={() => setOpen(undefined)}
          actions={<ReportButtons series={data.series} chains={[open.chain]} timeZone={timeZone} />}
        >
          {open.consequences?.length ? (
            <ConsequenceList
              consequences={open.consequences}
              timeZone={timeZone}
              urlOf={(c) => evidenceOf(data.series, c).effectUrl}
            />
          ) : null}
        </ChainDetails>
      )}
    </div>
  );
}
