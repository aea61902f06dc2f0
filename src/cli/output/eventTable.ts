import { startedByText, targetName, type ChangeEvent } from '../../core';
import { col, isoTime, shortActor, wrapJoined } from './format';

/**
 * One event per block: a line with time, source, verb, actor and target, then an indented line with the
 * details a person checks (identity kind and path, client IP, outcome, GitOps facts).
 */

const SOURCE_LABEL: Record<string, string> = {
  'kube-audit': 'kube',
  'rancher-audit': 'rancher',
  argocd: 'argocd',
  fleet: 'fleet',
  'k8s-event': 'event',
};

/** Who did it and how to check it: the actor and its path, client IP, outcome, GitOps facts. */
function details(e: ChangeEvent): string[] {
  const who =
    e.actor.loginName && e.actor.loginName !== e.actor.name
      ? `${e.actor.name} (${e.actor.kind}, login ${e.actor.loginName})`
      : `${shortActor(e.actor.name)} (${e.actor.kind})`;
  const parts: string[] = [`by ${who}`];
  for (const hop of e.actor.via) {
    parts.push(`via ${shortActor(hop.name)} (${hop.mechanism})`);
  }
  if (e.sourceIPs.length) {
    parts.push(`from ${e.sourceIPs[0]}`);
  }
  const o = e.outcome;
  if (o.code !== undefined || o.status !== 'unknown') {
    parts.push(o.code !== undefined ? String(o.code) : o.status);
  }
  if (o.decision === 'forbid') {
    parts.push('forbidden');
  }
  const g = e.gitops;
  if (g) {
    const facts = [
      g.app && `app ${g.app}`,
      g.commit && `commit ${g.commit.slice(0, 12)}`,
      g.revision && !g.commit && `rev ${g.revision}`,
    ];
    facts.push(g.historyId !== undefined ? `history #${g.historyId}` : undefined);
    facts.push(g.initiator || g.automated || g.automation ? startedByText(g) : undefined);
    facts.push(g.phase, e.keys.statusChange);
    parts.push(...facts.filter((x): x is string => Boolean(x)));
  }
  return parts;
}

export function formatEventTable(events: ChangeEvent[]): string {
  const lines = [`${col('TIME (UTC)', 20)}${col('SOURCE', 8)}${col('VERB', 16)}WHAT`];
  for (const e of events) {
    const head = `${col(isoTime(e.time), 20)}${col(SOURCE_LABEL[e.source] ?? e.source, 8)}${col(e.verb, 16)}`;
    lines.push(head + col(targetName(e.target, true), 57).trimEnd());
    wrapJoined(details(e), ' · ', 78).forEach((l, i) => lines.push(`${' '.repeat(20)}${i === 0 ? '↳' : ' '} ${l}`));
  }
  return lines.join('\n') + '\n';
}
