/**
 * The normalised model every parser produces and every later stage (correlation, frames, CLI) reads.
 * See DESIGN.md §3. Rules and frames never read source JSON: only these types.
 */

/** The family of log a record came from. */
export type SourceKind = 'kube-audit' | 'rancher-audit' | 'argocd' | 'fleet' | 'k8s-event';

/** Who acted, as far as the record alone can tell. */
export type ActorKind = 'human' | 'serviceaccount' | 'gitops-controller' | 'system' | 'anonymous' | 'unknown';

/** An account the request passed through before reaching the effective actor (impersonation, proxies). */
export interface ViaHop {
  name: string;
  kind: ActorKind;
  /** How this hop relates to the actor: it impersonated them, or proxied for them. */
  mechanism: 'impersonation' | 'rancher-impersonation' | 'rancher-proxy';
  /**
   * Kubernetes ≥ 1.35 constrained impersonation: the verb that authorised it
   * (`authenticationMetadata.impersonationConstraint`, e.g. `impersonate-on:user-info:list`).
   */
  constraint?: string;
}

export interface Actor {
  /** Effective identity: `impersonatedUser.username` when present, else `user.username`. */
  name: string;
  kind: ActorKind;
  uid?: string;
  groups: string[];
  /** Accounts between the caller and `name`, outermost first. Empty when the caller acted as itself. */
  via: ViaHop[];
  /** Login name when a source knows it (Rancher `extra.username`, Argo CD SSO email). */
  loginName?: string;
  /** Auth provider principal, e.g. `local://u-abc` or `openldap_user://…` (Rancher `extra.principalid`). */
  principalId?: string;
  /** Rancher token name (`extra.requesttokenid`, Rancher ≥ 2.11): a hard join key to Rancher's own audit log. */
  requestTokenId?: string;
  /** Rancher host the request came through (`extra.requesthost`). */
  requestHost?: string;
}

/** What was acted on. For non-resource requests only `path` is set. */
export interface ResourceRef {
  cluster?: string;
  apiGroup: string;
  apiVersion?: string;
  resource: string;
  /** Kind when the source names the kind rather than the resource (Argo CD messages). */
  kind?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  uid?: string;
  /** Request path for non-resource URLs and for Rancher API paths that are not Kubernetes paths. */
  path?: string;
}

export interface Outcome {
  /** HTTP status code when the source records one. */
  code?: number;
  status: 'success' | 'failure' | 'unknown';
  /** `authorization.k8s.io/decision`. */
  decision?: 'allow' | 'forbid';
  /** `authorization.k8s.io/reason`, e.g. `RBAC: allowed by RoleBinding "x/ns" of Role "y" to User "z"`. */
  authzReason?: string;
  message?: string;
}

export type GitOpsTool = 'argocd' | 'fleet';

export type GitOpsOperation =
  | 'sync'
  | 'partial-sync'
  | 'sync-locally'
  | 'rollback'
  | 'sync-result'
  | 'operation-state'
  | 'status'
  | 'app-change'
  | 'resource-change'
  | 'action'
  | 'terminate'
  | 'api-call'
  | 'commit'
  | 'bundle-change'
  | 'deploy';

/** What a GitOps record says about an application/bundle operation. */
export interface GitOpsRef {
  tool: GitOpsTool;
  /** Argo CD Application name or Fleet GitRepo / bundle name. */
  app?: string;
  appNamespace?: string;
  project?: string;
  operation: GitOpsOperation;
  /** Revision as requested or displayed (`HEAD`, a branch, a tag, a SHA). */
  revision?: string;
  /** Resolved commit SHA (or Fleet commit label value) when the record holds it. */
  commit?: string;
  /** Rollback target: Argo CD `status.history[].id`. */
  historyId?: number;
  /** Operation phase as reported: Running, Succeeded, Failed, Error, Terminating… */
  phase?: string;
  /** The person who started the operation, when the records say (Argo CD user, Fleet userID); never an automaton. */
  initiator?: string;
  /**
   * What started the operation when no person did, in words: "auto-sync", "self-heal", "Kargo promotion",
   * "ApplicationSet RollingSync", or the account that wrote the operation. Set together with `automated: true`.
   */
  automation?: string;
  automated?: boolean;
  /** A dry run (`DryRun: true`): Argo CD computed the sync but wrote nothing, so it explains no write. */
  dryRun?: boolean;
  destNamespace?: string;
  destServer?: string;
  repoURL?: string;
  /** Fleet: BundleDeployment deployment id / Helm release, Argo CD sync id. */
  deploymentId?: string;
  release?: string;
  syncId?: string;
  /** The source's own message, verbatim. */
  message?: string;
  /** https link to `commit` on the Git host (correlate/change.ts, links/gitHost.ts). */
  commitUrl?: string;
  /** The commit deployed before this one, when Argo CD history or Fleet's previous commit says. */
  previousCommit?: string;
  compareUrl?: string;
  /** The Argo CD application page, when the Argo CD URL is set. */
  appUrl?: string;
}

