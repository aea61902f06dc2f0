import type { ChangeEvent, OwnerRef } from '../../model';
import { parseServiceAccount } from '../../parse/actor';
import { objectKey } from '../eventIndex';
import { describeDelta } from '../options';
import { at, hit, objectName, type LinkHit, type RuleContext, type RuleInfo } from '../rule';

export const cascadeRule: RuleInfo = {
  kind: 'cascade',
  summary:
    "a Kubernetes controller's write on a dependent (ReplicaSet, Pod, Job, any object with an owner) follows the change of its owner that set it off, found by ownerReferences / pod-template-hash (hard key) or by Kubernetes' naming rules, within the cascade window; CronJob and HPA writes are their own cause (automation)",
};

/**
 * The kube-controller-manager's controllers and the accounts they write as (with
 * `--use-service-account-credentials`): `ClientOrDie(logger, "<name>")` in kubernetes/kubernetes
 * cmd/kube-controller-manager/app/apps.go (deployment-controller, replicaset-controller, statefulset-controller,
 * daemon-set-controller), batch.go (job-controller, cronjob-controller), core.go (generic-garbage-collector),
 * autoscaling.go (horizontal-pod-autoscaler). Without that flag they all write as `system:kube-controller-manager`.
 */
type Controller =
  | 'generic-garbage-collector'
  | 'deployment-controller'
  | 'replicaset-controller'
  | 'statefulset-controller'
  | 'daemon-set-controller'
  | 'job-controller'
  | 'cronjob-controller'
  | 'horizontal-pod-autoscaler'
  | 'kube-controller-manager';

const CONTROLLERS: ReadonlySet<string> = new Set<Controller>([
  'generic-garbage-collector',
  'deployment-controller',
  'replicaset-controller',
  'statefulset-controller',
  'daemon-set-controller',
  'job-controller',
  'cronjob-controller',
  'horizontal-pod-autoscaler',
]);

interface OwnerKind {
  resource: string;
  apiGroup: string;
}

const KINDS: Readonly<Record<string, OwnerKind>> = {
  Deployment: { resource: 'deployments', apiGroup: 'apps' },
  ReplicaSet: { resource: 'replicasets', apiGroup: 'apps' },
  StatefulSet: { resource: 'statefulsets', apiGroup: 'apps' },
  DaemonSet: { resource: 'daemonsets', apiGroup: 'apps' },
  Job: { resource: 'jobs', apiGroup: 'batch' },
  CronJob: { resource: 'cronjobs', apiGroup: 'batch' },
  ReplicationController: { resource: 'replicationcontrollers', apiGroup: '' },
};

/** The owner kinds each controller writes the dependents of (the garbage collector and the manager: any). */
const OWNER_KINDS_OF: Readonly<Partial<Record<Controller, readonly string[]>>> = {
  'deployment-controller': ['Deployment'],
  'replicaset-controller': ['ReplicaSet', 'ReplicationController'],
  'statefulset-controller': ['StatefulSet'],
  'daemon-set-controller': ['DaemonSet'],
  'job-controller': ['Job'],
};

/**
 * Kubernetes' names for what controllers create. Generated names (`metadata.generateName` = `<owner>-`) end in
 * five characters of apimachinery's alphabet (staging/src/k8s.io/apiserver/pkg/storage/names/generate.go,
 * `randomLength = 5`, a base over `MaxGeneratedNameLength` = 58 cut to it; staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go, `alphanums`): Pods of ReplicaSets,
 * Jobs and DaemonSets. A ReplicaSet is `<deployment>-<pod-template-hash>`, the hash `rand.SafeEncodeString` of a
 * 32-bit FNV (1–10 characters of the same alphabet; pkg/controller/deployment/sync.go, `getNewReplicaSet`).
 * StatefulSet Pods are `<set>-<ordinal>` (pkg/controller/statefulset/stateful_set_utils.go, `getPodName`), a
 * CronJob's Jobs `<cronjob>-<scheduled time in minutes since the epoch>` (pkg/controller/cronjob/utils.go,
 * `getJobName`, `getTimeHashInMinutes`). A generated name of the maximum length (63) may carry a cut base: such
 * names are not matched (no wrong owner from a truncated prefix).
 */
