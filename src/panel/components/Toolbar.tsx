import React from 'react';
import { Button, Dropdown, Icon, Input, Menu, ToolbarButton, Tooltip, useStyles2, useTheme2 } from '@grafana/ui';

import { VERDICT_LABEL } from '../story';
import { getPanelStyles, verdictColor } from './styles';

interface Props {
  search: string;
  onSearch: (text: string) => void;
  verdicts: Set<string>;
  onToggle: (verdict: string) => void;
  /** Six buttons, or one menu on a small tile. */
  kind: 'buttons' | 'menu';
  count: string;
  /** The count as it fits a tile ("4 of 10"), the whole sentence in its tooltip. */
  shortCount: string;
  /** Only on a tile too small for the timeline: a button that shows it. */
  timelineToggle?: { shown: boolean; onToggle: () => void };
  /** What can be done with the changes shown (the report buttons), after the count. */
  actions?: React.ReactNode;
}

const VERDICTS = Object.keys(VERDICT_LABEL);

/** Search, the verdict filter (each verdict with its colour: the timeline's legend), and the count. */
export function Toolbar({
  search,
  onSearch,
  verdicts,
  onToggle,
  kind,
  count,
  shortCount,
  timelineToggle,
  actions,
}: Props) {
  const styles = useStyles2(getPanelStyles);
  const theme = useTheme2();
  const swatch = (v: string) => (
    <span className={styles.swatch} style={{ background: verdictColor(theme, v) }} aria-hidden data-testid="swatch" />
  );
  const menu = (
    <Menu>
      {VERDICTS.map((v) => (
        <Menu.Item
          key={v}
          label={VERDICT_LABEL[v]}
          role="menuitemcheckbox"
          ariaChecked={verdicts.has(v)}
          icon={verdicts.has(v) ? 'check' : 'circle-mono'}
          iconColor={verdictColor(theme, v)}
          onClick={(e) => {
            // Several verdicts are picked in one visit: the menu stays open.
            e.preventDefault();
            e.stopPropagation();
            onToggle(v);
          }}
        />
      ))}
    </Menu>
  );
  return (
    <div className={styles.toolbar} data-testid="panel-toolbar">
      <div className={styles.search}>
        <Input
          aria-label="Search changes"
          placeholder={kind === 'menu' ? 'Search' : 'Search: kim, app:shop, verdict:rollback'}
          prefix={<Icon name="search" />}
          value={search}
          onChange={(e) => onSearch(e.currentTarget.value)}
        />
      </div>
      {kind === 'buttons' ? (
        VERDICTS.map((v) => (
          <Button
            key={v}
            size="sm"
            variant={verdicts.has(v) ? 'primary' : 'secondary'}
            fill={verdicts.has(v) ? 'solid' : 'outline'}
            onClick={() => onToggle(v)}
            aria-pressed={verdicts.has(v)}
          >
            {swatch(v)}
            {VERDICT_LABEL[v]}
          </Button>
        ))
      ) : (
        <Dropdown overlay={menu} placement="bottom-start">
          <ToolbarButton icon="filter" aria-label="Verdicts" variant={verdicts.size > 0 ? 'active' : 'default'}>
            {verdicts.size > 0 ? `Verdicts (${verdicts.size})` : 'Verdicts'}
          </ToolbarButton>
        </Dropdown>
      )}
      {timelineToggle && (
        <ToolbarButton
          icon="chart-line"
          aria-label={timelineToggle.shown ? 'Hide the timeline' : 'Show the timeline'}
          aria-pressed={timelineToggle.shown}
          variant={timelineToggle.shown ? 'active' : 'default'}
          onClick={timelineToggle.onToggle}
          tooltip="The timeline: a one-row strip of when the changes happened"
        />
      )}
      <Tooltip content={count}>
        <span className={styles.count} data-testid="panel-count" aria-label={count}>
          {kind === 'menu' ? shortCount : count}
        </span>
      </Tooltip>
      {actions}
    </div>
  );
}