/** Ownership marks found on a written object (request/response body), used to find the GitOps owner. */
export interface OwnershipMarks {
  /** `argocd.argoproj.io/tracking-id`, e.g. `app:apps/Deployment:ns/name`. */
  argocdTrackingId?: string;
  /** `app.kubernetes.io/instance` label (Argo CD label tracking, also used by Helm charts). */
  instanceLabel?: string;
  /** `objectset.rio.cattle.io/id` (Fleet: `default-<bundledeployment>`, shortened with a hash from 64 characters). */
  objectsetId?: string;
  objectsetHash?: string;
  helmReleaseName?: string;
  helmReleaseNamespace?: string;
  managedBy?: string;
  /** Labels on Fleet Bundle/BundleDeployment/GitRepo objects. */
  fleetCommit?: string;
  fleetRepoName?: string;
  fleetBundleName?: string;
  fleetCreatedByUserId?: string;
  /** `?fieldManager=` on the request URI. */
  fieldManager?: string;
  /** The ApplicationSet that generated an Argo CD Application (its `metadata.ownerReferences`). */
  ownerApplicationSet?: string;
  /** `metadata.ownerReferences` of the written object: who owns it (the cascade rule's hard key). */
  ownerRefs?: OwnerRef[];
  /** `metadata.uid` of the written object as the body shows it (an owner's uid, for ownerReferences to match). */
  uid?: string;
  /** `pod-template-hash` label: the ReplicaSet (`<deployment>-<hash>`) a Pod or ReplicaSet belongs to. */
  podTemplateHash?: string;
}

/** One `metadata.ownerReferences` entry. */
export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
}

export interface RbacSubject {
  kind: string;
  name: string;
  namespace?: string;
}

/** Role / binding content, when the audit event carried the object body. */
export interface RbacInfo {
  roleRef?: { kind: string; name: string };
  subjects?: RbacSubject[];
  /** Role rules in short form: `verbs on resources (apiGroups)`. */
  rules?: string[];
}

/** Where the record came from, so a person can find the raw line: Loki stream labels + entry time, or file:line. */
export interface RawRef {
  labels: Record<string, string>;
  /** Loki entry timestamp (ns epoch string) when the line came from Loki. */
  ns?: string;
  /** `file:line` when read from a file. */
  origin?: string;
}

export interface ChangeEvent {
  /** Stable id, unique per record: `<source>:<natural key>`. */
  id: string;
  source: SourceKind;
  /** Detected concrete format, e.g. `kube-audit/v1`, `rancher-audit/v2.2+`, `argocd/json`. */
  format: string;
  /** Event time, ms epoch; `undefined` when no source of the record carried a time (simplified samples). */
  time?: number;
  /** Event time as a ns epoch string (full precision of the source) for stable ordering; '' when unknown. */
  ns: string;
  actor: Actor;
  sourceIPs: string[];
  /**
   * Addresses the record names that are a proxy on the way, never the client: Rancher's `remoteAddr` when the
   * record holds no request headers (Rancher ≥ 2.12 at its default audit level 0) is the ingress pod.
   */
  proxyIPs?: string[];
  userAgent?: string;
  /**
   * Kubernetes verb for API records (`create`, `update`, `patch`, `delete`, `deletecollection`, `get`, `list`,
   * `watch`, lower-cased HTTP method for non-resource URLs); for GitOps records the operation
   * (`sync`, `rollback`, `sync-result`, `deploy`, `commit`, …).
   */
  verb: string;
  target: ResourceRef;
  requestURI?: string;
  outcome: Outcome;
  gitops?: GitOpsRef;
  /** Join keys: `auditID`, `requestTokenId`, `trackingId`, `objectsetId`, `deploymentId`, `syncId`, … */
  keys: Record<string, string>;
  marks?: OwnershipMarks;
  rbac?: RbacInfo;
  /**
   * Selected fields a write set, read from its body or patch (GitOps-relevant only: GitRepo `spec.paused`,
   * `spec.forceSyncGeneration`, `spec.revision`; Application `operation.initiatedBy.username`,
   * `spec.syncPolicy.automated`, …), as dotted path → JSON text of the value.
   */
  changedFields?: Record<string, string>;
  /**
   * Argo CD Application `status.history` entries carried by a write of the Application (the controller writes
   * its status back): what each history id deployed, so a rollback to an id can be resolved to a revision.
   */
  appHistory?: Array<{ id: number; revision: string; deployedAt?: string; initiatedBy?: string }>;
  /** Audit stages seen for this request (kube / Rancher legacy), in arrival order. */
  stages?: string[];
  /**
   * The line was cut short (a shipper's size limit) and this event holds what its surviving prefix stated;
   * fields written after the cut (timestamps, annotations, response) may be missing. Cleared when a whole line
   * of the same request was merged in.
   */
  truncated?: boolean;
  /** Request / response bodies, only when the parser was asked to keep them; Secret data always redacted. */
  body?: { request?: unknown; response?: unknown };
  /**
   * The bodies a change diff needs, on writes and single-object reads (parse/diffBodies.ts): Secret data redacted,
   * `managedFields` and the last-applied annotation left out, each at most 64 KiB of JSON (`cut` says what was
   * not kept); `responseDigests`: salted digests of a Secret's values, to tell "changed" without a value.
   */
  snapshot?: {
    request?: unknown;
    response?: unknown;
    /** Salted digests of a Secret's `data.key` / `stringData.key` values, in the response and in what the request set. */
    responseDigests?: Record<string, string>;
    requestDigests?: Record<string, string>;
    cut?: string;
  };
  raw: RawRef;
}

