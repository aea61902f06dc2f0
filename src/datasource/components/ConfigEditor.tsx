import React, { useState } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Field, FieldSet, Input, InlineSwitch, MultiCombobox, Stack } from '@grafana/ui';

import { ALL_ROUTINE, DEFAULT_SELECTORS, renderSelector, ROUTINE_CLASSES, type RoutineClass } from '../../core';
import { readSelector } from '../selectors';
import type { ProvenanceOptions, SelectorText } from '../types';

type Props = DataSourcePluginOptionsEditorProps<ProvenanceOptions>;

/** The `cluster` label of a selector setting, when it reads and has one. */
function readClusterOf(text: string | undefined): string | undefined {
  const r = text?.trim() ? readSelector(text) : undefined;
  return r && 'labels' in r ? r.labels.cluster : undefined;
}
type WindowKey = keyof NonNullable<ProvenanceOptions['windows']>;

/** Each window with what it decides, its unit, its default (core's DEFAULT_OPTIONS) and the range that makes sense. */
const WINDOWS: Array<{
  key: WindowKey;
  label: string;
  unit: 's' | 'min' | 'h' | 'd';
  def: number;
  max: number;
  min: number;
  help: string;
}> = [
  {
    key: 'skewMs',
    label: 'Clock skew between sources',
    unit: 's',
    def: 2,
    min: 0,
    max: 300,
    help: 'How far apart two logs of one request may be stamped and still be linked (Rancher logs whole seconds).',
  },
  {
    key: 'syncWindowMs',
    label: 'Sync window',
    unit: 'min',
    def: 10,
    min: 1,
    max: 1440,
    help: "How long after an Argo CD sync or rollback starts the controller's writes still count as that sync.",
  },
  {
    key: 'fleetLookbackMs',
    label: 'Fleet look-back',
    unit: 'min',
    def: 30,
    min: 1,
    max: 1440,
    help: 'How far before a Fleet deployment a GitRepo edit or commit is taken as its cause.',
  },
  {
    key: 'rbacLookbackMs',
    label: 'RBAC look-back',
    unit: 'h',
    def: 24,
    min: 1,
    max: 720,
    help: 'How far back changes to the rights of the acting identity are shown as context of a change.',
  },
  {
    key: 'driftLookbackMs',
    label: 'Drift look-back',
    unit: 'd',
    def: 7,
    min: 1,
    max: 90,
    help: "How far back a GitOps controller's write marks an object as managed, so a person's write to it is drift.",
  },
];
const UNIT_MS = { s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 };
const PAGE_LIMIT = { def: 1000, min: 1, max: 50_000 };

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

/** Why a typed number cannot be used, or undefined when it can. */
export function numberError(text: string, min: number, max: number, integer = false): string | undefined {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) {
    return 'Type a number';
  }
  if (integer && !Number.isInteger(v)) {
    return 'Type a whole number';
  }
  if (v < min || v > max) {
    return `Between ${min.toLocaleString('en')} and ${max.toLocaleString('en')}`;
  }
  return undefined;
}

interface NumberFieldProps {
  label: string;
  description: string;
  stored: number | undefined;
  def: number;
  unit: string;
  min: number;
  max: number;
  integer?: boolean;
  /** A valid number, or undefined for "use the default" (cleared or refused). */
  onValue: (v: number | undefined) => void;
}

/**
 * A number that can be cleared and typed digit by digit: the text is the field's own, and only a number within
 * range reaches the settings. Anything else says what is wrong and that the default is used meanwhile.
 */
function NumberField({ label, description, stored, def, unit, min, max, integer, onValue }: NumberFieldProps) {
  const [text, setText] = useState(stored === undefined ? '' : String(stored));
  const error = text === '' ? undefined : numberError(text, min, max, integer);
  return (
    <Field
      label={`${label} (${unit})`}
      description={description}
      invalid={error !== undefined}
      error={error && `${error} ${unit}; the default ${def.toLocaleString('en')} ${unit} is used until then.`}
    >
      <Input
        aria-label={label}
        type="number"
        inputMode="decimal"
        min={min}
        max={max}
        width={14}
        placeholder={`${def}`}
        value={text}
        onChange={(e) => {
          const next = e.currentTarget.value;
          setText(next);
          onValue(next !== '' && numberError(next, min, max, integer) === undefined ? Number(next) : undefined);
        }}
      />
    </Field>
  );
}

/** Which Loki data source holds the audit streams, the labels that select each stream, and the windows. */
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
        <NumberField
          label="Lines per request"
          description="Lines asked per Loki request. Loki refuses more than its max_entries_limit_per_query (5000 unless raised)."
          unit="lines"
          stored={json.pageLimit}
          {...PAGE_LIMIT}
          integer
          onValue={(pageLimit) => set({ pageLimit })}
        />
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
          const reading = text.trim() === '' ? undefined : readSelector(text);
          const error = reading && 'error' in reading ? reading.error : undefined;
          const def = renderSelector(DEFAULT_SELECTORS[key]);
          return (
            <Field
              key={key}
              label={label}
              description={`${help} A Loki stream selector; empty: ${def}.`}
              invalid={error !== undefined}
              error={error && `${error}; the default ${def} is used until then.`}
            >
              <Input
                aria-label={`${key} selector`}
                width={50}
                placeholder={def}
                value={text}
                onChange={(e) => set({ selectors: { ...json.selectors, [key]: e.currentTarget.value } })}
              />
            </Field>
          );
        })}
      </FieldSet>
      <FieldSet label="Recorded chains">
        <Field
          label="Read recorded chains"
          description="Where provenance watch records every chain in this Loki: Chains and Node graph queries, annotations and variables read the recorded chains instead of correlating (fast over 30 days); the part of the range not recorded yet is correlated live, and a notice says which part. A query can still ask to correlate live."
        >
          <InlineSwitch
            aria-label="Read recorded chains"
            value={json.recordedChains ?? false}
            onChange={(e) => set({ recordedChains: e.currentTarget.checked })}
          />
        </Field>
        <Field
          label="Recorded cluster"
          description="The --cluster provenance watch records with; empty: the cluster label of the kube-apiserver selector, if it has one (else every cluster's chains)."
        >
          <Input
            aria-label="Recorded cluster"
            width={30}
            placeholder={readClusterOf(json.selectors?.['kube-audit']) ?? 'every cluster'}
            value={json.recordedCluster ?? ''}
            onChange={(e) => set({ recordedCluster: e.currentTarget.value })}
          />
        </Field>
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
        {WINDOWS.map(({ key, label, unit, def, min, max, help }) => (
          <NumberField
            key={key}
            label={label}
            description={`${help} Default ${def} ${unit}.`}
            unit={unit}
            def={def}
            min={min}
            max={max}
            stored={json.windows?.[key] !== undefined ? (json.windows[key] as number) / UNIT_MS[unit] : undefined}
            onValue={(v) => {
              const windows = { ...json.windows };
              if (v === undefined) {
                delete windows[key];
              } else {
                windows[key] = v * UNIT_MS[unit];
              }
              set({ windows });
            }}
          />
        ))}
      </FieldSet>
    </Stack>
  );
}
