import type { LogQuery } from '../logql/builder';
import type { StreamSelectors } from '../logql/questions';
import { regexAnyOf } from '../logql/strings';
import { RECORDED_JOB } from '../watch/recorded';
import { ACTOR, alertRule, WRITES, type AlertRule } from './rule';

/**
 * Rules on the correlation's answers: they count the chains `provenance watch` records in
 * `{job="change-provenance", verdict=…}` (parsed with `| json`), for conditions no raw audit line shows. The
 * chain's fields become the labels the other rules use (`actor`, `objectRef_*`, `application`), so summaries
 * and dashboard links work alike; `commit` is the GitOps commit, `chain` the recorded chain's id (the `chain`
 * annotation opens it in Explore).
 */

/**
 * The watcher writes a chain at its effect's time, at least its lag (21 min by default) after it: a count over
 * the last hour still sees the chain for more than half an hour once it is written. A five-minute count would
 * never see it.
 */
const RECORDED_RANGE = '60m';

interface Recorded {
  /** The verdict stream; absent: every verdict. */
  verdict?: string;
  lineFilters?: LogQuery['lineFilters'];
  labelFilters?: LogQuery['labelFilters'];
  /** More labels from the chain, for the summary. */
  labelFormats?: LogQuery['labelFormats'];
}

/** The recorded stream (of one verdict), in the cluster the kube-apiserver selector names (if any). */
function recorded(s: Required<StreamSelectors>, r: Recorded = {}): LogQuery {
  const cluster = s['kube-audit'].cluster;
  return {
    selector: { job: RECORDED_JOB, ...(r.verdict ? { verdict: r.verdict } : {}), ...(cluster ? { cluster } : {}) },
    lineFilters: r.lineFilters ?? [],
    json: true,
    labelFormats: [
      { label: ACTOR, template: '{{ .who_name }}' },
      { label: 'objectRef_resource', template: '{{ .effect_target_resource }}' },
      { label: 'objectRef_namespace', template: '{{ .effect_target_namespace }}' },
      { label: 'objectRef_name', template: '{{ .effect_target_name }}' },
      { label: 'application', template: '{{ .gitops_app }}' },
      { label: 'commit', template: '{{ .gitops_commit }}' },
      { label: 'chain', template: '{{ .id }}' },
      ...(r.labelFormats ?? []),
    ],
    labelFilters: r.labelFilters ?? [],
  };
}

const BY = ['objectRef_resource', 'objectRef_namespace', 'objectRef_name', ACTOR, 'application', 'commit', 'chain'];

/**
 * A line filter on a key of the chain JSON itself: `"key":{` can only be the key, since inside a JSON string a
 * quote is written `\"` — a value from the logs cannot fake it.
 */
const hasObject = (key: string): LogQuery['lineFilters'][number] => ({ op: '|=', value: `"${key}":{` });

const OPEN_IT =
  'Open the chain (the `chain` annotation, trace --recorded, or the dashboard): who, from where, which app and commit.';