const RANDOM5 = /^(.+)-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
const INDEXED_JOB_POD = /^(.+)-\d+-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
const ORDINAL = /^(.+)-(\d+)$/;
const TEMPLATE_HASH = /^(.+)-([bcdfghjklmnpqrstvwxz2456789]{1,10})$/;
const CRON_MINUTES = /^(.+)-(\d{1,12})$/;
const MAX_NAME_LENGTH = 63;

type How = 'ownerReferences' | 'pod-template-hash' | 'naming rule';

interface OwnerCandidate {
  kind: string;
  /** From the ownerReference; '' for owners a naming rule found (their kinds are all built in). */
  apiVersion: string;
  name: string;
  how: How;
  /** The rule or key in words, for the evidence. */
  why: string;
  uid?: string;
}

/** Confidence of the ownership: a hard key recorded in the body, or a name that fits Kubernetes' rule. */
const CONFIDENCE: Record<How, number> = { ownerReferences: 0.95, 'pod-template-hash': 0.95, 'naming rule': 0.7 };

/** What the cascade rule concluded about a write. */
export type CascadeResult =
  | { hit: LinkHit; automation?: undefined; missed?: undefined }
  | { hit: LinkHit; automation: string; missed?: undefined }
  | { hit?: undefined; automation?: undefined; missed: string };

export function controllerOf(e: ChangeEvent): Controller | undefined {
  if (e.actor.via.length > 0) {
    return undefined;
  }
  if (e.actor.name === 'system:kube-controller-manager') {
    return 'kube-controller-manager';
  }
  const sa = parseServiceAccount(e.actor.name);
  return sa?.namespace === 'kube-system' && CONTROLLERS.has(sa.name) ? (sa.name as Controller) : undefined;
}

function kindOf(ref: Pick<OwnerRef, 'kind' | 'apiVersion'>): OwnerKind {
  const known = KINDS[ref.kind];
  if (known) {
    return known;
  }
  const slash = ref.apiVersion.indexOf('/');
  return { resource: `${ref.kind.toLowerCase()}s`, apiGroup: slash === -1 ? '' : ref.apiVersion.slice(0, slash) };
}

/** The owner part of a generated name; none for a name of the maximum length, whose base may have been cut. */
function generatedBase(name: string, re: RegExp): string | undefined {
  return name.length < MAX_NAME_LENGTH ? re.exec(name)?.[1] : undefined;
}

/** Who may own the object `e` wrote: from its ownerReferences when the body was recorded, else from its name. */
function ownerCandidates(e: ChangeEvent): OwnerCandidate[] {
  const refs = e.marks?.ownerRefs;
  if (refs && refs.length > 0) {
    return refs.map((r) => ({
      kind: r.kind,
      apiVersion: r.apiVersion,
      name: r.name,
      how: 'ownerReferences',
      why: `its ownerReferences name ${r.kind} ${r.name}${r.uid ? ` (uid ${r.uid})` : ''}`,
      ...(r.uid ? { uid: r.uid } : {}),
    }));
  }
  const name = e.target.name ?? '';
  const hash = e.marks?.podTemplateHash;
  const out: OwnerCandidate[] = [];
  const byName = (kind: string, owner: string | undefined, rule: string) => {
    if (owner) {
      out.push({ kind, apiVersion: '', name: owner, how: 'naming rule', why: `by the naming rule ${rule}` });
    }
  };
  switch (e.target.resource) {
    case 'pods': {
      const base = generatedBase(name, RANDOM5);
      if (base && hash && base.endsWith(`-${hash}`)) {
        out.push({
          kind: 'ReplicaSet',
          apiVersion: '',
          name: base,
          how: 'pod-template-hash',
          why: `its pod-template-hash label ${hash} ends the ReplicaSet name ${base}`,
        });
      } else {
        byName('ReplicaSet', base, '<replicaset>-<5 random characters>');
      }
      byName('Job', base, '<job>-<5 random characters>');
      byName('DaemonSet', base, '<daemonset>-<5 random characters>');
      byName('ReplicationController', base, '<controller>-<5 random characters>');
      byName('Job', generatedBase(name, INDEXED_JOB_POD), '<job>-<index>-<5 random characters>');
      byName('StatefulSet', ORDINAL.exec(name)?.[1], '<statefulset>-<ordinal>');
      break;
    }
    case 'replicasets': {
      const m = TEMPLATE_HASH.exec(name);
      if (m && hash === m[2]) {
        out.push({
          kind: 'Deployment',
          apiVersion: '',
          name: m[1],
          how: 'pod-template-hash',
          why: `its pod-template-hash label ${hash} is the suffix of its name`,
        });
      } else {
        byName('Deployment', m?.[1], '<deployment>-<pod-template-hash>');
      }
      break;
    }
    case 'jobs':
      byName('CronJob', CRON_MINUTES.exec(name)?.[1], '<cronjob>-<scheduled minute>');
      break;
    default:
      break;
  }
  return out;
}

