import type { AddressTrust } from '../model';
import { inCidr, isIp, parseCidr, type Cidr } from '../parse/ip';

/**
 * Which hop of a request's address list is the client, as nginx's `real_ip` (with `real_ip_recursive on`) decides:
 * `hops` lists the client first and the TCP peer last (kube `sourceIPs`, Rancher `X-Forwarded-For` + peer). From
 * the peer backwards, every hop inside a trusted-proxy range passes the decision on to the hop before it; the
 * first hop outside them is the client. Without a trusted-proxy setting the first hop is only what the client
 * claimed (anyone can send `X-Forwarded-For`); the TCP peer alone is what the server saw.
 */
export function clientAddress(
  hops: readonly string[],
  trusted: readonly Cidr[]
): { ip: string; trust: AddressTrust } | undefined {
  const ips = hops.filter(isIp);
  if (ips.length === 0) {
    return undefined;
  }
  const peer = ips.length - 1;
  if (trusted.length === 0) {
    return { ip: ips[0], trust: peer === 0 ? 'seen by the server' : 'claimed by the client' };
  }
  let i = peer;
  while (i > 0 && trusted.some((c) => inCidr(ips[i], c))) {
    i--;
  }
  return { ip: ips[i], trust: i === peer ? 'seen by the server' : 'seen by the ingress' };
}

const parsed = new WeakMap<readonly string[], Cidr[]>();

/** The trusted-proxy setting as ranges; an entry that is not a CIDR or an address is an error a person must fix. */
export function trustedRanges(setting: readonly string[]): Cidr[] {
  let out = parsed.get(setting);
  if (!out) {
    out = setting.map((s) => {
      const c = parseCidr(s);
      if (!c) {
        throw new Error(`trusted proxies: "${s}" is not a CIDR range or an IP address (e.g. 10.42.0.0/16)`);
      }
      return c;
    });
    parsed.set(setting, out);
  }
  return out;
}
