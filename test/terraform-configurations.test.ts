/**
 * `.tf` directories as Terraform evaluates them: module fixtures written like the popular public
 * WAF modules (test/fixtures/tf-modules), count/for_each of none and unknown, empty files, modules
 * downloaded by `terraform init` or not downloaded, data sources, aliases, lifecycle, and the input
 * errors a hostile directory can give (module cycles, link loops, runaway expressions).
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check } from "../src/check";
import { loadInput } from "../src/load";
import { InputError } from "../src/errors";
import { FIXTURES, runCli } from "./helpers";

const MODULES = join(FIXTURES, "tf-modules");

async function findings(path: string): Promise<string[]> {
  const result = await check([path]);
  return result.findings.map((f) => `${f.rule} ${f.address}${f.conditional ? " (conditional)" : ""}`).sort();
}

function tfDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "wafguard-tf-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const ACL = (extra = "") => `
resource "aws_wafv2_web_acl" "api" {
  ${extra}
  name  = "api"
  scope = "REGIONAL"
  default_action {
    allow {}
  }
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "api"
    sampled_requests_enabled   = true
  }
}
`;

describe("module fixtures written like the public WAF modules", function () {
  this.timeout(60000);

  it("rules built by for_each over a list with lookup() and dynamic blocks are checked; a disabled rule is left out", async () => {
    assert.deepEqual(await findings(join(MODULES, "waf-webacl/examples/api")), [
      "WG103 module.waf.aws_wafv2_web_acl.main[0]", // rule "common": the Core rule set enforced, body over 8 KB blocked
      "WG104 module.waf.aws_wafv2_web_acl.main[0]",
      "WG150 module.waf.aws_wafv2_web_acl.main[0]",
      "WG303 module.waf.aws_wafv2_web_acl.main[0]", // rule "rate": action from lookup(rule.value, "action")
    ]);
    const { model } = loadInput(join(MODULES, "waf-webacl/examples/api"));
    const acl = model.resources.find((r) => r.address === "module.waf.aws_wafv2_web_acl.main[0]")!;
    assert.deepEqual((acl.values.rule as Array<{ name: string }>).map((r) => r.name), ["common", "rate"]);
    assert.equal(acl.values.description, "orders web ACL");
    assert.deepEqual(acl.values.tags, { Module: "waf-webacl" });
  });

  it("an association toggled off by count = 0 does not exist: the stage is unprotected", async () => {
    assert.deepEqual(await findings(join(MODULES, "waf-webacl/examples/association-off")), [
      "WG406 aws_api_gateway_stage.prod",
      "WG407 module.waf.aws_wafv2_web_acl.main[0]",
    ]);
    const { model } = loadInput(join(MODULES, "waf-webacl/examples/association-off"));
    assert.ok(!model.resources.some((r) => r.type === "aws_wafv2_web_acl_association"));
  });

  it("an association whose count is known only after apply is conditional, and protects the stage if created", async () => {
    const { model } = loadInput(join(MODULES, "waf-webacl/examples/association-unknown"));
    const association = model.resources.find((r) => r.type === "aws_wafv2_web_acl_association");
    assert.equal(association?.address, "module.waf.aws_wafv2_web_acl_association.main[0]");
    assert.equal(association?.conditional, true);
    assert.ok(!(await findings(join(MODULES, "waf-webacl/examples/association-unknown"))).some((f) => f.startsWith("WG406")));
  });

  it("the README usage of modules/waf-api-gateway, not downloaded: a notice, no false WG406", () => {
    const r = runCli(["check", "test/fixtures/tf-modules/readme-registry", "--format", "json", "--fail-on", "never"]);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { inputs: Array<{ notes?: string[] }>; findings: Array<{ rule: string }> };
    assert.deepEqual(report.findings.map((f) => f.rule), []);
    assert.equal(report.inputs[0].notes?.length, 1);
    assert.match(report.inputs[0].notes![0], /^module\.waf \(source "github\.com\/wafguard\/wafguard\/\/modules\/waf-api-gateway\?ref=v0\.1\.0"\) is not read: it is not downloaded/);
    assert.equal(r.stderr.trim().split("\n").length, 1);
    assert.match(r.stderr, /^wafguard: notice: test\/fixtures\/tf-modules\/readme-registry: module\.waf .* is not read/);
  });

  it("the README usage with the module downloaded by terraform init (.terraform/modules/modules.json) is read like a local one", async () => {
    const { model } = loadInput(join(MODULES, "readme-downloaded"));
    const associations = model.resources.filter((r) => r.type === "aws_wafv2_web_acl_association").map((r) => r.address);
    assert.deepEqual(associations, ['module.waf.aws_wafv2_web_acl_association.this["prod"]', 'module.waf.aws_wafv2_web_acl_association.this["staging"]']);
    assert.deepEqual(await findings(join(MODULES, "readme-downloaded")), []);
  });

  it("an association to an ACL read by a data source does not hide the local ACL attached to nothing (WG407); an alias is followed to its function (WG603)", async () => {
    assert.deepEqual(await findings(join(MODULES, "data-source-acl")), [
      "WG407 aws_wafv2_web_acl.unused",
      "WG603 aws_api_gateway_integration.orders",
      "WG702 aws_api_gateway_rest_api.orders",
    ]);
  });
});

describe(".tf directories as Terraform evaluates them", function () {
  this.timeout(60000);

  it("empty and comment-only .tf files load", () => {
    const dir = tfDir({ "empty.tf": "", "comments.tf": "# nothing yet\n// still nothing\n/* later */\n", "main.tf": ACL() });
    assert.equal(loadInput(dir).model.resources.length, 1);
  });

  it("count = 0 and an empty for_each: the resource does not exist; count from && and a conditional is evaluated", () => {
    const dir = tfDir({
      "main.tf": `
variable "enabled" { default = true }
variable "regions" { default = [] }
locals { on = var.enabled && length(var.regions) == 0 }
${ACL('count = local.on ? 2 : 0')}
resource "aws_wafv2_ip_set" "none" {
  for_each           = toset(var.regions)
  name               = each.key
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses          = []
}
resource "aws_wafv2_ip_set" "off" {
  count              = var.enabled ? 0 : 1
  name               = "off"
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses          = []
}`,
    });
    assert.deepEqual(loadInput(dir).model.resources.map((r) => r.address), ["aws_wafv2_web_acl.api[0]", "aws_wafv2_web_acl.api[1]"]);
  });

  it("a count known only after apply makes a conditional resource, and findings on it say so", async () => {
    const dir = tfDir({ "main.tf": ACL("count = aws_ssm_parameter.x.value == \"on\" ? 1 : 0") });
    const { model } = loadInput(dir);
    assert.deepEqual(model.resources.map((r) => [r.address, r.conditional]), [["aws_wafv2_web_acl.api[0]", true]]);
    const result = await check([dir]);
    const wg407 = result.findings.find((f) => f.rule === "WG407");
    assert.equal(wg407?.conditional, true);
    assert.match(wg407!.message, /if created/);
  });

  it("no lifecycle block is an empty lifecycle: WG803 fires for rules attached separately", async () => {
    const dir = tfDir({
      "main.tf": `${ACL()}
resource "aws_wafv2_rule_group" "shared" {
  name     = "shared"
  scope    = "REGIONAL"
  capacity = 50
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "shared"
    sampled_requests_enabled   = true
  }
}
resource "aws_wafv2_web_acl_rule_group_association" "shared" {
  rule_name   = "shared"
  priority    = 10
  web_acl_arn = aws_wafv2_web_acl.api.arn
  rule_group_reference {
    arn = aws_wafv2_rule_group.shared.arn
  }
}`,
    });
    assert.deepEqual(loadInput(dir).model.resources.find((r) => r.type === "aws_wafv2_web_acl")?.lifecycle, { ignore_changes: [] });
    assert.ok((await findings(dir)).includes("WG803 aws_wafv2_web_acl.api"));
  });

  it("count.index, path.module, templates with directives and nested for expressions evaluate", () => {
    const dir = tfDir({
      "main.tf": `
variable "names" { default = ["a", "b"] }
locals {
  tags = { for i, n in var.names : n => "%{if i == 0}first%{else}n\${i}%{endif}" }
}
resource "aws_wafv2_ip_set" "s" {
  count              = length(var.names)
  name               = "\${var.names[count.index]}-\${count.index}"
  description        = path.module == "." ? "root" : "child"
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses          = flatten([for n in var.names : [for j in range(2) : cidrhost("10.0.\${j}.0/24", index(var.names, n) + 1)]])
  tags               = local.tags
}`,
    });
    const { model } = loadInput(dir);
    assert.deepEqual(model.resources.map((r) => r.values.name), ["a-0", "b-1"]);
    assert.deepEqual(model.resources[0].values.addresses, ["10.0.0.1", "10.0.1.1", "10.0.0.2", "10.0.1.2"]);
    assert.deepEqual(model.resources[0].values.tags, { a: "first", b: "n1" });
  });

  it("a .tf.json variable's default is a literal, as Terraform reads JSON syntax", () => {
    const dir = tfDir({ "main.tf.json": JSON.stringify({ variable: { v: { default: "a-${1 + 1}" } }, resource: { aws_wafv2_ip_set: { s: { name: "${var.v}" } } } }) });
    assert.equal(loadInput(dir).model.resources[0].values.name, "a-${1 + 1}");
  });
});

