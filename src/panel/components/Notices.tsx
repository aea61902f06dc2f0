import React from 'react';
import type { QueryResultMetaNotice } from '@grafana/data';
import { Icon, Toggletip, useStyles2, useTheme2 } from '@grafana/ui';

import { Clipped } from './Clipped';
import { getPanelStyles } from './styles';

const ORDER = ['error', 'warning', 'info'] as const;

/**
 * The query's notices on one line, each once, the most severe first with its colour and icon; the whole list
 * behind a toggletip. One line, so that on a tile they never push the stories out.
 */
export function Notices({ notices }: { notices: QueryResultMetaNotice[] }) {
  const styles = useStyles2(getPanelStyles);
  const theme = useTheme2();
  const unique = [...new Map(notices.map((n) => [`${n.severity}:${n.text}`, n])).values()].sort(
    (a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity)
  );
  if (unique.length === 0) {
    return null;
  }
  const worst = unique[0].severity;
  const color = worst === 'info' ? theme.colors.info.text : theme.colors[worst].text;
  const icon = worst === 'info' ? 'info-circle' : 'exclamation-triangle';
  const list = (
    <ul style={{ margin: 0, paddingLeft: 16 }} data-testid="panel-notice-list">
      {unique.map((n, i) => (
        <li key={i} dir="auto">
          {n.severity}: {n.text}
        </li>
      ))}
    </ul>
  );
  return (
    <div className={styles.notices} data-testid="panel-notices" data-severity={worst}>
      <Icon name={icon} style={{ color, flexShrink: 0 }} aria-label={worst} />
      <Clipped text={unique[0].text} />
      {unique.length > 1 && (
        <Toggletip content={list} placement="bottom-start" closeButton={false}>
          <button className={styles.moreNotices} type="button" data-testid="panel-notices-more">
            +{unique.length - 1} more
          </button>
        </Toggletip>
      )}
    </div>
  );
}
