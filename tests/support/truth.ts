import type { ChainJson, TruthChain } from '../../src/core';

/** The chain trace gave for a ground-truth change, and every way it differs from the truth (empty = match). */
export function compareToTruth(chains: ChainJson[], truth: TruthChain): { chain?: ChainJson; problems: string[] } {
  const t = truth.effect;
  const chain = chains.find(
    (c) =>
      c.effect.verb === t.verb &&
      c.effect.target.resource === t.resource &&
      (c.effect.target.namespace ?? undefined) === t.namespace &&
      c.effect.target.name === t.name &&
      (c.effect.target.subresource ?? undefined) === t.subresource &&
      c.effect.time === t.time
  );
  if (!chain) {
    return { problems: [`no chain for ${t.verb} ${t.resource} ${t.namespace ?? ''}/${t.name} at ${t.time}`] };
  }
  const problems: string[] = [];
  const expectEq = (what: string, got: unknown, want: unknown) => {
    if (want !== undefined && got !== want) {
      problems.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
  };
  expectEq('verdict', chain.verdict, truth.verdict);
  expectEq('who.name', chain.who.name, truth.who.name);
  expectEq('who.ip', chain.who.ip ?? undefined, truth.who.ip);
  expectEq('who.kind', chain.who.kind, truth.who.kind);
  if (truth.gitops) {
    if (!chain.gitops) {
      problems.push('gitops: missing');
    } else {
      for (const [k, v] of Object.entries(truth.gitops)) {
        expectEq(`gitops.${k}`, (chain.gitops as Record<string, unknown>)[k], v);
      }
    }
  }
  for (const c of truth.context ?? []) {
    const found = chain.context.find(
      (x) => x.kind === c.kind && c.mentions.every((m) => `${x.summary} ${x.evidence.join(' ')}`.includes(m))
    );
    if (!found) {
      problems.push(`context: no ${c.kind} mentioning ${c.mentions.join(', ')}`);
    }
  }
  return { chain, problems };
}