describe(".tf directories that Terraform would refuse: one clear line, exit 2", function () {
  this.timeout(60000);

  const refuses = (dir: string, pattern: RegExp) => {
    const r = runCli(["check", dir]);
    assert.equal(r.status, 2, r.stderr + r.stdout);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  };

  it("a module whose source is its own directory", () => refuses(tfDir({ "main.tf": `module "self" {\n  source = "./"\n}\n` }), /module "self" .*module cycle/));

  it("a module that reaches its caller again through a symlinked directory", () => {
    const dir = tfDir({ "main.tf": `module "child" {\n  source = "./child"\n}\n`, "child/main.tf": `module "back" {\n  source = "./up"\n}\n` });
    symlinkSync("..", join(dir, "child", "up"));
    refuses(dir, /module "back" .*module cycle/);
  });

  it("a link loop, a dangling link and a directory named x.tf", () => {
    const loop = tfDir({ "main.tf": ACL() });
    symlinkSync("b.tf", join(loop, "a.tf"));
    symlinkSync("a.tf", join(loop, "b.tf"));
    refuses(loop, /a\.tf: is a symbolic link that loops/);
    const dangling = tfDir({ "main.tf": ACL() });
    symlinkSync("missing.tf", join(dangling, "gone.tf"));
    refuses(dangling, /gone\.tf: is a symbolic link to nothing/);
    const directory = tfDir({ "main.tf": ACL(), "x.tf/inner.txt": "" });
    refuses(directory, /x\.tf: is a directory/);
  });

  it("modules nested more than 16 deep", () => {
    const files: Record<string, string> = { "main.tf": `module "m" {\n  source = "./m0"\n}\n` };
    let path = "m0";
    for (let i = 1; i <= 20; i++) {
      files[`${path}/main.tf`] = `module "m" {\n  source = "./m${i}"\n}\n`;
      path = `${path}/m${i}`;
    }
    files[`${path}/main.tf`] = ACL();
    refuses(tfDir(files), /modules are nested more than 16 deep/);
  });

  it("runaway expressions: 30 nested dynamic blocks over [1, 2]", () => {
    let body = "x = 1";
    for (let i = 0; i < 30; i++) body = `dynamic "d${i}" {\n for_each = [1, 2]\n content {\n ${body}\n }\n}`;
    refuses(tfDir({ "main.tf": `resource "aws_wafv2_web_acl" "api" {\n${body}\n}\n` }), /dynamic blocks generate more than/);
  });

  it("runaway expressions: nested for over large ranges", () => {
    refuses(tfDir({ "main.tf": `locals {\n  x = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]\n}\n${ACL()}` }), /expression evaluation takes more than|build more than/);
  });

  it("a resource declared twice: the error is at the second declaration, naming the first", () => {
    const acl = (name: string) => `resource "aws_wafv2_web_acl" "a" {\n  name  = "${name}"\n  scope = "REGIONAL"\n}\n`;
    refuses(tfDir({ "main.tf": `# one\n\n${acl("x")}\n\n${acl("y")}` }), /main\.tf:9: Duplicate resource "aws_wafv2_web_acl" configuration: a aws_wafv2_web_acl resource named "a" was already declared at .*main\.tf:3\./);
    refuses(tfDir({ "a.tf": acl("x"), "b.tf": `\n${acl("y")}` }), /b\.tf:2: Duplicate resource .* already declared at .*a\.tf:1\./);
  });

  it("a duplicate of a type no rule reads (aws_iam_role), in .tf and in cdk.tf.json", () => {
    refuses(tfDir({ "main.tf": `resource "aws_iam_role" "a" {\n  name = "x"\n}\nresource "aws_iam_role" "a" {\n  name = "y"\n}\n` }), /main\.tf:4: Duplicate resource "aws_iam_role" configuration/);
    const cdk = join(tfDir({ "cdk.tf.json": JSON.stringify({ terraform: {}, resource: { aws_iam_role: { a: [{ name: "x" }, { name: "y" }] } } }) }), "cdk.tf.json");
    refuses(cdk, /cdk\.tf\.json: Duplicate resource "aws_iam_role" configuration/);
  });

  it("a call to a function that does not exist, in an argument a rule reads, is refused rather than read as unknown", () => {
    refuses(tfDir({ "main.tf": ACL().replace('name  = "api"', 'name  = nosuchfn("api")') }), /main\.tf:4: Call to unknown function: there is no function named "nosuchfn" \(in resource "aws_wafv2_web_acl" "api", name\)\n$/);
  });

  it("values known only at apply stay unknown: a for_each over a resource's attribute (each.key in the body), a count from its length", () => {
    const dir = tfDir({
      "main.tf": `resource "aws_wafv2_ip_set" "each" {
  for_each = toset(aws_ssm_parameter.list.insecure_value)
  name     = "ip-\${each.key}"
}
resource "aws_wafv2_ip_set" "counted" {
  count = length(aws_ssm_parameter.list.insecure_value)
  name  = "ip-\${count.index}"
}
module "m" {
  source   = "./m"
  for_each = aws_ssm_parameter.map.value
  name     = each.key
}
`,
      "m/main.tf": `variable "name" {}\nresource "aws_wafv2_ip_set" "child" {\n  name = var.name\n}\n`,
    });
    const { model } = loadInput(dir);
    assert.deepEqual(
      model.resources.map((r) => [r.address, r.conditional, r.values.name ?? null]),
      [
        ["aws_wafv2_ip_set.each", true, null],
        ["aws_wafv2_ip_set.counted[0]", true, "ip-0"],
        ["module.m.aws_wafv2_ip_set.child", true, null],
      ],
    );
  });

  it("an InputError, not a crash, from the loader API too", () => {
    assert.throws(() => loadInput(tfDir({ "main.tf": `module "self" {\n  source = "./"\n}\n` })), InputError);
  });
});

