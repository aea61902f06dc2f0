/**
 * The browser harness: the data source's config and query editors inside Grafana's theme, and the answer of a
 * query over generated scenarios, read through a stand-in for Grafana's Loki data source. Built by
 * tests/browser/build.ts (esbuild), served on loopback, driven by playwright-core in Debian's chromium.
 */
import React, { useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createTheme, dateTime, ThemeContext, type DataFrame, type DataSourceSettings } from '@grafana/data';
import { GlobalStyles } from '@grafana/ui';
import { lastValueFrom } from 'rxjs';

import { scenarioNames } from '../../../src/core';
import { ConfigEditor } from '../../../src/datasource/components/ConfigEditor';
import { QueryEditor } from '../../../src/datasource/components/QueryEditor';
import { DataSource } from '../../../src/datasource/datasource';
import type { ProvenanceOptions, ProvenanceQuery } from '../../../src/datasource/types';
import { FakeLokiDataSource, scenarioLokiLines } from '../../support/fakeLokiDataSource';
import { stubGrafanaRuntime } from '../../support/grafanaRuntime';
import { provenanceSettings } from '../../support/instanceSettings';

const params = new URLSearchParams(window.location.search);
const theme = createTheme({ colors: { mode: params.get('theme') === 'light' ? 'light' : 'dark' } });
const START = Date.UTC(2026, 2, 2, 10);

const loki = new FakeLokiDataSource();
loki.add(scenarioLokiLines(300, START));
stubGrafanaRuntime(loki);

function Harness() {
  const [options, setOptions] = useState({
    jsonData: { lokiUid: 'loki-test' },
    secureJsonFields: {},
  } as unknown as DataSourceSettings<ProvenanceOptions>);
  const [query, setQuery] = useState<ProvenanceQuery>({ refId: 'A', mode: 'chains' });
  const [rows, setRows] = useState<string[][] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const ds = useMemo(() => new DataSource(provenanceSettings(options.jsonData)), [options.jsonData]);
  const run = () => {
    const request = {
      targets: [query],
      range: { from: dateTime(START - 600_000), to: dateTime(START + scenarioNames().length * 2_400_000), raw: { from: '', to: '' } },
      scopedVars: {},
    };
    lastValueFrom(ds.query(request as never)).then(
      (res) => {
        const f = res.data[0] as DataFrame;
        const col = (name: string) => (f.fields.find((x) => x.name === name)?.values ?? []) as string[];
        setRows(col('verdict').map((v, i) => [v, col('who')[i], col('object')[i], col('commit')[i]]));
      },
      (e: unknown) => setError(String((e as { message?: string }).message ?? e))
    );
  };
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <div
        style={{
          background: theme.colors.background.primary,
          color: theme.colors.text.primary,
          padding: 16,
          minHeight: '100vh',
        }}
      >
        <section data-testid="config-editor">
          <ConfigEditor options={options} onOptionsChange={setOptions} />
        </section>
        <section data-testid="query-editor" style={{ marginTop: 24 }}>
          <QueryEditor datasource={ds} query={query} onChange={setQuery} onRunQuery={() => undefined} />
          <button data-testid="run" onClick={run} style={{ marginTop: 8 }}>
            Run query
          </button>
        </section>
        {error && <pre data-testid="error">{error}</pre>}
        {rows && (
          <table data-testid="chains">
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  {r.map((c, j) => (
                    <td key={j}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </ThemeContext.Provider>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(<Harness />);
(window as unknown as { harnessReady: boolean }).harnessReady = true;
