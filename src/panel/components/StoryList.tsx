import React, { useEffect, useId, useRef } from 'react';
import { measureElement, useVirtualizer } from '@tanstack/react-virtual';
import { useStyles2 } from '@grafana/ui';

import type { StoryItem } from '../group';
import type { SearchTerm } from '../search';
import { getPanelStyles } from './styles';
import { MAX_CONSEQUENCES_ON_CARD } from './FoldedConsequences';
import { StoryCard } from './StoryCard';

interface Props {
  /** The cards: each a change, or a run of identical changes. */
  items: StoryItem[];
  selected: number;
  showContext: boolean;
  timeZone: string;
  onSelect: (index: number) => void;
  onOpen: (index: number) => void;
  viewportHeight: number;
  terms?: SearchTerm[];
  compact?: boolean;
  /** The cards' time format on a narrow panel; the full date otherwise. */
  timeFormat?: string;
  /** Ids of the cards whose consequences are listed on them. */
  expanded?: ReadonlySet<string>;
  onToggleConsequences?: (index: number) => void;
}

/** The folded consequences' line on a card, and their list when expanded. */
function consequencesHeight(item: StoryItem, expanded: ReadonlySet<string> | undefined): number {
  const n = item.consequences?.length ?? 0;
  if (n === 0) {
    return 0;
  }
  return 24 + (expanded?.has(item.chain.id) ? Math.min(n, MAX_CONSEQUENCES_ON_CARD + 1) * 18 : 0);
}

/**
 * Thousands of stories, rendering only those in view. A listbox: focus stays on the list and
 * aria-activedescendant names the selected card, so a screen reader reads it. Arrow keys, Home/End and
 * PageUp/PageDown move; Enter opens the details.
 */
export function StoryList({
  items,
  selected,
  showContext,
  timeZone,
  onSelect,
  onOpen,
  viewportHeight,
  terms,
  compact = false,
  timeFormat,
  expanded,
  onToggleConsequences,
}: Props) {
  const styles = useStyles2(getPanelStyles);
  const idPrefix = useId();
  const cardId = (i: number) => `${idPrefix}-change-${i}`;
  const parent = useRef<HTMLDivElement>(null);
  // TanStack Virtual returns fresh functions each render, which the React Compiler cannot memoize; this project
  // does not use the compiler, so the lint note does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parent.current,
    estimateSize: (i) =>
      58 +
      (items[i].chain.gitops ? 18 : 0) +
      (showContext ? Math.min(compact ? 1 : 99, items[i].chain.context.length) * 18 : 0) +
      consequencesHeight(items[i], expanded),
    overscan: 8,
    // A card that measures 0 is not laid out (a collapsed row, a hidden tab, jsdom): trusting it would make
    // every story fit the viewport and render them all, so keep the estimate until it has a real height.
    measureElement: (el, entry, instance) =>
      measureElement(el, entry, instance) || instance.options.estimateSize(instance.indexFromElement(el)),
    initialRect: { width: 800, height: viewportHeight },
    // A list not laid out yet (or in jsdom) measures 0: assume it fills the panel until it has a size.
    observeElementRect: (instance, cb) => {
      const el = instance.scrollElement;
      if (!el) {
        return undefined;
      }
      const measure = () => {
        const r = el.getBoundingClientRect();
        cb({ width: r.width || 800, height: r.height || viewportHeight });
      };
      measure();
      const ro = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(measure);
      ro?.observe(el);
      return () => ro?.disconnect();
    },
  });
  useEffect(() => {
    if (selected >= 0) {
      virtualizer.scrollToIndex(selected, { align: 'auto' });
    }
  }, [selected, virtualizer]);
  const onKeyDown = (e: React.KeyboardEvent) => {
    const last = items.length - 1;
    // A page: about as many cards as the list shows (a card is some 80 px), at least one.
    const page = Math.max(1, Math.floor((parent.current?.clientHeight || viewportHeight) / 80));
    const moves: Record<string, number> = {
      ArrowDown: selected + 1,
      ArrowUp: selected < 0 ? 0 : selected - 1,
      Home: 0,
      End: last,
      PageDown: Math.max(0, selected) + page,
      PageUp: selected - page,
    };
    if (e.key in moves && last >= 0) {
      e.preventDefault();
      onSelect(Math.min(last, Math.max(0, moves[e.key])));
    } else if (e.key === 'Enter' && selected >= 0) {
      onOpen(selected);
    }
  };
  return (
    <div
      ref={parent}
      className={styles.list}
      tabIndex={0}
      role="listbox"
      aria-label="Changes"
      aria-activedescendant={selected >= 0 && selected < items.length ? cardId(selected) : undefined}
      onKeyDown={onKeyDown}
      data-testid="story-list"
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => (
          <StoryCard
            key={item.key}
            chain={items[item.index].chain}
            repeats={items[item.index].repeats}
            selected={item.index === selected}
            showContext={showContext}
            timeZone={timeZone}
            onSelect={() => (item.index === selected ? onOpen(item.index) : onSelect(item.index))}
            style={{ top: item.start }}
            measureRef={virtualizer.measureElement}
            index={item.index}
            id={cardId(item.index)}
            terms={terms}
            compact={compact}
            timeFormat={timeFormat}
            consequences={items[item.index].consequences}
            matching={items[item.index].matching}
            expanded={expanded?.has(items[item.index].chain.id)}
            onToggleConsequences={() => onToggleConsequences?.(item.index)}
          />
        ))}
      </div>
    </div>
  );
}
