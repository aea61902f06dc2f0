import { parseErrors } from '../../../tests/support/logqlEval';
import { ALERT_RULES, ruleLogQL } from './catalog';
import { alertDashboardLink } from './dashboardLink';

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
      expect({ id: r.id, errors: parseErrors(q) }).toEqual({ id: r.id, errors: 0 });
      expect(q).toMatch(/^sum by \(/);
      // Recorded-chain rules read the stream `provenance watch` writes, in the configured cluster.
      expect(q).toMatch(/\{job="(audit|argo|change-provenance)"/);
      for (const label of r.summary.match(/\$labels\.(\w+)/g) ?? []) {
        expect(r.by).toContain(label.slice('$labels.'.length));
      }
    }
    // A user value with a quote stays inside its string.
    expect(ruleLogQL(ALERT_RULES[0], { 'kube-audit': { cluster: 'prod"x' } })).toContain('cluster="prod\\"x"');
  });

  it('links each alert to the dashboard filtered to the object, person or app it names', () => {
    for (const r of ALERT_RULES) {
      const link = alertDashboardLink(r);
      expect({ id: r.id, link }).toEqual({ id: r.id, link: expect.stringMatching(/^\/d\/change-provenance\?var-/) });
      for (const [, label] of link.matchAll(/\$labels\.(\w+)/g)) {
        expect(r.by).toContain(label);
      }
    }
    const anonymous = ALERT_RULES.find((r) => r.id === 'anonymous-allowed')!;
    expect(alertDashboardLink(anonymous)).toBe(
      '/d/change-provenance?var-namespace={{ $labels.objectRef_namespace }}&var-name={{ $labels.objectRef_name }}'
    );
  });

  it('anchors the protected namespaces (Loki would turn prod|prod-eu into "contains") and refuses none', () => {
    const rule = ALERT_RULES.find((r) => r.id === 'recorded-protected-namespace-write')!;
    expect(ruleLogQL(rule)).toContain('| effect_target_namespace=~"^(?:production)$"');
    const q = ruleLogQL(rule, {}, { protectedNamespaces: ['prod', 'prod-eu'] });
    expect(q).toContain('| effect_target_namespace=~"^(?:prod|prod-eu)$"');
    expect(parseErrors(q)).toBe(0);
    expect(() => ruleLogQL(rule, {}, { protectedNamespaces: [] })).toThrow('no protected namespaces set');
  });

  it('recorded-verdict rules count at least an hour: the watcher writes a chain at its effect time, 21 min or more later', () => {
    for (const r of ALERT_RULES.filter((x) => x.id.startsWith('recorded-'))) {
      expect({ id: r.id, range: r.range }).toEqual({ id: r.id, range: '60m' });
    }
  });
});
