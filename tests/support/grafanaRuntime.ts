import { LoadingState, PluginType, type DataQueryResponse } from '@grafana/data';
import { setDataSourceSrv, setTemplateSrv } from '@grafana/runtime';

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
export function stubGrafanaRuntime(loki?: FakeLokiDataSource, replace: (text: string) => string = (t) => t): void {
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
  setDataSourceSrv({
    get: async () => lokiBehindBackend,
    getList: () => (lokiSettings ? [lokiSettings] : []),
    getInstanceSettings: (ref: unknown) => (isLoki(ref) ? lokiSettings : undefined),
    reload: () => undefined,
    registerRuntimeDataSource: () => undefined,
  } as never);
  setTemplateSrv({
    replace: (s?: string) => replace(s ?? ''),
    getVariables: () => [],
    containsTemplate: () => false,
    updateTimeRange: () => undefined,
  } as never);
}