export const VERDICT_RULES: AlertRule[] = [
  alertRule('gitops', {
    id: 'recorded-manual-drift',
    title: 'Manual drift on a GitOps-managed object (correlated)',
    severity: 'high',
    range: RECORDED_RANGE,
    lines: (s) => recorded(s, { verdict: 'manual-drift' }),
    by: BY,
    summary:
      '{{ $labels.actor }} changed {{ $labels.objectRef_resource }} {{ $labels.objectRef_namespace }}/{{ $labels.objectRef_name }} by hand; {{ $labels.application }} manages it (last commit {{ $labels.commit }})',
    description:
      'The correlation found a person’s write to an object a GitOps controller wrote before (manual drift): only history shows it, not the audit line. Chain {{ $labels.chain }}.',
    runbook: `${OPEN_IT} Put the change in Git or let self-heal revert it.`,
  }),
  alertRule('gitops', {
    id: 'recorded-rancher-no-person',
    title: 'Change through Rancher with no resolvable person (correlated)',
    severity: 'high',
    range: RECORDED_RANGE,
    // Rancher's impersonation account without a Rancher audit record naming the person behind it.
    lines: (s) =>
      recorded(s, {
        verdict: 'manual',
        lineFilters: [
          { op: '|=', value: '(rancher-impersonation)' },
          { op: '!=', value: 'Rancher (audit ' },
        ],
      }),
    by: BY,
    summary:
      'Rancher user {{ $labels.actor }} changed {{ $labels.objectRef_resource }} {{ $labels.objectRef_namespace }}/{{ $labels.objectRef_name }}; no Rancher record names the person',
    description:
      'A write through Rancher impersonation for which the correlation found no Rancher audit record: the person behind the Rancher user id is not known. Chain {{ $labels.chain }}.',
    runbook:
      'Check that the Rancher audit log (job=rancher-audit) is collected for this cluster and look the user id up in Rancher; the chain shows the impersonation hop and the client address.',
  }),
  alertRule('gitops', {
    id: 'recorded-rbac-enabled-delete',
    title: 'Delete by an identity that gained its rights in a recent RBAC change (correlated)',
    severity: 'critical',
    range: RECORDED_RANGE,
    // Every verdict: the seed's case is Argo CD's controller deleting after a person rebound its RoleBinding.
    lines: (s) =>
      recorded(s, {
        lineFilters: [hasObject('grantedBy')],
        labelFilters: [{ label: 'effect_verb', op: '=~', value: 'delete|deletecollection' }],
        labelFormats: [
          { label: 'identity', template: '{{ .effect_actor_name }}' },
          { label: 'granted_by', template: '{{ .grantedBy_by }}' },
          { label: 'grant', template: '{{ .grantedBy_object }}' },
          { label: 'grant_time', template: '{{ .grantedBy_time }}' },
        ],
      }),
    by: [...BY, 'identity', 'granted_by', 'grant', 'grant_time'],
    summary:
      '{{ $labels.identity }} deleted {{ $labels.objectRef_resource }} {{ $labels.objectRef_namespace }}/{{ $labels.objectRef_name }} (for {{ $labels.actor }}, app {{ $labels.application }}, commit {{ $labels.commit }}) with rights {{ $labels.granted_by }} gave it in {{ $labels.grant }} at {{ $labels.grant_time }}',
    description:
      'The identity that deleted the object is named by an RBAC change (Role or binding create, update or patch) within the RBAC look-back: the seed article’s "unauthorized deletion". Chain {{ $labels.chain }}.',
    runbook: `${OPEN_IT} Check the RBAC change in its context: was the grant reviewed? Revert it, restore the object from Git.`,
  }),
  alertRule('gitops', {
    id: 'recorded-protected-namespace-write',
    title: 'A person changed a protected namespace outside GitOps (correlated)',
    severity: 'high',
    range: RECORDED_RANGE,
    // Manual and manual-drift: a person's write no GitOps operation carried, after resolving Rancher and --as.
    lines: (s, settings) => {
      if (settings.protectedNamespaces.length === 0) {
        // An empty regex would match every cluster-scoped object.
        throw new Error('no protected namespaces set');
      }
      return recorded(s, {
        labelFilters: [
          { label: 'verdict', op: '=~', value: 'manual|manual-drift' },
          { label: 'who_kind', op: '=', value: 'human' },
          { label: 'effect_verb', op: '=~', value: WRITES },
          // Anchored by hand: Loki turns an alternation with a common prefix (`prod|prod-eu`) into "contains"
          // tests, and `^…$` keeps it from simplifying (loki v3.5.0 pkg/logql/log/filter.go, simplifyConcat).
          {
            label: 'effect_target_namespace',
            op: '=~',
            value: `^(?:${regexAnyOf(settings.protectedNamespaces)})$`,
          },
        ],
      });
    },
    by: BY,
    summary:
      '{{ $labels.actor }} changed {{ $labels.objectRef_resource }} {{ $labels.objectRef_namespace }}/{{ $labels.objectRef_name }} by hand, in a protected namespace (app {{ $labels.application }}, commit {{ $labels.commit }})',
    description:
      'A person’s write in a namespace marked protected (`provenance rules --protected-namespaces`) that no GitOps sync carried. Chain {{ $labels.chain }}.',
    runbook: `${OPEN_IT} Changes in protected namespaces go through Git: put it there, or revert it.`,
  }),
  alertRule('gitops', {
    id: 'recorded-rollback-after-failed-sync',
    title: 'Argo CD rollback after a failed sync (correlated)',
    severity: 'warning',
    range: RECORDED_RANGE,
    lines: (s) =>
      recorded(s, {
        verdict: 'gitops-rollback',
        lineFilters: [hasObject('failedSyncBefore')],
        labelFormats: [{ label: 'failed_sync', template: '{{ .failedSyncBefore_time }}' }],
      }),
    by: [...BY, 'failed_sync'],
    summary:
      '{{ $labels.actor }} rolled {{ $labels.application }} back to {{ $labels.commit }} after its sync failed at {{ $labels.failed_sync }}: {{ $labels.objectRef_resource }} {{ $labels.objectRef_namespace }}/{{ $labels.objectRef_name }}',
    description:
      'An Argo CD rollback wrote this object, and the app’s sync before it failed (within the failure look-back): the commit in Git does not run. Chain {{ $labels.chain }}.',
    runbook: `${OPEN_IT} Read why the sync failed (the chain's context), fix the commit in Git, then re-enable auto-sync.`,
  }),
];
