import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Alert } from '@grafana/ui';

import type { ProvenanceOptions } from '../types';

export function ConfigEditor(_: DataSourcePluginOptionsEditorProps<ProvenanceOptions>) {
  return (
    <Alert severity="info" title="Change Provenance">
      Choosing the Loki data source that holds your audit streams arrives in a later version.
    </Alert>
  );
}
