/**
 * Configurations that Terraform refuses are refused by the .tf loader too (exit 2, one line with the
 * file and line), not read as unknown values with their findings gone; and the near misses that
 * Terraform accepts (a try() around an unknown function, a set-typed variable in for_each, a value
 * known only at apply…) still load. Each case is checked against the pinned OpenTofu as well
 * (`tofu validate`, then `tofu plan`, offline: the cases use terraform_data, which needs no provider),
 * so that the table says what Terraform says. Without tofu that half is skipped; in CI (CI=true) a
 * missing tofu fails.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadInput } from "../src/load";
import { ROOT, runCli } from "./helpers";

const TOFU = join(ROOT, ".tools", "bin", "tofu");

function tfDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "wafguard-refusal-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** What OpenTofu says of the directory: validate, and plan where validate passes. */
function tofu(dir: string): { ok: boolean; output: string } {
  const env = { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
  let output = "";
  for (const args of [["init", "-backend=false", "-input=false", "-no-color"], ["validate", "-no-color"], ["plan", "-input=false", "-lock=false", "-refresh=false", "-no-color"]]) {
    const r = spawnSync(TOFU, args, { cwd: dir, env, encoding: "utf8" });
    output += r.stdout + r.stderr;
    if (r.status !== 0) return { ok: false, output };
  }
  return { ok: true, output };
}

interface Refused {
  title: string;
  files: Record<string, string | Buffer>;
  /** wafguard's one line, after `wafguard: DIR/` */
  wafguard: RegExp;
  /** The summary of OpenTofu's error. */
  tofu: RegExp;
}

const data = (body: string, name = "a") => `resource "terraform_data" "${name}" {\n${body}\n}\n`;

const REFUSED: Refused[] = [
  { title: "a call to a function that does not exist", files: { "main.tf": `locals {\n  x = nosuchfn(1)\n}\n` }, wafguard: /main\.tf:2: Call to unknown function: there is no function named "nosuchfn" \(in locals, x\)$/, tofu: /Error: Call to unknown function/ },
  { title: "a function in a namespace that is neither core:: nor provider::", files: { "main.tf": `locals {\n  x = tofu::length([1])\n}\n` }, wafguard: /main\.tf:2: Call to unknown function: there is no function named "tofu::length"/, tofu: /Error: Unknown function namespace/ },
  { title: "an arithmetic operand that is not a number", files: { "main.tf": `locals {\n  x = 100 + "x"\n}\n` }, wafguard: /main\.tf:2: Invalid operand: unsuitable value for the right operand of \+: a number is required, got the string "x"/, tofu: /Error: Invalid operand/ },
  { title: "a bool operand of -", files: { "main.tf": `locals {\n  x = true - 1\n}\n` }, wafguard: /main\.tf:2: Invalid operand: .*left operand of -: a number is required, got a bool/, tofu: /Error: Invalid operand/ },
  { title: "a negative count", files: { "main.tf": data("  count = -1") }, wafguard: /main\.tf:2: Invalid count argument: the given count value -1 is negative.*\(in resource "terraform_data" "a", count\)$/, tofu: /Error: Invalid count argument/ },
  { title: "a fractional count", files: { "main.tf": data("  count = 1.5") }, wafguard: /main\.tf:2: Invalid count argument: the given count value 1\.5 is not a whole number/, tofu: /Error: Invalid count argument/ },
  { title: "a count that is a string but not a number", files: { "main.tf": data(`  count = "abc"`) }, wafguard: /main\.tf:2: Invalid count argument: a number is required, got "abc"/, tofu: /Error: Incorrect value type/ },
  { title: "a null count", files: { "main.tf": data("  count = null") }, wafguard: /main\.tf:2: Invalid count argument: the given count argument value is null/, tofu: /Error: Invalid count argument/ },
  { title: "a count from a variable that is a bool", files: { "main.tf": `variable "on" {\n  default = true\n}\n${data("  count = var.on")}` }, wafguard: /main\.tf:5: Invalid count argument: a number is required, got bool/, tofu: /Error: Incorrect value type/ },
  { title: "a for_each that is a number", files: { "main.tf": data("  for_each = 5") }, wafguard: /main\.tf:2: Invalid for_each argument: .*must be a map, or set of strings, and you have provided a value of type number/, tofu: /Error: Invalid for_each argument/ },
  { title: "a null for_each", files: { "main.tf": data("  for_each = null") }, wafguard: /main\.tf:2: Invalid for_each argument: the given for_each argument value is null/, tofu: /Error: Invalid for_each argument/ },
  { title: "a for_each that is a list of strings", files: { "main.tf": data(`  for_each = ["a", "b"]`) }, wafguard: /main\.tf:2: Invalid for_each argument: .*list or tuple; convert it with toset\(\)/, tofu: /Error: Invalid for_each argument/ },
  { title: "a for_each over a list-typed variable", files: { "main.tf": `variable "names" {\n  type    = list(string)\n  default = ["a"]\n}\n${data("  for_each = var.names")}` }, wafguard: /main\.tf:6: Invalid for_each argument: .*list or tuple/, tofu: /Error: Invalid for_each argument/ },
  { title: "a for_each over a set of numbers", files: { "main.tf": data("  for_each = toset([1, 2])") }, wafguard: /main\.tf:2: Invalid for_each argument: for_each supports maps and sets of strings, but you have provided a set containing type number/, tofu: /Error: Invalid for_each argument/ },
  { title: "count and for_each on one block", files: { "main.tf": data("  for_each = {a = 1}\n  count    = 2") }, wafguard: /main\.tf:3: Invalid combination of "count" and "for_each"/, tofu: /Error: Invalid combination of "count" and "for_each"/ },
  { title: "each.key in a resource without for_each", files: { "main.tf": data("  input = each.key") }, wafguard: /main\.tf:2: Reference to "each" in context without for_each.*\(in resource "terraform_data" "a", input\)$/, tofu: /Error: Reference to "each" in context without for_each/ },
  { title: "each.key inside try(), in a resource without for_each", files: { "main.tf": data(`  input = try(each.key, "x")`) }, wafguard: /main\.tf:2: Reference to "each" in context without for_each/, tofu: /Error: Reference to "each" in context without for_each/ },
  { title: "count.index in a resource without count", files: { "main.tf": data("  input = count.index") }, wafguard: /main\.tf:2: Reference to "count" in non-counted context/, tofu: /Error: Reference to "count" in non-counted context/ },
  { title: "each.key in locals", files: { "main.tf": `locals {\n  x = each.key\n}\n` }, wafguard: /main\.tf:2: Reference to "each" in context without for_each: .* \(in locals, x\)$/, tofu: /Error: Reference to "each" in context without for_each/ },
  { title: "two locals that refer to each other", files: { "main.tf": `locals {\n  a = local.b\n  b = local.a\n}\n` }, wafguard: /main\.tf:3: Cycle: local\.a -> local\.b -> local\.a/, tofu: /Error: Cycle: local\.(a|b)/ },
  { title: "a local that refers to itself", files: { "main.tf": `locals {\n  a = [local.a]\n}\n` }, wafguard: /main\.tf:2: Self-referencing local value: local\.a cannot use its own result/, tofu: /Error: Self-referencing local value/ },
  { title: "a local that is not declared", files: { "main.tf": `locals {\n  a = 1\n}\n${data("  input = local.b")}` }, wafguard: /main\.tf:5: Reference to undeclared local value: a local value with the name "b" has not been declared/, tofu: /Error: Reference to undeclared local value/ },
  { title: "a local defined in two locals blocks", files: { "main.tf": `locals {\n  a = 1\n}\n`, "other.tf": `locals {\n  a = 2\n}\n` }, wafguard: /other\.tf:2: Duplicate local value definition: a local value named "a" was already defined at .*main\.tf:2/, tofu: /Error: Duplicate local value definition/ },
  { title: "a variable declared twice", files: { "main.tf": `variable "a" {\n  default = 1\n}\n\nvariable "a" {\n  default = 2\n}\n` }, wafguard: /main\.tf:5: Duplicate variable declaration: a variable named "a" was already declared at .*main\.tf:1/, tofu: /Error: Duplicate variable declaration/ },
  { title: "a function call in a variable's default", files: { "main.tf": `variable "a" {\n  default = upper("x")\n}\n` }, wafguard: /main\.tf:2: Function calls not allowed: functions may not be called here \(in variable "a"\)$/, tofu: /Error: Function calls not allowed/ },
  { title: "a var.* reference in terraform.tfvars", files: { "main.tf": `variable "x" {}\nvariable "y" {\n  default = 1\n}\noutput "x" {\n  value = var.x\n}\n`, "terraform.tfvars": `\nx = var.y\n` }, wafguard: /terraform\.tfvars:2: Variables not allowed: variables may not be used here$/, tofu: /Error: Variables not allowed/ },
  { title: "a function call in terraform.tfvars", files: { "main.tf": `variable "x" {}\noutput "x" {\n  value = var.x\n}\n`, "terraform.tfvars": `x = upper("a")\n` }, wafguard: /terraform\.tfvars:1: Function calls not allowed/, tofu: /Error: Function calls not allowed/ },
  { title: "bytes that are not UTF-8 in a string", files: { "main.tf": Buffer.concat([Buffer.from('resource "terraform_data" "a" {\n  input = "caf'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]) }, wafguard: /main\.tf:2: Invalid character encoding/, tofu: /Error: Invalid character encoding/ },
  { title: "a module block without source", files: { "main.tf": `module "m" {\n  x = 1\n}\n` }, wafguard: /main\.tf:1: Missing required argument: the argument "source" is required.*\(in module "m"\)$/, tofu: /Error: Missing required argument/ },
  { title: "a module source that is a number", files: { "main.tf": `module "m" {\n  source = 5\n}\n` }, wafguard: /main\.tf:2: Invalid module source address: "source" must be a string, got 5/, tofu: /Error: Invalid module source address/ },
  { title: "an undeclared variable, even inside try()", files: { "main.tf": `locals {\n  t = try(var.nope, {})\n}\n` }, wafguard: /main\.tf:2: Reference to undeclared input variable: an input variable with the name "nope" has not been declared \(in locals, t\)$/, tofu: /Error: Reference to undeclared input variable/ },
  { title: "an undeclared variable in a resource", files: { "main.tf": `variable "known" {\n  default = 1\n}\n${data("  input = var.unknown")}` }, wafguard: /main\.tf:5: Reference to undeclared input variable: an input variable with the name "unknown"/, tofu: /Error: Reference to undeclared input variable/ },
  { title: "a counted resource's attribute without an instance key", files: { "main.tf": `${data("  count = 2")}${data("  input = terraform_data.a.id", "b")}` }, wafguard: /main\.tf:5: Missing resource instance key: because terraform_data\.a has "count" set/, tofu: /Error: Missing resource instance key/ },
  { title: "a for_each resource's attribute without an instance key", files: { "main.tf": `${data('  for_each = toset(["x"])')}${data("  input = terraform_data.a.output", "b")}` }, wafguard: /main\.tf:5: Missing resource instance key: because terraform_data\.a has "for_each" set/, tofu: /Error: Missing resource instance key/ },
  { title: "an instance key on a resource without count or for_each", files: { "main.tf": `${data('  input = "x"')}${data("  input = terraform_data.a[0].id", "b")}` }, wafguard: /main\.tf:5: Unexpected resource instance key: because terraform_data\.a does not have "count" or "for_each" set/, tofu: /Error: Unexpected resource instance key/ },
  { title: "a resource declared twice (the second is the error, at its own line)", files: { "main.tf": `# two\n\n${data('  input = "x"')}\n\n\n${data('  input = "y"')}` }, wafguard: /main\.tf:9: Duplicate resource "terraform_data" configuration: a terraform_data resource named "a" was already declared at .*main\.tf:3\./, tofu: /Error: Duplicate resource "terraform_data" configuration/ },
];

interface Accepted {
  title: string;
  files: Record<string, string | Buffer>;
  /** Resource instances the loader counts (every type). */
  instances?: number;
}

const ACCEPTED: Accepted[] = [
  { title: "unknown functions and type errors where try(), can() or an untaken branch hold them", files: { "main.tf": `locals {\n  a = try(nosuchfn(1), 2)\n  b = false ? nosuchfn(1) : 2\n  c = can(nosuchfn(1))\n  d = try(100 + "x", 1)\n  e = [for x in [] : nosuchfn(x)]\n}\noutput "o" {\n  value = [local.a, local.b, local.c, local.d, local.e]\n}\n` } },
  { title: "core:: functions, and built-ins the evaluator does not compute (chomp, cidrsubnets)", files: { "main.tf": `locals {\n  a = core::length([1, 2])\n  b = chomp("x\\n")\n  c = cidrsubnets("10.0.0.0/16", 8, 8)\n}\n${data("  count = local.a")}` }, instances: 2 },
  { title: "a count that is a string of digits", files: { "main.tf": data(`  count = "2"`) }, instances: 2 },
  { title: "a for_each over a set(string) variable whose default is written as a list", files: { "main.tf": `variable "names" {\n  type    = set(string)\n  default = ["b", "a", "b"]\n}\n${data("  for_each = var.names\n  input    = each.key")}` }, instances: 2 },
  { title: "a for_each that is a set in one branch and [] in the other", files: { "main.tf": `variable "on" {\n  default = false\n}\n${data('  for_each = var.on ? toset(["a"]) : []')}${data('  for_each = var.on ? {} : { x = 1 }\n  input    = each.value', "b")}` }, instances: 1 },
  { title: "a set-typed module variable given a list", files: { "main.tf": `module "m" {\n  source = "./m"\n  names  = ["a", "b"]\n}\n`, "m/main.tf": `variable "names" {\n  type = set(string)\n}\n${data("  for_each = var.names\n  input    = each.key")}` }, instances: 2 },
  { title: "counted resources referenced by index, splat and whole", files: { "main.tf": `${data("  count = 2")}${data("  count = 2\n  input = [terraform_data.a[count.index].id, terraform_data.a[*].id, terraform_data.a.*.id, length(terraform_data.a)]", "b")}` }, instances: 4 },
  { title: "a name that for binds to each", files: { "main.tf": data(`  input = [for each in ["a"] : each]`) }, instances: 1 },
  { title: "terraform.tfvars with operators and templates, and an empty .auto.tfvars", files: { "main.tf": `variable "x" {}\nvariable "y" {}\n${data("  count = var.x")}`, "terraform.tfvars": `x = 1 + 1\ny = "a-\${1}"\n`, "empty.auto.tfvars": "" }, instances: 2 },
  { title: "bytes that are not UTF-8 in a comment", files: { "main.tf": Buffer.concat([Buffer.from("# caf"), Buffer.from([0xe9]), Buffer.from(`\n${data('  input = "x"')}`)]) }, instances: 1 },
];

describe("configurations Terraform refuses: refused, one line with the file and line", function () {
  this.timeout(120000);
  const haveTofu = existsSync(TOFU);

  for (const c of REFUSED) {
    it(c.title, function () {
      const dir = tfDir(c.files);
      const r = runCli(["check", dir]);
      assert.equal(r.status, 2, r.stderr + r.stdout);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
      assert.match(r.stderr.trimEnd(), /^wafguard: /);
      assert.match(r.stderr.trimEnd(), c.wafguard);
      if (!haveTofu) {
        if (process.env.CI === "true") assert.fail(`${TOFU} is missing (bash scripts/build-tofu.sh)`);
        return;
      }
      const t = tofu(dir);
      assert.equal(t.ok, false, `tofu accepts it:\n${t.output}`);
      assert.match(t.output, c.tofu);
    });
  }

  for (const c of ACCEPTED) {
    it(`accepted: ${c.title}`, function () {
      const dir = tfDir(c.files);
      const r = runCli(["check", dir, "--fail-on", "never"]);
      assert.equal(r.status, 0, r.stderr);
      if (c.instances !== undefined) assert.equal(loadInput(dir).resourceCount, c.instances);
      if (!haveTofu) {
        if (process.env.CI === "true") assert.fail(`${TOFU} is missing (bash scripts/build-tofu.sh)`);
        return;
      }
      const t = tofu(dir);
      assert.equal(t.ok, true, t.output);
    });
  }
});
