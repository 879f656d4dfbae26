/** wafguard's library API: the same flow as the CLI, for tools and tests. */
export { check, compareFindings, exitCodeFor, summarize, type CheckOptions, type CheckResult, type Finding, type FailOn } from "./check";
export { InputError, UsageError } from "./errors";
export { evaluate, type RawFinding } from "./engine/policy";
export { detectKind, loadInput, loadInputAsync, STREAM_ABOVE_BYTES } from "./load";
export type { Edge, InputKind, LoadedInput, Model, ModelResource } from "./model";
export { formatReport, FORMATS, type Format } from "./report";
export { allRules, findRule, modelTypes, type Rule, type Severity } from "./rules";
export { applyBaseline, fingerprint, readBaseline, writeBaseline } from "./baseline";
export type { Notice } from "./findings";
export * from "./traffic";
