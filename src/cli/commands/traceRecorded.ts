import {
  ALL_ROUTINE,
  byEffectTime,
  chainToJson,
  clusterSelectors,
  DEFAULT_SELECTORS,
  LokiClient,
  LokiError,
  readRecordedOrLive,
  traceOverLoki,
  type ChainJson,
} from '../../core';
import { CliError, type Io } from '../io';
import { writeChainsJson } from '../output/chainsJson';

export interface RecordedTraceOptions {
  loki: string;
  tenant?: string;
  cluster?: string;
  from?: number;
  to?: number;
  format: 'table' | 'json';
}

/**
 * `provenance trace --loki URL --recorded`: the chains `provenance watch` recorded, read instead of correlated;
 * the part of the range not recorded yet is correlated live, and the answer says which part was which.
 */
export async function traceRecordedCommand(o: RecordedTraceOptions, io: Io): Promise<number> {
  const started = Date.now();
  const to = o.to ?? Date.now();
  const from = o.from ?? to - 3_600_000;
  const client = new LokiClient({ baseUrl: o.loki, tenant: o.tenant, fetch: (url, init) => fetch(url, init) });
  let warnings: string[];
  let chains: ChainJson[];
  let recorded: number;
  try {
    const selectors = o.cluster ? clusterSelectors(o.cluster) : DEFAULT_SELECTORS;
    const r = await readRecordedOrLive(client, from, to, o.cluster, async (gap) => {
      const live = await traceOverLoki(client, { from: gap.from, to: gap.to, leaveOut: ALL_ROUTINE }, selectors);
      return { answer: live.chains.map(chainToJson), warnings: live.warnings };
    });
    recorded = r.range.chains.length;
    chains = [...r.range.chains, ...r.live.flatMap((l) => l.answer)];
    warnings = r.notices;
  } catch (e) {
    throw new CliError(
      e instanceof LokiError ? e.message : `Loki at ${o.loki}: ${e instanceof Error ? e.message : String(e)}`,
      1
    );
  }
  chains.sort(byEffectTime);
  for (const w of warnings) {
    io.err(`note: ${w}\n`);
  }
  if (o.format === 'json') {
    const stats = { chains: chains.length, recorded, live: chains.length - recorded, ms: Date.now() - started };
    writeChainsJson(io, chains, (c) => c, { stats, warnings });
  } else {
    for (const c of chains) {
      const t = c.effect.target;
      const object = `${t.resource} ${t.namespace ? `${t.namespace}/` : ''}${t.name ?? ''}`;
      io.out(`${c.effect.time ?? '-'}  ${c.verdict.padEnd(15)} ${c.who.name.padEnd(40)} ${c.effect.verb} ${object}\n`);
    }
    io.out(`\n${chains.length} changes (${recorded} recorded, ${chains.length - recorded} correlated live)\n`);
  }
  return 0;
}
