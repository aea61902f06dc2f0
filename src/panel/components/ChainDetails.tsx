import React from 'react';
import { dateTimeFormat } from '@grafana/data';
import { Drawer, LinkButton, TextLink, useStyles2 } from '@grafana/ui';

import { objectName, type Chain } from '../../core';
import { type ChainEvidence, rawRefText } from '../explore';
import { effectText, gitopsText, linkText, pathText } from '../story';
import { ChangeDiff } from './ChangeDiff';
import { fullTime } from './StoryCard';
import { getPanelStyles } from './styles';
import { VerdictBadge } from './VerdictBadge';

interface Props {
  chain: Chain;
  /** The records behind the chain and the ways to their raw lines, as the data source gave them. */
  evidence: ChainEvidence;
  /** The dashboard's time zone, as on the cards. */
  timeZone: string;
  /** The run of identical changes the card stood for, this one first. */
  repeats?: Chain[];
  onClose: () => void;
  /** What can be done with the change (the report buttons), above the story. */
  actions?: React.ReactNode;
  /** More of the story, told by the caller: what the change set off (ConsequenceList). */
  children?: React.ReactNode;
}

/** A run's members listed in the drawer; more would make the drawer the slow part. */
const MAX_REPEATS_LISTED = 200;

/** Evidence sentences, each its own list item, as text in its own direction. */
function EvidenceList({ sentences }: { sentences: string[] }) {
  const styles = useStyles2(getPanelStyles);
  return (
    <ul className={styles.evidence}>
      {sentences.map((x, i) => (
        <li key={i} dir="auto">
          {x}
        </li>
      ))}
    </ul>
  );
}

/**
 * The card's story told in full — who, by which door, the app, commit and who started it — then every link in
 * words with how sure it is and why, the context, and the way to the raw lines. Text only.
 */
export function ChainDetails({ chain: c, evidence, timeZone, repeats = [], onClose, actions, children }: Props) {
  const styles = useStyles2(getPanelStyles);
  const e = c.effect;
  const at = (t: number | undefined) =>
    t === undefined ? 'an unknown time' : dateTimeFormat(t, { timeZone, format: `${fullTime()} Z` });
  const path = pathText(c);
  const why = gitopsText(c);
  return (
    <Drawer title={effectText(c)} subtitle={<VerdictBadge verdict={c.verdict} />} onClose={onClose} size="md">
      <div data-testid="chain-details">
        {actions}
        <h4>Who</h4>
        <p dir="auto" data-testid="chain-who">
          {c.who.name} ({c.who.kind}){c.who.ip ? ` from ${c.who.ip}` : ''}
          {path.length ? ` · ${path.join(' · ')}` : ''}
          {c.who.via.length ? ` — via ${c.who.via.join(', ')}` : ''}
        </p>
        {why && (
          <>
            <h4>Why</h4>
            <p dir="auto" data-testid="chain-why">
              {why}
            </p>
          </>
        )}
        {repeats.length > 1 && (
          <>
            <h4>{repeats.length} identical changes, this the newest</h4>
            <ul className={styles.evidence} data-testid="chain-repeats">
              {repeats.slice(0, MAX_REPEATS_LISTED).map((r, i) => (
                <li key={i} dir="auto">
                  {at(r.effect.time)} · {effectText(r)}
                </li>
              ))}
              {repeats.length > MAX_REPEATS_LISTED && <li>and {repeats.length - MAX_REPEATS_LISTED} more</li>}
            </ul>
          </>
        )}
        {children}
        <h4>The change</h4>
        <p dir="auto" data-testid="chain-change">
          {e.verb} {objectName(e)} by {e.actor.name} ({e.actor.kind}){e.sourceIPs[0] ? ` from ${e.sourceIPs[0]}` : ''}{' '}
          at {at(e.time)}
          {e.userAgent ? ` with ${e.userAgent}` : ''}; source {e.source}, outcome {e.outcome.code ?? e.outcome.status}.
        </p>
        <ChangeDiff chain={c} />
        <h4>How we know ({c.links.length} links)</h4>
        {c.links.map((l, i) => {
          const words = linkText(l.kind, l.confidence);
          return (
            <div key={i} data-testid="chain-link">
              <strong>{words.label}</strong> — {words.sureness}
              <EvidenceList sentences={l.evidence} />
            </div>
          );
        })}
        {c.context.length > 0 && <h4>Context</h4>}
        {c.context.map((x, i) => (
          <div key={i} data-testid="chain-context">
            <strong dir="auto">{x.summary}</strong>
            <EvidenceList sentences={x.evidence} />
          </div>
        ))}
        <h4>Records behind it</h4>
        {evidence.records.length === 0 ? (
          <p dir="auto" data-testid="chain-record">
            effect: {rawRefText(e.raw)}
          </p>
        ) : (
          evidence.records.map((r) => (
            <div key={r.id} data-testid="chain-record" className={styles.record}>
              <strong>{r.role === 'effect' ? 'the change' : linkText(r.role, 1).label}</strong> ·{' '}
              {r.time === undefined ? 'no time' : at(r.time)} · {r.source}
              <div dir="auto">
                {r.actor} {r.verb} {r.object}
              </div>
              {r.line !== undefined && (
                <pre className={styles.rawLine} data-testid="chain-record-line">
                  {r.line}
                </pre>
              )}
              <div dir="auto" className={styles.secondary}>
                {rawRefText(r.raw)}
                {evidence.urlOf && (
                  <>
                    {' · '}
                    <TextLink href={evidence.urlOf(r)} external inline={false} variant="bodySmall">
                      its raw line in Explore
                    </TextLink>
                  </>
                )}
              </div>
            </div>
          ))
        )}
        {evidence.effectUrl && (
          <LinkButton href={evidence.effectUrl} icon="compass" variant="secondary" target="_blank">
            Raw lines in Explore
          </LinkButton>
        )}
      </div>
    </Drawer>
  );
}
