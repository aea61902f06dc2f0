import { parseRancherPath } from './rancherPath';

describe('parseRancherPath', () => {
  it.each([
    [
      '/k8s/clusters/c-abc/api/v1/namespaces/shop/pods/web-1',
      'GET',
      { cluster: 'c-abc', resource: 'pods', namespace: 'shop', name: 'web-1' },
      'get',
      '/api/v1/namespaces/shop/pods/web-1',
    ],
    [
      '/k8s/clusters/c-abc/api/v1/nodes?limit=500',
      'GET',
      { cluster: 'c-abc', resource: 'nodes' },
      'list',
      '/api/v1/nodes?limit=500',
    ],
    [
      '/k8s/clusters/local/apis/apps/v1/namespaces/shop/deployments',
      'DELETE',
      { cluster: 'local', apiGroup: 'apps', resource: 'deployments', namespace: 'shop' },
      'deletecollection',
      '/apis/apps/v1/namespaces/shop/deployments',
    ],
    [
      '/k8s/clusters/c-abc/v1/apps.deployments/shop/web',
      'PUT',
      { cluster: 'c-abc', apiGroup: 'apps', resource: 'deployments', namespace: 'shop', name: 'web' },
      'update',
      '/v1/apps.deployments/shop/web',
    ],
  ])('%s %s', (uri, method, target, verb, downstream) => {
    const r = parseRancherPath(uri, method);
    expect(r.target).toMatchObject(target);
    expect(r.verb).toBe(verb);
    expect(r.downstreamURI).toBe(downstream);
  });

  it('reads steve paths: namespace for create/list, name for cluster-scoped types', () => {
    expect(parseRancherPath('/v1/secrets/shop', 'POST').target).toEqual({
      apiGroup: '',
      resource: 'secrets',
      namespace: 'shop',
    });
    expect(parseRancherPath('/v1/namespaces/shop', 'DELETE')).toMatchObject({
      target: { resource: 'namespaces', name: 'shop' },
      verb: 'delete',
    });
    expect(parseRancherPath('/v1/namespaces/shop', 'GET')).toMatchObject({
      target: { resource: 'namespaces', name: 'shop' },
      verb: 'get',
    });
    expect(parseRancherPath('/v1/harvester/kubevirt.io.virtualmachines/default/vm1', 'GET').target).toMatchObject({
      apiGroup: 'kubevirt.io',
      resource: 'virtualmachines',
      namespace: 'default',
      name: 'vm1',
    });
    expect(parseRancherPath('/v1/management.cattle.io.users?watch=true', 'GET')).toMatchObject({
      target: { apiGroup: 'management.cattle.io', resource: 'users' },
      verb: 'watch',
    });
  });

  it('keeps norman (/v3) and other paths as paths', () => {
    expect(parseRancherPath('/v3/projects/c-m-7xk2q:p-4hq8z/workload', 'POST')).toMatchObject({
      target: {
        apiGroup: 'management.cattle.io',
        resource: 'projects',
        name: 'c-m-7xk2q:p-4hq8z',
        subresource: 'workload',
      },
      verb: 'create',
    });
    expect(parseRancherPath('/v3-public/localProviders/local?action=login', 'POST')).toMatchObject({
      target: { path: '/v3-public/localProviders/local' },
      verb: 'post',
    });
    expect(parseRancherPath('/healthz', 'GET').target).toEqual({ apiGroup: '', resource: '', path: '/healthz' });
  });
});

describe('parseRancherPath: whole answers', () => {
  it('a request outside the cluster proxy names no cluster and no downstream path', () => {
    expect(parseRancherPath('/v1/secrets/shop/db', 'DELETE')).toStrictEqual({
      target: { apiGroup: '', resource: 'secrets', namespace: 'shop', name: 'db' },
      verb: 'delete',
    });
  });

  it('the proxy root of a cluster is a path on that cluster', () => {
    expect(parseRancherPath('/k8s/clusters/c-abc', 'GET')).toEqual({
      target: { apiGroup: '', resource: '', path: '/', cluster: 'c-abc' },
      verb: 'get',
      downstreamURI: '/',
    });
  });

  it('steve: one segment is a name for cluster-scoped types on any method, and for namespaced types on update', () => {
    expect(parseRancherPath('/v1/nodes/node-1', 'GET').target).toEqual({
      apiGroup: '',
      resource: 'nodes',
      name: 'node-1',
    });
    expect(parseRancherPath('/v1/rbac.authorization.k8s.io.clusterroles/view', 'POST').target).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      resource: 'clusterroles',
      name: 'view',
    });
    expect(parseRancherPath('/v1/secrets/db', 'PUT')).toEqual({
      target: { apiGroup: '', resource: 'secrets', name: 'db' },
      verb: 'update',
    });
    expect(parseRancherPath('/v1/apps.deployments/shop', 'GET')).toEqual({
      target: { apiGroup: 'apps', resource: 'deployments', namespace: 'shop' },
      verb: 'list',
    });
  });

  it('steve: segments after the name are a subresource; /v1 alone is a path', () => {
    expect(parseRancherPath('/v1/apps.deployments/shop/web/scale', 'PUT').target).toEqual({
      apiGroup: 'apps',
      resource: 'deployments',
      namespace: 'shop',
      name: 'web',
      subresource: 'scale',
    });
    expect(parseRancherPath('/v1', 'GET').target).toEqual({ apiGroup: '', resource: '', path: '/v1' });
  });

  it('norman: an ?action= is the verb, the type is lower-cased, a collection is listed', () => {
    expect(parseRancherPath('/v3/clusters/c-abc?action=generateKubeconfig', 'POST')).toEqual({
      target: { apiGroup: 'management.cattle.io', resource: 'clusters', name: 'c-abc', path: '/v3/clusters/c-abc' },
      verb: 'action:generateKubeconfig',
    });
    expect(parseRancherPath('/v3/clusterRoleTemplateBindings', 'GET')).toEqual({
      target: {
        apiGroup: 'management.cattle.io',
        resource: 'clusterroletemplatebindings',
        path: '/v3/clusterRoleTemplateBindings',
      },
      verb: 'list',
    });
    expect(parseRancherPath('/v3', 'GET').target).toEqual({ apiGroup: '', resource: '', path: '/v3' });
  });
});
