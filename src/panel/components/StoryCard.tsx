import React from 'react';
import { cx } from '@emotion/css';
import { dateTimeFormat, systemDateFormats } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import type { Chain } from '../../core';
import type { SearchTerm } from '../search';
import { effectText, gitopsText, pathText, repeatText } from '../story';
import { Clipped } from './Clipped';
import { FoldedConsequences } from './FoldedConsequences';
import { getPanelStyles } from './styles';
import { VerdictBadge } from './VerdictBadge';

interface Props {
  chain: Chain;
  selected: boolean;
  showContext: boolean;
  timeZone: string;
  onSelect: () => void;
  style: React.CSSProperties;
  /** Lets the list measure the card's real height. */
  measureRef?: (el: HTMLDivElement | null) => void;
  index?: number;
  /** The id aria-activedescendant names. */
  id?: string;
  terms?: SearchTerm[];
  /** A small tile: one context line. */
  compact?: boolean;
  /** A shorter time format (Grafana's, from the user's locale settings); default the full date. */
  timeFormat?: string;
  /** The run of identical changes this card stands for, itself first (newest first). */
  repeats?: Chain[];
  /** The consequences folded under the card, and how many of them the search matches. */
  consequences?: Chain[];
  matching?: number;
  /** The consequences listed on the card. */
  expanded?: boolean;
  onToggleConsequences?: () => void;
}

/** Grafana's full date format: the user's locale when Grafana is set to follow the browser. */
export const fullTime = () => systemDateFormats.fullDate;

/** One change as a short story: verdict, what, who and from where, through what, and the context. */
export function StoryCard({
  chain: c,
  selected,
  showContext,
  timeZone,
  onSelect,
  style,
  measureRef,
  index,
  id,
  terms = [],
  compact = false,
  timeFormat,
  repeats = [],
  consequences = [],
  matching,
  expanded = false,
  onToggleConsequences,
}: Props) {
  const styles = useStyles2(getPanelStyles);
  const path = pathText(c);
  const gitops = gitopsText(c);
  const t = c.effect.time;
  const shortTime = timeFormat !== undefined;
  const format = (at: number, short: boolean) =>
    dateTimeFormat(at, { timeZone, format: short ? (timeFormat ?? systemDateFormats.interval.minute) : fullTime() });
  const oldest = repeats.length > 1 ? repeats[repeats.length - 1].effect.time : undefined;
  // A run says its span: "11:58–12:03"; its first time is the oldest.
  const time =
    t === undefined
      ? 'no time'
      : oldest !== undefined
        ? `${format(oldest, shortTime)}–${dateTimeFormat(t, { timeZone, format: systemDateFormats.interval.minute })}`
        : format(t, shortTime);
  const what = repeats.length > 1 ? repeatText(c, repeats) : effectText(c);
  const context = showContext ? (compact ? c.context.slice(0, 1) : c.context) : [];
  return (
    <div
      ref={measureRef}
      id={id}
      data-index={index}
      className={cx(styles.card, selected && styles.selected, selected && styles.active)}
      style={style}
      onClick={onSelect}
      role="option"
      aria-selected={selected}
      data-testid="story-card"
      data-repeats={repeats.length > 1 ? repeats.length : undefined}
      data-consequences={consequences.length || undefined}
    >
      <div className={styles.line}>
        <Clipped
          className={styles.time}
          text={time}
          full={shortTime && t !== undefined ? format(t, false) : undefined}
        />
        <VerdictBadge verdict={c.verdict} />
        <Clipped text={what} terms={terms} field="what" />
      </div>
      <div className={styles.line}>
        <Clipped
          className={styles.secondary}
          text={`by ${c.who.name}${c.who.ip ? ` from ${c.who.ip}` : ''}${path.length ? ` · ${path.join(' · ')}` : ''}`}
          terms={terms}
          field="who"
        />
      </div>
      {gitops && (
        <div className={styles.line}>
          <Clipped className={styles.secondary} text={gitops} terms={terms} field={['app', 'commit', 'who']} />
        </div>
      )}
      {consequences.length > 0 && (
        <FoldedConsequences
          consequences={consequences}
          matching={terms.length > 0 ? matching : undefined}
          expanded={expanded}
          onToggle={onToggleConsequences}
          format={(at) => format(at, true)}
          terms={terms}
        />
      )}
      {context.map((x, i) => (
        <div key={i} className={styles.line}>
          <Clipped
            className={styles.secondary}
            text={`context: ${x.summary}${compact && c.context.length > 1 ? ` (+${c.context.length - 1} more)` : ''}`}
            terms={terms}
            field="context"
          />
        </div>
      ))}
    </div>
  );
}
