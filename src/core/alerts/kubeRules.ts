import { SESSION_SUBRESOURCES } from '../model';
import { alertRule, BY_A_PERSON, kubeAuditQuery, type AlertRule } from './rule';

const SESSIONS = SESSION_SUBRESOURCES.join('|');

const falcoRule = (r: Parameters<typeof alertRule>[1]) => alertRule('falco', r);

/**
 * Conditions after Falco's k8saudit rules (see the reference's peers notes, section B), on the audit lines in Loki.
 * Line filters come first so Loki drops most lines before parsing JSON; arrays (rules, containers) are not
 * flattened by `| json`, so conditions inside them are line filters.
 */
export const KUBE_RULES: AlertRule[] = [
  falcoRule({
    id: 'clusterrole-wildcard',
    title: 'ClusterRole with wildcard written',
    severity: 'high',
    lines: (s) =>
      kubeAuditQuery(
        s,
        [
          { op: '|=', value: 'clusterroles' },
          { op: '|~', value: '"(resources|verbs)":\\[[^\\]]*"\\*"' },
        ],
        [
          { label: 'objectRef_resource', op: '=', value: 'clusterroles' },
          { label: 'verb', op: '=~', value: 'create|update|patch' },
        ]
      ),
    by: ['objectRef_name', 'actor'],
    summary: '{{ $labels.actor }} wrote ClusterRole {{ $labels.objectRef_name }} granting "*"',
    description: 'A ClusterRole that allows every resource or verb was created or changed.',
    runbook:
      'Open the change in Change Provenance; if no GitOps sync explains it, revert the ClusterRole and review who bound it.',
  }),
  falcoRule({
    id: 'binding-cluster-admin',
    title: 'Binding to cluster-admin',
    severity: 'critical',
    lines: (s) =>
      kubeAuditQuery(
        s,
        [{ op: '|=', value: '"cluster-admin"' }],
        [
          { label: 'objectRef_resource', op: '=~', value: 'clusterrolebindings|rolebindings' },
          { label: 'verb', op: '=~', value: 'create|update|patch' },
        ]
      ),
    by: ['objectRef_name', 'actor'],
    summary: '{{ $labels.actor }} bound {{ $labels.objectRef_name }} to cluster-admin',
    description: 'A (Cluster)RoleBinding to the cluster-admin role was created or changed.',
    runbook: 'Check the binding’s subjects; remove it unless a reviewed change explains it.',
  }),
  falcoRule({
    id: 'pod-exec',
    title: 'Shell into a pod (exec, attach, port-forward)',
    severity: 'warning',
    lines: (s) =>
      kubeAuditQuery(
        s,
        [{ op: '|~', value: `/(${SESSIONS})` }],
        [
          { label: 'objectRef_subresource', op: '=~', value: SESSIONS },
          { label: 'verb', op: '=', value: 'create' },
        ],
        'ResponseStarted|ResponseComplete'
      ),
    by: ['objectRef_namespace', 'objectRef_name', 'actor'],
    summary: '{{ $labels.actor }} opened {{ $labels.objectRef_namespace }}/{{ $labels.objectRef_name }}',
    description: 'Someone executed into, attached to or port-forwarded a pod.',
    runbook: 'Ask the person why; in production, prefer a debug container with a ticket.',
  }),
  falcoRule({
    id: 'namespace-deleted',
    title: 'Namespace deleted',
    severity: 'high',
    lines: (s) =>
      kubeAuditQuery(
        s,
        [{ op: '|=', value: '"namespaces"' }],
        [
          { label: 'objectRef_resource', op: '=', value: 'namespaces' },
          { label: 'verb', op: '=', value: 'delete' },
        ]
      ),
    by: ['objectRef_name', 'actor'],
    summary: '{{ $labels.actor }} deleted namespace {{ $labels.objectRef_name }}',
    description: 'A namespace and everything in it was deleted.',
    runbook:
      'Find the chain in Change Provenance: a GitOps prune names its app and commit; otherwise restore from Git.',
  }),
  falcoRule({
    id: 'secret-read-by-human',
    title: 'Secret read by a person',
    severity: 'warning',
    lines: (s) =>
      kubeAuditQuery(
        s,
        [{ op: '|=', value: '"secrets"' }],
        [
          { label: 'objectRef_resource', op: '=', value: 'secrets' },
          { label: 'verb', op: '=~', value: 'get|list|watch' },
          BY_A_PERSON,
        ]
      ),
    by: ['objectRef_namespace', 'actor'],
    summary: '{{ $labels.actor }} read secrets in {{ $labels.objectRef_namespace }}',
    description: 'A person (not a service account or the control plane) read Secrets.',
    runbook: 'Confirm the access was expected; rotate the Secret if not.',
  }),
  falcoRule({
    id: 'anonymous-allowed',
    title: 'Anonymous request allowed',
    severity: 'critical',
    lines: (s) =>
      kubeAuditQuery(
        s,
        [
          { op: '|=', value: 'system:anonymous' },
          { op: '|=', value: '"authorization.k8s.io/decision":"allow"' },
        ],
        // Resource requests only: Kubernetes' default system:public-info-viewer role lets anyone read /healthz,
        // /livez, /readyz and /version, and load-balancer probes do so all the time (routine, not a finding).
        [
          { label: 'user_username', op: '=', value: 'system:anonymous' },
          { label: 'objectRef_resource', op: '!=', value: '' },
        ]
      ),
    by: ['verb', 'objectRef_resource', 'objectRef_namespace', 'objectRef_name'],
    summary:
      'The API server allowed system:anonymous to {{ $labels.verb }} {{ $labels.objectRef_resource }} {{ $labels.objectRef_namespace }}/{{ $labels.objectRef_name }}',
    description: 'RBAC allowed a request by an unauthenticated user.',
    runbook: 'Find the binding that grants system:anonymous or system:unauthenticated and remove it.',
  }),
  falcoRule({
    id: 'privileged-pod',
    title: 'Privileged pod created',
    severity: 'high',
    lines: (s) =>
      kubeAuditQuery(
        s,
        [{ op: '|~', value: '"privileged":\\s*true' }],
        [
          { label: 'objectRef_resource', op: '=', value: 'pods' },
          { label: 'verb', op: '=', value: 'create' },
        ]
      ),
    by: ['objectRef_namespace', 'actor'],
    summary: '{{ $labels.actor }} created a privileged pod in {{ $labels.objectRef_namespace }}',
    description: 'A pod with a privileged container was created (seen when the audit policy records request bodies).',
    runbook: 'Check the workload; privileged containers can take over the node.',
  }),
  falcoRule({
    id: 'events-deleted',
    title: 'Kubernetes events deleted',
    severity: 'warning',
    lines: (s) =>
      kubeAuditQuery(
        s,
        [{ op: '|=', value: '"events"' }],
        [
          { label: 'objectRef_resource', op: '=', value: 'events' },
          { label: 'verb', op: '=~', value: 'delete|deletecollection' },
          BY_A_PERSON,
        ]
      ),
    by: ['objectRef_namespace', 'actor'],
    summary: '{{ $labels.actor }} deleted events in {{ $labels.objectRef_namespace }}',
    description: 'A person deleted Kubernetes events: a way to hide what happened.',
    runbook: 'Read the audit stream around it in Change Provenance (Events mode).',
  }),
  falcoRule({
    id: 'kube-system-serviceaccount',
    title: 'Service account created in kube-system',
    severity: 'high',
    lines: (s) =>
      kubeAuditQuery(
        s,
        [{ op: '|=', value: '"serviceaccounts"' }],
        [
          { label: 'objectRef_resource', op: '=', value: 'serviceaccounts' },
          { label: 'objectRef_namespace', op: '=', value: 'kube-system' },
          { label: 'verb', op: '=', value: 'create' },
        ]
      ),
    by: ['objectRef_name', 'actor'],
    summary: '{{ $labels.actor }} created service account kube-system/{{ $labels.objectRef_name }}',
    description: 'New identities in kube-system are rare and powerful.',
    runbook: 'Check what the account is bound to; delete it unless an install explains it.',
  }),
];
