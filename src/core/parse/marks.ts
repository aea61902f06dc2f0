import type { ChangeEvent, OwnershipMarks, RbacInfo, RbacSubject } from '../model';
import { isObj, type Obj } from './fields';

/**
 * Ownership marks (DESIGN.md §3) and RBAC content read from request/response bodies. Bodies are only present
 * at audit level Request/RequestResponse; for patches the request body is the patch document, so JSON Patch
 * operations on annotations/labels are read too.
 */

/** The marks that are one string each (the rest are lists). */
type TextMark = {
  [K in keyof OwnershipMarks]-?: OwnershipMarks[K] extends string | undefined ? K : never;
}[keyof OwnershipMarks];

const ANNOTATION_MARKS: Record<string, TextMark> = {
  'argocd.argoproj.io/tracking-id': 'argocdTrackingId',
  'objectset.rio.cattle.io/id': 'objectsetId',
  'meta.helm.sh/release-name': 'helmReleaseName',
  'meta.helm.sh/release-namespace': 'helmReleaseNamespace',
};
const LABEL_MARKS: Record<string, TextMark> = {
  'app.kubernetes.io/instance': 'instanceLabel',
  'app.kubernetes.io/managed-by': 'managedBy',
  'objectset.rio.cattle.io/hash': 'objectsetHash',
  'fleet.cattle.io/commit': 'fleetCommit',
  'fleet.cattle.io/repo-name': 'fleetRepoName',
  'fleet.cattle.io/bundle-name': 'fleetBundleName',
  'fleet.cattle.io/created-by-user-id': 'fleetCreatedByUserId',
  // Set by the deployment controller on its ReplicaSets and their Pods (`apps.DefaultDeploymentUniqueLabelKey`).
  'pod-template-hash': 'podTemplateHash',
};

function readMap(marks: OwnershipMarks, map: unknown, table: Record<string, TextMark>): void {
  if (!isObj(map)) {
    return;
  }
  for (const key of Object.keys(table)) {
    const v = map[key];
    if (typeof v === 'string' && v !== '') {
      marks[table[key]] = v;
    }
  }
}

function unescapePointer(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

function readJsonPatch(marks: OwnershipMarks, ops: unknown[]): void {
  for (const op of ops) {
    if (!isObj(op) || typeof op.path !== 'string') {
      continue;
    }
    const path = op.path;
    if (path === '/metadata/annotations' || path === '/metadata/labels') {
      readMap(marks, op.value, path.endsWith('annotations') ? ANNOTATION_MARKS : LABEL_MARKS);
    } else if (typeof op.value === 'string') {
      const ann = /^\/metadata\/annotations\/(.+)$/.exec(path);
      const lab = /^\/metadata\/labels\/(.+)$/.exec(path);
      if (ann) {
        readMap(marks, { [unescapePointer(ann[1])]: op.value }, ANNOTATION_MARKS);
      } else if (lab) {
        readMap(marks, { [unescapePointer(lab[1])]: op.value }, LABEL_MARKS);
      }
    }
  }
}

const MAX_OWNER_REFS = 8;

/** `metadata.uid` and `metadata.ownerReferences` (at most a few: attacker-sized lists cost nothing later). */
function readOwnerRefs(marks: OwnershipMarks, meta: Obj): void {
  if (typeof meta.uid === 'string' && meta.uid !== '') {
    marks.uid = meta.uid;
  }
  if (!Array.isArray(meta.ownerReferences)) {
    return;
  }
  const refs = meta.ownerReferences
    .filter(isObj)
    .filter((r) => typeof r.kind === 'string' && typeof r.name === 'string' && r.name !== '')
    .slice(0, MAX_OWNER_REFS)
    .map((r) => ({
      apiVersion: typeof r.apiVersion === 'string' ? r.apiVersion : '',
      kind: r.kind as string,
      name: r.name as string,
      ...(typeof r.uid === 'string' && r.uid !== '' ? { uid: r.uid } : {}),
    }));
  if (refs.length > 0) {
    marks.ownerRefs = refs;
  }
}

/** Marks from any number of bodies; later bodies (the response, the object as stored) win. */
export function readOwnershipMarks(...bodies: unknown[]): OwnershipMarks | undefined {
  const marks: OwnershipMarks = {};
  for (const body of bodies) {
    if (Array.isArray(body)) {
      readJsonPatch(marks, body);
    } else if (isObj(body) && isObj(body.metadata)) {
      readMap(marks, body.metadata.annotations, ANNOTATION_MARKS);
      readMap(marks, body.metadata.labels, LABEL_MARKS);
      readOwnerRefs(marks, body.metadata);
    }
  }
  return Object.keys(marks).length > 0 ? marks : undefined;
}

function readSubjects(v: unknown): RbacSubject[] | undefined {
  if (!Array.isArray(v)) {
    return undefined;
  }
  const out: RbacSubject[] = [];
  for (const s of v) {
    if (isObj(s) && typeof s.kind === 'string' && typeof s.name === 'string') {
      out.push(
        typeof s.namespace === 'string'
          ? { kind: s.kind, name: s.name, namespace: s.namespace }
          : { kind: s.kind, name: s.name }
      );
    }
  }
  return out;
}

function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function readRules(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) {
    return undefined;
  }
  return v.filter(isObj).map((r: Obj) => {
    const groups = strList(r.apiGroups).map((g) => (g === '' ? 'core' : g));
    const what =
      strList(r.resources).length > 0 ? strList(r.resources).join(',') : strList(r.nonResourceURLs).join(',');
    return `${strList(r.verbs).join(',')} on ${what}${groups.length ? ` (${groups.join(',')})` : ''}`;
  });
}

