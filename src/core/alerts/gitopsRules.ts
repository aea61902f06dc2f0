import { alertRule, BY_A_PERSON, kubeAuditQuery, WRITES, type AlertRule } from './rule';

const gitopsRule = (r: Parameters<typeof alertRule>[1]) => alertRule('gitops', r);

/**
 * GitOps conditions: what breaks the promise that the cluster is what Git says. A manual write to a GitOps-owned
 * object is caught here when the audit line itself shows the owner's marks; when only history shows it (a
 * GitOps controller wrote the object earlier) it takes the correlation: the data source's `manual-drift` verdict.
 */
export const GITOPS_RULES: AlertRule[] = [
  gitopsRule({
    id: 'manual-gitops-write',
    title: 'Manual change to a GitOps-managed object',
    severity: 'high',
    lines: (s) =>
      kubeAuditQuery(
        s,
        // The ownership marks the correlation's drift rule reads: Argo CD's tracking annotation or instance
        // label, Fleet's objectset id.
        [
          {
            op: '|~',
            value:
              'argocd\\.argoproj\\.io/tracking-id|"app\\.kubernetes\\.io/instance"|objectset\\.rio\\.cattle\\.io/id',
          },
        ],
        [{ label: 'verb', op: '=~', value: WRITES }, BY_A_PERSON]
      ),
    by: ['objectRef_resource', 'objectRef_namespace', 'objectRef_name', 'actor'],
    summary:
      '{{ $labels.actor }} changed {{ $labels.objectRef_resource }} {{ $labels.objectRef_namespace }}/{{ $labels.objectRef_name }} by hand; Argo CD or Fleet manages it',
    description:
      'A person wrote an object that carries Argo CD or Fleet ownership marks: the cluster now differs from Git until the next sync (seen when the audit policy records request or response bodies; `app.kubernetes.io/instance` is also set by plain Helm charts).',
    runbook:
      'Open the object in Change Provenance: it shows who, from where, and which app and commit own it. Put the change in Git or let self-heal revert it.',
  }),
  gitopsRule({
    id: 'rancher-unresolved-person',
    title: 'Rancher-impersonated change that names no person',
    severity: 'high',
    lines: (s) =>
      kubeAuditQuery(
        s,
        [
          { op: '|=', value: 'cattle-impersonation-system' },
          // Rancher puts the person's login in impersonatedUser.extra.username; without it only the Rancher
          // audit log can say who it was.
          { op: '!~', value: '"extra":\\{[^}]*"username":' },
        ],
        [
          { label: 'user_username', op: '=~', value: 'system:serviceaccount:cattle-impersonation-system:.+' },
          { label: 'verb', op: '=~', value: WRITES },
        ]
      ),
    by: ['actor', 'objectRef_namespace'],
    summary:
      'Rancher user {{ $labels.actor }} changed {{ $labels.objectRef_namespace }} with no name in the audit line',
    description:
      'A write through Rancher impersonation whose audit line does not carry the person’s login: only the Rancher audit log (job=rancher-audit) can tell who it was.',
    runbook:
      'Open the change in Change Provenance: with the Rancher audit stream it names the person and their IP; without it, ship that stream.',
  }),
  gitopsRule({
    id: 'argocd-sync-failed',
    title: 'Argo CD sync failed',
    severity: 'warning',
    // The controller's "Sync operation to <rev> failed: …" ("Partial sync operation …", no "to <rev>" when there
    // was no sync result), in logrus' text format (Argo CD's default up to v2.14: `application=shop`) or JSON
    // (the default since v3.0: `"application":"shop"`); one regexp reads the app from both, where `| json` would
    // drop every text line and `| logfmt` read no key of a JSON one.
    lines: (s) => ({
      selector: s.argocd,
      lineFilters: [{ op: '|~', value: 'ync operation (to [^ ]* )?failed' }],
      json: false,
      extract: '[{ ,]"?application"?[=:]"?(?P<application>[^" ,}]+)',
      labelFilters: [],
    }),
    by: ['application'],
    range: '10m',
    summary: 'Argo CD could not sync {{ $labels.application }}',
    description: 'A sync operation ended in failure; the cluster no longer matches the commit it was asked to apply.',
    runbook:
      'Open the app in Change Provenance: a failed sync followed by a rollback or a manual write is the usual story.',
  }),
  gitopsRule({
    id: 'gitops-trust-boundary',
    title: 'GitOps trust boundary changed',
    severity: 'high',
    lines: (s) =>
      kubeAuditQuery(
        s,
        // The builder has no `or` between label filters: the ConfigMap names are matched in the line instead.
        [{ op: '|~', value: '"resource":"(appprojects|gitreporestrictions)"|"name":"argocd-(rbac-)?cm"' }],
        [
          { label: 'verb', op: '=~', value: 'create|update|patch|delete' },
          { label: 'objectRef_resource', op: '=~', value: 'appprojects|gitreporestrictions|configmaps' },
        ]
      ),
    by: ['objectRef_resource', 'objectRef_name', 'actor'],
    summary: '{{ $labels.actor }} changed {{ $labels.objectRef_resource }} {{ $labels.objectRef_name }}',
    description:
      'An Argo CD AppProject, Argo CD RBAC / settings ConfigMap or Fleet GitRepoRestriction was written: these decide what Git may deploy where.',
    runbook: 'Compare with the reviewed configuration in Git; revert unreviewed changes.',
  }),
  gitopsRule({
    id: 'gitops-paused',
    title: 'Auto-sync disabled or GitRepo paused',
    severity: 'warning',
    lines: (s) =>
      kubeAuditQuery(
        s,
        [{ op: '|~', value: '"automated":null|"paused":true' }],
        [
          { label: 'verb', op: '=~', value: 'update|patch' },
          { label: 'objectRef_resource', op: '=~', value: 'applications|gitrepos' },
        ]
      ),
    by: ['objectRef_namespace', 'objectRef_name', 'actor'],
    summary: '{{ $labels.actor }} stopped GitOps for {{ $labels.objectRef_namespace }}/{{ $labels.objectRef_name }}',
    description:
      'Auto-sync was switched off on an Argo CD Application, or a Fleet GitRepo was paused: changes made by hand will now stay (seen when the audit policy records request bodies for these resources).',
    runbook: 'Ask why; turn GitOps back on once the incident is over.',
  }),
];
