/**
 * The app harness: the app's Scenes pages as Grafana mounts an app's root page — inside a router on Grafana's
 * history (locationService), with the Change Provenance data source asking a stand-in for Grafana's Loki data
 * source over the generated scenarios. Served for every path under /a/<app id>/ (tests/browser/browser.ts).
 */
import React, { useLayoutEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Route, Router, Routes } from 'react-router-dom';
import {
  createTheme,
  ThemeContext,
  type AppRootProps,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type ScopedVars,
} from '@grafana/data';
import { LocationServiceProvider, locationService, setBackendSrv } from '@grafana/runtime';
import { of, throwError } from 'rxjs';
import { sceneGraph, type SceneObject } from '@grafana/scenes';
import { GlobalStyles } from '@grafana/ui';

import { AppRoot } from '../../../src/components/AppRoot';
import { AppConfig } from '../../../src/pages/AppConfig/AppConfig';
import { PLUGIN_BASE_URL, PLUGIN_ID } from '../../../src/pages/shared/routes';
import { DataSource } from '../../../src/datasource/datasource';
import { FakeLokiDataSource, lokiLinesOf, scenarioLokiLines } from '../../support/fakeLokiDataSource';
import { stubGrafanaRuntime, stubRunRequest } from '../../support/grafanaRuntime';
import { provenanceSettings } from '../../support/instanceSettings';
import { kubeAudit } from '../../support/builders';

const params = new URLSearchParams(window.location.search);
const theme = createTheme({ colors: { mode: params.get('theme') === 'light' ? 'light' : 'dark' } });
const START = Date.UTC(2026, 2, 2, 10);

const loki = new FakeLokiDataSource();
loki.add(scenarioLokiLines(300, START));
// A change whose person and object names are markup: every page must show them as text.
const hostileAt = new Date(START + 30 * 60_000).toISOString();
loki.add(
  lokiLinesOf([
    JSON.stringify(
      kubeAudit({
        auditID: 'hostile-1',
        verb: 'delete',
        user: { username: '<img src=x onerror="window.__pwned=1">' },
        requestURI: '/api/v1/namespaces/shop/configmaps/x',
        objectRef: {
          resource: 'configmaps',
          namespace: 'shop',
          name: '<script>window.__pwned=2</script>',
          apiVersion: 'v1',
        },
        requestReceivedTimestamp: hostileAt,
        stageTimestamp: hostileAt,
      })
    ),
  ])
);
// kim's trail beyond the scenarios: a refused delete (403) and two writes in a second cluster (`prod-us`).
const kimAt = (min: number) => new Date(START + min * 60_000).toISOString();
const kim = (over: Record<string, unknown>) =>
  JSON.stringify(
    kubeAudit({
      user: { username: 'kim', groups: ['system:authenticated'] },
      sourceIPs: ['198.51.100.44'],
      requestReceivedTimestamp: kimAt(over.min as number),
      stageTimestamp: kimAt(over.min as number),
      ...over,
      min: undefined,
    })
  );
loki.add(
  lokiLinesOf([
    kim({
      min: 40,
      auditID: 'kim-refused-1',
      verb: 'delete',
      requestURI: '/api/v1/namespaces/kube-system/secrets/bootstrap-token-abcdef',
      objectRef: { resource: 'secrets', namespace: 'kube-system', name: 'bootstrap-token-abcdef', apiVersion: 'v1' },
      responseStatus: { metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403 },
      annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' },
    }),
  ])
);
// kim's patches of billing/ledger in prod-us: two as herself, one `kubectl --as=deploy-bot`.
const ledgerPatch = (min: number, auditID: string, over: Record<string, unknown> = {}) =>
  kim({
    min,
    auditID,
    verb: 'patch',
    requestURI: '/apis/apps/v1/namespaces/billing/deployments/ledger',
    objectRef: { resource: 'deployments', namespace: 'billing', name: 'ledger', apiGroup: 'apps', apiVersion: 'v1' },
    ...over,
  });
