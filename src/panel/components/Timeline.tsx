import React, { useMemo, useRef, useState } from 'react';
import { dateTimeFormat } from '@grafana/data';
import { Tooltip, useStyles2, useTheme2 } from '@grafana/ui';

import type { Chain } from '../../core';
import { objectText, VERDICT_LABEL } from '../story';
import { TIMELINE_AXIS, TIMELINE_ROW, STRIP_HEIGHT } from '../layout';
import type { GroupBy } from '../types';
import { Clipped } from './Clipped';
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
  /** Rows (one per object, person or app) or a one-row density strip for a small tile. */
  mode?: 'rows' | 'strip';
  maxRows?: number;
  labelWidth?: number;
}

const ROW = TIMELINE_ROW;
const AXIS = TIMELINE_AXIS;
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
/** Which verdict a strip mark shows when changes of several share it: the one a person should look at first. */
const URGENCY: Record<string, number> = {
  'manual-drift': 5,
  manual: 4,
  'gitops-rollback': 3,
  unknown: 2,
  controller: 1,
  'gitops-sync': 0,
};

/** What a mark says, in the words of the cards: for the tooltip and for screen readers. */
function markWords(d: Dot, timeZone: string): string {
  const c = d.chain;
  const at =
    c.effect.time === undefined ? '' : ` at ${dateTimeFormat(c.effect.time, { timeZone, format: 'HH:mm:ss' })}`;
  const what = `${objectText(c.effect)} by ${c.who.name}${at}`;
  const verdict = VERDICT_LABEL[c.verdict] ?? c.verdict;
  return d.count > 1 ? `${d.count} changes; ${verdict}: ${what} and more` : `${verdict}: ${what}`;
}

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
  /** The verdict the mark was made for (its chain may show another, more urgent one on the strip). */
  verdict: string;
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
  left: number,
  /** The row of the change at an index of `chains` (-1: the strip). */
  rowOf: (index: number) => number,
  selected: Chain | undefined
): Dot[] {
  // Numbers, not strings, as the keys of a cell (row and pixel): one string per mark, not one per change.
  const cells = new Map<number, Dot[]>();
  const dots: Dot[] = [];
  for (let i = 0; i < chains.length; i++) {
    const c = chains[i];
    const t = c.effect.time;
    if (t === undefined || t < from || t > to) {
      continue;
    }
    const x = left + BUCKET * Math.round(((t - from) / Math.max(1, to - from)) * (plot / BUCKET));
    const row = rowOf(i);
    const cellKey = (row + 1) * 1e7 + x;
    const cell = cells.get(cellKey) ?? [];
    if (cell.length === 0) {
      cells.set(cellKey, cell);
    }
    // The strip has one mark per pixel bucket, drawn in the verdict that most needs a look.
    const dot = row < 0 ? cell[0] : cell.find((d) => d.verdict === c.verdict);
    if (dot) {
      dot.count++;
      // The selected change keeps its mark; otherwise the most urgent verdict shows.
      if (dot.chain !== selected && (c === selected || URGENCY[c.verdict] > URGENCY[dot.chain.verdict])) {
        dot.chain = c;
      }
    } else {
      const fresh = {
        key: row < 0 ? `${x}` : `${row}:${x}:${c.verdict}`,
        x,
        row,
        chain: c,
        count: 1,
        verdict: c.verdict,
      };
      cell.push(fresh);
      dots.push(fresh);
    }
  }
  return dots;
}

/**
 * Changes on a time axis, one row per group (or one density strip), coloured by verdict. Drag to zoom the
 * dashboard's time range; with the keyboard, arrows move between marks, Enter selects, + and − zoom.
 */
