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
  waived?: { reason: string; expires?: string };
  /** The finding rests on a resource whose count/for_each is not known before apply: it holds if that resource is created. */
  conditional?: true;
  /** A waiver matched but has expired: the finding counts again. */
  waiver_expired?: { reason: string; expires: string };
}

export interface InputSummary {
  path: string;
  kind: InputKind;
  resources: number;
  checked: number;
  /** What could not be read (a module not downloaded). */
  notes?: string[];
}

export interface CheckResult {
  inputs: InputSummary[];
  findings: Finding[];
}

