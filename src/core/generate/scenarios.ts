import {
  argoApiCallLine,
  argoLogLine,
  fleetLine,
  kubeAuditLine,
  kubePath,
  rancherAuditLine,
  type Identity,
} from './records';
import { uuid, type Rng } from './random';

/**
 * Incidents told in every source's real format, each with the chains `provenance trace` must find (ground
 * truth). Times are offsets from the scenario's start; ids come from the seeded generator.
 */

export type LogFile = 'kube-audit.log' | 'rancher-audit.log' | 'argocd.log' | 'fleet.log';

export interface GeneratedRecord {
  file: LogFile;
  ms: number;
  line: string;
}

/** What trace must say about one change of a scenario. */
export interface TruthChain {
  scenario: string;
  effect: { verb: string; resource: string; namespace?: string; name: string; subresource?: string; time: string };
  verdict: string;
  /** `kind` when the scenario is about who is (not) a person. */
  who: { name: string; ip?: string; kind?: string };
  gitops?: {
    tool: string;
    app: string;
    revision?: string;
    commit?: string;
    /** `null`: no person started it, and trace must say none did. */
    initiator?: string | null;
    automated?: boolean;
    automation?: string;
    operation?: string;
    commitUrl?: string;
    previousCommit?: string;
    compareUrl?: string;
  };
  /** Every link of the chain: its kind and its cause as `<source> <verb> at <ISO time>` (none when absent). */
  links?: Array<{ kind: string; cause: string }>;
  /** What changed: the diff trace must give, entry by entry (README "What changed"). */
  change?: { source: string; complete: boolean; diff: Array<{ path: string; before?: unknown; after?: unknown }> };
  /** Context kinds and a text each summary must contain (e.g. the login name and IP of an RBAC change). */
  context?: Array<{ kind: string; mentions: string[] }>;
  /** A controller's consequence: the change (another truth chain's effect) whose chain it is `consequenceOf`. */
  cause?: TruthChain['effect'];
  /** The RBAC change that granted the acting identity its rights (chain JSON `grantedBy`); absent: none. */
  grantedBy?: { by: string; verb: string; object: string };
  /** The app's last failed sync before the operation (chain JSON `failedSyncBefore`): its message; absent: none. */
  failedSyncBefore?: string;
}

export interface Scenario {
  name: string;
  description: string;
  build(start: number, rng: Rng): { records: GeneratedRecord[]; truth: TruthChain[] };
}

const MIN = 60_000;
const CLUSTER = 'c-m-prod1';
const ARGO_SA = 'system:serviceaccount:argocd:argocd-application-controller';
const ARGO_UA = 'argocd-application-controller/v3.1.8 (linux/amd64)';
const ARGO_IP = '10.10.20.15';
const FLEET_SA = 'system:serviceaccount:cattle-fleet-system:fleet-agent';
const KUBECTL = 'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46';
const SA_GROUPS = ['system:serviceaccounts', 'system:authenticated'];
const KIM: Identity = { rancherUserId: 'u-kim4x9', login: 'kim', ip: '198.51.100.44', token: 'token-kq7z2' };
const LEE = { user: 'lee@example.org', ip: '203.0.113.9' };
const DANA = 'dana@example.org';
const at = (ms: number) => new Date(ms).toISOString();

/** A request of a Rancher user through the cluster proxy: Rancher's audit line and the downstream one. */
function viaRancher(
  ms: number,
  rng: Rng,
  who: Identity,
  w: {
    verb: string;
    method: string;
    resource: string;
    apiGroup: string;
    namespace?: string;
    name?: string;
    requestObject?: unknown;
  }
): GeneratedRecord[] {
  const path = kubePath(w);
  return [
    {
      file: 'rancher-audit.log',
      ms,
      line: rancherAuditLine({
        ms,
        auditID: uuid(rng),
        uri: `/k8s/clusters/${CLUSTER}${path}`,
        method: w.method,
        who,
        code: 200,
      }),
    },
    {
      file: 'kube-audit.log',
      ms: ms + 180,
      line: kubeAuditLine({
        ms: ms + 180,
        auditID: uuid(rng),
        ...w,
        level: w.requestObject ? 'RequestResponse' : 'Metadata',
        user: `system:serviceaccount:cattle-impersonation-system:cattle-impersonation-${who.rancherUserId}`,
        groups: SA_GROUPS,
        impersonated: who,
        sourceIPs: ['10.42.0.17'],
        userAgent: 'kubectl/v1.31.2 (darwin/arm64) kubernetes/5864a46',
        code: 200,
      }),
    },
  ];
}

/** A Metadata-level write by Argo CD's application controller, or by another account acting as itself. */
function argoWrite(
  ms: number,
  rng: Rng,
  w: {
    verb: string;
    resource: string;
    apiGroup: string;
    namespace: string;
    name: string;
    code?: number;
    responseObject?: unknown;
  },
  as = { user: ARGO_SA, groups: SA_GROUPS, ip: ARGO_IP, userAgent: ARGO_UA }
): GeneratedRecord {
  return {
    file: 'kube-audit.log',
    ms,
    line: kubeAuditLine({
      ms,
      auditID: uuid(rng),
      ...w,
      user: as.user,
      groups: as.groups,
      sourceIPs: [as.ip],
      userAgent: as.userAgent,
      code: w.code ?? 200,
      level: w.responseObject === undefined ? 'Metadata' : 'RequestResponse',
      query: w.verb === 'patch' && as.user === ARGO_SA ? 'fieldManager=argocd-controller' : undefined,
    }),
  };
}

const argo = (
  ms: number,
  app: string,
  dest: string,
  msg: string,
  extra: { reason?: string; type?: string; user?: string } = {}
): GeneratedRecord => ({
  file: 'argocd.log',
  ms,
  line: argoLogLine({ ms, app, destNamespace: dest, msg, ...extra }),
});

