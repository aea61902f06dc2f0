import { DIFF_LIMITS } from '../diff/limits';
import type { ChangeEvent } from '../model';
import { fnv1a } from './hash';
import { isCredentialRequest, redactSecrets } from './redact';

/**
 * The bodies a change diff needs, kept on every write and every single-object read (the object before a later
 * write): Secret data redacted by the redactor, the noise the diff would drop anyway (`managedFields`, the
 * last-applied annotation) left out, and each body at most DIFF_LIMITS.maxBodyChars of JSON — a larger one is
 * not kept, and the diff says why. Secret values are compared by a digest salted per process, never kept.
 */

const KEPT_VERBS = new Set(['create', 'update', 'patch', 'delete', 'get']);
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const SALT = `${Math.random()}:${Date.now()}`;

function withoutNoise(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return body;
  }
  const o = body as Record<string, unknown>;
  const meta = o.metadata;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    return body;
  }
  const { managedFields: _m, ...rest } = meta as Record<string, unknown>;
  const ann = rest.annotations;
  if (typeof ann === 'object' && ann !== null && LAST_APPLIED in ann) {
    const { [LAST_APPLIED]: _a, ...others } = ann as Record<string, unknown>;
    rest.annotations = others;
  }
  return { ...o, metadata: rest };
}

/** `data.key` → salted digest of a Secret's values, so a diff can tell "changed" without holding a value. */
function secretDigests(body: unknown): Record<string, string> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const field of ['data', 'stringData']) {
    const m = (body as Record<string, unknown>)[field];
    if (typeof m === 'object' && m !== null && !Array.isArray(m)) {
      for (const [k, v] of Object.entries(m)) {
        out[`${field}.${k}`] = fnv1a(`${SALT}|${typeof v === 'string' ? v : JSON.stringify(v)}`);
      }
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A JSON patch's `add` / `replace` of a Secret data key, by the same `data.key` names as `secretDigests`. */
function jsonPatchDigests(ops: unknown[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const op of ops.slice(0, DIFF_LIMITS.maxPatchOps)) {
    if (
      typeof op !== 'object' ||
      op === null ||
      !('value' in op) ||
      typeof (op as { path?: unknown }).path !== 'string'
    ) {
      continue;
    }
    const { path, value } = op as { path: string; value: unknown };
    const m = /^\/(data|stringData)\/([^/]+)$/.exec(path);
    if (m && ((op as { op?: unknown }).op === 'add' || (op as { op?: unknown }).op === 'replace')) {
      const key = m[2].replace(/~1/g, '/').replace(/~0/g, '~');
      out[`${m[1]}.${key}`] = fnv1a(`${SALT}|${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function bounded(body: unknown, secret: boolean, what: string, cuts: string[]): unknown {
  if (body === undefined) {
    return undefined;
  }
  const safe = withoutNoise(redactSecrets(body, secret));
  const size = JSON.stringify(safe)?.length ?? 0;
  if (size > DIFF_LIMITS.maxBodyChars) {
    cuts.push(`${what} body of ${size} characters is over the ${DIFF_LIMITS.maxBodyChars} kept for diffs`);
    return undefined;
  }
  return safe;
}

export function keepDiffBodies(event: ChangeEvent, request: unknown, response: unknown): void {
  if (!KEPT_VERBS.has(event.verb) || (event.verb === 'get' && response === undefined)) {
    return;
  }
  const secret = isCredentialRequest(event.requestURI, event.target.resource, event.target.subresource);
  const cuts: string[] = [];
  const snapshot: NonNullable<ChangeEvent['snapshot']> = {};
  const req = event.verb === 'get' ? undefined : bounded(request, secret, 'request', cuts);
  const res = bounded(response, secret, 'response', cuts);
  if (req !== undefined) {
    snapshot.request = req;
  }
  if (req !== undefined && secret) {
    // What a patch sets, so a patch applied to the object before can tell a changed key from an unchanged one.
    const digests = Array.isArray(request) ? jsonPatchDigests(request) : secretDigests(request);
    if (digests) {
      snapshot.requestDigests = digests;
    }
  }
  if (res !== undefined) {
    snapshot.response = res;
    const digests = secret ? secretDigests(response) : undefined;
    if (digests) {
      snapshot.responseDigests = digests;
    }
  }
  if (cuts.length > 0) {
    snapshot.cut = cuts.join('; ');
  }
  if (Object.keys(snapshot).length > 0) {
    event.snapshot = snapshot;
  }
}
