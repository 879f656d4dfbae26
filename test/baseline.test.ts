/**
 * Baselines: --create-baseline records today's findings by fingerprint (rule, address, subject);
 * --baseline reports only the others. Created on one plan, applied to a changed one.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fingerprint } from "../src/baseline";
import { ROOT, runCli, tempFile, type JsonReport } from "./helpers";

type Plan = { resource_changes: Array<Record<string, unknown>>; configuration: { root_module: { resources: Array<Record<string, unknown>> } } };

const BROKEN = join(ROOT, "examples", "broken");
const original = (): Plan => JSON.parse(readFileSync(join(BROKEN, "plan.json"), "utf8")) as Plan;
const mainTf = readFileSync(join(BROKEN, "main.tf"), "utf8");

/** A plan and its .tf in a fresh directory. */
function planDir(plan: Plan, tf = mainTf): string {
  const dir = mkdtempSync(join(tmpdir(), "wafguard-baseline-"));
  writeFileSync(join(dir, "plan.json"), JSON.stringify(plan, null, 2));
  writeFileSync(join(dir, "main.tf"), tf);
  return join(dir, "plan.json");
}

/** The same change, later: a new stage without WAF (a new finding), resources reordered, a lower rate limit (same subject, new wording), every block moved down. */
function changedPlan(): string {
  const plan = original();
  const copyAs = <T extends Record<string, unknown>>(r: T): T => JSON.parse(JSON.stringify(r).replace(/staging/g, "dev")) as T;
  plan.resource_changes.push(copyAs(plan.resource_changes.find((r) => r.address === "aws_api_gateway_stage.staging")!));
  plan.configuration.root_module.resources.push(copyAs(plan.configuration.root_module.resources.find((r) => r.address === "aws_api_gateway_stage.staging")!));
  plan.resource_changes.reverse();
  const text = JSON.stringify(plan).replace(/"limit":100\b/g, '"limit":50');
  const devBlock = '\nresource "aws_api_gateway_stage" "dev" {\n  rest_api_id   = aws_api_gateway_rest_api.orders.id\n  deployment_id = aws_api_gateway_deployment.this.id\n  stage_name    = "dev"\n}\n';
  return planDir(JSON.parse(text) as Plan, `# moved down by this comment\n\n\n${mainTf}${devBlock}`);
}

