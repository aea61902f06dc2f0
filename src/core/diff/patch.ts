import { DIFF_LIMITS } from './limits';
import {
  boundedJson,
  isNoise,
  isPlainObject,
  mergeKeyOf,
  push,
  type DiffCollector,
  type DiffContext,
} from './objectDiff';
import { childPath, keyedPath, pointerToPath } from './paths';

/**
 * What a request body says was sent, when the object before is not known: a JSON patch (RFC 6902), a strategic
 * merge patch (built-in kinds: lists merged by key, `$patch` / `$setElementOrder` / `$retainKeys` /
 * `$deleteFromPrimitiveList` directives), a JSON merge patch (RFC 7386, custom resources), or a whole object
 * (create / update). And, when the object before is known, the object after by applying the patch to it.
 */

export type PatchKind = 'json-patch' | 'strategic-merge-patch' | 'merge-patch' | 'object';

const REDACTED_MARK = '[redacted]';

/** API groups whose kinds are built in (served by kube-apiserver, so they accept strategic merge patches). */
function isBuiltInGroup(apiGroup: string): boolean {
  return apiGroup === '' || !apiGroup.includes('.') || apiGroup.endsWith('.k8s.io');
}

export function patchKindOf(body: unknown, verb: string, apiGroup: string): PatchKind | undefined {
  if (verb === 'create' || verb === 'update') {
    return isPlainObject(body) ? 'object' : undefined;
  }
  if (verb !== 'patch') {
    return undefined;
  }
  if (Array.isArray(body)) {
    return 'json-patch';
  }
  if (!isPlainObject(body)) {
    return undefined;
  }
  return hasDirective(body, 0) || isBuiltInGroup(apiGroup) ? 'strategic-merge-patch' : 'merge-patch';
}

function hasDirective(v: unknown, depth: number): boolean {
  if (depth > DIFF_LIMITS.maxDepth) {
    return false;
  }
  if (Array.isArray(v)) {
    return v.slice(0, DIFF_LIMITS.maxArrayItems).some((x) => hasDirective(x, depth + 1));
  }
  if (!isPlainObject(v)) {
    return false;
  }
  return Object.keys(v).some((k) => k.startsWith('$') || hasDirective(v[k], depth + 1));
}

function isSecretPath(segs: readonly string[], ctx: DiffContext): boolean {
  return ctx.secret && (segs[0] === 'data' || segs[0] === 'stringData');
}

/** The entries a patch or object body sets, before values unknown. */
export function patchEntries(body: unknown, kind: PatchKind, ctx: DiffContext, out: DiffCollector): void {
  if (kind === 'json-patch') {
    jsonPatchEntries(body as unknown[], ctx, out);
    return;
  }
  walkMerge(body, kind === 'strategic-merge-patch', ctx, out, '', [], kind === 'object');
}

function walkMerge(
  patch: unknown,
  strategic: boolean,
  ctx: DiffContext,
  out: DiffCollector,
  path: string,
  segs: string[],
  wholeObject: boolean
): void {
  if (segs.length > 0 && isNoise(segs, ctx)) {
    out.noise.push(path);
    return;
  }
  if (segs.length >= 2 && isSecretPath(segs, ctx)) {
    push(out, patch === null ? { path, secret: true } : { path, after: REDACTED_MARK, secret: true });
    return;
  }
  if (patch === null && !wholeObject) {
    push(out, { path });
    return;
  }
  if (segs.length >= DIFF_LIMITS.maxDepth) {
    push(out, { path, after: patch });
    cut(out, `patch nested deeper than ${DIFF_LIMITS.maxDepth} levels shown as one value`);
    return;
  }
  if (isPlainObject(patch)) {
    if (strategic && patch.$patch === 'delete') {
      push(out, { path });
      return;
    }
    if (strategic && patch.$patch === 'replace') {
      const { $patch: _directive, ...rest } = patch;
      push(out, { path, after: rest });
      return;
    }
    const keys = Object.keys(patch);
    if (keys.length === 0 && segs.length > 0) {
      push(out, { path, after: {} });
    }
    for (const k of keys) {
      if (strategic && k.startsWith('$')) {
        strategicDirective(k, patch[k], path, out);
        continue;
      }
      walkMerge(patch[k], strategic, ctx, out, childPath(path, k), [...segs, k], wholeObject);
    }
    return;
  }
  const field = segs[segs.length - 1] ?? '';
  if (strategic && Array.isArray(patch) && patch.length <= DIFF_LIMITS.maxArrayItems) {
    const key = mergeKeyOf(field, patch);
    if (key !== undefined) {
      for (const item of patch as Array<Record<string, unknown>>) {
        const p = keyedPath(path, key, item[key]);
        if (item.$patch === 'delete') {
          push(out, { path: p });
          continue;
        }
        const { [key]: _id, ...rest } = item;
        walkMerge(rest, strategic, ctx, out, p, [...segs, String(item[key])], wholeObject);
      }
      return;
    }
  }
  if (ctx.secret && segs.length === 1 && (field === 'data' || field === 'stringData')) {
    push(out, { path, after: REDACTED_MARK, secret: true });
    return;
  }
  push(out, { path, after: patch });
}

