import { parseAllDocuments, stringify as stringifyYaml } from 'yaml';

import { splitRequestUri } from './requestPath';

/**
 * The one redactor of core: every body, raw line, event string and notice passes here before any output.
 * Secrets are recognised by what they are, wherever they sit:
 * - credential objects — Kubernetes Secrets/SecretLists, TokenRequests/TokenReviews, Rancher's credential types
 *   (norman `type` and steve `type`/`kind`) — keep only their identity (kind, name, namespace, `data` keys);
 * - bodies sent to or returned from a credential endpoint (see `isCredentialRequest`) likewise;
 * - values under secret-looking keys (`password`, `token`, `privateKey`, …) and credential headers;
 * - documents inside strings (last-applied annotations, bodies logged as JSON or YAML text), parsed and redacted;
 * - `user:pass@` in URLs, `key=value` assignments of secret-looking keys, bearer tokens, PEM private keys in text.
 * Keys stay, so a person can still see *which* key changed. Walks are iterative and cut at `MAX_DEPTH`.
 */

export const REDACTED = '[redacted]';
export const WITHHELD = 'raw line withheld: could not be checked for secrets';
const TOO_DEEP = '[omitted: nested too deep]';
/** No Kubernetes object nests this deep; deeper subtrees are cut (which also keeps JSON.stringify safe). */
const MAX_DEPTH = 200;
/** Documents inside strings inside documents, at most this many levels. */
const MAX_EMBED = 3;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const CREDENTIAL_KINDS = new Set(['Secret', 'SecretList', 'TokenRequest', 'TokenReview']);
// Rancher kinds (management.cattle.io, ext.cattle.io) that hold credentials.
const RANCHER_CREDENTIAL_KINDS = new Set(['Token', 'AuthConfig', 'Setting', 'CloudCredential', 'Kubeconfig']);
// norman `type` / steve `type` (last dot-separated part, lower-cased) of credential objects.
const CREDENTIAL_TYPES = new Set([
  'secret',
  'namespacedsecret',
  'basicauth',
  'namespacedbasicauth',
  'dockercredential',
  'namespaceddockercredential',
  'certificate',
  'namespacedcertificate',
  'sshauth',
  'namespacedsshauth',
  'cloudcredential',
  'token',
  'authconfig',
  'setting',
  'kubeconfig',
]);
// Path segments (steve group prefix removed, lower-cased) of endpoints whose bodies are credentials.
const CREDENTIAL_SEGMENTS = new Set([
  ...[...CREDENTIAL_TYPES].map((t) => `${t}s`),
  'secret',
  'token',
  'tokenreviews',
  'tokenrequests',
  'v3-public',
  'v1-public',
]);
// Rancher `?action=` values whose request or response carries a password or a token.
const CREDENTIAL_ACTIONS = new Set([
  'login',
  'changepassword',
  'setpassword',
  'generatekubeconfig',
  'testandapply',
  'testandenable',
  'configuretest',
]);
const HEADER_KEY =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|x-api-tokenauth|x-api-auth-header|x-auth-token|x-api-key|x-csrf-token|x-amz-.*)$/i;
// Compared with separators (`-`, `_`, `.`, space) removed and lower-cased.
const SECRET_KEY =
  /(?:password|passwd|passphrase|secret|token|privatekey|apikey|accesskey|secretkey|sshkey|credential|credentials|kubeconfig)$/;
// The last three letters of every SECRET_KEY and HEADER_KEY word (X-… headers are checked whole).
const SECRET_KEY_TAILS = new Set(['ord', 'swd', 'ase', 'ret', 'ken', 'key', 'ial', 'als', 'fig', 'ion', 'kie']);
// Kept at the top of a credential object: what it is and which one, never what it holds.
const IDENTITY_KEYS = new Set([
  'kind',
  'apiVersion',
  'type',
  'baseType',
  'id',
  'name',
  'namespace',
  'namespaceId',
  'projectId',
  'uuid',
  'state',
  'op',
  'from',
]);
const PATCH_OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
const SENSITIVE_TEXT = /secret|passw|token|private key|credential|authorization/i;
/** Where free text first names a credential (password, token, secret …), or -1. */
export function credentialWordAt(s: string): number {
  return s.search(SENSITIVE_TEXT);
}
const YAML_DOCUMENT = /^\s*(?:apiVersion|kind|data|stringData|metadata)\s*:/m;

