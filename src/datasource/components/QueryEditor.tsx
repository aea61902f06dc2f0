import React, { useMemo, useState } from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import {
  ClipboardButton,
  InlineField,
  InlineSwitch,
  Input,
  LinkButton,
  MultiCombobox,
  RadioButtonGroup,
  Stack,
} from '@grafana/ui';
import { config } from '@grafana/runtime';

import type { DataSource } from '../datasource';
import type { ProvenanceMode, ProvenanceOptions, ProvenanceQuery } from '../types';

type Props = QueryEditorProps<DataSource, ProvenanceQuery, ProvenanceOptions>;
type SuggestKey = 'resource' | 'namespace' | 'name';

const MODES: Array<SelectableValue<ProvenanceMode>> = [
  { label: 'Chains', value: 'chains', description: 'One row per change: who, what, why' },
  { label: 'Events', value: 'events', description: 'Every normalised record' },
  { label: 'Graph', value: 'graph', description: 'People, operations, commits and objects' },
  { label: 'Raw logs', value: 'logs', description: 'The audit lines of the changes' },
];

const SOURCES: Array<{ label: string; value: 'rancher-audit' | 'argocd' | 'fleet' }> = [
  { label: 'Rancher', value: 'rancher-audit' },
  { label: 'Argo CD', value: 'argocd' },
  { label: 'Fleet', value: 'fleet' },
];

const VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'].map((v) => ({ label: v, value: v }));

const VERDICTS = ['gitops-sync', 'gitops-rollback', 'manual-drift', 'manual', 'controller', 'unknown'].map((v) => ({
  label: v,
  value: v,
}));

/**
 * Grafana's new-alert-rule page, prefilled with a rule that can evaluate: A the metric form of this query on the
 * Loki data source, B its last value (reduce), C B > 0 (threshold), condition C — as Grafana 13.1's rule form
 * reads `defaults` (public/app/features/alerting/unified/rule-editor/formDefaults.ts formValuesFromQueryParams;
 * type `grafana-alerting`, RuleFormType.grafana). Under Grafana's sub-path when it has one.
 */
export function alertRuleUrl(lokiUid: string, expr: string, title: string): string {
  const expression = { type: '__expr__', uid: '__expr__' };
  const defaults = {
    type: 'grafana-alerting',
    name: title,
    queries: [
      {
        refId: 'A',
        datasourceUid: lokiUid,
        queryType: '',
        relativeTimeRange: { from: 600, to: 0 },
        model: { refId: 'A', expr, queryType: 'range', datasource: { type: 'loki', uid: lokiUid } },
      },
      {
        refId: 'B',
        datasourceUid: '__expr__',
        queryType: '',
        model: { refId: 'B', type: 'reduce', expression: 'A', reducer: 'last', datasource: expression },
      },
      {
        refId: 'C',
        datasourceUid: '__expr__',
        queryType: '',
        model: {
          refId: 'C',
          type: 'threshold',
          expression: 'B',
          conditions: [{ evaluator: { type: 'gt', params: [0] } }],
          datasource: expression,
        },
      },
    ],
    condition: 'C',
  };
  return `${config.appSubUrl ?? ''}/alerting/new/alerting?defaults=${encodeURIComponent(JSON.stringify(defaults))}`;
}

