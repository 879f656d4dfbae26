/**
 * The scoped exception for a pattern of blocked requests, in AWS's recommended shape, as a change to the
 * web ACL's values (plan shape) that the replay verifies and the writers print:
 * - a managed sub-rule: `rule_action_override` to count it (AWS::WAFv2::WebACL RuleActionOverride), and a
 *   custom rule right after the group that blocks the sub-rule's label (LabelMatchStatement, scope LABEL:
 *   AWS WAF Developer Guide, "Label match examples") except for the pattern's method and route;
 * - a custom rule: its statement narrowed to leave the pattern's method and route alone.
 * Several exceptions of one sub-rule share one custom rule: label AND NOT(scope 1) AND NOT(scope 2)...,
 * which keeps the nesting within the provider's three levels of and/or/not.
 */
import type { Pattern } from "./patterns";
import { OTHER_PATHS } from "./patterns";
import { cidrContains } from "../engine/host-builtins";
import { routeRegex } from "./routes";

/** The scoped exception, one shape for the construct, the module and the writer. */
export interface WafException {
  /** managed rule group name, e.g. "AWSManagedRulesCommonRuleSet" */
  ruleGroup: string;
  /** the sub-rule to count, e.g. "SizeRestrictions_BODY" */
  rule: string;
  /** the label that sub-rule adds, as logged */
  label: string;
  /** exempt only this HTTP method (upper case) */
  method?: string;
  /** route template: "/orders/{id}/attachments"; "{name}" is one path segment */
  path: string;
}

export type ExceptionMode = "block" | "count";

/** One exception for one pattern, against one ACL rule. */
export type ExceptionChange =
  /** `action`: what the sub-rule did (BLOCK, CAPTCHA, CHALLENGE): the new rule keeps doing it outside the scope. */
  | { kind: "managed-sub-rule"; aclRule: string; exception: WafException; action?: string }
  | { kind: "custom-rule"; aclRule: string; method: string; path: string }
  /** A rate-based rule's limit raised to the observed peak per key over its window, plus RATE_MARGIN. */
  | { kind: "rate-limit"; aclRule: string; limit: number; peak: number; windowSec: number; keyType: string }
  /**
   * An IP-set rule: the set's entries that hold the pattern's clients removed (a block list), or the
   * clients added as /32 or /128 (an allow list the rule negates). `ipSet`: the set's key in AclConfig.ipSets.
   */
  | { kind: "ip-set"; aclRule: string; ipSet: string; remove: string[]; add: string[] };

/** Headroom above the observed peak when a rate limit is raised (AWS counts approximately). */
export const RATE_MARGIN = 0.2;
/** AWS WAF API Reference, RateBasedStatement: Limit is 10 to 2,000,000,000. */
const RATE_LIMIT_RANGE = [10, 2_000_000_000] as const;

/** The limit the logs justify: the peak per key in one window, with RATE_MARGIN headroom. */
export function raisedLimit(peak: number): number {
  return Math.min(RATE_LIMIT_RANGE[1], Math.max(RATE_LIMIT_RANGE[0], Math.ceil(peak * (1 + RATE_MARGIN))));
}

type Values = Record<string, unknown>;
type Block = Record<string, unknown>;