describe(".tf files nested deeply or enormous: bounded, never a stack overflow", function () {
  this.timeout(60000);
  const one = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-tf-"));
    writeFileSync(join(dir, "main.tf"), text);
    return runCli(["check", dir, "--fail-on", "never"]);
  };

  for (const [what, text] of [
    ["100,000 nested parentheses", `locals {\n  x = ${"(".repeat(100000)}1${")".repeat(100000)}\n}\n`],
    ["20,000 nested template strings", `locals {\n  x = "${'${"'.repeat(20000)}x${'"}'.repeat(20000)}"\n}\n`],
    ["50,000 nested blocks", `a ${"{\n b ".repeat(50000)}\n${"}\n".repeat(50000)}`],
  ] as const) {
    it(`${what}: exit 2 with one line naming the file and line`, () => {
      const r = one(text);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^wafguard: .*main\.tf:\d+: (expression|blocks) nested too deeply \(more than 500 levels\) \(not valid HCL\)\n$/);
    });
  }

  it("a 5 MB list literal in locals loads", () => {
    const r = one(`locals {\n  big = [${Array.from({ length: 700000 }, (_, i) => i).join(", ")}]\n}\n`);
    assert.equal(r.status, 0, r.stderr);
  });

  it("a 2 MB file with one syntax error in a 50,000-line block gives its line", () => {
    const lines = ['resource "aws_wafv2_ip_set" "big" {'];
    for (let i = 0; i < 50000; i++) lines.push(i === 25000 ? `  a${i} = = 1` : `  a${i} = "${"x".repeat(20)}"`);
    lines.push("}");
    const r = one(lines.join("\n"));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /main\.tf:25002: unexpected "=" \(not valid HCL\)/);
  });
});