/** The seed article's "unauthorized deletion", end to end. */
const unauthorizedDeletion: Scenario = {
  name: 'unauthorized-deletion',
  description:
    "a Rancher user rebinds Argo CD's RoleBinding → the automated sync fails → a user rolls back → the controller deletes the Deployment",
  build(t, rng) {
    const app = 'frontend-app';
    const bad = 'e4a1c0de5b6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
    const good = '45d9f8a1b2c3d4e5f60718293a4b5c6d7e8f9a0b';
    const records: GeneratedRecord[] = [
      ...viaRancher(t, rng, KIM, {
        verb: 'update',
        method: 'PUT',
        resource: 'rolebindings',
        apiGroup: 'rbac.authorization.k8s.io',
        namespace: 'argocd',
        name: 'argocd-admin',
        requestObject: {
          kind: 'RoleBinding',
          metadata: { name: 'argocd-admin', namespace: 'argocd' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'argocd-restricted' },
          subjects: [{ kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' }],
        },
      }),
      argo(t + 2 * MIN, app, 'production', `Initiated automated sync to '${bad}'`, {
        reason: 'OperationStarted',
        type: 'Normal',
      }),
      argoWrite(t + 2 * MIN + 3_000, rng, {
        verb: 'patch',
        resource: 'deployments',
        apiGroup: 'apps',
        namespace: 'production',
        name: app,
        code: 403,
      }),
      argo(
        t + 2 * MIN + 10_000,
        app,
        'production',
        `Sync operation to ${bad} failed: one or more objects failed to apply, reason: deployments.apps "frontend-app" is forbidden`,
        { reason: 'OperationCompleted', type: 'Warning' }
      ),
      {
        file: 'argocd.log',
        ms: t + 8 * MIN - 400,
        line: argoApiCallLine({
          ms: t + 8 * MIN - 400,
          method: 'Rollback',
          email: DANA,
          content: { name: app, id: 3, appNamespace: 'argocd' },
        }),
      },
      argo(t + 8 * MIN, app, 'production', `${DANA} initiated rollback to 3`, {
        reason: 'OperationStarted',
        type: 'Normal',
        user: DANA,
      }),
      {
        file: 'kube-audit.log',
        ms: t + 8 * MIN + 900,
        line: kubeAuditLine({
          ms: t + 8 * MIN + 900,
          auditID: uuid(rng),
          verb: 'update',
          resource: 'applications',
          apiGroup: 'argoproj.io',
          namespace: 'argocd',
          name: app,
          subresource: 'status',
          level: 'RequestResponse',
          user: ARGO_SA,
          groups: SA_GROUPS,
          sourceIPs: [ARGO_IP],
          userAgent: ARGO_UA,
          code: 200,
          responseObject: {
            status: {
              history: [
                { id: 2, revision: '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d' },
                { id: 3, revision: good, deployedAt: at(t - 3 * 24 * 60 * MIN) },
              ],
            },
          },
        }),
      },
      argoWrite(t + 10 * MIN, rng, {
        verb: 'delete',
        resource: 'deployments',
        apiGroup: 'apps',
        namespace: 'production',
        name: app,
      }),
      argo(t + 10 * MIN + 5_000, app, 'production', `Sync operation to ${good} succeeded`, {
        reason: 'OperationCompleted',
        type: 'Normal',
      }),
    ];
    return {
      records,
      truth: [
        {
          scenario: this.name,
          effect: {
            verb: 'delete',
            resource: 'deployments',
            namespace: 'production',
            name: app,
            time: at(t + 10 * MIN),
          },
          verdict: 'gitops-rollback',
          who: { name: DANA },
          gitops: {
            tool: 'argocd',
            app,
            revision: good,
            commit: good,
            initiator: DANA,
            automated: false,
            operation: 'rollback',
            // The history entry before the one rolled back to.
            previousCommit: '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d',
          },
          links: [
            { kind: 'gitops-apply', cause: `argocd rollback at ${at(t + 8 * MIN)}` },
            // The API call's log line has second precision; logged before the RBAC check, alone it is an attempt.
            {
              kind: 'sync-trigger',
              cause: `argocd attempt:rollback at ${at(Math.floor((t + 8 * MIN - 400) / 1000) * 1000)}`,
            },
            { kind: 'sync-trigger', cause: `kube-audit update at ${at(t + 8 * MIN + 900)}` },
          ],
          context: [
            { kind: 'rbac-context', mentions: ['kim', KIM.ip, 'argocd-admin'] },
            { kind: 'sync-trigger', mentions: ['failed'] },
          ],
          grantedBy: { by: 'kim', verb: 'update', object: 'rolebindings argocd/argocd-admin' },
          failedSyncBefore: `Sync operation to ${bad} failed: one or more objects failed to apply, reason: deployments.apps "frontend-app" is forbidden`,
        },
        {
          scenario: this.name,
          effect: {
            verb: 'update',
            resource: 'rolebindings',
            namespace: 'argocd',
            name: 'argocd-admin',
            time: at(t + 180),
          },
          verdict: 'manual',
          who: { name: 'kim', ip: KIM.ip },
          links: [
            { kind: 'impersonation', cause: `kube-audit update at ${at(t + 180)}` },
            { kind: 'rancher-proxy', cause: `rancher-audit update at ${at(t)}` },
          ],
        },
      ],
    };
  },
};

/** A person scales a GitOps-managed Deployment by hand; Argo CD's self-heal puts it back. */
const driftSelfHeal: Scenario = {
  name: 'drift-self-heal',
  description: 'an automated sync writes a Deployment, a person patches it by hand, self-heal syncs it back',
  build(t, rng) {
    const app = 'storefront';
    const rev = '7b3e9d1c2a4f6e8d0b1c3a5e7f9d2b4c6e8a0f1d';
    const records: GeneratedRecord[] = [
      argo(t, app, 'shop', `Initiated automated sync to '${rev}'`, { reason: 'OperationStarted', type: 'Normal' }),
      argoWrite(t + 4_000, rng, {
        verb: 'patch',
        resource: 'deployments',
        apiGroup: 'apps',
        namespace: 'shop',
        name: 'checkout',
      }),
      argo(t + 9_000, app, 'shop', `Sync operation to ${rev} succeeded`, {
        reason: 'OperationCompleted',
        type: 'Normal',
      }),
      {
        file: 'kube-audit.log',
        ms: t + 20 * MIN,
        line: kubeAuditLine({
          ms: t + 20 * MIN,
          auditID: uuid(rng),
          verb: 'patch',
          resource: 'deployments',
          apiGroup: 'apps',
          namespace: 'shop',
          name: 'checkout',
          subresource: 'scale',
          user: LEE.user,
          groups: ['sre', 'system:authenticated'],
          sourceIPs: [LEE.ip],
          userAgent: KUBECTL,
          code: 200,
        }),
      },
      argo(t + 20 * MIN + 20_000, app, 'shop', 'Updated sync status: Synced -> OutOfSync', {
        reason: 'ResourceUpdated',
        type: 'Normal',
      }),
      argo(t + 20 * MIN + 21_000, app, 'shop', `Initiated automated sync to '${rev}'`, {
        reason: 'OperationStarted',
        type: 'Normal',
      }),
      argoWrite(t + 20 * MIN + 24_000, rng, {
        verb: 'patch',
        resource: 'deployments',
        apiGroup: 'apps',
        namespace: 'shop',
        name: 'checkout',
      }),
      argo(t + 20 * MIN + 29_000, app, 'shop', `Sync operation to ${rev} succeeded`, {
        reason: 'OperationCompleted',
        type: 'Normal',
      }),
    ];
    const sync = (ms: number, started: number): TruthChain => ({
      scenario: this.name,
      effect: { verb: 'patch', resource: 'deployments', namespace: 'shop', name: 'checkout', time: at(ms) },
      verdict: 'gitops-sync',
      who: { name: ARGO_SA, ip: ARGO_IP },
      gitops: {
        tool: 'argocd',
        app,
        revision: rev,
        commit: rev,
        automated: true,
        automation: 'auto-sync',
        operation: 'sync',
      },
      links: [
        { kind: 'gitops-apply', cause: `argocd sync at ${at(started)}` },
        { kind: 'sync-trigger', cause: `argocd sync at ${at(started)}` },
      ],
    });
    return {
      records,
      truth: [
        sync(t + 4_000, t),
        {
          scenario: this.name,
          effect: {
            verb: 'patch',
            resource: 'deployments',
            namespace: 'shop',
            name: 'checkout',
            subresource: 'scale',
            time: at(t + 20 * MIN),
          },
          verdict: 'manual-drift',
          who: { name: LEE.user, ip: LEE.ip },
          links: [{ kind: 'drift', cause: `kube-audit patch at ${at(t + 4_000)}` }],
        },
        sync(t + 20 * MIN + 24_000, t + 20 * MIN + 21_000),
      ],
    };
  },
};

/** A Rancher user forces a Fleet GitRepo to redeploy; fleet-agent applies the commit downstream. */
const fleetGitRepoEdit: Scenario = {
  name: 'fleet-gitrepo-edit',
  description:
    'a Rancher user sets forceSyncGeneration on a GitRepo, Fleet picks up the commit and fleet-agent applies it',
  build(t, rng) {
    const commit = '9c8b7a6f5e4d3c2b1a0998877665544332211000';
    const bdNs = 'cluster-fleet-default-prod-eu-1f2e3d4c5b6a';
    const records: GeneratedRecord[] = [
      {
        file: 'rancher-audit.log',
        ms: t,
        line: rancherAuditLine({
          ms: t,
          auditID: uuid(rng),
          uri: '/v1/fleet.cattle.io.gitrepos/fleet-default/payments',
          method: 'PUT',
          who: KIM,
          code: 200,
          body: {
            metadata: { name: 'payments', namespace: 'fleet-default' },
            spec: { repo: 'https://git.example.org/payments.git', branch: 'main', forceSyncGeneration: 5 },
          },
        }),
      },
      {
        file: 'fleet.log',
        ms: t + 20_000,
        line: fleetLine({
          ms: t + 20_000,
          logger: 'gitjob',
          msg: 'New commit from repository',
          controllerGroup: 'fleet.cattle.io',
          GitRepo: { name: 'payments', namespace: 'fleet-default' },
          newCommit: commit,
        }),
      },
      {
        file: 'fleet.log',
        ms: t + 40_000,
        line: fleetLine({
          ms: t + 40_000,
          logger: 'bundle',
          msg: 'Updated bundledeployment',
          controller: 'bundle',
          controllerGroup: 'fleet.cattle.io',
          Bundle: { name: 'payments-api', namespace: 'fleet-default' },
          namespace: 'fleet-default',
          name: 'payments-api',
          gitrepo: 'payments',
          commit,
          userID: KIM.rancherUserId,
          bundledeployment: {
            metadata: {
              name: 'payments-api',
              namespace: bdNs,
              labels: {
                'fleet.cattle.io/commit': commit,
                'fleet.cattle.io/repo-name': 'payments',
                'fleet.cattle.io/bundle-name': 'payments-api',
              },
            },
            spec: { deploymentID: 's-77aa:88bb' },
          },
        }),
      },
      {
        file: 'kube-audit.log',
        ms: t + 60_000,
        line: kubeAuditLine({
          ms: t + 60_000,
          auditID: uuid(rng),
          verb: 'patch',
          resource: 'deployments',
          apiGroup: 'apps',
          namespace: 'payments',
          name: 'payments-api',
          user: FLEET_SA,
          groups: SA_GROUPS,
          sourceIPs: ['10.42.1.33'],
          userAgent: 'fleetagent/v0.13.1 (linux/amd64) kubernetes/$Format',
          code: 200,
        }),
      },
      {
        file: 'fleet.log',
        ms: t + 61_000,
        line: fleetLine({
          ms: t + 61_000,
          logger: 'bundledeployment.deploy-bundle',
          msg: 'Deployed bundle',
          controller: 'bundledeployment',
          controllerGroup: 'fleet.cattle.io',
          BundleDeployment: { name: 'payments-api', namespace: bdNs },
          namespace: bdNs,
          name: 'payments-api',
          deploymentID: 's-77aa:88bb',
          release: 'payments/payments-api:7',
        }),
      },
    ];
    return {
      records,
      truth: [
        {
          scenario: this.name,
          effect: {
            verb: 'update',
            resource: 'gitrepos',
            namespace: 'fleet-default',
            name: 'payments',
            time: at(Math.floor(t / 1000) * 1000),
          },
          verdict: 'manual',
          who: { name: 'kim', ip: KIM.ip },
        },
        {
          scenario: this.name,
          effect: {
            verb: 'patch',
            resource: 'deployments',
            namespace: 'payments',
            name: 'payments-api',
            time: at(t + 60_000),
          },
          verdict: 'gitops-sync',
          who: { name: 'kim', ip: KIM.ip },
          gitops: { tool: 'fleet', app: 'payments', commit, initiator: 'kim', operation: 'deploy' },
          links: [
            { kind: 'gitops-apply', cause: `fleet deploy at ${at(t + 61_000)}` },
            { kind: 'fleet-commit', cause: `fleet update at ${at(t + 40_000)}` },
            { kind: 'fleet-commit', cause: `fleet commit at ${at(t + 20_000)}` },
            { kind: 'fleet-commit', cause: `rancher-audit update at ${at(Math.floor(t / 1000) * 1000)}` },
          ],
        },
      ],
    };
  },
};

/** A person deletes a Deployment through Rancher's cluster proxy. */
const rancherProxyDelete: Scenario = {
  name: 'rancher-proxy-delete',
  description: "a Rancher user deletes a Deployment with kubectl through Rancher's proxy",
  build(t, rng) {
    return {
      records: viaRancher(t, rng, KIM, {
        verb: 'delete',
        method: 'DELETE',
        resource: 'deployments',
        apiGroup: 'apps',
        namespace: 'shop',
        name: 'legacy-worker',
      }),
      truth: [
        {
          scenario: this.name,
          effect: {
            verb: 'delete',
            resource: 'deployments',
            namespace: 'shop',
            name: 'legacy-worker',
            time: at(t + 180),
          },
          verdict: 'manual',
          who: { name: 'kim', ip: KIM.ip },
          links: [
            { kind: 'impersonation', cause: `kube-audit delete at ${at(t + 180)}` },
            { kind: 'rancher-proxy', cause: `rancher-audit delete at ${at(t)}` },
          ],
        },
      ],
    };
  },
};

/** A person opens a shell in a pod. */
const execIntoPod: Scenario = {
  name: 'exec-into-pod',
  description: 'a person runs kubectl exec into a pod',
  build(t, rng) {
    return {
      records: [
        {
          file: 'kube-audit.log',
          ms: t,
          line: kubeAuditLine({
            ms: t,
            auditID: uuid(rng),
            verb: 'create',
            resource: 'pods',
            apiGroup: '',
            namespace: 'shop',
            name: 'checkout-7d9f8c6b5-x2k4q',
            subresource: 'exec',
            stage: 'ResponseStarted',
            query: 'command=sh&container=app&stdin=true&stdout=true&tty=true',
            user: LEE.user,
            groups: ['sre', 'system:authenticated'],
            sourceIPs: [LEE.ip],
            userAgent: KUBECTL,
            code: 101,
          }),
        },
      ],
      truth: [
        {
          scenario: this.name,
          effect: {
            verb: 'create',
            resource: 'pods',
            namespace: 'shop',
            name: 'checkout-7d9f8c6b5-x2k4q',
            subresource: 'exec',
            time: at(t),
          },
          verdict: 'manual',
          who: { name: LEE.user, ip: LEE.ip },
        },
      ],
    };
  },
};

const APPSET_SA = 'system:serviceaccount:argocd:argocd-applicationset-controller';
const KARGO_SA = 'system:serviceaccount:kargo:kargo-controller';

/**
 * An automaton starts an Argo CD operation by writing the Application's `operation` (audit level Request, so
 * the body is there), the controller logs it and applies the app: what a chain says when no person started it.
 */
function operationStartedBy(
  t: number,
  rng: Rng,
  o: {
    scenario: string;
    app: string;
    dest: string;
    deployment: string;
    rev: string;
    writer: { user: string; userAgent: string; ip: string };
    initiatedBy: { username?: string; automated: boolean };
    reason?: string;
    startMessage?: string;
    /** Who the applied change is credited to, and whether that is the applying controller (so its IP shows). */
    truth: { who: string; automation: string; whoIsApplier: boolean };
  }
): { records: GeneratedRecord[]; truth: TruthChain[] } {
  const operation: Record<string, unknown> = {
    initiatedBy: o.initiatedBy,
    sync: { revision: o.rev, syncStrategy: { hook: {} } },
  };
  if (o.reason) {
    operation.info = [{ name: 'Reason', value: o.reason }];
  }
  const by = `{${o.initiatedBy.username ?? ''} ${o.initiatedBy.automated}}`;
  const records: GeneratedRecord[] = [
    {
      file: 'kube-audit.log',
      ms: t,
      line: kubeAuditLine({
        ms: t,
        auditID: uuid(rng),
        verb: 'update',
        resource: 'applications',
        apiGroup: 'argoproj.io',
        namespace: 'argocd',
        name: o.app,
        user: o.writer.user,
        groups: SA_GROUPS,
        sourceIPs: [o.writer.ip],
        userAgent: o.writer.userAgent,
        code: 200,
        level: 'Request',
        requestObject: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: o.app, namespace: 'argocd' },
          operation,
        },
      }),
    },
    ...(o.startMessage
      ? [argo(t + 400, o.app, o.dest, o.startMessage, { reason: 'OperationStarted', type: 'Normal' })]
      : []),
    argo(
      t + 700,
      o.app,
      o.dest,
      `Initialized new operation: {&SyncOperation{Revision:${o.rev},Prune:false,} ${by} [] {0 nil}}`
    ),
    argoWrite(t + 3_000, rng, {
      verb: 'patch',
      resource: 'deployments',
      apiGroup: 'apps',
      namespace: o.dest,
      name: o.deployment,
    }),
    argo(t + 8_000, o.app, o.dest, `Sync operation to ${o.rev} succeeded`, {
      reason: 'OperationCompleted',
      type: 'Normal',
    }),
  ];
  return {
    records,
    truth: [
      {
        scenario: o.scenario,
        effect: { verb: 'update', resource: 'applications', namespace: 'argocd', name: o.app, time: at(t) },
        verdict: 'controller',
        who: { name: o.writer.user, kind: 'gitops-controller', ip: o.writer.ip },
      },
      {
        scenario: o.scenario,
        effect: { verb: 'patch', resource: 'deployments', namespace: o.dest, name: o.deployment, time: at(t + 3_000) },
        verdict: 'gitops-sync',
        who: { name: o.truth.who, kind: 'gitops-controller', ...(o.truth.whoIsApplier ? { ip: ARGO_IP } : {}) },
        gitops: {
          tool: 'argocd',
          app: o.app,
          revision: o.rev,
          commit: o.rev,
          operation: 'sync',
          automated: true,
          automation: o.truth.automation,
          initiator: null,
        },
        links: [
          // The controller's log line has second precision; its "Initialized new operation" is the start.
          { kind: 'gitops-apply', cause: `argocd sync at ${at(Math.floor((t + 700) / 1000) * 1000)}` },
          { kind: 'sync-trigger', cause: `kube-audit update at ${at(t)}` },
        ],
      },
    ],
  };
}