/** The exception a pattern calls for, or why none is offered. */
export function exceptionFor(
  pattern: Pattern,
  aclValues: Values | null,
  peaks?: Map<string, { peak: number; windowSec: number }>,
  ipSets?: (ruleName: string, arn: string) => { key: string; values: Values } | null,
): ExceptionChange | { notOffered: string } {
  if (pattern.path === OTHER_PATHS) return { notOffered: "routes beyond the pattern cap are grouped; no single scope to exempt" };
  if (!aclValues) return { notOffered: `web ACL ${pattern.web_acl} is not in the configuration given (give its plan with --plan, or its .tf or cdktf.out with --source)` };
  const rule = rulesOf(aclValues).find((r) => r.name === pattern.rule);
  if (!rule) return { notOffered: `rule "${pattern.rule}" is not in the configured web ACL` };
  const group = first(first(rule, "statement"), "managed_rule_group_statement");
  if (group) {
    if (!pattern.managed_rule) return { notOffered: "the log does not name the managed sub-rule that matched" };
    if (!pattern.label) return { notOffered: `the log shows no label of ${pattern.managed_rule}, so the exception cannot match it` };
    const exception: WafException = { ruleGroup: String(group.name), rule: pattern.managed_rule, label: pattern.label, path: pattern.path };
    if (pattern.method && pattern.method !== "*") exception.method = pattern.method;
    return { kind: "managed-sub-rule", aclRule: pattern.rule, exception, action: pattern.action };
  }
  if (first(first(rule, "statement"), "rule_group_reference_statement")) return { notOffered: "exceptions for your own rule groups are not written yet (count the sub-rule in the group itself)" };
  const rate = first(first(rule, "statement"), "rate_based_statement");
  if (rate) {
    const peak = peaks?.get(pattern.rule);
    if (!peak) return { notOffered: "no peak per key was measured for this rate-based rule (the logged requests did not carry its aggregation keys)" };
    const keyType = typeof rate.aggregate_key_type === "string" && rate.aggregate_key_type !== "" ? rate.aggregate_key_type : "IP";
    return { kind: "rate-limit", aclRule: pattern.rule, limit: raisedLimit(peak.peak), peak: peak.peak, windowSec: peak.windowSec, keyType };
  }
  const ipSetChange = ipSetException(pattern, rule, ipSets);
  if (ipSetChange) return ipSetChange;
  if (!first(rule, "action")) return { notOffered: `rule "${pattern.rule}" has no action block` };
  return { kind: "custom-rule", aclRule: pattern.rule, method: pattern.method, path: pattern.path };
}

/**
 * A rule that is an IP-set match (block list) or its negation (allow list): the set's change that lets
 * the pattern's clients through. Null when the rule is not one of these two shapes.
 */
function ipSetException(pattern: Pattern, rule: Block, ipSets: ((ruleName: string, arn: string) => { key: string; values: Values } | null) | undefined): ExceptionChange | { notOffered: string } | null {
  const statement = first(rule, "statement");
  const direct = first(statement, "ip_set_reference_statement");
  const negated = first(first(first(statement, "not_statement"), "statement"), "ip_set_reference_statement");
  const ref = direct ?? negated;
  if (!ref) return null;
  if (first(ref, "ip_set_forwarded_ip_config")) return { notOffered: "IP-set rules on a forwarded IP header: the logged client IP is not the one matched" };
  if (pattern.clients_capped) return { notOffered: `more than ${pattern.clients} clients: too many to list in an IP set` };
  const set = ipSets?.(String(rule.name), String(ref.arn ?? ""));
  if (!set) return { notOffered: "the IP set this rule references is not in the configuration" };
  const addresses = Array.isArray(set.values.addresses) ? (set.values.addresses as unknown[]).map(String) : [];
  const clients = [...pattern.client_ips];
  if (direct) {
    const remove = addresses.filter((cidr) => clients.some((ip) => cidrContains(cidr, ip) === true));
    if (remove.length === 0) return { notOffered: "none of the IP set's entries holds these clients" };
    return { kind: "ip-set", aclRule: pattern.rule, ipSet: set.key, remove, add: [] };
  }
  const add = clients.map((ip) => (ip.includes(":") ? `${ip}/128` : `${ip}/32`)).sort();
  return { kind: "ip-set", aclRule: pattern.rule, ipSet: set.key, remove: [], add };
}

/** The ACL's values with the exceptions applied (a copy; the input is not changed). */
export function applyExceptions(aclValues: Values, changes: ExceptionChange[], mode: ExceptionMode = "block"): Values {
  const values = structuredClone(aclValues);
  const rules = rulesOf(values);
  for (const [aclRule, exceptions] of groupManaged(changes)) {
    const rule = rules.find((r) => r.name === aclRule);
    const group = rule && first(first(rule, "statement"), "managed_rule_group_statement");
    if (!rule || !group) continue;
    for (const subRule of new Set(exceptions.map((e) => e.rule))) {
      const overrides = ((group.rule_action_override as Block[] | undefined) ?? []).filter((o) => o.name !== subRule);
      group.rule_action_override = [...overrides, countOverride(subRule)];
    }
    const added = exceptionRules(rule, exceptions, mode, subRuleActions(changes));
    insertAfter(rules, rule, added);
  }
  for (const [aclRule, scopes] of groupCustom(changes)) {
    const rule = rules.find((r) => r.name === aclRule);
    if (rule) rule.statement = [narrowedStatement(first(rule, "statement") ?? {}, scopes)];
  }
  for (const change of changes) {
    if (change.kind !== "rate-limit") continue;
    const rate = first(first(rules.find((r) => r.name === change.aclRule), "statement"), "rate_based_statement");
    if (rate) rate.limit = change.limit;
  }
  values.rule = rules;
  return values;
}

