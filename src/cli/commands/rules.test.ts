import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { ALERT_RULES } from '../../core';
import { runCli } from '../../../tests/support/cli';

const COMMITTED = join(__dirname, '..', '..', '..', 'provisioning', 'alerting', 'change-provenance.yaml');

const rules = (args: string[]) => runCli(['rules', ...args]);

describe('provenance rules', () => {
  it('the committed Grafana provisioning file is exactly what the catalog generates', async () => {
    const { code, out } = await rules(['--format', 'grafana', '--loki-uid', 'loki']);
    expect(code).toBe(0);
    expect(readFileSync(COMMITTED, 'utf8')).toBe(out);
  });

  it('writes Loki ruler YAML with every rule, optionally for one cluster', async () => {
    const { code, out } = await rules(['--format', 'loki-ruler', '--cluster', 'prod']);
    expect(code).toBe(0);
    const doc = parse(out) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    expect(doc.groups[0].rules.map((r) => r.alert)).toEqual(ALERT_RULES.map((r) => r.id));
    // The first rule (a ClusterRole granting "*"), written out: the count on the cluster's audit stream, above 0.
    expect(doc.groups[0].rules[0].expr).toBe(
      String.raw`sum by (objectRef_name, actor) (count_over_time({job="kube-audit", cluster="prod"} |= "clusterroles" |~ "\"(resources|verbs)\":\\[[^\\]]*\"\\*\"" | json | __error__="" | stage="ResponseComplete" | objectRef_resource="clusterroles" | verb=~"create|update|patch" | label_format actor="{{ default .user_username .impersonatedUser_username }}" [5m])) > 0`
    );
  });

  it('refuses a format it does not know', async () => {
    expect((await rules(['--format', 'prometheus'])).code).toBe(2);
  });

  it('--protected-namespaces sets the namespaces of the protected-namespace rule, and refuses what is no namespace', async () => {
    const { code, out } = await rules(['--format', 'loki-ruler', '--protected-namespaces', 'payments, production']);
    expect(code).toBe(0);
    const doc = parse(out) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    const rule = doc.groups[0].rules.find((r) => r.alert === 'recorded-protected-namespace-write')!;
    expect(rule.expr).toContain('effect_target_namespace=~"^(?:payments|production)$"');
    expect(out.split('\n')[0]).toContain('--protected-namespaces payments,production');
    for (const bad of ['', ',', 'prod|.*', 'Prod']) {
      const r = await rules(['--protected-namespaces', bad]);
      expect({ bad, code: r.code, err: r.err }).toEqual({
        bad,
        code: 2,
        err: expect.stringContaining('--protected-namespaces needs namespace names'),
      });
    }
  });
});
