import type { LogQuery } from '../logql/builder';
import type { StreamSelectors } from '../logql/questions';
import { RECORDED_JOB } from '../watch/recorded';
import { ACTOR, alertRule, type AlertRule } from './rule';

/**
 * Rules on the correlation's answers: they count the chains `provenance watch` records in
 * `{job="change-provenance", verdict=…}` (parsed with `| json`), for conditions no raw audit line shows. The
 * chain's fields become the labels the other rules use (`actor`, `objectRef_*`, `application`), so summaries
 * and dashboard links work alike; `chain` names the recorded chain's id.
 */

/** The recorded stream of one verdict, in the cluster the kube-apiserver selector names (if any). */
function recorded(s: Required<StreamSelectors>, verdict: string, lineFilters: LogQuery['lineFilters'] = []): LogQuery {
  const cluster = s['kube-audit'].cluster;
  return {
    selector: { job: RECORDED_JOB, verdict, ...(cluster ? { cluster } : {}) },
    lineFilters,
    json: true,
    labelFormats: [
      { label: ACTOR, template: '{{ .who_name }}' },
      { label: 'objectRef_resource', template: '{{ .effect_target_resource }}' },
      { label: 'objectRef_namespace', template: '{{ .effect_target_namespace }}' },
      { label: 'objectRef_name', template: '{{ .effect_target_name }}' },
      { label: 'application', template: '{{ .gitops_app }}' },
      { label: 'chain', template: '{{ .id }}' },
    ],
    labelFilters: [],
  };
}

const BY = ['objectRef_resource', 'objectRef_namespace', 'objectRef_name', ACTOR, 'application', 'chain'];

export const VERDICT_RULES: AlertRule[] = [
  alertRule('gitops', {
    id: 'recorded-manual-drift',
    title: 'Manual drift on a GitOps-managed object (correlated)',
    severity: 'high',
    lines: (s) => recorded(s, 'manual-drift'),
    by: BY,
    summary:
      '{{ $labels.actor }} changed {{ $labels.objectRef_resource }} {{ $labels.objectRef_namespace }}/{{ $labels.objectRef_name }} by hand; {{ $labels.application }} manages it',
    description:
      'The correlation found a person’s write to an object a GitOps controller wrote before (manual drift): only history shows it, not the audit line. Chain {{ $labels.chain }}.',
    runbook:
      'Open the chain in Change Provenance (trace --recorded, or the dashboard): who, from where, which app and commit own the object. Put the change in Git or let self-heal revert it.',
  }),
  alertRule('gitops', {
    id: 'recorded-rancher-no-person',
    title: 'Change through Rancher with no resolvable person (correlated)',
    severity: 'high',
    // Rancher's impersonation account without a Rancher audit record naming the person behind it.
    lines: (s) => ({
      ...recorded(s, 'manual', [
        { op: '|=', value: '(rancher-impersonation)' },
        { op: '!=', value: 'Rancher (audit ' },
      ]),
    }),
    by: BY,
    summary:
      'Rancher user {{ $labels.actor }} changed {{ $labels.objectRef_resource }} {{ $labels.objectRef_namespace }}/{{ $labels.objectRef_name }}; no Rancher record names the person',
    description:
      'A write through Rancher impersonation for which the correlation found no Rancher audit record: the person behind the Rancher user id is not known. Chain {{ $labels.chain }}.',
    runbook:
      'Check that the Rancher audit log (job=rancher-audit) is collected for this cluster and look the user id up in Rancher; the chain shows the impersonation hop and the client address.',
  }),
];
