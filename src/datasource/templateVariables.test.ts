import { dateTime, type DataQueryRequest } from '@grafana/data';
import { setTemplateSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { provenanceDashboard } from '../cli/provisioning/dashboard';
import { FakeLokiDataSource } from '../../tests/support/fakeLokiDataSource';
import { stubGrafanaRuntime } from '../../tests/support/grafanaRuntime';
import { provenanceSettings } from '../../tests/support/instanceSettings';
import { parseErrors } from '../../tests/support/logqlEval';
import { DEFINED, HOSTILE, templateSrv } from '../../tests/support/templateSrv';
import { DataSource } from './datasource';
import type { ProvenanceQuery } from './types';

/**
 * The provisioned dashboard's Change Provenance panels read `$namespace`, `$name` and `$actor`: whatever a
 * person types into those boxes (or a `var-` URL parameter sets) reaches Loki as a value, never as LogQL or as
 * a variable Grafana's Loki data source would expand when it re-interpolates the finished query.
 */

type Panel = { title: string; targets?: Array<Partial<ProvenanceQuery> & { datasource?: { type?: string } }> };
const board = JSON.parse(JSON.stringify(provenanceDashboard())) as { panels: Panel[]; annotations?: unknown };
const provenanceTargets = board.panels
  .flatMap((p) => p.targets ?? [])
  .filter((t) => t.datasource?.type === 'provenance-gitops-datasource');

it('the dashboard has Change Provenance panels that read the three variables', () => {
  expect(provenanceTargets.length).toBeGreaterThanOrEqual(2);
  const fields = JSON.stringify(provenanceTargets);
  for (const v of ['$namespace', '$name', '$actor']) {
    expect(fields).toContain(`"${v}"`);
  }
});

it.each([...HOSTILE, 'x" or "y', 'a\\', '`x` #'])('var-namespace, var-name, var-actor = %s', async (value) => {
  const loki = new FakeLokiDataSource();
  stubGrafanaRuntime(loki);
  const vars = { ...DEFINED, namespace: value, name: value, actor: value };
  setTemplateSrv(templateSrv(vars) as never);
  const ds = new DataSource(provenanceSettings({ lokiUid: loki.uid }));
  const from = Date.UTC(2026, 2, 2, 10);
  await lastValueFrom(
    ds.query({
      targets: provenanceTargets.map((t, i) => ({ ...t, refId: `P${i}` })),
      range: { from: dateTime(from), to: dateTime(from + 3_600_000), raw: { from: 'now-1h', to: 'now' } },
      scopedVars: {},
    } as unknown as DataQueryRequest<ProvenanceQuery>)
  );
  expect(loki.rejected).toEqual([]);
  const sent = loki.requests.map((r) => r.expr);
  expect(sent.length).toBeGreaterThan(0);
  // Grafana's Loki data source runs the query through the same template service: nothing may change.
  const again = templateSrv(vars);
  for (const q of sent) {
    expect(again.replace(q)).toBe(q);
    expect({ q, errors: parseErrors(q) }).toEqual({ q, errors: 0 });
  }
});
