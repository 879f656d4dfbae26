/**
 * The Terraform module modules/waf-api-gateway: its examples pass wafguard (defaults, every input,
 * its own log destination, an existing web ACL), are `tofu fmt` formatted, and its input
 * validations and locals behave as documented in the pinned OpenTofu (`tofu console`, no provider
 * needed). OpenTofu comes from scripts/build-tofu.sh into .tools/bin/tofu: without it these tests
 * fail in CI (CI=true) and are skipped, visibly, elsewhere.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkJson, ROOT, runCli } from "./helpers";

const MODULE = join(ROOT, "modules", "waf-api-gateway");
const EXAMPLES = ["basic", "complete", "s3-logs", "existing-web-acl"];
const TOFU = join(ROOT, ".tools", "bin", "tofu");

type Resource = { address: string; type: string; values: Record<string, any> };

function model(example: string): Map<string, Resource> {
  const r = runCli(["model", join(MODULE, "examples", example)]);
  assert.equal(r.status, 0, r.stderr);
  return new Map((JSON.parse(r.stdout).resources as Resource[]).map((x) => [x.address, x]));
}

/** Runs tofu, or skips (locally) / fails (CI) when the pinned OpenTofu is not built. */
function tofu(ctx: Mocha.Context, args: string[], cwd: string, input?: string) {
  if (!existsSync(TOFU)) {
    if (process.env.CI === "true") assert.fail(`${TOFU} is missing: CI must build the pinned OpenTofu (bash scripts/build-tofu.sh)`);
    console.log(`      (skipped: ${TOFU} is missing; build it with bash scripts/build-tofu.sh)`);
    ctx.skip();
  }
  return spawnSync(TOFU, args, { cwd, input, encoding: "utf8", env: { ...process.env, TF_IN_AUTOMATION: "1", NO_COLOR: "1", TF_CLI_CONFIG_FILE: "/dev/null" } });
}

