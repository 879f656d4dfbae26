/**
 * The WAFv2 request evaluator: what a web ACL does with one logged request (AWS WAF Developer Guide, "How AWS
 * WAF processes a web request", "Rule actions", "Rule statements", "Overriding rule group actions"). Rules run
 * in priority order; ALLOW/BLOCK end the evaluation, COUNT adds labels and goes on, CAPTCHA and CHALLENGE end
 * it unless the request carries a valid token (token.ts); the default action decides when no rule terminates.
 * What the record cannot tell makes the verdict uncertain.
 */

import { first, type AclConfig } from "../acl";
import type { WafLogRecord } from "../log-record";
import { findLoggedGroup, groupFromLog, groupNamespaces, TERMINATING, type GroupIdentity } from "./logged-group";
import { RATE_DETECTION_LAG_MS, RATE_UNCERTAIN_BAND, RateState } from "./rate";
import { LabelMatcher, NO, Request, UNKNOWN, UNKNOWN_ACCOUNT, YES, type Match } from "./request";
import { compileStatement, isIpAddress, type Compiled } from "./statement";
import { immunityOf, isTokenAction, normal, tokenPasses, tokenSettings, type TokenRule } from "./token";
import { compileTransforms, toBinary } from "./transform";

export { RateState } from "./rate";

export interface Verdict {
  /** the terminating outcome (COUNT is non-terminating) */
  action: "ALLOW" | "BLOCK" | "CAPTCHA" | "CHALLENGE";
  /** rule name as in the ACL, or "Default_Action" */
  terminatingRule: string;
  /** sub-rule name when the terminating rule is a (managed) rule group */
  managedRule: string | null;
  /**
   * The action is what AWS would do. Rules the record cannot decide leave it certain when their action would
   * not change it (the terminating rule named is then the first that the record decides).
   */
  certain: boolean;
  /** when !certain: a short reason ("body not logged", "group counted as a whole", ...) */
  why?: string;
  labels: string[];
  /** custom response code, when set */
  responseCode?: number;
}

export interface CompileOptions {
  /**
   * The web ACL that wrote the logs (default: `acl` itself). What AWS does not publish (SQLi/XSS detection,
   * managed groups) is taken from the log only for rules and groups that the logged ACL has unchanged.
   * null: unknown (a web ACL that the plan creates).
   */
  logged?: AclConfig | null;
}

type Obj = Record<string, unknown>;

interface RuleResult {
  m: Match;
  /** effective action: ALLOW | BLOCK | COUNT | CAPTCHA | CHALLENGE */
  action: string;
  subRule: string | null;
  responseCode?: number;
  /** CAPTCHA/CHALLENGE: the request's token passes (YES: like a count), or not (NO: the action ends it), or unknown */
  pass?: Match;
  /** Other terminating actions the rule may have taken instead (an undecided rule of a rule group before it). */
  alt?: readonly string[];
}

/** Whether a result ends the evaluation: YES, NO, or UNKNOWN (a CAPTCHA/Challenge whose token the log cannot judge). */
const terminates = (r: RuleResult): Match => (!TERMINATING.has(r.action) ? NO : r.pass === undefined || r.pass === NO ? YES : r.pass === YES ? NO : UNKNOWN);

interface CompiledRule {
  name: string;
  labels: string[];
  run(req: Request, rate: RateState): RuleResult;
  /** A rate-based rule's counter in RateState. */
  rateCounter?: string;
}

export interface CompiledAcl {
  readonly address: string;
  readonly name: string;
  readonly rules: readonly CompiledRule[];
  readonly defaultAction: { action: "ALLOW" | "BLOCK"; responseCode?: number };
}

