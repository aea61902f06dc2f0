import { classifyArgoMessage, parseDisplayRevision } from './argocdMessages';
import { readSample } from '../../../tests/support/shared';

const SHA = '3f9d2c7a1b6e4f08d5c3a9b7e2f1d0c4b8a6e5d3';

describe('classifyArgoMessage — every form of log-formats.md §3.3', () => {
  it.each([
    ['admin created application', { operation: 'app-change', verb: 'create', user: 'admin' }],
    ['admin updated application spec', { operation: 'app-change', verb: 'update', user: 'admin' }],
    ['admin deleted application', { operation: 'app-change', verb: 'delete', user: 'admin' }],
    [
      `admin initiated sync to HEAD (${SHA})`,
      {
        operation: 'sync',
        verb: 'sync',
        user: 'admin',
        revision: 'HEAD',
        commit: SHA,
        automated: false,
        partial: false,
      },
    ],
    [
      `jo@example.org initiated partial sync to ${SHA}`,
      { operation: 'partial-sync', verb: 'sync', user: 'jo@example.org', revision: SHA, commit: SHA, partial: true },
    ],
    [
      'admin initiated sync to main (1111111111111111111111111111111111111111),v1.2 (2222222222222222222222222222222222222222)',
      {
        revision: 'main,v1.2',
        commit: '1111111111111111111111111111111111111111,2222222222222222222222222222222222222222',
      },
    ],
    ['admin initiated sync locally', { operation: 'sync-locally', verb: 'sync', user: 'admin' }],
    ['admin initiated partial sync locally', { operation: 'sync-locally', partial: true }],
    [
      'jo@example.org initiated rollback to 3',
      { operation: 'rollback', verb: 'rollback', user: 'jo@example.org', historyId: 3 },
    ],
    ['admin terminated running operation', { operation: 'terminate', verb: 'terminate', user: 'admin' }],
    [
      "admin patched resource apps/Deployment 'checkout'",
      {
        operation: 'resource-change',
        verb: 'patch',
        resource: { apiGroup: 'apps', kind: 'Deployment', resource: 'deployments', name: 'checkout' },
      },
    ],
    [
      "admin deleted resource /ConfigMap 'settings'",
      {
        operation: 'resource-change',
        verb: 'delete',
        resource: { apiGroup: '', kind: 'ConfigMap', resource: 'configmaps', name: 'settings' },
      },
    ],
    ["admin deleted resource networking.k8s.io/Ingress 'web'", { resource: { resource: 'ingresses' } }],
    [
      'admin ran action restart on resource apps/Deployment/checkout',
      { operation: 'action', action: 'restart', resource: { kind: 'Deployment', name: 'checkout' } },
    ],
    ['admin ran action resume', { operation: 'action', action: 'resume' }],
    [
      `Initiated automated sync to '${SHA}'`,
      { operation: 'sync', verb: 'sync', automated: true, commit: SHA, fromController: true },
    ],
    [
      `Sync operation to ${SHA} succeeded`,
      { operation: 'sync-result', verb: 'sync-succeeded', phase: 'Succeeded', commit: SHA },
    ],
    [`Partial sync operation to ${SHA} succeeded`, { verb: 'sync-succeeded', partial: true }],
    ['Sync operation to  succeeded', { verb: 'sync-succeeded', phase: 'Succeeded' }],
    [
      `Sync operation to ${SHA} failed: one or more objects failed to apply, reason: rolebindings.rbac.authorization.k8s.io is forbidden`,
      {
        verb: 'sync-failed',
        phase: 'Failed',
        commit: SHA,
      },
    ],
    [
      'Updated sync status: OutOfSync -> Synced',
      { operation: 'status', statusChange: { what: 'sync', from: 'OutOfSync', to: 'Synced' } },
    ],
    [
      'Updated health status: Progressing -> Degraded (Deployment has timed out progressing.)',
      { statusChange: { what: 'health', from: 'Progressing', to: 'Degraded' } },
    ],
    [
      "updated 'argo/accounting-svc-app' operation (phase: Succeeded)",
      { operation: 'operation-state', phase: 'Succeeded' },
    ],
  ])('%s', (msg, expected) => {
    expect(classifyArgoMessage(msg)).toMatchObject(expected);
  });

  it('keeps "Unknown user" out of the initiator', () => {
    const m = classifyArgoMessage('Unknown user initiated rollback to 4');
    expect(m).toMatchObject({ operation: 'rollback', historyId: 4, fromController: false });
    expect(m?.user).toBeUndefined();
  });

  it('reads initiatedBy from the printed operation struct', () => {
    const m = classifyArgoMessage(
      'Initialized new operation: {&SyncOperation{Revision:c0ffee1234567890abcdef1234567890abcdef12,Prune:false,DryRun:false,Resources:[]SyncOperationResource{},} {dana@example.org false} [] {0 nil}}'
    );
    // The controller's record of the sync it starts reads as a sync (a RollbackOperation as a rollback).
    expect(m).toMatchObject({
      operation: 'sync',
      verb: 'sync',
      user: 'dana@example.org',
      automated: false,
      commit: 'c0ffee1234567890abcdef1234567890abcdef12',
    });
    const auto = classifyArgoMessage(
      'Initialized new operation: {&SyncOperation{Revision:abcdef1,} { true} [] {0 nil}}'
    );
    expect(auto).toMatchObject({ automated: true });
    expect(auto?.user).toBeUndefined();
  });

  it('returns undefined for progress lines', () => {
    for (const msg of [
      'Refreshing app status (controller refresh requested), level (3)',
      'sync/terminate complete',
      'Syncing',
      'Comparing app state (cluster: x, namespace: y)',
    ]) {
      expect(classifyArgoMessage(msg)).toBeUndefined();
    }
  });

  it('parses every MESSAGE of the real `kubectl get events` sample (argocd security.md)', () => {
    const rows = readSample('argocd_security_events.txt').trimEnd().split('\n');
    const header = rows[0];
    const at = header.indexOf('MESSAGE');
    const sourceAt = header.indexOf('SOURCE');
    const messages = rows.slice(1).map((r) => ({ source: r.slice(sourceAt, at).trim(), msg: r.slice(at) }));
    expect(messages).toHaveLength(8);
    const parsed = messages.map(({ msg }) => classifyArgoMessage(msg));
    expect(parsed.every((p) => p !== undefined)).toBe(true);
    // Server-sourced messages carry the user; controller-sourced ones do not.
    messages.forEach(({ source }, i) =>
      expect(parsed[i]?.fromController).toBe(source === 'argocd-application-controller')
    );
    expect(parsed[0]).toMatchObject({ verb: 'create', user: 'admin' });
    // The sample's commit, read from its own text rather than copied here.
    const sampleSha = /\b[0-9a-f]{40}\b/.exec(messages[3].msg)?.[0];
    expect(sampleSha).toMatch(/^[0-9a-f]{40}$/);
    expect(parsed[3]).toMatchObject({ verb: 'sync', user: 'admin', revision: 'HEAD', commit: sampleSha });
    expect(parsed[4]).toMatchObject({ verb: 'sync-succeeded', commit: sampleSha });
    expect(parsed[1]).toMatchObject({ statusChange: { what: 'sync', from: '', to: 'OutOfSync' } });
  });
});

describe('parseDisplayRevision', () => {
  it('separates the requested revision from the resolved commit', () => {
    expect(parseDisplayRevision(`HEAD (${SHA})`)).toEqual({ revision: 'HEAD', commit: SHA });
    expect(parseDisplayRevision(SHA)).toEqual({ revision: SHA, commit: SHA });
    expect(parseDisplayRevision('v1.4.2')).toEqual({ revision: 'v1.4.2', commit: undefined });
    expect(parseDisplayRevision('')).toEqual({ revision: undefined, commit: undefined });
  });
});
