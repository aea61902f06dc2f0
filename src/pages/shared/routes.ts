/** Where the app's pages live under Grafana: `/a/<app id>/<page>`. */
export const PLUGIN_ID = 'provenance-gitops-app';
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;
export const DATASOURCE_TYPE = 'provenance-gitops-datasource';

export const ROUTES = { investigate: 'investigate', object: 'object', person: 'person', health: 'health' } as const;

export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}
