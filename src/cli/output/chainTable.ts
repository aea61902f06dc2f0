import {
  blastRadius,
  changeSummary,
  consequenceIndex,
  countByKind,
  diffLine,
  startedByText,
  targetName,
  type Chain,
  type ChangeDiffEntry,
} from '../../core';
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

export interface ChainTableOptions {
  /** Print the diff lines of each chain's change under it (`trace --diff`). */
  diff?: boolean;
}

/** A URL on one line, never wrapped, so a terminal can still open it. */
function urlRow(label: string, url: string | undefined): string[] {
  return url ? [`  ${label.padEnd(LABEL_WIDTH)}${url}`] : [];
}

/** One line per changed field; a long one as the path, then its before and after, each cut at the width. */
function diffRows(d: ChangeDiffEntry): string[] {
  const line = `    ${diffLine(d, 200)}`;
  if (line.length <= 100) {
    return [line];
  }
  const rows = [`    ${d.path}`.slice(0, 100)];
  if (!d.secret && 'before' in d) {
    rows.push(`      - ${diffLine({ path: '', after: d.before }, 88).replace(/^: → /, '')}`);
  }
  if (!d.secret && 'after' in d) {
    rows.push(`      + ${diffLine({ path: '', after: d.after }, 88).replace(/^: → /, '')}`);
  }
  if (d.secret || !('after' in d)) {
    rows.push(`      ${diffLine({ ...d, path: '' }, 80).replace(/^: /, '')}`);
  }
  return rows;
}

function chainBlock(c: Chain, options: ChainTableOptions): string[] {
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
    out.push(...urlRow('commit', g.commitUrl), ...urlRow('compare', g.compareUrl), ...urlRow('app page', g.appUrl));
  }
  out.push(...urlRow('user page', c.who.url));
  for (const l of c.links) {
    out.push(...row(l.kind, [`${l.confidence.toFixed(2)} · ${l.evidence[0] ?? ''}`, ...l.evidence.slice(1)], '; '));
  }
  for (const x of c.context) {
    out.push(...row('context', [x.summary, ...x.evidence.slice(1, 2)], '; '));
  }
  if (options.diff && c.change) {
    out.push(...row('change', [changeSummary(c.change), c.change.reason ?? ''].filter(Boolean), '; '));
    out.push(...c.change.diff.flatMap(diffRows));
  }
  return out;
}

/** Under a cause: how many consequences it had, by kind; and what they did, when they are not shown. */
function consequenceRows(cs: Chain[], shown: ReadonlySet<string>): string[] {
  if (cs.length === 0) {
    return [];
  }
  const out = row('consequences', [`and ${cs.length} consequence${cs.length === 1 ? '' : 's'}: ${countByKind(cs)}`]);
  if (cs.some((x) => !shown.has(x.id))) {
    blastRadius(cs).forEach((line) => out.push(...row('', [line])));
  }
  return out;
}

/** For a consequence shown without its cause: the root change it came from. */
function rootRow(c: Chain, byId: ReadonlyMap<string, Chain>): string[] {
  let root: Chain | undefined;
  for (let up = c.consequenceOf ? byId.get(c.consequenceOf) : undefined, n = 0; up && n < 32; n++) {
    root = up;
    up = up.consequenceOf ? byId.get(up.consequenceOf) : undefined;
  }
  return root
    ? row('consequence of', [
        `${isoTime(root.effect.time)} ${root.effect.verb} ${targetName(root.effect.target, true)}`,
      ])
    : [];
}

/**
 * The chains, each consequence folded under its cause when the cause is shown too ("and 14 consequences:
 * 2 ReplicaSets, 12 Pods"); `all` holds every chain traced (for consequences the selection left out).
 */
export function formatChainTable(
  chains: Chain[],
  all: readonly Chain[] = chains,
  options: ChainTableOptions = {}
): string {
  if (chains.length === 0) {
    return 'No changes matched.\n';
  }
  const shownIds = new Set(chains.map((c) => c.id));
  const byId = new Map(all.map((c) => [c.id, c]));
  const consequencesOf = consequenceIndex(all);
  const folded = (c: Chain) => c.consequenceOf !== undefined && shownIds.has(c.consequenceOf);
  const blocks = chains
    .filter((c) => !folded(c))
    .map((c) =>
      [...chainBlock(c, options), ...rootRow(c, byId), ...consequenceRows(consequencesOf(c), shownIds)].join('\n')
    );
  return blocks.join('\n\n') + '\n';
}

/** How many chains the table folded under their causes. */
export function foldedCount(chains: Chain[]): number {
  const ids = new Set(chains.map((c) => c.id));
  return chains.filter((c) => c.consequenceOf !== undefined && ids.has(c.consequenceOf)).length;
}
