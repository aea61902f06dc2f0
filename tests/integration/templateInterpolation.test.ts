import {
  causeQueries,
  effectsQuery,
  lineQuery,
  renderCountQuery,
  renderLogQuery,
  renderSelector,
  rawQueryOf,
  ALERT_RULES,
  clusterSelectors,
  ruleLogQL,
  DEFAULT_SELECTORS,
  type ChangeEvent,
} from '../../src/core';
import { provenanceDashboard } from '../../src/cli/provisioning/dashboard';
import { parseErrors } from '../support/logqlEval';
import { DEFINED, HOSTILE, templateSrv } from '../support/templateSrv';


function event(name: string): ChangeEvent {
  return {
    id: `kube-audit:${name}`,
    source: 'kube-audit',
    format: 'kube-audit/v1',
    ns: '',
    actor: { name, kind: 'human', groups: [], via: [] },
    sourceIPs: [],
    verb: 'delete',
    target: { apiGroup: '', resource: 'configmaps', namespace: 'shop', name },
    outcome: { status: 'success' },
    keys: { auditID: name },
    raw: { labels: {} },
  };
}

describe('no value from logs or from a person expands in Grafana', () => {
  const srv = templateSrv(DEFINED);
  it.each(HOSTILE)('%s through every builder entry point', (v) => {
    const queries = [
      renderSelector({ job: v }),
      renderLogQuery(
        lineQuery({ job: 'audit' }, [
          { op: '|=', value: v },
          { op: '|~', value: v },
        ])
      ),
      renderLogQuery(effectsQuery({ target: { resource: v, namespace: v, name: v }, actor: v, text: v })),
      renderLogQuery(effectsQuery({ target: { name: v }, actor: v }, DEFAULT_SELECTORS, false)),
      renderCountQuery(effectsQuery({ actor: v }), '5m', ['objectRef_namespace']),
      ...Object.values(causeQueries({ rancherUsers: [v], argo: true, fleet: true, driftNames: [v] })).map((q) =>
        renderLogQuery(q)
      ),
      rawQueryOf(event(v), DEFAULT_SELECTORS),
      // `rules --cluster`: every alert rule over the cluster's selectors.
      ...ALERT_RULES.map((rule) => ruleLogQL(rule, clusterSelectors(v))),
      renderLogQuery(effectsQuery({ actor: v }, clusterSelectors(v))),
    ];
    for (const q of queries) {
      expect(srv.replace(q)).toBe(q);
      expect({ q, errors: parseErrors(q) }).toEqual({ q, errors: 0 });
    }
  });
});

describe('the provisioned dashboard’s variables cannot leave their string', () => {
  const board = JSON.parse(JSON.stringify(provenanceDashboard())) as {
    panels: Array<{ title: string; targets?: Array<{ expr?: string }> }>;
  };
  const syncs = board.panels.find((p) => p.title === 'Recent Argo CD syncs')?.targets?.[0].expr ?? '';

  it.each([
    ['an app name', 'frontend-app', '|= "frontend-app"'],
    ['empty (every line)', '', '|= ""'],
    ['a quote and an or', 'x" or "y', '|= "x%22%20or%20%22y"'],
    ['a backslash', 'a\\', '|= "a%5C"'],
    ['a backtick, an or and a comment', 'x` or `y` #', '|= "x%60%20or%20%60y%60%20%23"'],
    ['a variable', '$__interval', '|= "%24__interval"'],
  ])('var-app = %s', (_what, app, filter) => {
    const q = templateSrv({ ...DEFINED, app }).replace(syncs);
    expect(q.endsWith(filter)).toBe(true);
    expect({ q, errors: parseErrors(q) }).toEqual({ q, errors: 0 });
  });
});
