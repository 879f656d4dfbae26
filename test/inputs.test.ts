/**
 * Inputs beyond plan JSON: .tf directories, CDKTF output, and the promise that a configuration gives
 * the same findings whether it is checked as a plan, as .tf files or as synthesized CDKTF.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadInput } from "../src/load";
import { BrokenStack, FixedStack, synth } from "./cdktf/stacks";
import { checkJson, runCli } from "./helpers";

const findingsOf = (path: string) => checkJson(path).findings.map((f) => `${f.rule} ${f.severity} ${f.address}`).sort();

function tfDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "wafguard-tf-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("the same configuration as plan, .tf and CDKTF gives the same findings", function () {
  this.timeout(180000); // synthesizing loads @cdktf/provider-aws
  for (const [example, Stack] of [["broken", BrokenStack], ["fixed", FixedStack]] as const) {
    it(`examples/${example}`, () => {
      const plan = findingsOf(`examples/${example}/plan.json`);
      const hcl = findingsOf(`examples/${example}`);
      const cdktf = findingsOf(synth((app) => new Stack(app, example)));
      assert.deepEqual(hcl, plan);
      assert.deepEqual(cdktf, plan);
      if (example === "broken") assert.ok(plan.length >= 5, plan.join("\n"));
      else assert.deepEqual(plan, []);
    });
  }

  it("CDKTF findings carry the construct path, .tf findings the file and line", () => {
    const cdktf = checkJson(synth((app) => new BrokenStack(app, "orders-stack")));
    const f = cdktf.findings.find((x) => x.rule === "WG402");
    assert.deepEqual(f?.location, { file: f?.location?.file, construct: "orders-stack/association" });
    const hcl = checkJson("examples/broken");
    const g = hcl.findings.find((x) => x.rule === "WG402");
    assert.deepEqual(g?.location, { file: join("examples", "broken", "main.tf"), line: 90 });
    assert.match(runCli(["check", "examples/broken", "--rule", "WG402"]).stdout, /examples\/broken\/main\.tf:90/);
  });

  it("a plan next to its .tf files (or with --source) carries their file and line", () => {
    const near = checkJson("examples/broken/plan.json").findings.find((x) => x.rule === "WG402");
    assert.deepEqual(near?.location, { file: join("examples", "broken", "main.tf"), line: 90 });
    const elsewhere = checkJson("test/fixtures/plans/wg402-execution-arn.json").findings.find((x) => x.rule === "WG402");
    assert.equal(elsewhere?.location, undefined);
    const given = checkJson("test/fixtures/plans/wg402-execution-arn.json", ["--source", "examples/broken"]).findings.find((x) => x.rule === "WG402");
    assert.deepEqual(given?.location, { file: join("examples", "broken", "main.tf"), line: 90 });
    const r = runCli(["check", "test/fixtures/plans/wg402-execution-arn.json", "--source", "/nonexistent"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--source/);
  });

  it("reads every stack of a cdktf.out manifest", () => {
    const out = synth((app) => {
      new BrokenStack(app, "one");
      new FixedStack(app, "two");
    });
    const loaded = loadInput(out);
    assert.equal(loaded.kind, "cdktf");
    const constructs = new Set(loaded.model.resources.map((r) => r.source?.construct?.split("/")[0]));
    assert.deepEqual([...constructs].sort(), ["one", "two"]);
    // The two stacks hold the same addresses with different values: each is evaluated on its own.
    assert.equal(loaded.stackModels?.length, 2);
    const report = checkJson(out);
    const wg701 = report.findings.filter((f) => f.rule === "WG701");
    assert.deepEqual(wg701.map((f) => f.location?.construct?.split("/")[0]), ["one"]);
  });
});

describe(".tf directories", () => {
  it("substitutes variables, tfvars and locals, expands for_each, count and dynamic blocks", () => {
    const dir = tfDir({
      "main.tf": `
variable "region" { default = "us-east-1" }
variable "limit" { default = 100 }
locals {
  stages = ["prod", "staging"]
  name   = "orders-\${var.region}"
}
provider "aws" { region = var.region }
resource "aws_api_gateway_stage" "s" {
  for_each    = toset(local.stages)
  stage_name  = each.key
  rest_api_id = "abc"
}
resource "aws_wafv2_ip_set" "office" {
  count              = 2
  name               = local.name
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses          = ["203.0.113.0/24"]
}
resource "aws_wafv2_web_acl" "api" {
  name  = local.name
  scope = "REGIONAL"
  default_action {
    allow {}
  }
  dynamic "rule" {
    for_each = { a = 1, b = 2 }
    content {
      name     = rule.key
      priority = rule.value
    }
  }
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = aws_wafv2_ip_set.office[0].name
    sampled_requests_enabled   = true
  }
}
`,
      "terraform.tfvars": 'region = "eu-west-1"\n',
    });
    const m = loadInput(dir).model;
    const addresses = m.resources.map((r) => r.address).sort();
    assert.deepEqual(addresses, [
      'aws_api_gateway_stage.s["prod"]',
      'aws_api_gateway_stage.s["staging"]',
      "aws_wafv2_ip_set.office[0]",
      "aws_wafv2_ip_set.office[1]",
      "aws_wafv2_web_acl.api",
    ]);
    const acl = m.resources.find((r) => r.type === "aws_wafv2_web_acl")!;
    assert.equal(acl.values.name, "orders-eu-west-1"); // tfvars beat the default
    assert.equal(acl.region, "eu-west-1");
    assert.deepEqual((acl.values.rule as Array<{ name: string; priority: number }>).map((r) => [r.name, r.priority]), [["a", 1], ["b", 2]]);
    assert.ok(acl.unknown.includes("visibility_config.0.metric_name"));
    assert.equal(m.resources.find((r) => r.address === 'aws_api_gateway_stage.s["staging"]')?.values.stage_name, "staging");
    assert.equal(acl.source?.line, 21);
  });

  it("follows local modules and resolves their inputs and outputs to edges", () => {
    const dir = tfDir({
      "main.tf": `
resource "aws_wafv2_web_acl" "api" {
  name  = "api"
  scope = "REGIONAL"
}
module "orders" {
  source     = "./modules/api"
  for_each   = toset(["eu", "us"])
  acl_arn    = aws_wafv2_web_acl.api.arn
  stage_name = each.key
}
resource "aws_wafv2_web_acl_association" "extra" {
  resource_arn = module.orders["eu"].stage_arn
  web_acl_arn  = aws_wafv2_web_acl.api.arn
}
`,
      "modules/api/main.tf": `
variable "acl_arn" {}
variable "stage_name" {}
resource "aws_api_gateway_stage" "this" {
  stage_name  = var.stage_name
  rest_api_id = "abc"
}
resource "aws_wafv2_web_acl_association" "this" {
  resource_arn = aws_api_gateway_stage.this.arn
  web_acl_arn  = var.acl_arn
}
output "stage_arn" { value = aws_api_gateway_stage.this.arn }
`,
    });
    const m = loadInput(dir).model;
    const edge = (from: string, attribute: string) => m.edges.filter((e) => e.from === from && e.attribute === attribute).map((e) => e.to);
    assert.deepEqual(edge('module.orders["us"].aws_wafv2_web_acl_association.this', "web_acl_arn"), ["aws_wafv2_web_acl.api"]);
    assert.deepEqual(edge('module.orders["us"].aws_wafv2_web_acl_association.this', "resource_arn"), ['module.orders["us"].aws_api_gateway_stage.this']);
    assert.deepEqual(edge("aws_wafv2_web_acl_association.extra", "resource_arn"), ['module.orders["eu"].aws_api_gateway_stage.this']);
    assert.equal(m.resources.find((r) => r.address === 'module.orders["us"].aws_api_gateway_stage.this')?.values.stage_name, "us");
  });

  it("a syntax error is exit 2 with the file and line", () => {
    const cases: Array<[string, number, RegExp]> = [
      ['resource "aws_wafv2_web_acl" "a" {\n  name = \n}\n', 2, /attribute has no value/],
      ['resource "aws_wafv2_web_acl" "a" {\n  name  = "x"\n  scope = "REGIONAL\n}\n', 3, /unterminated string/],
      ['variable "x" {}\n\nresource "aws_wafv2_web_acl" "a" {\n  rule {\n    name = "y"\n}\n', 3, /is never closed/],
      ['resource "a" "b" {\n  x = 1\n  foo bar baz\n}\n', 3, /syntax error/],
    ];
    for (const [text, line, detail] of cases) {
      const dir = tfDir({ "main.tf": text });
      const r = runCli(["check", dir]);
      assert.equal(r.status, 2, text);
      assert.equal(r.stderr.trim().split("\n").length, 1);
      assert.match(r.stderr, new RegExp(`main\\.tf:${line}: `), `${text} → ${r.stderr}`);
      assert.match(r.stderr, detail);
    }
  });

  it("reads .tf.json files in JSON syntax", () => {
    const dir = tfDir({
      "main.tf.json": JSON.stringify({
        resource: {
          aws_wafv2_web_acl: { api: { name: "api", scope: "REGIONAL", default_action: { block: {} }, visibility_config: { cloudwatch_metrics_enabled: true, metric_name: "m", sampled_requests_enabled: true } } },
        },
      }),
    });
    const report = checkJson(dir);
    assert.deepEqual(report.findings.map((f) => `${f.rule} ${f.address}`), ["WG407 aws_wafv2_web_acl.api", "WG701 aws_wafv2_web_acl.api"]);
  });
});
