import { kubeAudit, rancherAudit } from '../../../tests/support/builders';
import { parseAll } from '../../../tests/support/parse';
import { inCidr, isIp, parseCidr } from '../parse/ip';
import { clientAddress, trustedRanges } from './clientAddress';
import { buildChains } from './engine';

const INGRESS = '10.42.0.0/16';

function whoOf(line: object, trustedProxies: string[] = []) {
  const chains = buildChains(parseAll([line]).events, { trustedProxies });
  expect(chains).toHaveLength(1);
  return chains[0].who;
}
const rancherWith = (xff: string, remoteAddr = '10.42.0.17:51234') =>
  rancherAudit({ remoteAddr, requestHeader: { 'X-Forwarded-For': [xff], 'X-Real-Ip': undefined } });

describe('who.ip: which X-Forwarded-For hop is the client (Rancher audit)', () => {
  it('without a trusted-proxy setting the first hop is only claimed by the client', () => {
    expect(whoOf(rancherWith('6.6.6.6, 198.51.100.44'))).toMatchObject({
      ip: '6.6.6.6',
      ipTrust: 'claimed by the client',
    });
  });

  it('with the ingress trusted, a forged first hop is ignored: the hop the ingress saw is the client', () => {
    expect(whoOf(rancherWith('6.6.6.6, 198.51.100.44'), [INGRESS])).toMatchObject({
      ip: '198.51.100.44',
      ipTrust: 'seen by the ingress',
    });
    // Two layers of proxies (a load balancer in front of the ingress), trusted from the peer backwards.
    expect(whoOf(rancherWith('6.6.6.6, 198.51.100.44, 192.0.2.5'), [INGRESS, '192.0.2.0/24'])).toMatchObject({
      ip: '198.51.100.44',
      ipTrust: 'seen by the ingress',
    });
  });

  it('a peer outside the trusted ranges is the client itself, whatever the header says', () => {
    expect(whoOf(rancherWith('6.6.6.6', '203.0.113.9:4431'), [INGRESS])).toMatchObject({
      ip: '203.0.113.9',
      ipTrust: 'seen by the server',
    });
  });

  it('X-Forwarded-For with hostile HTML is not an address: it never becomes who.ip', () => {
    const hostile = '<img src=x onerror=alert(1)>, <a href="https://evil.example">x</a>';
    const line = rancherWith(hostile);
    expect(parseAll([line]).events[0].sourceIPs).toEqual(['10.42.0.17']);
    expect(whoOf(line)).toMatchObject({ ip: '10.42.0.17', ipTrust: 'seen by the server' });
    expect(whoOf(line, [INGRESS])).toMatchObject({ ip: '10.42.0.17', ipTrust: 'seen by the server' });
  });
});

describe('kube sourceIPs likewise', () => {
  const line = kubeAudit({ sourceIPs: ['6.6.6.6', '198.51.100.44', '10.42.3.4'] });
  it('first entry claimed without a setting; the hop before the trusted proxy with one', () => {
    expect(whoOf(line)).toMatchObject({ ip: '6.6.6.6', ipTrust: 'claimed by the client' });
    expect(whoOf(line, [INGRESS])).toMatchObject({ ip: '198.51.100.44', ipTrust: 'seen by the ingress' });
    expect(whoOf(kubeAudit({ sourceIPs: ['203.0.113.27'] }))).toMatchObject({
      ip: '203.0.113.27',
      ipTrust: 'seen by the server',
    });
  });
});

describe('addresses and ranges', () => {
  it('reads IPv4, IPv6 (compressed, mapped) and refuses what is not an address', () => {
    for (const ok of ['10.0.0.1', '::1', '2001:db8::8a2e:370:7334', '::ffff:10.0.0.1', 'fe80::1']) {
      expect([ok, isIp(ok)]).toEqual([ok, true]);
    }
    for (const bad of ['10.0.0.256', '01.2.3.4', '1.2.3', '1::2::3', '<b>', 'fe80::1%eth0', '']) {
      expect([bad, isIp(bad)]).toEqual([bad, false]);
    }
  });

  it('matches CIDR ranges of both families, IPv4 also in its IPv6-mapped form', () => {
    const v4 = parseCidr('10.42.0.0/16');
    const v6 = parseCidr('fd00::/8');
    expect(v4 && inCidr('10.42.255.1', v4)).toBe(true);
    expect(v4 && inCidr('10.43.0.1', v4)).toBe(false);
    expect(v4 && inCidr('::ffff:10.42.0.9', v4)).toBe(true);
    expect(v6 && inCidr('fd12:3456::1', v6)).toBe(true);
    expect(v6 && inCidr('fe80::1', v6)).toBe(false);
    expect(clientAddress(['1.1.1.1', '10.42.0.1'], [parseCidr('10.42.0.1') ?? v4!])).toEqual({
      ip: '1.1.1.1',
      trust: 'seen by the ingress',
    });
  });

  it('a setting entry that is not a range is an error, not silently ignored', () => {
    expect(() => trustedRanges(['10.0.0.0/8', 'ingress'])).toThrow('"ingress" is not a CIDR range');
    expect(() => trustedRanges(['10.0.0.0/33'])).toThrow();
  });
});
