import React, { useMemo } from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { sceneGraph, SceneObjectBase, TextBoxVariable, type SceneComponentProps } from '@grafana/scenes';
import { Button, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';

import { chainsFromFrames } from '../../panel/chainsFromFrames';
import { CLUSTER_WIDE, deniedAttempts, DOOR_LABEL, trailLine, trailOf, type Door, type TrailGroup } from './trail';

const DOORS = Object.keys(DOOR_LABEL) as Door[];

/** The person trail's summary above the stories: every door, the groups by cluster and namespace, the refusals. */
export class PersonTrailSummary extends SceneObjectBase {
  static Component = PersonTrailRenderer;

  /** Narrows the whole question (Loki too) to one namespace: the way out of a group too long to list. */
  narrowTo(namespace: string) {
    const v = sceneGraph.lookupVariable('namespace', this);
    if (v instanceof TextBoxVariable) {
      v.setValue(namespace);
    }
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({ maxHeight: 560, overflow: 'auto', paddingBottom: theme.spacing(1) }),
  doors: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2), margin: theme.spacing(1, 0) }),
  door: css({ color: theme.colors.text.secondary }),
  group: css({
    margin: theme.spacing(1, 0),
    paddingLeft: theme.spacing(1),
    borderLeft: `2px solid ${theme.colors.border.medium}`,
  }),
  list: css({ margin: 0, paddingLeft: theme.spacing(2) }),
  denied: css({ borderCollapse: 'collapse', td: { padding: theme.spacing(0.25, 1) } }),
});

function Group({ g, at, onNarrow }: { g: TrailGroup; at: (t?: number) => string; onNarrow?: () => void }) {
  const styles = useStyles2(getStyles);
  const doors = DOORS.filter((d) => g.doors[d]).map((d) => `${DOOR_LABEL[d]} ${g.doors[d]}`);
  return (
    <div className={styles.group} data-testid="trail-group">
      <strong dir="auto">{g.namespace}</strong> — {g.count} {g.count === 1 ? 'change' : 'changes'} ({doors.join(', ')})
      <ul className={styles.list}>
        {g.latest.map((c) => (
          <li key={c.id} dir="auto">
            {at(c.effect.time)} · {trailLine(c)}
          </li>
        ))}
      </ul>
      {g.more > 0 && (
        <div data-testid="trail-more">
          {g.more} more in {g.namespace}.{' '}
          {onNarrow ? (
            <Button size="sm" variant="secondary" fill="text" onClick={onNarrow}>
              Show only {g.namespace}
            </Button>
          ) : (
            'Narrow the time range to list them.'
          )}
        </div>
      )}
    </div>
  );
}

function PersonTrailRenderer({ model }: SceneComponentProps<PersonTrailSummary>) {
  const styles = useStyles2(getStyles);
  const { data } = sceneGraph.getData(model).useState();
  const timeZone = sceneGraph.getTimeRange(model).getTimeZone();
  const person = sceneGraph.interpolate(model, '$person');
  const trail = useMemo(() => {
    const series = data?.series ?? [];
    return trailOf(chainsFromFrames(series, Number.MAX_SAFE_INTEGER).chains, deniedAttempts(series, person));
  }, [data?.series, person]);
  if (!data || data.series.length === 0) {
    return null;
  }
  const at = (t?: number) => (t === undefined ? 'no time' : dateTimeFormat(t, { timeZone }));
  return (
    <div className={styles.box} data-testid="person-trail">
      <div className={styles.doors} data-testid="trail-doors">
        {DOORS.map((d) => (
          <span key={d} className={styles.door} data-testid={`door-${d}`}>
            {DOOR_LABEL[d]}: <strong>{trail.doors[d]}</strong>
          </span>
        ))}
      </div>
      <h4>Refused (401 / 403)</h4>
      {trail.denied.length === 0 ? (
        <p data-testid="trail-denied-none">No refused attempt in this range.</p>
      ) : (
        <table className={styles.denied} data-testid="trail-denied">
          <tbody>
            {trail.denied.map((d, i) => (
              <tr key={i}>
                <td>{at(d.time)}</td>
                <td>{d.code}</td>
                <td dir="auto">
                  {d.verb} {d.object}
                </td>
                <td>{d.source}</td>
                <td>{d.ip}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {trail.moreDenied > 0 && <p>{trail.moreDenied} more refused attempts: narrow the time range to list them.</p>}
      <h4>
        {trail.total} {trail.total === 1 ? 'change' : 'changes'} by cluster and namespace
      </h4>
      {trail.groups.map((g, i) => {
        const heading = g.cluster !== trail.groups[i - 1]?.cluster ? <h5 dir="auto">Cluster {g.cluster}</h5> : null;
        return (
          <React.Fragment key={`${g.cluster}/${g.namespace}`}>
            {heading}
            <Group
              g={g}
              at={at}
              onNarrow={g.namespace === CLUSTER_WIDE ? undefined : () => model.narrowTo(g.namespace)}
            />
          </React.Fragment>
        );
      })}
      {trail.moreGroups > 0 && (
        <p data-testid="trail-more-groups">
          {trail.moreGroups} more namespaces: type one in Namespace, or narrow the time range.
        </p>
      )}
    </div>
  );
}
