import { css } from '@emotion/css';
import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';

/**
 * Palette shades that keep 3:1 against the panel's background in each theme (WCAG 1.4.11 for graphics; the
 * browser test measures them). On white no yellow reaches 3:1, so a person's change is purple in both themes.
 */
const VERDICT_COLOR: Record<'light' | 'dark', Record<string, string>> = {
  dark: {
    'gitops-sync': 'green',
    'gitops-rollback': 'orange',
    'manual-drift': 'red',
    manual: 'purple',
    controller: 'blue',
    unknown: 'gray',
  },
  light: {
    'gitops-sync': 'semi-dark-green',
    'gitops-rollback': 'dark-orange',
    'manual-drift': 'semi-dark-red',
    manual: 'purple',
    controller: 'blue',
    unknown: 'gray',
  },
};

export function verdictColor(theme: GrafanaTheme2, verdict: string): string {
  return theme.visualization.getColorByName(VERDICT_COLOR[theme.colors.mode][verdict] ?? 'gray');
}

/** Black or white, whichever reads better on the badge: one of them always reaches 4.5:1. */
export function textOn(background: string): string {
  const black = colorManipulator.getContrastRatio('#000000', background);
  const white = colorManipulator.getContrastRatio('#ffffff', background);
  return black >= white ? '#000000' : '#ffffff';
}

/** Grafana's focus ring, drawn with the theme's tokens. */
function getFocusRing(theme: GrafanaTheme2) {
  return {
    outline: '2px dotted transparent',
    outlineOffset: '2px',
    boxShadow: `0 0 0 2px ${theme.colors.background.canvas}, 0 0 0px 4px ${theme.colors.primary.main}`,
  };
}

export const getPanelStyles = (theme: GrafanaTheme2) => ({
  panel: css({
    display: 'flex',
    flexDirection: 'column',
    height: '100%',
    gap: theme.spacing(1),
    color: theme.colors.text.primary,
  }),
  toolbar: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', minWidth: 0, flexShrink: 0 }),
  search: css({ flex: '1 1 160px', minWidth: 100, maxWidth: 360 }),
  count: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
    marginLeft: 'auto',
    flexShrink: 0,
  }),
  swatch: css({
    display: 'inline-block',
    width: 10,
    height: 10,
    borderRadius: theme.shape.radius.circle,
    marginRight: theme.spacing(0.75),
    flexShrink: 0,
  }),
  message: css({ padding: theme.spacing(2), color: theme.colors.text.secondary }),
  notices: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    minWidth: 0,
    flexShrink: 0,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
  }),
  moreNotices: css({
    background: 'none',
    border: 'none',
    padding: 0,
    flexShrink: 0,
    color: theme.colors.text.link,
    fontSize: 'inherit',
    cursor: 'pointer',
  }),
  clip: css({ display: 'block', minWidth: 0, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }),
  mark: css({
    background: theme.colors.primary.transparent,
    color: 'inherit',
    padding: 0,
    borderRadius: theme.shape.radius.default,
    fontWeight: theme.typography.fontWeightMedium,
  }),
  listArea: css({ flex: '1 1 0', minHeight: 0, display: 'flex' }),
  // A layout boundary: measuring a card must not lay out the timeline and the toolbar again.
  list: css({
    flex: 1,
    overflow: 'auto',
    outline: 'none',
    contain: 'strict',
    '&:focus-visible': { ...getFocusRing(theme) },
  }),
  /** The change the keyboard is on, when the list has focus (aria-activedescendant keeps focus on the list). */
  active: css({
    '[role=listbox]:focus-visible &': { outline: `2px solid ${theme.colors.primary.border}`, outlineOffset: -2 },
  }),
  card: css({
    position: 'absolute',
    left: 0,
    right: 0,
    padding: theme.spacing(1, 1.5),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    cursor: 'pointer',
    overflow: 'hidden',
    '&:hover': { background: theme.colors.action.hover },
  }),
  selected: css({ background: theme.colors.action.selected }),
  line: css({
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'baseline',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    minWidth: 0,
  }),
  secondary: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  badge: css({
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0, 0.75),
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    whiteSpace: 'nowrap',
    flexShrink: 0,
  }),
  time: css({ color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums', flexShrink: 0 }),
  timeline: css({ flexShrink: 0, userSelect: 'none', display: 'block', '& :focus-visible': { outline: 'none' } }),
  focusedMark: css({ outline: 'none', cursor: 'pointer' }),
  rowLabel: css({
    fontSize: 11,
    lineHeight: `${18}px`,
    textAlign: 'right',
    color: theme.colors.text.secondary,
  }),
  evidence: css({ margin: theme.spacing(0.5, 0, 1, 2), color: theme.colors.text.secondary }),
  record: css({ marginBottom: theme.spacing(1) }),
  /** The drawer's changed fields and links: indented like the evidence, in the primary text colour. */
  diffList: css({ margin: theme.spacing(0.5, 0, 1, 2) }),
  rawLine: css({
    margin: theme.spacing(0.5, 0),
    maxHeight: 160,
    overflow: 'auto',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
