/** What a check produces: the contract between the flow (check.ts), waivers and the reports. */
import type { InputKind, SourceLocation } from "./model";
import type { Severity } from "./rules";

export interface Finding {
  rule: string;
  severity: Severity;
  address: string;
  message: string;
  symptom: string;
  fix: string;
  title: string;
  /** The input (path) the finding came from. */
  input: string;
  related: string[];
  location?: SourceLocation;
  /** By a .wafguard.yml waiver, or by an inline suppression (`inline`: where it is written, `main.tf:12`). */
  waived?: { reason: string; expires?: string; inline?: string };
  /** The finding rests on a resource whose count/for_each is not known before apply: it holds if that resource is created. */
  conditional?: true;
  /** A waiver or inline suppression matched but has expired: the finding counts again. */
  waiver_expired?: { reason: string; expires: string; inline?: string };
}

/** Not a finding: something about the run the reader should act on (an inline suppression that matches nothing). */
export interface Notice {
  kind: "stale-suppression";
  message: string;
  rule: string;
  /** The block the suppression is written on. */
  address: string;
  at: SourceLocation;
}

export interface InputSummary {
  path: string;
  kind: InputKind;
  resources: number;
  checked: number;
  /** The resources the rules checked, by type. */
  types?: Record<string, number>;
  /** What could not be read (a module not downloaded). */
  notes?: string[];
}

export interface CheckResult {
  inputs: InputSummary[];
  findings: Finding[];
  /** The rule IDs evaluated (after --rule and --skip-rule). Default: every rule. */
  rules?: string[];
  notices?: Notice[];
  /** Findings left out because the --baseline records them. */
  baselined?: number;
}

