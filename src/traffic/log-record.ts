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

/** The terminating actions AWS logs in a record's `action` (COUNT only from a web ACL's own count default). */
const ACTIONS = new Set(["ALLOW", "BLOCK", "COUNT", "CAPTCHA", "CHALLENGE"]);
/**
 * A record's timestamp is milliseconds since the epoch: from 2000-01-01 (AWS WAF logs began in 2018) to the
 * end of year 9999. Below that it is seconds (1.7e9 today) or no date at all, above it microseconds.
 */
const MIN_TIMESTAMP = 946_684_800_000;
const MAX_TIMESTAMP = 253_402_300_799_999;

/**
 * Checks that a parsed JSON value is a WAF log record (the fields the replay reads, with their types)
 * and returns it typed; otherwise returns what is wrong, for an InputError naming file and line.
 * A field AWS may leave out gets its default; a field that is there with the wrong type is an error,
 * never coerced. On the replay's hot path: typeof checks and a character scan for the IP, no regex.
 */
export function checkWafLogRecord(value: unknown): WafLogRecord | string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "not a WAF log record (expected a JSON object)";
  const r = value as Record<string, unknown>;
  if (typeof r.webaclId !== "string" || typeof r.httpRequest !== "object" || r.httpRequest === null) {
    return "not a WAF log record (no webaclId or httpRequest)";
  }
  if (Array.isArray(r.httpRequest)) return "WAF log record: httpRequest is not an object";
  const ts = r.timestamp;
  if (typeof ts !== "number") return "WAF log record without a timestamp in milliseconds";
  if (!(ts >= MIN_TIMESTAMP && ts <= MAX_TIMESTAMP) || !Number.isInteger(ts)) {
    return ts >= MIN_TIMESTAMP / 1000 && ts <= MAX_TIMESTAMP / 1000
      ? `WAF log record: timestamp ${ts} is in seconds; AWS writes milliseconds since the epoch`
      : `WAF log record: timestamp ${ts} is not milliseconds since the epoch (an integer, from the year 2000 on)`;
  }
  if (typeof r.action !== "string") return "WAF log record without an action";
  if (!ACTIONS.has(r.action)) return `WAF log record: action ${JSON.stringify(r.action.slice(0, 40))} is not one of ALLOW, BLOCK, COUNT, CAPTCHA, CHALLENGE`;
  if (typeof r.terminatingRuleId !== "string") return "WAF log record without a terminatingRuleId";
  if (r.terminatingRuleType === undefined) r.terminatingRuleType = "REGULAR";
  else if (typeof r.terminatingRuleType !== "string") return "WAF log record: terminatingRuleType is not a string";
  const h = r.httpRequest as Record<string, unknown>;
  if (typeof h.clientIp !== "string") return "WAF log record: httpRequest.clientIp is not a string";
  if (!isIpAddress(h.clientIp)) return `WAF log record: httpRequest.clientIp ${JSON.stringify(h.clientIp.slice(0, 60))} is not an IP address`;
  if (typeof h.uri !== "string") return "WAF log record: httpRequest.uri is not a string";
  if (typeof h.httpMethod !== "string") return "WAF log record: httpRequest.httpMethod is not a string";
  if (h.country === undefined) h.country = "";
  else if (typeof h.country !== "string") return "WAF log record: httpRequest.country is not a string";
  if (h.args === undefined) h.args = "";
  else if (typeof h.args !== "string") return "WAF log record: httpRequest.args is not a string";
  if (h.headers === undefined) h.headers = [];
  else if (!Array.isArray(h.headers)) return "WAF log record: httpRequest.headers is not an array";
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
        if (!isMatch(x.terminatingRule)) return "WAF log record: ruleGroupList[].terminatingRule must be { ruleId, action } strings";
      } else x.terminatingRule = null;
      if (x.nonTerminatingMatchingRules === undefined || x.nonTerminatingMatchingRules === null) x.nonTerminatingMatchingRules = [];
      else if (!Array.isArray(x.nonTerminatingMatchingRules)) return "WAF log record: ruleGroupList[].nonTerminatingMatchingRules is not an array";
      else if (!(x.nonTerminatingMatchingRules as unknown[]).every(isMatch)) return "WAF log record: ruleGroupList[].nonTerminatingMatchingRules[] must hold { ruleId, action } strings";
    }
  }
  if (r.nonTerminatingMatchingRules !== undefined && r.nonTerminatingMatchingRules !== null) {
    if (!Array.isArray(r.nonTerminatingMatchingRules)) return "WAF log record: nonTerminatingMatchingRules is not an array";
    if (!(r.nonTerminatingMatchingRules as unknown[]).every(isMatch)) return "WAF log record: nonTerminatingMatchingRules[] must hold { ruleId, action } strings";
  }
  if (r.rateBasedRuleList !== undefined && r.rateBasedRuleList !== null && !Array.isArray(r.rateBasedRuleList)) return "WAF log record: rateBasedRuleList is not an array";
  if (r.requestBodySize === null) delete r.requestBodySize;
  else if (r.requestBodySize !== undefined && typeof r.requestBodySize !== "number") return "WAF log record: requestBodySize is not a number";
  if (r.labels !== undefined && r.labels !== null) {
    if (!Array.isArray(r.labels) || !(r.labels as unknown[]).every((l) => typeof (l as { name?: unknown } | null)?.name === "string")) {
      return "WAF log record: labels[] must hold { name } strings";
    }
  }
  return r as unknown as WafLogRecord;
}