const blocks = (v: Obj | undefined, key: string): Obj[] => {
  const b = v?.[key];
  return Array.isArray(b) ? (b.filter((x) => x !== null && typeof x === "object") as Obj[]) : b !== null && typeof b === "object" ? [b as Obj] : [];
};
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const byPriority = (rules: Obj[]): Array<{ rule: Obj; index: number }> =>
  rules.map((rule, index) => ({ rule, index })).sort((a, b) => Number(a.rule.priority ?? 0) - Number(b.rule.priority ?? 0));

/** The action block's kind and custom response code: `{ block: [{ custom_response: [...] }] }`. */
function actionOf(action: Obj | undefined): { action: string; responseCode?: number } | null {
  if (!action) return null;
  for (const kind of ["allow", "block", "count", "captcha", "challenge"]) {
    const b = blocks(action, kind)[0];
    if (b) {
      const code = Number(first(b, "custom_response")?.response_code);
      return Number.isFinite(code) && code > 0 ? { action: kind.toUpperCase(), responseCode: code } : { action: kind.toUpperCase() };
    }
  }
  return null;
}

/** Compiles the web ACL once; evaluateRequest then runs it per record. */
export function compileAcl(acl: AclConfig, options: CompileOptions = {}): CompiledAcl {
  const logged = options.logged === undefined ? acl : options.logged;
  const knowledge = new LoggedKnowledge(logged);
  // Labels are fully qualified: awswaf:<account>:webacl:<name>: for the web ACL's own rules (labelPrefix).
  const account = accountOf(acl.arn ?? acl.values.arn) ?? accountOf(logged?.arn ?? logged?.values.arn) ?? UNKNOWN_ACCOUNT;
  const prefix = `awswaf:${account}:webacl:${str(acl.values.name) || acl.name}:`;
  const rules = byPriority(blocks(acl.values, "rule")).map(({ rule, index }) => compileRule(rule, `rule.${index}`, acl, knowledge, null, prefix));
  const def = actionOf(first(acl.values, "default_action"));
  return {
    address: acl.address,
    name: acl.name,
    rules,
    defaultAction: def?.action === "BLOCK" ? (def.responseCode ? { action: "BLOCK", responseCode: def.responseCode } : { action: "BLOCK" }) : { action: "ALLOW" },
  };
}

/** The account of a WAF ARN (arn:aws:wafv2:REGION:ACCOUNT:...). */
function accountOf(arn: unknown): string | null {
  const m = typeof arn === "string" ? /^arn:aws[a-z-]*:wafv2:[^:]*:(\d{12}):/.exec(arn) : null;
  return m ? m[1]! : null;
}

/**
 * The web ACL's first rule (by priority) when it is rate-based without a scope-down statement: it sees every
 * request, so two ACLs that start with the very same such rule count the same (replay.ts shares the count).
 * `id` is its key in RateState, `json` the whole rule.
 */
export function leadingRateRule(acl: AclConfig): { id: string; json: string } | null {
  const lead = byPriority(blocks(acl.values, "rule"))[0];
  if (!lead) return null;
  const rb = first(first(lead.rule, "statement"), "rate_based_statement");
  if (!rb || first(rb, "scope_down_statement")) return null;
  return { id: `rule.${lead.index}.statement.0:${str(lead.rule.name)}`, json: JSON.stringify(lead.rule) };
}

/** What the log can say about rules of the logged ACL: matched, evaluated without a match, or not known. */
class LoggedKnowledge {
  private readonly priorities = new Map<string, number>();
  private readonly statements = new Map<string, string>();
  private readonly groups = new Set<string>();
  /** Managed rule groups of the logged ACL: the statement and its indexed path (for its scope-down). */
  private readonly managed = new Map<string, { body: Obj; path: string }>();

