import { PluginType } from '@grafana/data';
import { setDataSourceSrv, setTemplateSrv } from '@grafana/runtime';

import type { FakeLokiDataSource } from './fakeLokiDataSource';

/**
 * Grafana's runtime services as the plugin uses them, for unit tests, the browser harness and the built plugin:
 * the data source service knows the one Loki data source (if any), the template service replaces variables with
 * `replace` (none by default).
 */
export function stubGrafanaRuntime(loki?: FakeLokiDataSource, replace: (text: string) => string = (t) => t): void {
  const lokiSettings = loki && {
    uid: loki.uid,
    name: 'Loki',
    type: loki.type,
    meta: { id: 'loki', name: 'Loki', type: PluginType.datasource, info: { logos: { small: '' } } },
  };
  const isLoki = (ref: unknown) =>
    !!loki && (ref === loki.uid || (ref as { uid?: string } | undefined)?.uid === loki.uid);
  setDataSourceSrv({
    get: async () => loki,
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
