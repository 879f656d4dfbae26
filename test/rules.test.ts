/**
 * Every rule against its failing and passing plan fixtures, through the CLI. A failing fixture names
 * the resources (and severity) the rule must report; a rule that reports on another resource fails.
 */
import { strict as assert } from "node:assert";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { allRules } from "../src";
import { BrokenStack, synth } from "./cdktf/stacks";
import { checkJson, FIXTURES, planFixture, ROOT } from "./helpers";

interface Case {
  /** A plan fixture's name, a path from the repository root, or a CDKTF app to synthesize. */
  fixture: string | { name: string; synth: () => string };
  /** Findings of the rule under test, as "severity address". Empty: the fixture must pass. */
  expect: string[];
  /** Extra CLI arguments (rule options). */
  args?: string[];
}

const CASES: Record<string, Case[]> = {
  WG101: [
    { fixture: "wg101-override-typo", expect: ["error aws_wafv2_web_acl.api"] },
    { fixture: "wg101-bot-control-case", expect: ["error aws_wafv2_web_acl.api"] },
    { fixture: "wg103-crs-overridden", expect: [] },
  ],
  WG102: [
    { fixture: "wg102-unknown-group", expect: ["error aws_wafv2_web_acl.api"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG103: [
    { fixture: "wg103-crs-enforced-on-stage", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "wg802-rule-json", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "wg103-crs-overridden", expect: [] },
    { fixture: "wg103-crs-without-stage", expect: [] },
  ],
  WG104: [
    { fixture: "wg103-crs-enforced-on-stage", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "wg103-crs-overridden", expect: [] },
  ],
  WG105: [
    { fixture: "wg105-switch-to-enforce", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "wg105-already-enforcing", expect: [] },
    { fixture: "examples/broken/plan.json", expect: [] },
  ],
  WG106: [
    { fixture: "wg106-captcha-and-bot-control", expect: ["warning aws_wafv2_web_acl.api", "error aws_wafv2_web_acl.api"] },
    { fixture: "wg101-override-typo", expect: [] },
    // CAPTCHA scoped to /login, a path browsers load
    { fixture: "wg156-filter-keeps-counted", expect: [] },
  ],
  WG107: [
    { fixture: "wg107-5xx-custom-response", expect: ["warning aws_wafv2_web_acl.api", "error aws_wafv2_web_acl.api"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG108: [
    { fixture: "wg108-wrong-action-kind", expect: ["error aws_wafv2_web_acl.api", "error aws_wafv2_web_acl.api"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG109: [
    { fixture: "wg109-duplicate-priority", expect: ["error aws_wafv2_web_acl.api"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG111: [
    { fixture: "wg111-pinned-version", expect: ["info aws_wafv2_web_acl.api"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG150: [
    { fixture: "wg150-no-logging", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "wg151-logging-misconfigured", expect: [] },
    { fixture: "wg103-crs-without-stage", expect: [] },
  ],
  WG151: [
    { fixture: "wg151-logging-misconfigured", expect: ["error aws_wafv2_web_acl_logging_configuration.api"] },
    { fixture: "wg151-literal-s3-arn", expect: ["error aws_wafv2_web_acl_logging_configuration.api"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG152: [
    { fixture: "wg151-logging-misconfigured", expect: ["error aws_wafv2_web_acl_logging_configuration.api"] },
    { fixture: "wg151-literal-s3-arn", expect: [] },
  ],
  WG153: [
    { fixture: "wg151-logging-misconfigured", expect: ["warning aws_wafv2_web_acl_logging_configuration.api"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG154: [
    { fixture: "wg154-metrics-off", expect: ["warning aws_wafv2_web_acl.api", "warning aws_wafv2_web_acl.api"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG155: [
    { fixture: "wg151-logging-misconfigured", expect: ["info aws_wafv2_web_acl_logging_configuration.api"] },
    { fixture: "wg151-literal-s3-arn", expect: [] },
  ],
  WG156: [
    { fixture: "wg156-filter-drops-counted", expect: ["warning aws_wafv2_web_acl_logging_configuration.api", "warning aws_wafv2_web_acl_logging_configuration.api"] },
    { fixture: "wg156-filter-keeps-counted", expect: [] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG201: [
    { fixture: "wg201-ip-set-entries", expect: ["error aws_wafv2_ip_set.office"] },
    { fixture: "wg201-clean-ip-sets", expect: [] },
  ],
  WG202: [
    { fixture: "wg201-ip-set-entries", expect: ["error aws_wafv2_ip_set.office"] },
    { fixture: "wg201-clean-ip-sets", expect: [] },
  ],
  WG203: [
    { fixture: "wg201-ip-set-entries", expect: ["error aws_wafv2_ip_set.office"] },
    { fixture: "wg201-clean-ip-sets", expect: [] },
  ],
  WG204: [
    { fixture: "wg201-ip-set-entries", expect: ["error aws_wafv2_ip_set.office"] },
    { fixture: "wg201-clean-ip-sets", expect: [] },
  ],
  WG205: [
    { fixture: "wg205-empty-allow-set", expect: ["error aws_wafv2_ip_set.office"] },
    { fixture: "wg701-block-with-allow-rule", expect: [] },
  ],
  WG206: [
    { fixture: "wg201-ip-set-entries", expect: ["info aws_wafv2_ip_set.office"] },
    { fixture: "wg201-clean-ip-sets", expect: [] },
  ],
  WG207: [
    { fixture: "wg207-forwarded-first", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "wg207-forwarded-last", expect: [] },
  ],
  WG208: [
    { fixture: "wg208-ip-set-other-region", expect: ["error aws_wafv2_web_acl.api"] },
    { fixture: "wg701-block-with-allow-rule", expect: [] },
  ],
  WG209: [
    { fixture: "wg209-too-many-addresses", expect: ["error aws_wafv2_ip_set.feed"] },
    { fixture: "wg201-clean-ip-sets", expect: [] },
  ],
  WG301: [
    { fixture: "wg301-limit-per-window", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "examples/broken/plan.json", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "examples/broken/plan.json", expect: [], args: ["--option", "rate-threshold=100"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG302: [
    {
      fixture: "wg302-invalid-rate-settings",
      expect: ["error aws_wafv2_web_acl.api", "error aws_wafv2_web_acl.api", "error aws_wafv2_web_acl.api", "error aws_wafv2_web_acl.api", "error aws_wafv2_web_acl.api"],
    },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG303: [
    { fixture: "examples/broken/plan.json", expect: ["info aws_wafv2_web_acl.api"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG304: [
    { fixture: "wg304-behind-cloudfront", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "wg304-forwarded-ip", expect: [] },
  ],
  WG501: [
    { fixture: "wg501-oversize-and-invalid-json-match", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "wg501-continue-and-evaluate-as-string", expect: [] },
  ],
  WG502: [
    { fixture: "wg501-oversize-and-invalid-json-match", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "wg501-continue-and-evaluate-as-string", expect: [] },
  ],
  WG503: [
    { fixture: "wg503-size-beyond-limit", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "wg503-size-within-raised-limit", expect: [] },
  ],
  WG504: [
    { fixture: "wg504-raised-limit-crs-enforced", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "wg504-raised-limit-crs-counted", expect: [] },
  ],
  WG505: [
    { fixture: "wg505-cloudfront-key-on-regional", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG601: [
    { fixture: "wg601-timeouts", expect: ["error aws_api_gateway_integration.edge_slow"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG602: [
    { fixture: "wg601-timeouts", expect: ["error aws_api_gateway_integration.too_fast", "error aws_api_gateway_integration.too_slow"] },
    { fixture: "wg603-lambda-outlives-integration", expect: [] },
  ],
  WG603: [
    { fixture: "wg603-lambda-outlives-integration", expect: ["warning aws_api_gateway_integration.handler", "warning aws_api_gateway_integration.report"] },
    { fixture: "wg601-timeouts", expect: [] },
  ],
  WG604: [
    { fixture: "wg604-over-included-capacity", expect: ["info aws_wafv2_web_acl.api"] },
    { fixture: "wg604-over-maximum", expect: ["error aws_wafv2_web_acl.api"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG401: [
    { fixture: "wg401-cloudfront-acl", expect: ["error aws_wafv2_web_acl_association.prod"] },
    { fixture: "wg401-regional-acl", expect: [] },
  ],
  WG402: [
    { fixture: "wg402-execution-arn", expect: ["error aws_wafv2_web_acl_association.prod"] },
    { fixture: "wg402-http-api", expect: ["error aws_wafv2_web_acl_association.http"] },
    { fixture: "wg402-literal-execute-api", expect: ["error aws_wafv2_web_acl_association.legacy"] },
    { fixture: "wg402-stage-arn", expect: [] },
  ],
  WG403: [
    { fixture: "wg403-hand-built-new-api", expect: ["warning aws_wafv2_web_acl_association.prod"] },
    { fixture: "wg403-stage-typo", expect: ["error aws_wafv2_web_acl_association.prod"] },
    { fixture: "wg403-literal-of-managed-stage", expect: ["warning aws_wafv2_web_acl_association.prod"] },
    { fixture: "wg403-reference", expect: [] },
    { fixture: "wg402-stage-arn", expect: [] },
  ],
  WG404: [
    { fixture: "wg404-acl-other-region", expect: ["error aws_wafv2_web_acl_association.prod"] },
    { fixture: "wg404-same-region", expect: [] },
  ],
  WG405: [
    { fixture: "wg405-two-associations", expect: ["error aws_wafv2_web_acl_association.prod", "error aws_wafv2_web_acl_association.prod_legacy"] },
    { fixture: "wg405-for-each-one-per-stage", expect: [] },
  ],
  WG406: [
    { fixture: "wg406-stage-without-acl", expect: ["warning aws_api_gateway_stage.staging"] },
    { fixture: "wg406-private-api-and-module", expect: [] },
    { fixture: "wg403-hand-built-new-api", expect: [] },
    { fixture: "wg405-for-each-one-per-stage", expect: [] },
  ],
  WG407: [
    { fixture: "wg407-unattached-acl", expect: ["info aws_wafv2_web_acl.spare"] },
    { fixture: "wg401-regional-acl", expect: [] },
  ],
  WG408: [
    { fixture: "wg408-association-deleted", expect: ["warning aws_wafv2_web_acl_association.prod"] },
    { fixture: "wg408-stage-replaced", expect: ["warning aws_api_gateway_stage.prod"] },
    { fixture: "wg408-stage-replaced-with-association", expect: [] },
  ],
  WG702: [
    { fixture: "examples/broken/plan.json", expect: ["info aws_api_gateway_rest_api.orders"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG802: [
    { fixture: "wg802-rule-json", expect: ["info aws_wafv2_web_acl.api"] },
    { fixture: "examples/fixed/plan.json", expect: [] },
  ],
  WG801: [
    {
      fixture: { name: "CDKTF stack with a camelCase statement", synth: () => synth((app) => new BrokenStack(app, "camel", { camelCaseStatement: true })) },
      expect: ["error aws_wafv2_web_acl.api"],
    },
    { fixture: { name: "CDKTF stack of the broken example", synth: () => synth((app) => new BrokenStack(app, "broken")) }, expect: [] },
  ],
  WG803: [
    { fixture: "test/fixtures/hcl/wg803-separate-rules", expect: ["warning aws_wafv2_web_acl.api"] },
    { fixture: "test/fixtures/hcl/wg803-ignore-changes", expect: [] },
    { fixture: "examples/fixed/main.tf", expect: [] },
  ],
  WG701: [
    { fixture: "wg701-block-managed-only", expect: ["error aws_wafv2_web_acl.api"] },
    { fixture: "wg701-block-with-allow-rule", expect: [] },
    { fixture: "wg701-block-override-allow", expect: [] },
  ],
};

describe("rules on plan fixtures", () => {
  for (const [rule, cases] of Object.entries(CASES)) {
    describe(rule, () => {
      for (const c of cases) {
        const name = typeof c.fixture === "string" ? c.fixture : c.fixture.name;
        it(`${c.expect.length ? "fails" : "passes"} ${name}${c.args ? ` ${c.args.join(" ")}` : ""}`, function () {
          if (typeof c.fixture !== "string") this.timeout(120000); // loading @cdktf/provider-aws takes a while
          const path = typeof c.fixture !== "string" ? c.fixture.synth() : c.fixture.includes("/") ? join(ROOT, c.fixture) : planFixture(c.fixture);
          const report = checkJson(path, c.args ?? []);
          const got = report.findings.filter((f) => f.rule === rule).map((f) => `${f.severity} ${f.address}`);
          assert.deepEqual(got.sort(), [...c.expect].sort());
        });
      }
    });
  }

  it("has a failing and a passing fixture for every rule, and uses every fixture", () => {
    assert.deepEqual(allRules().map((r) => r.id).filter((id) => !(id in CASES)), [], "rules without fixtures");
    for (const [rule, cases] of Object.entries(CASES)) {
      assert.ok(cases.some((c) => c.expect.length > 0), `${rule} has no failing fixture`);
      assert.ok(cases.some((c) => c.expect.length === 0), `${rule} has no passing fixture`);
    }
    const used = new Set(Object.values(CASES).flatMap((cases) => cases.map((c) => c.fixture)));
    const plans = readdirSync(join(FIXTURES, "plans")).filter((f) => /^wg\d{3}-/.test(f)).map((f) => f.replace(/\.json$/, ""));
    const dirs = readdirSync(join(FIXTURES, "hcl")).map((f) => `test/fixtures/hcl/${f}`);
    assert.deepEqual([...plans, ...dirs].filter((f) => !used.has(f)), []);
  });

  it("every finding carries a symptom, a fix and a message", () => {
    const report = checkJson(planFixture("wg405-two-associations"));
    assert.ok(report.findings.length > 0);
    for (const f of report.findings) {
      assert.ok(f.message.length > 20, f.message);
      assert.ok(f.fix.length > 20, f.fix);
      assert.match(f.symptom, /^(403|405|202|429|502|504|apply-failure|unprotected|blind)/);
    }
  });
});