function normalisedKey(key: string): string {
  return key.replace(/[-_.\s]/g, '').toLowerCase();
}

/** A key whose string value is a secret wherever it appears (`password`, `bearerToken`, `secretAccessKey`, …). */
export function isSecretKey(key: string): boolean {
  if (key.length < 3 || key.length > 80) {
    return false;
  }
  // Most keys end in none of the endings below: one short look before the patterns.
  return (
    SECRET_KEY_TAILS.has(key.slice(-3).toLowerCase()) || /^x-/i.test(key)
      ? HEADER_KEY.test(key) || SECRET_KEY.test(normalisedKey(key))
      : false
  );
}

function lastPart(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1).toLowerCase();
}

function isCredentialObject(o: Record<string, unknown>): boolean {
  const kind = o.kind;
  if (typeof kind === 'string') {
    if (CREDENTIAL_KINDS.has(kind)) {
      return true;
    }
    if (RANCHER_CREDENTIAL_KINDS.has(kind) && typeof o.apiVersion === 'string' && o.apiVersion.includes('cattle.io')) {
      return true;
    }
  }
  for (const t of [o.type, o.baseType]) {
    // norman auth configs are typed `githubConfig`, `activeDirectoryConfig`, `localConfig`, …
    if (typeof t === 'string' && (CREDENTIAL_TYPES.has(lastPart(t)) || /^[a-z][A-Za-z]*Config$/.test(t))) {
      return true;
    }
  }
  return false;
}

/**
 * True when a request's bodies are credentials: Kubernetes Secrets, service-account tokens and token reviews,
 * Rancher credential types (norman `/v3/…` and steve `/v1/…`, every group prefix), `/v3/tokens`, login and
 * password actions, auth configs and settings. The URI is read through the shared normaliser (percent-escapes
 * decoded once), so `%73ecrets` is `secrets` here as it is for the parsers.
 */
export function isCredentialRequest(uri: string | undefined, resource?: string, subresource?: string): boolean {
  if (resource !== undefined && CREDENTIAL_SEGMENTS.has(lastPart(resource))) {
    return true;
  }
  if (subresource === 'token') {
    return true;
  }
  if (uri === undefined || uri === '') {
    return false;
  }
  const { segments, query } = splitRequestUri(uri);
  if (segments.some((s) => CREDENTIAL_SEGMENTS.has(lastPart(s)))) {
    return true;
  }
  const action = query.get('action');
  return action !== null && CREDENTIAL_ACTIONS.has(action.toLowerCase());
}

// ---- text -------------------------------------------------------------------------------------------------

function isTerminator(c: number): boolean {
  // End of a URL authority: / ? # whitespace and the quotes/brackets text puts around URLs.
  return c <= 32 || c === 47 || c === 63 || c === 35 || c === 34 || c === 39 || c === 60 || c === 62 || c === 92;
}

/** `scheme://user:pass@host` → `scheme://host`, everywhere in `s`; one pass, linear in its length. */
export function stripUrlUserinfo(s: string): string {
  let i = s.indexOf('://');
  if (i === -1) {
    return s;
  }
  let out = '';
  let last = 0;
  while (i !== -1) {
    const start = i + 3;
    let j = start;
    let at = -1;
    while (j < s.length && !isTerminator(s.charCodeAt(j))) {
      if (s.charCodeAt(j) === 64 /* @ */) {
        at = j;
      }
      j++;
    }
    if (at !== -1) {
      out += s.slice(last, start);
      last = at + 1;
    }
    i = s.indexOf('://', j);
  }
  return last === 0 ? s : out + s.slice(last);
}

function isKeyStop(c: number): boolean {
  // whitespace ? & ; , " ' { ( [ =
  return (
    c <= 32 ||
    c === 63 ||
    c === 38 ||
    c === 59 ||
    c === 44 ||
    c === 34 ||
    c === 39 ||
    c === 123 ||
    c === 40 ||
    c === 91 ||
    c === 61
  );
}

function isValueStop(c: number): boolean {
  // whitespace & ; , ' ) ] }
  return c <= 32 || c === 38 || c === 59 || c === 44 || c === 39 || c === 41 || c === 93 || c === 125;
}

