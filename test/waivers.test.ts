/** Waivers and options in .wafguard.yml: waived findings do not fail the run, expired ones do again. */
import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { globMatch } from "../src/waivers";
import { checkJson, planFixture, ROOT, runCli, tempFile } from "./helpers";

const plan = planFixture("wg406-stage-without-acl");
const waiverFile = (yaml: string) => tempFile(".wafguard.yml", yaml);

describe("waivers and options", () => {
  it("a waived finding is reported as waived and does not fail the run", () => {
    const file = waiverFile("waivers:\n  - rule: WG406\n    address: aws_api_gateway_stage.*\n    reason: Staging is reachable only from the VPN\n    expires: 2999-01-01\n");
    const args = ["check", plan, "--rule", "WG406", "--fail-on", "warning", "--waivers", file];
    assert.equal(runCli(args).status, 0);
    const report = checkJson(plan, ["--rule", "WG406", "--waivers", file]);
    assert.deepEqual(report.findings.map((f) => [f.rule, f.address, (f as { waived?: unknown }).waived]), [
      ["WG406", "aws_api_gateway_stage.staging", { reason: "Staging is reachable only from the VPN", expires: "2999-01-01" }],
    ]);
    assert.deepEqual(report.summary, { error: 0, warning: 0, info: 0, waived: 1 });
    assert.match(runCli(args).stdout, /waived .*WG406/);
  });

  it("an expired waiver no longer hides its finding, and says so", () => {
    const file = waiverFile("waivers:\n  - rule: WG406\n    address: aws_api_gateway_stage.staging\n    reason: Staging is reachable only from the VPN\n    expires: 2020-01-31\n");
    const r = runCli(["check", plan, "--rule", "WG406", "--fail-on", "warning", "--waivers", file]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /its waiver expired on 2020-01-31/);
    const f = checkJson(plan, ["--rule", "WG406", "--waivers", file]).findings[0] as { waived?: unknown; waiver_expired?: unknown };
    assert.equal(f.waived, undefined);
    assert.deepEqual(f.waiver_expired, { reason: "Staging is reachable only from the VPN", expires: "2020-01-31" });
  });

  it("a waiver for another address or rule does not apply", () => {
    const file = waiverFile("waivers:\n  - rule: WG406\n    address: aws_api_gateway_stage.prod\n    reason: Not the stage this plan leaves open\n  - rule: WG150\n    address: '*'\n    reason: Logging is set up by the platform team\n");
    assert.equal(runCli(["check", plan, "--rule", "WG406", "--fail-on", "warning", "--waivers", file]).status, 1);
  });

  it("reads .wafguard.yml from the working directory by default", () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-cwd-"));
    writeFileSync(join(dir, ".wafguard.yml"), "waivers:\n  - rule: WG406\n    address: aws_api_gateway_stage.staging\n    reason: Staging is reachable only from the VPN\n");
    assert.equal(runCli(["check", plan, "--rule", "WG406", "--fail-on", "warning"], { cwd: dir }).status, 0);
    assert.equal(runCli(["check", plan, "--rule", "WG406", "--fail-on", "warning"], { cwd: ROOT }).status, 1);
  });

  it("options come from the file, and --option wins over it", () => {
    const file = waiverFile("options:\n  rate-threshold: 50\n");
    const broken = join(ROOT, "examples/broken/plan.json");
    assert.equal(checkJson(broken, ["--rule", "WG301"]).findings.length, 1);
    assert.equal(checkJson(broken, ["--rule", "WG301", "--waivers", file]).findings.length, 0);
    assert.equal(checkJson(broken, ["--rule", "WG301", "--waivers", file, "--option", "rate-threshold=500"]).findings.length, 1);
  });

  it("a malformed waiver file is exit 2 with one clear line", () => {
    const cases: Array<[string, RegExp]> = [
      ["waivers:\n  - rule: WG406\n    address: x\n", /reason is required, at least 10 characters/],
      ["waivers:\n  - rule: WG406\n    address: x\n    reason: short\n", /at least 10 characters/],
      ["waivers:\n  - rule: WG999\n    address: x\n    reason: a good long reason\n", /"WG999" is not a wafguard rule ID/],
      ["waivers:\n  - rule: WG406\n    address: x\n    reason: a good long reason\n    expires: next week\n", /expires must be a date/],
      ["waivers:\n  - rule: WG406\n    adress: x\n    reason: a good long reason\n", /unknown key "adress"/],
      ["waivers:\n  - rule: WG406\n    reason: a good long reason\n", /address is required/],
      ["waivers: [\n  oops\n", /:\d+: not valid YAML/],
      ["waiver:\n  - rule: WG406\n", /unknown key "waiver"/],
      ["waivers: {}\n", /`waivers` must be a list/],
      ["options:\n  rate-treshold: 100\n", /options: unknown option "rate-treshold"; known options: traffic-block-share \(WG120\), rate-threshold \(WG301\)/],
    ];
    for (const [yaml, pattern] of cases) {
      const r = runCli(["check", plan, "--waivers", waiverFile(yaml)]);
      assert.equal(r.status, 2, yaml);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, pattern, yaml);
    }
    const typo = runCli(["check", plan, "--option", "rate-treshold=100"]);
    assert.equal(typo.status, 2);
    assert.equal(typo.stderr.trim(), 'wafguard: --option rate-treshold=...: unknown option "rate-treshold"; known options: traffic-block-share (WG120), rate-threshold (WG301)');
    const missing = runCli(["check", plan, "--waivers", "/nonexistent.yml"]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nonexistent\.yml: does not exist/);
  });

  it("address globs: * any run, ? one character, everything else literal", () => {
    assert.ok(globMatch('module.api["*"].aws_api_gateway_stage.this', 'module.api["eu"].aws_api_gateway_stage.this'));
    assert.ok(globMatch("aws_api_gateway_stage.s[?]", "aws_api_gateway_stage.s[0]"));
    assert.ok(!globMatch("aws_api_gateway_stage.s[0]", "aws_api_gateway_stage.s0"));
    assert.ok(!globMatch("aws_api_gateway_stage.prod", "aws_api_gateway_stage.prod2"));
  });

  it("address globs match as the regular expression they stand for, without its backtracking", () => {
    const asRegExp = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]")}$`);
    const text = fc.string({ unit: fc.constantFrom("a", "b", ".", "[", "*", "?"), maxLength: 12 });
    fc.assert(fc.property(text, text, (pattern, address) => globMatch(pattern, address) === asRegExp(pattern).test(address)), { numRuns: 3000 });
    // 40 stars against a near miss: a backtracking regular expression takes minutes here.
    assert.equal(globMatch(`${"*a".repeat(40)}!`, "a".repeat(60)), false);
    assert.equal(globMatch(`${"?*".repeat(60000)}`, "aws_wafv2_web_acl.api"), false);
  });
});
