/** The only entry point code outside core imports. */
export * from './model';
export type { RawLine } from './parse/types';
export { ParseSession, parseLines, DEFAULT_MAX_LINE_BYTES } from './parse/session';
export type { ParseOptions, ParseSummary, SkipStat } from './parse/session';
export { redactRawLine, redactSecrets, REDACTED } from './parse/redact';
export { kubeAuditNoiseLine } from './generate/noise';
export { seededRng, type Rng } from './generate/random';
export { buildChains, isEffect, type TraceSelection } from './correlate/engine';
export { chainToJson, type ChainJson } from './correlate/chainJson';
export { DEFAULT_OPTIONS, type CorrelateOptions } from './correlate/options';
export { LINK_RULES } from './correlate/registry';
export { generate, scenarioNames, type GenerateOptions, type Generated } from './generate/generate';
export type { TruthChain, LogFile } from './generate/scenarios';
