import { diffValues, isPlainObject, newCollector, type DiffCollector, type DiffContext } from '../diff/objectDiff';
import { applyPatch, patchEntries, patchKindOf } from '../diff/patch';
import { commitUrl, compareUrl, httpsBase, repoWeb } from '../links/gitHost';
import type { Chain, Change, ChangeEvent, GitOpsRef } from '../model';
import { isCredentialRequest } from '../parse/redact';
import type { EventIndex } from './eventIndex';
import type { RuleContext } from './rule';

/**
 * What exactly a write changed (`chain.change`) and links to where its cause lives (`gitops.commitUrl`,
 * `previousCommit`, `compareUrl`, `appUrl`, `who.url`). Sources of the diff, best first: the object before
 * (the previous write's or an earlier read's response body of the same object) and after (this write's
 * response) → a complete diff; else the request body (patch applied to the object before when it is known, or
 * read alone) → what was sent; else Argo CD's history (the revision before and after).
 */

const SHA = /^[0-9a-f]{7,64}$/i;
const CUT_LINE = "the line was cut short (a shipper's size limit): only what survived of the request is listed";
const NOISE_PATHS_SHOWN = 10;

/** Events with a kept response body, by object, in event order; and every event's position. */
interface BodyIndex {
  byObject: Map<string, ChangeEvent[]>;
  /** `group|resource|name` → events with a kept body of that object (Applications, GitRepos), newest last. */
  byName: Map<string, ChangeEvent[]>;
  position: Map<string, number>;
}

const bodyIndexes = new WeakMap<EventIndex, BodyIndex>();

/** Subresources whose body is the whole object (status); others (scale, …) are objects of their own. */
function bodyShape(e: ChangeEvent): string {
  const sub = e.target.subresource ?? '';
  return sub === 'status' ? '' : sub;
}

function objectOf(e: ChangeEvent): string {
  const t = e.target;
  return `${e.source}|${t.cluster ?? ''}|${t.apiGroup}|${t.resource}|${t.namespace ?? ''}|${t.name ?? ''}|${bodyShape(e)}`;
}

function bodyIndex(ix: EventIndex): BodyIndex {
  let bi = bodyIndexes.get(ix);
  if (bi) {
    return bi;
  }
  bi = { byObject: new Map(), byName: new Map(), position: new Map() };
  let i = 0;
  for (const e of ix.byId.values()) {
    bi.position.set(e.id, i++);
    // A line cut short holds part of its bodies: never the object before a later write.
    if (e.snapshot === undefined || e.outcome.status === 'failure' || !e.target.name || e.truncated) {
      continue;
    }
    if (e.snapshot.response !== undefined && e.verb !== 'delete') {
      const k = objectOf(e);
      (bi.byObject.get(k) ?? bi.byObject.set(k, []).get(k))?.push(e);
    }
    const n = `${e.target.apiGroup}|${e.target.resource}|${e.target.name}`;
    (bi.byName.get(n) ?? bi.byName.set(n, []).get(n))?.push(e);
  }
  bodyIndexes.set(ix, bi);
  return bi;
}

/** The object as it was before `e`: the latest earlier kept response of the same object (and uid, when known). */
function objectBefore(e: ChangeEvent, bi: BodyIndex): ChangeEvent | undefined {
  const list = bi.byObject.get(objectOf(e)) ?? [];
  const pos = bi.position.get(e.id) ?? -1;
  // The list is in event order: binary search for the last body before `e` (an object written thousands of times
  // at RequestResponse level, a Lease, costs log n per write, not n).
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bi.position.get(list[mid].id) ?? Infinity) < pos) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  const c = lo > 0 ? list[lo - 1] : undefined;
  if (!c) {
    return undefined;
  }
  const uid = responseUid(c);
  const own = e.target.uid ?? responseUid(e);
  // A body of another uid: the object was deleted and created again since, so it is not this object's before.
  return uid && own && uid !== own ? undefined : c;
}

function responseUid(e: ChangeEvent): string | undefined {
  const r = e.snapshot?.response;
  const meta = isPlainObject(r) && isPlainObject(r.metadata) ? r.metadata : undefined;
  return typeof meta?.uid === 'string' ? meta.uid : undefined;
}

