/**
 * replayChange: count-phase logs (sub-rule overrides, and a whole group counted) against planned web ACLs
 * that enforce, keep some sub-rules counted, add custom rules and change IP sets; records matched to web ACLs
 * by ARN or by name and scope; other ACLs' records reported, not dropped.
 */
import { strict as assert } from "node:assert";
import { replayChange } from "../src/traffic/replay";
import type { LoggedRuleGroup, WafLogRecord } from "../src/traffic/log-record";
import { aclValues, asLogs, byteMatch, groupRule, logRecord, model, resource, rule } from "./traffic-helpers";

const CRS = "AWSManagedRulesCommonRuleSet";
const ADDR = "aws_wafv2_web_acl.api";
type Obj = Record<string, unknown>;

const crsEntry = (terminating: string | null, counted: string[] = []): LoggedRuleGroup => ({
  ruleGroupId: `AWS#${CRS}`,
  terminatingRule: terminating ? { ruleId: terminating, action: "BLOCK" } : null,
  nonTerminatingMatchingRules: counted.map((ruleId) => ({ ruleId, action: "COUNT", overriddenAction: "BLOCK" })),
  excludedRules: null,
});

/** A request of a client to a path, logged with the given rule-group entry. */
const req = (ip: string, method: string, uri: string, over: Partial<WafLogRecord> = {}) =>
  logRecord({ ...over, httpRequest: { ...logRecord().httpRequest, clientIp: ip, httpMethod: method, uri } });

async function replay(before: Obj | null, after: Obj | null, records: WafLogRecord[], extra: ReturnType<typeof resource>[] = []) {
  const acl = resource(ADDR, after ?? {}, before, after ? (before ? "update" : "create") : "delete");
  return replayChange(model([acl, ...extra]), asLogs(records));
}

