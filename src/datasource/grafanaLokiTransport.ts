import { dateTime, type DataQueryResponse, type DataSourceApi } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { from, lastValueFrom, type Observable } from 'rxjs';

import { decodeLokiFrames, LokiError, readRange, type FrameLike, type LokiTransport } from '../core';

/**
 * The Loki data source instance. `getDataSourceSrv` is deprecated in Grafana 13.1 in favour of
 * `getDataSourceInstance` from `@grafana/runtime/unstable`, which older Grafana versions this plugin supports
 * (≥ 12.3) do not provide; it is the one call that works on all of them.
 */
export function lokiDataSource(uid: string): Promise<DataSourceApi> {
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  return getDataSourceSrv().get({ uid, type: 'loki' });
}

/**
 * Reads Loki through the Loki data source the user already has (its auth, tenant and TLS stay Grafana's):
 * `getDataSourceSrv().get(uid).query()` per page, decoded by core's pure frame decoder, paged by core.
 * Grafana's query API takes milliseconds, so pages move in millisecond steps.
 */
export class GrafanaLokiTransport implements LokiTransport {
  constructor(
    private readonly lokiUid: string,
    private readonly pageLimit = 1000
  ) {}

  private async loki(): Promise<DataSourceApi> {
    return lokiDataSource(this.lokiUid);
  }

  async queryRange(logql: string, startMs: number, endMs: number, signal?: AbortSignal, maxLines?: number) {
    const loki = await this.loki();
    const ms = BigInt(1_000_000);
    return readRange(
      async (start, end, limit) => {
        if (signal?.aborted) {
          throw new LokiError('cancelled');
        }
        const fromMs = Number(start / ms);
        // Grafana's backend sends the ms range to Loki as ns (pkg/tsdb/loki/api.go), and Loki reads it
        // end-exclusive (pkg/chunkenc/memchunk.go), as core does: round the end up, drop what lies past it.
        const toMs = Number((end + ms - BigInt(1)) / ms);
        const range = {
          from: dateTime(fromMs),
          to: dateTime(toMs),
          raw: { from: dateTime(fromMs), to: dateTime(toMs) },
        };
        const request = {
          requestId: `provenance-${fromMs}`,
          app: 'provenance',
          interval: '1s',
          intervalMs: 1000,
          range,
          scopedVars: {},
          timezone: 'utc',
          startTime: Date.now(),
          targets: [{ refId: 'provenance', expr: logql, queryType: 'range', maxLines: limit, direction: 'forward' }],
        };
        const answer = loki.query(request as never) as Observable<DataQueryResponse> | Promise<DataQueryResponse>;
        const res = await lastValueFrom(from(answer));
        const error = res.errors?.[0];
        if (error) {
          throw new LokiError(`Loki data source: ${error.message ?? 'query failed'}`);
        }
        return decodeLokiFrames((res.data ?? []) as FrameLike[]).filter((l) => {
          const ns = BigInt(l.ns ?? '0');
          return ns >= start && ns < end;
        });
      },
      startMs,
      endMs,
      { pageLimit: this.pageLimit, splitMs: 3_600_000, concurrency: 2, granularityNs: ms, maxLines }
    );
  }
}
