import { DIFF_LIMITS } from './limits';
import { childPath, indexPath } from './paths';

/**
 * Field-by-field difference of two Kubernetes objects, bounded (limits.ts). List items are matched by the key
 * Kubernetes merges them by (containers, env, volumes by `name`; volumeMounts by `mountPath`; ports by
 * `containerPort` / `port`; conditions by `type`), so a reordered list is not a change and a changed container
 * is named by its position in the object after. Noise fields are left out and counted.
 */

export interface DiffEntry {
  path: string;
  /** Absent: the field did not exist before (or, for a diff read from a patch alone, is not known). */
  before?: unknown;
  /** Absent: the field was removed. */
  after?: unknown;
  /** A Secret's `data` / `stringData` key: its values are never shown, only that it was added, removed or changed. */
  secret?: true;
}

export interface DiffCollector {
  entries: DiffEntry[];
  /** Paths of noise fields that differed and were left out. */
  noise: string[];
  /** Why the diff is not whole (caps reached, values not comparable), in words. */
  cuts: string[];
  /** Entries dropped past the cap. */
  dropped: number;
}

export interface DiffContext {
  /** A write of the status subresource: `status` is its content, not noise. */
  statusWrite: boolean;
  /** The object is a Secret: `data` / `stringData` values are compared by digest and never shown. */
  secret: boolean;
  /** Salted digests of Secret values by path (`data.password`), before and after, when the parser took them. */
  beforeDigests?: Record<string, string>;
  afterDigests?: Record<string, string>;
}

export function newCollector(): DiffCollector {
  return { entries: [], noise: [], cuts: [], dropped: 0 };
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const NOISE_METADATA = new Set([
  'managedFields',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'selfLink',
  'uid',
]);
const TIMESTAMP_KEY = /(Timestamp|^last[A-Z]\w*Time|^observedGeneration)$/;

/** Fields that change on every write or are written by the server, not the writer: left out, counted. */
export function isNoise(segs: readonly string[], ctx: Pick<DiffContext, 'statusWrite'>): boolean {
  if (segs[0] === 'metadata') {
    if (segs.length === 2 && NOISE_METADATA.has(segs[1])) {
      return true;
    }
    if (segs.length === 3 && segs[1] === 'annotations' && segs[2] === LAST_APPLIED) {
      return true;
    }
  }
  if (segs.length === 1 && segs[0] === 'status' && !ctx.statusWrite) {
    return true;
  }
  const last = segs[segs.length - 1];
  return last !== 'deletionTimestamp' && TIMESTAMP_KEY.test(last);
}

/** The merge key Kubernetes uses for a list field, when every item has a distinct scalar value for it. */
const MERGE_KEYS: Record<string, readonly string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  imagePullSecrets: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  ports: ['containerPort', 'port'],
  conditions: ['type'],
  hostAliases: ['ip'],
  topologySpreadConstraints: ['topologyKey'],
  resourceClaims: ['name'],
};

export function mergeKeyOf(field: string, ...lists: unknown[][]): string | undefined {
  for (const key of MERGE_KEYS[field] ?? []) {
    if (lists.every((l) => distinctScalars(l, key))) {
      return key;
    }
  }
  return undefined;
}

