import React, { useMemo, useRef, useState } from 'react';
import { dateTimeFormat } from '@grafana/data';
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
  timeZone: string;
  selected: Chain | undefined;
  onSelect: (c: Chain) => void;
  /** A brushed range, to zoom the dashboard. */
  onBrush: (from: number, to: number) => void;
}

const ROW = 18;
const LABEL = 180;
const MAX_ROWS = 12;
const AXIS = 16;
const MINUTE = 60_000;
/** Tick steps a person reads easily, with the label each needs. */
const STEPS: Array<[number, string]> = [
  [MINUTE, 'HH:mm'],
  [5 * MINUTE, 'HH:mm'],
  [15 * MINUTE, 'HH:mm'],
  [30 * MINUTE, 'HH:mm'],
  [60 * MINUTE, 'HH:mm'],
  [3 * 60 * MINUTE, 'MM-DD HH:mm'],
  [6 * 60 * MINUTE, 'MM-DD HH:mm'],
  [12 * 60 * MINUTE, 'MM-DD HH:mm'],
  [24 * 60 * MINUTE, 'YYYY-MM-DD'],
  [7 * 24 * 60 * MINUTE, 'YYYY-MM-DD'],
];

/** Time-axis ticks: the smallest readable step that leaves about 120 px between labels. */
export function ticksOf(from: number, to: number, plot: number): Array<{ at: number; format: string }> {
  const want = Math.max(1, Math.floor(plot / 120));
  const [step, format] = STEPS.find(([ms]) => (to - from) / ms <= want) ?? [
    Math.ceil((to - from) / want / (24 * 60 * MINUTE)) * 24 * 60 * MINUTE,
    'YYYY-MM-DD',
  ];
  const out: Array<{ at: number; format: string }> = [];
  for (let at = Math.ceil(from / step) * step; at <= to; at += step) {
    out.push({ at, format });
  }
  return out;
}

/** Dots closer than this (px) on one row with one verdict are drawn as one, with its count. */
const BUCKET = 6;

function groupOf(c: Chain, by: GroupBy): string {
  return by === 'actor' ? c.who.name : by === 'app' ? (c.gitops?.app ?? '(no app)') : objectText(c.effect);
}

interface Dot {
  key: string;
  x: number;
  row: number;
  /** The chain a click opens: the first in the dot, or the selected one. */
  chain: Chain;
  count: number;
}

/**
 * One dot per row, pixel and verdict: ten thousand changes make at most a few thousand SVG nodes, so the page
 * stays quick to lay out, and a dot that stands for many says how many.
 */
function dotsOf(
  chains: Chain[],
  from: number,
  to: number,
  plot: number,
  rowOf: (c: Chain) => number,
  selected: Chain | undefined
): Dot[] {
  const byKey = new Map<string, Dot>();
  for (const c of chains) {
    const t = c.effect.time;
    if (t === undefined || t < from || t > to) {
      continue;
    }
    const x = LABEL + BUCKET * Math.round(((t - from) / Math.max(1, to - from)) * (plot / BUCKET));
    const row = rowOf(c);
    const key = `${row}:${x}:${c.verdict}`;
    const dot = byKey.get(key);
    if (dot) {
      dot.count++;
      dot.chain = c === selected ? c : dot.chain;
    } else {
      byKey.set(key, { key, x, row, chain: c, count: 1 });
    }
  }
  return [...byKey.values()];
}

/** Changes on a time axis, one row per group, coloured by verdict; drag to zoom the dashboard's time range. */
export function Timeline({ chains, from, to, width, groupBy, timeZone, selected, onSelect, onBrush }: Props) {
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
  const axisY = rows.length * ROW + 4;
  const height = axisY + AXIS;
  const ticks = ticksOf(from, to, plot);
  const [brush, setBrush] = useState<[number, number] | undefined>();
  const svg = useRef<SVGSVGElement>(null);
  const localX = (e: React.MouseEvent) => e.clientX - (svg.current?.getBoundingClientRect().left ?? 0);
  const timeAt = (px: number) => from + ((Math.min(Math.max(px, LABEL), LABEL + plot) - LABEL) / plot) * (to - from);
  const dots = useMemo(() => {
    const rowIndex = new Map(rows.map((r, i) => [r, i]));
    return dotsOf(chains, from, to, plot, (c) => rowIndex.get(groupOf(c, groupBy)) ?? rows.length - 1, selected);
  }, [chains, from, to, plot, rows, groupBy, selected]);
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
      {ticks.map((t) => (
        <text
          key={t.at}
          x={LABEL + ((t.at - from) / Math.max(1, to - from)) * plot}
          y={axisY + 12}
          textAnchor="middle"
          fontSize={11}
          fill={theme.colors.text.secondary}
          data-testid="timeline-tick"
        >
          {dateTimeFormat(t.at, { timeZone, format: t.format })}
        </text>
      ))}
      {dots.map((d) => (
        <circle
          key={d.key}
          cx={d.x}
          cy={d.row * ROW + ROW / 2}
          r={d.chain === selected ? 6 : d.count > 1 ? 5 : 4}
          fill={verdictColor(theme, d.chain.verdict)}
          stroke={d.chain === selected ? theme.colors.text.primary : 'none'}
          data-testid="timeline-dot"
          data-count={d.count}
          onMouseDown={(e) => e.stopPropagation()}
          onClick={() => onSelect(d.chain)}
        >
          <title>
            {d.count > 1
              ? `${d.count} changes (${d.chain.verdict}), first: ${objectText(d.chain.effect)} by ${d.chain.who.name}`
              : `${d.chain.verdict}: ${objectText(d.chain.effect)} by ${d.chain.who.name}`}
          </title>
        </circle>
      ))}
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
