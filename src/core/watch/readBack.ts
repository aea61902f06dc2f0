import { decodeStreams, type LokiClient } from '../loki/client';
import { PROGRESS_JOB, readProgress } from './recorded';
import { recordedSelector } from './watcher';

const DAY_MS = 86_400_000;

/**
 * End of the newest window recorded (its progress entry) in [fromMs, toMs), or undefined: one backward query of one
 * line per day, newest day first (a day per query stays far under Loki's max_query_length of 721 h).
 */
export async function recordedUntilMs(
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
      query: recordedSelector(cluster, PROGRESS_JOB),
      start: `${start}000000`,
      end: `${end}000000`,
      limit: '1',
      direction: 'backward',
    });
    const lines = decodeStreams(await client.get('/loki/api/v1/query_range', params, warnings, signal));
    const window = lines[0] && readProgress(lines[0].text);
    if (window) {
      return window.toMs;
    }
  }
  return undefined;
}
