/**
 * THE ORACLE: replaying logs through the web ACL that wrote them reproduces each record's logged action, or
 * says uncertain. Hand-written records take the shapes of AWS's own examples (AWS WAF Developer Guide, "Log
 * examples for web ACL traffic", https://docs.aws.amazon.com/waf/latest/developerguide/logging-examples.html;
 * Knowledge Center, "How are the metrics and logs formatted for the count rule action in AWS WAF?"). Generated
 * logs get their ground truth from construction: a request is built to contain a rule's byte-match token or an
 * address of its IP set, and the logged record is what AWS writes for that outcome; the evaluator never decides
 * the expected result.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { compileAcl, evaluateRequest, RateState } from "../src/traffic/evaluate";
import type { LoggedRuleGroup, WafLogRecord } from "../src/traffic/log-record";
import { aclConfig, aclValues, byteMatch, groupRule, logRecord, rule, tt } from "./traffic-helpers";

type Obj = Record<string, unknown>;
const CRS = "AWSManagedRulesCommonRuleSet";

describe("traffic oracle: AWS's log examples through the ACL that wrote them", () => {
  const ipSetArn = "arn:aws:wafv2:eu-west-3:111122223333:regional/ipset/blocked/1";
  const loggedAcl = aclConfig(
    aclValues([
      rule("RateBasedRule", 1, { rate_based_statement: [{ limit: 100, evaluation_window_sec: 120, aggregate_key_type: "CUSTOM_KEYS", custom_key: [{ header: [{ name: "dogname", text_transformation: tt() }] }] }] }),
      rule("blocked-ips", 2, { ip_set_reference_statement: [{ arn: ipSetArn, ip_set_forwarded_ip_config: [] }] }),
      groupRule("ip-reputation", 3, "AWSManagedRulesAmazonIpReputationList", { count: true }),
      groupRule("common", 4, CRS, { overrides: { SizeRestrictions_BODY: "count", NoUserAgent_HEADER: "count" } }),
      groupRule("known-bad-inputs", 5, "AWSManagedRulesKnownBadInputsRuleSet"),
      rule("geo", 6, { geo_match_statement: [{ country_codes: ["KP"], forwarded_ip_config: [] }] }),
      rule("admin-label", 7, byteMatch("uri_path", "/admin", "STARTS_WITH", ["LOWERCASE"]), "count", { rule_label: [{ name: "internal:admin" }] }),
      rule("admin-only-office", 8, { label_match_statement: [{ scope: "LABEL", key: "internal:admin" }] }),
    ]),
    { ipSets: { [ipSetArn]: { addresses: ["203.0.113.0/24"] } } },
  );
  const group = (id: string, terminating: { ruleId: string; action: string } | null, nonTerminating: Array<{ ruleId: string; action: string; overriddenAction?: string }> = []): LoggedRuleGroup => ({
    ruleGroupId: `AWS#${id}`,
    terminatingRule: terminating,
    nonTerminatingMatchingRules: nonTerminating,
    excludedRules: null,
  });
  const allGroups = (over: Record<string, LoggedRuleGroup> = {}): LoggedRuleGroup[] =>
    ["AWSManagedRulesAmazonIpReputationList", CRS, "AWSManagedRulesKnownBadInputsRuleSet"].map((id) => over[id] ?? group(id, null));
  const hr = logRecord().httpRequest;

  const records: Array<[string, WafLogRecord]> = [
    // "Example Rate-based rule 1: Log entry for request blocked by rate-based rule"
    [
      "blocked by a rate-based rule (rateBasedRuleList)",
      logRecord({
        terminatingRuleId: "RateBasedRule",
        terminatingRuleType: "RATE_BASED",
        action: "BLOCK",
        rateBasedRuleList: [{ rateBasedRuleId: "x", rateBasedRuleName: "RateBasedRule", limitKey: "CUSTOMKEYS", maxRateAllowed: 100, evaluationWindowSec: "120", customValues: [{ key: "HEADER", name: "dogname", value: "ella" }] }],
        httpRequest: { ...hr, headers: [...hr.headers, { name: "dogname", value: "ella" }] },
      }),
    ],
    ["allowed by the default action, every group evaluated without a match", logRecord({ ruleGroupList: allGroups() })],
    ["blocked by an IP set", logRecord({ terminatingRuleId: "blocked-ips", action: "BLOCK", httpRequest: { ...hr, clientIp: "203.0.113.77" } })],
    [
      "a whole group counted (override_action count): its first matching sub-rule and the group rule as COUNT",
      logRecord({
        nonTerminatingMatchingRules: [{ ruleId: "ip-reputation", action: "COUNT" }],
        ruleGroupList: allGroups({ AWSManagedRulesAmazonIpReputationList: group("AWSManagedRulesAmazonIpReputationList", { ruleId: "AWSManagedIPReputationList", action: "BLOCK" }) }),
        labels: [{ name: "awswaf:managed:aws:amazon-ip-list:AWSManagedIPReputationList" }],
      }),
    ],
    [
      "a counted sub-rule (rule_action_override): COUNT with overriddenAction BLOCK, the request allowed",
      logRecord({
        ruleGroupList: allGroups({ [CRS]: group(CRS, null, [{ ruleId: "SizeRestrictions_BODY", action: "COUNT", overriddenAction: "BLOCK" }]) }),
        labels: [{ name: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" }],
        requestBodySize: 12000,
      }),
    ],
    [
      "blocked by an enforced managed sub-rule",
      logRecord({
        terminatingRuleId: "known-bad-inputs",
        terminatingRuleType: "MANAGED_RULE_GROUP",
        action: "BLOCK",
        ruleGroupList: allGroups({ AWSManagedRulesKnownBadInputsRuleSet: group("AWSManagedRulesKnownBadInputsRuleSet", { ruleId: "Log4JRCE_HEADER", action: "BLOCK" }) }),
        labels: [{ name: "awswaf:managed:aws:known-bad-inputs:Log4JRCE_Header" }],
      }),
    ],
    [
      "blocked by CommonRuleSet after a counted sub-rule",
      logRecord({
        terminatingRuleId: "common",
        terminatingRuleType: "MANAGED_RULE_GROUP",
        action: "BLOCK",
        ruleGroupList: [
          group("AWSManagedRulesAmazonIpReputationList", null),
          group(CRS, { ruleId: "CrossSiteScripting_QUERYARGUMENTS", action: "BLOCK" }, [{ ruleId: "NoUserAgent_HEADER", action: "COUNT", overriddenAction: "BLOCK" }]),
        ],
      }),
    ],
    ["blocked by geo match", logRecord({ terminatingRuleId: "geo", action: "BLOCK", ruleGroupList: allGroups(), httpRequest: { ...hr, country: "KP" } })],
    [
      "a label from a counted rule, matched by a later rule",
      logRecord({
        terminatingRuleId: "admin-only-office",
        action: "BLOCK",
        ruleGroupList: allGroups(),
        nonTerminatingMatchingRules: [{ ruleId: "admin-label", action: "COUNT" }],
        labels: [{ name: "awswaf:111122223333:webacl:api:internal:admin" }],
        httpRequest: { ...hr, uri: "/ADMIN/users" },
      }),
    ],
  ];

  for (const [title, record] of records) {
    it(title, () => {
      const v = evaluateRequest(compileAcl(loggedAcl), record, new RateState());
      assert.ok(v.certain, `uncertain: ${v.why}`);
      assert.equal(v.action, record.action);
      assert.equal(v.terminatingRule, record.terminatingRuleId);
    });
  }
});

describe("traffic oracle: AWS's CAPTCHA log examples through the ACL that wrote them", () => {
  // "Log output for a CAPTCHA rule against a web request with a valid, unexpired CAPTCHA token" and "... that
  // doesn't have a CAPTCHA token" (logging-examples.html; waf-captcha-and-challenge-logs-metrics.html): the
  // valid token is noted under nonTerminatingMatchingRules and the request goes on, like a Count.
  const acl = aclConfig({ ...aclValues([rule("captcha-rule", 0, byteMatch("uri_path", "/pen-test/", "STARTS_WITH"), "captcha")]), name: "captcha-web-acl", arn: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/captcha-web-acl/585e38b5-afce-4d2a-b417-14fb08b66c67" });
  const request = (cookie: boolean) => ({
    clientIp: "72.21.198.65",
    country: "US",
    headers: [
      { name: "X-Forwarded-For", value: "72.21.198.65" },
      { name: "Host", value: "b34myvfw0b.gamma.execute-api.us-east-1.amazonaws.com" },
      { name: "accept", value: "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8" },
      ...(cookie ? [{ name: "cookie", value: "aws-waf-token=51c71352-41f5-4f6d-b676-c24907bdf819:EQoAZ/J+AAQAAAAA:t9wvxbw042wva7E2Y6lgud/bS6YG0CJKVAJqaRqDZ140ythKW0Zj9wKB2O8lSkYDRqf1yONcVBFo5u0eYi0tvT4rtQCXsu+KanAardW8go4QSLw4yoED59lgV7oAhGyCalAzE7ra29j+RvvZPsQyoQuDCrtoY/TvQyMTXIXzGPDC/rKBbg==" }] : []),
    ],
    uri: "/pen-test/pets",
    args: "",
    httpVersion: "HTTP/1.1",
    httpMethod: "GET",
    requestId: "GINMHHUgoAMFxug=",
  });
  const valid = logRecord({
    timestamp: 1632420429309,
    webaclId: acl.arn!,
    terminatingRuleId: "Default_Action",
    action: "ALLOW",
    httpSourceId: "123456789012:b34myvfw0b:pen-test",
    nonTerminatingMatchingRules: [{ ruleId: "captcha-rule", action: "CAPTCHA", ruleMatchDetails: [], captchaResponse: { responseCode: 0, solveTimestamp: 1632420429 } }] as unknown as WafLogRecord["nonTerminatingMatchingRules"],
    httpRequest: request(true),
  });
  const missing = logRecord({
    timestamp: 1632420416512,
    webaclId: acl.arn!,
    terminatingRuleId: "captcha-rule",
    action: "CAPTCHA",
    responseCodeSent: 405,
    captchaResponse: { responseCode: 405, solveTimestamp: 0, failureReason: "TOKEN_MISSING" },
    httpRequest: request(false),
  } as Partial<WafLogRecord>);
  for (const [title, record] of [
    ["a valid, unexpired CAPTCHA token: allowed by the default action", valid],
    ["no CAPTCHA token: ended by the CAPTCHA rule", missing],
  ] as const) {
    it(title, () => {
      const v = evaluateRequest(compileAcl(acl), record, new RateState());
      assert.ok(v.certain, `uncertain: ${v.why}`);
      assert.equal(v.action, record.action);
      assert.equal(v.terminatingRule, record.terminatingRuleId);
    });
  }
});

/* ---------- generated ACLs and logs, ground truth by construction ---------- */