const RBAC_RESOURCES = new Set(['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']);

/** Subjects/roleRef of bindings and rules of roles, from the first body that has them. */
export function readRbac(resource: string, ...bodies: unknown[]): RbacInfo | undefined {
  if (!RBAC_RESOURCES.has(resource)) {
    return undefined;
  }
  const info: RbacInfo = {};
  for (const body of bodies) {
    if (!isObj(body)) {
      continue;
    }
    const roleRef = body.roleRef;
    if (!info.roleRef && isObj(roleRef) && typeof roleRef.kind === 'string' && typeof roleRef.name === 'string') {
      info.roleRef = { kind: roleRef.kind, name: roleRef.name };
    }
    info.subjects ??= readSubjects(body.subjects);
    info.rules ??= readRules(body.rules);
  }
  return info.roleRef || info.subjects || info.rules ? info : undefined;
}

/** Fields worth telling a person about, per resource: GitOps trust and sync controls. */
const WATCHED_FIELDS: Record<string, string[]> = {
  gitrepos: [
    'spec.paused',
    'spec.forceSyncGeneration',
    'spec.revision',
    'spec.branch',
    'spec.repo',
    'spec.targets',
    'spec.correctDrift',
  ],
  bundles: ['spec.paused', 'spec.forceSyncGeneration'],
  bundledeployments: ['spec.paused', 'spec.deploymentID', 'spec.correctDrift'],
  applications: [
    'operation.initiatedBy.username',
    'operation.initiatedBy.automated',
    'operation.sync.revision',
    // Set by the application controller when self-heal (not a new commit) started the sync.
    'operation.sync.autoHealAttemptsCount',
    'spec.source.targetRevision',
    'spec.syncPolicy.automated',
    'spec.syncPolicy',
    // The controller writes the operation state back: who started it and what it synced (RequestResponse level).
    'status.operationState.operation.initiatedBy.username',
    'status.operationState.operation.initiatedBy.automated',
    'status.operationState.phase',
    'status.operationState.syncResult.revision',
  ],
  // What a workload change set off: a new template rolls out a new ReplicaSet, replicas only scale (cascade rule).
  deployments: ['spec.replicas', 'spec.template'],
  appprojects: ['spec.sourceRepos', 'spec.destinations', 'spec.clusterResourceWhitelist', 'spec.roles'],
};

/**
 * Fields whose content is never kept, only that the write set them: a Pod template can hold anything (env
 * values, an embedded Secret), and the cascade rule needs only "the template changed".
 */
const PRESENCE_ONLY: ReadonlySet<string> = new Set(['spec.template']);
const SET = '"(set)"';

function getPath(o: unknown, path: string[]): unknown {
  let cur = o;
  for (const seg of path) {
    if (!isObj(cur) || !(seg in cur)) {
      return undefined;
    }
    cur = cur[seg];
  }
  return cur;
}

/** Watched fields set by a body, merge patch or JSON Patch (`/spec/paused` → `spec.paused`). */
export function readChangedFields(resource: string, ...bodies: unknown[]): Record<string, string> | undefined {
  const watched = WATCHED_FIELDS[resource];
  if (!watched) {
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const body of bodies) {
    if (Array.isArray(body)) {
      for (const op of body) {
        if (isObj(op) && typeof op.path === 'string') {
          const dotted = op.path.split('/').filter(Boolean).map(unescapePointer).join('.');
          const hit = watched.find((w) => dotted === w || dotted.startsWith(w + '.'));
          if (hit && PRESENCE_ONLY.has(hit)) {
            out[hit] = SET;
          } else if (hit && !(dotted in out)) {
            out[dotted] = op.op === 'remove' ? 'null' : JSON.stringify(op.value ?? null);
          }
        }
      }
    } else if (isObj(body)) {
      for (const w of watched) {
        const v = getPath(body, w.split('.'));
        const covered = Object.keys(out).some((k) => w.startsWith(k + '.') || k.startsWith(w + '.'));
        if (v !== undefined && !(w in out) && !covered) {
          out[w] = PRESENCE_ONLY.has(w) ? SET : JSON.stringify(v);
        }
      }
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `status.history[]` of an Argo CD Application body: id → revision(s), newest last as Argo CD keeps it. */
export function readAppHistory(...bodies: unknown[]): ChangeEvent['appHistory'] {
  for (const body of bodies) {
    const history = getPath(body, ['status', 'history']);
    if (!Array.isArray(history)) {
      continue;
    }
    const out: NonNullable<ChangeEvent['appHistory']> = [];
    for (const h of history) {
      if (!isObj(h) || typeof h.id !== 'number') {
        continue;
      }
      const revision =
        typeof h.revision === 'string'
          ? h.revision
          : Array.isArray(h.revisions)
            ? h.revisions.filter((r) => typeof r === 'string').join(',')
            : '';
      const entry: { id: number; revision: string; deployedAt?: string; initiatedBy?: string } = { id: h.id, revision };
      if (typeof h.deployedAt === 'string') {
        entry.deployedAt = h.deployedAt;
      }
      const by = getPath(h, ['initiatedBy', 'username']);
      if (typeof by === 'string' && by !== '') {
        entry.initiatedBy = by;
      }
      out.push(entry);
    }
    if (out.length > 0) {
      return out;
    }
  }
  return undefined;
}
