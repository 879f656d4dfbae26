/** The text and Markdown reports end with what was checked: the rules evaluated and, per input, the resources they covered. */
import { strict as assert } from "node:assert";
import { join } from "node:path";
import { ROOT, runCli } from "./helpers";
import { allRules } from "../src/rules";

const FIXED = join("examples", "fixed", "plan.json");
const BROKEN = join("examples", "broken", "main.tf");

/** The catalog grows: the reports count what the policy holds. */
const RULES = allRules().length;

describe("what was checked", () => {
  it("a clean run's text report ends with the rules and the resources per input", () => {
    const r = runCli(["check", FIXED, join("examples", "broken")], { cwd: ROOT });
    const tail = r.stdout.trimEnd().split("\n").slice(-3);
    assert.deepEqual(tail, [
      `Checked ${RULES} rules (all) on:`,
      "  examples/fixed/plan.json: 11 of 11 resources: 1 aws_api_gateway_deployment, 1 aws_api_gateway_gateway_response, 1 aws_api_gateway_rest_api, " +
        "2 aws_api_gateway_stage, 1 aws_cloudwatch_log_group, 1 aws_wafv2_ip_set, 1 aws_wafv2_web_acl, 2 aws_wafv2_web_acl_association, 1 aws_wafv2_web_acl_logging_configuration",
      "  examples/broken: 6 of 6 resources: 1 aws_api_gateway_deployment, 1 aws_api_gateway_rest_api, 2 aws_api_gateway_stage, 1 aws_wafv2_web_acl, 1 aws_wafv2_web_acl_association",
    ]);
  });

  it("says which rules when --rule or --skip-rule narrowed them", () => {
    assert.match(runCli(["check", FIXED, "--rule", "WG406,WG301"], { cwd: ROOT }).stdout, new RegExp(`\\nChecked 2 of ${RULES} rules: WG301, WG406 on:\\n {2}examples/fixed/plan\\.json: `));
    assert.match(runCli(["check", FIXED, "--skip-rule", "WG406"], { cwd: ROOT }).stdout, new RegExp(`\\nChecked ${RULES - 1} of ${RULES} rules \\(not WG406\\) on:\\n`));
  });

  it("the Markdown report ends with the same, on one line", () => {
    const md = runCli(["check", FIXED, "--format", "markdown", "--skip-rule", "WG406"], { cwd: ROOT }).stdout.trimEnd().split("\n");
    assert.match(md[0], /^✅/);
    assert.match(md[md.length - 1], new RegExp(`^<sub>Checked ${RULES - 1} of ${RULES} rules \\(not WG406\\) on \`examples/fixed/plan\\.json\` \\(\\d+ of \\d+ resources: .*aws_wafv2_web_acl.*\\)\\.</sub>$`));
  });

  it("counts every instance a .tf file expands to", () => {
    const r = runCli(["check", BROKEN, "--fail-on", "never"], { cwd: ROOT });
    assert.match(r.stdout, /\n {2}examples\/broken\/main\.tf: 6 of 6 resources: .*2 aws_api_gateway_stage/);
  });
});
