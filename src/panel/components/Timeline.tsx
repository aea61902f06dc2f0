import React, { useMemo, useRef, useState } from 'react';
import { useStyles2, useTheme2 } from '@grafana/ui';

import type { Chain } from '../../core';
import { objectText } from '../story';
import type { GroupBy } from '../types';
import { getPanelStyles, verdictColor } from './styles';

interface Props {
  chains: Chain[];
  from: number;
  to: number;
  width: number;
  groupBy: GroupBy;
  selected: Chain | undefined;
  onSelect: (c: Chain) => void;
  /** A brushed range, to zoom the dashboard. */
  onBrush: (from: number, to: number) => void;
}

const ROW = 18;
const LABEL = 180;
const MAX_ROWS = 12;

function groupOf(c: Chain, by: GroupBy): string {
  return by === 'actor' ? c.who.name : by === 'app' ? (c.gitops?.app ?? '(no app)') : objectText(c.effect);
}

/** Changes on a time axis, one row per group, coloured by verdict; drag to zoom the dashboard's time range. */
export function Timeline({ chains, from, to, width, groupBy, selected, onSelect, onBrush }: Props) {
  const styles = useStyles2(getPanelStyles);
  const theme = useTheme2();
  const rows = useMemo(() => {
    const counts = new Map<string, number>();
    chains.forEach((c) => counts.set(groupOf(c, groupBy), (counts.get(groupOf(c, groupBy)) ?? 0) + 1));
    const top = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_ROWS)
      .map(([k]) => k);
    return top.length < counts.size ? [...top, 'other'] : top;
  }, [chains, groupBy]);
  const plot = Math.max(10, width - LABEL - 8);
  const x = (t: number) => LABEL + ((t - from) / Math.max(1, to - from)) * plot;
  const height = rows.length * ROW + 16;
  const [brush, setBrush] = useState<[number, number] | undefined>();
  const svg = useRef<SVGSVGElement>(null);
  const localX = (e: React.MouseEvent) => e.clientX - (svg.current?.getBoundingClientRect().left ?? 0);
  const timeAt = (px: number) => from + ((Math.min(Math.max(px, LABEL), LABEL + plot) - LABEL) / plot) * (to - from);
  const rowOf = (c: Chain) => {
    const i = rows.indexOf(groupOf(c, groupBy));
    return i === -1 ? rows.length - 1 : i;
  };
  return (
    <svg
      ref={svg}
      width={width}
      height={height}
      className={styles.timeline}
      data-testid="timeline"
      role="img"
      aria-label="Changes over time"
      onMouseDown={(e) => setBrush([localX(e), localX(e)])}
      onMouseMove={(e) => brush && setBrush([brush[0], localX(e)])}
      onMouseUp={() => {
        if (brush && Math.abs(brush[1] - brush[0]) > 4) {
          const [a, b] = [timeAt(Math.min(...brush)), timeAt(Math.max(...brush))];
          onBrush(Math.round(a), Math.round(b));
        }
        setBrush(undefined);
      }}
    >
      {rows.map((r, i) => (
        <g key={r}>
          <line
            x1={LABEL}
            x2={LABEL + plot}
            y1={i * ROW + ROW / 2}
            y2={i * ROW + ROW / 2}
            stroke={theme.colors.border.weak}
          />
          <text
            x={LABEL - 6}
            y={i * ROW + ROW / 2 + 4}
            textAnchor="end"
            fontSize={11}
            fill={theme.colors.text.secondary}
          >
            {r.length > 28 ? r.slice(0, 27) + '…' : r}
          </text>
        </g>
      ))}
      {chains.map((c, i) =>
        c.effect.time === undefined || c.effect.time < from || c.effect.time > to ? null : (
          <circle
            key={i}
            cx={x(c.effect.time)}
            cy={rowOf(c) * ROW + ROW / 2}
            r={c === selected ? 6 : 4}
            fill={verdictColor(theme, c.verdict)}
            stroke={c === selected ? theme.colors.text.primary : 'none'}
            data-testid="timeline-dot"
            onMouseDown={(e) => e.stopPropagation()}
            onClick={() => onSelect(c)}
          >
            <title>{`${c.verdict}: ${objectText(c.effect)} by ${c.who.name}`}</title>
          </circle>
        )
      )}
      {brush && (
        <rect
          x={Math.min(...brush)}
          y={0}
          width={Math.abs(brush[1] - brush[0])}
          height={height}
          fill={theme.colors.primary.transparent}
          data-testid="brush"
        />
      )}
    </svg>
  );
}