/** Auto-sync: the application controller writes the operation itself (`initiatedBy.automated: true`). */
const autoSync: Scenario = {
  name: 'auto-sync',
  description: 'a new commit on an auto-sync app: the application controller starts the sync itself and applies it',
  build(t, rng) {
    return operationStartedBy(t, rng, {
      scenario: this.name,
      app: 'billing',
      dest: 'payments',
      deployment: 'billing-api',
      rev: '3c1f9e7a5b2d4c6e8f0a1b3c5d7e9f2a4b6c8d0e',
      writer: { user: ARGO_SA, userAgent: ARGO_UA, ip: ARGO_IP },
      initiatedBy: { automated: true },
      startMessage: `Initiated automated sync to '3c1f9e7a5b2d4c6e8f0a1b3c5d7e9f2a4b6c8d0e'`,
      truth: { who: ARGO_SA, automation: 'auto-sync', whoIsApplier: true },
    });
  },
};

/** ApplicationSet progressive sync: its controller writes the operation of the next app in the rollout. */
const applicationSetRollingSync: Scenario = {
  name: 'applicationset-rolling-sync',
  description: "an ApplicationSet's RollingSync step starts the sync of one of its apps",
  build(t, rng) {
    return operationStartedBy(t, rng, {
      scenario: this.name,
      app: 'web-eu',
      dest: 'web',
      deployment: 'web-frontend',
      rev: '8e2a4c6b0d1f3e5a7c9b2d4f6a8c0e1b3d5f7a9c',
      writer: {
        user: APPSET_SA,
        userAgent: 'argocd-applicationset-controller/v3.1.8 (linux/amd64)',
        ip: '10.10.20.16',
      },
      initiatedBy: { username: 'applicationset-controller', automated: true },
      reason: 'ApplicationSet RollingSync triggered a sync of this Application resource.',
      truth: { who: APPSET_SA, automation: 'ApplicationSet RollingSync', whoIsApplier: false },
    });
  },
};

