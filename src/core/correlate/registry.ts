import type { RuleInfo } from './rule';
import { appGeneratorRule } from './rules/appGenerator';
import { argocdUiEditRule } from './rules/argocdUiEdit';
import { cascadeRule } from './rules/cascade';
import { driftRule } from './rules/drift';
import { fleetCommitRule } from './rules/fleetCommit';
import { gitopsApplyRule } from './rules/gitopsApply';
import { impersonationRule } from './rules/impersonation';
import { rancherAceRule } from './rules/rancherAce';
import { rancherProxyRule } from './rules/rancherProxy';
import { rbacContextRule } from './rules/rbacContext';
import { syncTriggerRule } from './rules/syncTrigger';

/** Every link rule, in the order the engine applies them (DESIGN.md §3). registry.test.ts checks it is complete. */
export const LINK_RULES: readonly RuleInfo[] = [
  impersonationRule,
  rancherProxyRule,
  argocdUiEditRule,
  rancherAceRule,
  appGeneratorRule,
  gitopsApplyRule,
  syncTriggerRule,
  fleetCommitRule,
  rbacContextRule,
  driftRule,
  // Applied first: a controller's consequence takes its cause's story instead of its own.
  cascadeRule,
];
