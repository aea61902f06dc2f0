import { SceneAppPage } from '@grafana/scenes';

import { questionScene } from '../shared/questionScene';
import { prefixRoute, ROUTES } from '../shared/routes';

/** The app's home: one search box — an object, a person, an IP — and the answer. */
export function investigatePage(datasourceUid: string): SceneAppPage {
  return new SceneAppPage({
    title: 'Investigate',
    subTitle:
      'Who changed what, when, from where and why. Search an object (resource/namespace/name), a person or an IP.',
    url: prefixRoute(ROUTES.investigate),
    routePath: ROUTES.investigate,
    getScene: () => questionScene({ datasourceUid, variable: 'q', label: 'Search', query: { search: '$q' } }),
  });
}
