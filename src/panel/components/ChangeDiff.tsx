import React from 'react';
import { TextLink, useStyles2 } from '@grafana/ui';

import { changeSummary, type Chain, type ChangeDiffEntry } from '../../core';
import { getPanelStyles } from './styles';

/**
 * The drawer's "What changed": each changed field before → after (long values folded, Secret values never
 * shown), the request as sent, and the links to the commit, the comparison, the Argo CD app and the user.
 * Text only: every value is rendered as a React text node.
 */

const FOLD_AT = 80;
const PATCH_CHARS = 20_000;

function json(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v, null, 2) ?? 'null');
}

/** A value, folded behind its first characters when long. */
function Value({ value }: { value: unknown }) {
  const text = json(value);
  if (text.length <= FOLD_AT && !text.includes('\n')) {
    return <code dir="auto">{text}</code>;
  }
  return (
    <details data-testid="change-folded">
      <summary dir="auto">{`${text.replace(/\s+/g, ' ').slice(0, FOLD_AT)}…`}</summary>
      <pre dir="auto">{text}</pre>
    </details>
  );
}

function Entry({ d }: { d: ChangeDiffEntry }) {
  const hasBefore = 'before' in d;
  const hasAfter = 'after' in d;
  let what: React.ReactNode;
  if (d.secret) {
    what = `${hasBefore && hasAfter ? 'changed' : hasAfter ? 'set' : 'removed'} (Secret value not shown)`;
  } else if (hasBefore && hasAfter) {
    what = (
      <>
        <Value value={d.before} /> → <Value value={d.after} />
      </>
    );
  } else if (hasAfter) {
    what = (
      <>
        set to <Value value={d.after} />
      </>
    );
  } else {
    what = hasBefore ? (
      <>
        removed (was <Value value={d.before} />)
      </>
    ) : (
      'removed'
    );
  }
  return (
    <li data-testid="change-entry">
      <code dir="auto">{d.path}</code>: {what}
    </li>
  );
}

const HTTPS = /^https:\/\//;

function Links({ chain: c }: { chain: Chain }) {
  const styles = useStyles2(getPanelStyles);
  const links = [
    ['Commit', c.gitops?.commitUrl],
    [
      c.gitops?.previousCommit ? `Changes since ${c.gitops.previousCommit.slice(0, 12)}` : 'Changes',
      c.gitops?.compareUrl,
    ],
    ['Application in Argo CD', c.gitops?.appUrl],
    ['User in Rancher', c.who.url],
  ].filter((x): x is [string, string] => typeof x[1] === 'string' && HTTPS.test(x[1]));
  if (links.length === 0) {
    return null;
  }
  return (
    <ul data-testid="change-links" className={styles.diffList}>
      {links.map(([title, href]) => (
        <li key={title}>
          <TextLink href={href} external inline={false}>
            {title}
          </TextLink>
        </li>
      ))}
    </ul>
  );
}

export function ChangeDiff({ chain: c }: { chain: Chain }) {
  const styles = useStyles2(getPanelStyles);
  const ch = c.change;
  const patch = ch?.patch === null || ch?.patch === undefined ? undefined : json(ch.patch);
  return (
    <div data-testid="change-diff">
      <h4>What changed</h4>
      {ch ? (
        <>
          <p dir="auto">
            {changeSummary(ch)}
            {ch.reason ? ` — ${ch.reason}` : ''}
          </p>
          <ul className={styles.diffList}>
            {ch.diff.map((d, i) => (
              <Entry key={i} d={d} />
            ))}
          </ul>
          {patch !== undefined && (
            <details data-testid="change-patch">
              <summary>The request as sent{ch.patchType ? ` (${ch.patchType})` : ''}</summary>
              <pre dir="auto">{patch.length > PATCH_CHARS ? `${patch.slice(0, PATCH_CHARS)}…` : patch}</pre>
            </details>
          )}
        </>
      ) : (
        <p>Not recorded: the audit policy logged no body for this write.</p>
      )}
      <Links chain={c} />
    </div>
  );
}