interface RuleSpec {
  kind: "byte" | "ip" | "label" | "group";
  action: "block" | "allow" | "count";
  fieldKind: "uri_path" | "single_header" | "single_query_argument";
  position: "CONTAINS" | "STARTS_WITH" | "ENDS_WITH" | "EXACTLY";
  transform: "NONE" | "LOWERCASE" | "URL_DECODE";
  labelOf: number;
  countGroup: boolean;
  /** sub-rules (of the pool) that the logged ACL counts */
  counted: boolean[];
}

const POOL = ["NoUserAgent_HEADER", "SizeRestrictions_QUERYSTRING", "SizeRestrictions_BODY", "GenericLFI_URIPATH", "CrossSiteScripting_BODY"];

const ruleSpec = fc.record({
  kind: fc.constantFrom("byte", "byte", "ip", "label", "group"),
  action: fc.constantFrom("block", "allow", "count"),
  fieldKind: fc.constantFrom("uri_path", "single_header", "single_query_argument"),
  position: fc.constantFrom("CONTAINS", "STARTS_WITH", "ENDS_WITH", "EXACTLY"),
  transform: fc.constantFrom("NONE", "LOWERCASE", "URL_DECODE"),
  labelOf: fc.nat(20),
  countGroup: fc.boolean(),
  counted: fc.array(fc.boolean(), { minLength: POOL.length, maxLength: POOL.length }),
}) as fc.Arbitrary<RuleSpec>;