export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const set = (patch: Partial<ProvenanceQuery>, run = false) => {
    onChange({ ...query, ...patch });
    if (run) {
      onRunQuery();
    }
  };
  const [suggestions, setSuggestions] = useState<Partial<Record<SuggestKey, string[]>>>({});
  const suggest = (key: SuggestKey) => {
    if (suggestions[key] === undefined) {
      setSuggestions((s) => ({ ...s, [key]: [] }));
      datasource.suggest(key).then(
        (values) => setSuggestions((s) => ({ ...s, [key]: values })),
        () => undefined
      );
    }
  };
  const text = (
    key: 'resource' | 'namespace' | 'name' | 'actor' | 'text',
    label: string,
    placeholder: string,
    width = 20
  ) => {
    const suggestible = key === 'resource' || key === 'namespace' || key === 'name';
    return (
      <InlineField label={label}>
        <>
          <Input
            aria-label={label}
            width={width}
            placeholder={placeholder}
            value={query[key] ?? ''}
            list={suggestible ? `provenance-${key}` : undefined}
            onFocus={suggestible ? () => suggest(key) : undefined}
            onChange={(e) => set({ [key]: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
          {suggestible && (
            <datalist id={`provenance-${key}`} data-testid={`suggestions-${key}`}>
              {(suggestions[key] ?? []).map((v) => (
                <option key={v} value={v} />
              ))}
            </datalist>
          )}
        </>
      </InlineField>
    );
  };
  const logql = useMemo(() => datasource.effectsLogQL(query), [datasource, query]);
  const alertExpr = useMemo(() => datasource.alertLogQL(query), [datasource, query]);
  const lokiUid = datasource.lokiUid ?? '';
  return (
    <Stack direction="column" gap={1}>
      <RadioButtonGroup<ProvenanceMode>
        options={MODES}
        value={query.mode ?? 'chains'}
        onChange={(mode) => set({ mode }, true)}
      />
      <Stack wrap="wrap" gap={1}>
        {text('resource', 'Resource', 'deployments')}
        {text('namespace', 'Namespace', 'production')}
        {text('name', 'Name', 'frontend-app', 24)}
        {text('actor', 'Actor', 'login, user or initiator', 24)}
        {text('text', 'Line contains', 'any text in the audit line', 28)}
        <InlineField
          label="Explain with"
          tooltip="Streams read to explain the changes; the kube-apiserver audit log is always read."
        >
          <MultiCombobox<string>
            aria-label="Explain with"
            width={36}
            options={SOURCES}
            value={query.sources ?? SOURCES.map((x) => x.value)}
            onChange={(v) => set({ sources: v.map((x) => x.value as 'rancher-audit' | 'argocd' | 'fleet') }, true)}
          />
        </InlineField>
        <InlineField label="Verbs">
          <MultiCombobox<string>
            aria-label="Verbs"
            width={40}
            options={VERBS}
            value={query.verbs ?? []}
            onChange={(v) => set({ verbs: v.map((x) => x.value) }, true)}
            placeholder="every write"
          />
        </InlineField>
        <InlineField label="Verdicts">
          <MultiCombobox<string>
            aria-label="Verdicts"
            width={40}
            options={VERDICTS}
            value={query.verdicts ?? []}
            onChange={(v) => set({ verdicts: v.map((x) => x.value) }, true)}
            placeholder="all"
          />
        </InlineField>
        <InlineField
          label="Keep routine traffic"
          tooltip="Leases, Events, token and access reviews, node and pod status heartbeats, Endpoints/EndpointSlices written by their own components: left out unless this is on."
        >
          <InlineSwitch
            aria-label="Keep routine traffic"
            value={query.keepRoutine ?? false}
            onChange={(e) => set({ keepRoutine: e.currentTarget.checked }, true)}
          />
        </InlineField>
        {datasource.readsRecorded && (
          <InlineField
            label="Correlate live"
            tooltip="This data source reads the chains provenance watch recorded (Chains, Graph). On: correlate this query from the audit lines instead — slower over long ranges."
          >
            <InlineSwitch
              aria-label="Correlate live"
              value={query.live ?? false}
              onChange={(e) => set({ live: e.currentTarget.checked }, true)}
            />
          </InlineField>
        )}
      </Stack>
      <Stack gap={1} alignItems="center">
        <pre data-testid="provenance-logql" style={{ margin: 0, whiteSpace: 'pre-wrap', flex: 1 }}>
          {logql}
        </pre>
        <ClipboardButton icon="copy" variant="secondary" size="sm" getText={() => logql}>
          Copy LogQL
        </ClipboardButton>
        <LinkButton
          icon="bell"
          variant="secondary"
          size="sm"
          href={alertRuleUrl(lokiUid, alertExpr, 'Changes: ' + (query.name || query.namespace || 'cluster'))}
          disabled={!lokiUid}
        >
          Create alert rule
        </LinkButton>
      </Stack>
    </Stack>
  );
}