function isSecret(e: ChangeEvent): boolean {
  const bodyKind = (b: unknown) => isPlainObject(b) && (b.kind === 'Secret' || b.type === 'secret');
  return (
    e.target.resource === 'secrets' ||
    isCredentialRequest(e.requestURI, e.target.resource, e.target.subresource) ||
    bodyKind(e.snapshot?.request) ||
    bodyKind(e.snapshot?.response)
  );
}

function finish(
  source: Change['source'],
  out: DiffCollector,
  reasons: string[],
  wholeObjects: boolean,
  e: ChangeEvent,
  patchType?: string
): Change {
  if (out.dropped > 0) {
    reasons.push(`${out.dropped} more changed field${out.dropped === 1 ? '' : 's'} not listed`);
  }
  reasons.push(...out.cuts);
  if (e.snapshot?.cut) {
    reasons.push(e.snapshot.cut);
  }
  const change: Change = {
    source,
    complete: wholeObjects && reasons.length === 0,
    diff: out.entries,
    patch: e.snapshot?.request ?? null,
    omitted: { count: out.noise.length, paths: out.noise.slice(0, NOISE_PATHS_SHOWN) },
  };
  if (patchType) {
    change.patchType = patchType;
  }
  if (reasons.length > 0) {
    change.reason = reasons.join('; ');
  }
  return change;
}

/** The change `e` made, from its bodies or Argo CD's history; null when nothing recorded says. Never throws. */
export function changeOf(e: ChangeEvent, chain: Pick<Chain, 'gitops'>, rc: RuleContext): Change | null {
  try {
    return bodiesChange(e, rc) ?? argoChange(chain.gitops);
  } catch (err) {
    // Every step is bounded and total; this is a last guard so one odd body cannot cost the whole trace.
    const out = newCollector();
    return finish('request-body', out, [`diff failed: ${err instanceof Error ? err.message : String(err)}`], false, e);
  }
}

/**
 * A consequence (a controller's write set off by its owner's change) carries what its own bodies say; its links
 * and Argo CD's history are the cause's, shared with it.
 */
export function attachConsequenceChange(chain: Chain, rc: RuleContext): void {
  chain.change = changeOf(chain.effect, { gitops: null }, rc);
}

function bodiesChange(e: ChangeEvent, rc: RuleContext): Change | null {
  const snap = e.snapshot;
  if (!snap || e.verb === 'delete' || e.verb === 'deletecollection') {
    return null;
  }
  const ctx: DiffContext = { statusWrite: e.target.subresource === 'status', secret: isSecret(e) };
  const before = objectBefore(e, bodyIndex(rc.ix));
  const kind = patchKindOf(snap.request, e.verb, e.target.apiGroup);
  if (e.truncated) {
    // What survived of a cut line: its response would claim every field after the cut was removed.
    if (snap.request === undefined || kind === undefined) {
      return null;
    }
    const out = newCollector();
    patchEntries(snap.request, kind, ctx, out);
    return finish('request-body', out, [CUT_LINE], false, e, kind);
  }
  if (snap.response !== undefined && isPlainObject(snap.response) && (before || e.verb === 'create')) {
    const out = newCollector();
    diffValues(before?.snapshot?.response, snap.response, withDigests(ctx, before, e), out);
    return finish('response-bodies', out, [], true, e, kind);
  }
  if (typeof snap.request === 'string') {
    const reason = `the request body is text (${snap.request.length} characters: an apply patch in YAML, or bytes), not read for a diff`;
    return finish('request-body', newCollector(), [reason], false, e);
  }
  if (snap.request === undefined || kind === undefined) {
    return null;
  }
  const out = newCollector();
  const reasons: string[] = [];
  const known = before?.snapshot?.response;
  if (known !== undefined) {
    const applied = applyPatch(known, snap.request, kind);
    if ('after' in applied) {
      // The keys the request set carry its digests; the others are as they were before.
      const digests = { ...ctx, beforeDigests: before?.snapshot?.responseDigests };
      digests.afterDigests = { ...digests.beforeDigests, ...snap.requestDigests };
      diffValues(known, applied.after, digests, out);
      reasons.push('after = the request applied to the object before (the response was not recorded)');
      return finish('request-body', out, reasons, false, e, kind);
    }
    reasons.push(`the request does not apply to the object before: ${applied.error}`);
  } else {
    reasons.push('only what the request sent is known: no earlier body of the object was recorded');
  }
  patchEntries(snap.request, kind, ctx, out);
  return finish('request-body', out, reasons, false, e, kind);
}

