import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Alert } from '@grafana/ui';

import type { DataSource } from '../datasource';
import type { ProvenanceOptions, ProvenanceQuery } from '../types';

export function QueryEditor(_: QueryEditorProps<DataSource, ProvenanceQuery, ProvenanceOptions>) {
  return (
    <Alert severity="info" title="Change Provenance">
      The query editor (target, actor, verbs, verdicts) arrives in a later version.
    </Alert>
  );
}
