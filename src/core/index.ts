/** The only entry point code outside core imports. */
export * from './model';
export type { RawLine } from './parse/types';
export { ParseSession, LineParser, parseLines, DEFAULT_MAX_LINE_BYTES } from './parse/session';
export { LineRecorder, type RecordedLines, type Withhold } from './parse/recorded';
export type { ParseOptions, ParseSummary, SkipStat, WithheldEvent } from './parse/session';
export { redactNotice, redactRawLine } from './parse/rawLine';
export { redactSecrets, scrubText, REDACTED, WITHHELD } from './parse/redact';
export { ClusterTraffic, DEFAULT_CLUSTER, type ClusterShape } from './generate/noise';
export { seededRng, type Rng } from './generate/random';
export { buildAllChains, buildChains, isEffect, selectChains, type TraceSelection } from './correlate/engine';
export { blastRadius, consequenceIndex, countByKind } from './correlate/consequences';
export {
  ALL_ROUTINE,
  ROUTINE_CLASSES,
  describeExcluded,
  excludeRoutine,
  parseRoutineClasses,
  routineClassOf,
  withholdRoutine,
  type ExcludedCounts,
  type RoutineClass,
} from './routine/classes';
export { routineLineFilters } from './logql/routineFilters';
export { chainToJson, type ChainJson } from './correlate/chainJson';
export { changeSummary, diffLine } from './diff/describe';
export { GIT_HOST_KINDS, type GitHostKind } from './links/gitHost';
export type { LinkSettings } from './correlate/change';
export { DEFAULT_OPTIONS, type CorrelateOptions } from './correlate/options';
export { clientAddress, trustedRanges } from './correlate/clientAddress';
export { LINK_RULES } from './correlate/registry';
export { eventsBehind } from './correlate/eventsBehind';
export { objectName, startedByText, targetName } from './correlate/rule';
export { generate, scenarioNames, type GenerateOptions, type Generated } from './generate/generate';
export type { TruthChain, LogFile } from './generate/scenarios';
export { lineQuery, renderLogQuery, renderCountQuery, renderSelector, type LogQuery } from './logql/builder';
export {
  effectsQuery,
  causeQueries,
  clusterSelectors,
  DEFAULT_SELECTORS,
  type Question,
  type StreamSelectors,
} from './logql/questions';
export { quote, regexAnyOf, regexLiteral } from './logql/strings';
export { LokiClient, LokiError, decodeStreams, type FetchLike, type LokiClientOptions } from './loki/client';
export {
  pushEntryOf,
  pushBodies,
  pushBody,
  pushEntries,
  refusedLines,
  type PushEntry,
  type PostLike,
  type PushReport,
} from './loki/push';
export { phaseOneQuery, traceOverLoki, type LokiTrace } from './loki/twoPhase';
export { chainRecords, rawQueryOf } from './loki/chainRecords';
export { explorePanesUrl } from './loki/explore';
export { chainsMarkdown, checkTimeZone, type ReportChain, type ReportOptions } from './report/markdown';
export { chainsReportJson, type ReportJson, type StoryJson } from './report/json';
export type { LokiTransport } from './loki/transport';
export { decodeLokiFrames, framesFromJson, type FrameLike } from './loki/frames';
export { readRange, type PageFetcher, type PagingOptions } from './loki/paging';
export { ALERT_RULES, ruleLogQL } from './alerts/catalog';
export {
  ACTOR,
  BY_A_PERSON,
  DEFAULT_ALERT_SETTINGS,
  kubeAuditQuery,
  WRITES,
  type AlertRule,
  type AlertSettings,
} from './alerts/rule';
export { alertDashboardLink, DASHBOARD_UID, recordedChainLink } from './alerts/dashboardLink';
export * from './watch';
export {
  failedSourceHealth,
  guideAnchor,
  HEALTH_SOURCES,
  healthStepMs,
  metricPoints,
  perMinuteQuery,
  sampleQuery,
  SHIPPING_GUIDE,
  sourceHealth,
  type HealthSource,
  type SourceHealth,
} from './loki/health';
