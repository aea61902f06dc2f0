import { dateTime, LoadingState, type DataQueryResponse, type DataSourceApi } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { from, lastValueFrom, type Observable } from 'rxjs';

import { decodeLokiFrames, LokiError, readRange, type FrameLike, type LokiTransport, type RawLine } from '../core';

/**
 * The Loki data source instance. `getDataSourceSrv` is deprecated in Grafana 13.1 in favour of
 * `getDataSourceInstance` from `@grafana/runtime/unstable`, which older Grafana versions this plugin supports
 * (≥ 12.3) do not provide; it is the one call that works on all of them.
 */
export function lokiDataSource(uid: string): Promise<DataSourceApi> {
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  return getDataSourceSrv().get({ uid, type: 'loki' });
}

/** The Loki data source's name as Grafana lists it (the uid when Grafana does not know it). */
export function lokiDataSourceName(uid: string): string {
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  return getDataSourceSrv().getInstanceSettings(uid)?.name ?? uid;
}

let nextRequest = 0;

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

  async queryRange(
    logql: string,
    startMs: number,
    endMs: number,
    signal?: AbortSignal,
    maxLines?: number,
    onPage?: (piece: number, lines: RawLine[]) => void
  ) {
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
          // Grafana's backend service cancels an in-flight request when another comes with the same requestId
          // (public/app/core/services/backend_srv.ts): each page has its own.
          requestId: `provenance-${nextRequest++}-${fromMs}`,
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
        // A cancelled or failed request carries `error` (and maybe `errors`), state Error, and no frames
        // (@grafana/runtime 13.1.1 utils/queryResponse.ts); a log query that worked always has a frame
        // (pkg/util/converter/prom.go readStream). Anything else is a failure, never an empty page.
        // `error` is marked deprecated in @grafana/data, yet it is the only field a cancelled reply carries.
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        const error = res.error ?? res.errors?.[0];
        if (error) {
          throw new LokiError(`Loki data source: ${error.message ?? 'query failed'}`);
        }
        if (res.state === LoadingState.Error) {
          throw new LokiError('Loki data source: the query failed without a message');
        }
        if (!res.data || res.data.length === 0) {
          throw new LokiError('Loki data source: the answer carried no data frame');
        }
        return decodeLokiFrames(res.data as FrameLike[]).filter((l) => {
          const ns = BigInt(l.ns ?? '0');
          return ns >= start && ns < end;
        });
      },
      startMs,
      endMs,
      { pageLimit: this.pageLimit, splitMs: 3_600_000, concurrency: 2, granularityNs: ms, maxLines, onPage }
    );
  }

  /**
   * A metric query over [startMs, endMs) at `stepMs`: its frames as Grafana's Loki data source gives them (one
   * frame per series, a `Time` and a `Value` field: grafana pkg/util/converter/prom.go readMatrixOrVectorMulti).
   */
  async queryMetric(logql: string, startMs: number, endMs: number, stepMs: number): Promise<FrameLike[]> {
    const loki = await this.loki();
    const range = {
      from: dateTime(startMs),
      to: dateTime(endMs),
      raw: { from: dateTime(startMs), to: dateTime(endMs) },
    };
    const request = {
      requestId: `provenance-${nextRequest++}-metric`,
      app: 'provenance',
      interval: `${stepMs / 1000}s`,
      intervalMs: stepMs,
      range,
      scopedVars: {},
      timezone: 'utc',
      startTime: Date.now(),
      targets: [{ refId: 'provenance', expr: logql, queryType: 'range', step: `${stepMs / 1000}s` }],
    };
    const answer = loki.query(request as never) as Observable<DataQueryResponse> | Promise<DataQueryResponse>;
    const res = await lastValueFrom(from(answer));
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const error = res.error ?? res.errors?.[0];
    if (error) {
      throw new LokiError(`Loki data source: ${error.message ?? 'query failed'}`);
    }
    // A metric query with no sample in the range has no series, so no frame: that is zero lines, not a failure.
    return (res.data ?? []) as FrameLike[];
  }
}
