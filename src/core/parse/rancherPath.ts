import type { ResourceRef } from '../model';
import { parseK8sRequestPath, verbForMethod, type K8sRequest } from './k8sPath';
import { splitRequestUri } from './requestPath';

/**
 * Rancher API paths to a Kubernetes-shaped target and verb:
 * - `/k8s/clusters/<id>/<kubernetes path>`: the authentication proxy to a downstream cluster — mapped to
 *   cluster `<id>` and the downstream path, so it lines up with the downstream kube-apiserver audit log;
 * - `/v1/<type>[/<ns>][/<name>]` (steve, also under `/v1/harvester/` and `/k8s/clusters/<id>/v1/`);
 * - `/v3/<type>[/<id>]` (norman): kept as `management.cattle.io` types.
 */

export interface RancherRequest {
  target: ResourceRef;
  verb: string;
  /** Path as the downstream kube-apiserver sees it (for `/k8s/clusters/…` requests). */
  downstreamURI?: string;
}

const CLUSTER_PROXY = /^\/k8s\/clusters\/([^/?]+)(\/[^?]*)?(\?.*)?$/;
const CLUSTER_SCOPED_STEVE = new Set([
  'namespaces',
  'nodes',
  'persistentvolumes',
  'storageclasses',
  'clusterroles',
  'clusterrolebindings',
  'rbac.authorization.k8s.io.clusterroles',
  'rbac.authorization.k8s.io.clusterrolebindings',
  'apiextensions.k8s.io.customresourcedefinitions',
]);

function steveType(type: string): { apiGroup: string; resource: string } {
  const dot = type.lastIndexOf('.');
  return dot === -1
    ? { apiGroup: '', resource: type }
    : { apiGroup: type.slice(0, dot), resource: type.slice(dot + 1) };
}

function parseSteve(segments: string[], method: string, query: URLSearchParams): { target: ResourceRef; verb: string } {
  const [type, a, b, ...sub] = segments;
  const { apiGroup, resource } = steveType(type);
  const target: ResourceRef = { apiGroup, resource };
  const m = method.toUpperCase();
  if (b !== undefined) {
    target.namespace = a;
    target.name = b;
  } else if (a !== undefined) {
    // One segment after the type: a namespace for create/list of namespaced types, else a cluster-scoped name.
    const namespaceish = (m === 'POST' || m === 'GET') && !CLUSTER_SCOPED_STEVE.has(type);
    if (namespaceish) {
      target.namespace = a;
    } else {
      target.name = a;
    }
  }
  if (sub.length) {
    target.subresource = sub.join('/');
  }
  const fake: K8sRequest = { target, isResource: true, query };
  return { target, verb: verbForMethod(m, fake) };
}

export function parseRancherPath(uri: string, method: string): RancherRequest {
  const proxy = CLUSTER_PROXY.exec(uri);
  let cluster: string | undefined;
  let path = uri;
  if (proxy) {
    cluster = proxy[1];
    path = (proxy[2] ?? '/') + (proxy[3] ?? '');
  }
  const { segments, query } = splitRequestUri(path);
  let result: { target: ResourceRef; verb: string };
  if (segments[0] === 'api' || segments[0] === 'apis') {
    const req = parseK8sRequestPath(path);
    result = { target: req.target, verb: verbForMethod(method, req) };
  } else if (segments[0] === 'v1' && segments.length >= 2) {
    result = parseSteve(segments[1] === 'harvester' ? segments.slice(2) : segments.slice(1), method, query);
  } else if (segments[0] === 'v3' && segments.length >= 2) {
    const target: ResourceRef = {
      apiGroup: 'management.cattle.io',
      resource: segments[1].toLowerCase(),
      path: path.split('?')[0],
    };
    if (segments[2]) {
      target.name = segments[2];
    }
    if (segments.length > 3) {
      target.subresource = segments.slice(3).join('/');
    }
    const action = query.get('action');
    result = { target, verb: action ? `action:${action}` : verbForMethod(method, { target, isResource: true, query }) };
  } else {
    result = { target: { apiGroup: '', resource: '', path: path.split('?')[0] }, verb: method.toLowerCase() };
  }
  if (cluster) {
    result.target.cluster = cluster;
  }
  return proxy ? { ...result, downstreamURI: path } : result;
}
