import React from 'react';
import { dateTimeFormat } from '@grafana/data';
import { TextLink, useStyles2 } from '@grafana/ui';

import { blastRadius, type Chain } from '../../core';
import { effectText } from '../story';
import { controllerName } from './FoldedConsequences';
import { fullTime } from './StoryCard';
import { getPanelStyles } from './styles';

interface Props {
  /** Everything the change set off, oldest first. */
  consequences: Chain[];
  timeZone: string;
  /** Explore link to a consequence's raw lines, when the data source named its Loki data source. */
  urlOf?: (c: Chain) => string | undefined;
}

/** Consequences listed in the drawer, per kind; more would make the drawer the slow part. */
export const MAX_CONSEQUENCES_LISTED = 200;

const KIND: Readonly<Record<string, string>> = {
  pods: 'Pods',
  replicasets: 'ReplicaSets',
  deployments: 'Deployments',
  statefulsets: 'StatefulSets',
  daemonsets: 'DaemonSets',
  jobs: 'Jobs',
  cronjobs: 'CronJobs',
  replicationcontrollers: 'ReplicationControllers',
};

/**
 * What this change caused (its blast radius): one sentence per kind ("replaced 12 Pods in 40 s (…)"), then each
 * consequence by kind with its time, the controller that wrote it and the way to its raw line. Text only.
 */
export function ConsequenceList({ consequences, timeZone, urlOf }: Props) {
  const styles = useStyles2(getPanelStyles);
  const byKind = new Map<string, Chain[]>();
  for (const c of consequences) {
    const k = KIND[c.effect.target.resource] ?? c.effect.target.resource;
    byKind.set(k, [...(byKind.get(k) ?? []), c]);
  }
  const at = (t: number | undefined) =>
    t === undefined ? 'no time' : dateTimeFormat(t, { timeZone, format: `${fullTime()} Z` });
  let listed = 0;
  const n = consequences.length;
  return (
    <div data-testid="chain-consequences">
      <h4>
        What it set off ({n} consequence{n === 1 ? '' : 's'}, through Kubernetes controllers)
      </h4>
      <ul className={styles.evidence} data-testid="chain-blast-radius">
        {blastRadius(consequences).map((line, i) => (
          <li key={i} dir="auto">
            {line}
          </li>
        ))}
      </ul>
      {[...byKind].map(([kind, cs]) => {
        const room = Math.max(0, MAX_CONSEQUENCES_LISTED - listed);
        listed += Math.min(room, cs.length);
        return (
          <div key={kind} data-testid="chain-consequence-kind">
            <strong>
              {kind} ({cs.length} write{cs.length === 1 ? '' : 's'})
            </strong>
            <ul className={styles.evidence}>
              {cs.slice(0, room).map((c) => {
                const url = urlOf?.(c);
                return (
                  <li key={c.id} dir="auto" data-testid="chain-consequence">
                    {at(c.effect.time)} · {effectText(c)} · by {controllerName(c)}
                    {url && (
                      <>
                        {' · '}
                        <TextLink href={url} external inline={false} variant="bodySmall">
                          its raw line in Explore
                        </TextLink>
                      </>
                    )}
                  </li>
                );
              })}
              {cs.length > room && <li>and {cs.length - room} more</li>}
            </ul>
          </div>
        );
      })}
    </div>
  );
}
