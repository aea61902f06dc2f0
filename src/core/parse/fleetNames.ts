import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/**
 * Names as Fleet makes them from parts (rancher/fleet internal/names/safeconcat.go `SafeConcatName`, the same
 * since wrangler's `name.SafeConcatName` that v0.10 used): the parts joined by `-`; from 64 characters on,
 * the first 57 characters, `-` and 5 hex digits of the SHA-256 of the whole joined name — or the first 56, `-`
 * and 6 digits when the 57th character is not a lowercase letter or digit. Kubernetes names are ASCII, so
 * characters are the bytes Go counts.
 */
export function safeConcatName(...parts: string[]): string {
  const full = parts.join('-');
  if (full.length < 64) {
    return full;
  }
  const digest = bytesToHex(sha256(utf8ToBytes(full)));
  return /[a-z0-9]/.test(full[56])
    ? `${full.slice(0, 57)}-${digest.slice(0, 5)}`
    : `${full.slice(0, 56)}-${digest.slice(0, 6)}`;
}

/**
 * The `objectset.rio.cattle.io/id` the Fleet agent puts on every object of a BundleDeployment
 * (internal/cmd/agent/deployer/desiredset/plan.go `GetSetID`: the agent's default namespace, `default`, then
 * the BundleDeployment's name; an agent started with a label suffix adds it, which we do not see in the logs).
 */
export function fleetObjectsetId(bundleDeployment: string): string {
  return safeConcatName('default', bundleDeployment);
}
