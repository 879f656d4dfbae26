/**
 * Logs vs. a change, per web ACL (traffic.md, "Replay" and "Output"): each logged request goes through the
 * planned web ACL (`after`); the logged action says what happened before. Replaying through the plan's `before`
 * checks that the plan describes the ACL that wrote the logs: where it certainly disagrees with the log, the
 * record is uncertain, not judged. Memory stays bounded: aggregates, never records.
 */

import type { Model } from "../model";
import { aclFromModel, type AclConfig } from "./acl";
import { compileAcl, evaluateRequest, leadingRateRule, RateState, type CompiledAcl, type Verdict } from "./evaluate";
import { parseWebAclArn, type LoggedRecord, type WafLogRecord } from "./log-record";

export interface TrafficPath {
  method: string;
  path: string;
  requests: number;
}
export interface TrafficRuleGroup {
  rule: string;
  managed_rule: string | null;
  requests: number;
  clients: number;
  paths: TrafficPath[];
}
/** Becomes model.traffic[<web ACL address>] (snake_case: Rego reads it). */
export interface TrafficSummary {
  records: number;
  /** ISO-8601 */
  from: string | null;
  to: string | null;
  /** exact: logged as let through, planned BLOCK/CAPTCHA/CHALLENGE */
  newly_blocked: number;
  /** exact: logged as blocked, planned let through */
  newly_allowed: number;
  /** the logs cannot say */
  uncertain: number;
  /** distinct clientIp among newly_blocked */
  clients: number;
  /** newly blocked, by the planned terminating rule; paths top 10 by requests */
  by_rule: TrafficRuleGroup[];
  /** WG121: newly allowed that the log blocked with an attack-signature rule */
  newly_allowed_attacks: TrafficRuleGroup[];
  /** WG122 */
  uncertain_by_reason: Array<{ reason: string; requests: number }>;
}
export interface TrafficReport {
  records: number;
  files: number;
  /** by web ACL address */
  acls: Map<string, TrafficSummary>;
  /** records of ACLs not in the plan: reported, not dropped */
  unmatched: Array<{ webaclId: string; records: number }>;
}

const TOP_PATHS = 10;
/** Distinct method+path kept per rule before the rarest are pruned (top-10 stays right for skewed traffic). */
const MAX_PATHS = 5000;

/** Requests by rule, with their clients and paths. */
class RuleTally {
  requests = 0;
  readonly clients = new Set<string>();
  readonly paths = new Map<string, number>();

  add(r: WafLogRecord): void {
    this.requests++;
    this.clients.add(r.httpRequest.clientIp);
    const key = `${r.httpRequest.httpMethod} ${r.httpRequest.uri}`;
    this.paths.set(key, (this.paths.get(key) ?? 0) + 1);
    if (this.paths.size > MAX_PATHS) {
      const counts = [...this.paths.values()].sort((a, b) => a - b);
      const cut = counts[Math.floor(counts.length / 2)]!;
      for (const [k, n] of this.paths) if (n <= cut) this.paths.delete(k);
    }
  }

  summary(rule: string, managed: string | null): TrafficRuleGroup {
    const paths = [...this.paths.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, TOP_PATHS)
      .map(([k, requests]) => {
        const space = k.indexOf(" ");
        return { method: k.slice(0, space), path: k.slice(space + 1), requests };
      });
    return { rule, managed_rule: managed, requests: this.requests, clients: this.clients.size, paths };
  }
}

class AclReplay {
  records = 0;
  from = Infinity;
  to = -Infinity;
  newlyBlocked = 0;
  newlyAllowed = 0;
  uncertain = 0;
  readonly clients = new Set<string>();
  readonly byRule = new Map<string, { rule: string; managed: string | null; tally: RuleTally }>();
  readonly attacks = new Map<string, { rule: string; managed: string | null; tally: RuleTally }>();
  readonly reasons = new Map<string, number>();
  private readonly beforeRate = new RateState();
  private readonly afterRate = new RateState();

