import React from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { sceneGraph, SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, Badge, LoadingBar, useStyles2, type BadgeColor } from '@grafana/ui';
import { css } from '@emotion/css';

import type { SourceHealth } from '../../core';

interface HealthState extends SceneObjectState {
  datasourceUid: string;
  loading?: boolean;
  sources?: SourceHealth[];
  error?: string;
}

interface HealthReader {
  sourceHealth(from: number, to: number): Promise<SourceHealth[]>;
}

function readsHealth(ds: unknown): ds is HealthReader {
  return typeof (ds as Partial<HealthReader> | undefined)?.sourceHealth === 'function';
}

/** Per source: lines per minute, last line, parse share and skip reasons, audit level, and what to ship. */
export class SourceHealthView extends SceneObjectBase<HealthState> {
  static Component = SourceHealthRenderer;
  private run = 0;

  constructor(state: HealthState) {
    super(state);
    this.addActivationHandler(() => {
      const range = sceneGraph.getTimeRange(this);
      void this.load();
      const sub = range.subscribeToState(() => void this.load());
      return () => sub.unsubscribe();
    });
  }

  async load() {
    const run = ++this.run;
    const { from, to } = sceneGraph.getTimeRange(this).state.value;
    this.setState({ loading: true, error: undefined });
    try {
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- `getDataSourceInstance` is missing before 13.1.
      const ds: unknown = await getDataSourceSrv().get({ uid: this.state.datasourceUid });
      if (!readsHealth(ds)) {
        throw new Error(`the data source ${this.state.datasourceUid} is not a Change Provenance data source`);
      }
      const sources = await ds.sourceHealth(from.valueOf(), to.valueOf());
      if (run === this.run) {
        this.setState({ sources, loading: false });
      }
    } catch (e) {
      if (run === this.run) {
        this.setState({ loading: false, sources: undefined, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }
}

const STATE: Record<SourceHealth['state'], { text: string; color: BadgeColor }> = {
  ok: { text: 'arrives and parses', color: 'green' },
  'partly-read': { text: 'partly read', color: 'orange' },
  unreadable: { text: 'unreadable', color: 'red' },
  missing: { text: 'missing', color: 'red' },
  failed: { text: 'query failed', color: 'red' },
};

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      textAlign: 'left',
      verticalAlign: 'top',
      padding: theme.spacing(0.75, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
  }),
  advice: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  code: css({ fontFamily: theme.typography.fontFamilyMonospace }),
});

function share(h: SourceHealth): string {
  if (h.sampled === 0) {
    return 'no sample';
  }
  return `${Math.round((100 * h.parsed) / h.sampled)} % of ${h.sampled}`;
}

function levelsText(h: SourceHealth): string {
  if (h.source !== 'kube-audit') {
    return '—';
  }
  const seen = Object.entries(h.levels).map(([level, n]) => `${level} ×${n}`);
  return seen.length ? seen.join(', ') : 'none seen';
}

function SourceHealthRenderer({ model }: SceneComponentProps<SourceHealthView>) {
  const styles = useStyles2(getStyles);
  const { loading, sources, error } = model.useState();
  const timeZone = sceneGraph.getTimeRange(model).getTimeZone();
  return (
    <div data-testid="source-health">
      {loading && <LoadingBar width={400} />}
      {error && (
        <Alert severity="error" title="Source health could not be read">
          {error}. Check the app’s configuration (which data source the pages use) and that data source’s Loki (Save &
          test).
        </Alert>
      )}
      {sources && (
        <table className={styles.table}>
          <thead>
            <tr>
              <th>Source</th>
              <th>State</th>
              <th>Lines per minute</th>
              <th>Last line seen</th>
              <th>Parsed (recent sample)</th>
              <th>Audit level</th>
              <th>Lines not read: reason, count, example</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((h) => (
              <tr key={h.source} data-testid={`health-${h.source}`}>
                <td>
                  <strong>{h.title}</strong>
                  <div className={styles.code}>{h.selector}</div>
                </td>
                <td>
                  <Badge text={STATE[h.state].text} color={STATE[h.state].color} />
                  {h.advice && (
                    <p className={styles.advice} data-testid="health-advice">
                      {h.advice} How to ship it: the shipping guide, {h.guide}.
                    </p>
                  )}
                </td>
                <td data-testid="health-rate">
                  {h.perMinute < 10 ? h.perMinute.toFixed(2) : Math.round(h.perMinute)} ({h.lines} in the range)
                </td>
                <td data-testid="health-last">
                  {h.lastSeen === undefined ? 'none in the range' : dateTimeFormat(h.lastSeen, { timeZone })}
                </td>
                <td data-testid="health-parsed">{share(h)}</td>
                <td data-testid="health-levels">{levelsText(h)}</td>
                <td data-testid="health-skips">
                  {h.skipped.length === 0
                    ? '—'
                    : h.skipped.map((s) => (
                        <div key={s.reason} dir="auto">
                          <span className={styles.code}>{s.reason}</span> ×{s.count}
                          {s.example ? ` — first at ${s.example}` : ''}
                          {s.detail ? ` (${s.detail})` : ''}
                        </div>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
