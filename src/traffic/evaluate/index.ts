/**
 * The WAFv2 request evaluator: what a web ACL does with one logged request (AWS WAF Developer Guide,
 * "How AWS WAF processes a web request", "Rule statements", "Text transformations").
 */

import type { AclConfig } from "../acl";
import type { WafLogRecord } from "../log-record";

export interface Verdict {
  /** the terminating outcome (COUNT is non-terminating) */
  action: "ALLOW" | "BLOCK" | "CAPTCHA" | "CHALLENGE";
  /** rule name as in the ACL, or "Default_Action" */
  terminatingRule: string;
  /** sub-rule name when the terminating rule is a (managed) rule group */
  managedRule: string | null;
  certain: boolean;
  /** when !certain: a short reason ("body not logged", "group counted as a whole", ...) */
  why?: string;
  labels: string[];
  /** custom response code, when set */
  responseCode?: number;
}

export interface CompiledAcl {
  readonly address: string;
  readonly name: string;
}

/** Per-ACL memory of rate-based rules across records (timestamps per aggregation key). */
export class RateState {}

export function compileAcl(acl: AclConfig): CompiledAcl {
  throw new Error(`compileAcl: not implemented yet (${acl.address})`);
}

export function evaluateRequest(acl: CompiledAcl, record: WafLogRecord, rate: RateState): Verdict {
  void record;
  void rate;
  throw new Error(`evaluateRequest: not implemented yet (${acl.address})`);
}
