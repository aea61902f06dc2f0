import type { ChangeEvent, GitOpsRef, ResourceRef } from '../model';
import { isObj, type Obj } from './fields';
import { fnv1a } from './hash';
import { readOwnershipMarks } from './marks';
import { fromNs, parseAnyTime } from './time';
import { skip, type ObjectParser, type ParseContext, type ParseResult } from './types';

/**
 * Rancher Fleet: controller and agent zap JSON lines (log-formats.md §4.6) and GitRepo Kubernetes Events.
 * - agent `Deployed bundle` (BundleDeployment, `deploymentID`, `release`): what reached the cluster;
 * - bundle reconciler `<Op> bundledeployment` with the BundleDeployment (labels carry the commit);
 * - gitjob `New commit from repository` / commit-bearing GitRepo lines; Events `GotNewCommit`, `FailedToCheckCommit`.
 */

const SOURCE = 'fleet';
const FLEET_AGENT = 'fleet-agent';
const FLEET_CONTROLLER = 'fleet-controller';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function ref(resource: string, kind: string, namespace?: string, name?: string): ResourceRef {
  const r: ResourceRef = { apiGroup: 'fleet.cattle.io', resource, kind };
  if (namespace) {
    r.namespace = namespace;
  }
  if (name) {
    r.name = name;
  }
  return r;
}

function nsName(o: Obj, key: string): { namespace?: string; name?: string } {
  const v = o[key];
  return isObj(v) ? { namespace: str(v.namespace), name: str(v.name) } : {};
}

interface FleetFacts {
  verb: string;
  operation: GitOpsRef['operation'];
  target: ResourceRef;
  actor: string;
  gitops: Partial<GitOpsRef>;
  keys: Record<string, string>;
  marks?: ChangeEvent['marks'];
  failed?: boolean;
}

const BUNDLE_OPS: Record<string, string> = {
  created: 'create',
  updated: 'update',
  deleted: 'delete',
  patched: 'patch',
};

function factsFromZap(o: Obj): FleetFacts | undefined {
  const msg = String(o.msg);
  if (msg === 'Deployed bundle') {
    const bd = nsName(o, 'BundleDeployment');
    const name = bd.name ?? str(o.name);
    const deploymentId = str(o.deploymentID) ?? str(o.DeploymentID);
    const release = str(o.release);
    const keys: Record<string, string> = {};
    if (name) {
      // Objects this BundleDeployment deploys carry `objectset.rio.cattle.io/id: default-<bd name>` (§4.1).
      keys.objectsetId = `default-${name}`;
    }
    if (deploymentId) {
      keys.deploymentId = deploymentId;
    }
    if (release) {
      keys.helmRelease = release.split(':')[0];
    }
    return {
      verb: 'deploy',
      operation: 'deploy',
      target: ref('bundledeployments', 'BundleDeployment', bd.namespace ?? str(o.namespace), name),
      actor: FLEET_AGENT,
      gitops: { app: name, deploymentId, release, phase: 'Deployed' },
      keys,
    };
  }
  const op = /^(Created|Updated|Deleted|Patched) bundledeployment$/i.exec(msg);
  if (op) {
    const bdObj = isObj(o.bundledeployment) ? o.bundledeployment : undefined;
    const meta = bdObj && isObj(bdObj.metadata) ? bdObj.metadata : undefined;
    const marks = readOwnershipMarks(bdObj);
    const name = str(meta?.name);
    const commit = str(o.commit) ?? marks?.fleetCommit;
    const keys: Record<string, string> = name ? { objectsetId: `default-${name}` } : {};
    return {
      verb: BUNDLE_OPS[op[1].toLowerCase()],
      operation: 'bundle-change',
      target: ref('bundledeployments', 'BundleDeployment', str(meta?.namespace), name),
      actor: FLEET_CONTROLLER,
      gitops: {
        app: str(o.gitrepo) ?? marks?.fleetRepoName ?? marks?.fleetBundleName ?? str(o.name),
        appNamespace: str(o.namespace),
        commit,
        initiator: str(o.userID),
        deploymentId: str(isObj(bdObj?.spec) ? (bdObj.spec as Obj).deploymentID : undefined),
      },
      keys,
      marks,
    };
  }
  const commit = str(o.newCommit) ?? (/commit/i.test(msg) ? str(o.commit) : undefined);
  if (commit) {
    const gr = nsName(o, 'GitRepo');
    const name = gr.name ?? str(o.name);
    return {
      verb: 'commit',
      operation: 'commit',
      target: ref('gitrepos', 'GitRepo', gr.namespace ?? str(o.namespace), name),
      actor: FLEET_CONTROLLER,
      gitops: { app: name, appNamespace: gr.namespace ?? str(o.namespace), commit, initiator: str(o.userID) },
      keys: {},
    };
  }
  return undefined;
}