describe("long chains in expressions: bounded where the syntax tree is built, one line with the file and line", function () {
  this.timeout(60000);
  const LONG = 5000;
  const oneLine = (r: { status: number | null; stderr: string; stdout: string }, pattern: RegExp) => {
    assert.equal(r.status, 2, r.stderr + r.stdout.slice(0, 300));
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|Maximum call stack|\n\s+at /);
    assert.match(r.stderr.trimEnd(), pattern);
  };
  const chains: Array<[string, string]> = [
    [`${LONG} terms of +`, `locals {\n  x = ${Array(LONG).fill("1").join(" + ")}\n}\n`],
    [`${LONG} attribute steps`, `locals {\n  y = {}\n  x = local.y${".a".repeat(LONG)}\n}\n`],
    [`${LONG} index steps`, `locals {\n  y = []\n  x = local.y${"[0]".repeat(LONG)}\n}\n`],
    [`a heredoc of ${LONG} nested %{if}`, `locals {\n  x = <<EOT\n${"%{if true}".repeat(LONG)}x${"%{endif}".repeat(LONG)}\nEOT\n}\n`],
    [`${LONG} || in a resource argument`, `resource "aws_wafv2_ip_set" "s" {\n  name = ${Array(LONG).fill("true").join(" || ")} ? "a" : "b"\n}\n${ACL()}`],
  ];
  for (const [what, text] of chains) {
    it(`${what}: exit 2, "expression nested too deeply" at its line`, () => {
      oneLine(runCli(["check", tfDir({ "main.tf": text })]), /^wafguard: .*main\.tf:[23]: expression nested too deeply \(more than 500 levels\) \(not valid HCL\)$/);
    });
  }

  it("the same in a .tf.json string and a cdk.tf.json string (\"${1 + 1 + …}\")", () => {
    const expr = `\${${Array(LONG).fill("1").join(" + ")}}`;
    const tfJson = tfDir({ "main.tf.json": JSON.stringify({ resource: { aws_wafv2_web_acl: { a: { name: expr, scope: "REGIONAL" } } } }) });
    oneLine(runCli(["check", tfJson]), /main\.tf\.json: expression nested too deeply \(more than 500 levels\) \(in resource "aws_wafv2_web_acl" "a", name\)$/);
    const cdk = join(tfDir({ "cdk.tf.json": JSON.stringify({ terraform: {}, resource: { aws_wafv2_ip_set: { s: { name: expr } } } }) }), "cdk.tf.json");
    oneLine(runCli(["check", cdk]), /cdk\.tf\.json: expression nested too deeply \(more than 500 levels\) \(in resource "aws_wafv2_ip_set" "s", name\)$/);
  });

  it('other syntax errors in a JSON string, an unterminated interpolation ("${") among them, are refused too, naming the argument', () => {
    const cdk = (doc: unknown) => join(tfDir({ "cdk.tf.json": JSON.stringify(doc) }), "cdk.tf.json");
    oneLine(runCli(["check", cdk({ resource: { aws_wafv2_web_acl: { a: { name: "${", scope: "REGIONAL" } } } })]), /cdk\.tf\.json: invalid expression: expression ends too early \(in resource "aws_wafv2_web_acl" "a", name\)$/);
    oneLine(runCli(["check", cdk({ resource: { aws_iam_role: { r: { name: "${nosuch(}" } } } })]), /cdk\.tf\.json: invalid expression: .* \(in resource "aws_iam_role" "r", name\)$/);
  });

  it("the same through wafguard model and wafguard logs --source", () => {
    const dir = tfDir({ "main.tf": chains[0][1] });
    oneLine(runCli(["model", dir]), /main\.tf:2: expression nested too deeply/);
    oneLine(runCli(["logs", join(__dirname, "..", "..", "examples", "logs", "waf-logs"), "--source", dir]), /main\.tf:2: expression nested too deeply/);
  });

  it("400 terms still evaluate, and so does a chain of 100 locals", () => {
    const sum = Array(400).fill("1").join(" + ");
    const chain = Array.from({ length: 100 }, (_, i) => `  l${i} = local.l${i + 1}\n`).join("");
    const dir = tfDir({ "main.tf": `locals {\n  n = ${sum}\n${chain}  l100 = "end"\n}\nresource "aws_wafv2_ip_set" "s" {\n  name = "n-\${local.n}-\${local.l0}"\n}\n` });
    assert.equal(loadInput(dir).model.resources.find((r) => r.type === "aws_wafv2_ip_set")?.values.name, "n-400-end");
  });

  it("a chain of 3,000 locals, each reading the next: exit 2 at the local where the bound is reached", () => {
    const chain = Array.from({ length: 3000 }, (_, i) => `  l${i} = local.l${i + 1}\n`).join("");
    const dir = tfDir({ "main.tf": `locals {\n${chain}  l3000 = 1\n}\n${ACL()}` });
    oneLine(runCli(["check", dir]), /main\.tf:\d+: expressions nested too deeply: local values that read other local values, more than 1000 levels .* \(in locals, l\d+\)$/);
  });

  it("a resource with 300 levels of nested blocks: exit 2, blocks nested too deeply", () => {
    let body = "x = 1";
    for (let i = 0; i < 300; i++) body = `b${i} {\n${body}\n}`;
    oneLine(runCli(["check", tfDir({ "main.tf": `resource "aws_wafv2_web_acl" "a" {\n${body}\n}\n` })]), /main\.tf:\d+: blocks nested more than 128 levels deep in one resource/);
  });
});