describe("traffic: replaying a change", () => {
  // Count phase with sub-rule overrides: every matching request records each counted sub-rule.
  const countPhase = aclValues([groupRule("common", 1, CRS, { overrides: { SizeRestrictions_BODY: "count", NoUserAgent_HEADER: "count" } })]);
  const subRuleLogs = [
    req("198.51.100.1", "POST", "/orders/1/attachments", { ruleGroupList: [crsEntry(null, ["SizeRestrictions_BODY"])], requestBodySize: 20000 }),
    req("198.51.100.2", "POST", "/orders/2/attachments", { ruleGroupList: [crsEntry(null, ["SizeRestrictions_BODY"])], requestBodySize: 30000 }),
    req("198.51.100.2", "POST", "/orders/2/attachments", { ruleGroupList: [crsEntry(null, ["SizeRestrictions_BODY"])], requestBodySize: 30000 }),
    req("198.51.100.3", "GET", "/health", { ruleGroupList: [crsEntry(null, ["NoUserAgent_HEADER"])] }),
    req("198.51.100.4", "GET", "/orders", { ruleGroupList: [crsEntry(null)] }),
  ];

  it("enforcing the group: exactly the counted matches become newly blocked, by sub-rule, path and client", async () => {
    const enforce = aclValues([groupRule("common", 1, CRS)]);
    const r = await replay(countPhase, enforce, subRuleLogs);
    const s = r.acls.get(ADDR)!;
    assert.equal(s.records, 5);
    assert.equal(s.newly_blocked, 4);
    assert.equal(s.uncertain, 0);
    assert.equal(s.clients, 3);
    assert.deepEqual(
      s.by_rule.map((g) => [g.rule, g.managed_rule, g.requests, g.clients]),
      [
        ["common", "SizeRestrictions_BODY", 3, 2],
        ["common", "NoUserAgent_HEADER", 1, 1],
      ],
    );
    assert.deepEqual(s.by_rule[0]!.paths, [
      { method: "POST", path: "/orders/2/attachments", requests: 2 },
      { method: "POST", path: "/orders/1/attachments", requests: 1 },
    ]);
    assert.equal(s.from, new Date(1683355579981).toISOString());
  });

  it("enforcing but keeping SizeRestrictions_BODY counted: only NoUserAgent_HEADER blocks", async () => {
    const r = await replay(countPhase, aclValues([groupRule("common", 1, CRS, { overrides: { SizeRestrictions_BODY: "count" } })]), subRuleLogs);
    const s = r.acls.get(ADDR)!;
    assert.deepEqual([s.newly_blocked, s.uncertain], [1, 0]);
    assert.equal(s.by_rule[0]!.managed_rule, "NoUserAgent_HEADER");
  });

  it("the exception shape (count the sub-rule, block its label except on one route): exact", async () => {
    const labelled = subRuleLogs.map((r) =>
      r.ruleGroupList![0]!.nonTerminatingMatchingRules.some((m) => m.ruleId === "SizeRestrictions_BODY") ? { ...r, labels: [{ name: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" }] } : r,
    );
    labelled.push(req("198.51.100.9", "POST", "/reports", { ruleGroupList: [crsEntry(null, ["SizeRestrictions_BODY"])], labels: [{ name: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" }] }));
    const exception = rule("size-exception", 2, {
      and_statement: [
        {
          statement: [
            { label_match_statement: [{ scope: "LABEL", key: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" }] },
            { not_statement: [{ statement: [{ and_statement: [{ statement: [byteMatch("method", "POST", "EXACTLY"), { regex_match_statement: [{ regex_string: "^/orders/[^/]+/attachments$", field_to_match: [{ uri_path: [{}] }], text_transformation: [{ priority: 0, type: "NONE" }] }] }] }] }] }] },
          ],
        },
      ],
    });
    const planned = aclValues([groupRule("common", 1, CRS, { overrides: { SizeRestrictions_BODY: "count" } }), exception]);
    const s = (await replay(countPhase, planned, labelled)).acls.get(ADDR)!;
    assert.equal(s.uncertain, 0);
    assert.deepEqual(
      s.by_rule.map((g) => [g.rule, g.managed_rule, g.requests]),
      [
        ["common", "NoUserAgent_HEADER", 1],
        ["size-exception", null, 1],
      ],
    );
  });

  // Count phase with the whole group counted: only the first matching sub-rule is logged.
  const wholeGroup = aclValues([groupRule("common", 1, CRS, { count: true })]);
  const wholeGroupLogs = [
    req("198.51.100.1", "POST", "/orders/1/attachments", { ruleGroupList: [crsEntry("SizeRestrictions_BODY")], nonTerminatingMatchingRules: [{ ruleId: "common", action: "COUNT" }] }),
    req("198.51.100.3", "GET", "/health", { ruleGroupList: [crsEntry("NoUserAgent_HEADER")], nonTerminatingMatchingRules: [{ ruleId: "common", action: "COUNT" }] }),
    req("198.51.100.4", "GET", "/orders", { ruleGroupList: [crsEntry(null)] }),
  ];

  it("whole group counted, then enforced: the logged first sub-rule blocks (exact)", async () => {
    const s = (await replay(wholeGroup, aclValues([groupRule("common", 1, CRS)]), wholeGroupLogs)).acls.get(ADDR)!;
    assert.deepEqual([s.newly_blocked, s.uncertain], [2, 0]);
  });

  it("whole group counted, then enforced with that sub-rule counted: uncertain (later sub-rules never ran)", async () => {
    const s = (await replay(wholeGroup, aclValues([groupRule("common", 1, CRS, { overrides: { SizeRestrictions_BODY: "count" } })]), wholeGroupLogs)).acls.get(ADDR)!;
    assert.deepEqual([s.newly_blocked, s.uncertain], [1, 1]);
    assert.match(s.uncertain_by_reason[0]!.reason, /sub-rules after SizeRestrictions_BODY were not evaluated/);
  });

  it("a new custom rule and a narrowed IP set: newly blocked and newly allowed", async () => {
    const office = "aws_wafv2_ip_set.office";
    const ipArn = "arn:aws:wafv2:eu-west-3:111122223333:regional/ipset/office/1";
    const allowOffice = rule("allow-office", 0, { ip_set_reference_statement: [{ arn: ipArn, ip_set_forwarded_ip_config: [] }] }, "allow");
    const before = aclValues([allowOffice], "block");
    const after = aclValues([allowOffice, rule("no-admin", 1, byteMatch("uri_path", "/admin", "STARTS_WITH"))], "allow");
    const ipSet = resource(office, { arn: ipArn, addresses: ["198.51.100.0/25"] }, { arn: ipArn, addresses: ["198.51.100.0/24"] });
    const logs = [
      req("198.51.100.1", "GET", "/orders", { terminatingRuleId: "allow-office" }),
      req("198.51.100.200", "GET", "/orders", { terminatingRuleId: "allow-office" }),
      req("203.0.113.5", "GET", "/admin/users", { action: "BLOCK" }),
      req("203.0.113.6", "GET", "/orders", { action: "BLOCK" }),
    ];
    const s = (await replay(before, after, logs, [ipSet])).acls.get(ADDR)!;
    // The new default action lets 203.0.113.6 through; /admin/users stays blocked (now by the new rule).
    assert.deepEqual([s.newly_blocked, s.newly_allowed, s.uncertain], [0, 1, 0]);
    const narrowed = aclValues([allowOffice], "block");
    const t = (await replay(before, narrowed, logs, [ipSet])).acls.get(ADDR)!;
    assert.deepEqual([t.newly_blocked, t.newly_allowed], [1, 0]);
    assert.deepEqual(t.by_rule[0]!.paths, [{ method: "GET", path: "/orders", requests: 1 }]);
    assert.equal(t.by_rule[0]!.rule, "Default_Action");
  });

  it("newly allowed requests that an attack signature blocked are listed for WG121", async () => {
    const before = aclValues([groupRule("bad-inputs", 1, "AWSManagedRulesKnownBadInputsRuleSet")]);
    // Counting the whole group lets everything through, whatever its later sub-rules would match: exact.
    const after = aclValues([groupRule("bad-inputs", 1, "AWSManagedRulesKnownBadInputsRuleSet", { count: true })]);
    const entry: LoggedRuleGroup = { ruleGroupId: "AWS#AWSManagedRulesKnownBadInputsRuleSet", terminatingRule: { ruleId: "Log4JRCE_HEADER", action: "BLOCK" }, nonTerminatingMatchingRules: [], excludedRules: null };
    const logs = [req("192.0.2.66", "GET", "/", { action: "BLOCK", terminatingRuleId: "bad-inputs", terminatingRuleType: "MANAGED_RULE_GROUP", ruleGroupList: [entry] })];
    const s = (await replay(before, after, logs)).acls.get(ADDR)!;
    assert.equal(s.newly_allowed, 1);
    assert.equal(s.uncertain, 0);
    assert.deepEqual(s.newly_allowed_attacks.map((g) => [g.rule, g.managed_rule, g.requests]), [["bad-inputs", "Log4JRCE_HEADER", 1]]);
  });

  it("records are matched by name and scope when the plan does not know the ARN; other ACLs' records are counted, not dropped", async () => {
    const values = aclValues([]);
    delete values.arn;
    const other = "arn:aws:wafv2:eu-west-3:111122223333:regional/webacl/other/9";
    const logs = [req("1.2.3.4", "GET", "/"), logRecord({ webaclId: other }), logRecord({ webaclId: other })];
    const r = await replay(values, values, logs);
    assert.equal(r.records, 3);
    assert.equal(r.files, 1);
    assert.equal(r.acls.get(ADDR)!.records, 1);
    assert.deepEqual(r.unmatched, [{ webaclId: other, records: 2 }]);
  });

  it("without ARNs, a name two web ACLs share goes by region, and is never credited to an arbitrary one", async () => {
    const values = aclValues([]);
    delete values.arn;
    const west = { ...resource("aws_wafv2_web_acl.west", values, values), region: "us-west-2" };
    const paris = resource(ADDR, values, values); // eu-west-3, the logs' region
    const r = await replayChange(model([west, paris]), asLogs([req("1.2.3.4", "GET", "/")]));
    assert.deepEqual([...r.acls.keys()], [ADDR]);
    const unknownRegions = [west, paris].map((x) => ({ ...x, region: "" }));
    const r2 = await replayChange(model(unknownRegions), asLogs([req("1.2.3.4", "GET", "/")]));
    assert.deepEqual([r2.acls.size, r2.unmatched.length], [0, 1]);
  });

  it("a web ACL the plan creates: the logged verdicts stand for the logged ACL", async () => {
    const after = aclValues([rule("no-admin", 1, byteMatch("uri_path", "/admin", "STARTS_WITH"))]);
    const s = (await replay(null, after, [req("1.2.3.4", "GET", "/admin"), req("1.2.3.5", "GET", "/")])).acls.get(ADDR)!;
    assert.deepEqual([s.newly_blocked, s.uncertain], [1, 0]);
  });

  it("logs that the plan's current ACL does not reproduce are uncertain, not judged", async () => {
    const acl = aclValues([rule("no-admin", 1, byteMatch("uri_path", "/admin", "STARTS_WITH"))]);
    const s = (await replay(acl, acl, [req("1.2.3.4", "GET", "/admin", { action: "ALLOW" })])).acls.get(ADDR)!;
    assert.deepEqual([s.newly_blocked, s.uncertain], [0, 1]);
    assert.match(s.uncertain_by_reason[0]!.reason, /does not reproduce the logged action/);
  });

});

describe("traffic: the web ACL of a real plan (examples/fixed)", () => {
  it("the rate rule's scope-down IP set has no ARN before apply: it is resolved through the Model's edges", async () => {
    const { loadInputAsync } = await import("../src/load");
    const { aclFromModel } = await import("../src/traffic/acl");
    const { compileAcl, evaluateRequest, RateState } = await import("../src/traffic/evaluate");
    const { join } = await import("node:path");
    const { ROOT } = await import("./helpers");
    const m = (await loadInputAsync(join(ROOT, "examples", "fixed", "plan.json"))).model;
    const acl = aclFromModel(m, "aws_wafv2_web_acl.api", "after")!;
    assert.equal(acl.references.get("rule.0.statement.0.rate_based_statement.0.scope_down_statement.0.not_statement.0.statement.0.ip_set_reference_statement.0.arn"), "aws_wafv2_ip_set.trusted");
    // logged: null — these made-up records say nothing of what the rate rule did.
    const compiled = compileAcl(acl, { logged: null });
    const burst = (ip: string) => {
      const state = new RateState();
      let last;
      for (let i = 0; i < 4000; i++) last = evaluateRequest(compiled, logRecord({ timestamp: 1_700_000_000_000 + i * 20, httpRequest: { ...logRecord().httpRequest, clientIp: ip } }), state);
      return last!;
    };
    // 4,000 requests in 80 s from one address: over the limit of 2,000 per 300 s (and 30 s earlier, AWS's
    // detection delay), unless it is in the trusted set.
    const outsider = burst("203.0.113.7");
    assert.deepEqual([outsider.action, outsider.terminatingRule, outsider.responseCode, outsider.certain], ["BLOCK", "rate-per-ip", 429, true]);
    const trusted = burst("198.51.100.20");
    assert.deepEqual([trusted.action, trusted.certain], ["ALLOW", true]);
  });
});

describe("traffic: references resolved through the Model's edges", () => {
  it("a rule group of the plan (ARN unknown) and the IP set its rule references (ARN unknown)", async () => {
    const { makeModel } = await import("../src/model");
    const { aclFromModel } = await import("../src/traffic/acl");
    const { compileAcl, evaluateRequest, RateState } = await import("../src/traffic/evaluate");
    const group = { name: "mine", rule: [rule("deny-listed", 0, { ip_set_reference_statement: [{ arn: null, ip_set_forwarded_ip_config: [] }] })] };
    const acl = aclValues([{ name: "mine", priority: 0, override_action: [{ none: [{}] }], statement: [{ rule_group_reference_statement: [{ arn: null, rule_action_override: [] }] }] }]);
    const edge = (from: string, path: string, to: string) => ({ from, attribute: path.replace(/\.\d+/g, ""), path, to, to_attribute: "arn", kind: "reference" as const });
    const m = makeModel(
      [resource(ADDR, acl, acl), resource("aws_wafv2_rule_group.mine", group, group), resource("aws_wafv2_ip_set.deny", { addresses: ["203.0.113.0/24"] }, { addresses: ["203.0.113.0/24"] })],
      [edge(ADDR, "rule.0.statement.0.rule_group_reference_statement.0.arn", "aws_wafv2_rule_group.mine"), edge("aws_wafv2_rule_group.mine", "rule.0.statement.0.ip_set_reference_statement.0.arn", "aws_wafv2_ip_set.deny")],
    );
    const c = compileAcl(aclFromModel(m, ADDR, "after")!, { logged: null });
    const v = evaluateRequest(c, req("203.0.113.9", "GET", "/"), new RateState());
    assert.deepEqual([v.action, v.terminatingRule, v.managedRule, v.certain], ["BLOCK", "mine", "deny-listed", true]);
    assert.equal(evaluateRequest(c, req("192.0.2.1", "GET", "/"), new RateState()).action, "ALLOW");
  });
});
