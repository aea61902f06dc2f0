import { fleetObjectsetId, safeConcatName } from './fleetNames';

// Expected ids computed outside the code: `printf %s <joined name> | sha256sum`, cut as Fleet's safeconcat.go cuts.
describe('safeConcatName / fleetObjectsetId: object-set ids as Fleet shortens them', () => {
  it.each([
    ['short-bundle', 'default-short-bundle'],
    // 63 characters: kept whole.
    [
      'payments-api-team-storefront-europe-west-production-b63',
      'default-payments-api-team-storefront-europe-west-production-b63',
    ],
    // 64: cut to 57 (the 57th is a letter) + 5 hex digits.
    [
      'payments-api-team-storefront-europe-west-production-b640',
      'default-payments-api-team-storefront-europe-west-producti-bfb52',
    ],
    [
      'payments-api-team-storefront-europe-west-production-blue-green',
      'default-payments-api-team-storefront-europe-west-producti-161a2',
    ],
    // The 57th character is `-`: cut to 56 + 6 hex digits, never two dashes.
    [
      'edge-fleet-examples-multi-cluster-helm-kustomize-manifests',
      'default-edge-fleet-examples-multi-cluster-helm-kustomize-08e08f',
    ],
  ])('%s → %s', (bundleDeployment, id) => {
    expect(fleetObjectsetId(bundleDeployment)).toBe(id);
    expect(id.length).toBeLessThanOrEqual(63);
  });

  it('joins any number of parts with a dash', () => {
    expect(safeConcatName('fleet-agent-bootstrap', 'x')).toBe('fleet-agent-bootstrap-x');
  });
});