/** A Kargo promotion: Kargo writes the operation and names itself, with `automated: false` (kargo #3928). */
const kargoPromotion: Scenario = {
  name: 'kargo-promotion',
  description: 'Kargo promotes new freight to a stage by starting a sync of its Argo CD app',
  build(t, rng) {
    return operationStartedBy(t, rng, {
      scenario: this.name,
      app: 'orders-staging',
      dest: 'orders-staging',
      deployment: 'orders',
      rev: 'd4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d0e2',
      writer: { user: KARGO_SA, userAgent: 'kargo/v1.8.2 (linux/amd64)', ip: '10.10.21.4' },
      initiatedBy: { username: 'kargo-controller', automated: false },
      reason: 'Promotion triggered a sync of this Application resource.',
      truth: { who: KARGO_SA, automation: 'Kargo promotion', whoIsApplier: false },
    });
  },
};

/** A person edits a managed Deployment live in the Argo CD UI: the cluster sees only argocd-server's account. */
const argocdUiEdit: Scenario = {
  name: 'argocd-ui-edit',
  description: "a person scales a managed Deployment in the Argo CD UI; the write is argocd-server's",
  build(t, rng) {
    const app = 'storefront';
    const RAVI = 'ravi@example.org';
    const resource = {
      name: app,
      namespace: 'shop',
      resourceName: 'storefront-web',
      version: 'v1',
      group: 'apps',
      kind: 'Deployment',
    };
    return {
      records: [
        {
          file: 'argocd.log',
          ms: t,
          line: argoApiCallLine({
            ms: t,
            method: 'PatchResource',
            email: RAVI,
            content: {
              ...resource,
              patch: '{"spec":{"replicas":6}}',
              patchType: 'application/merge-patch+json',
              appNamespace: 'argocd',
            },
          }),
        },
        {
          file: 'kube-audit.log',
          ms: t + 120,
          line: kubeAuditLine({
            ms: t + 120,
            auditID: uuid(rng),
            verb: 'patch',
            resource: 'deployments',
            apiGroup: 'apps',
            namespace: 'shop',
            name: 'storefront-web',
            user: 'system:serviceaccount:argocd:argocd-server',
            groups: SA_GROUPS,
            sourceIPs: ['10.10.20.31'],
            userAgent: 'argocd-server/v3.1.8 (linux/amd64)',
            code: 200,
            level: 'RequestResponse',
            requestObject: { spec: { replicas: 6 } },
            responseObject: {
              kind: 'Deployment',
              metadata: {
                name: 'storefront-web',
                namespace: 'shop',
                annotations: { 'argocd.argoproj.io/tracking-id': `${app}:apps/Deployment:shop/storefront-web` },
              },
              spec: { replicas: 6 },
            },
          }),
        },
        argo(t + 200, app, 'shop', `${RAVI} patched resource apps/Deployment 'storefront-web'`, {
          reason: 'ResourceUpdated',
          type: 'Normal',
          user: RAVI,
        }),
      ],
      truth: [
        {
          scenario: this.name,
          effect: {
            verb: 'patch',
            resource: 'deployments',
            namespace: 'shop',
            name: 'storefront-web',
            time: at(t + 120),
          },
          verdict: 'manual-drift',
          who: { name: RAVI },
          links: [
            // The API-call line has second precision.
            { kind: 'argocd-ui', cause: `argocd attempt:patch at ${at(Math.floor(t / 1000) * 1000)}` },
            { kind: 'drift', cause: `kube-audit patch at ${at(t + 120)}` },
          ],
        },
      ],
    };
  },
};

