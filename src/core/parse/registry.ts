import { argocdJsonParser, argocdTextParser } from './argocd';
import { fleetLogrusTextParser, fleetZapConsoleParser, fleetZapParser } from './fleet';
import { gkeAuditParser } from './gkeAudit';
import { alloyEventJsonParser, alloyEventLogfmtParser, k8sEventJsonParser } from './k8sEvent';
import { kubeAuditParser } from './kubeAudit';
import { kubeAuditTextParser } from './kubeAuditText';
import { rancherAuditParser } from './rancherAudit';
import type { ObjectParser, TextParser } from './types';

/**
 * Every parser, in detection order. The first whose `detect` accepts a record owns it. Order matters where
 * shapes overlap: kube audit (`user.username`) before Rancher audit (`user.name`); Kubernetes Events
 * (`involvedObject`) before the log parsers; Fleet zap lines (`logger`, `ts`) before Argo CD logrus lines.
 * registry.test.ts fails if a parser module is missing here.
 */
export const OBJECT_PARSERS: readonly ObjectParser[] = [
  kubeAuditParser,
  gkeAuditParser,
  rancherAuditParser,
  k8sEventJsonParser,
  alloyEventJsonParser,
  fleetZapParser,
  argocdJsonParser,
];

export const TEXT_PARSERS: readonly TextParser[] = [
  kubeAuditTextParser,
  fleetLogrusTextParser,
  fleetZapConsoleParser,
  argocdTextParser,
  alloyEventLogfmtParser,
];