describe("Terraform JSON syntax (.tf.json, cdk.tf.json) of the wrong shape: one line naming the field", function () {
  this.timeout(60000);
  const cdk = (doc: unknown) => join(tfDir({ "cdk.tf.json": typeof doc === "string" ? doc : JSON.stringify(doc) }), "cdk.tf.json");
  const refuses = (path: string, pattern: RegExp) => {
    const r = runCli(["check", path]);
    assert.equal(r.status, 2, r.stderr + r.stdout);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
    assert.match(r.stderr.trimEnd(), pattern);
  };

  it("resources by type that are a string, resource that is a string or null, a body that is a string or a number", () => {
    refuses(cdk({ resource: { aws_wafv2_web_acl: "oops" } }), /cdk\.tf\.json: resource\.aws_wafv2_web_acl: Incorrect JSON value type: .*got a string$/);
    refuses(cdk({ resource: "x" }), /cdk\.tf\.json: resource: Incorrect JSON value type: .*got a string$/);
    refuses(cdk({ resource: null }), /cdk\.tf\.json: resource: Missing block label/);
    refuses(cdk({ resource: { aws_wafv2_web_acl: { a: "x" } } }), /cdk\.tf\.json: resource\.aws_wafv2_web_acl\.a: Incorrect JSON value type: .*got a string$/);
    refuses(cdk({ resource: { aws_wafv2_web_acl: { a: 5 } } }), /cdk\.tf\.json: resource\.aws_wafv2_web_acl\.a: Incorrect JSON value type: .*got a number$/);
    refuses(cdk({ terraform: {}, data: { aws_wafv2_web_acl: { a: [1] } } }), /cdk\.tf\.json: data\.aws_wafv2_web_acl\.a: Incorrect JSON value type/);
    refuses(cdk({ terraform: {}, locals: "x" }), /cdk\.tf\.json: locals: Incorrect JSON value type/);
    refuses(tfDir({ "main.tf.json": JSON.stringify({ resource: { aws_iam_role: "oops" } }) }), /main\.tf\.json: resource\.aws_iam_role: Incorrect JSON value type/);
  });

  it("a body that is null declares no resource, as Terraform reads it; an array of one body is one resource", () => {
    const r = runCli(["check", cdk({ resource: { aws_wafv2_web_acl: { a: null, b: [{ name: "b", scope: "REGIONAL" }] } } }), "--format", "json", "--fail-on", "never"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { findings: Array<{ address: string }> }).findings.map((f) => f.address), ["aws_wafv2_web_acl.b"]);
  });

});

