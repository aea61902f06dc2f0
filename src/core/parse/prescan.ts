import { RANCHER_USER_ID } from './actor';
import { parseTimestamp } from './time';

/**
 * Reading a raw line without `JSON.parse`, for `trace`: most kube-apiserver audit lines are reads (get, list,
 * watch), which no chain is built from, yet a full parse and normalisation costs more than twice a bare
 * `JSON.parse`. `certainRead` says from the raw text that a line is such a read, and only when it is certain:
 * one anchored expression matches the whole line against the shape kube-apiserver writes (its field order),
 * in a strict subset of JSON — so a matched line is valid JSON, each member is at its own depth (a
 * `"verb":"get"` inside a string or a body is not the verb: bodies are not in the shape), no key repeats, and
 * every member the kube-audit parser reads has the type it accepts. Escaped strings are decoded by `JSON.parse`
 * of that one string (`\u0022` is a quote inside a value, never the end of it). Anything else — another field
 * order, a key we do not list, a body, impersonation, a Rancher user id — is not certain: the line takes the
 * full path.
 */

export interface ReadFacts {
  /** The audit ID: the merge key of the request's stage lines. */
  auditID: string;
  stage: string;
  verb: string;
  requestURI: string;
  /** `user.username`: the authenticated (and, with no impersonation, effective) user. */
  user: string;
}

// The pieces of the line's grammar: a strict subset of JSON (no whitespace, no raw control characters, numbers
// without leading zeros), each written so that it can match one way only (the match is linear in the line).
/** The inside of a JSON string: no raw quote, backslash or control character; only JSON's escapes. */
const CHARS = String.raw`[^"\\\u0000-\u001f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\u0000-\u001f]*)*`;
const STR = `"${CHARS}"`;
const STR_LIST = String.raw`\[(?:${STR}(?:,${STR})*)?\]`;
/** An object of string members (`objectRef`, `annotations`): what is in them the parser reads as strings. */
const STR_OBJECT = String.raw`\{(?:${STR}:${STR}(?:,${STR}:${STR})*)?\}`;
const EXTRA = String.raw`\{(?:${STR}:${STR_LIST}(?:,${STR}:${STR_LIST})*)?\}`;
// Numbers as JSON writes them: no leading zero.
const CODE = '(?:0|[1-9][0-9]{0,3})';
const STATUS = String.raw`\{"metadata":\{\}(?:,"(?:status|message|reason)":${STR})*,"code":${CODE}\}`;
/**
 * A kube-apiserver `audit.k8s.io/v1` Event as the API server writes it (Go's field order, log-formats.md §1),
 * of a read with no impersonation and no body. Groups: audit ID, stage, request URI, verb, username,
 * requestReceivedTimestamp.
 */
const AUDIT_READ = new RegExp(
  '^' +
    String.raw`\{"kind":"Event","apiVersion":"audit\.k8s\.io/v1","level":${STR},"auditID":"([0-9A-Za-z-]{1,64})",` +
    String.raw`"stage":"(RequestReceived|ResponseStarted|ResponseComplete|Panic)","requestURI":(${STR}),` +
    String.raw`"verb":"(get|list|watch)","user":\{"username":(${STR})(?:,"uid":${STR})?(?:,"groups":${STR_LIST})?` +
    String.raw`(?:,"extra":${EXTRA})?\},"sourceIPs":${STR_LIST}(?:,"userAgent":${STR})?(?:,"objectRef":${STR_OBJECT})?` +
    String.raw`(?:,"responseStatus":${STATUS})?,"requestReceivedTimestamp":"([0-9TZ:.+-]{20,40})",` +
    String.raw`"stageTimestamp":${STR}(?:,"annotations":${STR_OBJECT})?\}$`
);

/**
 * A copy of `s` that holds nothing else: V8 keeps a part of a string (a regex group, a slice) as a view of the
 * whole, so a skipped read's facts, kept until the end of a trace, would keep its whole line alive. Slicing a
 * concatenation copies the characters first.
 */
const own = (s: string) => (' ' + s).slice(1);
/** The stage names the expression matches, each one string shared by every line (not a view of the line). */
const STAGE_NAMES: Record<string, string> = Object.fromEntries(
  ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'].map((s) => [s, s])
);

/** The value of a JSON string token as JSON.parse reads it (escapes decoded only where there are any). */
function stringValue(token: string): string {
  return token.includes('\\') ? (JSON.parse(token) as string) : own(token.slice(1, -1));
}

/**
 * The facts of a kube-apiserver audit line that is certainly a read the kube-audit parser turns into an event,
 * or undefined: not certain, parse it fully.
 */
export function certainRead(text: string): ReadFacts | undefined {
  const m = AUDIT_READ.exec(text);
  if (!m || parseTimestamp(m[6]) === undefined) {
    return undefined;
  }
  const user = stringValue(m[5]);
  // A Rancher user id's records are looked up by the Rancher identity rules, reads included.
  if (RANCHER_USER_ID.test(user)) {
    return undefined;
  }
  return { auditID: own(m[1]), stage: STAGE_NAMES[m[2]], requestURI: stringValue(m[3]), verb: m[4], user };
}
