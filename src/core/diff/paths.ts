/** Diff paths in dots with `[i]` (`spec.template.spec.containers[0].image`); keys that are not identifiers in `["…"]`. */

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function childPath(parent: string, key: string): string {
  if (IDENT.test(key)) {
    return parent ? `${parent}.${key}` : key;
  }
  return `${parent}[${JSON.stringify(key)}]`;
}

export function indexPath(parent: string, i: number): string {
  return `${parent}[${i}]`;
}

/** A list item known by its merge key but not its position (a patch without the object before): `containers[name=app]`. */
export function keyedPath(parent: string, key: string, value: unknown): string {
  return `${parent}[${key}=${typeof value === 'string' ? value : JSON.stringify(value)}]`;
}

/** RFC 6901 JSON pointer → our path; undefined when it is not a pointer. */
export function pointerToPath(pointer: unknown): string | undefined {
  if (typeof pointer !== 'string' || (pointer !== '' && !pointer.startsWith('/'))) {
    return undefined;
  }
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^(0|[1-9][0-9]*)$/.test(seg) || seg === '-' ? `${path}[${seg}]` : childPath(path, seg);
  }
  return path;
}