export function fleetEvent(
  facts: FleetFacts,
  time: unknown,
  format: string,
  message: string,
  ctx: ParseContext
): ParseResult {
  const given = time !== undefined && time !== null && time !== '';
  const t = given ? parseAnyTime(time) : ctx.fallbackNs ? fromNs(ctx.fallbackNs) : undefined;
  if (given && !t) {
    return skip(SOURCE, 'invalid-timestamp');
  }
  const gitops: GitOpsRef = { tool: 'fleet', operation: facts.operation, message };
  for (const [k, v] of Object.entries(facts.gitops)) {
    if (v !== undefined && v !== '') {
      (gitops as unknown as Record<string, unknown>)[k] = v;
    }
  }
  const actor = facts.actor;
  const event: ChangeEvent = {
    id: `${SOURCE}:${t?.ns ?? ''}:${fnv1a(ctx.text)}`,
    source: SOURCE,
    format,
    time: t?.ms,
    ns: t?.ns ?? '',
    actor: {
      name: `system:serviceaccount:cattle-fleet-system:${actor}`,
      kind: 'gitops-controller',
      groups: [],
      via: [],
    },
    sourceIPs: [],
    verb: facts.verb,
    target: facts.target,
    outcome: { status: facts.failed ? 'failure' : 'success' },
    gitops,
    keys: { ...facts.keys },
    raw: ctx.raw,
  };
  if (gitops.app) {
    event.keys.app = `${gitops.appNamespace ?? ''}/${gitops.app}`;
  }
  if (facts.marks) {
    event.marks = facts.marks;
  }
  return { event };
}

/** GitRepo Events (core v1 and events.k8s.io recorders) → commit facts. */
export function fleetEventFacts(
  reason: string,
  kind: string,
  namespace: string | undefined,
  name: string | undefined,
  message: string
): FleetFacts | undefined {
  if (kind !== 'GitRepo') {
    return undefined;
  }
  const target = ref('gitrepos', 'GitRepo', namespace, name);
  const base = { target, actor: FLEET_CONTROLLER, keys: {} };
  switch (reason) {
    case 'GotNewCommit':
      return {
        ...base,
        verb: 'commit',
        operation: 'commit',
        gitops: { app: name, appNamespace: namespace, commit: message.trim() },
      };
    case 'FailedToCheckCommit':
    case 'WebhookCommitNotVisible':
      return {
        ...base,
        verb: 'commit-check-failed',
        operation: 'commit',
        gitops: { app: name, appNamespace: namespace },
        failed: true,
      };
    default:
      return undefined;
  }
}

function isFleetZap(o: Obj): boolean {
  if (typeof o.msg !== 'string' || !('ts' in o) || !('logger' in o)) {
    return false;
  }
  return (
    o.controllerGroup === 'fleet.cattle.io' ||
    'BundleDeployment' in o ||
    'GitRepo' in o ||
    'Bundle' in o ||
    /^(bundledeployment|bundle|gitjob|gitops|fleet|helmops)/.test(String(o.logger))
  );
}

export const fleetZapParser: ObjectParser = {
  id: 'fleet-zap',
  source: SOURCE,
  detect: isFleetZap,
  parse(o, ctx) {
    const facts = factsFromZap(o);
    return facts ? fleetEvent(facts, o.ts, 'fleet/zap-json', String(o.msg), ctx) : skip(SOURCE, 'not-a-change');
  },
};
