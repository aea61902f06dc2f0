import React from 'react';
import { cx } from '@emotion/css';
import { dateTimeFormat } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import type { Chain } from '../../core';
import { effectText, gitopsText, pathText } from '../story';
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
}

/** One change as a short story: verdict, what, who and from where, through what, and the context. */
export function StoryCard({ chain: c, selected, showContext, timeZone, onSelect, style, measureRef, index }: Props) {
  const styles = useStyles2(getPanelStyles);
  const path = pathText(c);
  const gitops = gitopsText(c);
  return (
    <div
      ref={measureRef}
      data-index={index}
      className={cx(styles.card, selected && styles.selected)}
      style={style}
      onClick={onSelect}
      role="option"
      aria-selected={selected}
      data-testid="story-card"
    >
      <div className={styles.line}>
        <span className={styles.time}>
          {c.effect.time === undefined
            ? 'no time'
            : dateTimeFormat(c.effect.time, { timeZone, format: 'YYYY-MM-DD HH:mm:ss' })}
        </span>
        <VerdictBadge verdict={c.verdict} />
        <span dir="auto">{effectText(c)}</span>
      </div>
      <div className={styles.secondary} dir="auto">
        by <strong>{c.who.name}</strong>
        {c.who.ip ? ` from ${c.who.ip}` : ''}
        {path.length ? ` · ${path.join(' · ')}` : ''}
      </div>
      {gitops && (
        <div className={styles.secondary} dir="auto">
          {gitops}
        </div>
      )}
      {showContext &&
        c.context.map((x, i) => (
          <div key={i} className={styles.secondary} dir="auto">
            context: {x.summary}
          </div>
        ))}
    </div>
  );
}
