import type { ChangeEvent, ResourceRef } from '../model';
import { describeDelta } from './options';
import { at, closest, startedByText, targetName } from './rule';

const ev = (id: string, time: number) => ({ id, time }) as ChangeEvent;

describe('closest', () => {
  it('the candidate nearest in time, before or after; a tie goes to the smaller id, in any input order', () => {
    expect(closest([ev('a', 90), ev('b', 104), ev('c', 130)], 100)?.id).toBe('b');
    expect(closest([ev('a', 97), ev('b', 104)], 100)?.id).toBe('a');
    expect(closest([ev('z', 95), ev('m', 105)], 100)?.id).toBe('m');
    expect(closest([ev('m', 105), ev('z', 95)], 100)?.id).toBe('m');
    expect(closest([ev('b', 100), ev('a', 100), ev('c', 100)], 100)?.id).toBe('a');
    expect(closest([], 100)).toBeUndefined();
  });
});

describe('at', () => {
  it('an ISO time without zero milliseconds, with them when there are some, or says there is none', () => {
    expect(at(Date.UTC(2026, 2, 2, 10, 0, 5))).toBe('2026-03-02T10:00:05Z');
    expect(at(Date.UTC(2026, 2, 2, 10, 0, 5, 250))).toBe('2026-03-02T10:00:05.250Z');
    expect(at(undefined)).toBe('(no time)');
  });
});

describe('describeDelta', () => {
  it.each([
    [0, '0 ms'],
    [999, '999 ms'],
    [-400, '400 ms'],
    [1_000, '1 s'],
    [119_000, '119 s'],
    [120_000, '2 min'],
    [-7_199_000, '120 min'],
    [7_200_000, '2.0 h'],
    [9_000_000, '2.5 h'],
  ])('%d ms reads %s', (ms, words) => {
    expect(describeDelta(ms)).toBe(words);
  });
});

describe('targetName', () => {
  it.each([
    [{ resource: 'deployments', namespace: 'shop', name: 'cart' }, false, 'deployments shop/cart'],
    [{ resource: 'deployments', kind: 'Deployment', namespace: 'shop', name: 'cart' }, false, 'Deployment shop/cart'],
    [{ resource: 'namespaces', name: 'shop' }, false, 'namespaces shop'],
    [{ resource: 'pods', namespace: 'shop', name: 'p', subresource: 'exec' }, false, 'pods shop/p/exec'],
    [{ resource: 'nodes' }, false, 'nodes'],
    [{ path: '/healthz' }, false, '/healthz'],
    [{}, false, '(no target)'],
    [
      { resource: 'applications', apiGroup: 'argoproj.io', namespace: 'argocd', name: 'shop', cluster: 'prod' },
      true,
      'applications.argoproj.io argocd/shop @prod',
    ],
    [{ resource: 'applications', apiGroup: 'argoproj.io', name: 'shop', cluster: 'prod' }, false, 'applications shop'],
    [{ resource: 'deployments', apiGroup: 'apps', name: 'cart' }, true, 'deployments cart'],
    [{ resource: 'jobs', apiGroup: 'batch', name: 'j' }, true, 'jobs j'],
    [{ resource: 'pods', apiGroup: '', name: 'p' }, true, 'pods p'],
  ])('%j (qualified %s) is %s', (target, qualified, name) => {
    expect(targetName({ apiGroup: '', ...target } as ResourceRef, qualified)).toBe(name);
  });
});

describe('startedByText', () => {
  it.each([
    [{ initiator: 'dana@example.org', automated: true }, 'started by dana@example.org'],
    [{ automated: true }, 'automated (auto-sync)'],
    [{ automation: 'Kargo promotion' }, 'automated (Kargo promotion)'],
    [{ automated: false }, 'initiator unknown'],
    [{}, 'initiator unknown'],
  ])('%j: %s', (g, words) => {
    expect(startedByText(g)).toBe(words);
  });
});
