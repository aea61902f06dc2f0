import { SceneAppPage } from '@grafana/scenes';

import { questionScene } from '../shared/questionScene';
import { prefixRoute, ROUTES } from '../shared/routes';

/** Every change of one object in the range, newest first, each with who and why: `kubectl blame` for it. */
export function objectHistoryPage(datasourceUid: string): SceneAppPage {
  return new SceneAppPage({
    title: 'Object history',
    subTitle: 'Every change of one object: resource/namespace/name (e.g. deployments/production/frontend-app).',
    url: prefixRoute(ROUTES.object),
    routePath: ROUTES.object,
    getScene: () =>
      questionScene({
        datasourceUid,
        variable: 'object',
        label: 'Object',
        query: { search: '$object' },
        options: { groupRepeats: false },
      }),
  });
}
