import type { ResourceRef } from '../model';
import { splitRequestUri } from './requestPath';

/**
 * Kubernetes API request paths, read the way kube-apiserver's `RequestInfoFactory.NewRequestInfo` reads them
 * (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go), so that sources that only carry a URI
 * (Rancher audit, legacy text audit) get the same target and verb as the kube-apiserver audit log.
 */
// `/namespaces/<name>/status|finalize` are subresources of the namespace itself (requestinfo.go).
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export interface K8sRequest {
  target: ResourceRef;
  isResource: boolean;
  query: URLSearchParams;
}

export function parseK8sRequestPath(uri: string): K8sRequest {
  const { segments, query } = splitRequestUri(uri);
  const nonResource: K8sRequest = {
    target: { apiGroup: '', resource: '', path: uri.split('?')[0] },
    isResource: false,
    query,
  };
  let rest: string[];
  let apiGroup: string;
  let apiVersion: string;
  if (segments[0] === 'api' && segments.length >= 3) {
    apiGroup = '';
    apiVersion = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    apiGroup = segments[1];
    apiVersion = segments[2];
    rest = segments.slice(3);
  } else {
    return nonResource;
  }
  // Legacy `/watch/` prefix marks a watch.
  if (rest[0] === 'watch') {
    rest = rest.slice(1);
    query.set('watch', 'true');
  }
  let namespace: string | undefined;
  // `/namespaces/<ns>/<resource>…` is namespaced unless it is the namespace object itself (or its subresource).
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2])) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (!resource) {
    return nonResource;
  }
  const target: ResourceRef = { apiGroup, apiVersion, resource };
  if (namespace !== undefined) {
    target.namespace = namespace;
  }
  if (name !== undefined) {
    target.name = name;
  }
  if (subresource !== undefined) {
    target.subresource = rest.slice(2).join('/');
  }
  return { target, isResource: true, query };
}

/** The Kubernetes verb an HTTP method on a resource path means (requestinfo.go). */
export function verbForMethod(method: string, req: K8sRequest): string {
  const m = method.toUpperCase();
  if (!req.isResource) {
    return m.toLowerCase();
  }
  const named = req.target.name !== undefined;
  switch (m) {
    case 'POST':
      return 'create';
    case 'GET':
    case 'HEAD': {
      if (named) {
        return 'get';
      }
      const w = req.query.get('watch');
      return w && w !== 'false' && w !== '0' ? 'watch' : 'list';
    }
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return m.toLowerCase();
  }
}
