/**
 * The subset of an AWS WAF log record that wafguard reads, with AWS's field names.
 * Format: AWS WAF Developer Guide, "Log fields for protection pack (web ACL) traffic" and "Log examples"
 * (https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html, .../logging-examples.html).
 */

export interface LoggedRuleMatch {
  ruleId: string;
  action: string;
  /** The sub-rule's own action when a rule_action_override changed it (count phase). */
  overriddenAction?: string;
}

export interface LoggedRuleGroup {
  /** `AWS#AWSManagedRulesCommonRuleSet` (vendor#name, sometimes #version), or the rule group's ARN. */
  ruleGroupId: string;
  terminatingRule: null | { ruleId: string; action: string; ruleMatchDetails?: unknown };
  nonTerminatingMatchingRules: LoggedRuleMatch[];
  excludedRules: null | unknown[];
}

export interface WafLogRecord {
  /** ms since epoch */
  timestamp: number;
  /** ARN: arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID */
  webaclId: string;
  /** ALLOW | BLOCK | COUNT | CAPTCHA | CHALLENGE */
  action: string;
  /** rule name, or "Default_Action" */
  terminatingRuleId: string;
  /** REGULAR | RATE_BASED | GROUP | MANAGED_RULE_GROUP */
  terminatingRuleType: string;
  ruleGroupList?: LoggedRuleGroup[];
  nonTerminatingMatchingRules?: LoggedRuleMatch[];
  rateBasedRuleList?: unknown[];
  labels?: Array<{ name: string }>;
  httpSourceName?: string;
  httpSourceId?: string;
  httpRequest: {
    clientIp: string;
    country: string;
    headers: Array<{ name: string; value: string }>;
    uri: string;
    args: string;
    httpVersion?: string;
    httpMethod: string;
    requestId?: string;
  };
  requestBodySize?: number;
  requestBodySizeInspectedByWAF?: number;
  responseCodeSent?: number;
}

export interface LoggedRecord {
  record: WafLogRecord;
  file: string;
  line: number;
}

/** The value AWS writes in place of a field that the logging configuration redacts. */
export const REDACTED = "REDACTED";

/**
 * Checks that a parsed JSON value is a WAF log record (the fields the replay reads, with their types)
 * and returns it typed; otherwise returns what is wrong, for an InputError naming file and line.
 */
export function checkWafLogRecord(value: unknown): WafLogRecord | string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "not a WAF log record (expected a JSON object)";
  const r = value as Record<string, unknown>;
  if (typeof r.webaclId !== "string" || typeof r.httpRequest !== "object" || r.httpRequest === null) {
    return "not a WAF log record (no webaclId or httpRequest)";
  }
  // ms since the epoch, within what a Date can hold (the summary prints it as ISO-8601).
  if (typeof r.timestamp !== "number" || !(Math.abs(r.timestamp) <= 8.64e15)) return "WAF log record without a timestamp in milliseconds";
  if (typeof r.action !== "string") return "WAF log record without an action";
  if (typeof r.terminatingRuleId !== "string") return "WAF log record without a terminatingRuleId";
  if (typeof r.terminatingRuleType !== "string") r.terminatingRuleType = "REGULAR";
  const h = r.httpRequest as Record<string, unknown>;
  if (typeof h.clientIp !== "string") return "WAF log record: httpRequest.clientIp is not a string";
  if (typeof h.uri !== "string") return "WAF log record: httpRequest.uri is not a string";
  if (typeof h.httpMethod !== "string") return "WAF log record: httpRequest.httpMethod is not a string";
  if (typeof h.country !== "string") h.country = "";
  if (typeof h.args !== "string") h.args = "";
  if (!Array.isArray(h.headers)) h.headers = [];
  for (const header of h.headers as unknown[]) {
    const x = header as Record<string, unknown> | null;
    if (x === null || typeof x !== "object" || typeof x.name !== "string" || typeof x.value !== "string") {
      return "WAF log record: httpRequest.headers[] must hold { name, value } strings";
    }
  }
  if (r.ruleGroupList !== undefined && r.ruleGroupList !== null) {
    if (!Array.isArray(r.ruleGroupList)) return "WAF log record: ruleGroupList is not an array";
    for (const g of r.ruleGroupList as unknown[]) {
      const x = g as Record<string, unknown> | null;
      if (x === null || typeof x !== "object" || typeof x.ruleGroupId !== "string") return "WAF log record: ruleGroupList[] without ruleGroupId";
      if (x.terminatingRule !== null && x.terminatingRule !== undefined) {
        if (!isMatch(x.terminatingRule)) return "WAF log record: ruleGroupList[].terminatingRule without ruleId";
      } else x.terminatingRule = null;
      if (!Array.isArray(x.nonTerminatingMatchingRules)) x.nonTerminatingMatchingRules = [];
      else if (!(x.nonTerminatingMatchingRules as unknown[]).every(isMatch)) return "WAF log record: ruleGroupList[].nonTerminatingMatchingRules[] without ruleId";
    }
  }
  if (r.nonTerminatingMatchingRules !== undefined && r.nonTerminatingMatchingRules !== null) {
    if (!Array.isArray(r.nonTerminatingMatchingRules) || !(r.nonTerminatingMatchingRules as unknown[]).every(isMatch)) {
      return "WAF log record: nonTerminatingMatchingRules[] without ruleId";
    }
  }
  if (r.rateBasedRuleList !== undefined && r.rateBasedRuleList !== null && !Array.isArray(r.rateBasedRuleList)) return "WAF log record: rateBasedRuleList is not an array";
  if (r.requestBodySize !== undefined && typeof r.requestBodySize !== "number") delete r.requestBodySize;
  if (r.labels !== undefined && r.labels !== null) {
    if (!Array.isArray(r.labels) || !(r.labels as unknown[]).every((l) => typeof (l as { name?: unknown } | null)?.name === "string")) {
      return "WAF log record: labels[] must hold { name } strings";
    }
  }
  return r as unknown as WafLogRecord;
}

/** A logged rule match: a ruleId and an action (strings); a non-string overriddenAction is dropped. */
function isMatch(m: unknown): boolean {
  if (m === null || typeof m !== "object") return false;
  const x = m as { ruleId?: unknown; action?: unknown; overriddenAction?: unknown };
  if (typeof x.ruleId !== "string") return false;
  if (typeof x.action !== "string") x.action = "";
  if (x.overriddenAction !== undefined && typeof x.overriddenAction !== "string") delete x.overriddenAction;
  return true;
}

/** Web ACL name and scope from a webaclId ARN (`.../regional/webacl/NAME/ID`, `.../global/webacl/...`). */
export function parseWebAclArn(arn: string): { name: string; scope: "REGIONAL" | "CLOUDFRONT" } | null {
  const m = /^arn:aws[a-z-]*:wafv2:[^:]*:[^:]*:(regional|global)\/webacl\/([^/]+)\/[^/]+$/.exec(arn);
  if (!m) return null;
  return { name: m[2]!, scope: m[1] === "global" ? "CLOUDFRONT" : "REGIONAL" };
}
