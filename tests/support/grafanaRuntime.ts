import {
  LoadingState,
  PluginType,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type PanelData,
  type ScopedVars,
} from '@grafana/data';
import { setDataSourceSrv, setRunRequest, setTemplateSrv } from '@grafana/runtime';
import { catchError, from, map, merge, of, share, takeUntil, timer, type Observable, type ObservableInput } from 'rxjs';

import type { FakeLokiDataSource } from './fakeLokiDataSource';

/**
 * A data source's `query` behind Grafana's backend service: a request with the `requestId` of one still in
 * flight cancels that one (public/app/core/services/backend_srv.ts, Grafana 13.1), whose reply then carries
 * `error` and state Error with no frames, the way @grafana/runtime 13.1.1 utils/queryResponse.ts builds it from
 * the aborted fetch (status -1).
 */
export function withRequestIdCancellation<T extends { query: (request: never) => unknown }>(ds: T): T {
  const inFlight = new Map<string, (reply: DataQueryResponse) => void>();
  const query = (request: { requestId?: string }) =>
    new Promise<unknown>((resolve, reject) => {
      const id = request.requestId;
      if (id) {
        inFlight.get(id)?.({
          data: [],
          state: LoadingState.Error,
          error: { message: 'Query error: -1 Request was aborted', status: -1, statusText: 'Request was aborted' },
        });
        inFlight.set(id, resolve);
      }
      Promise.resolve(ds.query(request as never)).then(
        (reply) => {
          if (id && inFlight.get(id) === resolve) {
            inFlight.delete(id);
          }
          resolve(reply);
        },
        (e: unknown) => reject(e)
      );
    });
  return new Proxy(ds, { get: (target, p) => (p === 'query' ? query : Reflect.get(target, p)) });
}

/**
 * Grafana's runtime services as the plugin uses them, for unit tests, the browser harness and the built plugin:
 * the data source service knows the one Loki data source (if any), the template service replaces variables with
 * `replace` (none by default).
 */
export function stubGrafanaRuntime(
  loki?: FakeLokiDataSource,
  replace: (text: string, scopedVars?: ScopedVars) => string = (t) => t,
  others: Array<{ api: DataSourceApi; settings: DataSourceInstanceSettings }> = []
): void {
  const lokiSettings = loki && {
    uid: loki.uid,
    name: loki.name,
    type: loki.type,
    meta: { id: 'loki', name: 'Loki', type: PluginType.datasource, info: { logos: { small: '' } } },
  };
  const lokiBehindBackend = loki && withRequestIdCancellation(loki);
  // By uid, by name, or by a reference's uid (public/app/features/plugins/datasource_srv.ts getInstanceSettings).
  const isLoki = (ref: unknown) =>
    !!loki && (ref === loki.uid || ref === loki.name || (ref as { uid?: string } | undefined)?.uid === loki.uid);
  const uidOf = (ref: unknown) => (typeof ref === 'string' ? ref : (ref as { uid?: string } | undefined)?.uid);
  const other = (ref: unknown) => others.find((d) => d.settings.uid === uidOf(ref) || d.settings.name === uidOf(ref));
  setDataSourceSrv({
    get: async (ref?: unknown) => other(ref)?.api ?? lokiBehindBackend,
    // Grafana's DatasourceSrv.getList filters by `pluginId` (public/app/features/plugins/datasource_srv.ts).
    getList: (filters?: { pluginId?: string }) =>
      [...(lokiSettings ? [lokiSettings] : []), ...others.map((d) => d.settings)].filter(
        (s) => !filters?.pluginId || s.meta.id === filters.pluginId
      ),
    getInstanceSettings: (ref: unknown) => (isLoki(ref) ? lokiSettings : other(ref)?.settings),
    reload: () => undefined,
    registerRuntimeDataSource: () => undefined,
  } as never);
  setTemplateSrv({
    replace: (s?: string, scopedVars?: ScopedVars) => replace(s ?? '', scopedVars),
    getVariables: () => [],
    containsTemplate: () => false,
    updateTimeRange: () => undefined,
  } as never);
}

/**
 * Grafana's `runRequest` as scenes call it (public/app/features/query/state/runRequest.ts): the data source's
 * answer as PanelData — Loading only if the answer takes over 200 ms, Done with its frames, or Error with the
 * message — for pages whose SceneQueryRunner asks a data source.
 */
export function stubRunRequest(): void {
  setRunRequest((ds: DataSourceApi, request: DataQueryRequest): Observable<PanelData> => {
    const base = { series: [], timeRange: request.range, request };
    const answer = from(ds.query(request) as ObservableInput<DataQueryResponse>).pipe(
      map((packet): PanelData => ({
        ...base,
        state: packet.state ?? LoadingState.Done,
        series: packet.data,
        ...(packet.errors ? { errors: packet.errors } : {}),
      })),
      catchError((e: unknown) => {
        const error = { message: (e as { message?: string })?.message ?? String(e) };
        return of<PanelData>({ ...base, state: LoadingState.Error, error, errors: [error] });
      }),
      share()
    );
    return merge(
      timer(200).pipe(
        map((): PanelData => ({ ...base, state: LoadingState.Loading })),
        takeUntil(answer)
      ),
      answer
    );
  });
}
