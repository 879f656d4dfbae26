/** `wafguard logs`: routes, patterns and signals, exceptions as code (in memory, HCL diff, props), verification by replay. */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { loadInput } from "../src/load";
import type { Model } from "../src/model";
import { modelTypes } from "../src/rules";
import { aclFromModel } from "../src/traffic/acl";
import { applyExceptions, cdktfProps, moduleInput, type ExceptionChange, type WafException } from "../src/traffic/exceptions";
import { exceptionEdits, unifiedDiff } from "../src/traffic/hcl-patch";
import { hclString } from "../src/traffic/hcl-render";
import type { WafLogRecord } from "../src/traffic/log-record";
import { MAX_PATTERNS, OTHER_PATHS, PatternCollector, type Pattern } from "../src/traffic/patterns";
import { collapseIds, RouteTable, routeRegex, routeTemplates } from "../src/traffic/routes";
import { ROOT, runCli } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const generator = require(join(ROOT, "examples", "logs", "generate-logs.js")) as {
  generateRecords: (seed?: number) => WafLogRecord[];
  toJsonLines: (r: WafLogRecord[]) => string;
  EXPECTED: { uploads: { requests: number; clients: number; method: string; path: string }; health: { requests: number; clients: number; method: string; path: string }; scanner: { ip: string; admin: number; xss: number; log4j: number } };
  WEB_ACL: string;
};

const EXAMPLE = join(ROOT, "examples", "logs");
const ACL = "aws_wafv2_web_acl.api";
const TYPES = new Set([...modelTypes(), "aws_api_gateway_resource", "aws_api_gateway_rest_api"]);

function exampleModel(dir = EXAMPLE): Model {
  return loadInput(dir, { types: TYPES }).model;
}

function collect(records: WafLogRecord[], model: Model | null = exampleModel()) {
  const c = new PatternCollector(new RouteTable(model ? routeTemplates(model) : []), () => ACL);
  for (const r of records) c.add(r);
  return c.summary();
}

function find(patterns: Pattern[], rule: string, managed: string | null, method: string, path: string): Pattern {
  const p = patterns.find((x) => x.rule === rule && x.managed_rule === managed && x.method === method && x.path === path);
  assert.ok(p, `pattern ${rule}/${managed} ${method} ${path} in ${patterns.map((x) => `${x.rule}/${x.managed_rule} ${x.method} ${x.path}`).join("; ")}`);
  return p;
}

const signal = (p: Pattern, name: string) => p.signals.find((s) => s.name === name)!.count;

/** A record in the shape of AWS's log examples, blocked by a managed sub-rule unless `allow`. */
function record(over: { ip?: string; method?: string; uri?: string; headers?: Array<{ name: string; value: string }>; ts?: number; action?: string; rule?: string; sub?: string | null; label?: string }): WafLogRecord {
  const sub = over.sub === undefined ? "SizeRestrictions_BODY" : over.sub;
  const action = over.action ?? "BLOCK";
  const blocked = action !== "ALLOW";
  return {
    timestamp: over.ts ?? Date.UTC(2026, 10, 23, 12),
    webaclId: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/orders-api/0f3c7d52-6a1e-4a57-9a5f-5d1c2b7e8a90",
    action,
    terminatingRuleId: blocked ? (over.rule ?? "common") : "Default_Action",
    terminatingRuleType: blocked && sub ? "MANAGED_RULE_GROUP" : "REGULAR",
    ruleGroupList: [{ ruleGroupId: "AWS#AWSManagedRulesCommonRuleSet", terminatingRule: blocked && sub ? { ruleId: sub, action } : null, nonTerminatingMatchingRules: [], excludedRules: null }],
    labels: over.label ? [{ name: over.label }] : [],
    httpRequest: { clientIp: over.ip ?? "203.0.113.1", country: "DE", headers: over.headers ?? [{ name: "User-Agent", value: "okhttp/4.12.0" }], uri: over.uri ?? "/prod/orders/1/attachments", args: "", httpMethod: over.method ?? "POST" },
  };
}

