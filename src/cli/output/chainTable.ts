import { startedByText, targetName, type Chain } from '../../core';
import { isoTime, shortActor, wrapJoined } from './format';

/** One block per chain, readable at 100 columns: the story first, then how we know it. */

const VERDICT_LABEL: Record<string, string> = {
  'gitops-sync': 'GITOPS SYNC',
  'gitops-rollback': 'GITOPS ROLLBACK',
  'manual-drift': 'MANUAL DRIFT',
  manual: 'MANUAL',
  controller: 'CONTROLLER',
  unknown: 'UNKNOWN',
};

const LABEL_WIDTH = 15;

function row(label: string, parts: string[], sep = ' · '): string[] {
  const width = 100 - 2 - LABEL_WIDTH;
  return wrapJoined(parts, sep, width).map((l, i) => `  ${(i === 0 ? label : '').padEnd(LABEL_WIDTH)}${l}`);
}

function chainBlock(c: Chain): string[] {
  const e = c.effect;
  const out = [
    `${isoTime(e.time)}  ${VERDICT_LABEL[c.verdict] ?? c.verdict}  ${e.verb} ${targetName(e.target, true)}`.slice(
      0,
      100
    ),
  ];
  const who = [
    `${c.who.name} (${c.who.kind})`,
    c.who.ip ? `from ${c.who.ip}${c.who.ipTrust ? ` (${c.who.ipTrust})` : ''}` : '',
    ...c.who.via.map((v) => `via ${shortActor(v)}`),
  ].filter(Boolean);
  out.push(...row('who', who));
  if (c.who.name !== e.actor.name) {
    out.push(
      ...row(
        'acted as',
        [`${shortActor(e.actor.name)} (${e.actor.kind})`, e.sourceIPs[0] ? `from ${e.sourceIPs[0]}` : ''].filter(
          Boolean
        )
      )
    );
  }
  const g = c.gitops;
  if (g) {
    const facts = [
      `${g.tool} ${g.app ?? '?'}`,
      g.operation,
      g.commit ? `commit ${g.commit.slice(0, 12)}` : g.revision ? `revision ${g.revision}` : '',
      g.initiator || g.automated || g.automation ? startedByText(g) : '',
      g.phase ? g.phase.toLowerCase() : '',
    ];
    out.push(...row('gitops', facts.filter(Boolean)));
  }
  for (const l of c.links) {
    out.push(...row(l.kind, [`${l.confidence.toFixed(2)} · ${l.evidence[0] ?? ''}`, ...l.evidence.slice(1)], '; '));
  }
  for (const x of c.context) {
    out.push(...row('context', [x.summary, ...x.evidence.slice(1, 2)], '; '));
  }
  return out;
}

export function formatChainTable(chains: Chain[]): string {
  if (chains.length === 0) {
    return 'No changes matched.\n';
  }
  return chains.map((c) => chainBlock(c).join('\n')).join('\n\n') + '\n';
}