function distinctScalars(list: unknown[], key: string): boolean {
  const seen = new Set<unknown>();
  for (const x of list) {
    const v = isPlainObject(x) ? x[key] : undefined;
    if ((typeof v !== 'string' && typeof v !== 'number') || seen.has(v)) {
      return false;
    }
    seen.add(v);
  }
  return true;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const JSON_DEPTH = 100;

/**
 * JSON text of `v`, at most `budget` characters (then cut, ending in `…`) and JSON_DEPTH levels: bounded where
 * JSON.stringify is not (a value nested thousands deep overflows the stack).
 */
export function boundedJson(v: unknown, budget: number): string {
  const parts: string[] = [];
  let used = 0;
  const emit = (s: string) => {
    parts.push(s);
    used += s.length;
  };
  const walk = (x: unknown, depth: number) => {
    if (used > budget) {
      return;
    }
    if (depth > JSON_DEPTH) {
      emit('"…"');
    } else if (Array.isArray(x)) {
      emit('[');
      x.forEach((y, i) => {
        if (used <= budget) {
          emit(i > 0 ? ',' : '');
          walk(y, depth + 1);
        }
      });
      emit(']');
    } else if (isPlainObject(x)) {
      emit('{');
      Object.keys(x).forEach((k, i) => {
        if (used <= budget) {
          emit(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`);
          walk(x[k], depth + 1);
        }
      });
      emit('}');
    } else {
      emit(JSON.stringify(x) ?? 'null');
    }
  };
  walk(v, 0);
  const text = parts.join('');
  return text.length > budget ? `${text.slice(0, budget)}…` : text;
}

/** A value as a diff shows it: itself, or — past the size cap — its shape and size. */
export function shown(v: unknown): unknown {
  if (v === undefined || v === null || typeof v !== 'object') {
    return typeof v === 'string' && v.length > DIFF_LIMITS.maxValueChars
      ? `${v.slice(0, 200)}… (${v.length} characters, folded)`
      : v;
  }
  const text = boundedJson(v, DIFF_LIMITS.maxValueChars);
  if (text.length <= DIFF_LIMITS.maxValueChars && !text.includes('"…"')) {
    return v;
  }
  const what = Array.isArray(v) ? `a list of ${v.length} items` : `an object of ${Object.keys(v).length} keys`;
  return `(${what}, over ${DIFF_LIMITS.maxValueChars} characters of JSON, folded)`;
}

/** Equal as JSON within the body cap and JSON_DEPTH; a value past either cap is never called equal. */
function sameJson(a: unknown, b: unknown): boolean {
  const x = boundedJson(a, DIFF_LIMITS.maxBodyChars);
  const cut = (t: string) => t.endsWith('…') || t.includes('"…"');
  return !cut(x) && x === boundedJson(b, DIFF_LIMITS.maxBodyChars);
}

export function push(out: DiffCollector, e: DiffEntry): void {
  if (out.entries.length >= DIFF_LIMITS.maxEntries) {
    out.dropped++;
    return;
  }
  const entry: DiffEntry = { path: e.path };
  if (e.before !== undefined) {
    entry.before = e.secret ? e.before : shown(e.before);
  }
  if (e.after !== undefined) {
    entry.after = e.secret ? e.after : shown(e.after);
  }
  if (e.secret) {
    entry.secret = true;
  }
  out.entries.push(entry);
}

function sameScalar(a: unknown, b: unknown): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function isSecretData(segs: readonly string[], ctx: DiffContext): boolean {
  return ctx.secret && segs.length >= 1 && (segs[0] === 'data' || segs[0] === 'stringData');
}

const REDACTED_MARK = '[redacted]';

/** A Secret's data maps, key by key: added, removed, or changed (by digest); never a value. */
function diffSecretData(
  before: unknown,
  after: unknown,
  path: string,
  field: string,
  ctx: DiffContext,
  out: DiffCollector
): void {
  const b = isPlainObject(before) ? before : {};
  const a = isPlainObject(after) ? after : {};
  let unknown = 0;
  for (const k of union(Object.keys(b), Object.keys(a))) {
    const p = childPath(path, k);
    const inB = k in b && before !== undefined;
    const inA = k in a && after !== undefined;
    if (inB && inA) {
      const db = ctx.beforeDigests?.[`${field}.${k}`];
      const da = ctx.afterDigests?.[`${field}.${k}`];
      if (db === undefined || da === undefined) {
        unknown++;
        continue;
      }
      if (db === da) {
        continue;
      }
    }
    push(out, {
      path: p,
      ...(inB ? { before: REDACTED_MARK } : {}),
      ...(inA ? { after: REDACTED_MARK } : {}),
      secret: true,
    });
  }
  if (unknown > 0) {
    out.cuts.push(`${unknown} Secret value${unknown === 1 ? '' : 's'} could not be compared (recorded redacted)`);
  }
}

function union(a: string[], b: string[]): string[] {
  const seen = new Set(a);
  return [...a, ...b.filter((k) => !seen.has(k))];
}

/** Adds the differences between `before` and `after` below `path` to `out`. */
export function diffValues(
  before: unknown,
  after: unknown,
  ctx: DiffContext,
  out: DiffCollector,
  path = '',
  segs: string[] = []
): void {
  if (segs.length > 0 && isNoise(segs, ctx)) {
    if (!sameShallow(before, after)) {
      out.noise.push(path);
    }
    return;
  }
  if (segs.length === 1 && isSecretData(segs, ctx)) {
    diffSecretData(before, after, path, segs[0], ctx, out);
    return;
  }
  if (before === undefined && after === undefined) {
    return;
  }
  if (segs.length >= DIFF_LIMITS.maxDepth) {
    if (!sameJson(before, after)) {
      push(out, { path, before, after });
      noteCut(out, `objects nested deeper than ${DIFF_LIMITS.maxDepth} levels compared as one value`);
    }
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const k of union(Object.keys(before), Object.keys(after))) {
      diffValues(before[k], after[k], ctx, out, childPath(path, k), [...segs, k]);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    diffArrays(before, after, ctx, out, path, segs);
    return;
  }
  if (!sameScalar(before, after)) {
    push(out, { path, before, after });
  }
}

function sameShallow(a: unknown, b: unknown): boolean {
  return typeof a === 'object' && a !== null && typeof b === 'object' && b !== null ? sameJson(a, b) : sameScalar(a, b);
}

function noteCut(out: DiffCollector, reason: string): void {
  if (!out.cuts.includes(reason)) {
    out.cuts.push(reason);
  }
}

function diffArrays(
  before: unknown[],
  after: unknown[],
  ctx: DiffContext,
  out: DiffCollector,
  path: string,
  segs: string[]
): void {
  if (before.length > DIFF_LIMITS.maxArrayItems || after.length > DIFF_LIMITS.maxArrayItems) {
    if (!sameJson(before, after)) {
      push(out, { path, before, after });
      noteCut(out, `lists over ${DIFF_LIMITS.maxArrayItems} items compared as one value`);
    }
    return;
  }
  const field = segs[segs.length - 1] ?? '';
  const key = mergeKeyOf(field, before, after);
  if (key === undefined) {
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      diffValues(before[i], after[i], ctx, out, indexPath(path, i), [...segs, String(i)]);
    }
    return;
  }
  const beforeByKey = new Map<unknown, unknown>();
  before.forEach((x) => beforeByKey.set((x as Record<string, unknown>)[key], x));
  const afterKeys = new Set<unknown>();
  after.forEach((x, i) => {
    const k = (x as Record<string, unknown>)[key];
    afterKeys.add(k);
    diffValues(beforeByKey.get(k), x, ctx, out, indexPath(path, i), [...segs, String(i)]);
  });
  before.forEach((x, i) => {
    if (!afterKeys.has((x as Record<string, unknown>)[key])) {
      push(out, { path: indexPath(path, i), before: x });
    }
  });
}
