/** The flow: load → Model → evaluate → findings (+ rule metadata) → filter and sort. */
import { applyWaivers, type Waiver } from "./waivers";
import { applyBaseline } from "./baseline";
import { applySuppressions } from "./suppressions";
import { UsageError } from "./errors";
import { evaluate } from "./engine/policy";
import { loadInputAsync } from "./load";
import type { CheckResult, Finding, FindingTraffic, InputSummary, Notice } from "./findings";
import type { InputKind, LoadedInput } from "./model";
import { allRules, findRule, optionValueProblem, SEVERITY_RANK, unknownOptionProblem, type Severity } from "./rules";
import type { TrafficOptions } from "./traffic/check-traffic";

export type { CheckResult, Finding, InputSummary, Notice } from "./findings";

export interface CheckOptions {
  kind?: InputKind;
  /** For plans: the directory of the .tf files, for source locations. */
  source?: string;
  /** Only these rule IDs. */
  rules?: string[];
  skipRules?: string[];
  /** Rule options (thresholds) handed to the policies as input.options. */
  options?: Record<string, unknown>;
  waivers?: Waiver[];
  /** YYYY-MM-DD, for waiver expiry. Default: today (UTC). */
  today?: string;
  /** Stream plans larger than this many bytes (tests use it to exercise streaming on small plans). */
  streamAbove?: number;
  /** Fingerprints of findings to leave out (--baseline; see baseline.ts). */
  baseline?: ReadonlySet<string>;
  /** WAF log files or directories: replayed against each input's web ACLs (WG120-WG122). */
  traffic?: string[];
  /** Notices about the traffic replay (records of other web ACLs, logs that match nothing). */
  onNotice?: TrafficOptions["onNotice"];
  onProgress?: TrafficOptions["onProgress"];
}

export async function check(paths: string[], options: CheckOptions = {}): Promise<CheckResult> {
  const only = normalizeRuleIds(options.rules);
  const skip = normalizeRuleIds(options.skipRules);
  for (const [key, value] of Object.entries(options.options ?? {})) {
    const problem = unknownOptionProblem(key) ?? optionValueProblem(key, value);
    if (problem) throw new UsageError(problem);
  }
  const inputs: InputSummary[] = [];
  const findings: Finding[] = [];
  const notices: Notice[] = [];
  const rules = allRules()
    .map((r) => r.id)
    .filter((id) => (!only || only.has(id)) && !skip?.has(id));
  for (const path of paths) {
    const loaded = await loadInputAsync(path, { kind: options.kind, source: options.source, streamAbove: options.streamAbove });
    const summary: InputSummary = { path, kind: loaded.kind, resources: loaded.resourceCount, checked: loaded.model.resources.length, types: countTypes(loaded), ...(loaded.notes ? { notes: loaded.notes } : {}) };
    if (options.traffic?.length) {
      // The log reader and the request evaluator are loaded only when there are logs to replay.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { joinTraffic } = require("./traffic/check-traffic") as typeof import("./traffic/check-traffic");
      summary.traffic = await joinTraffic(loaded, options.traffic, options);
    }
    inputs.push(summary);
    const own = checkModel(loaded, options, only, skip);
    notices.push(...applySuppressions(own, loaded, new Set(rules), options.today));
    findings.push(...own);
  }
  applyWaivers(findings, options.waivers ?? [], options.today);
  findings.sort(compareFindings);
  const result: CheckResult = { inputs, findings, rules, notices };
  if (options.baseline) {
    const { kept, suppressed } = applyBaseline(findings, options.baseline);
    result.findings = kept;
    result.baselined = suppressed;
  }
  return result;
}

function countTypes(loaded: LoadedInput): Record<string, number> {
  const types: Record<string, number> = {};
  for (const r of loaded.model.resources) types[r.type] = (types[r.type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(types).sort(([a], [b]) => cmp(a, b)));
}

/** Evaluates one loaded input and joins in the rule metadata. */
export function checkModel(loaded: LoadedInput, options: CheckOptions = {}, only = normalizeRuleIds(options.rules), skip = normalizeRuleIds(options.skipRules)): Finding[] {
  loaded.model.options = { ...options.options };
  const findings: Finding[] = [];
  for (const model of loaded.stackModels ?? [loaded.model]) {
    model.options = { ...options.options };

    const byAddress = new Map(model.resources.map((r) => [r.address, r]));
    // Stacks of one CDKTF app share the logs: each gets the replay of its own web ACLs.
    if (loaded.model.traffic) model.traffic = Object.fromEntries(Object.entries(loaded.model.traffic).filter(([acl]) => byAddress.has(acl)));
    for (const raw of evaluate(model)) {
      if ((only && !only.has(raw.rule)) || skip?.has(raw.rule)) continue;
      const rule = findRule(raw.rule);
      if (!rule) throw new Error(`policy returned a finding for unknown rule ${raw.rule}`);
      const finding: Finding = {
        rule: raw.rule,
        severity: (raw.severity as Severity | undefined) ?? rule.severity,
        address: raw.address,
        message: raw.message,
        symptom: raw.symptom ?? rule.symptom,
        fix: rule.fix,
        title: rule.title,
        input: loaded.path,
        related: raw.related ?? [],
      };
      if (raw.traffic) finding.traffic = raw.traffic as FindingTraffic;
      const source = byAddress.get(raw.address)?.source;
      if (source) finding.location = source;
      if ([raw.address, ...finding.related].some((a) => byAddress.get(a)?.conditional)) {
        finding.conditional = true;
        finding.message += " (if created: it rests on a resource whose count or for_each is not known before apply)";
      }
      findings.push(finding);
    }
  }
  return findings;
}

export function compareFindings(a: Finding, b: Finding): number {
  return cmp(a.rule, b.rule) || cmp(a.address, b.address) || cmp(a.input, b.input) || cmp(a.message, b.message);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function normalizeRuleIds(ids: string[] | undefined): Set<string> | undefined {
  if (!ids || ids.length === 0) return undefined;
  const known = new Set(allRules().map((r) => r.id));
  const out = new Set<string>();
  for (const id of ids.flatMap((x) => x.split(","))) {
    const upper = id.trim().toUpperCase();
    if (!known.has(upper)) throw new UsageError(`unknown rule ID "${id}"; wafguard rules lists them`);
    out.add(upper);
  }
  return out;
}

export type FailOn = Severity | "never";

export function summarize(findings: Finding[]): Record<Severity | "waived", number> {
  const s = { error: 0, warning: 0, info: 0, waived: 0 };
  for (const f of findings) {
    if (f.waived) s.waived++;
    else s[f.severity]++;
  }
  return s;
}

/** 1 when a finding that is not waived is at or above `failOn`, else 0. */
export function exitCodeFor(findings: Finding[], failOn: FailOn): 0 | 1 {
  if (failOn === "never") return 0;
  return findings.some((f) => !f.waived && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}
