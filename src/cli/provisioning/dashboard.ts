import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as nodegraph from '@grafana/grafana-foundation-sdk/nodegraph';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

import {
  ACTOR,
  BY_A_PERSON,
  DASHBOARD_UID,
  DEFAULT_SELECTORS,
  kubeAuditQuery,
  lineQuery,
  RECORDED_JOB,
  renderLogQuery,
  WRITES,
  type LogQuery,
} from '../../core';

/**
 * The "GitOps change provenance" dashboard, built with Grafana's foundation SDK (its own schema types) rather
 * than hand-written JSON. LogQL comes from our builder; the variables are the ones the alert rules link with.
 */

const LOKI: dashboard.DataSourceRef = { type: 'loki', uid: 'loki' };
const PROVENANCE: dashboard.DataSourceRef = { type: 'provenance-gitops-datasource', uid: 'change-provenance' };

/** A Change Provenance query, filtered by the dashboard's variables. */
function provenanceQuery(mode: 'chains' | 'graph'): cog.Builder<cog.Dataquery> {
  return {
    build: () =>
      ({
        refId: 'A',
        datasource: PROVENANCE,
        mode,
        namespace: '$namespace',
        name: '$name',
        actor: '$actor',
      }) as unknown as cog.Dataquery,
  };
}

/** kube-apiserver audit lines, one per request, parsed — as the alert rules count them (inside a metric query). */
function auditLines(lineFilters: LogQuery['lineFilters'], labelFilters: LogQuery['labelFilters']): string {
  return renderLogQuery(kubeAuditQuery(DEFAULT_SELECTORS, lineFilters, labelFilters), { metric: true });
}

function lokiQuery(expr: string, legend?: string): loki.DataqueryBuilder {
  const q = new loki.DataqueryBuilder().expr(expr).refId('A').datasource(LOKI);
  return legend ? q.legendFormat(legend) : q;
}

/**
 * Chains `provenance watch` recorded, by verdict, counted without `| json` (cheap over 30 days): each chain once,
 * at its first recording — a re-recorded chain's entry carries `revision` in its structured metadata.
 */
export function recordedVerdictsQuery(range: string): string {
  const firstRecordings = renderLogQuery({
    ...lineQuery({ job: RECORDED_JOB }),
    labelFilters: [{ label: 'revision', op: '=', value: '' }],
  });
  return `sum by (verdict) (count_over_time(${firstRecordings} [${range}]))`;
}

function textVariable(name: string, label: string): dashboard.TextBoxVariableBuilder {
  return new dashboard.TextBoxVariableBuilder(name).label(label).defaultValue('');
}

export function provenanceDashboard(): dashboard.Dashboard {
  const writes = auditLines([], [{ label: 'verb', op: '=~', value: WRITES }]);
  const denied = auditLines([{ op: '|=', value: '"authorization.k8s.io/decision":"forbid"' }], []);
  const humanWrites = auditLines([], [{ label: 'verb', op: '=~', value: WRITES }, BY_A_PERSON]);
  // `app` is a text box (and a `var-app` URL parameter): Grafana's percent-encode format leaves Argo CD app names
  // (DNS-1123: a-z, 0-9, `-`, `.`) as they are and turns `"`, `\`, `` ` ``, `#` and `$` into `%XX`, so no value can end
  // the string (@grafana/scenes formatRegistry, VariableFormatID.PercentEncode). Empty, it keeps every line.
  const syncs = `${renderLogQuery(
    lineQuery(DEFAULT_SELECTORS.argocd, [
      { op: '|~', value: 'Sync operation to|Initiated (automated )?sync|Partial sync operation' },
    ])
  )} |= "\${app:percentencode}"`;
  return new dashboard.DashboardBuilder('GitOps change provenance')
    .uid(DASHBOARD_UID)
    .tags(['kubernetes', 'audit', 'gitops'])
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .withVariable(textVariable('namespace', 'Namespace'))
    .withVariable(textVariable('name', 'Object name'))
    .withVariable(textVariable('actor', 'Person'))
    .withVariable(textVariable('app', 'GitOps app'))
    .annotation(
      new dashboard.AnnotationQueryBuilder()
        .name('Changes')
        .datasource(PROVENANCE)
        .enable(true)
        .iconColor('orange')
        .target({ build: () => ({ refId: 'Anno', mode: 'chains', namespace: '$namespace', name: '$name' }) } as never)
    )
    .withPanel(
      new dashboard.PanelBuilder()
        .id(1)
        .type('provenance-gitops-panel')
        .title('Who changed what, and why')
        .datasource(PROVENANCE)
        .withTarget(provenanceQuery('chains'))
        .options({ view: 'both', groupBy: 'object', showContext: true, maxChains: 10_000 })
        .gridPos({ x: 0, y: 0, w: 24, h: 16 })
    )
    .withPanel(
      new timeseries.PanelBuilder()
        .id(2)
        .title('Writes by verb')
        .datasource(LOKI)
        .withTarget(lokiQuery(`sum by (verb) (count_over_time(${writes} [$__auto]))`, '{{verb}}'))
        .gridPos({ x: 0, y: 16, w: 12, h: 8 })
    )
    .withPanel(
      new timeseries.PanelBuilder()
        .id(3)
        .title('Denied requests by user')
        .datasource(LOKI)
        .withTarget(lokiQuery(`sum by (${ACTOR}) (count_over_time(${denied} [$__auto]))`, `{{${ACTOR}}}`))
        .gridPos({ x: 12, y: 16, w: 12, h: 8 })
    )
    .withPanel(
      new table.PanelBuilder()
        .id(4)
        .title('Changes')
        .datasource(PROVENANCE)
        .withTarget(provenanceQuery('chains'))
        .gridPos({ x: 0, y: 24, w: 14, h: 10 })
    )
    .withPanel(
      new nodegraph.PanelBuilder()
        .id(5)
        .title('People, operations, commits and objects')
        .datasource(PROVENANCE)
        .withTarget(provenanceQuery('graph'))
        .gridPos({ x: 14, y: 24, w: 10, h: 10 })
    )
    .withPanel(
      new bargauge.PanelBuilder()
        .id(6)
        .title('Top people by writes')
        .datasource(LOKI)
        .withTarget(
          lokiQuery(`topk(10, sum by (${ACTOR}) (count_over_time(${humanWrites} [$__range])))`, `{{${ACTOR}}}`).instant(
            true
          )
        )
        .gridPos({ x: 0, y: 34, w: 10, h: 8 })
    )
    .withPanel(
      new logs.PanelBuilder()
        .id(7)
        .title('Recent Argo CD syncs')
        .datasource(LOKI)
        .withTarget(lokiQuery(syncs))
        .gridPos({ x: 10, y: 34, w: 14, h: 8 })
    )
    .withPanel(
      new timeseries.PanelBuilder()
        .id(8)
        .title('Recorded verdicts over time (provenance watch)')
        .description(
          'Chains provenance watch recorded in Loki, by verdict, at their effect time: the correlated answer over long ranges. Empty until the watcher runs.'
        )
        .datasource(LOKI)
        .withTarget(lokiQuery(recordedVerdictsQuery('$__auto'), '{{verdict}}'))
        .gridPos({ x: 0, y: 42, w: 24, h: 8 })
    )
    .build();
}
