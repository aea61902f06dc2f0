import { parseK8sRequestPath, verbForMethod } from './k8sPath';

describe('parseK8sRequestPath (as requestinfo.go reads paths)', () => {
  it.each([
    [
      '/api/v1/namespaces/shop/pods/web-1',
      { apiGroup: '', apiVersion: 'v1', resource: 'pods', namespace: 'shop', name: 'web-1' },
    ],
    ['/api/v1/namespaces/shop/pods/web-1/exec?command=sh', { resource: 'pods', name: 'web-1', subresource: 'exec' }],
    [
      '/apis/apps/v1/namespaces/shop/deployments/web/scale',
      { apiGroup: 'apps', resource: 'deployments', subresource: 'scale' },
    ],
    ['/api/v1/namespaces/shop', { resource: 'namespaces', name: 'shop' }],
    ['/api/v1/namespaces/shop/finalize', { resource: 'namespaces', name: 'shop', subresource: 'finalize' }],
    ['/api/v1/namespaces', { resource: 'namespaces' }],
    [
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/admins',
      { apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', name: 'admins' },
    ],
    ['/api/v1/watch/namespaces/shop/pods', { resource: 'pods', namespace: 'shop' }],
  ])('%s', (uri, expected) => {
    const r = parseK8sRequestPath(uri);
    expect(r.isResource).toBe(true);
    expect(r.target).toMatchObject(expected);
  });

  it('non-resource paths keep the path', () => {
    for (const uri of ['/healthz', '/api', '/apis', '/apis/apps/v1', '/openapi/v3?timeout=32s']) {
      const r = parseK8sRequestPath(uri);
      expect(r.isResource).toBe(false);
      expect(r.target.path).toBe(uri.split('?')[0]);
    }
  });

  it('verbs from HTTP methods', () => {
    const named = parseK8sRequestPath('/api/v1/namespaces/shop/pods/web-1');
    const coll = parseK8sRequestPath('/api/v1/namespaces/shop/pods');
    expect(['POST', 'GET', 'PUT', 'PATCH', 'DELETE'].map((m) => verbForMethod(m, named))).toEqual([
      'create',
      'get',
      'update',
      'patch',
      'delete',
    ]);
    expect(['GET', 'DELETE'].map((m) => verbForMethod(m, coll))).toEqual(['list', 'deletecollection']);
    expect(verbForMethod('GET', parseK8sRequestPath('/api/v1/pods?watch=true'))).toBe('watch');
    expect(verbForMethod('GET', parseK8sRequestPath('/api/v1/pods?watch=false'))).toBe('list');
    expect(verbForMethod('GET', parseK8sRequestPath('/api/v1/watch/pods'))).toBe('watch');
    expect(verbForMethod('GET', parseK8sRequestPath('/healthz'))).toBe('get');
  });
});

describe('parseK8sRequestPath: whole targets and the edges of requestinfo.go', () => {
  it.each([
    [
      '/api/v1/namespaces/shop/pods/web-1/exec',
      { apiGroup: '', apiVersion: 'v1', resource: 'pods', namespace: 'shop', name: 'web-1', subresource: 'exec' },
    ],
    [
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/view',
      { apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1', resource: 'clusterroles', name: 'view' },
    ],
    [
      '/api/v1/namespaces/shop/status',
      { apiGroup: '', apiVersion: 'v1', resource: 'namespaces', name: 'shop', subresource: 'status' },
    ],
    ['/apis/apps/v1/deployments', { apiGroup: 'apps', apiVersion: 'v1', resource: 'deployments' }],
    [
      '/api/v1/namespaces/shop/configmaps',
      { apiGroup: '', apiVersion: 'v1', resource: 'configmaps', namespace: 'shop' },
    ],
  ])('%s', (uri, target) => {
    const r = parseK8sRequestPath(uri);
    expect(r).toMatchObject({ isResource: true });
    // Strict: a field the path does not give is absent, not present as undefined.
    expect(r.target).toStrictEqual(target);
  });

  it('a group and version with no resource is not a resource path', () => {
    expect(parseK8sRequestPath('/api/v1').isResource).toBe(false);
    expect(parseK8sRequestPath('/apis/apps/v1/').isResource).toBe(false);
    expect(parseK8sRequestPath('/logs/kube/apiserver/audit').isResource).toBe(false);
    expect(parseK8sRequestPath('/api/v1/watch').target).toEqual({ apiGroup: '', resource: '', path: '/api/v1/watch' });
  });

  it('the legacy /watch/ prefix sets watch=true in the query', () => {
    expect(parseK8sRequestPath('/api/v1/watch/namespaces/shop/pods').query.get('watch')).toBe('true');
    expect(parseK8sRequestPath('/api/v1/namespaces/shop/pods').query.get('watch')).toBeNull();
  });

  it('verbs: HEAD as GET, watch=0 and watch=false are a list, unknown methods lower-cased, method case ignored', () => {
    const named = parseK8sRequestPath('/api/v1/namespaces/shop/pods/web-1');
    const coll = parseK8sRequestPath('/api/v1/namespaces/shop/pods');
    expect(verbForMethod('HEAD', named)).toBe('get');
    expect(verbForMethod('HEAD', coll)).toBe('list');
    expect(verbForMethod('get', parseK8sRequestPath('/api/v1/pods?watch=0'))).toBe('list');
    expect(verbForMethod('GET', parseK8sRequestPath('/api/v1/pods?watch=1'))).toBe('watch');
    expect(verbForMethod('GET', parseK8sRequestPath('/api/v1/pods?watch='))).toBe('list');
    expect(verbForMethod('post', coll)).toBe('create');
    expect(verbForMethod('OPTIONS', coll)).toBe('options');
    expect(verbForMethod('POST', parseK8sRequestPath('/version'))).toBe('post');
  });
});
