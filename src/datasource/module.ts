import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import type { ProvenanceOptions, ProvenanceQuery } from './types';

export const plugin = new DataSourcePlugin<DataSource, ProvenanceQuery, ProvenanceOptions>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
