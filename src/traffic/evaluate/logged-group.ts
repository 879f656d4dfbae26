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

/**
 * Label namespaces of AWS managed rule groups (AWS WAF Developer Guide, "AWS Managed Rules rule groups list",
 * "Types of token labels in AWS WAF": token labels, awswaf:managed:token: and awswaf:managed:captcha:, come from
 * the bot and fraud control groups). `own`: what the group adds; `maybe`: what it may add along with others.
 * A group's logged labels are added when it runs; other groups' labels in the record are not its own (a group
 * evaluated later added them).
 */
const TOKEN_LABELS = ["awswaf:managed:token:", "awswaf:managed:captcha:"];
const NAMESPACES: Record<string, { own: string[]; maybe?: string[] }> = {
  AWSManagedRulesCommonRuleSet: { own: ["awswaf:managed:aws:core-rule-set:"] },
  AWSManagedRulesKnownBadInputsRuleSet: { own: ["awswaf:managed:aws:known-bad-inputs:"] },
  AWSManagedRulesSQLiRuleSet: { own: ["awswaf:managed:aws:sql-database:"] },
  AWSManagedRulesAmazonIpReputationList: { own: ["awswaf:managed:aws:amazon-ip-list:"] },
  AWSManagedRulesAnonymousIpList: { own: ["awswaf:managed:aws:anonymous-ip-list:"] },
  AWSManagedRulesBotControlRuleSet: { own: ["awswaf:managed:aws:bot-control:", ...TOKEN_LABELS] },
  AWSManagedRulesATPRuleSet: { own: ["awswaf:managed:aws:atp:", ...TOKEN_LABELS] },
  AWSManagedRulesACFPRuleSet: { own: ["awswaf:managed:aws:acfp:", ...TOKEN_LABELS] },
  AWSManagedRulesAntiDDoSRuleSet: { own: ["awswaf:managed:aws:anti-ddos:"], maybe: TOKEN_LABELS },
  AWSManagedRulesAdminProtectionRuleSet: { own: ["awswaf:managed:aws:admin-protection:"] },
  AWSManagedRulesLinuxRuleSet: { own: ["awswaf:managed:aws:linux-os:"] },
  AWSManagedRulesUnixRuleSet: { own: ["awswaf:managed:aws:posix-os:"] },
  AWSManagedRulesWindowsRuleSet: { own: ["awswaf:managed:aws:windows-os:"] },
  AWSManagedRulesPHPRuleSet: { own: ["awswaf:managed:aws:php-app:"] },
  AWSManagedRulesWordPressRuleSet: { own: ["awswaf:managed:aws:wordpress-app:"] },
};
/** Namespaces some known group owns: a group wafguard does not know (third-party, newer) cannot add those. */
const KNOWN = [...new Set(Object.values(NAMESPACES).flatMap((n) => n.own))];
const startsWithAny = (l: string, prefixes: readonly string[]): boolean => prefixes.some((p) => l.startsWith(p));

/** The label namespaces a group can add (all managed labels for a group wafguard does not know). */
export const groupNamespaces = (groupName: string): readonly string[] => NAMESPACES[groupName]?.own ?? ["awswaf:managed:"];

/** Adds the record's labels that this group can have added: certain for its own namespaces, else "maybe". */
function addGroupLabels(req: Request, groupName: string): void {
  const labels = req.record.labels;
  if (!labels || labels.length === 0) return;
  const ns = NAMESPACES[groupName];
  for (const { name } of labels) {
    if (ns) {
      if (startsWithAny(name, ns.own)) req.labels.add(name);
      else if (ns.maybe && startsWithAny(name, ns.maybe)) req.maybeLabels.add(name);
    } else if (name.startsWith("awswaf:managed:") && !startsWithAny(name, KNOWN)) req.maybeLabels.add(name);
  }
}

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
  addGroupLabels(req, groupName);
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
  for (const n of groupNamespaces(groupName)) req.maybeLabels.add(n);
  const why = `rule group ${groupName}: sub-rules after ${t.ruleId} were not evaluated in the logged request`;
  req.uncertain(why);
  return unknown ? { match: UNKNOWN, action: "BLOCK", subRule: null, why, alt: unknown } : { match: UNKNOWN, action: "BLOCK", subRule: null, why };
}
