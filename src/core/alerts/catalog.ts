import { renderCountQuery } from '../logql/builder';
import { DEFAULT_SELECTORS, type StreamSelectors } from '../logql/questions';
import { GITOPS_RULES } from './gitopsRules';
import { KUBE_RULES } from './kubeRules';
import { DEFAULT_ALERT_SETTINGS, type AlertRule, type AlertSettings } from './rule';
import { VERDICT_RULES } from './verdictRules';

/** Every alert rule, in the order they are provisioned. Ids are unique (a test checks). */
export const ALERT_RULES: readonly AlertRule[] = [...KUBE_RULES, ...GITOPS_RULES, ...VERDICT_RULES];

/** The rule's metric LogQL on the given stream selectors: `sum by (…) (count_over_time(… [range]))`. */
export function ruleLogQL(
  rule: AlertRule,
  selectors: StreamSelectors = DEFAULT_SELECTORS,
  settings: Partial<AlertSettings> = {}
): string {
  return renderCountQuery(
    rule.lines({ ...DEFAULT_SELECTORS, ...selectors }, { ...DEFAULT_ALERT_SETTINGS, ...settings }),
    rule.range,
    rule.by
  );
}