/** By ACL rule, the managed-sub-rule exceptions, in a stable order. */
export function groupManaged(changes: ExceptionChange[]): Map<string, WafException[]> {
  const out = new Map<string, WafException[]>();
  for (const c of changes) if (c.kind === "managed-sub-rule") (out.get(c.aclRule) ?? out.set(c.aclRule, []).get(c.aclRule)!).push(c.exception);
  return out;
}

/** By ACL rule, the scopes that custom-rule exceptions leave alone. */
export function groupCustom(changes: ExceptionChange[]): Map<string, Array<{ method: string; path: string }>> {
  const out = new Map<string, Array<{ method: string; path: string }>>();
  for (const c of changes) if (c.kind === "custom-rule") (out.get(c.aclRule) ?? out.set(c.aclRule, []).get(c.aclRule)!).push({ method: c.method, path: c.path });
  return out;
}

/** What each managed sub-rule did, by sub-rule name (default BLOCK). */
export function subRuleActions(changes: ExceptionChange[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of changes) if (c.kind === "managed-sub-rule" && c.action && !out.has(c.exception.rule)) out.set(c.exception.rule, c.action);
  return out;
}

export function countOverride(subRule: string): Block {
  return { name: subRule, action_to_use: [{ count: [{}] }] };
}

/** One custom rule per sub-rule of the group: block its label except where the exceptions live. */
export function exceptionRules(groupRule: Block, exceptions: WafException[], mode: ExceptionMode, actions: Map<string, string> = new Map()): Block[] {
  const bySubRule = new Map<string, WafException[]>();
  for (const e of exceptions) (bySubRule.get(e.rule) ?? bySubRule.set(e.rule, []).get(e.rule)!).push(e);
  const priority = Number(groupRule.priority);
  return [...bySubRule.entries()].map(([subRule, list], i) => {
    const name = exceptionRuleName(String(groupRule.name), subRule);
    return {
      name,
      priority: priority + 1 + i,
      action: [mode === "count" ? { count: [{}] } : { [(actions.get(subRule) ?? "BLOCK").toLowerCase()]: [{}] }],
      statement: [{ and_statement: [{ statement: [{ label_match_statement: [{ scope: "LABEL", key: list[0].label }] }, ...list.map((e) => exemptStatement(e.method, e.path))] }] }],
      visibility_config: [{ cloudwatch_metrics_enabled: true, metric_name: name, sampled_requests_enabled: true }],
    };
  });
}

export function exceptionRuleName(groupRule: string, subRule: string): string {
  return `${groupRule}-${subRule}-except`.replace(/[^0-9A-Za-z_-]/g, "-").slice(0, 128);
}

/** A custom rule's statement, leaving the given scopes alone: original AND NOT(scope)... */
export function narrowedStatement(statement: Block, scopes: Array<{ method: string; path: string }>): Block {
  return { and_statement: [{ statement: [statement, ...scopes.map((s) => exemptStatement(s.method, s.path))] }] };
}

/** NOT(the scope): what the exception leaves alone. */
export function exemptStatement(method: string | undefined, path: string): Block {
  return { not_statement: [{ statement: [scopeStatement(method, path)] }] };
}

/** method EXACTLY and uri_path matching the route's regex; the path alone when no method. */
function scopeStatement(method: string | undefined, path: string): Block {
  const none = [{ priority: 0, type: "NONE" }];
  const pathMatch = { regex_match_statement: [{ regex_string: routeRegex(path), field_to_match: [{ uri_path: [{}] }], text_transformation: none }] };
  if (!method || method === "*") return pathMatch;
  const methodMatch = { byte_match_statement: [{ search_string: method, positional_constraint: "EXACTLY", field_to_match: [{ method: [{}] }], text_transformation: none }] };
  return { and_statement: [{ statement: [methodMatch, pathMatch] }] };
}

