/** The CLI contract: commands, formats, exit codes, filters. */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { checkJson, planFixture, runCli, tempFile } from "./helpers";

describe("cli", () => {
  // Each fixture gives one finding of the rules named: one warning, one error.
  const failing = planFixture("wg406-stage-without-acl");
  const erroring = planFixture("wg401-cloudfront-acl");
  const only = ["--rule", "WG401,WG406"];

  it("no arguments: usage on stderr and exit 2; --help: usage on stdout and exit 0", () => {
    const none = runCli([]);
    assert.equal(none.status, 2);
    assert.equal(none.stdout, "");
    assert.match(none.stderr, /^Usage: wafguard <command>/);
    const help = runCli(["--help"]);
    assert.equal(help.status, 0);
    assert.equal(help.stderr, "");
    assert.match(help.stdout, /^Usage: wafguard <command>/);
  });

  it("exit 0 when nothing is at or above --fail-on, 1 when something is", () => {
    assert.equal(runCli(["check", failing, ...only]).status, 0); // warning < error
    assert.equal(runCli(["check", failing, ...only, "--fail-on", "warning"]).status, 1);
    assert.equal(runCli(["check", erroring, ...only]).status, 1);
    assert.equal(runCli(["check", erroring, "--fail-on", "never"]).status, 0);
    assert.equal(runCli(["check", "examples/fixed/plan.json", "--fail-on", "info"]).status, 0);
  });

  it("--format json follows the contract and is deterministic", () => {
    const a = runCli(["check", erroring, "--format", "json", ...only]);
    const b = runCli(["check", erroring, "--format", "json", ...only]);
    assert.equal(a.stdout, b.stdout);
    const report = JSON.parse(a.stdout);
    assert.equal(report.version, 1);
    assert.deepEqual(report.inputs, [{ path: erroring, kind: "plan", resources: 4 }]);
    assert.deepEqual(report.summary, { error: 1, warning: 0, info: 0, waived: 0 });
    const [f] = report.findings;
    for (const key of ["rule", "severity", "address", "message", "symptom", "fix"]) assert.equal(typeof f[key], "string", key);
  });

  it("sorts findings by rule, then address", () => {
    const report = checkJson(planFixture("wg408-association-deleted"));
    const keys = report.findings.map((f) => `${f.rule} ${f.address}`);
    assert.deepEqual(keys, [...keys].sort());
    assert.ok(keys.length >= 3);
  });

  it("text output groups findings under their resource, with symptom and fix", () => {
    const r = runCli(["check", erroring, ...only]);
    assert.match(r.stdout, /\n  aws_wafv2_web_acl_association\.prod\n    error   WG401  associates the CLOUDFRONT-scope web ACL/);
    assert.match(r.stdout, /symptom: apply-failure/);
    assert.match(r.stdout, /fix: /);
    assert.match(r.stdout, /1 error, 0 warnings, 0 info/);
    assert.doesNotMatch(r.stdout, /\x1b\[/); // not a terminal: no colour
  });

  it("--rule and --skip-rule filter findings", () => {
    const path = planFixture("wg408-association-deleted");
    assert.deepEqual([...new Set(checkJson(path, ["--rule", "WG408"]).findings.map((f) => f.rule))], ["WG408"]);
    assert.ok(!checkJson(path, ["--skip-rule", "wg406,WG407"]).findings.some((f) => f.rule === "WG406" || f.rule === "WG407"));
  });

  it("--output writes the report to a file", () => {
    const out = tempFile("report.json", "");
    const r = runCli(["check", erroring, "--format", "json", "--output", out, ...only]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.equal(JSON.parse(readFileSync(out, "utf8")).findings[0].rule, "WG401");
  });

  it("checks several inputs in one run", () => {
    const report = checkJson(erroring, [failing, ...only]);
    assert.deepEqual(report.inputs.map((i) => i.path), [erroring, failing]);
    assert.deepEqual(report.findings.map((f) => f.rule).sort(), ["WG401", "WG406"]);
  });

  it("rules lists the catalog and explain prints the guide's four parts", () => {
    const rules = runCli(["rules"]);
    assert.equal(rules.status, 0);
    assert.match(rules.stdout, /^WG401  error/m);
    const explain = runCli(["explain", "wg402"]);
    assert.equal(explain.status, 0);
    for (const part of ["What happens", "How to confirm it", "How to fix it", "Why the fix works", "Sources"]) assert.match(explain.stdout, new RegExp(part));
  });

  it("model prints the Model that the policies see", () => {
    const r = runCli(["model", erroring, "--option", "rate-threshold=100"]);
    assert.equal(r.status, 0);
    const model = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(model).sort(), ["edges", "edges_in", "edges_out", "options", "resources"]);
    assert.deepEqual(model.options, { "rate-threshold": 100 });
    assert.ok(model.edges.some((e: { attribute: string }) => e.attribute === "resource_arn"));
  });

  it("the bundled examples: broken fails, fixed passes", () => {
    const broken = runCli(["check", "examples/broken/plan.json"]);
    assert.equal(broken.status, 1, broken.stderr);
    const fixed = runCli(["check", "examples/fixed/plan.json", "--fail-on", "warning"]);
    assert.equal(fixed.status, 0, fixed.stdout);
  });
});
