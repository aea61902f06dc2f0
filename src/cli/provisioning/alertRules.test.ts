import { ALERT_RULES } from '../../core';
import { ALERTING_TYPES, validatorFor } from '../../../tests/support/grafanaSchema';
import { parseErrors } from '../../../tests/support/logqlEval';
import { grafanaAlertRules, lokiRulerRules } from './alertRules';

describe('alert rule provisioning', () => {
  const file = grafanaAlertRules('loki');
  const group = file.groups[0];

  it('provisions Grafana-managed rules on the Loki data source, each linking to the dashboard', () => {
    expect(group.rules).toHaveLength(ALERT_RULES.length);
    for (const r of group.rules) {
      expect(r.uid!.length).toBeLessThanOrEqual(40);
      expect(r.data[0]).toMatchObject({ refId: 'A', datasourceUid: 'loki', model: { queryType: 'instant' } });
      expect(r.data.map((d) => [d.refId, d.datasourceUid])).toEqual([
        ['A', 'loki'],
        ['B', '__expr__'],
        ['C', '__expr__'],
      ]);
      expect(r.annotations!.dashboard).toMatch(/^\/d\/change-provenance\?var-/);
    }
    expect(new Set(group.rules.map((r) => r.uid)).size).toBe(group.rules.length);
    // Grafana expands $NAME in provisioning files: template variables are escaped as $$.
    expect(group.rules[0].annotations!.summary).toContain('{{ $$labels.actor }}');
    expect(JSON.stringify(file).replace(/\$\$/g, '')).not.toContain('$');
  });

  it('are Grafana alert rules by Grafana’s own model (the foundation SDK’s alerting types)', () => {
    const validate = validatorFor(ALERTING_TYPES, 'Rule');
    const asRead = JSON.parse(JSON.stringify(file).replace(/\$\$/g, '$')) as typeof file;
    for (const r of asRead.groups[0].rules) {
      // In a file the group carries org, folder and group name; the model has them on each rule.
      const rule = { ...r, orgID: group.orgId, folderUID: group.folder, ruleGroup: group.name };
      expect({ uid: r.uid, errors: validate(rule) }).toEqual({ uid: r.uid, errors: [] });
    }
    // The check can fail: a state Grafana does not know is refused.
    expect(validate({ ...asRead.groups[0].rules[0], execErrState: 'Ignore', orgID: 1 }).join('\n')).toMatch(
      /execErrState/
    );
  });

  it('writes Loki ruler rules whose expressions parse', () => {
    for (const r of lokiRulerRules().groups[0].rules) {
      expect({ alert: r.alert, errors: parseErrors(r.expr) }).toEqual({ alert: r.alert, errors: 0 });
      expect(r.expr).toMatch(/ > 0$/);
    }
  });
});
