import React from 'react';
import type { AppRootProps } from '@grafana/data';
import { Alert } from '@grafana/ui';

/** The app's only page for now: it says what the app ships. */
export function AppRoot(_: AppRootProps) {
  return (
    <Alert severity="info" title="Change Provenance">
      This app ships the Change Provenance data source and panel: who changed what in a Kubernetes cluster, when, from
      where and why, from the audit streams in Loki.
    </Alert>
  );
}
