import type { ChangeEvent } from '../model';

/** The account that authenticated (the impersonator when there was one): the same on every stage line. */
function authenticatedName(e: ChangeEvent): string {
  return e.actor.via.length > 0 ? e.actor.via[0].name : e.actor.name;
}

/** What makes two lines under one Audit-ID the same request (see `sameRequest`). */
export function requestSignature(e: ChangeEvent): string {
  return `${e.verb}|${e.requestURI ?? ''}|${authenticatedName(e)}`;
}

/** Two stage lines of one request: a legacy response-only line (no verb) matches any request line. */
export function sameRequest(a: ChangeEvent, b: ChangeEvent): boolean {
  if (a.verb === '' || b.verb === '') {
    return true;
  }
  return (
    a.verb === b.verb && (a.requestURI ?? '') === (b.requestURI ?? '') && authenticatedName(a) === authenticatedName(b)
  );
}

/** `sameRequest` as one value, for requests with a verb: equal exactly when `sameRequest` is true. */
export function requestIdentity(e: ChangeEvent): string {
  return JSON.stringify([e.verb, e.requestURI ?? '', authenticatedName(e)]);
}
