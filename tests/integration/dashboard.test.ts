import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { DASHBOARD_UID } from '../../src/core';
import { grafanaAlertRules } from '../../src/cli/provisioning/alertRules';
import { runCli } from '../support/cli';
import { dashboardValidator } from '../support/grafanaSchema';
import { parseErrors } from '../support/logqlEval';

/**
 * The provisioned dashboard is what `provenance dashboard` generates, and it holds together: data sources that
 * are provisioned, panel types that exist, LogQL that parses, and the variables the alert rules link with.
 */
const ROOT = join(__dirname, '..', '..');
const FILE = join(ROOT, 'provisioning', 'dashboards', 'change-provenance.json');

interface Panel {
  id?: number;
  type: string;
  title: string;
  datasource: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets: Array<{ expr?: string; mode?: string; datasource?: { uid: string } }>;
}
const board = JSON.parse(readFileSync(FILE, 'utf8')) as {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string }> };
  annotations: { list: Array<{ datasource?: { uid: string } }> };
};

describe('provisioning/dashboards/change-provenance.json', () => {
  it('every panel has its own id (Grafana keys panel links and state by it)', () => {
    const ids = board.panels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is exactly what `provenance dashboard` writes', async () => {
    const { code, out } = await runCli(['dashboard']);
    expect(code).toBe(0);
    expect(readFileSync(FILE, 'utf8')).toBe(out);
  });

  it('uses only provisioned data sources and panel types that exist', () => {
    const ds = parse(readFileSync(join(ROOT, 'provisioning', 'datasources', 'provenance.yaml'), 'utf8')) as {
      datasources: Array<{ uid: string; type: string }>;
    };
    const byUid = new Map(ds.datasources.map((d) => [d.uid, d.type]));
    const panelId = (JSON.parse(readFileSync(join(ROOT, 'src', 'panel', 'plugin.json'), 'utf8')) as { id: string }).id;
    const types = new Set([panelId, 'timeseries', 'table', 'nodeGraph', 'bargauge', 'logs']);
    for (const p of board.panels) {
      expect({ title: p.title, type: types.has(p.type) }).toEqual({ title: p.title, type: true });
      expect(byUid.get(p.datasource.uid)).toBe(p.datasource.type);
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    }
    expect(board.panels.map((p) => p.type)).toContain(panelId);
    expect(board.annotations.list.every((a) => !a.datasource || byUid.has(a.datasource.uid))).toBe(true);
  });

  it('runs LogQL that parses once Grafana has put in its variables', () => {
    const exprs = board.panels.flatMap((p) => p.targets.map((t) => t.expr)).filter((e): e is string => !!e);
    expect(exprs.length).toBeGreaterThanOrEqual(4);
    for (const e of exprs) {
      const interpolated = e.replace(/\$__auto|\$__range/g, '5m').replace('${app:percentencode}', 'frontend-app');
      expect({ e, errors: parseErrors(interpolated) }).toEqual({ e, errors: 0 });
    }
  });

  describe('against Grafana’s dashboard model (@grafana/schema, the pinned version)', () => {
    const validate = dashboardValidator();

    it('is a valid dashboard', () => {
      expect(validate(board)).toEqual([]);
    });

    // The check itself can fail: each of these breaks the model the way a hand edit might.
    it.each<[string, (b: Record<string, any>) => void, RegExp]>([
      ['a panel without a type', (b) => delete b.panels[0].type, /\/panels\/0 .*type/],
      ['a grid position given as text', (b) => (b.panels[1].gridPos.h = '8'), /\/panels\/1\/gridPos\/h must be number/],
      ['a variable of no known kind', (b) => (b.templating.list[0].type = 'dropdown'), /\/templating\/list\/0\/type/],
      [
        'an annotation with no query id',
        (b) => delete b.annotations.list[0].target.refId,
        /\/annotations\/list\/0\/target/,
      ],
    ])('rejects %s', (_name, breakIt, where) => {
      const broken = JSON.parse(JSON.stringify(board));
      breakIt(broken);
      expect(validate(broken).join('\n')).toMatch(where);
    });
  });

  it('is the dashboard the alert rules link to, with the variables they set', () => {
    expect(board.uid).toBe(DASHBOARD_UID);
    const names = board.templating.list.map((v) => v.name);
    const links = grafanaAlertRules('loki').groups[0].rules.map((r) => r.annotations!.dashboard);
    for (const link of links) {
      expect(link.startsWith(`/d/${board.uid}`)).toBe(true);
      for (const [, v] of link.matchAll(/var-(\w+)=/g)) {
        expect(names).toContain(v);
      }
    }
  });
});
