import {
  EmbeddedScene,
  SceneAppPage,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
} from '@grafana/scenes';

import { prefixRoute, ROUTES } from '../shared/routes';
import { SourceHealthView } from './SourceHealthView';

/** Whether all four audit streams arrive and parse: instead of guessing after "Save & test". */
export function sourceHealthPage(datasourceUid: string): SceneAppPage {
  return new SceneAppPage({
    title: 'Source health',
    subTitle: 'Per audit stream: lines per minute, the last line, how much of it parses and why not, and what to ship.',
    url: prefixRoute(ROUTES.health),
    routePath: ROUTES.health,
    getScene: () =>
      new EmbeddedScene({
        $timeRange: new SceneTimeRange({ from: 'now-6h', to: 'now' }),
        controls: [new SceneControlsSpacer(), new SceneTimePicker({}), new SceneRefreshPicker({})],
        body: new SceneFlexLayout({
          direction: 'column',
          children: [new SceneFlexItem({ body: new SourceHealthView({ datasourceUid }) })],
        }),
      }),
  });
}
