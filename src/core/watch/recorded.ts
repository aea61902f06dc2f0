import type { ChainJson } from '../correlate/chainJson';
import type { ChainRecord } from '../model';
import type { PushEntry } from '../loki/push';

/**
 * A chain as `provenance watch` records it in Loki: one entry in `{job="change-provenance", verdict, cluster}`,
 * the line the chain JSON of the trace contract plus the evidence records, the entry time the effect's time
 * (ms, as the chain JSON says it), person / app / namespace / chain id in structured metadata. Everything here is
 * a function of the chain alone, so the same input gives a byte-identical entry and Loki drops the repeat.
 */

export const RECORDED_JOB = 'change-provenance';
/**
 * After each window, one entry in `{job="change-provenance-progress", cluster}` says it is wholly recorded (a
 * window without changes has no chain to say so): readers know which part of a range is recorded, a restart
 * where to go on. Its own job, so counts over the chain streams never see it.
 */
export const PROGRESS_JOB = 'change-provenance-progress';

/** The progress entry of a window [fromMs, toMs): deterministic, at the window's last millisecond. */
export function progressEntry(fromMs: number, toMs: number, cluster: string | undefined): PushEntry {
  return {
    labels: { job: PROGRESS_JOB, ...(cluster ? { cluster } : {}) },
    ns: `${toMs - 1}000000`,
    line: JSON.stringify({ recorded: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() } }),
    meta: {},
  };
}

/** The window a progress line says is recorded. */
export function readProgress(line: string): { fromMs: number; toMs: number } | undefined {
  try {
    const r = (JSON.parse(line) as { recorded?: { from?: string; to?: string } }).recorded;
    const fromMs = Date.parse(r?.from ?? '');
    const toMs = Date.parse(r?.to ?? '');
    return Number.isNaN(fromMs) || Number.isNaN(toMs) ? undefined : { fromMs, toMs };
  } catch {
    return undefined;
  }
}

/** An evidence record in the recorded line (the details drawer's rows, without the raw reference). */
export interface RecordedEvidence {
  id: string;
  role: string;
  time: string | null;
  source: string;
  actor: string;
  verb: string;
  object: string;
  logql: string;
  line?: string;
}

/** The recorded line: the chain JSON, its evidence, and — only when they apply — its revision and what was cut. */
export interface RecordedChain extends ChainJson {
  records?: RecordedEvidence[];
  /** 2 and up when the chain's answer changed after it was first recorded (absent: 1). */
  revision?: number;
  /** What was left out to fit Loki's line limit, in the order it was cut. */
  shortened?: string[];
}

export interface Candidate {
  chain: ChainJson;
  /** Effect time, ms: the entry's timestamp. */
  ms: number;
  records: ChainRecord[];
  /** Value of the `cluster` label (left out when unknown). */
  cluster?: string;
}

/** `max_line_size` of a stock Loki (pkg/validation/limits.go: 256KB). */
export const LOKI_MAX_LINE_BYTES = 256 * 1024;

// Made on first use: importing core must not need a global that some hosts (jsdom) lack.
let encoder: TextEncoder | undefined;
const bytes = (s: string) => (encoder ??= new TextEncoder()).encode(s).length;

export function evidenceOf(r: ChainRecord): RecordedEvidence {
  const out: RecordedEvidence = {
    id: r.id,
    role: r.role,
    time: r.time === undefined ? null : new Date(r.time).toISOString(),
    source: r.source,
    actor: r.actor,
    verb: r.verb,
    object: r.object,
    logql: r.logql,
  };
  if (r.line !== undefined) {
    out.line = r.line;
  }
  return out;
}

