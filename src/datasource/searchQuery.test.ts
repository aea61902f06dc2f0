import { searchQuery } from './searchQuery';

describe('one search box', () => {
  it.each([
    ['deployments/production/frontend-app', { resource: 'deployments', namespace: 'production', name: 'frontend-app' }],
    ['deployments//frontend-app', { resource: 'deployments', namespace: '', name: 'frontend-app' }],
    ['clusterroles/admin', { resource: 'clusterroles', namespace: '', name: 'admin' }],
    ['dana@example.org', { actor: 'dana@example.org' }],
    [
      'system:serviceaccount:argocd:argocd-application-controller',
      { actor: 'system:serviceaccount:argocd:argocd-application-controller' },
    ],
    ['198.51.100.44', { text: '198.51.100.44' }],
    ['2001:db8::7', { text: '2001:db8::7' }],
    ['  kim  ', { actor: 'kim' }],
    ['', {}],
    ['a person / with spaces', { actor: 'a person / with spaces' }],
  ])('%j', (text, fields) => {
    expect(searchQuery(text)).toEqual(fields);
  });
});
