/** What a check produces: the contract between the flow (check.ts), waivers and the reports. */
import type { InputKind, SourceLocation } from "./model";
import type { Severity } from "./rules";
import type { TrafficRuleGroup, TrafficSummary } from "./traffic/replay";

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
  /** WG120-WG122: what the replay of the WAF logs found for this web ACL (traffic.md, "Output"). */
  traffic?: FindingTraffic;
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

/**
 * The `traffic` object of a traffic finding, in the JSON shape of traffic.md. WG120 carries the
 * newly blocked requests in `by_rule`; WG121 the logged attack-signature blocks the change lifts;
 * WG122 `uncertain_by_reason`.
 */
export interface FindingTraffic {
  records: number;
  from: string | null;
  to: string | null;
  newly_blocked?: number;
  newly_allowed?: number;
  uncertain?: number;
  clients?: number;
  by_rule?: TrafficRuleGroup[];
  uncertain_by_reason?: TrafficSummary["uncertain_by_reason"];
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
  /** With `--traffic`: what was read from the WAF logs for this input, and what could not be matched. */
  traffic?: InputTraffic;
}

export interface InputTraffic {
  files: number;
  records: number;
  /** Records per web ACL address of the plan. */
  matched: Record<string, number>;
  /** Records of web ACLs that are not in the plan: reported, never dropped silently. */
  unmatched: Array<{ webaclId: string; records: number }>;
  /** What the user must know about the replay (printed on stderr as notices too). */
  notes: string[];
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