describe("logs: routes", () => {
  it("templates from aws_api_gateway_resource path_part chains (parent_id edges)", () => {
    assert.deepEqual(routeTemplates(exampleModel()).sort(), ["/health", "/orders", "/orders/{id}", "/orders/{id}/attachments"]);
  });

  it("templates from the OpenAPI body of aws_api_gateway_rest_api, JSON or YAML", () => {
    const api = (body: string) => ({ resources: [{ type: "aws_api_gateway_rest_api", address: "a", values: { body } }], edges: [], edges_out: {}, edges_in: {}, options: {} }) as unknown as Model;
    assert.deepEqual(routeTemplates(api(JSON.stringify({ openapi: "3.0.1", paths: { "/orders/{id}": {}, "/orders": {} } }))), ["/orders/{id}", "/orders"]);
    assert.deepEqual(routeTemplates(api("openapi: 3.0.1\npaths:\n  /files/{key+}:\n    get: {}\n")), ["/files/{key+}"]);
    assert.deepEqual(routeTemplates(api("{not json")), []);
  });

  it("matches the most specific template, below a stage prefix too; else collapses IDs", () => {
    const t = new RouteTable(["/orders", "/orders/{id}", "/orders/export", "/files/{key+}"]);
    assert.deepEqual(t.routeOf("/orders/123"), { path: "/orders/{id}", defined: true });
    assert.deepEqual(t.routeOf("/orders/export"), { path: "/orders/export", defined: true });
    assert.deepEqual(t.routeOf("/prod/orders/9"), { path: "/prod/orders/{id}", defined: true });
    assert.deepEqual(t.routeOf("/files/a/b/c.pdf"), { path: "/files/{key+}", defined: true });
    assert.deepEqual(t.routeOf("/users/42/avatar"), { path: "/users/{id}/avatar", defined: false });
    assert.equal(collapseIds(["u", "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "deadbeefdeadbeef01", "name"]), "/u/{id}/{id}/name");
    assert.equal(collapseIds(["health"]), "/health");
  });

  it("a route's regex matches what the template means, and nothing beyond", () => {
    const re = new RegExp(routeRegex("/prod/orders/{id}/attachments"));
    assert.ok(re.test("/prod/orders/12/attachments"));
    assert.ok(!re.test("/prod/orders/12/attachments/x"));
    assert.ok(!re.test("/prod/orders//attachments"));
    assert.ok(!re.test("/prod/orders/1/2/attachments"));
    assert.equal(routeRegex("/a.b/{k+}"), "^/a\\.b/.+$");
  });
});

describe("logs: patterns and signals", () => {
  const records = generator.generateRecords();
  const summary = collect(records);
  const { EXPECTED } = generator;

  it("the generator is deterministic and matches the committed example logs", () => {
    const committed = spawnSync("zcat", [join(EXAMPLE, "waf-logs", "2026-11-23.jsonl.gz")], { encoding: "utf8", maxBuffer: 64 << 20 }).stdout;
    assert.equal(committed, generator.toJsonLines(generator.generateRecords()));
  });

  it("finds the legitimate patterns with exact counts, by route template", () => {
    assert.equal(summary.records, records.length);
    assert.equal(summary.blocked, EXPECTED.uploads.requests + EXPECTED.health.requests + EXPECTED.scanner.admin + EXPECTED.scanner.xss + EXPECTED.scanner.log4j);
    const uploads = find(summary.patterns, "common", "SizeRestrictions_BODY", "POST", EXPECTED.uploads.path);
    assert.equal(uploads.requests, EXPECTED.uploads.requests);
    assert.equal(uploads.clients, EXPECTED.uploads.clients);
    assert.equal(uploads.label, "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body");
    assert.equal(uploads.share, EXPECTED.uploads.requests / records.length);
    const health = find(summary.patterns, "common", "NoUserAgent_HEADER", "GET", EXPECTED.health.path);
    assert.equal(health.requests, EXPECTED.health.requests);
    assert.equal(health.clients, 1);
    assert.equal(health.first_seen, "2026-11-23T00:00:00.000Z");
    assert.equal(health.last_seen, "2026-11-23T23:45:00.000Z");
  });

  it("shows the signals side by side: the uploads look legitimate, the scanner does not", () => {
    const uploads = find(summary.patterns, "common", "SizeRestrictions_BODY", "POST", EXPECTED.uploads.path);
    assert.equal(signal(uploads, "also_allowed"), EXPECTED.uploads.clients);
    assert.equal(signal(uploads, "authenticated"), EXPECTED.uploads.requests);
    assert.equal(signal(uploads, "ordinary_user_agent"), EXPECTED.uploads.requests);
    assert.equal(signal(uploads, "defined_route"), EXPECTED.uploads.requests);
    for (const s of ["scanner_user_agent", "attack_signature_rule", "probing_clients", "no_user_agent"]) assert.equal(signal(uploads, s), 0, s);
    const health = find(summary.patterns, "common", "NoUserAgent_HEADER", "GET", EXPECTED.health.path);
    assert.equal(signal(health, "no_user_agent"), EXPECTED.health.requests);
    assert.equal(signal(health, "also_allowed"), 0);
    const xss = find(summary.patterns, "common", "CrossSiteScripting_QUERYARGUMENTS", "GET", "/prod/orders");
    assert.equal(signal(xss, "scanner_user_agent"), EXPECTED.scanner.xss);
    assert.equal(signal(xss, "attack_signature_rule"), EXPECTED.scanner.xss);
    assert.equal(signal(xss, "probing_clients"), 1);
    const admin = summary.patterns.filter((p) => p.rule === "block-admin");
    assert.equal(admin.reduce((n, p) => n + p.requests, 0), EXPECTED.scanner.admin);
    assert.ok(admin.every((p) => !p.defined_route && signal(p, "scanner_user_agent") === p.requests));
  });

  it("groups BLOCK, CAPTCHA and CHALLENGE apart; ALLOW and COUNT are not patterns", () => {
    const s = collect([record({ action: "CAPTCHA" }), record({ action: "CHALLENGE" }), record({}), record({ action: "ALLOW" }), record({ action: "COUNT", sub: null })]);
    assert.deepEqual(s.patterns.map((p) => p.action).sort(), ["BLOCK", "CAPTCHA", "CHALLENGE"]);
    assert.deepEqual(s.actions, { CAPTCHA: 1, CHALLENGE: 1, BLOCK: 1, ALLOW: 1, COUNT: 1 });
    assert.equal(s.blocked, 3);
  });

  it("without the configuration, the literal path with IDs collapsed, not marked as defined", () => {
    const s = collect([record({ uri: "/prod/orders/77/attachments" }), record({ uri: "/prod/orders/78/attachments" })], null);
    assert.equal(s.patterns.length, 1);
    assert.equal(s.patterns[0].path, "/prod/orders/{id}/attachments");
    assert.equal(s.patterns[0].defined_route, false);
  });

  it("bounded: beyond MAX_PATTERNS, further routes fold into one pattern per rule, and says so", () => {
    const many = Array.from({ length: MAX_PATTERNS + 50 }, (_, i) => record({ uri: `/p${i}` }));
    const s = collect(many, null);
    assert.equal(s.patterns.length, MAX_PATTERNS + 1);
    const other = s.patterns.find((p) => p.path === OTHER_PATHS)!;
    assert.equal(other.requests, 50);
    assert.equal(s.patterns.reduce((n, p) => n + p.requests, 0), many.length);
    assert.match(s.notes.join(" "), /more than 2000 patterns/);
  });
});

describe("logs: exceptions as code", () => {
  const model = exampleModel();
  const acl = aclFromModel(model, ACL, "after")!;
  const uploads: ExceptionChange = {
    kind: "managed-sub-rule",
    aclRule: "common",
    exception: { ruleGroup: "AWSManagedRulesCommonRuleSet", rule: "SizeRestrictions_BODY", label: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body", method: "POST", path: "/prod/orders/{id}/attachments" },
  };
  const health: ExceptionChange = {
    kind: "managed-sub-rule",
    aclRule: "common",
    exception: { ruleGroup: "AWSManagedRulesCommonRuleSet", rule: "NoUserAgent_HEADER", label: "awswaf:managed:aws:core-rule-set:NoUserAgent_Header", method: "GET", path: "/prod/health" },
  };
  const admin: ExceptionChange = { kind: "custom-rule", aclRule: "block-admin", method: "GET", path: "/prod/admin/config" };
  type Rule = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it("a managed sub-rule: counted by rule_action_override, its label blocked after the group except the method and route (the contract's statement)", () => {
    const values = applyExceptions(acl.values, [uploads]);
    const rules = values.rule as Rule[];
    const common = rules.find((r) => r.name === "common")!;
    assert.deepEqual(common.statement[0].managed_rule_group_statement[0].rule_action_override, [{ name: "SizeRestrictions_BODY", action_to_use: [{ count: [{}] }] }]);
    const added = rules.find((r) => r.name === "common-SizeRestrictions_BODY-except")!;
    assert.equal(added.priority, 2);
    assert.deepEqual(added.action, [{ block: [{}] }]);
    const [label, not] = added.statement[0].and_statement[0].statement;
    assert.deepEqual(label, { label_match_statement: [{ scope: "LABEL", key: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" }] });
    const [method, path] = not.not_statement[0].statement[0].and_statement[0].statement;
    assert.equal(method.byte_match_statement[0].search_string, "POST");
    assert.equal(method.byte_match_statement[0].positional_constraint, "EXACTLY");
    assert.deepEqual(method.byte_match_statement[0].field_to_match, [{ method: [{}] }]);
    assert.equal(path.regex_match_statement[0].regex_string, "^/prod/orders/[^/]+/attachments$");
    assert.deepEqual(path.regex_match_statement[0].field_to_match, [{ uri_path: [{}] }]);
    // Later rules move up so priorities stay distinct and in order; the input is not changed.
    assert.deepEqual([...rules].sort((a, b) => a.priority - b.priority).map((r) => [r.name, r.priority]), [["rate-per-ip", 0], ["common", 1], ["common-SizeRestrictions_BODY-except", 2], ["known-bad-inputs", 3], ["block-admin", 4]]);
    assert.equal((acl.values.rule as Rule[]).length, 4);
  });

  it("--exception-mode count writes the new rule in count", () => {
    const rules = applyExceptions(acl.values, [uploads], "count").rule as Rule[];
    assert.deepEqual(rules.find((r) => r.name.endsWith("-except"))!.action, [{ count: [{}] }]);
  });

  it("a sub-rule that answered with CAPTCHA keeps answering with CAPTCHA outside the exception's route", () => {
    const rules = applyExceptions(acl.values, [{ ...uploads, action: "CAPTCHA" } as ExceptionChange]).rule as Rule[];
    assert.deepEqual(rules.find((r) => r.name.endsWith("-except"))!.action, [{ captcha: [{}] }]);
  });

  it("a custom rule: its statement narrowed to leave the method and route alone", () => {
    const rules = applyExceptions(acl.values, [admin]).rule as Rule[];
    const rule = rules.find((r) => r.name === "block-admin")!;
    const [original, not] = rule.statement[0].and_statement[0].statement;
    assert.deepEqual(original, (acl.values.rule as Rule[]).find((r) => r.name === "block-admin")!.statement[0]);
    assert.equal(not.not_statement[0].statement[0].and_statement[0].statement[1].regex_match_statement[0].regex_string, "^/prod/admin/config$");
  });

  it("the construct props and the module input carry the same WafException", () => {
    assert.equal(
      cdktfProps([(uploads as Extract<ExceptionChange, { kind: "managed-sub-rule" }>).exception]),
      'exceptions: [\n  { ruleGroup: "AWSManagedRulesCommonRuleSet", rule: "SizeRestrictions_BODY", label: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body", method: "POST", path: "/prod/orders/{id}/attachments" },\n],',
    );
    assert.match(moduleInput([(health as Extract<ExceptionChange, { kind: "managed-sub-rule" }>).exception]), /rule_group = "AWSManagedRulesCommonRuleSet", rule = "NoUserAgent_HEADER", label = "awswaf:managed:aws:core-rule-set:NoUserAgent_Header", method = "GET", path = "\/prod\/health"/);
  });

  it("the .tf diff applies with git apply, and the patched file loads to exactly the ACL the replay checked", () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-logs-"));
    cpSync(join(EXAMPLE, "main.tf"), join(dir, "main.tf"));
    const text = readFileSync(join(dir, "main.tf"), "utf8");
    const source = model.resources.find((r) => r.address === ACL)!.source!;
    const changes = [uploads, health, admin];
    const diff = unifiedDiff("main.tf", text, exceptionEdits(text, source.line!, acl.values, changes, "block", () => "wafguard logs: exception"));
    writeFileSync(join(dir, "x.diff"), diff);
    const applied = spawnSync("git", ["apply", "--verbose", "x.diff"], { cwd: dir, encoding: "utf8" });
    assert.equal(applied.status, 0, applied.stderr);
    const patched = aclFromModel(exampleModel(dir), ACL, "after")!;
    const byPriority = (v: Record<string, unknown>) => structuredClone(v.rule as Rule[]).sort((a, b) => a.priority - b.priority);
    assert.deepEqual(byPriority(patched.values), byPriority(applyExceptions(acl.values, changes)));
    // Only the ACL block changed: the rest of the file is byte for byte the same.
    const after = readFileSync(join(dir, "main.tf"), "utf8");
    assert.ok(after.startsWith(text.slice(0, text.indexOf('resource "aws_wafv2_web_acl"'))));
    assert.ok(after.endsWith(text.slice(text.indexOf('resource "aws_wafv2_web_acl_association"'))));
  });
});

describe("logs: command line", () => {
  it("bad flags and inputs: one line on stderr, exit 2", () => {
    for (const [args, message] of [
      [["logs"], /logs takes one or more WAF log files/],
      [["logs", "x.log", "--format", "sarif"], /--format must be one of text, json, markdown/],
      [["logs", "x.log", "--exception-mode", "later"], /--exception-mode must be one of block, count/],
      [["logs", "x.log", "--plan", "does-not-exist.json"], /does-not-exist\.json: does not exist/],
      [["logs", "x.log", "--bogus"], /Unknown option '--bogus'/],
      [["logs", "examples/logs/waf-logs", "--source", "examples/logs", "--pattern", "999"], /^wafguard: --pattern 999: the report has patterns 1 to \d+$/m],
      [["logs", "examples/logs/waf-logs", "--pattern", "-1"], /--pattern needs a value; one that starts with "-" is written --pattern=-VALUE/],
      [["logs", "examples/logs/waf-logs", "--output", "examples"], /cannot write examples \(it is a directory\)/],
    ] as Array<[string[], RegExp]>) {
      const r = runCli(args);
      assert.equal(r.status, 2, args.join(" "));
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.equal(r.stdout, "");
    }
  });
});

describe("logs: logs without a record", () => {
  it("an empty file, blank lines, [], {\"events\":[]}, an empty gzip: exit 2 with one line, as check --traffic says", () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-logs-none-"));
    const files: Array<[string, string | Buffer]> = [
      ["empty.jsonl", ""],
      ["blank.jsonl", "\n  \n\n"],
      ["array.json", "[]"],
      ["events.json", '{"events":[]}'],
      ["empty.log.gz", gzipSync("")],
    ];
    for (const [name, content] of files) writeFileSync(join(dir, name), content);
    for (const args of [...files.map(([name]) => [name]), files.map(([name]) => name)]) {
      const r = runCli(["logs", ...args], { cwd: dir });
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^wafguard: ${args.join(", ").replace(/[.[\]{}]/g, "\\$&")}: no AWS WAF log records found`));
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.equal(r.stdout, "");
    }
  });
});

describe("logs: verified by replay (the real reader and evaluator)", () => {
  const logs = join(EXAMPLE, "waf-logs");
  const { EXPECTED } = generator;
  type JsonPattern = { rule: string; managed_rule: string | null; method: string; path: string; requests: number; exception: { hcl: string; cdktf?: string; module?: string } | null; verified: { unblocked: number; still_blocked: number; uncertain: number; other_unblocked: number; newly_blocked: number } | null; selected: boolean; not_offered?: string; signals: unknown[]; clients: number; share: number; web_acl: string; action: string };
  let report: { version: number; records: number; from: string; to: string; blocked: number; actions: Record<string, number>; patterns: JsonPattern[]; combined: Array<{ exact: boolean; verified: { unblocked: number; still_blocked: number; uncertain: number }; diff: string }> };

  before(() => {
    const r = runCli(["logs", logs, "--source", EXAMPLE, "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    report = JSON.parse(r.stdout);
  });

  it("--format json follows traffic.md's contract", () => {
    for (const key of ["version", "records", "from", "to", "blocked", "actions", "patterns"]) assert.ok(key in report, key);
    assert.equal(report.version, 1);
    assert.equal(report.records, 2306);
    assert.deepEqual(report.actions, { BLOCK: 306, ALLOW: 2000 });
    for (const p of report.patterns) {
      for (const key of ["web_acl", "rule", "managed_rule", "action", "method", "path", "requests", "clients", "share", "signals", "exception", "verified"]) assert.ok(key in p, key);
      assert.equal(p.web_acl, ACL);
    }
  });

  it("each legitimate pattern's exception unblocks exactly its requests; the replay says they are uncertain, not exact", () => {
    for (const want of [EXPECTED.uploads, EXPECTED.health]) {
      const p = report.patterns.find((x) => x.path === want.path && x.method === want.method && x.rule === "common")!;
      assert.equal(p.requests, want.requests);
      assert.equal(p.verified!.unblocked, want.requests);
      assert.equal(p.verified!.still_blocked, report.blocked - want.requests);
      assert.equal(p.verified!.other_unblocked, 0);
      assert.equal(p.verified!.newly_blocked, 0);
      // The group stopped at this sub-rule in the log: its later sub-rules were never evaluated.
      assert.equal(p.verified!.uncertain, want.requests);
      assert.ok(p.selected && p.exception!.cdktf && p.exception!.module);
    }
  });

  it("the scanner's patterns are verified but left out of the combined change; the combined change keeps the scanner blocked", () => {
    const scanner = report.patterns.filter((p) => p.rule === "block-admin" || p.managed_rule === "CrossSiteScripting_QUERYARGUMENTS" || p.managed_rule === "Log4JRCE_HEADER");
    assert.equal(scanner.reduce((n, p) => n + p.requests, 0), EXPECTED.scanner.admin + EXPECTED.scanner.xss + EXPECTED.scanner.log4j);
    assert.ok(scanner.every((p) => !p.selected));
    const [combined] = report.combined;
    assert.equal(combined.exact, true);
    assert.equal(combined.verified.unblocked, EXPECTED.uploads.requests + EXPECTED.health.requests);
    assert.equal(combined.verified.still_blocked, EXPECTED.scanner.admin + EXPECTED.scanner.xss + EXPECTED.scanner.log4j);
  });

  it("--diff applies with git apply to the example, and the patched .tf replays as verified: legitimate patterns through, scanner blocked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-logs-e2e-"));
    cpSync(join(EXAMPLE, "main.tf"), join(dir, "main.tf"));
    const d = runCli(["logs", logs, "--source", ".", "--diff"], { cwd: dir });
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stdout, /^diff --git a\/main\.tf b\/main\.tf\n--- a\/main\.tf\n\+\+\+ b\/main\.tf\n@@ /);
    writeFileSync(join(dir, "exceptions.diff"), d.stdout);
    const applied = spawnSync("git", ["apply", "exceptions.diff"], { cwd: dir, encoding: "utf8" });
    assert.equal(applied.status, 0, applied.stderr);

    const before = aclFromModel(exampleModel(), ACL, "after")!;
    const after = aclFromModel(exampleModel(dir), ACL, "after")!;
    const { compileAcl, evaluateRequest, RateState } = await import("../src/traffic/evaluate");
    const [was, now] = [compileAcl(before), compileAcl(after, { logged: before })]; // the log speaks for the rules the patch left unchanged
    const [r1, r2] = [new RateState(), new RateState()];
    const counts = { through: 0, uncertain: 0, scannerBlocked: 0, scannerThrough: 0, allowedBlocked: 0 };
    for (const rec of generator.generateRecords()) {
      const v0 = evaluateRequest(was, rec, r1);
      const v1 = evaluateRequest(now, rec, r2);
      assert.equal(v0.action === "ALLOW", rec.action === "ALLOW", "the unchanged ACL reproduces the logged action");
      if (rec.httpRequest.clientIp === EXPECTED.scanner.ip) {
        if (v1.action === "ALLOW") counts.scannerThrough++;
        else counts.scannerBlocked++;
      } else if (rec.action === "BLOCK") {
        if (v1.action === "ALLOW") counts.through++;
        if (!v1.certain) counts.uncertain++;
      } else if (v1.action !== "ALLOW") counts.allowedBlocked++;
    }
    assert.deepEqual(counts, {
      through: EXPECTED.uploads.requests + EXPECTED.health.requests,
      uncertain: EXPECTED.uploads.requests + EXPECTED.health.requests,
      scannerBlocked: EXPECTED.scanner.admin + EXPECTED.scanner.xss + EXPECTED.scanner.log4j,
      scannerThrough: 0,
      allowedBlocked: 0,
    });
  });

  it("--pattern picks which exceptions go into the change; --exception-mode count writes the new rule in count", () => {
    const r = runCli(["logs", logs, "--source", EXAMPLE, "--diff", "--pattern", "2", "--exception-mode", "count"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\+ {4}name {5}= "common-NoUserAgent_HEADER-except"\n\+ {4}priority = 2\n\+ {4}action \{\n\+ {6}count \{\}/);
    assert.doesNotMatch(r.stdout, /SizeRestrictions_BODY/);
  });

  it("an exception whose scope would also let another pattern through is not offered", async () => {
    // /prod/orders/{id} as a literal path pattern (no configuration): its regex also matches /prod/orders/export,
    // which the same sub-rule blocked as a pattern of its own.
    const dir = mkdtempSync(join(tmpdir(), "wafguard-logs-narrow-"));
    writeFileSync(join(dir, "main.tf"), readFileSync(join(EXAMPLE, "main.tf"), "utf8").replace(/resource "aws_api_gateway_resource"[^]*?\n}\n/g, ""));
    const label = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";
    const records = [
      ...Array.from({ length: 5 }, (_, i) => record({ ip: `203.0.113.${i}`, method: "GET", uri: `/prod/orders/${100 + i}`, label })),
      ...Array.from({ length: 3 }, () => record({ ip: "203.0.113.99", method: "GET", uri: "/prod/orders/export", label })),
    ];
    writeFileSync(join(dir, "waf.jsonl"), records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const r = runCli(["logs", "waf.jsonl", "--source", ".", "--format", "json"], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { patterns: JsonPattern[] };
    const ids = out.patterns.find((p) => p.path === "/prod/orders/{id}")!;
    const exp = out.patterns.find((p) => p.path === "/prod/orders/export")!;
    assert.equal(ids.requests, 5);
    assert.equal(ids.exception, null);
    assert.match(ids.not_offered!, /also let through 3 blocked request\(s\) outside the pattern/);
    assert.ok(exp.exception, exp.not_offered); // the literal path's regex matches only itself
    assert.equal(exp.verified!.unblocked, 3);
  });

  it("bad log input: one line naming the file and line, exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-logs-bad-"));
    const good = JSON.stringify(record({}));
    writeFileSync(join(dir, "corrupt.jsonl"), `${good}\n{"timestamp": 1, "webaclId": \n`);
    writeFileSync(join(dir, "other.json"), JSON.stringify({ hello: "world" }));
    for (const [file, message] of [
      ["corrupt.jsonl", /corrupt\.jsonl:2: /],
      ["other.json", /other\.json:1: not a WAF log record/],
      ["missing.log", /missing\.log/],
    ] as Array<[string, RegExp]>) {
      const r = runCli(["logs", file], { cwd: dir });
      assert.equal(r.status, 2, `${file}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
    }
  });

  it("text and Markdown show the table a person reads during an incident", () => {
    const text = runCli(["logs", logs, "--source", EXAMPLE]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /#\s+REQUESTS\s+CLIENTS\s+SHARE\s+ACTION\s+RULE \/ SUB-RULE\s+METHOD\s+ROUTE/);
    assert.match(text.stdout, /\n1\s+150\s+15\s+6\.5%\s+BLOCK\s+common \/ SizeRestrictions_BODY\s+POST\s+\/prod\/orders\/\{id\}\/attachments/);
    assert.match(text.stdout, /looks legitimate: 15\/15 clients also allowed · 150\/150 authenticated/);
    assert.match(text.stdout, /All 2 exceptions of aws_wafv2_web_acl\.api together: verified by replay: unblock 246, 60 stay blocked/);
    const md = runCli(["logs", logs, "--source", EXAMPLE, "--format", "markdown"]);
    assert.match(md.stdout, /\| 1 \| 150 \| 15 \| 6\.5% \| BLOCK \| common \/ SizeRestrictions_BODY \| POST \| `\/prod\/orders\/\{id\}\/attachments` \|/);
    assert.match(md.stdout, /```diff\ndiff --git a\//);
  });
});

describe("logs: --plan", () => {
  it("reads the web ACL that wrote the logs from the plan's `before`, and places the diff with --source", () => {
    const acl = exampleModel().resources.find((r) => r.address === ACL)!;
    const enforced = structuredClone(acl.values);
    const counted = structuredClone(acl.values) as { rule: Array<Record<string, unknown>> };
    for (const r of counted.rule) if (r.override_action) r.override_action = [{ count: [{}] }]; // the plan counts every group
    const plan = {
      format_version: "1.2",
      terraform_version: "1.9.8",
      resource_changes: [{ address: ACL, mode: "managed", type: "aws_wafv2_web_acl", name: "api", provider_name: "registry.terraform.io/hashicorp/aws", change: { actions: ["update"], before: enforced, after: counted, after_unknown: {} } }],
    };
    const dir = mkdtempSync(join(tmpdir(), "wafguard-logs-plan-"));
    writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
    const r = runCli(["logs", join(EXAMPLE, "waf-logs"), "--plan", join(dir, "plan.json"), "--source", EXAMPLE, "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { patterns: Array<{ managed_rule: string | null; path: string; requests: number; exception: { location?: { file: string; line: number } } | null; verified: { unblocked: number } | null }>; combined: Array<{ diff: string | null; exact: boolean }>; replay_mismatch: Record<string, number> };
    assert.deepEqual(out.replay_mismatch, {}, "the `before` ACL reproduces the logged actions");
    // Without the API's resources in the plan, routes are literal paths with IDs collapsed.
    const uploads = out.patterns.find((p) => p.managed_rule === "SizeRestrictions_BODY")!;
    assert.equal(uploads.path, "/prod/orders/{id}/attachments");
    assert.equal(uploads.verified!.unblocked, 150);
    assert.match(uploads.exception!.location!.file, /examples\/logs\/main\.tf$/);
    assert.equal(uploads.exception!.location!.line, 75);
    assert.equal(out.combined[0].exact, true);
    assert.match(out.combined[0].diff!, /^diff --git a\/.*examples\/logs\/main\.tf/);
  });
});

describe("logs: rate-based rules", () => {
  it("raises the limit to the observed peak per IP plus the stated margin, verified by replay, as a diff of the limit", () => {
    // A partner's batch job: 2,400 requests in 4 minutes; the 2,000 limit per 5 minutes blocked the last 400.
    const start = Date.UTC(2026, 10, 23, 9);
    const batch: WafLogRecord[] = Array.from({ length: 2400 }, (_, i) => {
      const r = record({ ip: "198.51.100.20", method: "POST", uri: "/prod/orders", headers: [{ name: "User-Agent", value: "aws-sdk-java/2.25" }, { name: "Authorization", value: "Bearer x" }], ts: start + i * 100, action: i < 2000 ? "ALLOW" : "BLOCK", sub: null });
      if (i >= 2000) {
        r.terminatingRuleId = "rate-per-ip";
        r.terminatingRuleType = "RATE_BASED";
        r.rateBasedRuleList = [{ rateBasedRuleName: "rate-per-ip", limitKey: "IP", maxRateAllowed: 2000, evaluationWindowSec: "300" }];
        r.ruleGroupList = [];
      } else r.ruleGroupList!.push({ ruleGroupId: "AWS#AWSManagedRulesKnownBadInputsRuleSet", terminatingRule: null, nonTerminatingMatchingRules: [], excludedRules: null });
      return r;
    });
    const dir = mkdtempSync(join(tmpdir(), "wafguard-logs-rate-"));
    cpSync(join(EXAMPLE, "main.tf"), join(dir, "main.tf"));
    writeFileSync(join(dir, "waf.jsonl"), batch.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const r = runCli(["logs", "waf.jsonl", "--source", ".", "--format", "json"], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { patterns: Array<{ rule: string; requests: number; exception: { hcl: string; cdktf?: string; module?: string } | null; not_offered?: string; verified: { unblocked: number; other_unblocked: number } | null }>; combined: Array<{ exact: boolean; diff: string }> };
    const [p] = out.patterns;
    assert.equal(p.rule, "rate-per-ip");
    assert.equal(p.requests, 400);
    assert.ok(p.exception, p.not_offered);
    assert.equal(p.verified!.unblocked, 400);
    assert.match(p.exception.hcl, /the busiest IP sent 2400 requests within 300 s; 20% above that\nlimit = 2880$/);
    assert.match(p.exception.cdktf!, /^rateLimit: 2880,/);
    assert.match(p.exception.module!, /^rate_limit = 2880 /);
    assert.match(out.combined[0].diff, /\n-        limit              = 2000\n\+        # wafguard logs: .*\n\+        limit              = 2880\n/);
  });
});

describe("logs: rate-based peaks count what the rule counts", () => {
  const start = Date.UTC(2026, 10, 23, 9);
  /** The example's rate rule with another statement, and logs written by it: its blocks after the 2,000th counted request. */
  function run(statement: string, records: WafLogRecord[]) {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-logs-rate-"));
    const tf = readFileSync(join(EXAMPLE, "main.tf"), "utf8");
    const rate = '      rate_based_statement {\n        aggregate_key_type = "IP"\n        limit              = 2000\n      }\n';
    assert.ok(tf.includes(rate));
    writeFileSync(join(dir, "main.tf"), tf.replace(rate, statement));
    writeFileSync(join(dir, "waf.jsonl"), records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const r = runCli(["logs", "waf.jsonl", "--source", ".", "--format", "json"], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { patterns: Array<{ rule: string; requests: number; exception: { hcl: string; cdktf?: string; module?: string } | null; not_offered?: string; verified: { unblocked: number; other_unblocked: number } | null }> };
  }
  const allowed = (r: WafLogRecord) => {
    r.ruleGroupList!.push({ ruleGroupId: "AWS#AWSManagedRulesKnownBadInputsRuleSet", terminatingRule: null, nonTerminatingMatchingRules: [], excludedRules: null });
    return r;
  };
  const rateBlocked = (r: WafLogRecord) => {
    r.terminatingRuleId = "rate-per-ip";
    r.terminatingRuleType = "RATE_BASED";
    r.rateBasedRuleList = [{ rateBasedRuleName: "rate-per-ip", maxRateAllowed: 2000, evaluationWindowSec: "300" }];
    r.ruleGroupList = [];
    return r;
  };

  it("a scope-down statement: only the requests in scope count toward the peak (a client's other requests do not)", () => {
    // One partner: 2,400 order uploads (in scope, the last 400 blocked) and 3,000 health checks (out of scope,
    // all allowed) in the same 4 minutes. Counting every request of the IP would give 5,400 and a limit of 6,480.
    const headers = [{ name: "User-Agent", value: "aws-sdk-java/2.25" }];
    const orders = Array.from({ length: 2400 }, (_, i) => {
      const r = record({ ip: "198.51.100.20", method: "POST", uri: "/prod/orders", headers, ts: start + i * 100, action: i < 2000 ? "ALLOW" : "BLOCK", sub: null });
      return i < 2000 ? allowed(r) : rateBlocked(r);
    });
    const health = Array.from({ length: 3000 }, (_, i) => allowed(record({ ip: "198.51.100.20", method: "GET", uri: "/prod/health", headers, ts: start + i * 80 + 7, action: "ALLOW", sub: null })));
    const scoped = [
      "      rate_based_statement {",
      '        aggregate_key_type = "IP"',
      "        limit              = 2000",
      "        scope_down_statement {",
      "          byte_match_statement {",
      '            search_string         = "/prod/orders"',
      '            positional_constraint = "STARTS_WITH"',
      "            field_to_match {",
      "              uri_path {}",
      "            }",
      "            text_transformation {",
      "              priority = 0",
      '              type     = "NONE"',
      "            }",
      "          }",
      "        }",
      "      }",
      "",
    ].join("\n");
    const out = run(scoped, [...orders, ...health].sort((a, b) => a.timestamp - b.timestamp));
    const [p] = out.patterns;
    assert.equal(p.rule, "rate-per-ip");
    assert.equal(p.requests, 400);
    assert.ok(p.exception, p.not_offered);
    assert.match(p.exception.hcl, /the busiest IP sent 2400 requests within 300 s; 20% above that\nlimit = 2880$/);
    assert.deepEqual({ unblocked: p.verified!.unblocked, other: p.verified!.other_unblocked }, { unblocked: 400, other: 0 });
  });

  it("custom keys: the peak is per aggregation key (one API key from many IPs), and no per-IP construct or module prop is offered", () => {
    const keyed = [
      "      rate_based_statement {",
      '        aggregate_key_type = "CUSTOM_KEYS"',
      "        limit              = 2000",
      "        custom_key {",
      "          header {",
      '            name = "x-api-key"',
      "            text_transformation {",
      "              priority = 0",
      '              type     = "NONE"',
      "            }",
      "          }",
      "        }",
      "      }",
      "",
    ].join("\n");
    // 2,400 requests with one API key from ten addresses: no single IP comes near 2,000.
    const records = Array.from({ length: 2400 }, (_, i) => {
      const headers = [
        { name: "User-Agent", value: "aws-sdk-java/2.25" },
        { name: "x-api-key", value: "partner-1" },
      ];
      const r = record({ ip: `198.51.100.${20 + (i % 10)}`, method: "POST", uri: "/prod/orders", headers, ts: start + i * 100, action: i < 2000 ? "ALLOW" : "BLOCK", sub: null });
      return i < 2000 ? allowed(r) : rateBlocked(r);
    });
    const [p] = run(keyed, records).patterns;
    assert.equal(p.requests, 400);
    assert.ok(p.exception, p.not_offered);
    assert.match(p.exception.hcl, /the busiest aggregation key sent 2400 requests within 300 s; 20% above that\nlimit = 2880$/);
    assert.equal(p.exception.cdktf, undefined);
    assert.equal(p.exception.module, undefined);
    assert.equal(p.verified!.unblocked, 400);
  });
});

describe("logs: hostile input in what gets written", () => {
  it("quotes, template sequences and backslashes in a logged path or method stay literal in the HCL that is written", () => {
    const path = '/prod/admin/"${jndi:x}%{if}\\';
    // (A method with `${` is written as `$${`, HCL's literal escape, but hcl2-parser, which wafguard's .tf loader
    // uses, unescapes it to `${`, so it could not be read back here: hclString is checked on its own below.)
    const method = 'GET"X\\%{y}';
    const records = Array.from({ length: 3 }, () => {
      const r = record({ ip: "203.0.113.7", method, uri: path, sub: null });
      r.terminatingRuleId = "block-admin";
      r.terminatingRuleType = "REGULAR";
      return r;
    });
    const dir = mkdtempSync(join(tmpdir(), "wafguard-logs-hostile-"));
    cpSync(join(EXAMPLE, "main.tf"), join(dir, "main.tf"));
    writeFileSync(join(dir, "waf.jsonl"), records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const d = runCli(["logs", "waf.jsonl", "--source", ".", "--diff"], { cwd: dir });
    assert.equal(d.status, 0, d.stderr);
    writeFileSync(join(dir, "x.diff"), d.stdout);
    const applied = spawnSync("git", ["apply", "x.diff"], { cwd: dir, encoding: "utf8" });
    assert.equal(applied.status, 0, applied.stderr);
    const rules = aclFromModel(exampleModel(dir), ACL, "after")!.values.rule as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const admin = rules.find((r) => r.name === "block-admin")!;
    const scope = admin.statement[0].and_statement[0].statement[1].not_statement[0].statement[0].and_statement[0].statement;
    assert.equal(scope[0].byte_match_statement[0].search_string, method);
    assert.equal(scope[1].regex_match_statement[0].regex_string, routeRegex(path));
    assert.ok(new RegExp(routeRegex(path)).test(path));
  });

  it("hclString keeps template sequences literal: $${ and %%{", () => {
    assert.equal(hclString('a${b}%{c}"\\'), '"a$${b}%%{c}\\"\\\\"');
  });

  it("a web ACL whose rules are dynamic blocks gets the exception as code, but no diff, and says why", () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-logs-dynamic-"));
    const tf = readFileSync(join(EXAMPLE, "main.tf"), "utf8").replace(/  rule \{\n    name     = "common"\n[^]*?\n  \}\n\n  rule \{\n    name     = "known-bad-inputs"/, `  dynamic "rule" {
    for_each = ["common"]
    content {
      name     = rule.value
      priority = 1
      override_action {
        none {}
      }
      statement {
        managed_rule_group_statement {
          name        = "AWSManagedRulesCommonRuleSet"
          vendor_name = "AWS"
        }
      }
      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = rule.value
        sampled_requests_enabled   = true
      }
    }
  }

  rule {
    name     = "known-bad-inputs"`);
    assert.match(tf, /dynamic "rule"/);
    writeFileSync(join(dir, "main.tf"), tf);
    const label = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";
    writeFileSync(join(dir, "waf.jsonl"), Array.from({ length: 4 }, () => JSON.stringify(record({ label }))).join("\n") + "\n");
    const r = runCli(["logs", "waf.jsonl", "--source", ".", "--format", "json"], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { patterns: Array<{ exception: { hcl: string } | null; not_offered?: string }>; combined: Array<{ diff: string | null; diff_error?: string }> };
    assert.ok(out.patterns[0].exception, out.patterns[0].not_offered);
    assert.equal(out.combined[0].diff, null);
    assert.match(out.combined[0].diff_error!, /rule "common" is not written as a literal rule block/);
    const d = runCli(["logs", "waf.jsonl", "--source", ".", "--diff"], { cwd: dir });
    assert.equal(d.status, 0);
    assert.equal(d.stdout, "");
    assert.match(d.stderr, /no patch: rule "common" is not written as a literal rule block/);
  });
});

describe("logs: the construct's props", () => {
  it("WafProtectedApi with the exceptions `wafguard logs` wrote synthesizes, and replays as the patched web ACL does", async () => {
    const r = runCli(["logs", join(EXAMPLE, "waf-logs"), "--source", EXAMPLE, "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { patterns: Array<{ selected: boolean; exception: { waf_exception?: WafException } | null }> };
    const exceptions = out.patterns.filter((p) => p.selected && p.exception?.waf_exception).map((p) => p.exception!.waf_exception!);
    assert.equal(exceptions.length, 2);

    const { App, TerraformStack } = await import("cdktf");
    const { AwsProvider } = await import("@cdktf/provider-aws/lib/provider");
    const { ApiGatewayRestApi } = await import("@cdktf/provider-aws/lib/api-gateway-rest-api");
    const { ApiGatewayDeployment } = await import("@cdktf/provider-aws/lib/api-gateway-deployment");
    const { ApiGatewayStage } = await import("@cdktf/provider-aws/lib/api-gateway-stage");
    const { WafProtectedApi } = await import("../src/construct/cdktf");
    const outdir = join(mkdtempSync(join(tmpdir(), "wafguard-logs-cdktf-")), "cdktf.out");
    const app = new App({ outdir, skipValidation: true });
    const stack = new TerraformStack(app, "orders");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const api = new ApiGatewayRestApi(stack, "orders", { name: "orders" });
    const deployment = new ApiGatewayDeployment(stack, "deployment", { restApiId: api.id });
    const prod = new ApiGatewayStage(stack, "prod", { restApiId: api.id, deploymentId: deployment.id, stageName: "prod" });
    new WafProtectedApi(stack, "waf", { stages: [prod], name: "orders-api", mode: "enforce", exceptions });
    app.synth();

    const model = loadInput(outdir).model;
    const address = model.resources.find((x) => x.type === "aws_wafv2_web_acl")!.address;
    const logged = aclFromModel(exampleModel(), ACL, "after")!;
    const construct = aclFromModel(model, address, "after")!;
    const changes: ExceptionChange[] = exceptions.map((exception) => ({ kind: "managed-sub-rule", aclRule: "common", exception }));
    const patched = { ...logged, values: applyExceptions(logged.values, changes) };
    const { compileAcl, evaluateRequest, RateState } = await import("../src/traffic/evaluate");
    const [viaConstruct, viaPatch] = [compileAcl(construct, { logged }), compileAcl(patched, { logged })];
    const [r1, r2] = [new RateState(), new RateState()];
    const { EXPECTED } = generator;
    let compared = 0;
    const through = { legitimate: 0, scanner: 0 };
    // The construct counts both sub-rules by default: these requests, outside the exceptions' routes, tell
    // whether its exception rules block the labels everywhere else, as the patched .tf does.
    const outside = [
      record({ ip: "203.0.113.200", method: "POST", uri: "/prod/orders", label: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" }),
      record({ ip: "203.0.113.201", method: "GET", uri: "/prod/orders/5", headers: [], sub: "NoUserAgent_HEADER", label: "awswaf:managed:aws:core-rule-set:NoUserAgent_Header" }),
    ];
    const rules = construct.values.rule as Array<{ name: string }>;
    assert.ok(rules.some((x) => x.name === "common-SizeRestrictions_BODY-exception") && rules.some((x) => x.name === "common-NoUserAgent_HEADER-exception"), rules.map((x) => x.name).join(", "));
    for (const rec of outside) {
      const [a, b] = [evaluateRequest(viaConstruct, rec, new RateState()), evaluateRequest(viaPatch, rec, new RateState())];
      assert.equal(a.action, "BLOCK", `${rec.httpRequest.uri}: ${a.terminatingRule}`);
      assert.equal(b.action, "BLOCK");
    }
    for (const rec of generator.generateRecords()) {
      const [a, b] = [evaluateRequest(viaConstruct, rec, r1), evaluateRequest(viaPatch, rec, r2)];
      if (rec.terminatingRuleId === "block-admin") continue; // a rule of the example's own that the construct does not have
      compared++;
      assert.equal(a.action, b.action, `${rec.httpRequest.httpMethod} ${rec.httpRequest.uri}: construct ${a.action} (${a.terminatingRule}), patched .tf ${b.action} (${b.terminatingRule})`);
      if (rec.action === "BLOCK" && a.action === "ALLOW") {
        if (rec.httpRequest.clientIp === EXPECTED.scanner.ip) through.scanner++;
        else through.legitimate++;
      }
    }
    assert.equal(compared, 2306 - EXPECTED.scanner.admin);
    assert.deepEqual(through, { legitimate: EXPECTED.uploads.requests + EXPECTED.health.requests, scanner: 0 });
  });
});

describe("logs: exceptions next to IP-set references", () => {
  it("rules after the group and narrowed statements keep resolving their IP sets by reference", () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-logs-ipset-"));
    const visibility = (n: string) => `    visibility_config {\n      cloudwatch_metrics_enabled = true\n      metric_name                = "${n}"\n      sampled_requests_enabled   = true\n    }`;
    writeFileSync(join(dir, "main.tf"), `resource "aws_wafv2_ip_set" "partners" {
  name               = "partners"
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses          = ["198.51.100.0/24"]
}

resource "aws_wafv2_ip_set" "bad" {
  name               = "bad"
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses          = ["192.0.2.0/24"]
}

resource "aws_wafv2_web_acl" "api" {
  name  = "orders-api"
  scope = "REGIONAL"
  default_action {
    allow {}
  }
  rule {
    name     = "common"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
      }
    }
${visibility("common")}
  }
  rule {
    name     = "partners-only-admin"
    priority = 2
    action {
      block {}
    }
    statement {
      and_statement {
        statement {
          byte_match_statement {
            search_string         = "/prod/admin"
            positional_constraint = "STARTS_WITH"
            field_to_match {
              uri_path {}
            }
            text_transformation {
              priority = 0
              type     = "NONE"
            }
          }
        }
        statement {
          not_statement {
            statement {
              ip_set_reference_statement {
                arn = aws_wafv2_ip_set.partners.arn
              }
            }
          }
        }
      }
    }
${visibility("partners-only-admin")}
  }
  rule {
    name     = "block-bad-ips"
    priority = 3
    action {
      block {}
    }
    statement {
      ip_set_reference_statement {
        arn = aws_wafv2_ip_set.bad.arn
      }
    }
${visibility("block-bad-ips")}
  }
${visibility("orders-api").replace(/^ {2}/gm, "")}
}
`);
    const regular = (ip: string, uri: string, rule: string) => {
      const r = record({ ip, method: "GET", uri, sub: null });
      r.terminatingRuleId = rule;
      r.terminatingRuleType = "REGULAR";
      return r;
    };
    const records = [
      ...Array.from({ length: 5 }, (_, i) => record({ ip: `203.0.113.${i + 1}`, uri: "/prod/upload", label: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" })),
      ...Array.from({ length: 4 }, () => regular("203.0.113.50", "/prod/admin/report", "partners-only-admin")),
      ...Array.from({ length: 3 }, () => regular("203.0.113.51", "/prod/admin/other", "partners-only-admin")),
      ...Array.from({ length: 3 }, () => regular("192.0.2.9", "/prod/x", "block-bad-ips")),
      ...Array.from({ length: 6 }, (_, i) => record({ ip: `198.51.100.${i + 1}`, uri: "/prod/admin/report", method: "GET", action: "ALLOW" })),
    ];
    writeFileSync(join(dir, "waf.jsonl"), records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const r = runCli(["logs", "waf.jsonl", "--source", ".", "--format", "json"], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    type P = { rule: string; path: string; requests: number; exception: unknown; not_offered?: string; verified: { unblocked: number; uncertain: number; other_unblocked: number } | null };
    const out = JSON.parse(r.stdout) as { patterns: P[]; replay_mismatch: Record<string, number> };
    assert.deepEqual(out.replay_mismatch, {});
    const at = (path: string) => out.patterns.find((p) => p.path === path)!;
    for (const [path, n, uncertain] of [["/prod/upload", 5, 5], ["/prod/admin/report", 4, 0], ["/prod/admin/other", 3, 0]] as Array<[string, number, number]>) {
      const p = at(path);
      assert.ok(p.exception, `${path}: ${p.not_offered}`);
      assert.equal(p.verified!.unblocked, n, path);
      assert.equal(p.verified!.uncertain, uncertain, path);
      assert.equal(p.verified!.other_unblocked, 0, path);
    }
    // The block list's entry that holds the client comes out of the IP set; nothing else was blocked by it.
    const bad = at("/prod/x");
    assert.ok(bad.exception, bad.not_offered);
    assert.equal(bad.verified!.unblocked, 3);
    assert.match((bad.exception as { hcl: string }).hcl, /aws_wafv2_ip_set\.bad: addresses without 192\.0\.2\.0\/24/);
    const d = runCli(["logs", "waf.jsonl", "--source", ".", "--diff", "--pattern", "1,2,3,4"], { cwd: dir });
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stdout, /\n-  addresses          = \["192\.0\.2\.0\/24"\]\n\+  addresses          = \[\]\n/);
    writeFileSync(join(dir, "x.diff"), d.stdout);
    const applied = spawnSync("git", ["apply", "x.diff"], { cwd: dir, encoding: "utf8" });
    assert.equal(applied.status, 0, applied.stderr);
    const model = loadInput(dir, { types: TYPES }).model;
    assert.deepEqual(model.resources.find((x) => x.address === "aws_wafv2_ip_set.bad")!.values.addresses, []);
  });

  it("an allow list the rule negates gets the pattern's clients added", () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-logs-allowlist-"));
    writeFileSync(join(dir, "main.tf"), `resource "aws_wafv2_ip_set" "office" {
  name               = "office"
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses = [
    "198.51.100.0/24",
  ]
}

resource "aws_wafv2_web_acl" "api" {
  name  = "orders-api"
  scope = "REGIONAL"
  default_action {
    allow {}
  }
  rule {
    name     = "office-only"
    priority = 0
    action {
      block {}
    }
    statement {
      not_statement {
        statement {
          ip_set_reference_statement {
            arn = aws_wafv2_ip_set.office.arn
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "office-only"
      sampled_requests_enabled   = true
    }
  }
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "orders-api"
    sampled_requests_enabled   = true
  }
}
`);
    const blocked = (ip: string, uri = "/prod/orders") => {
      const r = record({ ip, method: "GET", uri, sub: null });
      r.terminatingRuleId = "office-only";
      r.terminatingRuleType = "REGULAR";
      r.ruleGroupList = [];
      return r;
    };
    writeFileSync(join(dir, "waf.jsonl"), [blocked("203.0.113.9"), blocked("203.0.113.9"), blocked("203.0.113.10", "/prod/health")].map((r) => JSON.stringify(r)).join("\n") + "\n");
    // Two routes, one rule: the IP set's change is about clients, so one change serves both patterns.
    const json = runCli(["logs", "waf.jsonl", "--source", ".", "--format", "json"], { cwd: dir });
    const patterns = (JSON.parse(json.stdout) as { patterns: Array<{ path: string; exception: { hcl: string } | null; not_offered?: string; verified: { unblocked: number } }> }).patterns;
    assert.deepEqual(patterns.map((p) => [p.path, p.verified.unblocked]), [["/prod/orders", 3], ["/prod/health", 3]]);
    assert.ok(patterns.every((p) => p.exception), patterns.map((p) => p.not_offered).join("; "));
    assert.equal(patterns[0].exception!.hcl, patterns[1].exception!.hcl);
    const d = runCli(["logs", "waf.jsonl", "--source", ".", "--diff"], { cwd: dir });
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stdout, /\n-  addresses = \[\n-    "198\.51\.100\.0\/24",\n-  \]\n\+  addresses = \["198\.51\.100\.0\/24", "203\.0\.113\.10\/32", "203\.0\.113\.9\/32"\]\n/);
    writeFileSync(join(dir, "x.diff"), d.stdout);
    assert.equal(spawnSync("git", ["apply", "x.diff"], { cwd: dir, encoding: "utf8" }).status, 0);
    const values = loadInput(dir, { types: TYPES }).model.resources.find((x) => x.address === "aws_wafv2_ip_set.office")!.values;
    assert.deepEqual(values.addresses, ["198.51.100.0/24", "203.0.113.10/32", "203.0.113.9/32"]);
  });
});