/** A logged rule match: a ruleId and an action, strings (an action left out reads as ""); overriddenAction a string or null. */
function isMatch(m: unknown): boolean {
  if (m === null || typeof m !== "object") return false;
  const x = m as { ruleId?: unknown; action?: unknown; overriddenAction?: unknown };
  if (typeof x.ruleId !== "string") return false;
  if (x.action === undefined) x.action = "";
  else if (typeof x.action !== "string") return false;
  if (x.overriddenAction === null) delete x.overriddenAction;
  else if (x.overriddenAction !== undefined && typeof x.overriddenAction !== "string") return false;
  return true;
}

/**
 * The shape of an IP address, cheaply (a character scan, no regex): IPv4 as four decimal octets up to 255,
 * or IPv6 as hex groups and colons (2 to 8 of them), possibly ending in an IPv4 address.
 */
export function isIpAddress(s: string): boolean {
  const n = s.length;
  if (n < 2 || n > 45) return false;
  if (s.indexOf(":") < 0) return isIpv4(s, 0);
  let colons = 0;
  let lastColon = -1;
  let group = 0; // hex digits in the current group, at most 4
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 58 /* : */) {
      colons++;
      lastColon = i;
      group = 0;
    } else if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)) {
      if (++group > 4) return false;
    } else if (c === 46 /* . */) group = 0; // an IPv4 tail, checked below
    else return false;
  }
  if (colons < 2 || colons > 8) return false;
  if (s.indexOf(".", lastColon) >= 0) return isIpv4(s, lastColon + 1); // ::ffff:192.0.2.1
  const gap = s.indexOf("::");
  return gap < 0 ? colons === 7 : s.indexOf("::", gap + 1) < 0;
}

function isIpv4(s: string, from: number): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = from; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return false;
    } else if (c === 46) {
      if (digits === 0) return false;
      parts++;
      value = 0;
      digits = 0;
    } else return false;
  }
  return parts === 4;
}

/** Web ACL name and scope from a webaclId ARN (`.../regional/webacl/NAME/ID`, `.../global/webacl/...`). */
export function parseWebAclArn(arn: string): { name: string; scope: "REGIONAL" | "CLOUDFRONT" } | null {
  const m = /^arn:aws[a-z-]*:wafv2:[^:]*:[^:]*:(regional|global)\/webacl\/([^/]+)\/[^/]+$/.exec(arn);
  if (!m) return null;
  return { name: m[2]!, scope: m[1] === "global" ? "CLOUDFRONT" : "REGIONAL" };
}