const SCALE_ONLY = (w: ChangeEvent) =>
  w.target.subresource === 'scale' ||
  (w.changedFields !== undefined && 'spec.replicas' in w.changedFields && !('spec.template' in w.changedFields));

/** Whether an owner's write can have set off the controller's write `e`. */
function setsOff(owner: ChangeEvent, e: ChangeEvent, controller: Controller): boolean {
  if (owner.source !== 'kube-audit' || owner.target.subresource === 'status') {
    return false;
  }
  const deleting = e.verb === 'delete' || e.verb === 'deletecollection';
  if (controller === 'generic-garbage-collector' || (controller === 'kube-controller-manager' && deleting)) {
    // The garbage collector deletes dependents only once their owner is gone (maybe by the collector too).
    return owner.verb === 'delete';
  }
  if (owner.actor.name === e.actor.name) {
    // A controller's own writes of the owner (annotations, revision) set nothing off.
    return false;
  }
  if (owner.verb === 'delete' || owner.verb === 'deletecollection') {
    return false;
  }
  // A new ReplicaSet comes from a new Pod template; a scale alone only resizes the existing ones.
  return !(controller === 'deployment-controller' && e.verb === 'create' && SCALE_ONLY(owner));
}

function changeWords(owner: ChangeEvent, controller: Controller, e: ChangeEvent): string {
  if (owner.verb === 'delete') {
    return 'the delete';
  }
  if (controller === 'deployment-controller') {
    return e.verb === 'create' ? 'the Pod template change (→ new ReplicaSet)' : 'the change (→ scale)';
  }
  return SCALE_ONLY(owner) ? 'the scale' : owner.verb === 'create' ? 'the create' : 'the change';
}

/**
 * What the HorizontalPodAutoscaler decides on its metrics: the scale of its target (`<workload>/scale`, or
 * `spec.replicas` of the workload). Its own status writes and the Events it records are routine, no one's change.
 */
const SCALABLE = new Set(['deployments', 'replicasets', 'statefulsets', 'replicationcontrollers']);
const isScaleWrite = (e: ChangeEvent) =>
  (e.verb === 'update' || e.verb === 'patch') &&
  SCALABLE.has(e.target.resource) &&
  (e.target.subresource === 'scale' || (e.target.subresource === undefined && SCALE_ONLY(e)));

function automationOf(e: ChangeEvent, controller: Controller): CascadeResult | undefined {
  if (controller === 'horizontal-pod-autoscaler') {
    if (!isScaleWrite(e)) {
      return undefined;
    }
    return {
      automation: 'HorizontalPodAutoscaler',
      hit: hit('cascade', e, e, 1, [
        `${e.actor.name} is the HorizontalPodAutoscaler controller: it scaled ${objectName(e)} on its metrics, no person did (automation)`,
      ]),
    };
  }
  const cron =
    controller === 'cronjob-controller' || (controller === 'kube-controller-manager' && e.target.resource === 'jobs');
  if (!cron || e.target.resource !== 'jobs') {
    return undefined;
  }
  const owner = ownerCandidates(e).find((c) => c.kind === 'CronJob');
  const minutes = CRON_MINUTES.exec(e.target.name ?? '')?.[2];
  const evidence = [
    e.verb === 'delete'
      ? `${e.actor.name} deleted ${objectName(e)}, a finished Job past its CronJob's history limit, no person did (automation)`
      : `${e.actor.name} ${e.verb}d ${objectName(e)} on a CronJob's schedule, no person did (automation)`,
  ];
  if (owner) {
    evidence.push(`owned by CronJob ${e.target.namespace ?? ''}/${owner.name}: ${owner.why}`);
  }
  if (minutes) {
    evidence.push(`the name's suffix ${minutes} is the scheduled minute ${at(Number(minutes) * 60_000)}`);
  }
  return {
    automation: 'CronJob schedule',
    hit: hit('cascade', e, e, owner?.how === 'ownerReferences' ? 1 : owner ? 0.7 : 0.5, evidence),
  };
}

