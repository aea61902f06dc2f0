import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import React from 'react';
import { render, screen } from '@testing-library/react';
import { AppPlugin, type DataSourceApi, DataSourcePlugin, dateTime, LoadingState, PanelPlugin } from '@grafana/data';

import { scenarioNames } from '../../src/core';
import { stubGrafanaRuntime } from '../support/grafanaRuntime';
import { framesOf, scenarioChains } from '../support/panelFrames';

/**
 * The built plugins, loaded the way Grafana loads them: each `module.js` is an AMD module whose dependencies
 * (`@grafana/*`, `react`, `@emotion/css`, the `module` meta object) the host provides. Here the host is this
 * test, and the dependencies come from node_modules — the same packages Grafana's runtime exposes.
 */

const DIST = join(__dirname, '..', '..', 'dist');
const START = Date.UTC(2026, 2, 2, 10);

type Factory = (...deps: unknown[]) => unknown;

function loadAmd(relPath: string): Record<string, unknown> {
  const file = join(DIST, relPath);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run \`npm run build\` before this test (the test command does).`);
  }
  const code = readFileSync(file, 'utf8');
  let exported: unknown;
  const define = (deps: string[], factory: Factory) => {
    // Grafana serves a nested plugin from its app's folder: public/plugins/<app id>/<nested dir>/module.js.
    const uri = `/public/plugins/provenance-gitops-app/${relPath}`;
    const resolved = deps.map((d) => (d === 'module' ? { uri } : require(d)));
    exported = factory(...resolved);
  };
  new Function('define', code)(define);
  return exported as Record<string, unknown>;
}

function pluginJson(relDir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(DIST, relDir, 'plugin.json'), 'utf8')) as Record<string, unknown>;
}

describe('dist/ as Grafana loads it', () => {
  it('the app plugin: module, plugin.json with both nested plugins, logo', () => {
    const mod = loadAmd('module.js');
    expect(mod.plugin).toBeInstanceOf(AppPlugin);
    const json = pluginJson('.');
    expect(json).toMatchObject({
      type: 'app',
      id: 'provenance-gitops-app',
      includes: [
        // The app's pages in Grafana's menu (Scenes routes under /a/<app id>/).
        { type: 'page', path: '/a/provenance-gitops-app/investigate', addToNav: true, defaultNav: true },
        { type: 'page', path: '/a/provenance-gitops-app/object', addToNav: true },
        { type: 'page', path: '/a/provenance-gitops-app/person', addToNav: true },
        { type: 'page', path: '/a/provenance-gitops-app/health', addToNav: true },
        { type: 'datasource', path: 'datasource/plugin.json' },
        { type: 'panel', path: 'panel/plugin.json' },
      ],
    });
    expect((json.info as { version: string }).version).toMatch(/^\d+\.\d+\.\d+/);
    expect(existsSync(join(DIST, 'img', 'logo.svg'))).toBe(true);
  });

  it('the data source plugin: a DataSourcePlugin with config and query editors', () => {
    const mod = loadAmd('datasource/module.js');
    const plugin = mod.plugin as DataSourcePlugin<DataSourceApi>;
    expect(plugin).toBeInstanceOf(DataSourcePlugin);
    expect(typeof plugin.components.ConfigEditor).toBe('function');
    expect(typeof plugin.components.QueryEditor).toBe('function');
    expect(pluginJson('datasource')).toMatchObject({ type: 'datasource', id: 'provenance-gitops-datasource' });
    // The built editors work: the config editor renders its fields with the host's React and @grafana/ui.
    stubGrafanaRuntime();
    const ConfigEditor = plugin.components.ConfigEditor as React.ComponentType<{
      options: unknown;
      onOptionsChange: () => void;
    }>;
    render(
      React.createElement(ConfigEditor, {
        options: { jsonData: {}, secureJsonFields: {} },
        onOptionsChange: () => undefined,
      })
    );
    expect(screen.getByLabelText('kube-audit selector')).toBeInTheDocument();
    expect(screen.getByText('Correlation windows')).toBeInTheDocument();
    expect(existsSync(join(DIST, 'datasource', 'img', 'logo.svg'))).toBe(true);
  });

  it('the panel plugin: a PanelPlugin with its component and options', () => {
    const mod = loadAmd('panel/module.js');
    const plugin = mod.plugin as PanelPlugin;
    expect(plugin).toBeInstanceOf(PanelPlugin);
    expect(typeof plugin.panel).toBe('function');
    expect(pluginJson('panel')).toMatchObject({ type: 'panel', id: 'provenance-gitops-panel' });
    expect(existsSync(join(DIST, 'panel', 'img', 'logo.svg'))).toBe(true);
    // The built panel tells the stories of the data source's chains frame, with the host's React and @grafana/ui.
    const chains = scenarioChains(0);
    const timeRange = {
      from: dateTime(START - 600_000),
      to: dateTime(START + scenarioNames().length * 2_400_000),
      raw: { from: '', to: '' },
    };
    render(
      React.createElement(plugin.panel as unknown as React.ComponentType<Record<string, unknown>>, {
        data: { series: framesOf(chains), state: LoadingState.Done, timeRange },
        options: { view: 'both', groupBy: 'object', showContext: true, maxChains: 10_000 },
        width: 1000,
        height: 700,
        timeRange,
        timeZone: 'utc',
        onChangeTimeRange: () => undefined,
      })
    );
    expect(screen.getAllByTestId('story-card')).toHaveLength(chains.length);
    expect(screen.getByTestId('panel-count')).toHaveTextContent(`${chains.length} changes`);
  });

  it('ships no test fixtures or core JSON inside the plugin', () => {
    const files = ['plugin.json', 'datasource/plugin.json', 'panel/plugin.json'];
    for (const f of files) {
      expect(existsSync(join(DIST, f))).toBe(true);
    }
    expect(existsSync(join(DIST, 'core'))).toBe(false);
    expect(existsSync(join(DIST, 'cli'))).toBe(false);
  });
});
