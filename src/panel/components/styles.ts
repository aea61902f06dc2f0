import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

const VERDICT_COLOR: Record<string, string> = {
  'gitops-sync': 'green',
  'gitops-rollback': 'orange',
  'manual-drift': 'red',
  manual: 'yellow',
  controller: 'blue',
  unknown: 'gray',
};

export function verdictColor(theme: GrafanaTheme2, verdict: string): string {
  return theme.visualization.getColorByName(VERDICT_COLOR[verdict] ?? 'gray');
}

export const getPanelStyles = (theme: GrafanaTheme2) => ({
  panel: css({
    display: 'flex',
    flexDirection: 'column',
    height: '100%',
    gap: theme.spacing(1),
    color: theme.colors.text.primary,
  }),
  toolbar: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', flexWrap: 'wrap' }),
  message: css({ padding: theme.spacing(2), color: theme.colors.text.secondary }),
  notice: css({ fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.warning.text }),
  // A layout boundary: measuring a card must not lay out the timeline and the toolbar again.
  list: css({
    flex: 1,
    overflow: 'auto',
    outline: 'none',
    contain: 'strict',
    '&:focus-visible': { boxShadow: theme.shadows.z2 },
  }),
  card: css({
    position: 'absolute',
    left: 0,
    right: 0,
    padding: theme.spacing(1, 1.5),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    cursor: 'pointer',
    overflow: 'hidden',
    overflowWrap: 'anywhere',
    '&:hover': { background: theme.colors.action.hover },
  }),
  selected: css({ background: theme.colors.action.selected }),
  line: css({
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'baseline',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
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
    color: theme.colors.background.primary,
    flexShrink: 0,
  }),
  time: css({ color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums', flexShrink: 0 }),
  timeline: css({ flexShrink: 0, userSelect: 'none' }),
  evidence: css({ margin: theme.spacing(0.5, 0, 1, 2), color: theme.colors.text.secondary }),
  record: css({ marginBottom: theme.spacing(1) }),
  rawLine: css({
    margin: theme.spacing(0.5, 0),
    maxHeight: 160,
    overflow: 'auto',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
