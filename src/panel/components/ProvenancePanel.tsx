import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import type { ProvenancePanelOptions } from '../types';

const getStyles = (theme: GrafanaTheme2) => ({
  empty: css`
    padding: ${theme.spacing(2)};
    color: ${theme.colors.text.secondary};
  `,
});

/** Placeholder: the story list, timeline and details drawer arrive with the panel issue. */
export function ProvenancePanel({ data }: PanelProps<ProvenancePanelOptions>) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.empty} data-testid="provenance-panel">
      Change provenance: {data.series.length} frame(s) received; the story view arrives in a later version.
    </div>
  );
}
