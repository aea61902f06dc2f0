import React, { useMemo } from 'react';
import type { AppRootProps } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { SceneApp } from '@grafana/scenes';
import { Alert } from '@grafana/ui';

import { investigatePage } from './Investigate/investigatePage';
import { objectHistoryPage } from './ObjectHistory/objectHistoryPage';
import { personTrailPage } from './PersonTrail/personTrailPage';
import { sourceHealthPage } from './SourceHealth/sourceHealthPage';
import { DATASOURCE_TYPE } from './shared/routes';

export interface AppSettings {
  /** The Change Provenance data source the pages ask (default: the first one). */
  datasourceUid?: string;
}

/** The data source the pages use: the one the app's settings name, else the first Change Provenance one. */
export function pagesDataSource(settings: AppSettings | undefined): { uid?: string; problem?: string } {
  // Deprecated in 13.1 for `@grafana/runtime/internal`, which Grafana 12.3 (still supported) lacks.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const list = getDataSourceSrv().getList({ pluginId: DATASOURCE_TYPE });
  if (settings?.datasourceUid) {
    return list.some((d) => d.uid === settings.datasourceUid)
      ? { uid: settings.datasourceUid }
      : {
          problem: `The data source ${settings.datasourceUid} named in the app's settings does not exist. Choose another on the app's configuration page (Administration → Plugins → Change Provenance → Configuration).`,
        };
  }
  return list[0]
    ? { uid: list[0].uid }
    : { problem: 'Add a Change Provenance data source (Connections → Data sources) pointing at your Loki.' };
}

export function App({ meta }: AppRootProps<AppSettings>) {
  const { uid, problem } = pagesDataSource(meta.jsonData);
  const app = useMemo(
    () =>
      uid
        ? new SceneApp({
            pages: [investigatePage(uid), objectHistoryPage(uid), personTrailPage(uid), sourceHealthPage(uid)],
          })
        : undefined,
    [uid]
  );
  if (!app) {
    return (
      <Alert severity="warning" title="No Change Provenance data source">
        {problem}
      </Alert>
    );
  }
  return <app.Component model={app} />;
}
