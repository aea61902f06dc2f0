import { parse as parseYaml } from 'yaml';

import { readAppHistory, readChangedFields, readOwnershipMarks, readRbac } from './marks';
import { readSample } from '../../../tests/support/shared';

describe('readOwnershipMarks', () => {
  it('ownerReferences (at most eight), the object uid and the pod-template-hash label', () => {
    const refs = Array.from({ length: 10 }, (_, i) => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: `rs-${i}`,
      uid: `u${i}`,
    }));
    const marks = readOwnershipMarks({
      metadata: {
        uid: 'pod-uid',
        labels: { 'pod-template-hash': '6b7c8d9f5' },
        ownerReferences: [{ kind: 'Job' }, ...refs],
      },
    });
    expect(marks?.uid).toBe('pod-uid');
    expect(marks?.podTemplateHash).toBe('6b7c8d9f5');
    expect(marks?.ownerRefs?.map((r) => r.name)).toEqual(refs.slice(0, 8).map((r) => r.name));
    expect(marks?.ownerRefs?.[0]).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs-0', uid: 'u0' });
  });

  it('reads the Argo CD tracking annotation of the real resource_tracking.md example', () => {
    const manifest = /```yaml\n([\s\S]*?)```/.exec(readSample('argocd_tracking_example.txt'))?.[1];
    expect(manifest).toBeDefined();
    expect(readOwnershipMarks(parseYaml(manifest ?? ''))).toEqual({
      argocdTrackingId: 'my-app:apps/Deployment:default/my-deployment',
    });
  });

  it('reads marks set by a JSON Patch (escaped pointer segments) and by whole maps', () => {
    expect(
      readOwnershipMarks([
        {
          op: 'add',
          path: '/metadata/annotations/argocd.argoproj.io~1tracking-id',
          value: 'app:/ConfigMap:shop/settings',
        },
        { op: 'add', path: '/metadata/labels', value: { 'app.kubernetes.io/instance': 'app' } },
      ])
    ).toEqual({ argocdTrackingId: 'app:/ConfigMap:shop/settings', instanceLabel: 'app' });
    expect(readOwnershipMarks({ metadata: {} }, undefined, 'x', [1])).toBeUndefined();
  });

  it('a later body (the stored object) wins over the request', () => {
    expect(
      readOwnershipMarks(
        { metadata: { labels: { 'app.kubernetes.io/instance': 'old' } } },
        { metadata: { labels: { 'app.kubernetes.io/instance': 'new' } } }
      )
    ).toEqual({ instanceLabel: 'new' });
  });
});

describe('readRbac', () => {
  it('reads Role rules in short form', () => {
    expect(
      readRbac('clusterroles', {
        rules: [
          { apiGroups: ['', 'apps'], resources: ['*'], verbs: ['*'] },
          { nonResourceURLs: ['/metrics'], verbs: ['get'] },
        ],
      })
    ).toEqual({
      rules: ['* on * (core,apps)', 'get on /metrics'],
    });
    expect(readRbac('deployments', { subjects: [] })).toBeUndefined();
  });
});

describe('readChangedFields', () => {
  it('a Deployment: replicas by value, the Pod template only as "set" (its content may hold secrets)', () => {
    const template = { spec: { containers: [{ env: [{ name: 'TOKEN', value: 's3cr3t' }] }] } };
    expect(readChangedFields('deployments', { spec: { replicas: 5, template } })).toEqual({
      'spec.replicas': '5',
      'spec.template': '"(set)"',
    });
    expect(
      readChangedFields('deployments', [
        { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'x:2' },
      ])
    ).toEqual({ 'spec.template': '"(set)"' });
  });

  it('reads who and what of an Application operation state from the real diff-cache testdata', () => {
    // The sample starts mid-object; its `operationState:` block is complete.
    const text = readSample('argocd_diffcache_operationState.yaml');
    const block = text.slice(text.indexOf('  operationState:'));
    const status = parseYaml(block.replace(/^ {2}/gm, ''));
    const revision = status.operationState.syncResult.revision as string;
    expect(revision).toMatch(/^[0-9a-f]{40}$/);
    expect(readChangedFields('applications', { status })).toEqual({
      'status.operationState.operation.initiatedBy.username': '"foo@example.com"',
      'status.operationState.phase': '"Succeeded"',
      'status.operationState.syncResult.revision': JSON.stringify(revision),
    });
  });

  it('reads GitRepo pauses from JSON Patch and auto-sync removal from a merge patch', () => {
    expect(readChangedFields('gitrepos', [{ op: 'replace', path: '/spec/paused', value: true }])).toEqual({
      'spec.paused': 'true',
    });
    expect(readChangedFields('applications', { spec: { syncPolicy: null } })).toEqual({ 'spec.syncPolicy': 'null' });
    expect(readChangedFields('applications', [{ op: 'remove', path: '/spec/syncPolicy/automated' }])).toEqual({
      'spec.syncPolicy.automated': 'null',
    });
    expect(readChangedFields('configmaps', { data: {} })).toBeUndefined();
  });
});

describe('readAppHistory', () => {
  it('reads history ids and revisions from the real diff-cache testdata', () => {
    // The sample is the head of `status:`; its `history:` list is cut after the first entry's fields we need.
    const status = parseYaml(readSample('argocd_diffcache_history.yaml').replace(/^ {2}/gm, ''));
    const first = status.history[0] as { revision: string };
    expect(first.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(readAppHistory({ status })).toEqual([
      { id: 14, revision: first.revision, deployedAt: '2024-03-04T22:00:06Z' },
    ]);
  });

  it('reads multi-source revisions and the initiator (Argo CD ≥ 2.11)', () => {
    expect(
      readAppHistory(undefined, {
        status: {
          history: [{ id: 3, revisions: ['aaa1111', 'bbb2222'], initiatedBy: { username: 'dana' } }, { id: 'x' }],
        },
      })
    ).toEqual([{ id: 3, revision: 'aaa1111,bbb2222', initiatedBy: 'dana' }]);
    expect(readAppHistory({ status: {} })).toBeUndefined();
  });
});
