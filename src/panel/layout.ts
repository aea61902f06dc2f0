/**
 * What the panel shows at its own size. The list of stories gets the room first; the toolbar and the timeline
 * give way. Thresholds read off screenshots of the panel inside Grafana's PanelChrome (the browser tests take
 * them at 1600×900, 520×400, 380×260 and 400×900):
 * - six verdict buttons, a usable search box and the count need about 860 px: below, a verdict menu;
 * - a timeline of rows is worth its room from about 520 px of height; from 300 px a one-row density strip
 *   (40 px) still leaves two stories; below that the timeline waits behind a toggle;
 * - below 480 px of height a card keeps one context line, so two cards fit under the toolbar;
 * - below 700 px of width cards print the time of day, not the full date.
 */
export interface PanelLayout {
  toolbar: 'buttons' | 'menu';
  timeline: 'rows' | 'strip' | 'toggle';
  /** Rows the timeline may take (rows mode). */
  timelineRows: number;
  /** Width of the timeline's row labels. */
  labelWidth: number;
  compactCards: boolean;
  shortTimes: boolean;
}

export const TIMELINE_ROW = 18;
export const TIMELINE_AXIS = 20;
export const STRIP_HEIGHT = 24;
const MAX_ROWS = 12;

export function layoutOf(width: number, height: number): PanelLayout {
  const timeline = height >= 520 ? 'rows' : height >= 300 ? 'strip' : 'toggle';
  // At most about a third of the height: the rest is the list's.
  const rows = Math.max(2, Math.min(MAX_ROWS, Math.floor((height * 0.32 - TIMELINE_AXIS) / TIMELINE_ROW)));
  return {
    toolbar: width >= 860 ? 'buttons' : 'menu',
    timeline,
    timelineRows: rows,
    labelWidth: Math.round(Math.min(180, Math.max(90, width * 0.28))),
    compactCards: height < 480,
    shortTimes: width < 700,
  };
}