/** A Rancher user runs kubectl through the authorized cluster endpoint: the cluster sees only the user id. */
const rancherAceDelete: Scenario = {
  name: 'rancher-ace-delete',
  description:
    'a Rancher user deletes a ConfigMap with kubectl through the authorized cluster endpoint (Rancher logs nothing)',
  build(t, rng) {
    return {
      records: [
        // Earlier, the same user in the Rancher UI: the record that names the id's login.
        {
          file: 'rancher-audit.log',
          ms: t - 40 * MIN,
          line: rancherAuditLine({
            ms: t - 40 * MIN,
            auditID: uuid(rng),
            uri: '/v1/management.cattle.io.clusters',
            method: 'GET',
            who: KIM,
            code: 200,
          }),
        },
        {
          file: 'kube-audit.log',
          ms: t,
          line: kubeAuditLine({
            ms: t,
            auditID: uuid(rng),
            verb: 'delete',
            resource: 'configmaps',
            apiGroup: '',
            namespace: 'shop',
            name: 'feature-flags',
            user: KIM.rancherUserId as string,
            groups: ['system:authenticated', 'system:cattle:authenticated'],
            sourceIPs: [KIM.ip],
            userAgent: KUBECTL,
            code: 200,
          }),
        },
      ],
      truth: [
        {
          scenario: this.name,
          effect: { verb: 'delete', resource: 'configmaps', namespace: 'shop', name: 'feature-flags', time: at(t) },
          verdict: 'manual',
          who: { name: 'kim', ip: KIM.ip },
          // Rancher logs whole seconds.
          links: [
            { kind: 'rancher-ace', cause: `rancher-audit list at ${at(Math.floor((t - 40 * MIN) / 1000) * 1000)}` },
          ],
        },
      ],
    };
  },
};

/** A person changes an ApplicationSet; its controller then generates an Application from it. */
const applicationSetGenerate: Scenario = {
  name: 'applicationset-generate',
  description: 'a person adds an environment to an ApplicationSet with kubectl; the controller creates the Application',
  build(t, rng) {
    const appSet = 'shop-envs';
    const generated = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'shop-envs-staging',
        namespace: 'argocd',
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'ApplicationSet',
            name: appSet,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        project: 'default',
        destination: { server: 'https://kubernetes.default.svc', namespace: 'shop-staging' },
      },
    };
    return {
      records: [
        {
          file: 'kube-audit.log',
          ms: t,
          line: kubeAuditLine({
            ms: t,
            auditID: uuid(rng),
            verb: 'update',
            resource: 'applicationsets',
            apiGroup: 'argoproj.io',
            namespace: 'argocd',
            name: appSet,
            user: LEE.user,
            groups: ['sre', 'system:authenticated'],
            sourceIPs: [LEE.ip],
            userAgent: KUBECTL,
            code: 200,
          }),
        },
        {
          file: 'kube-audit.log',
          ms: t + 1_500,
          line: kubeAuditLine({
            ms: t + 1_500,
            auditID: uuid(rng),
            verb: 'create',
            resource: 'applications',
            apiGroup: 'argoproj.io',
            namespace: 'argocd',
            // The audit objectRef of a create names the new object.
            name: 'shop-envs-staging',
            user: 'system:serviceaccount:argocd:argocd-applicationset-controller',
            groups: SA_GROUPS,
            sourceIPs: ['10.10.20.44'],
            userAgent: 'argocd-applicationset-controller/v3.1.8 (linux/amd64)',
            code: 201,
            level: 'Request',
            requestObject: generated,
          }),
        },
      ],
      truth: [
        {
          scenario: this.name,
          effect: { verb: 'update', resource: 'applicationsets', namespace: 'argocd', name: appSet, time: at(t) },
          verdict: 'manual',
          who: { name: LEE.user, ip: LEE.ip },
        },
        {
          scenario: this.name,
          effect: {
            verb: 'create',
            resource: 'applications',
            namespace: 'argocd',
            name: 'shop-envs-staging',
            time: at(t + 1_500),
          },
          verdict: 'manual',
          who: { name: LEE.user },
          links: [
            { kind: 'app-generator', cause: `kube-audit create at ${at(t + 1_500)}` },
            { kind: 'app-generator', cause: `kube-audit update at ${at(t)}` },
          ],
        },
      ],
    };
  },
};

const KS = 'system:serviceaccount:kube-system:';
const CONTROL_PLANE_IP = '10.0.0.10';
const ALEX: Identity = { rancherUserId: 'u-alx7q2', login: 'alex', ip: '198.51.100.61', token: 'token-m4v8d' };
/** apimachinery's alphabet for generated names (staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const suffix = (rng: Rng, n = 5) => Array.from({ length: n }, () => ALPHANUMS[Math.floor(rng() * 27)]).join('');

/** A write of a kube-controller-manager controller under its own service account (Metadata level unless a body). */
function controllerWrite(
  ms: number,
  rng: Rng,
  controller: string,
  w: { verb: string; resource: string; apiGroup: string; namespace: string; name: string; responseObject?: unknown }
): GeneratedRecord {
  return argoWrite(
    ms,
    rng,
    { ...w, code: w.verb === 'create' ? 201 : 200 },
    {
      user: KS + controller,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      ip: CONTROL_PLANE_IP,
      userAgent: `kube-controller-manager/v1.31.2 (linux/amd64) kubernetes/5864a46/system:serviceaccount:kube-system:${controller}`,
    }
  );
}

type Effect = TruthChain['effect'];
const effectOf = (verb: string, resource: string, namespace: string, name: string, ms: number): Effect => ({
  verb,
  resource,
  namespace,
  name,
  time: at(ms),
});

