import { decodeStreams, type LokiClient } from '../loki/client';
import { recordedSelector } from './watcher';

const DAY_MS = 86_400_000;

/**
 * Time of the newest entry of the recorded stream in [fromMs, toMs), or undefined: one backward query of one
 * line per day, newest day first (a day per query stays far under Loki's max_query_length of 721 h).
 */
export async function newestRecordedMs(
  client: Pick<LokiClient, 'get'>,
  cluster: string | undefined,
  fromMs: number,
  toMs: number,
  signal?: AbortSignal
): Promise<number | undefined> {
  const warnings: string[] = [];
  for (let end = toMs; end > fromMs; end -= DAY_MS) {
    const start = Math.max(fromMs, end - DAY_MS);
    const params = new URLSearchParams({
      query: recordedSelector(cluster),
      start: `${start}000000`,
      end: `${end}000000`,
      limit: '1',
      direction: 'backward',
    });
    const lines = decodeStreams(await client.get('/loki/api/v1/query_range', params, warnings, signal));
    const ns = lines[0]?.ns;
    if (ns) {
      return Number(ns.slice(0, -6));
    }
  }
  return undefined;
}