function strategicDirective(k: string, v: unknown, path: string, out: DiffCollector): void {
  const m = /^\$deleteFromPrimitiveList\/(.+)$/.exec(k);
  if (m && Array.isArray(v)) {
    for (const x of v.slice(0, DIFF_LIMITS.maxArrayItems)) {
      push(out, { path: keyedPath(childPath(path, m[1]), 'value', x) });
    }
  }
  // `$setElementOrder/…` and `$retainKeys` say how to merge, not what changed.
}

function cut(out: DiffCollector, reason: string): void {
  if (!out.cuts.includes(reason)) {
    out.cuts.push(reason);
  }
}

interface PatchOp {
  op: string;
  path: string;
  segs: string[];
  from?: string;
  value?: unknown;
}

function pointerSegs(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The operations of a JSON patch, or the reason it is not one. */
function readOps(body: unknown[]): { ops: PatchOp[]; bad: number } {
  const ops: PatchOp[] = [];
  let bad = 0;
  for (const raw of body.slice(0, DIFF_LIMITS.maxPatchOps)) {
    const o = isPlainObject(raw) ? raw : undefined;
    const path = o ? pointerToPath(o.path) : undefined;
    if (!o || typeof o.op !== 'string' || path === undefined) {
      bad++;
      continue;
    }
    const op: PatchOp = { op: o.op, path, segs: pointerSegs(o.path as string) };
    if ('value' in o) {
      op.value = o.value;
    }
    if (typeof o.from === 'string') {
      op.from = o.from;
    }
    ops.push(op);
  }
  return { ops, bad };
}

function jsonPatchEntries(body: unknown[], ctx: DiffContext, out: DiffCollector): void {
  const { ops, bad } = readOps(body);
  if (bad > 0) {
    cut(out, `${bad} JSON patch operation${bad === 1 ? '' : 's'} not understood`);
  }
  if (body.length > DIFF_LIMITS.maxPatchOps) {
    cut(out, `JSON patch of ${body.length} operations: first ${DIFF_LIMITS.maxPatchOps} read`);
  }
  for (const op of ops) {
    if (op.segs.length > 0 && isNoise(op.segs, ctx)) {
      out.noise.push(op.path);
      continue;
    }
    const secret = isSecretPath(op.segs, ctx) ? ({ secret: true } as const) : {};
    const value = isSecretPath(op.segs, ctx) ? REDACTED_MARK : op.value;
    switch (op.op) {
      case 'add':
      case 'replace':
        push(out, { path: op.path, after: value, ...secret });
        break;
      case 'remove':
        push(out, { path: op.path, ...secret });
        break;
      case 'move':
      case 'copy': {
        const from = pointerToPath(op.from) ?? '?';
        if (op.op === 'move') {
          push(out, { path: from, ...secret });
        }
        push(out, { path: op.path, after: `(${op.op === 'move' ? 'moved' : 'copied'} from ${from})`, ...secret });
        break;
      }
      case 'test':
        break;
      default:
        cut(out, `JSON patch operation "${op.op}" not understood`);
    }
  }
}

/** The object after applying `body` to `before`, or why it cannot be applied. */
export function applyPatch(before: unknown, body: unknown, kind: PatchKind): { after: unknown } | { error: string } {
  try {
    switch (kind) {
      case 'object':
        return { after: body };
      case 'merge-patch':
        return { after: mergeApply(before, body, false, 0) };
      case 'strategic-merge-patch':
        return { after: mergeApply(before, body, true, 0) };
      case 'json-patch':
        return jsonPatchApply(before, body as unknown[]);
    }
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

class PatchError extends Error {}

function mergeApply(target: unknown, patch: unknown, strategic: boolean, depth: number, field = ''): unknown {
  if (depth > DIFF_LIMITS.maxDepth) {
    throw new PatchError(`patch nested deeper than ${DIFF_LIMITS.maxDepth} levels`);
  }
  if (Array.isArray(patch)) {
    if (strategic && Array.isArray(target) && patch.length <= DIFF_LIMITS.maxArrayItems) {
      const key = mergeKeyOf(field, target, patch);
      if (key !== undefined) {
        return mergeKeyedList(target as Array<Record<string, unknown>>, patch, key, depth);
      }
    }
    return patch;
  }
  if (!isPlainObject(patch)) {
    return patch;
  }
  if (strategic && patch.$patch === 'replace') {
    const { $patch: _d, ...rest } = patch;
    return rest;
  }
  if (strategic && patch.$patch === 'delete') {
    return undefined;
  }
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (strategic && k.startsWith('$')) {
      const m = /^\$deleteFromPrimitiveList\/(.+)$/.exec(k);
      if (m && Array.isArray(v) && Array.isArray(out[m[1]])) {
        out[m[1]] = (out[m[1]] as unknown[]).filter((x) => !v.includes(x));
      }
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const merged = mergeApply(out[k], v, strategic, depth + 1, k);
    if (merged === undefined) {
      delete out[k];
    } else {
      out[k] = merged;
    }
  }
  return out;
}

function mergeKeyedList(
  target: Array<Record<string, unknown>>,
  patch: unknown[],
  key: string,
  depth: number
): unknown[] {
  const out = [...target];
  for (const item of patch as Array<Record<string, unknown>>) {
    const i = out.findIndex((x) => x[key] === item[key]);
    if (item.$patch === 'delete') {
      if (i >= 0) {
        out.splice(i, 1);
      }
      continue;
    }
    if (i >= 0) {
      out[i] = mergeApply(out[i], item, true, depth + 1) as Record<string, unknown>;
    } else {
      out.push(mergeApply(undefined, item, true, depth + 1) as Record<string, unknown>);
    }
  }
  return out;
}

function jsonPatchApply(before: unknown, body: unknown[]): { after: unknown } | { error: string } {
  if (body.length > DIFF_LIMITS.maxPatchOps) {
    return { error: `JSON patch of ${body.length} operations` };
  }
  const { ops, bad } = readOps(body);
  if (bad > 0) {
    return { error: `${bad} JSON patch operation${bad === 1 ? '' : 's'} not understood` };
  }
  let doc: unknown = structuredClone(before);
  for (const op of ops) {
    const at = (o: PatchOp['segs']) => locate(doc, o);
    switch (op.op) {
      case 'add':
      case 'replace':
        doc = setAt(doc, op.segs, structuredClone(op.value), op.op === 'replace');
        break;
      case 'remove':
        doc = removeAt(doc, op.segs);
        break;
      case 'move':
      case 'copy': {
        const fromSegs = pointerSegs(op.from ?? '');
        const value = structuredClone(at(fromSegs));
        if (op.op === 'move') {
          doc = removeAt(doc, fromSegs);
        }
        doc = setAt(doc, op.segs, value, false);
        break;
      }
      case 'test':
        if (boundedJson(at(op.segs), DIFF_LIMITS.maxBodyChars) !== boundedJson(op.value, DIFF_LIMITS.maxBodyChars)) {
          return { error: `JSON patch test of ${op.path} does not hold for the object before` };
        }
        break;
      default:
        return { error: `JSON patch operation "${op.op}" not understood` };
    }
  }
  return { after: doc };
}

function locate(doc: unknown, segs: string[]): unknown {
  let cur = doc;
  for (const s of segs) {
    if (Array.isArray(cur) && /^\d+$/.test(s) && Number(s) < cur.length) {
      cur = cur[Number(s)];
    } else if (isPlainObject(cur) && s in cur) {
      cur = cur[s];
    } else {
      throw new PatchError(`path /${segs.join('/')} is not in the object before`);
    }
  }
  return cur;
}

function setAt(doc: unknown, segs: string[], value: unknown, mustExist: boolean): unknown {
  if (segs.length === 0) {
    return value;
  }
  const parent = locate(doc, segs.slice(0, -1));
  const last = segs[segs.length - 1];
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!/^(\d+|-)$/.test(last) || i > parent.length || (mustExist && i >= parent.length)) {
      throw new PatchError(`index ${last} is out of range in the object before`);
    }
    if (mustExist) {
      parent[i] = value;
    } else {
      parent.splice(i, 0, value);
    }
  } else if (isPlainObject(parent)) {
    if (mustExist && !(last in parent)) {
      throw new PatchError(`path /${segs.join('/')} is not in the object before`);
    }
    parent[last] = value;
  } else {
    throw new PatchError(`path /${segs.join('/')} is not in the object before`);
  }
  return doc;
}

function removeAt(doc: unknown, segs: string[]): unknown {
  if (segs.length === 0) {
    return undefined;
  }
  locate(doc, segs);
  const parent = locate(doc, segs.slice(0, -1));
  const last = segs[segs.length - 1];
  if (Array.isArray(parent)) {
    parent.splice(Number(last), 1);
  } else {
    delete (parent as Record<string, unknown>)[last];
  }
  return doc;
}