/** `password=x`, `?token=x`, `secret="a b"` (logfmt, query strings, env text) → value redacted. Linear. */
function redactAssignments(s: string): string {
  let k = s.indexOf('=');
  if (k === -1) {
    return s;
  }
  let out = '';
  let last = 0;
  let floor = 0;
  while (k !== -1) {
    let b = k;
    while (b > floor && !isKeyStop(s.charCodeAt(b - 1))) {
      b--;
    }
    let e = k + 1;
    if (b < k && isSecretKey(s.slice(b, k))) {
      if (s.charCodeAt(e) === 34 /* " */) {
        e++;
        while (e < s.length && s.charCodeAt(e) !== 34) {
          e += s.charCodeAt(e) === 92 ? 2 : 1;
        }
        e = Math.min(e + 1, s.length);
      } else {
        while (e < s.length && !isValueStop(s.charCodeAt(e))) {
          e++;
        }
      }
      if (e > k + 1) {
        out += s.slice(last, k + 1) + REDACTED;
        last = e;
      }
    }
    floor = Math.max(k + 1, e);
    k = s.indexOf('=', floor);
  }
  return last === 0 ? s : out + s.slice(last);
}

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/gi;
// What each text rule needs to find anything: userinfo has `@`, assignments `=`; one test for most strings.
const MAY_HOLD_CREDENTIAL = /[@=]|PRIVATE KEY|bearer|basic/i;

/**
 * Free text made safe: URL userinfo stripped, secret-looking assignments, bearer/basic credentials and PEM
 * private keys redacted. Used for text log lines, event strings, notices and every string value of a record.
 */
export function scrubText(s: string): string {
  if (!MAY_HOLD_CREDENTIAL.test(s)) {
    return s;
  }
  let out = stripUrlUserinfo(s);
  if (out.includes('=')) {
    out = redactAssignments(out);
  }
  if (out.includes('PRIVATE KEY')) {
    out = out.replace(PEM_PRIVATE_KEY, REDACTED);
  }
  if (/bearer|basic/i.test(out)) {
    out = out.replace(AUTH_SCHEME, `$1 ${REDACTED}`);
  }
  return out;
}

function firstChar(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) {
      return c;
    }
  }
  return -1;
}

/** A string value that may hold a whole document (JSON or YAML): parsed and redacted, or text-scrubbed. */
function scrubString(s: string, embed: number): string {
  if (s.length < 6) {
    return s;
  }
  const c = firstChar(s);
  const document = c === 123 || c === 91 || c === 34 || (s.includes('\n') && YAML_DOCUMENT.test(s));
  if (document && embed >= MAX_EMBED) {
    // Nested deeper than we read: shown only if it cannot hold a credential.
    return SENSITIVE_TEXT.test(s) ? REDACTED : scrubText(s);
  }
  if (c === 123 || c === 91 || c === 34) {
    // JSON text: an object, an array, or a string literal (a document encoded once more).
    let parsed: unknown;
    let ok = true;
    try {
      parsed = JSON.parse(s);
    } catch {
      ok = false;
    }
    if (ok && typeof parsed === 'string') {
      const inner = scrubString(parsed, embed + 1);
      return inner === parsed ? s : JSON.stringify(inner);
    }
    if (ok) {
      const r = transform(parsed, PLAIN, embed + 1);
      return r.changed ? JSON.stringify(r.value) : s;
    }
    if (c !== 34 && SENSITIVE_TEXT.test(s)) {
      // Cut JSON that mentions a credential: it cannot be checked.
      return REDACTED;
    }
  } else if (document) {
    const docs = parseAllDocuments(s);
    if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) {
      return SENSITIVE_TEXT.test(s) ? REDACTED : scrubText(s);
    }
    let changed = false;
    const values = docs.map((d) => {
      const r = transform(d.toJS({ maxAliasCount: 50 }), PLAIN, embed + 1);
      changed ||= r.changed;
      return r.value;
    });
    return changed ? values.map((v) => stringifyYaml(v)).join('---\n') : s;
  }
  return scrubText(s);
}

// ---- structures -------------------------------------------------------------------------------------------

/** How a subtree is read: as ordinary data, as a credential object (top / inside), or as its metadata. */
const PLAIN = 0;
const CREDENTIAL_TOP = 1;
const CREDENTIAL = 2;
const METADATA = 3;
type Mode = typeof PLAIN | typeof CREDENTIAL_TOP | typeof CREDENTIAL | typeof METADATA;

type Container = Record<string, unknown> | unknown[];

interface Frame {
  src: Container;
  out: Container;
  keys: string[] | undefined;
  i: number;
  mode: Mode;
  depth: number;
  parent: Frame | undefined;
  keyInParent: string | number;
}

