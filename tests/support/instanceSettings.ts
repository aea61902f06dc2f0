import { PluginType, type DataSourceInstanceSettings } from '@grafana/data';

import type { ProvenanceOptions } from '../../src/datasource/types';

/** The instance settings Grafana hands the Change Provenance data source, with the given JSON data. */
export function provenanceSettings(jsonData: ProvenanceOptions): DataSourceInstanceSettings<ProvenanceOptions> {
  return {
    uid: 'provenance',
    name: 'Change Provenance',
    type: 'provenance-gitops-datasource',
    access: 'proxy',
    readOnly: true,
    jsonData,
    meta: {
      id: 'provenance-gitops-datasource',
      name: 'Change Provenance',
      type: PluginType.datasource,
      info: {} as never,
      module: '',
      baseUrl: '',
    },
  } as unknown as DataSourceInstanceSettings<ProvenanceOptions>;
}
