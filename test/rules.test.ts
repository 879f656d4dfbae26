/**
 * Every rule against its failing and passing plan fixtures, through the CLI. A failing fixture names
 * the resources (and severity) the rule must report; a rule that reports on another resource fails.
 */
import { strict as assert } from "node:assert";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { allRules } from "../src";
import { checkJson, FIXTURES, planFixture } from "./helpers";

interface Case {
  fixture: string;
  /** Findings of the rule under test, as "severity address". Empty: the fixture must pass. */
  expect: string[];
}

const CASES: Record<string, Case[]> = {
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
        it(`${c.expect.length ? "fails" : "passes"} ${c.fixture}`, () => {
          const report = checkJson(planFixture(c.fixture));
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
    const files = readdirSync(join(FIXTURES, "plans")).filter((f) => /^wg\d{3}-/.test(f)).map((f) => f.replace(/\.json$/, ""));
    assert.deepEqual(files.filter((f) => !used.has(f)), []);
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
