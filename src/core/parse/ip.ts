/**
 * IP addresses and CIDR ranges, for the trusted-proxy setting and for telling an address from whatever a client
 * wrote into `X-Forwarded-For`. Pure string work (core runs in the browser too): IPv4 dotted quads, IPv6 in
 * full, compressed and IPv4-mapped forms; zone ids are not addresses and are refused.
 */

/** 16 bytes; IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d) so one comparison serves both. */
type Bytes = number[];

function v4(s: string): Bytes | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  const out: Bytes = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255 || (p.length > 1 && p[0] === '0')) {
      return undefined;
    }
    out.push(Number(p));
  }
  return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...out];
}

function v6(s: string): Bytes | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length > 45) {
    return undefined;
  }
  let tail: Bytes = [];
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    const mapped = v4(s.slice(lastColon + 1));
    if (!mapped) {
      return undefined;
    }
    tail = mapped.slice(12);
    text = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
    return undefined;
  }
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const out: Bytes = [];
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) {
      return undefined;
    }
    const n = parseInt(g, 16);
    out.push(n >> 8, n & 0xff);
  }
  if (tail.length) {
    out.splice(12, 4, ...tail);
  }
  return out;
}

function bytesOf(ip: string): Bytes | undefined {
  return ip.includes(':') ? v6(ip) : v4(ip);
}

export function isIp(s: string): boolean {
  return bytesOf(s) !== undefined;
}

export interface Cidr {
  bytes: Bytes;
  bits: number;
}

/** `10.0.0.0/8`, `fd00::/8`, or a single address; undefined when it is neither. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, len, extra] = text.trim().split('/');
  const bytes = bytesOf(addr);
  if (!bytes || extra !== undefined) {
    return undefined;
  }
  const mappedV4 = !addr.includes(':');
  if (len === undefined) {
    return { bytes, bits: 128 };
  }
  if (!/^\d{1,3}$/.test(len) || Number(len) > (mappedV4 ? 32 : 128)) {
    return undefined;
  }
  return { bytes, bits: Number(len) + (mappedV4 ? 96 : 0) };
}

export function inCidr(ip: string, cidr: Cidr): boolean {
  const b = bytesOf(ip);
  if (!b) {
    return false;
  }
  for (let bit = 0; bit < cidr.bits; bit += 8) {
    const take = Math.min(8, cidr.bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((b[bit >> 3] & mask) !== (cidr.bytes[bit >> 3] & mask)) {
      return false;
    }
  }
  return true;
}