export function Timeline({
  chains,
  from,
  to,
  width,
  groupBy,
  timeZone,
  selected,
  onSelect,
  onBrush,
  mode = 'rows',
  maxRows = 12,
  labelWidth = 180,
}: Props) {
  const styles = useStyles2(getPanelStyles);
  const theme = useTheme2();
  const strip = mode === 'strip';
  // Each change's row name, worked out once per change (it was three times: twice to count the rows, once to place).
  const groups = useMemo(() => (strip ? [] : chains.map((c) => groupOf(c, groupBy))), [chains, groupBy, strip]);
  const rows = useMemo(() => {
    if (strip) {
      return [];
    }
    const counts = new Map<string, number>();
    groups.forEach((g) => counts.set(g, (counts.get(g) ?? 0) + 1));
    const top = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, counts.size > maxRows ? maxRows - 1 : maxRows)
      .map(([k]) => k);
    return top.length < counts.size ? [...top, 'other'] : top;
  }, [groups, maxRows, strip]);
  const left = strip ? 8 : labelWidth;
  const plot = Math.max(10, width - left - 8);
  const axisY = strip ? STRIP_HEIGHT : rows.length * ROW + 4;
  const height = axisY + AXIS;
  const ticks = ticksOf(from, to, plot);
  const [brush, setBrush] = useState<[number, number] | undefined>();
  const [hover, setHover] = useState<number | undefined>();
  const [focus, setFocus] = useState<number | undefined>();
  const svg = useRef<SVGSVGElement>(null);
  const localX = (e: React.MouseEvent) => e.clientX - (svg.current?.getBoundingClientRect().left ?? 0);
  const timeAt = (px: number) => from + ((Math.min(Math.max(px, left), left + plot) - left) / plot) * (to - from);
  const dots = useMemo(() => {
    const rowIndex = new Map(rows.map((r, i) => [r, i]));
    const rowOf = strip ? () => -1 : (i: number) => rowIndex.get(groups[i]) ?? rows.length - 1;
    // Left to right, so the arrow keys walk through time.
    return dotsOf(chains, from, to, plot, left, rowOf, selected).sort((a, b) => a.x - b.x || a.row - b.row);
  }, [chains, from, to, plot, left, rows, groups, selected, strip]);
  const most = dots.reduce((m, d) => Math.max(m, d.count), 1);
  const cy = (d: Dot) => (strip ? STRIP_HEIGHT / 2 : d.row * ROW + ROW / 2);
  /** Many changes in one mark grow a bar with the log of their count: density, not a solid band. */
  const barHeight = (d: Dot) => {
    const room = (strip ? STRIP_HEIGHT : ROW) - 4;
    return Math.max(6, room * (0.35 + (0.65 * Math.log(d.count)) / Math.log(Math.max(2, most))));
  };
  const roving = Math.min(focus ?? 0, dots.length - 1);
  const focusMark = (i: number) => {
    setFocus(i);
    svg.current?.querySelector<SVGElement>(`[data-mark="${i}"]`)?.focus();
  };
  const zoom = (factor: number) => {
    const center =
      focus !== undefined && dots[focus] ? (dots[focus].chain.effect.time ?? (from + to) / 2) : (from + to) / 2;
    const span = Math.round((to - from) * factor);
    const start = Math.round(center - span / 2);
    onBrush(start, start + span);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const i = focus ?? 0;
    const moves: Record<string, number> = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: dots.length - 1 };
    if (e.key in moves && dots.length > 0) {
      e.preventDefault();
      focusMark(Math.min(dots.length - 1, Math.max(0, moves[e.key])));
    } else if ((e.key === 'Enter' || e.key === ' ') && focus !== undefined && dots[focus]) {
      e.preventDefault();
      onSelect(dots[focus].chain);
    } else if (e.key === '+' || e.key === '=') {
      e.preventDefault();
      zoom(0.5);
    } else if (e.key === '-') {
      e.preventDefault();
      zoom(2);
    }
  };
  const tipped = hover ?? focus;
  const tip = tipped !== undefined ? dots[tipped] : undefined;
  const tickX = (at: number) => left + ((at - from) / Math.max(1, to - from)) * plot;
  return (
    <div style={{ position: 'relative', flexShrink: 0 }}>
      <svg
        ref={svg}
        width={width}
        height={height}
        className={styles.timeline}
        data-testid="timeline"
        role="group"
        aria-label={`Changes over time, ${dots.length} marks: arrow keys move between them, Enter selects, + and − zoom`}
        onKeyDown={onKeyDown}
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
        {strip && (
          <line
            x1={left}
            x2={left + plot}
            y1={STRIP_HEIGHT / 2}
            y2={STRIP_HEIGHT / 2}
            stroke={theme.colors.border.weak}
          />
        )}
        {rows.map((r, i) => (
          <g key={r}>
            <line
              x1={left}
              x2={left + plot}
              y1={i * ROW + ROW / 2}
              y2={i * ROW + ROW / 2}
              stroke={theme.colors.border.weak}
            />
            <foreignObject x={0} y={i * ROW} width={left - 6} height={ROW}>
              <div className={styles.rowLabel}>
                <Clipped text={r} />
              </div>
            </foreignObject>
          </g>
        ))}
        {ticks.map((t) => (
          <text
            key={t.at}
            x={Math.min(Math.max(tickX(t.at), left + 16), left + plot - 16)}
            y={axisY + 14}
            textAnchor="middle"
            fontSize={11}
            fill={theme.colors.text.secondary}
            data-testid="timeline-tick"
          >
            {dateTimeFormat(t.at, { timeZone, format: t.format })}
          </text>
        ))}
        {dots.map((d, i) => {
          const color = verdictColor(theme, d.chain.verdict);
          const picked = d.chain === selected;
          const common = {
            fill: color,
            stroke: picked || i === focus ? theme.colors.text.primary : 'none',
            strokeWidth: 2,
            className: styles.focusedMark,
            'data-testid': 'timeline-dot',
            'data-count': d.count,
            'data-verdict': d.chain.verdict,
            'data-mark': i,
            tabIndex: i === roving ? 0 : -1,
            role: 'button',
            'aria-label': markWords(d, timeZone),
            'aria-pressed': picked,
            onMouseDown: (e: React.MouseEvent) => e.stopPropagation(),
            onClick: () => onSelect(d.chain),
            onMouseEnter: () => setHover(i),
            onMouseLeave: () => setHover(undefined),
            onFocus: () => setFocus(i),
            onBlur: () => setFocus(undefined),
          };
          if (d.count > 1) {
            const h = barHeight(d);
            return <rect key={d.key} {...common} x={d.x - 2.5} y={cy(d) - h / 2} width={5} height={h} rx={1.5} />;
          }
          return <circle key={d.key} {...common} cx={d.x} cy={cy(d)} r={picked ? 6 : 4} />;
        })}
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
      {tip && (
        // One Grafana tooltip, anchored on the mark the pointer or the keyboard is on.
        <Tooltip content={markWords(tip, timeZone)} show placement="top">
          <span
            aria-hidden
            data-testid="timeline-tooltip-anchor"
            style={{
              position: 'absolute',
              left: tip.x - 4,
              top: cy(tip) - 4,
              width: 8,
              height: 8,
              pointerEvents: 'none',
            }}
          />
        </Tooltip>
      )}
    </div>
  );
}