function check(path: string, args: string[]) {
  const r = runCli(["check", path, "--format", "json", "--fail-on", "warning", ...args]);
  assert.notEqual(r.status, 2, r.stderr);
  return { status: r.status, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

describe("baselines", () => {
  it("created on one plan and applied to a changed plan: only the new finding is reported, and fails", () => {
    const before = planDir(original());
    const baseline = join(mkdtempSync(join(tmpdir(), "wafguard-bl-")), "wafguard-baseline.json");
    const created = check(before, ["--create-baseline", baseline]);
    assert.equal(created.status, 0); // recording the baseline does not fail the run
    assert.match(created.stderr, /^wafguard: recorded 9 findings in .*wafguard-baseline\.json; check against it with --baseline/);
    const recorded = JSON.parse(readFileSync(baseline, "utf8")) as { findings: Array<{ rule: string; address: string; fingerprint: string }> };
    assert.equal(recorded.findings.length, created.report.findings.length);
    assert.ok(recorded.findings.some((f) => f.rule === "WG301" && f.address === "aws_wafv2_web_acl.api"));

    const after = check(changedPlan(), ["--baseline", baseline]);
    assert.deepEqual(
      after.report.findings.map((f) => [f.rule, f.address]),
      [["WG406", "aws_api_gateway_stage.dev"]],
    );
    assert.equal(after.report.summary.baseline, 9);
    assert.equal(after.status, 1);
    // Without the baseline the changed plan has everything, moved lines and new wording included.
    const all = check(changedPlan(), []).report.findings;
    assert.equal(all.length, 10);
    assert.match(all.find((f) => f.rule === "WG301")!.message, /above 50 requests/);
    assert.equal(all.find((f) => f.rule === "WG402")!.location?.line, 93);
  });

  it("applied to the same plan with moved lines, nothing is left and the run passes", () => {
    const baseline = tempFile("baseline.json", "");
    check(planDir(original()), ["--create-baseline", baseline]);
    const moved = planDir(original(), `\n\n\n\n${mainTf}`);
    const r = check(moved, ["--baseline", baseline]);
    assert.deepEqual(r.report.findings, []);
    assert.equal(r.status, 0);
    const text = runCli(["check", moved, "--baseline", baseline]);
    assert.match(text.stdout, /^0 errors, 0 warnings, 0 info, 9 in the baseline \(not shown\)$/m);
    assert.match(runCli(["check", moved, "--baseline", baseline, "--format", "markdown"]).stdout, /0 errors · 0 warnings · 0 info · 9 in the baseline/);
  });

  it("fingerprints are stable across reorderings, and SARIF carries the same ones", () => {
    const sarifPrints = (path: string) =>
      (JSON.parse(runCli(["check", path, "--format", "sarif"]).stdout).runs[0].results as Array<{ ruleId: string; partialFingerprints: Record<string, string> }>)
        .map((r) => `${r.ruleId} ${r.partialFingerprints["wafguard/v1"]}`)
        .sort();
    const reordered = original();
    reordered.resource_changes.reverse();
    reordered.configuration.root_module.resources.reverse();
    const a = sarifPrints(planDir(original()));
    assert.equal(a.length, 9);
    assert.deepEqual(sarifPrints(planDir(reordered)), a);
    const baseline = tempFile("baseline.json", "");
    check(planDir(original()), ["--create-baseline", baseline]);
    const recorded = (JSON.parse(readFileSync(baseline, "utf8")) as { findings: Array<{ rule: string; fingerprint: string }> }).findings.map((f) => `${f.rule} ${f.fingerprint}`).sort();
    assert.deepEqual(recorded, a);
  });

  it("a fingerprint is rule, address and subject: not wording, numbers or the order of related resources", () => {
    const f = { rule: "WG301", address: "aws_wafv2_web_acl.api", message: 'rule "rate-per-ip" blocks any client above 100 requests', related: ["b", "a"] };
    assert.equal(fingerprint(f), fingerprint({ ...f, message: 'rule "rate-per-ip" now blocks clients above 50 requests', related: ["a", "b"] }));
    assert.notEqual(fingerprint(f), fingerprint({ ...f, message: 'rule "rate-per-user" blocks any client above 100 requests' })); // another WAF rule of the ACL
    assert.notEqual(fingerprint(f), fingerprint({ ...f, address: "aws_wafv2_web_acl.other" }));
    assert.notEqual(fingerprint(f), fingerprint({ ...f, rule: "WG303" }));
    assert.notEqual(fingerprint(f), fingerprint({ ...f, related: ["a"] }));
    assert.match(fingerprint(f), /^[0-9a-f]{32}$/);
  });

  it("a waived finding is not recorded, and stays reported as waived", () => {
    const baseline = tempFile("baseline.json", "");
    const waivers = tempFile(".wafguard.yml", "waivers:\n  - rule: WG406\n    address: '*'\n    reason: Staging is reachable only from the VPN\n");
    check(planDir(original()), ["--create-baseline", baseline, "--waivers", waivers]);
    const recorded = JSON.parse(readFileSync(baseline, "utf8")) as { findings: Array<{ rule: string }> };
    assert.equal(recorded.findings.length, 8);
    assert.ok(!recorded.findings.some((f) => f.rule === "WG406"));
  });

  for (const [what, content, error] of [
    ["not JSON", "findings: []", /not a wafguard baseline \(not JSON\)/],
    ["another tool's file", '{"results": []}', /not a wafguard baseline \(expected/],
    ["a bad fingerprint", '{"tool": "wafguard", "fingerprint": "wafguard/v1", "findings": [{"fingerprint": "x"}]}', /finding 1 has no valid fingerprint/],
  ] as const) {
    it(`a baseline that is ${what} is exit 2 with one line naming the file`, () => {
      const file = tempFile("baseline.json", content);
      const r = runCli(["check", join(BROKEN, "plan.json"), "--baseline", file]);
      assert.equal(r.status, 2);
      assert.equal(r.stderr.split("\n").length, 2);
      assert.ok(r.stderr.startsWith(`wafguard: ${file}: `), r.stderr);
      assert.match(r.stderr, error);
    });
  }

  it("a missing baseline, or both flags at once, is exit 2", () => {
    assert.match(runCli(["check", join(BROKEN, "plan.json"), "--baseline", "/nonexistent/b.json"]).stderr, /^wafguard: \/nonexistent\/b\.json: does not exist\n$/);
    const r = runCli(["check", join(BROKEN, "plan.json"), "--baseline", "a.json", "--create-baseline", "b.json"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--baseline and --create-baseline do not go together/);
  });
});
