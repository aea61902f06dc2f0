import { parser } from '@grafana/lezer-logql';

import { ALERT_RULES, ruleLogQL } from './catalog';
import { grafanaAlertRules, lokiRulerRules } from './provisioning';

function parses(q: string): boolean {
  let ok = true;
  parser.parse(q).iterate({ enter: (n) => void (n.type.isError && (ok = false)) });
  return ok;
}

describe('alert rule catalog', () => {
  it('has unique ids and a complete text for every rule', () => {
    expect(new Set(ALERT_RULES.map((r) => r.id)).size).toBe(ALERT_RULES.length);
    for (const r of ALERT_RULES) {
      expect([r.title, r.summary, r.description, r.runbook].every((t) => t.length > 10)).toBe(true);
      expect(r.range).toMatch(/^\d+m$/);
    }
  });

  it('makes LogQL that parses, on the configured streams, grouped by what the summary names', () => {
    for (const r of ALERT_RULES) {
      const q = ruleLogQL(r, { 'kube-audit': { job: 'audit', cluster: 'prod"x' }, argocd: { job: 'argo' } });
      expect({ id: r.id, parses: parses(q) }).toEqual({ id: r.id, parses: true });
      expect(q).toMatch(/^sum by \(/);
      expect(q).toMatch(/\{job="(audit|argo)"/);
      for (const label of r.summary.match(/\$labels\.(\w+)/g) ?? []) {
        expect(r.by).toContain(label.slice('$labels.'.length));
      }
    }
    // A user value with a quote stays inside its string.
    expect(ruleLogQL(ALERT_RULES[0], { 'kube-audit': { cluster: 'prod"x' } })).toContain('cluster="prod\\"x"');
  });

  it('provisions Grafana-managed rules on the Loki data source, each linking to the dashboard', () => {
    const file = grafanaAlertRules('loki');
    const rules = file.groups[0].rules;
    expect(rules).toHaveLength(ALERT_RULES.length);
    for (const r of rules) {
      expect(r.uid.length).toBeLessThanOrEqual(40);
      expect(r.data[0]).toMatchObject({ refId: 'A', datasourceUid: 'loki', model: { queryType: 'instant' } });
      expect(r.data.map((d) => d.refId)).toEqual(['A', 'B', 'C']);
      // Filtered to the object, person or app the alert names.
      const names = r.labels.rule === 'anonymous-allowed' ? '' : '?var-';
      expect(r.annotations.dashboard.startsWith(`/d/change-provenance${names}`)).toBe(true);
    }
    expect(new Set(rules.map((r) => r.uid)).size).toBe(rules.length);
    // Grafana expands $NAME in provisioning files: template variables are escaped as $$.
    expect(rules[0].annotations.summary).toContain('{{ $$labels.user_username }}');
    expect(JSON.stringify(file).replace(/\$\$/g, '')).not.toContain('$');
  });

  it('writes Loki ruler rules whose expressions parse', () => {
    for (const r of lokiRulerRules().groups[0].rules) {
      expect({ alert: r.alert, parses: parses(r.expr) }).toEqual({ alert: r.alert, parses: true });
      expect(r.expr).toMatch(/ > 0$/);
    }
  });
});