  constructor(
    private readonly before: CompiledAcl | null,
    private readonly after: CompiledAcl | null,
    private readonly attackRules: Set<string>,
    shared: { before: string; after: string } | null,
  ) {
    if (shared) this.afterRate.mirror(shared.after, this.beforeRate, shared.before);
  }

  add(r: WafLogRecord): void {
    this.records++;
    if (r.timestamp < this.from) this.from = r.timestamp;
    if (r.timestamp > this.to) this.to = r.timestamp;
    const loggedBlocked = isBlocking(r.action);
    const replayed = this.before ? evaluateRequest(this.before, r, this.beforeRate) : null;
    const planned: Verdict | null = this.after ? evaluateRequest(this.after, r, this.afterRate) : null;
    if (replayed && replayed.certain && replayed.action !== r.action.toUpperCase()) {
      return this.unsure("the plan's current web ACL does not reproduce the logged action (logs of another configuration?)");
    }
    if (planned && !planned.certain) return this.unsure(planned.why ?? "cannot be decided from the log");
    const plannedBlocked = planned ? isBlocking(planned.action) : false;
    if (!loggedBlocked && plannedBlocked && planned) {
      this.newlyBlocked++;
      this.clients.add(r.httpRequest.clientIp);
      tally(this.byRule, planned.terminatingRule, planned.managedRule).add(r);
    } else if (loggedBlocked && !plannedBlocked) {
      this.newlyAllowed++;
      const { rule, managed } = loggedTerminating(r);
      if (this.attackRules.has(rule) || isAttackSignature(r)) tally(this.attacks, rule, managed).add(r);
    }
  }