const cut = (s: string | null, n: number) => (s !== null && s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * Ways to make a line shorter, mildest first: the raw lines of the records, the records, the request body of
 * the diff, the diff, the evidence sentences,
 * the context, then every free-text field cut to 256 characters. The chain itself (id, effect, verdict, who,
 * GitOps) is never cut away.
 */
const SHORTENINGS: Array<[string, (c: RecordedChain) => RecordedChain]> = [
  ['records.line', (c) => ({ ...c, records: c.records?.map(({ line: _line, ...r }) => r) })],
  ['records', ({ records: _records, ...c }) => c],
  // The request body sent is what the diff already says, in the sender's shape.
  ['change.patch', (c) => (c.change ? { ...c, change: { ...c.change, patch: null } } : c)],
  ['change', (c) => ({ ...c, change: null })],
  [
    'evidence',
    (c) => ({
      ...c,
      links: c.links.map((l) => ({ ...l, evidence: [] })),
      context: c.context.map((x) => ({ ...x, evidence: [] })),
    }),
  ],
  ['context', (c) => ({ ...c, context: [] })],
  [
    'text',
    (c) => ({
      ...c,
      effect: {
        ...c.effect,
        userAgent: cut(c.effect.userAgent, 256),
        sourceIPs: c.effect.sourceIPs.slice(0, 4),
        actor: { ...c.effect.actor, name: cut(c.effect.actor.name, 256) as string },
      },
      who: {
        ...c.who,
        name: cut(c.who.name, 256) as string,
        via: c.who.via.slice(0, 8).map((v) => cut(v, 256) as string),
      },
      links: c.links.map((l) => ({ ...l, kind: cut(l.kind, 256) as string })),
    }),
  ],
];

/** The chain's recorded line at a revision, shortened to fit `maxBytes`; undefined if even the shortest is over. */
export function recordedLine(
  c: Candidate,
  revision: number,
  maxBytes = LOKI_MAX_LINE_BYTES
): { line: string; shortened: string[] } | undefined {
  let chain: RecordedChain = { ...c.chain, records: c.records.map(evidenceOf) };
  const shortened: string[] = [];
  const render = () =>
    JSON.stringify({
      ...chain,
      ...(revision > 1 ? { revision } : {}),
      ...(shortened.length ? { shortened } : {}),
    });
  let line = render();
  for (const [name, shorten] of SHORTENINGS) {
    if (bytes(line) <= maxBytes) {
      return { line, shortened };
    }
    chain = shorten(chain);
    shortened.push(name);
    line = render();
  }
  return bytes(line) <= maxBytes ? { line, shortened } : undefined;
}

/** Stream labels: job, verdict and — when known — cluster; nothing of high cardinality. */
export function recordedLabels(chain: ChainJson, cluster: string | undefined): Record<string, string> {
  return { job: RECORDED_JOB, verdict: chain.verdict, ...(cluster ? { cluster } : {}) };
}

/** Structured metadata: what alert rules and Explore filter on without parsing the line. Empty values left out. */
export function recordedMeta(chain: ChainJson): Record<string, string> {
  const meta: Record<string, string> = { chain_id: chain.id };
  const add = (k: string, v: string | null | undefined) => {
    if (v) {
      meta[k] = v;
    }
  };
  add('person', chain.who.kind === 'human' ? chain.who.name : undefined);
  add('app', chain.gitops?.app);
  add('namespace', chain.effect.target.namespace);
  return meta;
}

/** A recorded line read back: its chain id, revision, and its content without the revision (to compare). */
export interface RecordedVersion {
  id: string;
  revision: number;
  body: string;
  chain: RecordedChain;
}

export function readRecorded(line: string): RecordedVersion | undefined {
  let j: unknown;
  try {
    j = JSON.parse(line);
  } catch {
    return undefined;
  }
  const c = j as Partial<RecordedChain> | null;
  if (!c || typeof c !== 'object' || typeof c.id !== 'string' || typeof c.verdict !== 'string' || !c.effect) {
    return undefined;
  }
  const { revision, ...rest } = c as RecordedChain;
  return {
    id: c.id,
    revision: typeof revision === 'number' && revision > 1 ? revision : 1,
    body: JSON.stringify(rest),
    chain: c as RecordedChain,
  };
}

/** The newest recorded version of each chain (highest revision). */
export function newestVersions(lines: Iterable<string>): Map<string, RecordedVersion> {
  const newest = new Map<string, RecordedVersion>();
  for (const line of lines) {
    const v = readRecorded(line);
    if (v && (newest.get(v.id)?.revision ?? 0) < v.revision) {
      newest.set(v.id, v);
    }
  }
  return newest;
}

export interface WritePlan {
  entries: PushEntry[];
  /** Chains already recorded with this very answer: nothing sent. */
  unchanged: number;
  /** Chains recorded before with another answer: sent again, one revision up. */
  rerecorded: number;
  /** Chains whose line was shortened to fit (named in the line's `shortened`). */
  shortened: number;
  /** Chains that fit in no way (reported, never silently dropped). */
  unfit: string[];
}

/**
 * What to push for a window: each chain not yet recorded, or recorded with a different answer (then one
 * revision up); a chain whose newest recorded version says the same is left alone.
 */
export function planWrites(
  candidates: Candidate[],
  recordedLines: Iterable<string>,
  opts: { maxLineBytes?: number } = {}
): WritePlan {
  const newest = newestVersions(recordedLines);
  const plan: WritePlan = { entries: [], unchanged: 0, rerecorded: 0, shortened: 0, unfit: [] };
  for (const c of candidates) {
    const before = newest.get(c.chain.id);
    const revision = before ? before.revision + 1 : 1;
    const fit = recordedLine(c, revision, opts.maxLineBytes);
    if (!fit) {
      plan.unfit.push(c.chain.id);
      continue;
    }
    if (before) {
      const { revision: _r, ...body } = JSON.parse(fit.line) as RecordedChain;
      if (JSON.stringify(body) === before.body) {
        plan.unchanged++;
        continue;
      }
      plan.rerecorded++;
    }
    if (fit.shortened.length) {
      plan.shortened++;
    }
    plan.entries.push({
      labels: recordedLabels(c.chain, c.cluster),
      ns: `${c.ms}000000`,
      line: fit.line,
      // A later revision says so in metadata too: counts of first recordings filter on it without `| json`.
      meta: { ...recordedMeta(c.chain), ...(revision > 1 ? { revision: String(revision) } : {}) },
    });
  }
  return plan;
}