  constructor(readonly acl: AclConfig | null) {
    blocks(acl?.values, "rule").forEach((rule, index) => {
      const name = str(rule.name);
      this.priorities.set(name, Number(rule.priority ?? 0));
      this.statements.set(name, JSON.stringify(rule.statement ?? null));
      const s = first(rule, "statement");
      const mg = first(s, "managed_rule_group_statement");
      if (mg) {
        const id = `${str(mg.vendor_name)}#${str(mg.name)}`;
        this.groups.add(id);
        if (!this.managed.has(id)) this.managed.set(id, { body: mg, path: `rule.${index}.statement.0.managed_rule_group_statement.0` });
      }
      const rg = first(s, "rule_group_reference_statement");
      if (rg) this.groups.add(str(rg.arn));
    });
  }

  /**
   * Why the logged matches of a managed rule group do not stand for the planned one: another version or other
   * managed_rule_group_configs (AWS: a version's rules and a configuration's settings decide what its rules
   * match). null when they are the same, or the logged ACL has no such group.
   */
  groupChange(mg: Obj): string | null {
    const logged = this.managed.get(`${str(mg.vendor_name)}#${str(mg.name)}`);
    if (!logged) return null;
    const key = (b: Obj) => JSON.stringify(normal([b.version, b.managed_rule_group_configs]));
    if (key(logged.body) === key(mg)) return null;
    const v = (b: Obj) => (typeof b.version === "string" && b.version ? b.version : "the default version");
    return str(logged.body.version) !== str(mg.version)
      ? `rule group ${str(mg.name)}: the plan runs ${v(mg)}, the log was written by ${v(logged.body)}`
      : `rule group ${str(mg.name)}: its managed_rule_group_configs changed since the log was written`;
  }

  /**
   * The logged ACL's scope-down statement of a managed group, compiled, when it differs from the planned one:
   * where it excluded a request, the log has no match list for a group the plan evaluates. A scope-down that
   * reads labels or adds them (label and geo match) is not replayed here (UNKNOWN). null: the same scope-down.
   */
  loggedScopeDown(mg: Obj): Compiled | null {
    const logged = this.managed.get(`${str(mg.vendor_name)}#${str(mg.name)}`);
    if (!logged || !this.acl) return null;
    const mine = first(logged.body, "scope_down_statement");
    if (JSON.stringify(normal(mine ?? null)) === JSON.stringify(normal(first(mg, "scope_down_statement") ?? null))) return null;
    if (!mine) return () => YES;
    if (/"(label_match|geo_match)_statement"/.test(JSON.stringify(mine))) return (req) => req.uncertain(`rule group ${str(mg.name)}: the logged web ACL's scope-down statement cannot be replayed`);
    return compileStatement(mine, { acl: this.acl, path: `${logged.path}.scope_down_statement.0`, logged: null, positive: true, whole: false, labelPrefix: "", reached: true });
  }

  /** The logged ACL has a rule of this name with this very statement. */
  sameRule(name: string, statement: unknown): boolean {
    return this.acl !== null && this.statements.get(name) === JSON.stringify(statement ?? null);
  }

  /** The logged ACL has this very rule with the same action and token settings (the ACL's and the rule's own). */
  sameTokenRule(rule: Obj, planned: AclConfig): boolean {
    if (this.acl === null || !this.sameTokenSettings(planned)) return false;
    const name = str(rule.name);
    const logged = blocks(this.acl.values, "rule").find((r) => str(r.name) === name);
    const key = (r: Obj) => JSON.stringify(normal([r.statement, r.action, r.captcha_config, r.challenge_config]));
    return logged !== undefined && key(logged) === key(rule);
  }

  /** The web ACL's token domains and immunity times are those of the logged ACL. */
  sameTokenSettings(planned: AclConfig): boolean {
    return this.acl !== null && tokenSettings(this.acl.values) === tokenSettings(planned.values);
  }

  hasGroup(id: string): boolean {
    return this.groups.has(id);
  }

  /** Whether the logged ACL evaluated rule `name` for this record (it comes before the logged terminating rule). */
  evaluated(record: WafLogRecord, name: string): boolean {
    if (record.terminatingRuleId === "Default_Action") return this.priorities.has(name);
    const mine = this.priorities.get(name);
    const end = this.priorities.get(record.terminatingRuleId);
    return mine !== undefined && end !== undefined && mine <= end;
  }

