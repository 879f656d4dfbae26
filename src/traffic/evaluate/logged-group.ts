/**
 * Managed rule groups (and rule groups the plan does not define) are opaque: what their sub-rules matched
 * is in the log (traffic.md, "Managed rule groups"; AWS WAF Developer Guide, "Log fields" and "Log examples";
 * Knowledge Center, "How are the metrics and logs formatted for the count rule action in AWS WAF?").
 * - A sub-rule counted by rule_action_override is logged in ruleGroupList[].nonTerminatingMatchingRules with
 *   `overriddenAction` for every matching request, and evaluation goes on: those predictions are exact.
 * - When the group ends (a sub-rule terminates, or override_action count counts the whole group), only the
 *   sub-rules up to that first terminating match are known: later sub-rules were never evaluated.
 */

import type { LoggedRuleGroup, WafLogRecord } from "../log-record";
import { NO, UNKNOWN, YES, type Match, type Request } from "./request";

/** Label namespaces of AWS managed rule groups (AWS WAF Developer Guide, "AWS Managed Rules rule groups list"). */
const NAMESPACES: Record<string, string> = {
  AWSManagedRulesCommonRuleSet: "awswaf:managed:aws:core-rule-set:",
  AWSManagedRulesKnownBadInputsRuleSet: "awswaf:managed:aws:known-bad-inputs:",
  AWSManagedRulesSQLiRuleSet: "awswaf:managed:aws:sql-database:",
  AWSManagedRulesAmazonIpReputationList: "awswaf:managed:aws:amazon-ip-list:",
  AWSManagedRulesAnonymousIpList: "awswaf:managed:aws:anonymous-ip-list:",
  AWSManagedRulesBotControlRuleSet: "awswaf:managed:aws:bot-control:",
  AWSManagedRulesAdminProtectionRuleSet: "awswaf:managed:aws:admin-protection:",
  AWSManagedRulesLinuxRuleSet: "awswaf:managed:aws:linux-os:",
  AWSManagedRulesUnixRuleSet: "awswaf:managed:aws:posix-os:",
  AWSManagedRulesWindowsRuleSet: "awswaf:managed:aws:windows-os:",
  AWSManagedRulesPHPRuleSet: "awswaf:managed:aws:php-app:",
  AWSManagedRulesWordPressRuleSet: "awswaf:managed:aws:wordpress-app:",
};

export const TERMINATING = new Set(["ALLOW", "BLOCK", "CAPTCHA", "CHALLENGE"]);

export interface GroupIdentity {
  /** `AWS#AWSManagedRulesCommonRuleSet`, or a rule group ARN */
  id: string;
  /** rule group name (for ARNs logged in another form) */
  name: string;
  managed: boolean;
}

export interface GroupOutcome {
  match: Match;
  action: string;
  subRule: string | null;
  why?: string;
}

export function findLoggedGroup(record: WafLogRecord, g: GroupIdentity): LoggedRuleGroup | undefined {
  for (const e of record.ruleGroupList ?? []) {
    const id = e.ruleGroupId;
    if (id === g.id || id.startsWith(g.id + "#")) return e;
    if (!g.managed && /:(regional|global)\/rulegroup\//.test(id) && id.split("/")[2] === g.name) return e;
  }
  return undefined;
}

/**
 * The planned group's outcome from the logged matches: the first logged match (in logged order) whose planned
 * action (rule_action_override, else the sub-rule's own action) terminates. Labels of the group are added
 * on `req`: exact when the log saw the whole group, otherwise the namespace is "maybe".
 */
export function groupFromLog(
  req: Request,
  entry: LoggedRuleGroup,
  groupName: string,
  overrides: Map<string, string>,
): GroupOutcome {
  const namespace = NAMESPACES[groupName] ?? "awswaf:managed:";
  for (const l of req.record.labels ?? []) if (l.name.startsWith(namespace)) req.labels.add(l.name);
  for (const m of entry.nonTerminatingMatchingRules) {
    const planned = overrides.get(m.ruleId) ?? (m.overriddenAction ?? m.action).toUpperCase();
    if (TERMINATING.has(planned)) return { match: YES, action: planned, subRule: m.ruleId };
  }
  const t = entry.terminatingRule;
  if (!t) return { match: NO, action: "COUNT", subRule: null };
  const planned = overrides.get(t.ruleId) ?? t.action.toUpperCase();
  if (TERMINATING.has(planned)) return { match: YES, action: planned, subRule: t.ruleId };
  req.maybeLabels.add(namespace);
  const why = `rule group ${groupName}: sub-rules after ${t.ruleId} were not evaluated in the logged request`;
  req.uncertain(why);
  return { match: UNKNOWN, action: "BLOCK", subRule: null, why };
}
