import React from 'react';
import { Button, useStyles2 } from '@grafana/ui';

import { countByKind, type Chain } from '../../core';
import type { SearchTerm } from '../search';
import { effectText } from '../story';
import { Clipped } from './Clipped';
import { getPanelStyles } from './styles';

/** Consequences listed on an expanded card; the details list them all. */
export const MAX_CONSEQUENCES_ON_CARD = 20;

interface Props {
  consequences: Chain[];
  /** With a search: how many consequences it matches. */
  matching?: number;
  expanded: boolean;
  onToggle?: () => void;
  format: (at: number) => string;
  terms: SearchTerm[];
}

/** The controller that made a consequence: its account's last part ("replicaset-controller"). */
export function controllerName(c: Chain): string {
  const name = c.effect.actor.name;
  return name.slice(name.lastIndexOf(':') + 1);
}

/**
 * On a card: "and 14 consequences: 2 ReplicaSets, 12 Pods", a button that lists them (time, what, which
 * controller) on the card; the drawer lists them all with their raw lines.
 */
export function FoldedConsequences({ consequences: cs, matching, expanded, onToggle, format, terms }: Props) {
  const styles = useStyles2(getPanelStyles);
  const n = cs.length;
  const label = `and ${n} consequence${n === 1 ? '' : 's'}: ${countByKind(cs)}${
    matching !== undefined && matching < n ? ` — ${matching} match the search` : ''
  }`;
  return (
    <div data-testid="card-consequences">
      <Button
        size="sm"
        fill="text"
        variant="secondary"
        icon={expanded ? 'angle-down' : 'angle-right'}
        aria-expanded={expanded}
        onClick={(ev) => {
          // The card's own click selects or opens it: this one only folds.
          ev.stopPropagation();
          onToggle?.();
        }}
        data-testid="consequences-toggle"
      >
        {label}
      </Button>
      {expanded && (
        <ul className={styles.evidence} data-testid="card-consequence-list">
          {cs.slice(0, MAX_CONSEQUENCES_ON_CARD).map((c) => (
            <li key={c.id}>
              <Clipped
                className={styles.secondary}
                text={`${c.effect.time === undefined ? 'no time' : format(c.effect.time)} · ${effectText(c)} · by ${controllerName(c)}`}
                terms={terms}
                field="what"
              />
            </li>
          ))}
          {n > MAX_CONSEQUENCES_ON_CARD && <li>and {n - MAX_CONSEQUENCES_ON_CARD} more — open the details</li>}
        </ul>
      )}
    </div>
  );
}