  /** The logged outcome of rule `name` (unchanged in the plan) for this record. */
  outcome(record: WafLogRecord, name: string): Match {
    if (record.terminatingRuleId === name) return YES;
    if ((record.nonTerminatingMatchingRules ?? []).some((m) => m.ruleId === name)) return YES;
    return this.evaluated(record, name) && record.terminatingRuleId !== name ? NO : UNKNOWN;
  }
}

interface GroupContext {
  /** Terraform address of a rule group defined in the plan (its edges resolve its references). */
  groupAddress: string;
  overrides: Map<string, string>;
}

/** `prefix`: the label prefix of the rule's context (the web ACL's, or its rule group's). */
function compileRule(rule: Obj, path: string, acl: AclConfig, knowledge: LoggedKnowledge, group: GroupContext | null, prefix: string): CompiledRule {
  const name = str(rule.name);
  const statement = first(rule, "statement");
  const labels = blocks(rule, "rule_label").map((l) => prefix + str(l.name));
  const own = actionOf(first(rule, "action")) ?? { action: "BLOCK" };
  // Inside a rule group, the web ACL's rule_action_override replaces a rule's action.
  const override = group?.overrides.get(name);
  const action = override ? { action: override } : own;
  const countGroup = blocks(first(rule, "override_action"), "count").length > 0;
  const same = group === null && knowledge.sameRule(name, rule.statement);
  const logged = same ? (req: Request) => knowledge.outcome(req.record, name) : null;
  const stmtPath = group ? `${group.groupAddress}:${path}.statement.0` : `${path}.statement.0`;
  const ctx = { acl, path: stmtPath, logged, positive: true, whole: true, labelPrefix: prefix };

  const mg = first(statement, "managed_rule_group_statement");
  const rg = first(statement, "rule_group_reference_statement");
  if (mg || rg) {
    const body = (mg ?? rg)!;
    const scopeDown = first(body, "scope_down_statement");
    const scope = scopeDown ? compileStatement(scopeDown, { ...ctx, path: `${stmtPath}.${mg ? "managed_rule_group_statement" : "rule_group_reference_statement"}.0.scope_down_statement.0`, logged: null, whole: false }) : null;
    const overrides = new Map<string, string>();
    for (const o of blocks(body, "rule_action_override")) {
      const a = actionOf(first(o, "action_to_use"));
      if (a) overrides.set(str(o.name), a.action);
    }
    for (const e of Array.isArray(body.excluded_rule) ? (body.excluded_rule as Obj[]) : []) overrides.set(str(e.name), "COUNT");
    const inner = mg ? managedGroup(mg, name, overrides, acl, knowledge) : ruleGroupReference(rg!, name, overrides, acl, knowledge, `${stmtPath}.rule_group_reference_statement.0.arn`);
    return {
      name,
      labels,
      run(req, rate) {
        if (scope) {
          const s = scope(req);
          if (s === NO) return { m: NO, action: "COUNT", subRule: null };
          if (s === UNKNOWN) return { m: UNKNOWN, action: "BLOCK", subRule: null };
        }
        const r = inner(req, rate);
        return countGroup ? { m: r.m, action: "COUNT", subRule: r.subRule } : r;
      },
    };
  }

  const rb = first(statement, "rate_based_statement");
  if (rb) return { name, labels, run: rateBased(rb, name, action, ctx, same ? knowledge : null), rateCounter: rateCounterId(ctx.path, name) };

  const test: Compiled = compileStatement(statement, ctx);
  // An unchanged rule whose match the record cannot decide (a body) but the log recorded: the logged outcome,
  // unless the statement reads labels or sets that the plan may change.
  const stable = same && !/"(label_match|ip_set_reference|regex_pattern_set_reference)_statement":\[\{/.test(JSON.stringify(rule.statement ?? null));
  const match: Compiled = !stable
    ? test
    : (req) => {
        const m = test(req);
        if (m !== UNKNOWN) return m;
        const o = knowledge.outcome(req.record, name);
        return o !== UNKNOWN ? o : m;
      };
  const kind = action.action;
  if (!isTokenAction(kind)) {
    const result = resultsOf(action);
    return { name, labels, run: (req) => result[match(req)] };
  }
  // CAPTCHA / Challenge: a matching request goes on when its token is valid (token.ts).
  const token: TokenRule = { kind, immunity: immunityOf(kind, rule, acl.values), sameTokenSettings: knowledge.sameTokenSettings(acl) };
  const sameToken = group === null && knowledge.sameTokenRule(rule, acl);
  const table = tokenResultsOf(action);
  return {
    name,
    labels,
    run(req) {
      const m = match(req);
      if (m === NO) return table[NO]![NO]!;
      const rec = req.record;
      const loggedPass = sameToken && (rec.nonTerminatingMatchingRules ?? []).some((x) => x.ruleId === name && x.action.toUpperCase() === kind);
      const loggedStop = sameToken && rec.terminatingRuleId === name && rec.action.toUpperCase() === kind;
      return table[m]![tokenPasses(req, token, loggedPass, loggedStop)]!;
    },
  };
}

/** A CAPTCHA or Challenge rule's results by match and by whether the token passes. */
function tokenResultsOf(action: { action: string; responseCode?: number }): ReadonlyArray<readonly RuleResult[]> {
  return [NO, YES, UNKNOWN].map((m) => [NO, YES, UNKNOWN].map((pass) => Object.freeze({ m: m as Match, ...action, subRule: null, pass: pass as Match })));
}

/**
 * A rule's three possible results (indexed by Match), made once rather than per rule and request: a
 * result is read, never changed.
 */
function resultsOf(action: { action: string; responseCode?: number }): readonly RuleResult[] {
  return [NO, YES, UNKNOWN].map((m) => Object.freeze({ m: m as Match, ...action, subRule: null }));
}

function managedGroup(mg: Obj, ruleName: string, overrides: Map<string, string>, acl: AclConfig, knowledge: LoggedKnowledge): (req: Request, rate: RateState) => RuleResult {
  const groupName = str(mg.name);
  const g: GroupIdentity = { id: `${str(mg.vendor_name)}#${groupName}`, name: groupName, managed: true };
  const changed = knowledge.groupChange(mg);
  if (changed) {
    // Its logged sub-rule matches were those of another version or configuration.
    return (req) => {
      for (const ns of groupNamespaces(groupName)) req.maybeLabels.add(ns);
      return { m: req.uncertain(changed), action: "BLOCK", subRule: null };
    };
  }
  return fromLog(g, ruleName, overrides, acl, knowledge, knowledge.loggedScopeDown(mg));
}

/**
 * `loggedScope`: the logged ACL's own scope-down of this group where it differs from the plan's (a request
 * it excluded has no logged match list although the planned group evaluates it).
 */
function fromLog(g: GroupIdentity, ruleName: string, overrides: Map<string, string>, acl: AclConfig, knowledge: LoggedKnowledge, loggedScope: Compiled | null = null): (req: Request) => RuleResult {
  const inLoggedAcl = knowledge.hasGroup(g.id);
  // A sub-rule's CAPTCHA/Challenge: its immunity time is the group's business (null: not known here).
  const sameTokenSettings = inLoggedAcl && knowledge.sameTokenSettings(acl);
  const token = (req: Request, kind: "CAPTCHA" | "CHALLENGE", loggedPass: boolean, loggedStop: boolean): Match =>
    tokenPasses(req, { kind, immunity: null, sameTokenSettings }, loggedPass, loggedStop);
  return (req) => {
    const entry = findLoggedGroup(req.record, g);
    if (!entry) {
      if (!inLoggedAcl) return { m: req.uncertain(`rule group ${g.name} is not in the logged web ACL`), action: "BLOCK", subRule: null };
      if (!knowledge.evaluated(req.record, ruleName)) return { m: req.uncertain(`rule group ${g.name} was not evaluated in the logged request (an earlier rule ended it)`), action: "BLOCK", subRule: null };
      if (loggedScope) {
        const pending = req.pending;
        const s = loggedScope(req);
        req.pending = pending;
        if (s !== YES) {
          for (const ns of groupNamespaces(g.name)) req.maybeLabels.add(ns);
          return { m: req.uncertain(`rule group ${g.name}: the logged web ACL's scope-down statement ${s === NO ? "excluded this request" : "may have excluded this request"}, the plan's does not`), action: "BLOCK", subRule: null };
        }
      }
      return { m: NO, action: "COUNT", subRule: null };
    }
    const r = groupFromLog(req, entry, g.name, overrides, token);
    return r.alt ? { m: r.match, action: r.action, subRule: r.subRule, alt: r.alt } : { m: r.match, action: r.action, subRule: r.subRule };
  };
}

/** A rule group of the plan is evaluated rule by rule; one the plan does not define, from the log. */
function ruleGroupReference(rg: Obj, ruleName: string, overrides: Map<string, string>, acl: AclConfig, knowledge: LoggedKnowledge, arnPath: string): (req: Request, rate: RateState) => RuleResult {
  const arn = str(rg.arn);
  const path = `rule`;
  let values = arn ? acl.ruleGroups.get(arn) : undefined;
  const to = acl.references.get(arnPath);
  if (!values && to) values = acl.ruleGroups.get(to);
  let address = "";
  if (values) for (const [k, v] of acl.ruleGroups) if (v === values && !k.startsWith("arn:")) address = k;
  const name = values ? str(values.name) : (arn.split("/")[2] ?? arn);
  if (!values) return fromLog({ id: arn, name, managed: false }, ruleName, overrides, acl, knowledge);
  // Its rules' labels: awswaf:<account>:rulegroup:<name>: (the account of the group, else of the web ACL).
  const account = accountOf(values.arn) ?? accountOf(acl.arn ?? acl.values.arn) ?? UNKNOWN_ACCOUNT;
  const prefix = `awswaf:${account}:rulegroup:${name}:`;
  const rules = byPriority(blocks(values, "rule")).map(({ rule, index }) => compileRule(rule, `${path}.${index}`, acl, knowledge, { groupAddress: address, overrides }, prefix));
  return (req, rate) => {
    // Terminating actions that an undecided rule before may have taken instead, and the first such rule.
    let unknown: string[] | null = null;
    let unknownRule: string | null = null;
    for (const rule of rules) {
      const r = rule.run(req, rate);
      if (r.m === NO) continue;
      const t = terminates(r);
      if (r.m === YES) {
        for (const l of rule.labels) req.labels.add(l);
        if (t === YES) {
          const out: RuleResult = { m: unknown ? UNKNOWN : YES, action: r.action, subRule: rule.name };
          if (r.responseCode) out.responseCode = r.responseCode;
          if (unknown || r.alt) out.alt = [...(unknown ?? []), ...(r.alt ?? [])];
          return out;
        }
      } else for (const l of rule.labels) req.maybeLabels.add(l);
      if (t !== NO) {
        (unknown ??= []).push(r.action);
        unknownRule ??= rule.name;
      }
      if (r.alt) (unknown ??= []).push(...r.alt);
    }
    if (!unknown) return { m: NO, action: "COUNT", subRule: null };
    return { m: UNKNOWN, action: unknown[0]!, subRule: unknownRule, alt: unknown.slice(1) };
  };
}

function rateBased(rb: Obj, name: string, action: { action: string; responseCode?: number }, ctx: Parameters<typeof compileStatement>[1], knowledge: LoggedKnowledge | null): (req: Request, rate: RateState) => RuleResult {
  const limit = Number(rb.limit ?? 0);
  const windowMs = Number(rb.evaluation_window_sec ?? 300) * 1000;
  const scopeDown = first(rb, "scope_down_statement");
  const scope = scopeDown ? compileStatement(scopeDown, { ...ctx, path: `${ctx.path}.rate_based_statement.0.scope_down_statement.0`, logged: null, whole: false }) : null;
  const key = aggregationKey(rb, ctx.labelPrefix);
  const id = rateCounterId(ctx.path, name);
  const result = resultsOf(action);
  return (req, rate) => {
    const out = (m: Match): RuleResult => result[m];
    if (scope) {
      const s = scope(req);
      if (s === NO) return out(NO);
      if (s === UNKNOWN) return out(UNKNOWN);
    }
    const k = key(req);
    if (k === NO || k === YES) return out(k);
    if (k === UNKNOWN) return out(UNKNOWN);
    const n = rate.count(id, k, req.record.timestamp, windowMs, req.record);
    const earlier = rate.lastEarlier;
    // The logged ACL's own decision, when it had this very rule: rateBasedRuleList, or its logged outcome.
    if (knowledge) {
      if ((req.record.rateBasedRuleList ?? []).some((r) => (r as { rateBasedRuleName?: unknown } | null)?.rateBasedRuleName === name)) return out(YES);
      const o = knowledge.outcome(req.record, name);
      if (o !== UNKNOWN) return out(o);
    }
    if (Math.abs(n - limit) <= limit * RATE_UNCERTAIN_BAND) return out(req.uncertain(`rate near the limit of ${name} (AWS counts approximately)`));
    // Certain only where the count was on the same side of the limit a detection delay earlier too.
    if (n > limit !== earlier > limit || Math.abs(earlier - limit) <= limit * RATE_UNCERTAIN_BAND) {
      return out(req.uncertain(`rate crossed the limit of ${name} within ${RATE_DETECTION_LAG_MS / 1000} s (AWS acts on a rate after a delay)`));
    }
    return out(n > limit ? YES : NO);
  };
}

const rateCounterId = (statementPath: string, name: string): string => `${statementPath}:${name}`;

/** The aggregation key of a request, or a direct outcome (forwarded IP fallback, a missing custom key). */
function aggregationKey(rb: Obj, labelPrefix: string): (req: Request) => string | Match {
  const type = str(rb.aggregate_key_type) || "IP";
  if (type === "CONSTANT") return () => "";
  if (type === "IP") return (req) => req.record.httpRequest.clientIp;
  if (type === "FORWARDED_IP") {
    const f = first(rb, "forwarded_ip_config");
    const header = str(f?.header_name);
    const fallback = str(f?.fallback_behavior) === "MATCH" ? YES : NO;
    // AWS WAF Developer Guide, "Forwarded IP address": the first address in the header; without the header the
    // rule does not apply at all (not counted, no fallback); a malformed address gets the fallback behavior.
    return (req) => {
      const v = req.header(header)[0];
      if (v === undefined) return NO;
      if (v === "REDACTED") return req.uncertain(`header ${header} redacted in the log`);
      const ip = v.split(",")[0]!.trim();
      return isIpAddress(ip) ? ip : fallback;
    };
  }
  const parts = blocks(rb, "custom_key").map((k) => customKey(k, labelPrefix));
  return (req) => {
    let key = "";
    for (const p of parts) {
      const v = p(req);
      if (typeof v !== "string") return v;
      key += v + "\u0000";
    }
    return key;
  };
}

function customKey(k: Obj, labelPrefix: string): (req: Request) => string | Match {
  const [kind, raw] = Object.entries(k).find(([, v]) => Array.isArray(v) && v.length > 0) ?? [];
  const opts = (Array.isArray(raw) ? raw[0] : undefined) as Obj | undefined;
  const ct = compileTransforms(opts?.text_transformation);
  const t = ct.fn;
  const alt = ct.alt?.fn;
  const key = (v: string, req: Request): string | Match => {
    const k = t(v);
    return alt && alt(v) !== k ? req.uncertain(`text transformation ${ct.alt!.types} of a rate-based key: AWS does not document this detail`) : k;
  };
  // A request without one of the keys is not counted by the rule (AWS: "the request is not rate limited").
  const one = (v: string | undefined, req: Request, what: string): string | Match => (v === undefined ? NO : v === "REDACTED" ? req.uncertain(`${what} redacted in the log`) : key(v, req));
  switch (kind) {
    case "header":
      return (req) => one(req.header(str(opts?.name))[0], req, `header ${str(opts?.name)}`);
    case "cookie":
      return (req) => one(req.cookies().find((c) => c.name === str(opts?.name))?.value, req, "cookie");
    case "query_argument":
      return (req) => one(req.queryArgs().find((a) => a.name.toLowerCase() === str(opts?.name).toLowerCase())?.value, req, "query argument");
    case "query_string":
      return (req) => one(req.args === "" ? undefined : req.args, req, "query string");
    case "http_method":
      return (req) => one(req.method, req, "method");
    case "uri_path":
      return (req) => one(req.uri, req, "URI path");
    case "ip":
      return (req) => req.record.httpRequest.clientIp;
    case "forwarded_ip":
      return (req) => req.uncertain("forwarded IP key: the rule's forwarded_ip_config is not applied by wafguard");
    case "label_namespace": {
      // Each fully qualified label of the namespace (API Reference, "RateLimitLabelNamespace").
      const ns = new LabelMatcher(toBinary(str(opts?.namespace)), true, labelPrefix);
      return (req) => {
        const names = [...req.labels].filter((l) => ns.matches(l)).sort();
        for (const l of req.maybeLabels) if (l.endsWith(":") ? ns.overlaps(l) : ns.matches(l)) return req.uncertain(`label namespace ${ns.key} depends on a rule the log cannot decide`);
        return names.length ? names.join(",") : NO;
      };
    }
    default:
      return (req) => req.uncertain(`rate-based custom key ${kind ?? "(none)"} not logged`);
  }
}

export function evaluateRequest(acl: CompiledAcl, record: WafLogRecord, rate: RateState): Verdict {
  const req = new Request(record);
  // Actions that an uncertain rule would have taken: the verdict is certain only if none differs.
  let alternatives: Array<{ action: string; why: string }> | null = null;
  for (const rule of acl.rules) {
    req.pending = null;
    const r = rule.run(req, rate);
    if (r.m === NO) continue;
    const t = terminates(r);
    if (r.m === YES) {
      for (const l of rule.labels) req.labels.add(l);
      if (t === YES && !r.alt) return verdict(req, r.action, rule.name, r.subRule, alternatives, r.responseCode);
    } else for (const l of rule.labels) req.maybeLabels.add(l);
    if (t === NO && !r.alt) continue;
    const why = req.pending ?? `${rule.name} cannot be decided from the log`; // made only where it is kept
    if (t !== NO) (alternatives ??= []).push({ action: r.action, why });
    if (r.alt) for (const a of r.alt) (alternatives ??= []).push({ action: a, why });
  }
  return verdict(req, acl.defaultAction.action, "Default_Action", null, alternatives, acl.defaultAction.responseCode);
}

function verdict(req: Request, action: string, rule: string, subRule: string | null, alternatives: Array<{ action: string; why: string }> | null, responseCode?: number): Verdict {
  const differing = alternatives?.find((a) => a.action !== action);
  const v: Verdict = {
    action: action as Verdict["action"],
    terminatingRule: rule,
    managedRule: subRule,
    certain: !differing,
    labels: [...req.labels],
  };
  if (differing) v.why = differing.why;
  if (responseCode !== undefined) v.responseCode = responseCode;
  return v;
}
