import type { ChainJson } from '../correlate/chainJson';
import type {
  ActorKind,
  AddressTrust,
  Chain,
  ChainRecord,
  ChangeEvent,
  GitOpsRef,
  LinkKind,
  SourceKind,
  Verdict,
} from '../model';
import { redactRawLine } from '../parse/rawLine';
import { REDACTED, redactSecrets } from '../parse/redact';
import type { RecordedChain, RecordedEvidence } from './recorded';

/**
 * A recorded chain line read back into the model the data source's frames are made of. The line is anyone's who
 * can push to Loki: its shape is checked field by field (a line of another shape is a counted skip, never a
 * crash), and what could carry a secret — raw lines, request bodies, diff values — goes through the same
 * redaction as a live answer again (already redacted text passes unchanged, so a recorded answer equals the
 * live one).
 */

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown) => v === null || isStr(v);
const strList = (v: unknown) => Array.isArray(v) && v.every(isStr);
const listOf = (v: unknown, ok: (x: Record<string, unknown>) => boolean) =>
  Array.isArray(v) && v.every((x) => isObj(x) && ok(x));

/** Whether a parsed line has every field of the trace contract the frames read, with its type. */
export function isRecordedChain(v: unknown): v is RecordedChain {
  if (!isObj(v) || !isStr(v.id) || !isStr(v.verdict) || !isObj(v.effect) || !isObj(v.who)) {
    return false;
  }
  const e = v.effect;
  const t = e.target;
  const a = e.actor;
  const w = v.who;
  const g = v.gitops;
  return (
    strOrNull(e.time) &&
    (e.time === null || !Number.isNaN(Date.parse(e.time as string))) &&
    isStr(e.source) &&
    isStr(e.verb) &&
    isObj(t) &&
    isStr(t.apiGroup) &&
    isStr(t.resource) &&
    strOrNull(t.namespace) &&
    strOrNull(t.name) &&
    strOrNull(t.subresource) &&
    isObj(a) &&
    isStr(a.name) &&
    isStr(a.kind) &&
    strList(e.sourceIPs) &&
    strOrNull(e.userAgent) &&
    isStr(w.name) &&
    isStr(w.kind) &&
    strOrNull(w.ip) &&
    strOrNull(w.ipTrust) &&
    strList(w.via) &&
    strOrNull(w.url) &&
    (g === null || (isObj(g) && isStr(g.tool) && isStr(g.operation))) &&
    listOf(v.links, (l) => isStr(l.kind) && typeof l.confidence === 'number' && strList(l.evidence)) &&
    listOf(v.context, (x) => isStr(x.kind) && strOrNull(x.time) && isStr(x.summary) && strList(x.evidence)) &&
    strOrNull(v.consequenceOf) &&
    typeof v.consequences === 'number' &&
    (v.change === null || (isObj(v.change) && listOf(v.change.diff, (d) => isStr(d.path)))) &&
    (v.records === undefined || listOf(v.records, (r) => isStr(r.id) && isStr(r.role) && isStr(r.logql))) &&
    (v.grantedBy === undefined ||
      v.grantedBy === null ||
      (isObj(v.grantedBy) && isStr(v.grantedBy.by) && isStr(v.grantedBy.verb) && isStr(v.grantedBy.object))) &&
    (v.failedSyncBefore === undefined || v.failedSyncBefore === null || isObj(v.failedSyncBefore))
  );
}

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : undefined);

/** An event as far as a recorded line says: what the model needs to show it, nothing invented. */
function eventOf(
  id: string,
  source: string,
  time: string | null,
  verb: string,
  target: ChangeEvent['target'],
  actor: { name: string; kind: string }
): ChangeEvent {
  const t = ms(time);
  return {
    id,
    source: source as SourceKind,
    format: 'recorded',
    ...(t === undefined ? {} : { time: t }),
    ns: t === undefined ? '' : `${t}000000`,
    actor: { name: actor.name, kind: actor.kind as ActorKind, groups: [], via: [] },
    sourceIPs: [],
    verb,
    target,
    outcome: { status: 'unknown' },
    keys: {},
    raw: { labels: {} },
  };
}

const NO_TARGET: ChangeEvent['target'] = { apiGroup: '', resource: '' };

/** Values of a recorded diff or body redacted again (fail closed): a Secret's fields never show a value. */
function redactedChange(c: ChainJson['change'], secret: boolean): Chain['change'] {
  if (!c) {
    return null;
  }
  const value = (v: unknown, isSecretField: boolean) => (isSecretField ? REDACTED : redactSecrets(v));
  return {
    ...c,
    patch: c.patch === null || c.patch === undefined ? c.patch : redactSecrets(c.patch, secret),
    diff: c.diff.map((d) => {
      const secretField = d.secret === true || (secret && /^(data|stringData)\./.test(d.path));
      const out = { ...d };
      if ('before' in d) {
        out.before = value(d.before, secretField);
      }
      if ('after' in d) {
        out.after = value(d.after, secretField);
      }
      return secretField ? { ...out, secret: true } : out;
    }),
  };
}