/** What trace must say of a controller's write set off by `cause`: the cause's story, one cascade hop further. */
function consequence(effect: Effect, cause: TruthChain): TruthChain {
  return {
    scenario: cause.scenario,
    effect,
    verdict: cause.verdict,
    who: cause.who,
    ...(cause.gitops ? { gitops: cause.gitops } : {}),
    links: [
      { kind: 'cascade', cause: `kube-audit ${cause.effect.verb} at ${cause.effect.time}` },
      ...(cause.links ?? []),
    ],
    cause: cause.effect,
  };
}

/** An automated Argo CD sync's truth: the application controller, the app at `rev`, started at `started`. */
function autoSyncTruth(scenario: string, effect: Effect, app: string, rev: string, started: number): TruthChain {
  return {
    scenario,
    effect,
    verdict: 'gitops-sync',
    who: { name: ARGO_SA, ip: ARGO_IP },
    gitops: {
      tool: 'argocd',
      app,
      revision: rev,
      commit: rev,
      automated: true,
      automation: 'auto-sync',
      operation: 'sync',
    },
    links: [
      { kind: 'gitops-apply', cause: `argocd sync at ${at(started)}` },
      { kind: 'sync-trigger', cause: `argocd sync at ${at(started)}` },
    ],
  };
}

/** A person deletes a Deployment through Rancher; the garbage collector removes its ReplicaSet, then its Pods. */
const rancherDeleteCascade: Scenario = {
  name: 'rancher-delete-cascade',
  description:
    "a Rancher user deletes a Deployment through Rancher's proxy; the garbage collector deletes its ReplicaSet and Pods",
  build(t, rng) {
    const ns = 'shop';
    const rs = `catalog-${suffix(rng, 9)}`;
    const pods = [0, 1, 2].map(() => `${rs}-${suffix(rng)}`);
    const gc = 'generic-garbage-collector';
    const records: GeneratedRecord[] = [
      ...viaRancher(t, rng, ALEX, {
        verb: 'delete',
        method: 'DELETE',
        resource: 'deployments',
        apiGroup: 'apps',
        namespace: ns,
        name: 'catalog',
      }),
      controllerWrite(t + 1_200, rng, gc, {
        verb: 'delete',
        resource: 'replicasets',
        apiGroup: 'apps',
        namespace: ns,
        name: rs,
      }),
      ...pods.map((name, i) =>
        controllerWrite(t + 2_000 + i * 150, rng, gc, {
          verb: 'delete',
          resource: 'pods',
          apiGroup: '',
          namespace: ns,
          name,
          // One Pod recorded at RequestResponse: its ownerReferences are the hard key.
          ...(i === 0
            ? {
                responseObject: {
                  kind: 'Pod',
                  metadata: {
                    name,
                    namespace: ns,
                    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, controller: true }],
                  },
                },
              }
            : {}),
        })
      ),
    ];
    const root: TruthChain = {
      scenario: this.name,
      effect: effectOf('delete', 'deployments', ns, 'catalog', t + 180),
      verdict: 'manual',
      who: { name: 'alex', ip: ALEX.ip },
      links: [
        { kind: 'impersonation', cause: `kube-audit delete at ${at(t + 180)}` },
        { kind: 'rancher-proxy', cause: `rancher-audit delete at ${at(Math.floor(t / 1000) * 1000)}` },
      ],
    };
    const rsTruth = consequence(effectOf('delete', 'replicasets', ns, rs, t + 1_200), root);
    return {
      records,
      truth: [
        root,
        rsTruth,
        ...pods.map((name, i) => consequence(effectOf('delete', 'pods', ns, name, t + 2_000 + i * 150), rsTruth)),
      ],
    };
  },
};

/** An automated Argo CD sync rolls out a new image: a new ReplicaSet, Pods replaced one by one. */
const argoRollout: Scenario = {
  name: 'argocd-rollout',
  description:
    'an automated Argo CD sync changes a Deployment image; the deployment controller rolls out a new ReplicaSet and the replicaset controller replaces the Pods',
  build(t, rng) {
    const app = 'search';
    const ns = 'search';
    const rev = '5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e3a';
    const dc = 'deployment-controller';
    const rsc = 'replicaset-controller';
    const newRs = `search-api-${suffix(rng, 10)}`;
    const oldRs = `search-api-${suffix(rng, 9)}`;
    const rsWrite = (ms: number, verb: string, name: string) =>
      controllerWrite(ms, rng, dc, { verb, resource: 'replicasets', apiGroup: 'apps', namespace: ns, name });
    const podWrite = (ms: number, verb: string, name: string) =>
      controllerWrite(ms, rng, rsc, { verb, resource: 'pods', apiGroup: '', namespace: ns, name });
    const steps: Array<{ ms: number; by: 'dc' | 'rsc'; verb: string; name: string; cause?: number }> = [];
    steps.push({ ms: t + 4_000, by: 'dc', verb: 'create', name: newRs });
    for (let i = 0; i < 2; i++) {
      const base = t + 5_000 + i * 12_000;
      if (i > 0) {
        steps.push({ ms: base - 1_000, by: 'dc', verb: 'update', name: newRs });
      }
      steps.push({ ms: base, by: 'rsc', verb: 'create', name: `${newRs}-${suffix(rng)}` });
      steps.push({ ms: base + 9_000, by: 'dc', verb: 'update', name: oldRs });
      steps.push({ ms: base + 10_000, by: 'rsc', verb: 'delete', name: `${oldRs}-${suffix(rng)}` });
    }
    const deploymentMs = t + 3_000;
    const records: GeneratedRecord[] = [
      argo(t, app, ns, `Initiated automated sync to '${rev}'`, { reason: 'OperationStarted', type: 'Normal' }),
      argoWrite(deploymentMs, rng, {
        verb: 'patch',
        resource: 'deployments',
        apiGroup: 'apps',
        namespace: ns,
        name: 'search-api',
      }),
      ...steps.map((s) => (s.by === 'dc' ? rsWrite(s.ms, s.verb, s.name) : podWrite(s.ms, s.verb, s.name))),
      argo(t + 40_000, app, ns, `Sync operation to ${rev} succeeded`, { reason: 'OperationCompleted', type: 'Normal' }),
    ];
    const root = autoSyncTruth(
      this.name,
      effectOf('patch', 'deployments', ns, 'search-api', deploymentMs),
      app,
      rev,
      t
    );
    // A ReplicaSet write follows the Deployment's change; a Pod, the newest write of its ReplicaSet before it.
    const lastRsWrite = new Map<string, TruthChain>();
    const truth: TruthChain[] = [root];
    for (const s of steps) {
      const effect = effectOf(s.verb, s.by === 'dc' ? 'replicasets' : 'pods', ns, s.name, s.ms);
      const rsName = s.by === 'dc' ? s.name : s.name.slice(0, s.name.lastIndexOf('-'));
      const c = consequence(effect, s.by === 'dc' ? root : (lastRsWrite.get(rsName) as TruthChain));
      truth.push(c);
      if (s.by === 'dc') {
        lastRsWrite.set(s.name, c);
      }
    }
    return { records, truth };
  },
};

