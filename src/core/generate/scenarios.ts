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
  who: { name: string; ip?: string };
  gitops?: { tool: string; app: string; commit?: string; initiator?: string; automated?: boolean; operation?: string };
  /** Context kinds and a text each summary must contain (e.g. the login name and IP of an RBAC change). */
  context?: Array<{ kind: string; mentions: string[] }>;
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

function argoWrite(
  ms: number,
  rng: Rng,
  w: { verb: string; resource: string; apiGroup: string; namespace: string; name: string; code?: number }
): GeneratedRecord {
  return {
    file: 'kube-audit.log',
    ms,
    line: kubeAuditLine({
      ms,
      auditID: uuid(rng),
      ...w,
      user: ARGO_SA,
      groups: SA_GROUPS,
      sourceIPs: [ARGO_IP],
      userAgent: ARGO_UA,
      code: w.code ?? 200,
      query: w.verb === 'patch' ? 'fieldManager=argocd-controller' : undefined,
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
          gitops: { tool: 'argocd', app, commit: good, initiator: DANA, automated: false, operation: 'rollback' },
          context: [
            { kind: 'rbac-context', mentions: ['kim', KIM.ip, 'argocd-admin'] },
            { kind: 'sync-trigger', mentions: ['failed'] },
          ],
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
    const sync = (ms: number): TruthChain => ({
      scenario: this.name,
      effect: { verb: 'patch', resource: 'deployments', namespace: 'shop', name: 'checkout', time: at(ms) },
      verdict: 'gitops-sync',
      who: { name: ARGO_SA },
      gitops: { tool: 'argocd', app, commit: rev, automated: true, operation: 'sync' },
    });
    return {
      records,
      truth: [
        sync(t + 4_000),
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
        },
        sync(t + 20 * MIN + 24_000),
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
  argocdUiEdit,
  rancherAceDelete,
];
