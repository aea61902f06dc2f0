import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Field, FieldSet, Input, MultiCombobox, Stack } from '@grafana/ui';

import { ALL_ROUTINE, DEFAULT_SELECTORS, ROUTINE_CLASSES, type RoutineClass } from '../../core';
import { parseSelectorText, selectorText } from '../selectors';
import type { ProvenanceOptions, SelectorText } from '../types';

type Props = DataSourcePluginOptionsEditorProps<ProvenanceOptions>;

const WINDOWS: Array<{
  key: keyof NonNullable<ProvenanceOptions['windows']>;
  label: string;
  unit: 's' | 'min' | 'h' | 'd';
  def: number;
}> = [
  { key: 'skewMs', label: 'Clock skew between sources', unit: 's', def: 2 },
  { key: 'syncWindowMs', label: 'Sync window', unit: 'min', def: 10 },
  { key: 'fleetLookbackMs', label: 'Fleet look-back', unit: 'min', def: 30 },
  { key: 'rbacLookbackMs', label: 'RBAC look-back', unit: 'h', def: 24 },
  { key: 'driftLookbackMs', label: 'Drift look-back', unit: 'd', def: 7 },
];
const UNIT_MS = { s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

const SOURCES: Array<{ key: keyof SelectorText; label: string; help: string }> = [
  {
    key: 'kube-audit',
    label: 'kube-apiserver audit log',
    help: 'The stream of the audit log file (Alloy loki.source.file).',
  },
  { key: 'rancher-audit', label: 'Rancher API audit log', help: 'The rancher-audit-log sidecar of the rancher pod.' },
  { key: 'argocd', label: 'Argo CD', help: 'argocd-server and application-controller logs, and Application events.' },
  { key: 'fleet', label: 'Fleet', help: 'fleet-controller and fleet-agent logs, and GitRepo events.' },
];

/** Which Loki data source holds the audit streams, and the labels that select each stream. */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const json = options.jsonData;
  const set = (patch: Partial<ProvenanceOptions>) => onOptionsChange({ ...options, jsonData: { ...json, ...patch } });
  return (
    <Stack direction="column" gap={2}>
      <FieldSet label="Loki">
        <Field
          label="Loki data source"
          description="The Loki data source that holds the audit streams. Its authentication and tenant are used."
        >
          <DataSourcePicker
            inputId="provenance-loki"
            type="loki"
            noDefault
            width={40}
            current={json.lokiUid ?? null}
            onChange={(ds) => set({ lokiUid: ds.uid })}
          />
        </Field>
        <Field
          label="Lines per request"
          description="Lines asked per Loki request; the Loki data source's own maximum applies."
        >
          <Input
            type="number"
            width={12}
            value={json.pageLimit ?? 1000}
            onChange={(e) => set({ pageLimit: Math.max(1, Number(e.currentTarget.value) || 1000) })}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Routine system traffic">
        <Field
          label="Left out of every answer"
          description="Writes the cluster's own components make all the time. A person's or a GitOps controller's write, or a denied request, is never left out. Clear the list to keep everything."
        >
          <MultiCombobox<string>
            aria-label="Routine classes left out"
            width={60}
            options={ROUTINE_CLASSES.map((c) => ({ value: c.name, label: c.name, description: c.description }))}
            value={[...(json.excludeRoutine ?? ALL_ROUTINE)]}
            onChange={(v) => set({ excludeRoutine: v.map((x) => x.value as RoutineClass) })}
            placeholder="none: keep everything"
          />
        </Field>
      </FieldSet>
      <FieldSet label="Stream selectors">
        {SOURCES.map(({ key, label, help }) => {
          const text = json.selectors?.[key] ?? '';
          const invalid = text !== '' && parseSelectorText(text) === undefined;
          return (
            <Field
              key={key}
              label={label}
              description={help}
              invalid={invalid}
              error={invalid ? 'Write label=value pairs separated by commas.' : undefined}
            >
              <Input
                aria-label={`${key} selector`}
                width={50}
                placeholder={selectorText(DEFAULT_SELECTORS[key])}
                value={text}
                onChange={(e) => set({ selectors: { ...json.selectors, [key]: e.currentTarget.value } })}
              />
            </Field>
          );
        })}
      </FieldSet>
      <FieldSet label="Client addresses">
        <Field
          label="Trusted proxies"
          description="CIDR ranges of the ingress and load balancers in front of Rancher and the API server, comma-separated (e.g. 10.42.0.0/16). Their X-Forwarded-For hop is taken as the client; without them the first hop is shown as claimed by the client."
        >
          <Input
            aria-label="Trusted proxies"
            width={50}
            placeholder="10.42.0.0/16, 192.0.2.10"
            value={json.trustedProxies ?? ''}
            onChange={(e) => set({ trustedProxies: e.currentTarget.value })}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Correlation windows">
        {WINDOWS.map(({ key, label, unit, def }) => (
          <Field key={key} label={`${label} (${unit})`} description={`Default ${def} ${unit}.`}>
            <Input
              aria-label={label}
              type="number"
              width={12}
              placeholder={String(def)}
              value={json.windows?.[key] !== undefined ? (json.windows[key] as number) / UNIT_MS[unit] : ''}
              onChange={(e) => {
                const v = e.currentTarget.value;
                const windows = { ...json.windows };
                if (v === '' || !(Number(v) > 0)) {
                  delete windows[key];
                } else {
                  windows[key] = Number(v) * UNIT_MS[unit];
                }
                set({ windows });
              }}
            />
          </Field>
        ))}
      </FieldSet>
    </Stack>
  );
}