/** A person scales a Deployment Argo CD manages: the Pods it adds carry the manual drift. */
const manualScaleCascade: Scenario = {
  name: 'manual-scale-cascade',
  description:
    'a person scales an Argo CD-managed Deployment with kubectl; the deployment controller resizes its ReplicaSet, the replicaset controller adds Pods',
  build(t, rng) {
    const app = 'inventory';
    const ns = 'inventory';
    const rev = '2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d';
    const rs = `inventory-${suffix(rng, 9)}`;
    const sam = { user: 'sam@example.org', ip: '203.0.113.71' };
    const scaleMs = t + 15 * MIN;
    const pods = [0, 1].map(() => `${rs}-${suffix(rng)}`);
    const records: GeneratedRecord[] = [
      argo(t, app, ns, `Initiated automated sync to '${rev}'`, { reason: 'OperationStarted', type: 'Normal' }),
      argoWrite(t + 3_000, rng, {
        verb: 'patch',
        resource: 'deployments',
        apiGroup: 'apps',
        namespace: ns,
        name: 'inventory',
      }),
      argo(t + 8_000, app, ns, `Sync operation to ${rev} succeeded`, { reason: 'OperationCompleted', type: 'Normal' }),
      {
        file: 'kube-audit.log',
        ms: scaleMs,
        line: kubeAuditLine({
          ms: scaleMs,
          auditID: uuid(rng),
          verb: 'patch',
          resource: 'deployments',
          apiGroup: 'apps',
          namespace: ns,
          name: 'inventory',
          subresource: 'scale',
          user: sam.user,
          groups: ['sre', 'system:authenticated'],
          sourceIPs: [sam.ip],
          userAgent: KUBECTL,
          code: 200,
        }),
      },
      controllerWrite(scaleMs + 600, rng, 'deployment-controller', {
        verb: 'update',
        resource: 'replicasets',
        apiGroup: 'apps',
        namespace: ns,
        name: rs,
      }),
      ...pods.map((name, i) =>
        controllerWrite(scaleMs + 1_200 + i * 200, rng, 'replicaset-controller', {
          verb: 'create',
          resource: 'pods',
          apiGroup: '',
          namespace: ns,
          name,
        })
      ),
    ];
    const scale: TruthChain = {
      scenario: this.name,
      effect: { ...effectOf('patch', 'deployments', ns, 'inventory', scaleMs), subresource: 'scale' },
      verdict: 'manual-drift',
      who: { name: sam.user, ip: sam.ip },
      links: [{ kind: 'drift', cause: `kube-audit patch at ${at(t + 3_000)}` }],
    };
    const rsTruth = consequence(effectOf('update', 'replicasets', ns, rs, scaleMs + 600), scale);
    return {
      records,
      truth: [
        autoSyncTruth(this.name, effectOf('patch', 'deployments', ns, 'inventory', t + 3_000), app, rev, t),
        scale,
        rsTruth,
        ...pods.map((name, i) => consequence(effectOf('create', 'pods', ns, name, scaleMs + 1_200 + i * 200), rsTruth)),
      ],
    };
  },
};

/** A CronJob fires: its Job and the Job's Pod are automation; the oldest Job is cleaned up with its Pod. */
const cronJobRun: Scenario = {
  name: 'cronjob-run',
  description:
    "a CronJob's schedule fires: the cronjob controller creates a Job, the job controller its Pod; the oldest Job is deleted and the garbage collector removes its Pod",
  build(t, rng) {
    const ns = 'reports';
    const scheduled = Math.floor(t / MIN) * MIN;
    const job = `daily-report-${scheduled / MIN}`;
    const oldJob = `daily-report-${scheduled / MIN - 3 * 24 * 60}`;
    const pod = `${job}-${suffix(rng)}`;
    const oldPod = `${oldJob}-${suffix(rng)}`;
    const cron = 'cronjob-controller';
    const records: GeneratedRecord[] = [
      controllerWrite(scheduled + 150, rng, cron, {
        verb: 'create',
        resource: 'jobs',
        apiGroup: 'batch',
        namespace: ns,
        name: job,
      }),
      controllerWrite(scheduled + 900, rng, 'job-controller', {
        verb: 'create',
        resource: 'pods',
        apiGroup: '',
        namespace: ns,
        name: pod,
      }),
      controllerWrite(scheduled + 1_500, rng, cron, {
        verb: 'delete',
        resource: 'jobs',
        apiGroup: 'batch',
        namespace: ns,
        name: oldJob,
      }),
      controllerWrite(scheduled + 2_100, rng, 'generic-garbage-collector', {
        verb: 'delete',
        resource: 'pods',
        apiGroup: '',
        namespace: ns,
        name: oldPod,
      }),
    ];
    // A CronJob's writes are their own cause: the cascade rule's automation link to the write itself.
    const automation = (effect: Effect): TruthChain => ({
      scenario: this.name,
      effect,
      verdict: 'controller',
      who: { name: KS + cron, kind: 'system', ip: CONTROL_PLANE_IP },
      links: [{ kind: 'cascade', cause: `kube-audit ${effect.verb} at ${effect.time}` }],
    });
    const jobTruth = automation(effectOf('create', 'jobs', ns, job, scheduled + 150));
    const oldJobTruth = automation(effectOf('delete', 'jobs', ns, oldJob, scheduled + 1_500));
    return {
      records,
      truth: [
        jobTruth,
        consequence(effectOf('create', 'pods', ns, pod, scheduled + 900), jobTruth),
        oldJobTruth,
        consequence(effectOf('delete', 'pods', ns, oldPod, scheduled + 2_100), oldJobTruth),
      ],
    };
  },
};

const RAVI = { user: 'ravi@example.org', ip: '198.51.100.77' };

/**
 * What changed, at RequestResponse level: an automated sync changes a Deployment's image (the object before is
 * in the deployment controller's earlier status write), then a person turns auto-sync off on the Application.
 */
