import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { kubeAudit } from '../support/builders';

/**
 * The provisioning files parse and agree with each other and with the plugins: every data source uid a file
 * refers to is provisioned, and the plugin ids are the ones in the plugin.json files.
 */
const ROOT = join(__dirname, '..', '..');
const read = (path: string) => parse(readFileSync(join(ROOT, path), 'utf8'));
const pluginId = (path: string) => (JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as { id: string }).id;

describe('provisioning/', () => {
  const datasources = (
    read('provisioning/datasources/provenance.yaml') as {
      datasources: Array<{ uid: string; type: string; jsonData?: { lokiUid?: string } }>;
    }
  ).datasources;
  const uids = new Set(datasources.map((d) => d.uid));

  it('provisions Loki and Change Provenance, the latter reading the former', () => {
    const loki = datasources.find((d) => d.type === 'loki');
    const ours = datasources.find((d) => d.type === pluginId('src/datasource/plugin.json'));
    expect(loki?.uid).toBe('loki');
    expect(ours?.jsonData?.lokiUid).toBe(loki?.uid);
  });

  it('links a raw audit line in Explore to its object’s provenance (a Grafana correlation)', () => {
    // What Grafana does to a provisioning file first: `$$` is a literal `$`, `$NAME` / `${NAME}` come from the
    // environment (here empty). Then the regexes run in the browser on the line.
    const text = readFileSync(join(ROOT, 'provisioning', 'datasources', 'provenance.yaml'), 'utf8');
    const expanded = text.replace(/\$\$|\$\{\w+\}|\$\w+/g, (m) => (m === '$$' ? '$' : ''));
    const doc = parse(expanded) as {
      datasources: Array<{
        uid: string;
        correlations?: Array<{
          targetUID: string;
          config: {
            field: string;
            target: Record<string, string>;
            transformations: Array<{ type: string; mapValue: string; expression: string }>;
          };
        }>;
      }>;
    };
    const loki = doc.datasources.find((d) => d.uid === 'loki');
    const [namespaced, clusterScoped] = loki?.correlations ?? [];
    expect(namespaced.targetUID).toBe('change-provenance');
    expect(namespaced.config.target).toEqual({
      mode: 'chains',
      resource: '${resource}',
      namespace: '${namespace}',
      name: '${name}',
    });
    const line = JSON.stringify(
      kubeAudit({ objectRef: { resource: 'deployments', namespace: 'production', name: 'frontend-app' } })
    );
    const extract = (c: typeof namespaced) =>
      Object.fromEntries(c.config.transformations.map((t) => [t.mapValue, new RegExp(t.expression).exec(line)?.[1]]));
    expect(extract(namespaced)).toEqual({ resource: 'deployments', namespace: 'production', name: 'frontend-app' });
    expect(extract(clusterScoped)).toEqual({ resource: 'deployments', name: 'frontend-app' });
    expect(clusterScoped.config.target).toEqual({ mode: 'chains', resource: '${resource}', name: '${name}' });
  });

  it('enables the app by its plugin id', () => {
    const apps = read('provisioning/plugins/apps.yaml') as { apps: Array<{ type: string }> };
    expect(apps.apps.map((a) => a.type)).toContain(pluginId('src/plugin.json'));
  });

  it('alert rules query provisioned data sources only', () => {
    const files = readdirSync(join(ROOT, 'provisioning', 'alerting'));
    expect(files).toEqual(['change-provenance.yaml']);
    const doc = read('provisioning/alerting/change-provenance.yaml') as {
      groups: Array<{ rules: Array<{ data: Array<{ datasourceUid: string }> }> }>;
    };
    const used = doc.groups.flatMap((g) => g.rules.flatMap((r) => r.data.map((d) => d.datasourceUid)));
    expect(used.length).toBeGreaterThan(0);
    for (const uid of used) {
      expect(uid === '__expr__' || uids.has(uid)).toBe(true);
    }
  });
});
