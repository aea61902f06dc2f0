import type { ProvenanceQuery } from './types';

/**
 * What one search box means, as the data source's query fields: `resource/namespace/name` (any part may be empty)
 * is an object, an IPv4 or IPv6 address is text the audit line must hold, anything else is a person or account
 * (login name, user, initiator). The words stay the user's: the data source escapes them in its LogQL.
 */
export function searchQuery(text: string): Partial<ProvenanceQuery> {
  const q = text.trim();
  if (q === '') {
    return {};
  }
  if (/^[\d.]+$/.test(q) || (/^[0-9a-f:]+$/i.test(q) && q.includes(':'))) {
    return { text: q };
  }
  const parts = q.split('/');
  if (parts.length >= 2 && parts.length <= 3 && !q.includes(' ')) {
    const [resource, namespace, name] = parts.length === 2 ? [parts[0], '', parts[1]] : parts;
    return { resource, namespace, name };
  }
  return { actor: q };
}