const imageChangeAndAutoSyncOff: Scenario = {
  name: 'image-change-and-auto-sync-off',
  description:
    "an automated sync moves a Deployment's image (bodies recorded), then a person disables auto-sync on the Application",
  build(t, rng) {
    const app = 'invoices';
    const ns = 'invoices';
    const previous = '9a8b7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3';
    const rev = 'b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4';
    const deployment = (image: string, rv: string) => ({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: {
        name: 'invoices-api',
        namespace: ns,
        uid: uuid(rng),
        resourceVersion: rv,
        labels: { 'app.kubernetes.io/instance': app },
        annotations: { 'argocd.argoproj.io/tracking-id': `${app}:apps/Deployment:${ns}/invoices-api` },
      },
      spec: {
        replicas: 3,
        template: {
          metadata: { labels: { app: 'invoices-api' } },
          spec: {
            containers: [
              { name: 'api', image, ports: [{ containerPort: 8080, protocol: 'TCP' }] },
              { name: 'metrics', image: 'prom/statsd-exporter:v0.27.1' },
            ],
          },
        },
      },
      status: { replicas: 3, readyReplicas: 3, observedGeneration: Number(rv) % 100 },
    });
    const before = deployment('registry.example.org/invoices/api:2.3.1', '48211');
    const after = deployment('registry.example.org/invoices/api:2.4.0', '48377');
    after.metadata.uid = before.metadata.uid;
    const application = (automated: boolean) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: app, namespace: 'argocd', resourceVersion: automated ? '90112' : '90250' },
      spec: {
        project: 'default',
        source: { repoURL: 'git@github.com:acme/invoices-deploy.git', targetRevision: 'main', path: 'prod' },
        destination: { server: 'https://kubernetes.default.svc', namespace: ns },
        syncPolicy: automated ? { automated: { prune: true, selfHeal: true } } : {},
      },
      status: { history: [{ id: 11, revision: previous, deployedAt: at(t - 2 * 24 * 60 * MIN) }] },
    });
    const controllerWrite = (ms: number, w: Partial<Parameters<typeof kubeAuditLine>[0]>): GeneratedRecord => ({
      file: 'kube-audit.log',
      ms,
      line: kubeAuditLine({
        ms,
        auditID: uuid(rng),
        verb: 'update',
        resource: 'deployments',
        apiGroup: 'apps',
        namespace: ns,
        name: 'invoices-api',
        subresource: 'status',
        level: 'RequestResponse',
        user: 'system:serviceaccount:kube-system:deployment-controller',
        groups: SA_GROUPS,
        sourceIPs: ['10.0.0.10'],
        userAgent:
          'kube-controller-manager/v1.31.2 (linux/amd64) kubernetes/5864a46/system:serviceaccount:kube-system:deployment-controller',
        code: 200,
        ...w,
      }),
    });
    const records: GeneratedRecord[] = [
      controllerWrite(t, { responseObject: before }),
      controllerWrite(t + 30_000, {
        resource: 'applications',
        apiGroup: 'argoproj.io',
        namespace: 'argocd',
        name: app,
        user: ARGO_SA,
        sourceIPs: [ARGO_IP],
        userAgent: ARGO_UA,
        responseObject: application(true),
      }),
      argo(t + 2 * MIN, app, ns, `Initiated automated sync to '${rev}'`, {
        reason: 'OperationStarted',
        type: 'Normal',
      }),
      {
        file: 'kube-audit.log',
        ms: t + 2 * MIN + 3_000,
        line: kubeAuditLine({
          ms: t + 2 * MIN + 3_000,
          auditID: uuid(rng),
          verb: 'patch',
          resource: 'deployments',
          apiGroup: 'apps',
          namespace: ns,
          name: 'invoices-api',
          level: 'RequestResponse',
          user: ARGO_SA,
          groups: SA_GROUPS,
          sourceIPs: [ARGO_IP],
          userAgent: ARGO_UA,
          code: 200,
          query: 'fieldManager=argocd-controller',
          requestObject: {
            spec: {
              template: {
                spec: { containers: [{ name: 'api', image: after.spec.template.spec.containers[0].image }] },
              },
            },
          },
          responseObject: after,
        }),
      },
      argo(t + 2 * MIN + 8_000, app, ns, `Sync operation to ${rev} succeeded`, {
        reason: 'OperationCompleted',
        type: 'Normal',
      }),
      {
        file: 'kube-audit.log',
        ms: t + 8 * MIN,
        line: kubeAuditLine({
          ms: t + 8 * MIN,
          auditID: uuid(rng),
          verb: 'patch',
          resource: 'applications',
          apiGroup: 'argoproj.io',
          namespace: 'argocd',
          name: app,
          level: 'RequestResponse',
          user: RAVI.user,
          groups: ['platform-admins', 'system:authenticated'],
          sourceIPs: [RAVI.ip],
          userAgent: KUBECTL,
          code: 200,
          query: 'fieldManager=kubectl-patch',
          requestObject: { spec: { syncPolicy: { automated: null } } },
          responseObject: application(false),
        }),
      },
    ];
    return {
      records,
      truth: [
        {
          scenario: this.name,
          effect: {
            verb: 'patch',
            resource: 'deployments',
            namespace: ns,
            name: 'invoices-api',
            time: at(t + 2 * MIN + 3_000),
          },
          verdict: 'gitops-sync',
          who: { name: ARGO_SA, ip: ARGO_IP },
          gitops: {
            tool: 'argocd',
            app,
            commit: rev,
            initiator: null,
            automated: true,
            revision: rev,
            automation: 'auto-sync',
            operation: 'sync',
            commitUrl: `https://github.com/acme/invoices-deploy/commit/${rev}`,
            previousCommit: previous,
            compareUrl: `https://github.com/acme/invoices-deploy/compare/${previous}...${rev}`,
          },
          links: [
            { kind: 'gitops-apply', cause: `argocd sync at ${at(t + 2 * MIN)}` },
            { kind: 'sync-trigger', cause: `argocd sync at ${at(t + 2 * MIN)}` },
          ],
          change: {
            source: 'response-bodies',
            complete: true,
            diff: [
              {
                path: 'spec.template.spec.containers[0].image',
                before: 'registry.example.org/invoices/api:2.3.1',
                after: 'registry.example.org/invoices/api:2.4.0',
              },
            ],
          },
        },
        {
          scenario: this.name,
          effect: { verb: 'patch', resource: 'applications', namespace: 'argocd', name: app, time: at(t + 8 * MIN) },
          verdict: 'manual',
          who: { name: RAVI.user, ip: RAVI.ip },
          change: {
            source: 'response-bodies',
            complete: true,
            diff: [{ path: 'spec.syncPolicy.automated', before: { prune: true, selfHeal: true } }],
          },
        },
      ],
    };
  },
};

/** A namespace the protected-namespace alert watches by default (`recorded-protected-namespace-write`). */
const PROTECTED = 'production';
const RIO = { user: 'rio@example.org', ip: '198.51.100.23' };

/** A person edits a ConfigMap in production with kubectl: no GitOps tool manages it, no sync is behind it. */
const productionHotfix: Scenario = {
  name: 'production-hotfix',
  description: 'a person edits a ConfigMap in the production namespace with kubectl edit, outside GitOps',
  build(t, rng) {
    // kubectl edit reads the object, then sends the edited one back.
    const request = (ms: number, verb: string, code: number): GeneratedRecord => ({
      file: 'kube-audit.log',
      ms,
      line: kubeAuditLine({
        ms,
        auditID: uuid(rng),
        verb,
        resource: 'configmaps',
        apiGroup: '',
        namespace: PROTECTED,
        name: 'payment-limits',
        user: RIO.user,
        groups: ['sre', 'system:authenticated'],
        sourceIPs: [RIO.ip],
        userAgent: KUBECTL,
        code,
      }),
    });
    return {
      records: [request(t, 'get', 200), request(t + 41_000, 'patch', 200)],
      truth: [
        {
          scenario: this.name,
          effect: {
            verb: 'patch',
            resource: 'configmaps',
            namespace: PROTECTED,
            name: 'payment-limits',
            time: at(t + 41_000),
          },
          verdict: 'manual',
          who: { name: RIO.user, ip: RIO.ip },
        },
      ],
    };
  },
};

export const SCENARIOS: readonly Scenario[] = [
  unauthorizedDeletion,
  driftSelfHeal,
  fleetGitRepoEdit,
  rancherProxyDelete,
  execIntoPod,
  autoSync,
  applicationSetRollingSync,
  kargoPromotion,
  argocdUiEdit,
  rancherAceDelete,
  applicationSetGenerate,
  rancherDeleteCascade,
  argoRollout,
  manualScaleCascade,
  cronJobRun,
  imageChangeAndAutoSyncOff,
  productionHotfix,
];