function recordOf(r: RecordedEvidence): ChainRecord {
  const t = ms(r.time);
  return {
    id: r.id,
    role: r.role as ChainRecord['role'],
    ...(t === undefined ? {} : { time: t }),
    source: r.source as SourceKind,
    actor: r.actor,
    verb: r.verb,
    object: r.object,
    // The recorded line keeps no reference to the raw entry; the LogQL below finds it.
    raw: { labels: {} },
    logql: r.logql,
    ...(r.line === undefined ? {} : { line: redactRawLine(r.line) }),
  };
}

export interface ChainOfRecorded {
  chain: Chain;
  /** The evidence records as the chains frame carries them (empty when the line was shortened without them). */
  records: ChainRecord[];
  /** LogQL for the effect's raw line, from its evidence record (undefined when the records were cut). */
  effectLogql?: string;
}

/**
 * The model chain of a recorded line (checked by isRecordedChain): `chainToJson` of it gives the recorded chain
 * back. `cluster` is the recorded stream's label (the contract's target has none).
 */
export function chainOfRecorded(rc: RecordedChain, cluster?: string): ChainOfRecorded {
  const e = rc.effect;
  const target: ChangeEvent['target'] = {
    ...(cluster ? { cluster } : {}),
    apiGroup: e.target.apiGroup,
    resource: e.target.resource,
    ...(e.target.namespace === null ? {} : { namespace: e.target.namespace }),
    ...(e.target.name === null ? {} : { name: e.target.name }),
    ...(e.target.subresource === null ? {} : { subresource: e.target.subresource }),
  };
  const effect: ChangeEvent = {
    ...eventOf(rc.id, e.source, e.time, e.verb, target, e.actor),
    sourceIPs: e.sourceIPs,
    ...(e.userAgent === null ? {} : { userAgent: e.userAgent }),
  };
  const g = rc.gitops;
  const gitops: GitOpsRef | null = g
    ? (Object.fromEntries(Object.entries(g).filter(([, v]) => v !== null && v !== undefined)) as unknown as GitOpsRef)
    : null;
  const who = rc.who;
  const failed = rc.failedSyncBefore;
  const chain: Chain = {
    id: rc.id,
    effect,
    verdict: rc.verdict as Verdict,
    who: {
      name: who.name,
      kind: who.kind as ActorKind,
      ...(who.ip === null ? {} : { ip: who.ip }),
      ...(who.ipTrust === null ? {} : { ipTrust: who.ipTrust as AddressTrust }),
      via: who.via,
      ...(who.url === null ? {} : { url: who.url }),
    },
    gitops,
    links: rc.links.map((l) => ({
      kind: l.kind as LinkKind,
      from: rc.id,
      to: '',
      confidence: l.confidence,
      evidence: l.evidence,
    })),
    context: rc.context.map((x, i) => ({
      kind: x.kind as LinkKind,
      event: eventOf(`${rc.id}#context-${i}`, '', x.time, '', NO_TARGET, { name: '', kind: 'unknown' }),
      summary: x.summary,
      evidence: x.evidence,
    })),
    ...(rc.consequenceOf === null ? {} : { consequenceOf: rc.consequenceOf }),
    consequences: rc.consequences,
    change: redactedChange(rc.change, e.target.resource === 'secrets'),
    ...(rc.grantedBy
      ? {
          grantedBy: {
            by: rc.grantedBy.by,
            // The contract says the RBAC object as text: it stands as the path of a target without a resource.
            event: eventOf(
              `${rc.id}#granted-by`,
              '',
              rc.grantedBy.time,
              rc.grantedBy.verb,
              { ...NO_TARGET, path: rc.grantedBy.object },
              { name: '', kind: 'unknown' }
            ),
          },
        }
      : {}),
    ...(failed
      ? {
          failedSyncBefore: {
            ...eventOf(`${rc.id}#failed-sync`, 'argocd', failed.time, 'sync-result', NO_TARGET, {
              name: '',
              kind: 'unknown',
            }),
            ...(failed.message === null
              ? {}
              : { gitops: { tool: 'argocd', operation: 'sync', message: failed.message } }),
          },
        }
      : {}),
  };
  const records = (rc.records ?? []).map(recordOf);
  return { chain, records, effectLogql: records.find((r) => r.role === 'effect')?.logql };
}