describe("empty files say what that file should hold", function () {
  this.timeout(60000);
  const refuses = (path: string, pattern: RegExp) => {
    const r = runCli(["check", path]);
    assert.equal(r.status, 2, r.stderr + r.stdout);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.match(r.stderr.trimEnd(), pattern);
    assert.doesNotMatch(r.stderr, /terraform show -json/);
  };
  const cdk = (text: string) => join(tfDir({ "cdk.tf.json": text }), "cdk.tf.json");

  it("an empty manifest.json, cdk.tf.json or modules.json says what that file should hold", () => {
    const out = tfDir({ "manifest.json": "\n" });
    refuses(out, /manifest\.json: is empty; expected the manifest\.json that cdktf synth writes/);
    refuses(cdk(" "), /cdk\.tf\.json: is empty; expected a stack that cdktf synth writes/);
    refuses(tfDir({ "main.tf": ACL(), ".terraform/modules/modules.json": "" }), /modules\.json: is empty; expected the modules\.json that terraform init writes/);
  });

  it("an empty terraform.tfvars sets nothing, as Terraform reads it", () => {
    const r = runCli(["check", tfDir({ "main.tf": ACL(), "terraform.tfvars": "" }), "--fail-on", "never"]);
    assert.equal(r.status, 0, r.stderr);
  });
});

describe("local modules that cannot be read: Terraform's error, one line, exit 2", function () {
  this.timeout(60000);

  it("a missing local module, and a module directory that is a link loop", () => {
    const missing = tfDir({ "main.tf": `module "gone" {\n  source = "./gone"\n}\n` });
    let r = runCli(["check", missing]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^wafguard: .*gone: unreadable module directory: module\.gone's source does not exist\n$/);
    const loop = tfDir({ "main.tf": `module "loop" {\n  source = "./loop"\n}\n` });
    symlinkSync("loop", join(loop, "loop"));
    r = runCli(["check", loop]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^wafguard: .*loop: is a symbolic link that loops \(the source of module\.loop\)\n$/);
  });
});
