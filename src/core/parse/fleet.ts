import type { ChangeEvent, GitOpsRef, ResourceRef } from '../model';
import { isObj, type Obj } from './fields';
import { fleetObjectsetId } from './fleetNames';
import { fnv1a } from './hash';
import { parseLogfmt } from './logfmt';
import { readOwnershipMarks } from './marks';
import { fromNs, parseAnyTime } from './time';
import { skip, type ObjectParser, type ParseContext, type ParseResult, type TextParser } from './types';

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

/** The agent's BundleDeployment: controller-runtime's `BundleDeployment` object, else the `namespace`/`name` pair. */
function agentBundleDeployment(o: Obj): { namespace?: string; name?: string } {
  const bd = nsName(o, 'BundleDeployment');
  return { namespace: bd.namespace ?? str(o.namespace), name: bd.name ?? str(o.name) };
}

function factsFromZap(o: Obj): FleetFacts | undefined {
  const msg = String(o.msg);
  // helmdeployer/install.go: the logger carries the commit of the manifest being installed — what reaches the cluster.
  const helm = /^(Installing|Upgrading) helm release$/.exec(msg);
  if (helm) {
    const bd = agentBundleDeployment(o);
    const commit = str(o.commit);
    const dryRun = o.dryRun === true;
    return {
      verb: helm[1] === 'Installing' ? 'helm-install' : 'helm-upgrade',
      operation: 'deploy',
      target: ref('bundledeployments', 'BundleDeployment', bd.namespace, bd.name),
      actor: FLEET_AGENT,
      gitops: { app: bd.name, commit, phase: helm[1], ...(dryRun ? { dryRun } : {}) },
      // Not a finished deployment: indexed by BundleDeployment for its commit, never as the deploy itself.
      keys: bd.name ? { helmStart: bd.name } : {},
    };
  }
  // gitjob_controller.go: the logger's `commit` is the GitRepo's commit *before* the poll, not a new one.
  if (msg === 'Failed to check for latest commit') {
    const gr = nsName(o, 'GitRepo');
    const name = gr.name ?? str(o.name);
    const namespace = gr.namespace ?? str(o.namespace);
    const current = str(o.commit);
    return {
      verb: 'commit-check-failed',
      operation: 'commit',
      target: ref('gitrepos', 'GitRepo', namespace, name),
      actor: FLEET_CONTROLLER,
      gitops: { app: name, appNamespace: namespace },
      keys: current ? { currentCommit: current } : {},
      failed: true,
    };
  }
  if (msg === 'Deployed bundle') {
    const bd = nsName(o, 'BundleDeployment');
    const name = bd.name ?? str(o.name);
    const deploymentId = str(o.deploymentID) ?? str(o.DeploymentID);
    const release = str(o.release);
    const keys: Record<string, string> = {};
    if (name) {
      // Objects this BundleDeployment deploys carry `objectset.rio.cattle.io/id: default-<bd name>` (§4.1),
      // shortened with a hash from 64 characters as Fleet does.
      keys.objectsetId = fleetObjectsetId(name);
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
    // From v0.13 `bundledeployment` is the name, and `namespace`/`name` are repeated for the BundleDeployment
    // after the Bundle's (bundle_controller.go): the last key, which JSON.parse keeps, is the BundleDeployment's.
    const bdName = typeof o.bundledeployment === 'string' ? str(o.bundledeployment) : undefined;
    const name = str(meta?.name) ?? bdName;
    const commit = str(o.commit) ?? marks?.fleetCommit;
    const keys: Record<string, string> = name ? { objectsetId: fleetObjectsetId(name) } : {};
    return {
      verb: BUNDLE_OPS[op[1].toLowerCase()],
      operation: 'bundle-change',
      target: ref('bundledeployments', 'BundleDeployment', str(meta?.namespace) ?? (bdName && str(o.namespace)), name),
      actor: FLEET_CONTROLLER,
      gitops: {
        app: str(o.gitrepo) ?? marks?.fleetRepoName ?? marks?.fleetBundleName ?? (bdName ? undefined : str(o.name)),
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
    // v0.10.0's poller: "new commit found" with the whole GitRepo object under `gitrepo`.
    const polled = isObj(o.gitrepo) && isObj(o.gitrepo.metadata) ? nsName(o.gitrepo, 'metadata') : {};
    const gr = { ...polled, ...pick(nsName(o, 'GitRepo')) };
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

function pick(v: { namespace?: string; name?: string }): { namespace?: string; name?: string } {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined));
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
    /^(bundledeployment|bundle|gitjob|gitops|fleet|helmops|git-latest-commit-poll)/.test(String(o.logger))
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

/**
 * Fleet agents before 0.10 (still shipped by Harvester 1.4) log with logrus' text formatter:
 * `time="…" level=info msg="Deploying bundle <namespace>/<bundledeployment>"` (v0.9 agent bundledeployment controller).
 */
const DEPLOYING = /^Deploying bundle ([^/\s]+)\/(\S+)$/;

export const fleetLogrusTextParser: TextParser = {
  id: 'fleet-logrus-text',
  source: SOURCE,
  detect: (line) => line.startsWith('time="') && line.includes(' msg="Deploying bundle '),
  parse(line, ctx) {
    const kv = parseLogfmt(line);
    const m = kv && typeof kv.msg === 'string' ? DEPLOYING.exec(kv.msg) : null;
    if (!kv || !m) {
      return skip(SOURCE, 'not-a-change');
    }
    const facts: FleetFacts = {
      verb: 'deploy',
      operation: 'deploy',
      target: ref('bundledeployments', 'BundleDeployment', m[1], m[2]),
      actor: FLEET_AGENT,
      gitops: { app: m[2], phase: 'Deploying' },
      keys: { objectsetId: fleetObjectsetId(m[2]) },
    };
    return fleetEvent(facts, kv.time, 'fleet/logrus-text', String(kv.msg), ctx);
  },
};

/**
 * controller-runtime's zap in development mode (Fleet's `--debug`, cmd/debug.go) uses the console encoder:
 * `<ISO8601 time>\t<LEVEL>\t<logger>\t<message>\t<JSON fields>`.
 */
const ZAP_CONSOLE = /^(\d{4}-\d{2}-\d{2}T[^\t]+)\t([A-Z]+)\t([^\t]*)\t([^\t]*)(?:\t(\{.*))?$/s;

export const fleetZapConsoleParser: TextParser = {
  id: 'fleet-zap-console',
  source: SOURCE,
  detect: (line) => ZAP_CONSOLE.test(line),
  parse(line, ctx) {
    const m = ZAP_CONSOLE.exec(line) as RegExpExecArray;
    let fields: unknown = {};
    if (m[5]) {
      try {
        fields = JSON.parse(m[5]);
      } catch {
        return skip(SOURCE, 'invalid-json', 'the fields after the message');
      }
    }
    if (!isObj(fields)) {
      return skip(SOURCE, 'invalid-json', 'the fields after the message');
    }
    const o: Obj = { ...fields, ts: m[1], level: m[2].toLowerCase(), logger: m[3], msg: m[4] };
    if (!isFleetZap(o)) {
      return skip(SOURCE, 'unknown-format', 'a zap console line that is not Fleet');
    }
    const facts = factsFromZap(o);
    return facts ? fleetEvent(facts, o.ts, 'fleet/zap-console', m[4], ctx) : skip(SOURCE, 'not-a-change');
  },
};