export type LinkKind =
  | 'impersonation'
  | 'rancher-proxy'
  | 'gitops-apply'
  | 'sync-trigger'
  | 'fleet-commit'
  | 'rbac-context'
  | 'drift'
  | 'argocd-ui'
  | 'rancher-ace'
  | 'app-generator'
  | 'cascade';

/** One explained step from an effect back towards its cause. */
export interface Link {
  kind: LinkKind;
  /** Event id of the effect side. */
  from: string;
  /** Event id of the cause side. */
  to: string;
  /** 0..1: 1 for hard keys, lower for time-window rules; each rule documents its value. */
  confidence: number;
  /** The facts that matched, in words a person can check. */
  evidence: string[];
}

export type Verdict = 'gitops-sync' | 'gitops-rollback' | 'manual-drift' | 'manual' | 'controller' | 'unknown';

/**
 * How far a client address can be trusted: the TCP peer the server itself saw, the client a trusted proxy (the
 * ingress) recorded, or only what the client wrote into `X-Forwarded-For` (no trusted-proxy setting).
 */
export type AddressTrust = 'seen by the server' | 'seen by the ingress' | 'claimed by the client';

/** The explained story of one change. */
export interface Chain {
  /** Stable id: the effect event's id (unique per record, the same on every run over the same lines). */
  id: string;
  effect: ChangeEvent;
  verdict: Verdict;
  who: { name: string; kind: ActorKind; ip?: string; ipTrust?: AddressTrust; via: string[]; url?: string };
  gitops: GitOpsRef | null;
  links: Link[];
  /** Events that explain the circumstances (e.g. RBAC changes to the acting identity) without causing it. */
  context: Array<{ kind: LinkKind; event: ChangeEvent; summary: string; evidence: string[] }>;
  /** A controller's write set off by another chain's change (cascade rule): the id of that cause chain. */
  consequenceOf?: string;
  /** How many chains follow from this one, directly or through other controllers (its blast radius). */
  consequences?: number;
  /** What exactly changed, when a body or Argo CD said (correlate/change.ts); null when nothing was recorded. */
  change?: Change | null;
  /**
   * The newest RBAC change in the look-back that granted the acting identity by name (rbac-context rule, also in
   * `context`), and who made it (resolved through impersonation and Rancher).
   */
  grantedBy?: { event: ChangeEvent; by: string };
  /** For a GitOps operation: the app's last failed sync before it started (also in `context`). */
  failedSyncBefore?: ChangeEvent;
}

/** One changed field: `before` absent when the field was new (or, from a patch alone, not known); `after` absent when removed. */
export interface ChangeDiffEntry {
  path: string;
  before?: unknown;
  after?: unknown;
  /** A Secret `data` / `stringData` key: values are never shown, only that it was added, removed or changed. */
  secret?: true;
}

export interface Change {
  /** Where the diff came from, best first: the object before and after, the request body, Argo CD's history. */
  source: 'response-bodies' | 'request-body' | 'argocd';
  /** True when both whole objects were known and no cap was reached. */
  complete: boolean;
  /** Why the diff is not complete, in words. */
  reason?: string;
  diff: ChangeDiffEntry[];
  /** The request body as sent (Secret data redacted, managedFields left out), or null. */
  patch: unknown;
  /** `json-patch`, `strategic-merge-patch`, `merge-patch` or `object` (create/update), when a body was read. */
  patchType?: string;
  /** Noise fields that differed and were left out (managedFields, resourceVersion, status of a spec write, timestamps). */
  omitted: { count: number; paths: string[] };
}

/**
 * One record behind a chain, as the chains frame carries it for the panel's details: its part in the story
 * (the effect, the cause of a link, or context), what it says, where its raw line is, and LogQL that finds it.
 */
export interface ChainRecord {
  id: string;
  role: 'effect' | LinkKind;
  time?: number;
  source: SourceKind;
  actor: string;
  verb: string;
  object: string;
  raw: RawRef;
  logql: string;
  /** The raw line, Secret data redacted and cut to a readable length, when the data source still had it. */
  line?: string;
}

/** Verbs that change cluster state (exec/attach/portforward are `create` on those subresources). */
export const WRITE_VERBS: ReadonlySet<string> = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** Subresources whose `create` opens a session in a pod: a shell (exec, attach) or a port-forward. */
export const SESSION_SUBRESOURCES: readonly string[] = ['exec', 'attach', 'portforward'];

export function isSessionSubresource(e: Pick<ChangeEvent, 'verb' | 'target'>): boolean {
  return e.verb === 'create' && SESSION_SUBRESOURCES.includes(e.target.subresource ?? '');
}