loki.add(
  lokiLinesOf(
    [
      ledgerPatch(41, 'kim-us-41'),
      ledgerPatch(42, 'kim-us-42'),
      ledgerPatch(43, 'kim-as-1', { impersonatedUser: { username: 'deploy-bot', groups: ['system:authenticated'] } }),
    ],
    'prod-us'
  )
);
// `?bulk=N`: a person with N kubectl writes of ConfigMaps across 80 namespaces, spread over the first 20 minutes
// (issue 17's "a person with 100,000 writes"); only the page that asks for it pays for it.
const bulk = Number(params.get('bulk') ?? 0);
if (bulk > 0) {
  loki.add(
    lokiLinesOf(
      Array.from({ length: bulk }, (_, i) => {
        const at = new Date(START + Math.floor((i * 1_200_000) / bulk)).toISOString();
        const ns = `team-${String(i % 80).padStart(2, '0')}`;
        return JSON.stringify(
          kubeAudit({
            auditID: `bulk-${i}`,
            verb: 'patch',
            user: { username: 'bulk-bot@example.org', groups: ['system:authenticated'] },
            requestURI: `/api/v1/namespaces/${ns}/configmaps/cm-${i}`,
            objectRef: { resource: 'configmaps', namespace: ns, name: `cm-${i}`, apiVersion: 'v1' },
            requestReceivedTimestamp: at,
            stageTimestamp: at,
          })
        );
      })
    )
  );
}
// A stream of lines no parser reads (for the source health page's "unreadable").
loki.add(
  Array.from({ length: 20 }, (_, i) => ({
    text: `-- rotated ${i} --`,
    labels: { job: 'garbage' },
    ns: `${START + i * 60_000}000000`,
  }))
);
const settings = provenanceSettings({ lokiUid: loki.uid });
// Two data sources set up wrong, for the pages' bad-input answers: one whose Rancher selector reads the
// unreadable stream and whose Fleet selector matches nothing, one without a Loki data source.
const misconfigured = {
  ...provenanceSettings({
    lokiUid: loki.uid,
    selectors: { 'rancher-audit': 'job=garbage', fleet: 'job=fleet-missing' },
  }),
  uid: 'provenance-misconfigured',
  name: 'Change Provenance (misconfigured)',
};
const noLoki = { ...provenanceSettings({}), uid: 'provenance-no-loki', name: 'Change Provenance (no Loki)' };
// A query run by a scene is interpolated by the scene (public/app/features/templating/template_srv.ts `replace`).
const sceneReplace = (text: string, scopedVars?: ScopedVars) =>
  scopedVars?.__sceneObject
    ? sceneGraph.interpolate(scopedVars.__sceneObject.value.valueOf() as SceneObject, text, scopedVars)
    : text;
stubGrafanaRuntime(
  loki,
  sceneReplace,
  [settings, misconfigured, noLoki].map((s) => ({
    api: new DataSource(s) as unknown as DataSourceApi,
    settings: s as unknown as DataSourceInstanceSettings,
  }))
);
stubRunRequest();
const state = window as unknown as { harnessReady: boolean; lokiRequests: () => string[] };
state.lokiRequests = () => loki.requests.map((r) => r.expr);

/** Grafana's app routes render inside its router on locationService's history (public/app/AppWrapper.tsx). */
function GrafanaRouter({ children }: { children: React.ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((l: typeof location) => setLocation(l)), [history]);
  return (
    <LocationServiceProvider service={locationService}>
      <Router location={location} navigator={history as never}>
        {children}
      </Router>
    </LocationServiceProvider>
  );
}

// The app's settings (jsonData) as Grafana hands them to the root page when it loads: `app-ds` picks the pages'
// data source; else what the configuration page last saved (kept in sessionStorage, as Grafana keeps it in its DB).
const SAVED = 'provenance-app-settings';
const appDs = params.get('app-ds');
const jsonData = appDs ? { datasourceUid: appDs } : (JSON.parse(sessionStorage.getItem(SAVED) ?? '{}') as object);
const meta = { id: PLUGIN_ID, enabled: true, pinned: true, jsonData };
const props = { meta, basename: PLUGIN_BASE_URL };
const saves: unknown[] = [];
(window as unknown as { settingsSaves: unknown[] }).settingsSaves = saves;
// Grafana's `POST /api/plugins/<id>/settings` (pkg/api/plugins.go UpdatePluginSetting): Admin only, 403 otherwise.
setBackendSrv({
  fetch: (o: { url: string; method: string; data: { jsonData: object } }) => {
    saves.push(o);
    if (params.get('role') === 'viewer') {
      return throwError(() => ({ status: 403, data: { message: 'Permission denied' } }));
    }
    sessionStorage.setItem(SAVED, JSON.stringify(o.data.jsonData));
    return of({ status: 200, ok: true, data: { message: 'Plugin settings updated' } });
  },
} as never);

createRoot(document.getElementById('root') as HTMLElement).render(
  <ThemeContext.Provider value={theme}>
    <GlobalStyles />
    <div style={{ background: theme.colors.background.canvas, color: theme.colors.text.primary, padding: 16 }}>
      <GrafanaRouter>
        {/* Grafana mounts an app's root page under /a/<app id>/* (public/app/features/plugins/components/AppRootPage.tsx). */}
        <Routes>
          <Route path={`${PLUGIN_BASE_URL}/*`} element={<AppRoot {...(props as unknown as AppRootProps)} />} />
          {/* Grafana shows an app's config pages on /plugins/<id>?page=<id>; the harness serves pages under /a/. */}
          <Route path={`${PLUGIN_BASE_URL}/__config`} element={<AppConfig plugin={{ meta } as never} query={{}} />} />
        </Routes>
      </GrafanaRouter>
    </div>
  </ThemeContext.Provider>
);
state.harnessReady = true;
