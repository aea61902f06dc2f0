/**
 * Secret values never leave core: `data` / `stringData` of Secrets (and of patches to Secrets) and the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation of Secrets (which holds the same data) are
 * replaced. Keys stay, so a person can still see *which* key changed.
 */

export const REDACTED = '[redacted]';
const TOO_DEEP = '[omitted: nested too deep]';
const MAX_DEPTH = 100;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const LAST_APPLIED_PATCH_PATH = '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration';

function redactMapValues(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return REDACTED;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    out[k] = REDACTED;
  }
  return out;
}

function isSecretObject(o: Record<string, unknown>): boolean {
  // `kind: Secret` (Kubernetes) or `type: secret` (Rancher steve API bodies).
  return o.kind === 'Secret' || o.type === 'secret';
}

function redactJsonPatch(ops: unknown[]): unknown[] {
  return ops.map((op) => {
    if (typeof op !== 'object' || op === null || !('value' in op)) {
      return op;
    }
    const path = String((op as Record<string, unknown>).path ?? '');
    if (path === '/data' || path === '/stringData') {
      return { ...op, value: redactMapValues((op as Record<string, unknown>).value) };
    }
    if (path.startsWith('/data/') || path.startsWith('/stringData/') || path === LAST_APPLIED_PATCH_PATH) {
      return { ...op, value: REDACTED };
    }
    return op;
  });
}

/**
 * Returns a copy of `value` with Secret data replaced. `secretContext` says the value is a body sent to or
 * returned from a Secret endpoint, so even bodies without `kind` (merge patches, JSON patches) are treated
 * as Secrets.
 */
export function redactSecrets(value: unknown, secretContext = false, depth = 0): unknown {
  if (depth > MAX_DEPTH) {
    // No Kubernetes object nests this deep; refuse rather than recurse without bound.
    return TOO_DEEP;
  }
  if (Array.isArray(value)) {
    if (secretContext && value.every((x) => typeof x === 'object' && x !== null && 'op' in x)) {
      return redactJsonPatch(value);
    }
    return value.map((x) => redactSecrets(x, secretContext, depth + 1));
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const o = value as Record<string, unknown>;
  const secret = secretContext || isSecretObject(o);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (secret && (k === 'data' || k === 'stringData') && !(k === 'data' && Array.isArray(v))) {
      out[k] = redactMapValues(v);
    } else if (secret && k === 'metadata' && typeof v === 'object' && v !== null) {
      out[k] = redactLastApplied(v as Record<string, unknown>);
    } else if ((k === 'items' || k === 'data') && Array.isArray(v)) {
      // SecretList `items` / steve collection `data`: each item decides for itself, or inherits the endpoint's context.
      out[k] = v.map((x) => redactSecrets(x, secretContext, depth + 1));
    } else {
      out[k] = redactSecrets(v, false, depth + 1);
    }
  }
  return out;
}

function redactLastApplied(meta: Record<string, unknown>): Record<string, unknown> {
  const ann = meta.annotations;
  if (typeof ann !== 'object' || ann === null || !(LAST_APPLIED in ann)) {
    return meta;
  }
  return { ...meta, annotations: { ...(ann as Record<string, unknown>), [LAST_APPLIED]: REDACTED } };
}

const SECRET_URI = /\/secrets(\/|\?|$)/;

/** True when a request URI addresses Secrets (Kubernetes paths, Rancher steve `/v1/secrets`, `/v1/harvester/secrets`). */
export function isSecretUri(uri: string | undefined): boolean {
  return uri !== undefined && SECRET_URI.test(uri);
}

/**
 * A raw audit line made safe to show: bodies of Secret requests redacted. Lines that cannot mention a Secret
 * are returned as they are (cheap substring test first); lines that are not JSON are returned unchanged.
 */
export function redactRawLine(text: string): string {
  if (!/secret/i.test(text)) {
    return text;
  }
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    return text;
  }
  const rec = o as Record<string, unknown>;
  const objectRef = rec.objectRef as Record<string, unknown> | undefined;
  const ctx =
    objectRef?.resource === 'secrets' || isSecretUri(typeof rec.requestURI === 'string' ? rec.requestURI : undefined);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(rec)) {
    const bodyKey = k === 'requestObject' || k === 'responseObject' || k === 'requestBody' || k === 'responseBody';
    out[k] = bodyKey ? redactSecrets(rec[k], ctx) : rec[k];
  }
  // AKS wraps the audit event in properties.log (object or JSON string).
  const props = rec.properties as Record<string, unknown> | undefined;
  if (props && (typeof props.log === 'string' || typeof props.log === 'object')) {
    const inner =
      typeof props.log === 'string' ? redactRawLine(props.log) : JSON.parse(redactRawLine(JSON.stringify(props.log)));
    out.properties = { ...props, log: inner };
  }
  return JSON.stringify(out);
}
