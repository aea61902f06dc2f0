import { renderCountQuery } from '../logql/builder';
import { DEFAULT_SELECTORS, type StreamSelectors } from '../logql/questions';
import { GITOPS_RULES } from './gitopsRules';
import { KUBE_RULES } from './kubeRules';
import type { AlertRule } from './rule';
import { VERDICT_RULES } from './verdictRules';

/** Every alert rule, in the order they are provisioned. Ids are unique (a test checks). */
export const ALERT_RULES: readonly AlertRule[] = [...KUBE_RULES, ...GITOPS_RULES, ...VERDICT_RULES];

/** The rule's metric LogQL on the given stream selectors: `sum by (…) (count_over_time(… [range]))`. */
export function ruleLogQL(rule: AlertRule, selectors: StreamSelectors = DEFAULT_SELECTORS): string {
  return renderCountQuery(rule.lines({ ...DEFAULT_SELECTORS, ...selectors }), rule.range, rule.by);
}
