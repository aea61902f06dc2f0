import { buildChains } from '../engine';
import { rancherAudit, rancherDownstream } from '../../../../tests/support/builders';
import { eventsOf } from '../../../../tests/support/correlate';

/**
 * Rancher ≥ 2.12 at its default audit level 0 records no request headers (rancher/rancher pkg/auth/audit/utils.go,
 * verbosityForLevel; Rancher docs "Enabling the API Audit Log": level 1 logs headers), so remoteAddr is the ingress.
 */

it('a level-0 Rancher record: the ingress address is a proxy, the chain says the client IP was not recorded', () => {
  const events = eventsOf([
    rancherDownstream(),
    rancherAudit({ requestHeader: undefined, remoteAddr: '10.42.3.8:40112' }),
  ]);
  const [chain] = buildChains(events);
  expect(chain.who).toMatchObject({ name: 'kim', kind: 'human' });
  // Neither the ingress (Rancher's remoteAddr) nor Rancher itself (the downstream sourceIP) is the client.
  expect(chain.who.ip).toBeUndefined();
  const proxy = chain.links.find((l) => l.kind === 'rancher-proxy');
  expect(proxy?.evidence.at(-1)).toBe(
    'the client IP was not recorded: Rancher wrote no request headers (audit level 0, its default from v2.12), so its remoteAddr 10.42.3.8 is the ingress, not the client; audit level 1 or higher records X-Forwarded-For'
  );
});
