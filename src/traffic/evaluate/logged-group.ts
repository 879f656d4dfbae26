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
  /** other terminating actions the group may have ended with instead (match UNKNOWN) */
  alt?: string[];
}

/** Whether a request passes a sub-rule's CAPTCHA or Challenge (token.ts): YES goes on, NO ends it, UNKNOWN. */
export type TokenCheck = (req: Request, kind: "CAPTCHA" | "CHALLENGE", loggedPass: boolean, loggedStop: boolean) => Match;

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
  token: TokenCheck,
): GroupOutcome {
  const namespace = NAMESPACES[groupName] ?? "awswaf:managed:";
  for (const l of req.record.labels ?? []) if (l.name.startsWith(namespace)) req.labels.add(l.name);
  // Terminating actions of sub-rules whose CAPTCHA/Challenge token the log cannot judge (they may have ended it).
  let unknown: string[] | null = null;
  let unknownRule: string | null = null;
  const undecided = (): GroupOutcome => ({ match: UNKNOWN, action: unknown![0]!, subRule: unknownRule, alt: unknown!.slice(1) });
  for (const m of entry.nonTerminatingMatchingRules) {
    const logged = (m.overriddenAction ?? m.action).toUpperCase();
    const planned = overrides.get(m.ruleId) ?? logged;
    if (!TERMINATING.has(planned)) continue;
    if (planned === "CAPTCHA" || planned === "CHALLENGE") {
      // Logged as a non-terminating CAPTCHA/Challenge match: the token passed it.
      const pass = token(req, planned, (m.action ?? "").toUpperCase() === planned, false);
      if (pass === YES) continue;
      if (pass === UNKNOWN) {
        (unknown ??= []).push(planned);
        unknownRule ??= m.ruleId;
        continue;
      }
    }
    return unknown ? { match: UNKNOWN, action: planned, subRule: m.ruleId, alt: unknown } : { match: YES, action: planned, subRule: m.ruleId };
  }
  const t = entry.terminatingRule;
  if (!t) return unknown ? undecided() : { match: NO, action: "COUNT", subRule: null };
  const planned = overrides.get(t.ruleId) ?? t.action.toUpperCase();
  let pass: Match = NO;
  if (planned === "CAPTCHA" || planned === "CHALLENGE") pass = token(req, planned, false, t.action.toUpperCase() === planned);
  if (TERMINATING.has(planned) && pass === NO) return unknown ? { match: UNKNOWN, action: planned, subRule: t.ruleId, alt: unknown } : { match: YES, action: planned, subRule: t.ruleId };
  if (pass === UNKNOWN) {
    (unknown ??= []).push(planned);
    unknownRule ??= t.ruleId;
  }
  req.maybeLabels.add(namespace);
  const why = `rule group ${groupName}: sub-rules after ${t.ruleId} were not evaluated in the logged request`;
  req.uncertain(why);
  return unknown ? { match: UNKNOWN, action: "BLOCK", subRule: null, why, alt: unknown } : { match: UNKNOWN, action: "BLOCK", subRule: null, why };
}