function withDigests(ctx: DiffContext, before: ChangeEvent | undefined, after: ChangeEvent | undefined): DiffContext {
  return { ...ctx, beforeDigests: before?.snapshot?.responseDigests, afterDigests: after?.snapshot?.responseDigests };
}

/** Argo CD said which revision the sync deployed and which one was deployed before. */
function argoChange(g: GitOpsRef | null): Change | null {
  if (g?.tool !== 'argocd' || !g.previousCommit || !(g.commit ?? g.revision)) {
    return null;
  }
  return {
    source: 'argocd',
    complete: false,
    reason:
      "from Argo CD's history: the revision deployed before and by this sync; the object's bodies were not recorded",
    diff: [{ path: `applications/${g.app ?? '?'}.revision`, before: g.previousCommit, after: g.commit ?? g.revision }],
    patch: null,
    omitted: { count: 0, paths: [] },
  };
}

export interface LinkSettings {
  /** Argo CD web UI, for application page links. */
  argocdUrl?: string;
  /** Rancher web UI, for user page links. */
  rancherUrl?: string;
  /** Self-hosted Git hosts: host (or host:port) → github, gitlab, bitbucket, gitea, forgejo, azure-devops. */
  gitHosts?: Record<string, string>;
}

/** How many earlier bodies of an Application / GitRepo are read for its repo URL (newest first). */
const REPO_LOOKS = 50;

