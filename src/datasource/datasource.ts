import {
  type DataQueryRequest,
  type DataQueryResponse,
  DataSourceApi,
  type DataSourceInstanceSettings,
  type TestDataSourceResponse,
} from '@grafana/data';

import { DEFAULT_QUERY, type ProvenanceOptions, type ProvenanceQuery } from './types';

/**
 * Placeholder: reading Loki and correlating arrive with the data source issue. Until then every query answers
 * with no data and a notice that says so, instead of failing silently.
 */
export class DataSource extends DataSourceApi<ProvenanceQuery, ProvenanceOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<ProvenanceOptions>) {
    super(instanceSettings);
  }

  getDefaultQuery(): Partial<ProvenanceQuery> {
    return DEFAULT_QUERY;
  }

  async query(request: DataQueryRequest<ProvenanceQuery>): Promise<DataQueryResponse> {
    return {
      data: [],
      errors: request.targets.map((t) => ({
        refId: t.refId,
        message: 'Change Provenance: querying Loki is not implemented yet.',
      })),
    };
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    return { status: 'error', message: 'Change Provenance: the Loki connection is not implemented yet.' };
  }
}
