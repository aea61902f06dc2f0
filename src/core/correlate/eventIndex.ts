import { WRITE_VERBS, type ChangeEvent } from '../model';
import { RANCHER_USER_ID } from '../parse/actor';
import { TimelineMap } from './timeline';

/**
 * Lookups the link rules need, built once in O(n log n): by join key and by time. Rules never scan all events.
 */

const RBAC_RESOURCES = new Set(['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']);
export { RANCHER_USER_ID };
const ARGO_OPERATIONS = new Set(['sync', 'partial-sync', 'sync-locally', 'rollback', 'sync-result', 'operation-state']);

/** `cluster|group|resource|namespace|name` of the object an event acted on. */
export function objectKey(e: Pick<ChangeEvent, 'target'>): string {
  const t = e.target;
  return `${t.cluster ?? ''}|${t.apiGroup}|${t.resource}|${t.namespace ?? ''}|${t.name ?? ''}`;
}

export function isWrite(e: ChangeEvent): boolean {
  return WRITE_VERBS.has(e.verb);
}

/** One entry of an Argo CD Application's deployment history, with the write that showed it. */
export interface AppHistoryEntry {
  revision: string;
  event: ChangeEvent;
  /** When Argo CD recorded the deployment (ms epoch), when the entry says. */
  deployedAt?: number;
}

export class EventIndex {
  readonly byId = new Map<string, ChangeEvent>();
  /** Rancher API audit records by Rancher user id, and by token id (Rancher ≥ 2.11). */
  readonly rancherByUser = new TimelineMap();
  /** Records that name a Rancher user id's login (Rancher audit, Rancher-impersonated downstream writes), by id. */
  readonly rancherLogins = new TimelineMap();
  /** Argo CD resource-level records (UI/API patch, delete, action; API-call lines included) by object name. */
  readonly argoByResource = new TimelineMap();
  readonly rancherByToken = new TimelineMap();
  /** Argo CD operation records by application name, and by destination namespace. */
  readonly argoByApp = new TimelineMap();
  readonly argoByDestNs = new TimelineMap();
  /** Argo CD API-call log lines by application name. */
  readonly argoApiByApp = new TimelineMap();
  /** Fleet agent deployments by objectset id, Helm release name and release namespace. */
  readonly fleetDeployByObjectset = new TimelineMap();
  readonly fleetDeployByRelease = new TimelineMap();
  readonly fleetDeployByReleaseNs = new TimelineMap();
  /** Fleet bundle reconciler changes by BundleDeployment name; commits and GitRepo writes by repo name. */
  readonly fleetBundleByBd = new TimelineMap();
  /** The agent's "Installing/Upgrading helm release" lines (they name the commit), by BundleDeployment name. */
  readonly fleetHelmByBd = new TimelineMap();
  readonly fleetCommitByRepo = new TimelineMap();
  readonly gitRepoWrites = new TimelineMap();
  /** Writes of an Application's `operation` (syncs started with kubectl), by application name. */
  readonly appOperationWrites = new TimelineMap();
  /** Successful writes to Roles/Bindings, all in one timeline keyed by '' and by namespace. */
  readonly rbacWrites = new TimelineMap();
  /** Kubernetes writes per object (kube and Rancher audit). */
  readonly writesByObject = new TimelineMap();
  /** Argo CD history: application name → history id → revision, from Application status writes. */
  readonly appHistory = new Map<string, Map<number, AppHistoryEntry>>();

  constructor(events: readonly ChangeEvent[]) {
    for (const e of events) {
      this.add(e);
    }
  }

  private add(e: ChangeEvent): void {
    this.byId.set(e.id, e);
    if (e.actor.loginName && RANCHER_USER_ID.test(e.actor.name)) {
      this.rancherLogins.add(e.actor.name, e);
    }
    switch (e.source) {
      case 'rancher-audit':
        this.rancherByUser.add(e.actor.via[0]?.name ?? e.actor.name, e);
        this.rancherByToken.add(e.actor.requestTokenId, e);
        this.addWrite(e);
        break;
      case 'kube-audit':
        this.addWrite(e);
        break;
      case 'argocd':
        this.addArgo(e);
        break;
      case 'fleet':
        this.addFleet(e);
        break;
      default:
        break;
    }
    for (const h of e.appHistory ?? []) {
      const app = e.target.name;
      if (app) {
        const m = this.appHistory.get(app) ?? new Map<number, AppHistoryEntry>();
        const deployedAt = h.deployedAt ? Date.parse(h.deployedAt) : NaN;
        m.set(h.id, { revision: h.revision, event: e, ...(Number.isNaN(deployedAt) ? {} : { deployedAt }) });
        this.appHistory.set(app, m);
      }
    }
  }

  private addWrite(e: ChangeEvent): void {
    if (!isWrite(e) || e.outcome.status === 'failure') {
      return;
    }
    this.writesByObject.add(objectKey(e), e);
    // The seed article's excerpts omit apiGroup: the resource name is enough for the four RBAC kinds.
    if (
      RBAC_RESOURCES.has(e.target.resource) &&
      (e.target.apiGroup === 'rbac.authorization.k8s.io' || e.target.apiGroup === '')
    ) {
      this.rbacWrites.add('*', e);
    }
    if (e.target.resource === 'gitrepos' && e.target.name) {
      this.gitRepoWrites.add(e.target.name, e);
    }
    if (
      e.target.resource === 'applications' &&
      e.changedFields &&
      Object.keys(e.changedFields).some((k) => k.startsWith('operation.'))
    ) {
      this.appOperationWrites.add(e.target.name, e);
    }
  }

  private addArgo(e: ChangeEvent): void {
    const g = e.gitops;
    if (!g) {
      return;
    }
    if (e.target.kind && e.target.kind !== 'Application' && e.target.name) {
      this.argoByResource.add(e.target.name, e);
    }
    if (e.keys.apiCall) {
      this.argoApiByApp.add(g.app, e);
      return;
    }
    if (ARGO_OPERATIONS.has(g.operation)) {
      this.argoByApp.add(g.app, e);
      this.argoByDestNs.add(g.destNamespace, e);
    }
  }

  private addFleet(e: ChangeEvent): void {
    const g = e.gitops;
    if (!g) {
      return;
    }
    if (e.keys.helmStart) {
      this.fleetHelmByBd.add(e.keys.helmStart, e);
    } else if (g.operation === 'deploy') {
      this.fleetDeployByObjectset.add(e.keys.objectsetId, e);
      const release = e.keys.helmRelease;
      if (release) {
        const [ns, name] = release.split('/');
        this.fleetDeployByRelease.add(name, e);
        this.fleetDeployByReleaseNs.add(ns, e);
      }
    } else if (g.operation === 'bundle-change') {
      this.fleetBundleByBd.add(e.target.name, e);
      this.fleetCommitByRepo.add(g.app, e);
    } else if (g.operation === 'commit') {
      this.fleetCommitByRepo.add(g.app, e);
    }
  }
}
