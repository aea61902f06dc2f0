export { decodeCheckpoint, encodeCheckpoint, resumeAt, type Checkpoint, type ResumeReason } from './checkpoint';
export { health, newStatus, renderMetrics, type WatchCounters, type WatchStatus } from './metrics';
export { recordedUntilMs } from './readBack';
export {
  LOKI_MAX_LINE_BYTES,
  newestVersions,
  PROGRESS_JOB,
  progressEntry,
  readProgress,
  planWrites,
  readRecorded,
  RECORDED_JOB,
  recordedLabels,
  recordedLine,
  recordedMeta,
  type Candidate,
  type RecordedChain,
  type RecordedEvidence,
  type RecordedVersion,
  type WritePlan,
} from './recorded';
export { defaultBackoff, recordedSelector, recordWindow, watch, type WatchConfig, type WatchDeps } from './watcher';
export {
  DEFAULT_WINDOW_MS,
  defaultLagMs,
  defaultPlan,
  marginOf,
  nextWindow,
  parseDuration,
  waitFor,
  windowAt,
  windowReadRange,
  type Window,
  type WindowPlan,
} from './windows';
export {
  asChainJson,
  byEffectTime,
  gapNotice,
  readRecordedOrLive,
  readRecordedRange,
  recordedNotices,
  type RecordedOrLive,
  type RecordedRange,
} from './readRecorded';
export { chainOfRecorded, isRecordedChain, type ChainOfRecorded } from './recordedChains';
