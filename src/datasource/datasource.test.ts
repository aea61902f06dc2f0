import { dateTime, type DataQueryRequest, type DataSourceInstanceSettings, PluginType } from '@grafana/data';

import { DataSource } from './datasource';
import type { ProvenanceOptions, ProvenanceQuery } from './types';

// `id` is deprecated in Grafana 13 and unused by this plugin.
const settings = {
  uid: 'provenance',
  name: 'Change Provenance',
  type: 'provenance-gitops-datasource',
  access: 'proxy',
  readOnly: true,
  jsonData: {},
  meta: {
    id: 'provenance-gitops-datasource',
    name: 'Change Provenance',
    type: PluginType.datasource,
    info: {} as never,
    module: '',
    baseUrl: '',
  },
} as unknown as DataSourceInstanceSettings<ProvenanceOptions>;

describe('DataSource (placeholder until the Loki connection lands)', () => {
  it('answers every query with an explicit error per refId, never an empty success', async () => {
    const ds = new DataSource(settings);
    const range = { from: dateTime(0), to: dateTime(1000), raw: { from: 'now-1h', to: 'now' } };
    const request = {
      targets: [
        { refId: 'A', mode: 'chains' },
        { refId: 'B', mode: 'events' },
      ],
      range,
    } as unknown as DataQueryRequest<ProvenanceQuery>;
    const res = await ds.query(request);
    expect(res.data).toEqual([]);
    expect(res.errors?.map((e) => e.refId)).toEqual(['A', 'B']);
    expect(res.errors?.[0].message).toContain('not implemented yet');
    await expect(ds.testDatasource()).resolves.toMatchObject({ status: 'error' });
    expect(ds.getDefaultQuery()).toEqual({ mode: 'chains' });
  });
});