/** The first value `read` finds in the newest bodies of an object kept before position `before`. */
function fromLatestBodies(
  bi: BodyIndex,
  group: string,
  resource: string,
  name: string | undefined,
  before: number,
  read: (body: unknown) => string | undefined
): string | undefined {
  const list = name ? (bi.byName.get(`${group}|${resource}|${name}`) ?? []) : [];
  let looked = 0;
  for (let i = list.length - 1; i >= 0 && looked < REPO_LOOKS; i--) {
    const x = list[i];
    if ((bi.position.get(x.id) ?? Infinity) > before) {
      continue;
    }
    looked++;
    const found = read(x.snapshot?.response) ?? read(x.snapshot?.request);
    if (found) {
      return found;
    }
  }
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `spec.source.repoURL`, or the first of `spec.sources` that is a Git repository (has a path, not a chart). */
function appRepoURL(body: unknown): string | undefined {
  const spec = isPlainObject(body) && isPlainObject(body.spec) ? body.spec : undefined;
  if (!spec) {
    return undefined;
  }
  if (isPlainObject(spec.source)) {
    return str(spec.source.repoURL);
  }
  if (Array.isArray(spec.sources)) {
    const git = spec.sources.find((s) => isPlainObject(s) && s.chart === undefined && str(s.repoURL));
    return isPlainObject(git) ? str(git.repoURL) : undefined;
  }
  return undefined;
}

function gitRepoURL(body: unknown): string | undefined {
  return isPlainObject(body) && isPlainObject(body.spec) ? str(body.spec.repo) : undefined;
}

function repoOf(g: GitOpsRef, e: ChangeEvent, rc: RuleContext, bi: BodyIndex): string | undefined {
  if (g.repoURL) {
    return g.repoURL;
  }
  const pos = bi.position.get(e.id) ?? Infinity;
  if (g.tool === 'argocd') {
    const fromBody = fromLatestBodies(bi, 'argoproj.io', 'applications', g.app, pos, appRepoURL);
    return (
      fromBody ??
      [...rc.ix.argoByApp.between(g.app, -Infinity, e.time ?? Infinity)].reverse().find((x) => x.gitops?.repoURL)
        ?.gitops?.repoURL
    );
  }
  const fromBody = fromLatestBodies(bi, 'fleet.cattle.io', 'gitrepos', g.app, pos, gitRepoURL);
  return (
    fromBody ??
    [...rc.ix.fleetCommitByRepo.between(g.app, -Infinity, e.time ?? Infinity)].reverse().find((x) => x.gitops?.repoURL)
      ?.gitops?.repoURL
  );
}

/** The commit deployed before `commit`: Argo CD history (the entry before it), or Fleet's previous commit. */
function previousCommitOf(g: GitOpsRef, commit: string, e: ChangeEvent, rc: RuleContext): string | undefined {
  const t = e.time ?? Infinity;
  if (g.tool === 'argocd') {
    const history = [...(rc.ix.appHistory.get(g.app ?? '')?.entries() ?? [])].sort((a, b) => a[0] - b[0]);
    // Argo CD adds the entry when the sync ends, after its writes: this write's deployment is the first entry of
    // the commit deployed at or after it (a commit deployed again, by a rollback, has several), else the last.
    const ofCommit = history.flatMap(([, h], i) => (h.revision === commit ? [i] : []));
    const i =
      ofCommit.find((k) => (history[k][1].deployedAt ?? Infinity) >= t - rc.opts.skewMs) ?? ofCommit.at(-1) ?? -1;
    // A commit the history does not hold: the deployment before this write, not one made after it.
    const prev =
      i > 0 ? history[i - 1] : i < 0 ? history.filter(([, h]) => (h.deployedAt ?? -Infinity) < t).at(-1) : undefined;
    if (prev && SHA.test(prev[1].revision) && prev[1].revision !== commit) {
      return prev[1].revision;
    }
    const syncs = rc.ix.argoByApp.between(g.app, -Infinity, t - 1);
    const done = [...syncs]
      .reverse()
      .find((x) => x.gitops?.phase === 'Succeeded' && SHA.test(x.gitops.commit ?? '') && x.gitops.commit !== commit);
    return done?.gitops?.commit;
  }
  const commits = rc.ix.fleetCommitByRepo.between(g.app, -Infinity, t);
  return [...commits].reverse().find((x) => x.gitops?.commit && x.gitops.commit !== commit && SHA.test(x.gitops.commit))
    ?.gitops?.commit;
}

function seg(s: string): string {
  return encodeURIComponent(s);
}

/** A Rancher user id (`u-…`, `user-…`) of the person behind the effect. */
function rancherUserId(e: ChangeEvent): string | undefined {
  const ids = [e.actor.principalId?.replace(/^local:\/\//, ''), e.actor.name, ...e.actor.via.map((v) => v.name)];
  return ids.find((x): x is string => x !== undefined && /^(u|user)-[a-z0-9]{4,}$/.test(x));
}

/** Sets the links of a chain: commit, previous commit and comparison on the Git host, the Argo CD app, the Rancher user. */
export function attachLinks(chain: Chain, rc: RuleContext, settings: LinkSettings = {}): void {
  const g = chain.gitops;
  const e = chain.effect;
  if (g) {
    const bi = bodyIndex(rc.ix);
    const commit = g.commit ?? (SHA.test(g.revision ?? '') ? g.revision : undefined);
    const web = repoWeb(repoOf(g, e, rc, bi), settings.gitHosts);
    if (commit) {
      const previous = previousCommitOf(g, commit, e, rc);
      if (previous) {
        g.previousCommit = previous;
      }
      if (web) {
        const c = commitUrl(web, commit);
        const cmp = previous ? compareUrl(web, previous, commit) : undefined;
        if (c) {
          g.commitUrl = c;
        }
        if (cmp) {
          g.compareUrl = cmp;
        }
      }
    }
    const argocd = httpsBase(settings.argocdUrl);
    if (argocd && g.tool === 'argocd' && g.app) {
      g.appUrl = `${argocd}/applications/${seg(g.appNamespace ?? 'argocd')}/${seg(g.app)}`;
    }
  }
  const rancher = httpsBase(settings.rancherUrl);
  const user = rancher && chain.who.kind === 'human' ? rancherUserId(e) : undefined;
  if (rancher && user) {
    chain.who.url = `${rancher}/dashboard/c/_/auth/management.cattle.io.user/${seg(user)}`;
  }
}

/** The one call the engine makes per chain: links first (the Argo CD diff reads the previous commit), then the change. */
export function attachChange(chain: Chain, rc: RuleContext): void {
  attachLinks(chain, rc, rc.opts.links);
  chain.change = changeOf(chain.effect, chain, rc);
}
