/** The flow: load → Model → evaluate → findings (+ rule metadata) → filter and sort. */
import { applyWaivers, type Waiver } from "./waivers";
import { UsageError } from "./errors";
import { evaluate } from "./engine/policy";
import { loadInputAsync } from "./load";
import type { CheckResult, Finding, InputSummary } from "./findings";
import type { InputKind, LoadedInput } from "./model";
import { allRules, findRule, SEVERITY_RANK, type Severity } from "./rules";

export type { CheckResult, Finding, InputSummary } from "./findings";

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
}

export async function check(paths: string[], options: CheckOptions = {}): Promise<CheckResult> {
  const only = normalizeRuleIds(options.rules);
  const skip = normalizeRuleIds(options.skipRules);
  const inputs: InputSummary[] = [];
  const findings: Finding[] = [];
  for (const path of paths) {
    const loaded = await loadInputAsync(path, { kind: options.kind, source: options.source, streamAbove: options.streamAbove });
    inputs.push({ path, kind: loaded.kind, resources: loaded.resourceCount, checked: loaded.model.resources.length, ...(loaded.notes ? { notes: loaded.notes } : {}) });
    findings.push(...checkModel(loaded, options, only, skip));
  }
  applyWaivers(findings, options.waivers ?? [], options.today);
  findings.sort(compareFindings);
  return { inputs, findings };
}

/** Evaluates one loaded input and joins in the rule metadata. */
export function checkModel(loaded: LoadedInput, options: CheckOptions = {}, only = normalizeRuleIds(options.rules), skip = normalizeRuleIds(options.skipRules)): Finding[] {
  loaded.model.options = { ...options.options };
  const findings: Finding[] = [];
  for (const model of loaded.stackModels ?? [loaded.model]) {
    model.options = { ...options.options };
    const byAddress = new Map(model.resources.map((r) => [r.address, r]));
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

function normalizeRuleIds(ids: string[] | undefined): Set<string> | undefined {
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