  private unsure(reason: string): void {
    this.uncertain++;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  summary(): TrafficSummary {
    const groups = (m: Map<string, { rule: string; managed: string | null; tally: RuleTally }>): TrafficRuleGroup[] =>
      [...m.values()].map((g) => g.tally.summary(g.rule, g.managed)).sort((a, b) => b.requests - a.requests || (a.rule < b.rule ? -1 : 1));
    return {
      records: this.records,
      from: this.records ? new Date(this.from).toISOString() : null,
      to: this.records ? new Date(this.to).toISOString() : null,
      newly_blocked: this.newlyBlocked,
      newly_allowed: this.newlyAllowed,
      uncertain: this.uncertain,
      clients: this.clients.size,
      by_rule: groups(this.byRule),
      newly_allowed_attacks: groups(this.attacks),
      uncertain_by_reason: [...this.reasons.entries()].map(([reason, requests]) => ({ reason, requests })).sort((a, b) => b.requests - a.requests || (a.reason < b.reason ? -1 : 1)),
    };
  }
}

function tally(m: Map<string, { rule: string; managed: string | null; tally: RuleTally }>, rule: string, managed: string | null): RuleTally {
  const key = `${rule}\u0000${managed ?? ""}`;
  let g = m.get(key);
  if (!g) m.set(key, (g = { rule, managed, tally: new RuleTally() }));
  return g.tally;
}

const isBlocking = (action: string): boolean => {
  const a = action.toUpperCase();
  return a === "BLOCK" || a === "CAPTCHA" || a === "CHALLENGE";
};

/** The rule (and managed sub-rule) that ended the logged request. */
function loggedTerminating(r: WafLogRecord): { rule: string; managed: string | null } {
  let managed: string | null = null;
  if (r.terminatingRuleType === "MANAGED_RULE_GROUP" || r.terminatingRuleType === "GROUP") {
    managed = r.ruleGroupList?.find((g) => g.terminatingRule)?.terminatingRule?.ruleId ?? null;
  }
  return { rule: r.terminatingRuleId, managed };
}

/** Managed groups whose every rule is an attack signature, and CommonRuleSet's signature rules. */
const ATTACK_GROUPS = /#AWSManagedRules(SQLiRuleSet|KnownBadInputsRuleSet|LinuxRuleSet|UnixRuleSet|WindowsRuleSet|PHPRuleSet|WordPressRuleSet)\b/;
const ATTACK_SUB_RULES = /XSS|CrossSiteScripting|SQLi|LFI|RFI|SSRF|Log4J|JavaDeserialization|RestrictedExtensions/i;

function isAttackSignature(r: WafLogRecord): boolean {
  const g = r.ruleGroupList?.find((x) => x.terminatingRule);
  if (!g) return false;
  return ATTACK_GROUPS.test(g.ruleGroupId) || ATTACK_SUB_RULES.test(g.terminatingRule!.ruleId);
}

/** Custom rules of the logged ACL that detect attacks (SQLi/XSS statements). */
function attackRulesOf(acl: AclConfig | null): Set<string> {
  const out = new Set<string>();
  for (const rule of (acl?.values.rule as Array<Record<string, unknown>> | undefined) ?? []) {
    const text = JSON.stringify(rule.statement ?? null);
    if (/"(sqli|xss)_match_statement":\[\{/.test(text)) out.add(String(rule.name));
  }
  return out;
}

export async function replayChange(model: Model, logs: AsyncIterable<LoggedRecord>): Promise<TrafficReport> {
  const byArn = new Map<string, string>();
  // Without an ARN (a .tf input, an ACL the plan creates): scope + region + name, else scope + name
  // when only one web ACL of the plan has it. A name two ACLs share is never credited to either.
  const byName = new Map<string, string | null>();
  const nameKey = (scope: string, region: string, name: string) => `${scope}\u0000${region}\u0000${name}`;
  const addName = (key: string, address: string) => byName.set(key, byName.has(key) && byName.get(key) !== address ? null : address);
  const replays = new Map<string, AclReplay | null>();
  const configs = new Map<string, { before: AclConfig | null; after: AclConfig | null }>();
  for (const r of model.resources) {
    if (r.type !== "aws_wafv2_web_acl") continue;
    const before = aclFromModel(model, r.address, "before");
    const after = aclFromModel(model, r.address, "after");
    configs.set(r.address, { before, after });
    for (const c of [before, after]) {
      if (!c) continue;
      if (c.arn) byArn.set(c.arn, r.address);
      if (r.region) addName(nameKey(c.scope, r.region, c.name), r.address);
      addName(nameKey(c.scope, "", c.name), r.address);
    }
  }
  const replayFor = (address: string): AclReplay => {
    let replay = replays.get(address);
    if (!replay) {
      const { before, after } = configs.get(address)!;
      // A web ACL the plan creates has no `before`: the logged verdicts stand for it.
      // An unchanged leading rate-based rule counts the same requests in both: counted once.
      const lead = before && after ? [leadingRateRule(before), leadingRateRule(after)] : [];
      const shared = lead[0] && lead[1] && lead[0].json === lead[1].json ? { before: lead[0].id, after: lead[1].id } : null;
      replay = new AclReplay(before ? compileAcl(before, { logged: before }) : null, after ? compileAcl(after, { logged: before }) : null, attackRulesOf(before), shared);
      replays.set(address, replay);
    }
    return replay;
  };
  const unmatched = new Map<string, number>();
  const files = new Set<string>();
  let records = 0;
  let lastFile = "";
  for await (const { record, file } of logs) {
    records++;
    if (file !== lastFile) files.add((lastFile = file));
    const id = record.webaclId;
    let address = byArn.get(id);
    if (!address) {
      const parsed = parseWebAclArn(id);
      const region = id.split(":")[3] ?? "";
      if (parsed) address = byName.get(nameKey(parsed.scope, region, parsed.name)) ?? byName.get(nameKey(parsed.scope, "", parsed.name)) ?? undefined;
    }
    if (!address) {
      unmatched.set(id, (unmatched.get(id) ?? 0) + 1);
      continue;
    }
    replayFor(address).add(record);
  }
  const acls = new Map<string, TrafficSummary>();
  for (const [address, replay] of replays) if (replay) acls.set(address, replay.summary());
  return {
    records,
    files: files.size,
    acls,
    unmatched: [...unmatched.entries()].map(([webaclId, n]) => ({ webaclId, records: n })).sort((a, b) => b.records - a.records),
  };
}