describe("Terraform module modules/waf-api-gateway", function () {
  this.timeout(120000);

  for (const example of EXAMPLES) {
    it(`examples/${example}: wafguard finds no error and no warning`, () => {
      const report = checkJson(join(MODULE, "examples", example));
      assert.deepEqual(report.findings.filter((f) => f.severity !== "info").map((f) => `${f.rule} ${f.address}`), []);
    });
  }

  it("wafguard really reads what each example builds", () => {
    const basic = model("basic");
    for (const a of ["module.waf.aws_wafv2_web_acl.this[0]", "module.waf.aws_wafv2_web_acl_logging_configuration.this[0]", "module.waf.aws_cloudwatch_log_group.waf[0]", 'module.waf.aws_wafv2_web_acl_association.this["prod"]', 'module.waf.aws_wafv2_web_acl_association.this["staging"]']) {
      assert.ok(basic.has(a), a);
    }
    const filter = basic.get("module.waf.aws_wafv2_web_acl_logging_configuration.this[0]")!.values.logging_filter[0].filter[0];
    assert.deepEqual(filter.condition.map((c: any) => c.action_condition[0].action), ["BLOCK", "COUNT", "EXCLUDED_AS_COUNT"]);

    const complete = model("complete").get("module.waf.aws_wafv2_web_acl.this[0]")!;
    const rules = new Map((complete.values.rule as any[]).map((r) => [r.name, r]));
    assert.deepEqual(rules.get("allow-partner").action, [{ allow: [{}], block: [], captcha: [], challenge: [], count: [] }]);
    // its statement is built with try(): wafguard's .tf reader leaves it unknown (tofu console checks it below)
    const captcha = rules.get("captcha-browser-paths").statement[0].or_statement[0].statement;
    assert.deepEqual(captcha.map((s: any) => s.byte_match_statement[0].search_string), ["/login", "/signup"]);

    const existing = model("existing-web-acl");
    assert.ok(![...existing.keys()].some((a) => a.includes("aws_wafv2_web_acl.this") || a.includes("logging")), [...existing.keys()].join(", "));
    assert.match(existing.get('module.waf.aws_wafv2_web_acl_association.this["prod"]')!.values.web_acl_arn, /:regional\/webacl\/shared-api\//);

    const s3 = model("s3-logs");
    assert.ok(!s3.has("module.waf.aws_cloudwatch_log_group.waf[0]"));
    assert.deepEqual(s3.get("module.waf.aws_wafv2_web_acl_logging_configuration.this[0]")!.values.log_destination_configs, ["arn:aws:s3:::aws-waf-logs-orders-example"]);
  });

  it("the module and its examples are formatted (tofu fmt -check)", function () {
    const r = tofu(this, ["fmt", "-check", "-recursive", "-diff", "."], MODULE);
    assert.equal(r.status, 0, `tofu fmt -check:\n${r.stdout}${r.stderr}`);
  });

  describe("inputs, checked by OpenTofu (tofu console on the module's variables and locals)", function () {
    let dir = "";
    const good = [
      'name = "orders-api"',
      'stage_arns = { prod = "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3/stages/prod" }',
    ];
    const consoleWith = (ctx: Mocha.Context, vars: string[], expression: string) => {
      const keys = new Set(vars.map((v) => v.split(" ")[0]));
      writeFileSync(join(dir, "terraform.tfvars"), [...good.filter((g) => !keys.has(g.split(" ")[0])), ...vars].join("\n") + "\n");
      return tofu(ctx, ["console", "-no-color"], dir, expression);
    };

    before(function () {
      dir = mkdtempSync(join(tmpdir(), "wafguard-module-"));
      copyFileSync(join(MODULE, "variables.tf"), join(dir, "variables.tf"));
      const main = readFileSync(join(MODULE, "main.tf"), "utf8");
      const start = main.indexOf("locals {");
      writeFileSync(join(dir, "locals.tf"), main.slice(start, main.indexOf("\n}\n", start) + 3));
    });

    const rejected: Array<[string, RegExp]> = [
      ['stage_arns = { a = "arn:aws:execute-api:eu-west-1:123456789012:abc/prod" }', /stage_arns must be REST API stage ARNs/],
      ['stage_arns = { a = "arn:aws:apigateway:eu-west-1::/apis/abc/stages/x" }', /stage_arns must be REST API stage ARNs/],
      ['stage_arns = { a = "not an arn" }', /stage_arns must be REST API stage ARNs/],
      ['captcha_paths = ["/"]', /captcha_paths must be URI paths below the root/],
      ['captcha_paths = [""]', /captcha_paths must be URI paths below the root/],
      ['captcha_paths = ["login"]', /captcha_paths must be URI paths below the root/],
      ['trusted_cidrs = ["203.0.113.45/24"]', /trusted_cidrs must be CIDR ranges without host bits/],
      ['trusted_cidrs = ["0.0.0.0/0"]', /trusted_cidrs must be CIDR ranges/],
      ['counted_groups = ["AWSManagedRulesNope"]', /counted_groups must name rule groups of this module/],
      ['counted_rules = { AWSManagedRulesCommonRuleSet = ["has space"] }', /counted_rules values must be rule names/],
      ['exceptions = [{ rule_group = "AWSManagedRulesCommonRuleSet", rule = "X", label = "awswaf:x", method = "post", path = "/a" }]', /method must be an HTTP method in upper case/],
      ['exceptions = [{ rule_group = "AWSManagedRulesCommonRuleSet", rule = "X", label = "awswaf:x", path = "a/b" }]', /path must be a route template/],
      ['exceptions = [{ rule_group = "AWSManagedRulesCommonRuleSet", rule = "X", label = "X_Body", path = "/a" }]', /label a WAF label/],
      ['rules = [{ name = "x", action = "block", statement = { byteMatchStatement = {} } }]', /statement must hold exactly one of/],
      ['rules = [{ name = "x", action = "deny", statement = { geo_match_statement = { country_codes = ["DE"] } } }]', /action must be allow, block, count, captcha or challenge/],
      ['rules = [{ name = "common", action = "block", statement = { geo_match_statement = { country_codes = ["DE"] } } }]', /not a rule name of this module/],
      ['existing_web_acl_arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/a/b"', /existing_web_acl_arn must be a REGIONAL web ACL ARN/],
      ['log_destination_arn = "arn:aws:s3:::orders-logs"', /log_destination_arn must be the ARN of a CloudWatch log group, S3 bucket or/],
      ['log_kms_key_arn = "alias/logs"', /log_kms_key_arn must be a KMS key ARN/],
      ["rate_limit = 5", /rate_limit must be a whole number from 10/],
    ];
    for (const [input, message] of rejected) {
      it(`rejects ${input}`, function () {
        // tofu console reports a failed validation on stderr and still answers (exit 0)
        const r = consoleWith(this, [input], "local.managed_override\n");
        const stderr = r.stderr.replace(/[\s│]+/g, " "); // messages wrap at 80 columns
        assert.match(stderr, /Invalid value for variable/);
        assert.match(stderr, message);
      });
    }

    it("accepts valid inputs (uppercase and zero-padded IPv6 too) and computes the exception rules", function () {
      const r = consoleWith(
        this,
        [
          'trusted_cidrs = ["198.51.100.0/24", "2001:DB8::/32", "2001:db8:1:0::/64"]',
          'captcha_paths = ["/login"]',
          'log_destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:aws-waf-logs-orders:*"',
          'counted_rules = { AWSManagedRulesCommonRuleSet = ["NoUserAgent_HEADER", "GenericLFI_BODY"] }',
          'exceptions = [{ rule_group = "AWSManagedRulesCommonRuleSet", rule = "CrossSiteScripting_BODY", label = "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body", method = "POST", path = "/orders/{id}/notes" }, { rule_group = "AWSManagedRulesCommonRuleSet", rule = "CrossSiteScripting_BODY", label = "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body", path = "/cms/{proxy+}" }]',
          'rules = [{ name = "geo", action = "challenge", statement = { geo_match_statement = { country_codes = ["DE"] } } }]',
        ],
        "jsonencode({ counted = local.counted, exceptions = local.exception_rules, logged = local.logged_actions })\n",
      );
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /Invalid value for variable/);
      const out = JSON.parse(JSON.parse(r.stdout.trim()));
      assert.deepEqual(out.counted.AWSManagedRulesCommonRuleSet, ["GenericLFI_BODY", "CrossSiteScripting_BODY"]); // the two defaults are written once, statically
      assert.deepEqual(out.exceptions, [
        {
          label: "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body",
          group: "AWSManagedRulesCommonRuleSet",
          rule: "CrossSiteScripting_BODY",
          exemptions: [
            { method: "POST", regex: "^/orders/[^/]+/notes$" },
            { method: null, regex: "^/cms/.+$" },
          ],
        },
      ]);
      assert.deepEqual(out.logged, ["BLOCK", "COUNT", "EXCLUDED_AS_COUNT", "CAPTCHA", "CHALLENGE"]);
    });
  });
});
