import { SceneAppPage } from '@grafana/scenes';

import { questionScene } from '../shared/questionScene';
import { prefixRoute, ROUTES } from '../shared/routes';
import { PersonTrailSummary } from './PersonTrailSummary';

/** Everything one person did in the range, through every door (direct, Rancher, impersonation, GitOps syncs). */
export function personTrailPage(datasourceUid: string): SceneAppPage {
  return new SceneAppPage({
    title: 'Person trail',
    subTitle: 'Everything one person or account did: login name, user or GitOps initiator.',
    url: prefixRoute(ROUTES.person),
    routePath: ROUTES.person,
    getScene: () =>
      questionScene({
        datasourceUid,
        variable: 'person',
        label: 'Person',
        query: { actor: '$person', namespace: '$namespace' },
        narrowing: [{ name: 'namespace', label: 'Namespace' }],
        // The refused attempts are not changes (no chain is built from them): they are read from the events.
        moreQueries: [{ mode: 'events', actor: '$person', namespace: '$namespace' }],
        above: new PersonTrailSummary({}),
        emptyText: 'Type a login name, user or GitOps initiator in Person.',
      }),
  });
}