/** Replacement for a value found in the tree (an envelope's inner record already redacted), if any. */
export type Override = (v: unknown) => { value: unknown } | undefined;

function isPatchOp(o: Record<string, unknown>): boolean {
  return typeof o.op === 'string' && PATCH_OPS.has(o.op) && typeof o.path === 'string';
}

function childMode(mode: Mode, parent: Container, key: string | number, child: unknown): Mode {
  if (mode === PLAIN || mode === CREDENTIAL || mode === METADATA) {
    return mode;
  }
  // CREDENTIAL_TOP
  if (Array.isArray(parent)) {
    return CREDENTIAL_TOP;
  }
  if (key === 'metadata') {
    return METADATA;
  }
  if ((key === 'items' || key === 'data') && Array.isArray(child)) {
    return CREDENTIAL_TOP;
  }
  if (key === 'value' && isPatchOp(parent)) {
    const path = parent.path as string;
    return path.startsWith('/metadata/') && !path.includes('last-applied') ? METADATA : CREDENTIAL;
  }
  return CREDENTIAL;
}

/** A string inside a credential object's top level that names it (kind, name, a patch's `op`/`path`). */
function isIdentity(key: string | number, v: string, parent: Container): boolean {
  if (typeof key !== 'string' || Array.isArray(parent)) {
    return false;
  }
  return IDENTITY_KEYS.has(key) || (key === 'path' && isPatchOp(parent) && /^\/[\w./~-]*$/.test(v));
}

function stringLeaf(key: string | number, v: string, mode: Mode, parent: Container, embed: number): string {
  if (mode === CREDENTIAL || mode === CREDENTIAL_TOP) {
    return REDACTED;
  }
  const named = typeof key === 'string';
  if (named && (isSecretKey(key) || (mode === METADATA && key === LAST_APPLIED))) {
    return REDACTED;
  }
  if (named && key === 'content' && !Array.isArray(parent) && /base64|gz/i.test(String(parent.encoding ?? ''))) {
    // An encoded document (Fleet bundle resources): it cannot be checked.
    return REDACTED;
  }
  return scrubString(v, embed);
}

/**
 * A redacted copy of `root` read in `mode`, and whether anything changed. Iterative: depth costs heap, not
 * stack; subtrees deeper than MAX_DEPTH are cut.
 */
function transform(
  root: unknown,
  mode: Mode,
  embed: number,
  override?: Override
): { value: unknown; changed: boolean } {
  let changed = false;
  const holder: unknown[] = [undefined];
  const stack: Frame[] = [];
  const top: Frame = {
    src: [root],
    out: holder,
    keys: undefined,
    i: 0,
    mode,
    depth: -1,
    parent: undefined,
    keyInParent: 0,
  };
  // Resolves one value: a final value, or a frame to descend into.
  const visit = (frame: Frame, key: string | number, v: unknown): unknown => {
    const o = override?.(v);
    if (o) {
      changed ||= o.value !== v;
      return o.value;
    }
    const m = frame === top ? mode : childMode(frame.mode, frame.src, key, v);
    if (typeof v === 'string') {
      const own = frame !== top && frame.mode === CREDENTIAL_TOP && isIdentity(key, v, frame.src);
      const r = own ? scrubString(v, embed) : stringLeaf(key, v, m, frame.src, embed);
      changed ||= r !== v;
      return r;
    }
    if (typeof v !== 'object' || v === null) {
      return v;
    }
    if ((m === PLAIN || m === METADATA) && typeof key === 'string' && HEADER_KEY.test(key)) {
      changed = true;
      return REDACTED;
    }
    if (frame.depth + 1 > MAX_DEPTH) {
      changed = true;
      return TOO_DEEP;
    }
    const upgraded =
      (m === PLAIN || m === METADATA) && !Array.isArray(v) && isCredentialObject(v as Record<string, unknown>);
    const src = v as Container;
    stack.push({
      src,
      out: Array.isArray(src) ? new Array<unknown>(src.length) : {},
      keys: Array.isArray(src) ? undefined : Object.keys(src),
      i: 0,
      mode: upgraded ? CREDENTIAL_TOP : m,
      depth: frame.depth + 1,
      parent: frame,
      keyInParent: key,
    });
    return stack;
  };
  stack.push(top);
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    const n = f.keys ? f.keys.length : (f.src as unknown[]).length;
    if (f.i >= n) {
      stack.pop();
      if (f.parent) {
        (f.parent.out as Record<string | number, unknown>)[f.keyInParent] = f.out;
      }
      continue;
    }
    const key: string | number = f.keys ? f.keys[f.i] : f.i;
    f.i++;
    const v = (f.src as Record<string | number, unknown>)[key];
    const r = visit(f, key, v);
    if (r !== stack) {
      (f.out as Record<string | number, unknown>)[key] = r;
    }
  }
  return { value: holder[0], changed };
}

