import React from 'react';
import { useStyles2, useTheme2 } from '@grafana/ui';

import { VERDICT_LABEL } from '../story';
import { getPanelStyles, textOn, verdictColor } from './styles';

export function VerdictBadge({ verdict }: { verdict: string }) {
  const styles = useStyles2(getPanelStyles);
  const theme = useTheme2();
  const background = verdictColor(theme, verdict);
  return (
    <span className={styles.badge} style={{ background, color: textOn(background) }} data-testid="verdict-badge">
      {VERDICT_LABEL[verdict] ?? verdict}
    </span>
  );
}
