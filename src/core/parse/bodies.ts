import type { ChangeEvent } from '../model';
import { keepDiffBodies } from './diffBodies';
import { readAppHistory, readChangedFields, readOwnershipMarks, readRbac } from './marks';
import { isCredentialRequest, redactSecrets } from './redact';
import type { ParseContext } from './types';

/**
 * What request/response bodies tell about a write, for any source that records them (kube-apiserver at level
 * Request/RequestResponse, Rancher at audit level ≥ 2): ownership marks and their join keys, RBAC content,
 * GitOps controls set, Argo CD history, and — only when asked — the bodies themselves, Secret data redacted.
 */
export function addBodyFacts(event: ChangeEvent, request: unknown, response: unknown, ctx: ParseContext): void {
  if (request === undefined && response === undefined) {
    return;
  }
  const resource = event.target.resource;
  const marks = readOwnershipMarks(request, response);
  if (marks) {
    event.marks = { ...marks, ...event.marks };
    if (marks.argocdTrackingId) {
      event.keys.trackingId = marks.argocdTrackingId;
    }
    if (marks.objectsetId) {
      event.keys.objectsetId = marks.objectsetId;
    }
  }
  const rbac = readRbac(resource, request, response);
  if (rbac) {
    event.rbac = rbac;
  }
  const changedFields = readChangedFields(resource, request);
  if (changedFields) {
    event.changedFields = changedFields;
  }
  const appHistory = resource === 'applications' ? readAppHistory(response, request) : undefined;
  if (appHistory) {
    event.appHistory = appHistory;
  }
  keepDiffBodies(event, request, response);
  if (ctx.keepBodies) {
    const secret = isCredentialRequest(event.requestURI, resource, event.target.subresource);
    event.body = { request: redactSecrets(request, secret), response: redactSecrets(response, secret) };
  }
}
