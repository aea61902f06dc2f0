import React, { useState } from 'react';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import { Alert, Button, Field, RadioButtonList, Stack } from '@grafana/ui';
import { lastValueFrom } from 'rxjs';

import type { AppSettings } from '../App';
import { DATASOURCE_TYPE } from '../shared/routes';

/**
 * The app's configuration page: which Change Provenance data source the pages ask (none chosen: the first one).
 * Saved in the app's jsonData as Grafana's own app plugins save it — `POST /api/plugins/<id>/settings` with
 * `{ enabled, pinned, jsonData }`, then a reload, since Grafana hands an app its settings only when it loads.
 */
const FIRST = '(first)';

export function AppConfig({ plugin }: PluginConfigPageProps<AppPluginMeta<AppSettings>>) {
  const { id, enabled, pinned, jsonData } = plugin.meta;
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- `@grafana/runtime/internal` is missing before 13.1.
  const list = getDataSourceSrv().getList({ pluginId: DATASOURCE_TYPE });
  // The radio list checks no option whose value is '': "the first one" has a value of its own.
  const [chosen, setChosen] = useState(jsonData?.datasourceUid ?? FIRST);
  const [problem, setProblem] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const stale = chosen !== FIRST && !list.some((d) => d.uid === chosen);
  const options = [
    { value: FIRST, label: list[0] ? `The first one (${list[0].name})` : 'The first one (there is none yet)' },
    ...list.map((d) => ({ value: d.uid, label: d.name })),
    ...(stale ? [{ value: chosen, label: `${chosen} (no longer exists)` }] : []),
  ];
  const save = async () => {
    setSaving(true);
    setProblem(undefined);
    try {
      const next: AppSettings = { ...jsonData, datasourceUid: chosen === FIRST ? undefined : chosen };
      await lastValueFrom(
        getBackendSrv().fetch({
          url: `/api/plugins/${id}/settings`,
          method: 'POST',
          data: { enabled, pinned, jsonData: next },
        })
      );
      window.location.reload();
    } catch (e) {
      const message =
        (e as { data?: { message?: string }; message?: string })?.data?.message ?? String((e as Error)?.message ?? e);
      setProblem(
        `The settings were not saved: ${message}. You need the Admin role in this organisation to change them.`
      );
      setSaving(false);
    }
  };
  return (
    <Stack direction="column" gap={2}>
      {list.length === 0 && (
        <Alert severity="warning" title="No Change Provenance data source">
          Add one (Connections → Data sources → Change Provenance) and point it at the Loki that holds your audit
          streams; the pages use it.
        </Alert>
      )}
      {stale && (
        <Alert severity="warning" title="The chosen data source no longer exists">
          The pages show this until another is chosen and saved.
        </Alert>
      )}
      <Field
        label="Data source the pages use"
        description="Investigate, Object history, Person trail and Source health ask it."
      >
        <RadioButtonList name="provenance-datasource" options={options} value={chosen} onChange={setChosen} />
      </Field>
      {problem && (
        <Alert severity="error" title="Not saved">
          {problem}
        </Alert>
      )}
      <div>
        <Button onClick={save} disabled={saving}>
          Save settings
        </Button>
      </div>
    </Stack>
  );
}