const scenario = fc.record({
  rules: fc.array(ruleSpec, { minLength: 1, maxLength: 7 }),
  priorities: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 7, maxLength: 7 }),
  hits: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
  ipHit: fc.integer({ min: -1, max: 6 }),
  subMatches: fc.array(fc.boolean(), { minLength: POOL.length, maxLength: POOL.length }),
  defaultBlock: fc.boolean(),
  tokens: fc.uniqueArray(fc.stringMatching(/^[a-z]{9}$/), { minLength: 7, maxLength: 7 }),
  plannedCounted: fc.array(fc.boolean(), { minLength: POOL.length, maxLength: POOL.length }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const encode = (token: string, t: string): string => (t === "LOWERCASE" ? token.toUpperCase() : t === "URL_DECODE" ? [...token].map((c) => "%" + c.charCodeAt(0).toString(16)).join("") : token);
const place = (v: string, position: string): string => (position === "EXACTLY" ? v : position === "STARTS_WITH" ? v + "-tail" : position === "ENDS_WITH" ? "head-" + v : "head-" + v + "-tail");

/** The ACL, the request, and AWS's logged record for it, all from the scenario (no evaluator involved). */
function build(s: Scenario, plannedCounted?: boolean[]) {
  // Distinct priorities, in the order of the generated list's priorities.
  const order = s.rules.map((_, i) => i).sort((a, b) => s.priorities[a]! - s.priorities[b]! || a - b);
  const prio = new Map(order.map((i, p) => [i, p]));
  const rules: Obj[] = [];
  const headers = [{ name: "Host", value: "api.example.com" }];
  const args: string[] = [];
  const uriParts: string[] = [];
  const ipSets: Record<string, Obj> = {};
  let groupSeen = false;
  const specs = s.rules.map((r) => (r.kind === "group" && (groupSeen || (groupSeen = false)) ? { ...r, kind: "byte" as const } : r.kind === "group" ? ((groupSeen = true), r) : r));
  const hit = (i: number) => (specs[i]!.kind === "ip" ? s.ipHit === i : s.hits[i]!);
  specs.forEach((r, i) => {
    const name = `r${i}`;
    const token = s.tokens[i]!;
    const act = r.action;
    const extra: Obj = { rule_label: [{ name: `lab:${i}` }] };
    if (r.kind === "byte") {
      const field = r.fieldKind;
      const position = field === "uri_path" ? "CONTAINS" : r.position;
      const opts = field === "single_header" ? { name: `x-h${i}` } : field === "single_query_argument" ? { name: `a${i}` } : {};
      rules.push(rule(name, prio.get(i)!, byteMatch(field, token, position, [r.transform], opts), act, extra));
      if (hit(i)) {
        const v = place(encode(token, r.transform), position);
        if (field === "uri_path") uriParts.push(v);
        else if (field === "single_header") headers.push({ name: `X-H${i}`, value: v });
        else args.push(`a${i}=${v}`);
      }
    } else if (r.kind === "ip") {
      const arn = `arn:aws:wafv2:eu-west-3:111122223333:regional/ipset/s${i}/1`;
      ipSets[arn] = { addresses: [`10.${i}.0.0/16`] };
      rules.push(rule(name, prio.get(i)!, { ip_set_reference_statement: [{ arn, ip_set_forwarded_ip_config: [] }] }, act, extra));
    } else if (r.kind === "label") {
      rules.push(rule(name, prio.get(i)!, { label_match_statement: [{ scope: "LABEL", key: `lab:${r.labelOf % s.rules.length}` }] }, act, extra));
    } else {
      const overrides: Record<string, string> = {};
      (plannedCounted ?? r.counted).forEach((c, k) => c && (overrides[POOL[k]!] = "count"));
      rules.push(groupRule(name, prio.get(i)!, CRS, { count: r.countGroup, overrides }));
    }
  });
  const clientIp = s.ipHit >= 0 && specs[s.ipHit]?.kind === "ip" ? `10.${s.ipHit}.3.4` : "192.0.2.10";
  const acl = aclConfig(aclValues(rules, s.defaultBlock ? "block" : "allow"), { ipSets });
  return { acl, specs, order, clientIp, headers, args, uriParts, hit };
}

/** AWS's evaluation from the ground truth bits: what the logged record says. */
function groundTruth(s: Scenario, b: ReturnType<typeof build>, counted: (r: RuleSpec) => boolean[]) {
  const matchedRules = new Set<number>();
  const nonTerminating: Obj[] = [];
  const ruleGroupList: Obj[] = [];
  const labels: Obj[] = [];
  for (const i of b.order) {
    const r = b.specs[i]!;
    let matched: boolean;
    let action: string = r.action.toUpperCase();
    let subRule: string | null = null;
    if (r.kind === "label") matched = matchedRules.has(r.labelOf % s.rules.length);
    else if (r.kind === "group") {
      const c = counted(r);
      const entry: Obj = { ruleGroupId: `AWS#${CRS}`, terminatingRule: null, nonTerminatingMatchingRules: [], excludedRules: null };
      matched = false;
      // AWS evaluates the group's sub-rules in its own order (POOL here): counted matches go on, the first enforced one ends the group.
      for (let k = 0; k < POOL.length; k++) {
        if (!s.subMatches[k]) continue;
        labels.push({ name: `awswaf:managed:aws:core-rule-set:${POOL[k]}` });
        if (c[k]) (entry.nonTerminatingMatchingRules as Obj[]).push({ ruleId: POOL[k], action: "COUNT", overriddenAction: "BLOCK" });
        else {
          entry.terminatingRule = { ruleId: POOL[k], action: "BLOCK" };
          matched = true;
          subRule = POOL[k]!;
          break;
        }
      }
      ruleGroupList.push(entry);
      action = r.countGroup ? "COUNT" : "BLOCK";
    } else matched = b.hit(i);
    if (!matched) continue;
    // Rules that reference a rule group carry no rule labels (the group's sub-rules label instead).
    if (r.kind !== "group") matchedRules.add(i);
    if (action === "COUNT") {
      nonTerminating.push({ ruleId: `r${i}`, action: "COUNT" });
      continue;
    }
    return { action, rule: `r${i}`, subRule, nonTerminating, ruleGroupList, labels, type: r.kind === "group" ? "MANAGED_RULE_GROUP" : "REGULAR" };
  }
  return { action: s.defaultBlock ? "BLOCK" : "ALLOW", rule: "Default_Action", subRule: null, nonTerminating, ruleGroupList, labels, type: "REGULAR" };
}

function loggedRecord(b: ReturnType<typeof build>, t: ReturnType<typeof groundTruth>): WafLogRecord {
  return logRecord({
    action: t.action,
    terminatingRuleId: t.rule,
    terminatingRuleType: t.type,
    nonTerminatingMatchingRules: t.nonTerminating as unknown as WafLogRecord["nonTerminatingMatchingRules"],
    ruleGroupList: t.ruleGroupList as unknown as WafLogRecord["ruleGroupList"],
    labels: t.labels as unknown as WafLogRecord["labels"],
    httpRequest: { clientIp: b.clientIp, country: "DE", headers: b.headers, uri: "/" + (b.uriParts.length ? b.uriParts.join("/") : "home"), args: b.args.join("&"), httpMethod: "GET" },
  });
}

describe("traffic oracle: generated ACLs and logs (property-based)", () => {
  it("the ACL that wrote a record reproduces its logged action and terminating rule, always exactly", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const b = build(s);
        const truth = groundTruth(s, b, (r) => r.counted);
        const record = loggedRecord(b, truth);
        const v = evaluateRequest(compileAcl(b.acl), record, new RateState());
        assert.ok(v.certain, `uncertain: ${v.why}`);
        assert.equal(v.action, truth.action);
        assert.equal(v.terminatingRule, truth.rule);
        if (truth.subRule) assert.equal(v.managedRule, truth.subRule);
      }),
      { numRuns: 400 },
    );
  });

  it("a plan that changes which sub-rules are counted: exact where traffic.md says so, else uncertain; never wrong", () => {
    let exact = 0;
    let unsure = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const logged = build(s);
        const record = loggedRecord(logged, groundTruth(s, logged, (r) => r.counted));
        const planned = build(s, s.plannedCounted);
        const truth = groundTruth(s, planned, () => s.plannedCounted);
        const v = evaluateRequest(compileAcl(planned.acl, { logged: logged.acl }), record, new RateState());
        const group = logged.specs.find((r) => r.kind === "group");
        const loggedEntry = (record.ruleGroupList ?? [])[0];
        if (v.certain) {
          // Certain is about the action: undecidable rules that would act alike leave it certain.
          exact++;
          assert.equal(v.action, truth.action);
        } else {
          unsure++;
          // Uncertain only where the log lacks sub-rules: the logged group ended early, or was never reached.
          assert.ok(group, `uncertain without a group: ${v.why}`);
          assert.ok(!loggedEntry || loggedEntry.terminatingRule !== null, `uncertain although the log saw the whole group: ${v.why}`);
        }
        // Sub-rule overrides (count phase) with no enforced match are always exact.
        if (group && loggedEntry && loggedEntry.terminatingRule === null) assert.ok(v.certain);
      }),
      { numRuns: 400 },
    );
    assert.ok(exact > unsure, `${exact} exact, ${unsure} uncertain`);
  });
});
