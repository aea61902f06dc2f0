/**
 * One reading of a request URI for every parser and redactor: path segments with percent-escapes decoded once
 * (as Go's net/http does before kube-apiserver or Rancher route the request), so `/api/v1/namespaces/x/%73ecrets`
 * is a Secret path for all of them alike.
 */
export interface RequestPath {
  /** Decoded, non-empty path segments. */
  segments: string[];
  query: URLSearchParams;
}

function decodeOnce(segment: string): string {
  if (!segment.includes('%')) {
    return segment;
  }
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape: decode the well-formed ones, keep the rest as written.
    return segment.replace(/%[0-9a-fA-F]{2}/g, (e) => String.fromCharCode(parseInt(e.slice(1), 16)));
  }
}

export function splitRequestUri(uri: string): RequestPath {
  const q = uri.indexOf('?');
  const path = q === -1 ? uri : uri.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : uri.slice(q + 1));
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeOnce);
  return { segments, query };
}