/** The owner candidates of a controller write the rule answers; undefined for a write it does not. */
function dependentCandidates(e: ChangeEvent, controller: Controller): OwnerCandidate[] | undefined {
  const gc = controller === 'generic-garbage-collector';
  const podWrite = e.target.resource === 'pods' && (e.verb === 'create' || e.verb === 'delete');
  const relevant = gc
    ? e.verb === 'delete' || e.verb === 'deletecollection'
    : controller === 'deployment-controller'
      ? e.target.resource === 'replicasets'
      : controller === 'kube-controller-manager'
        ? podWrite || e.target.resource === 'replicasets' || e.verb === 'delete'
        : podWrite;
  if (!relevant) {
    return undefined;
  }
  const allowed = OWNER_KINDS_OF[controller];
  return ownerCandidates(e).filter((c) => !allowed || allowed.includes(c.kind));
}

/**
 * The objects whose writes may have set off the controller write `e` (none for a write the rule does not
 * answer, or an automation): what a reader that fetches by question (the Loki trace) must fetch as well.
 */
export function ownerObjectsOf(e: ChangeEvent): Array<{ apiGroup: string; resource: string; name: string }> {
  const controller = controllerOf(e);
  if (!controller || e.time === undefined || automationOf(e, controller)) {
    return [];
  }
  return (dependentCandidates(e, controller) ?? []).map((c) => ({ ...kindOf(c), name: c.name }));
}

/**
 * The owner change behind a controller's write: the newest qualifying write of a candidate owner (same cluster,
 * same namespace — owner references never cross namespaces) from the cascade window before it up to the clock
 * skew after it. Lookups are by owner key and time in the index, never a scan.
 */
export function linkCascade(e: ChangeEvent, { ix, opts }: RuleContext): CascadeResult | undefined {
  const controller = controllerOf(e);
  if (!controller || e.time === undefined) {
    return undefined;
  }
  const automation = automationOf(e, controller);
  if (automation) {
    return automation;
  }
  const candidates = dependentCandidates(e, controller);
  if (!candidates) {
    return undefined;
  }
  const t = e.time;
  let best: { owner: ChangeEvent; c: OwnerCandidate; confidence: number } | undefined;
  for (const c of candidates) {
    const k = kindOf(c);
    const { cluster, namespace } = e.target;
    const key = objectKey({ target: { cluster, apiGroup: k.apiGroup, resource: k.resource, namespace, name: c.name } });
    const writes = ix.writesByObject.between(key, t - opts.cascadeWindowMs, t + opts.skewMs);
    for (let i = writes.length - 1; i >= 0; i--) {
      const w = writes[i];
      if (w.id === e.id || !setsOff(w, e, controller)) {
        continue;
      }
      const uidMatches = c.uid !== undefined && (w.marks?.uid === c.uid || w.target.uid === c.uid);
      const confidence = uidMatches ? 1 : CONFIDENCE[c.how];
      const better =
        !best ||
        confidence > best.confidence ||
        (confidence === best.confidence &&
          ((w.time as number) > (best.owner.time as number) ||
            ((w.time as number) === (best.owner.time as number) && w.id < best.owner.id)));
      if (better) {
        best = { owner: w, c, confidence };
      }
      break;
    }
  }
  const window = describeDelta(opts.cascadeWindowMs);
  if (!best) {
    const looked = candidates.map((c) => `${c.kind} ${e.target.namespace ?? ''}/${c.name}`);
    return {
      missed: looked.length
        ? `no change of ${looked.join(' or ')} within ${window} before this ${controller} write: it stays the controller's`
        : `no owner known for ${objectName(e)} (no ownerReferences recorded, no Kubernetes naming rule fits)`,
    };
  }
  const { owner, c, confidence } = best;
  const delta = t - (owner.time as number);
  const evidence = [
    `${e.actor.name} ${e.verb}d ${objectName(e)} ${describeDelta(delta)} ${delta >= 0 ? 'after' : 'before'} ${changeWords(owner, controller, e)} of its owner ${objectName(owner)} at ${at(owner.time)}`,
    `ownership ${c.how === 'naming rule' ? 'from the name, no body recorded' : 'by hard key'}: ${c.why}${confidence === 1 ? ', and the owner’s uid matches' : ''}`,
    `the owner's change is the newest within the ${window} cascade window`,
  ];
  return { hit: hit('cascade', e, owner, confidence, evidence) };
}
