/** The CI formats: SARIF that validates against the 2.1.0 schema, JUnit, the Markdown PR comment, RULES.md. */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { XMLParser } from "fast-xml-parser";
import { allRules } from "../src";
import { formatRulesDoc } from "../src/report/rules-doc";
import { ROOT, runCli, SARIF_SCHEMA } from "./helpers";

// The parts of a SARIF log the assertions read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type SarifLog = { runs: Array<{ tool: { driver: { rules: any[] } }; results: any[] }> };

const SCHEMA = SARIF_SCHEMA;

describe("reports", () => {
  it("SARIF validates against the SARIF 2.1.0 schema and carries what code scanning needs", () => {
    const r = runCli(["check", "examples/broken/plan.json", "--format", "sarif", "--waivers", "test/fixtures/waivers/valid.yml"]);
    assert.equal(r.status, 1, r.stderr);
    const sarif = JSON.parse(r.stdout) as SarifLog;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, "utf8")));
    const valid = validate(JSON.parse(r.stdout));
    assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 3), null, 2));

    const run = sarif.runs[0];
    assert.equal(run.tool.driver.rules.length, allRules().length);
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text && rule.fullDescription.text && rule.help.text && rule.help.markdown, rule.id);
      assert.match(rule.helpUri, new RegExp(`RULES\\.md#${rule.id.toLowerCase()}$`));
    }
    const wg402 = run.results.find((x: { ruleId: string }) => x.ruleId === "WG402");
    assert.equal(wg402.level, "error");
    assert.deepEqual(wg402.locations[0].physicalLocation, { artifactLocation: { uri: "examples/broken/main.tf" }, region: { startLine: 90 } });
    assert.equal(wg402.locations[0].logicalLocations[0].fullyQualifiedName, "aws_wafv2_web_acl_association.prod");
    assert.equal(run.tool.driver.rules[wg402.ruleIndex].id, "WG402");
    const waived = run.results.find((x: { ruleId: string }) => x.ruleId === "WG406");
    assert.equal(waived.suppressions[0].kind, "external");
    assert.equal(run.results.find((x: { ruleId: string }) => x.ruleId === "WG702").level, "note");
  });

  it("SARIF of a plan without its .tf files points at the plan", () => {
    const sarif = JSON.parse(runCli(["check", "test/fixtures/plans/wg402-execution-arn.json", "--format", "sarif", "--rule", "WG402"]).stdout) as SarifLog;
    assert.deepEqual(sarif.runs[0].results[0].locations[0].physicalLocation, {
      artifactLocation: { uri: "test/fixtures/plans/wg402-execution-arn.json" },
      region: { startLine: 1 },
    });
  });

  it("JUnit: a suite per input, a case per rule and resource, failures at or above --fail-on", () => {
    const r = runCli(["check", "examples/broken/plan.json", "examples/fixed/plan.json", "--format", "junit", "--fail-on", "warning"]);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(r.stdout);
    const suites = xml.testsuites.testsuite;
    assert.equal(suites.length, 2);
    const [broken, fixed] = suites;
    assert.equal(broken.name, "examples/broken/plan.json");
    const failed = broken.testcase.filter((c: { failure?: unknown }) => c.failure).map((c: { name: string }) => c.name);
    assert.ok(failed.includes("WG402 aws_wafv2_web_acl_association.prod"));
    assert.ok(failed.includes("WG406 aws_api_gateway_stage.staging"));
    assert.ok(!failed.some((n: string) => n.startsWith("WG702")), "info is below --fail-on warning");
    assert.equal(Number(broken.failures), failed.length);
    assert.equal(Number(fixed.failures), 0);
    assert.equal(fixed.testcase.length, allRules().length); // one passing case per rule
  });

  it("Markdown: a verdict, a table worst first, fixes folded", () => {
    const md = runCli(["check", "examples/broken/plan.json", "--format", "markdown"]).stdout;
    const lines = md.split("\n");
    assert.match(lines[0], /^❌ \*\*wafguard\*\*: 2 errors/);
    const rows = lines.filter((l) => /^\| (🔴|🟠|🔵) /.test(l));
    assert.equal(rows.length, 9);
    assert.match(rows[0], /🔴/);
    assert.match(rows[rows.length - 1], /🔵/);
    assert.match(md, /<details><summary><b>WG402<\/b> · Association target is not a REST API stage<\/summary>/);
    assert.ok(lines.length < 200);
    assert.match(runCli(["check", "examples/fixed/plan.json", "--format", "markdown"]).stdout, /^✅ \*\*wafguard\*\*: no errors or warnings/);
  });

  it("RULES.md is generated from the Rego metadata and up to date (npm run docs)", () => {
    assert.equal(readFileSync(join(ROOT, "RULES.md"), "utf8"), formatRulesDoc());
    for (const rule of allRules()) assert.match(formatRulesDoc(), new RegExp(`\\n## ${rule.id}\\n`));
  });
});