/**
 * Put `added` right after `after`, at the priorities after its own; later rules whose priority would
 * collide move up by as many, keeping their order (priorities must all differ, AWS WAF API Reference, Rule).
 * WAF evaluates by priority, not list order: the new rules go at the end of the list, so that the rules
 * already there keep their index (the ACL's references are keyed by `rule.N...` paths).
 */
export function insertAfter(rules: Block[], after: Block, added: Block[]): void {
  const base = Number(after.priority);
  const taken = rules.some((r) => r !== after && Number(r.priority) > base && Number(r.priority) <= base + added.length);
  if (taken) for (const r of rules) if (r !== after && Number(r.priority) > base) r.priority = Number(r.priority) + added.length;
  rules.push(...added);
}

/**
 * The web ACL with the exceptions applied: its values, and its references (IP sets, regex pattern sets and
 * rule groups known by Terraform address) re-keyed where a narrowed statement moved them one level down.
 */
export function patchAcl<T extends { values: Values; references: Map<string, string>; ipSets: Map<string, Values> }>(acl: T, changes: ExceptionChange[], mode: ExceptionMode = "block"): T {
  const values = applyExceptions(acl.values, changes, mode);
  const references = new Map(acl.references);
  const ipSets = new Map(acl.ipSets);
  for (const c of changes) {
    if (c.kind !== "ip-set") continue;
    const before = ipSets.get(c.ipSet);
    if (!before) continue;
    const after = { ...before, addresses: ipSetAddresses(before, c) };
    for (const [k, v] of ipSets) if (v === before) ipSets.set(k, after); // known by address and by ARN
  }
  const rules = rulesOf(acl.values);
  for (const aclRule of groupCustom(changes).keys()) {
    const index = rules.findIndex((r) => r.name === aclRule);
    const from = `rule.${index}.statement.0.`;
    const to = `rule.${index}.statement.0.and_statement.0.statement.0.`;
    for (const [path, target] of acl.references) if (path.startsWith(from)) references.set(to + path.slice(from.length), target);
  }
  return { ...acl, values, references, ipSets };
}

/** The IP set's addresses after an ip-set change. */
export function ipSetAddresses(set: Values, c: Extract<ExceptionChange, { kind: "ip-set" }>): string[] {
  const addresses = Array.isArray(set.addresses) ? (set.addresses as unknown[]).map(String) : [];
  return [...addresses.filter((a) => !c.remove.includes(a)), ...c.add.filter((a) => !addresses.includes(a))];
}

/** Priority moves that insertAfter makes, by rule name (for the HCL writer, which edits lines). */
export function priorityShifts(rules: Block[], after: Block, count: number): Map<string, number> {
  const base = Number(after.priority);
  const out = new Map<string, number>();
  const taken = rules.some((r) => r !== after && Number(r.priority) > base && Number(r.priority) <= base + count);
  if (taken) for (const r of rules) if (r !== after && Number(r.priority) > base) out.set(String(r.name), Number(r.priority) + count);
  return out;
}

export function rulesOf(values: Values): Block[] {
  return Array.isArray(values.rule) ? (values.rule as Block[]) : [];
}

function first(v: Block | undefined, key: string): Block | undefined {
  const b = v?.[key];
  if (Array.isArray(b)) return b[0] !== null && typeof b[0] === "object" ? (b[0] as Block) : undefined;
  return b !== null && typeof b === "object" ? (b as Block) : undefined;
}

// ---- Writers: the same change as the construct's props and the module's input.

export function cdktfProps(exceptions: WafException[]): string {
  const item = (e: WafException) =>
    `  { ruleGroup: ${JSON.stringify(e.ruleGroup)}, rule: ${JSON.stringify(e.rule)}, label: ${JSON.stringify(e.label)},${e.method ? ` method: ${JSON.stringify(e.method)},` : ""} path: ${JSON.stringify(e.path)} },`;
  return `exceptions: [\n${exceptions.map(item).join("\n")}\n],`;
}

export function moduleInput(exceptions: WafException[]): string {
  const item = (e: WafException) =>
    `  { rule_group = ${JSON.stringify(e.ruleGroup)}, rule = ${JSON.stringify(e.rule)}, label = ${JSON.stringify(e.label)},${e.method ? ` method = ${JSON.stringify(e.method)},` : ""} path = ${JSON.stringify(e.path)} },`;
  return `exceptions = [\n${exceptions.map(item).join("\n")}\n]`;
}