/**
 * A copy of `value` with credentials redacted. `credentialContext` says the value is a body sent to or returned
 * from a credential endpoint, so even bodies without `kind` (merge patches, JSON patches) are credentials.
 */
export function redactSecrets(value: unknown, credentialContext = false): unknown {
  return transform(value, credentialContext ? CREDENTIAL_TOP : PLAIN, 0).value;
}

/** Body keys of the audit records we read, with the record fields that say what the request addressed. */
function requestOf(o: Record<string, unknown>): { credential: boolean; bodies: unknown[] } {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const ref = typeof o.objectRef === 'object' && o.objectRef !== null ? (o.objectRef as Record<string, unknown>) : {};
  const proto =
    typeof o.protoPayload === 'object' && o.protoPayload !== null ? (o.protoPayload as Record<string, unknown>) : {};
  const gkePath = str(proto.resourceName);
  const gkeMethod = str(proto.methodName)?.split('.');
  const credential =
    isCredentialRequest(str(o.requestURI), str(ref.resource), str(ref.subresource)) ||
    (gkePath !== undefined && isCredentialRequest(`/${gkePath}`)) ||
    (gkeMethod !== undefined &&
      gkeMethod.length > 2 &&
      isCredentialRequest(undefined, gkeMethod[gkeMethod.length - 2]));
  const bodies = [o.requestObject, o.responseObject, o.requestBody, o.responseBody, proto.request, proto.response];
  return { credential, bodies: bodies.filter((b) => b !== undefined && b !== null) };
}

/**
 * A whole record (an audit event, a log line's JSON) redacted: its bodies as credentials when the request
 * addressed a credential endpoint, every other value by what it is. `override` replaces values already
 * redacted elsewhere (an envelope's inner records).
 */
export function redactRecord(o: Record<string, unknown>, override?: Override): { value: unknown; changed: boolean } {
  const { credential, bodies } = requestOf(o);
  if (!credential || bodies.length === 0) {
    return transform(o, PLAIN, 0, override);
  }
  const redactedBodies = new Map<unknown, unknown>(
    bodies.map((b) => [b, transform(b, CREDENTIAL_TOP, 0).value] as const)
  );
  return transform(o, PLAIN, 0, (v) => (redactedBodies.has(v) ? { value: redactedBodies.get(v) } : override?.(v)));
}

/** What `scrubEventText` reads: the event's parts that hold free text from the log. */
interface EventText {
  requestURI?: string;
  userAgent?: string;
  target: { path?: string };
  outcome: { message?: string; authzReason?: string };
  gitops?: object;
  keys: Record<string, string>;
  changedFields?: Record<string, string>;
  appHistory?: Array<{ revision: string }>;
}

function scrubFields(o: Record<string, unknown> | undefined): void {
  if (o === undefined) {
    return;
  }
  for (const k in o) {
    const v = o[k];
    if (typeof v === 'string') {
      const s = scrubText(v);
      if (s !== v) {
        o[k] = s;
      }
    }
  }
}

/**
 * Every free-text string of an event — request URI, user agent, messages, repo URLs, changed fields, join keys —
 * scrubbed in place, so tables, JSON and frames built from events never show URL credentials or secret
 * assignments. Identities, addresses and names are not free text; the body was redacted when it was kept.
 */
export function scrubEventText(event: EventText): void {
  if (event.requestURI !== undefined) {
    event.requestURI = scrubText(event.requestURI);
  }
  if (event.userAgent !== undefined) {
    event.userAgent = scrubText(event.userAgent);
  }
  if (event.target.path !== undefined) {
    event.target.path = scrubText(event.target.path);
  }
  scrubFields(event.outcome);
  scrubFields(event.gitops as Record<string, unknown> | undefined);
  scrubFields(event.keys);
  scrubFields(event.changedFields);
  for (const h of event.appHistory ?? []) {
    h.revision = scrubText(h.revision);
  }
}
