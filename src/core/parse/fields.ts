/**
 * Typed reads from untrusted JSON. A present field of the wrong type throws `FieldTypeError`, which the parse
 * session turns into a counted skip (`<source>:invalid-field`) — so `"verb": 42` never becomes a half-right event.
 */

export type Obj = Record<string, unknown>;

export class FieldTypeError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string
  ) {
    super(`field "${field}" is not ${expected}`);
  }
}

/** `parent.key` for error messages only: built when a field is wrong, never on the happy path. */
function fieldPath(parent: string | undefined, key: string): string {
  return parent === undefined ? key : `${parent}.${key}`;
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Optional string; `null` counts as absent. `parent` names the enclosing object in error messages. */
export function optStr(o: Obj, key: string, parent?: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v !== 'string') {
    throw new FieldTypeError(fieldPath(parent, key), 'a string');
  }
  return v;
}

export function reqStr(o: Obj, key: string, parent?: string): string {
  const v = optStr(o, key, parent);
  if (v === undefined) {
    throw new FieldTypeError(fieldPath(parent, key), 'a string');
  }
  return v;
}

export function optNum(o: Obj, key: string, parent?: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    return v;
  }
  // Rancher v2.0 and some shippers write status codes as strings.
  if (typeof v === 'string' && /^\d{1,4}$/.test(v)) {
    return Number(v);
  }
  throw new FieldTypeError(fieldPath(parent, key), 'a number');
}

export function optObj(o: Obj, key: string, parent?: string): Obj | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (!isObj(v)) {
    throw new FieldTypeError(fieldPath(parent, key), 'an object');
  }
  return v;
}

export function optStrArr(o: Obj, key: string, parent?: string): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    throw new FieldTypeError(fieldPath(parent, key), 'a list of strings');
  }
  return v as string[];
}

/**
 * First value of a `map[string][]string` entry (user `extra`, HTTP headers), looked up case-insensitively:
 * Kubernetes lower-cases impersonation extras, pre-release Rancher wrote `principalId`/`userName`, and header
 * maps are canonicalised differently by each writer. Empty strings count as absent.
 */
export function firstOf(map: Obj | undefined, key: string): string | undefined {
  if (!map) {
    return undefined;
  }
  let v = map[key];
  if (v === undefined) {
    const lower = key.toLowerCase();
    for (const k in map) {
      // Only keys of the same length can match: avoids lower-casing every key of a large header map.
      if (k.length === key.length && k.toLowerCase() === lower) {
        v = map[k];
        break;
      }
    }
  }
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' && first !== '' ? first : undefined;
}
