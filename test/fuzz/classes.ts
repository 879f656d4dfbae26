/**
 * The classes of hostile input, one small reproduction each (issue 17). Every one must end in findings
 * (exit 0/1) or one input-error line (exit 2), never an internal error, a hang or runaway memory.
 * `owner` says which part of wafguard handles the class.
 */
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { aclRule, CDK_TF_JSON_TEXT, MANIFEST_TEXT, PLAN_TEXT, planWithAcl, TF_JSON_TEXT, TF_TEXT, WAIVERS_TEXT } from "./seeds";
import type { FuzzCase } from "./run-case";

type Json = Record<string, unknown>;

/** Where the symlinked --output of one class points: outside the case directory, so never written. */
export const ESCAPED_OUTPUT = join(tmpdir(), "wafguard-fuzz-escaped-output");

const RESOURCE = `resource "aws_api_gateway_rest_api" "a" {\n  name = "a"\n}\n`;
const deepJson = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

function planWith(edit: (plan: Json) => void): string {
  const plan = JSON.parse(PLAN_TEXT) as Json;
  edit(plan);
  return JSON.stringify(plan);
}

const changes = (plan: Json) => plan.resource_changes as Json[];
const cdktfOut = (manifest: string, extra: FuzzCase["files"] = {}): FuzzCase["files"] => ({ "out/manifest.json": manifest, "out/stacks/stack/cdk.tf.json": CDK_TF_JSON_TEXT, ...extra });

/** One well-formed WAF log record, in the shape of AWS's log examples. */
const LOG_LINE = JSON.stringify({
  timestamp: 1732406400000, formatVersion: 1, webaclId: "arn:aws:wafv2:eu-west-3:111122223333:regional/webacl/api/1", terminatingRuleId: "Default_Action",
  terminatingRuleType: "REGULAR", action: "ALLOW", httpSourceName: "APIGW", httpSourceId: "111122223333:abc123:prod", ruleGroupList: [], rateBasedRuleList: [], nonTerminatingMatchingRules: [],
  httpRequest: { clientIp: "192.0.2.10", country: "FR", headers: [{ name: "Host", value: "api.example.com" }], uri: "/prod/orders", args: "", httpVersion: "HTTP/1.1", httpMethod: "GET", requestId: "r1" },
});

export interface HostileClass extends FuzzCase {
  /** i16: the .tf evaluator (src/load/terraform); i17: everything else. */
  owner: "i16" | "i17";
  /** Where the outcome is known: what stdout or stderr must say. */
  expect?: RegExp;
}

const c = (owner: "i16" | "i17", title: string, files: FuzzCase["files"], args: string[], expect?: RegExp): HostileClass => ({ owner, title, files, args, ...(expect ? { expect } : {}) });

export const HOSTILE_CLASSES: HostileClass[] = [
  // Symlinks and special files in .tf and module directories (the evaluator's).
  c("i16", "a .tf symlink loop", { "tf/main.tf": RESOURCE, "tf/a.tf": { link: "b.tf" }, "tf/b.tf": { link: "a.tf" } }, ["check", "tf"]),
  c("i16", "a .tf symlink to itself", { "tf/main.tf": RESOURCE, "tf/x.tf": { link: "x.tf" } }, ["check", "tf"]),
  c("i16", "a dangling .tf symlink", { "tf/main.tf": RESOURCE, "tf/x.tf": { link: "missing.tf" } }, ["check", "tf"]),
  c("i16", "a directory named x.tf", { "tf/main.tf": RESOURCE, "tf/x.tf": { dir: true } }, ["check", "tf"]),
  c("i16", "a FIFO named x.tf", { "tf/main.tf": RESOURCE, "tf/x.tf": { fifo: true } }, ["check", "tf"]),
  c("i16", "a module whose source is its own directory", { "tf/main.tf": `${RESOURCE}module "self" {\n  source = "./"\n}\n` }, ["check", "tf"]),
  c("i16", "a module cycle through a symlinked directory", { "tf/main.tf": `module "m" {\n  source = "./m"\n}\n`, "tf/m/main.tf": `${RESOURCE}module "back" {\n  source = "./up"\n}\n`, "tf/m/up": { link: ".." } }, ["check", "tf"]),
  c("i16", "nested for expressions", { "tf/main.tf": `locals {\n  x = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]\n}\n${RESOURCE}` }, ["check", "tf"]),
  c("i16", "nested for expressions in terraform.tfvars", { "tf/main.tf": `variable "x" {}\n${RESOURCE}`, "tf/terraform.tfvars": `x = ${"[for a in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] : ".repeat(8)}a${"]".repeat(8)}\n` }, ["check", "tf"], /terraform\.tfvars:1: .*runs away/),
  c("i16", "a 5 MB list literal", { "tf/main.tf": `locals {\n  x = [${"1, ".repeat(1_700_000)}1]\n}\n${RESOURCE}` }, ["check", "tf"]),
  c("i16", "30 nested dynamic blocks", { "tf/main.tf": nestedDynamic(30) }, ["check", "tf"]),
  c("i16", "deeply nested expressions", { "tf/main.tf": `locals {\n  x = ${"(".repeat(20000)}1${")".repeat(20000)}\n}\n${RESOURCE}` }, ["check", "tf"]),
  c("i16", "deeply nested interpolations", { "tf/main.tf": `locals {\n  x = "${'${"'.repeat(3000)}x${'"}'.repeat(3000)}"\n}\n${RESOURCE}` }, ["check", "tf"]),
  c("i16", "a 2 MB .tf with one syntax error in a long block", { "tf/main.tf": `locals {\n${Array.from({ length: 50000 }, (_, i) => `  a${i} = "x"\n`).join("")}  b = = 1\n}\n${RESOURCE}` }, ["check", "tf"]),
  c("i16", "a counted REST API referenced without an instance key (fuzz seed 91: var assignment conflict)", { "tf/main.tf": `resource "aws_api_gateway_rest_api" "a" {\n  count = 2\n  name  = "x"\n}\nresource "aws_api_gateway_stage" "s" {\n  rest_api_id   = aws_api_gateway_rest_api.a.id\n  deployment_id = "d"\n  stage_name    = "p"\n}\n` }, ["check", "tf"]),
  c("i16", "a for_each key with a bad escape", { "tf/main.tf": `resource "aws_api_gateway_stage" "s" {\n  for_each = { "\\q" = 1 }\n  stage_name = each.key\n  rest_api_id = "x"\n}\n` }, ["check", "tf"]),

  // Symlinks and special files everywhere else.
  c("i17", "the plan is a FIFO", { "plan.json": { fifo: true } }, ["check", "plan.json"], /FIFO/),
  c("i17", "the plan is /dev/zero", {}, ["check", "/dev/zero"], /character device/),
  c("i17", "the plan is /dev/zero, forced", {}, ["check", "--input", "plan", "/dev/zero"]),
  c("i17", "the plan is a symlink loop", { "plan.json": { link: "plan.json" } }, ["check", "plan.json"]),
  c("i17", "the plan is a dangling symlink", { "plan.json": { link: "gone.json" } }, ["check", "plan.json"]),
  c("i17", "the plan is a directory with a .json name", { "plan.json": { dir: true } }, ["check", "--input", "plan", "plan.json"]),
  c("i17", "a symlink loop among the .tf files beside a plan", { "p/plan.json": PLAN_TEXT, "p/main.tf": TF_TEXT, "p/a.tf": { link: "a.tf" } }, ["check", "p/plan.json"]),
  c("i17", "a FIFO among the --source .tf files", { "plan.json": PLAN_TEXT, "src/main.tf": TF_TEXT, "src/x.tf": { fifo: true } }, ["check", "plan.json", "--source", "src"]),
  c("i17", "a dangling symlink among the --source .tf files", { "plan.json": PLAN_TEXT, "src/main.tf": TF_TEXT, "src/x.tf": { link: "nowhere.tf" } }, ["check", "plan.json", "--source", "src"]),
  c("i17", "a directory named x.tf in --source", { "plan.json": PLAN_TEXT, "src/main.tf": TF_TEXT, "src/x.tf": { dir: true } }, ["check", "plan.json", "--source", "src"]),
  c("i17", "a /dev/zero symlink in --source", { "plan.json": PLAN_TEXT, "src/main.tf": TF_TEXT, "src/z.tf": { link: "/dev/zero" } }, ["check", "plan.json", "--source", "src"]),
  c("i17", "--source modules in a symlink cycle", { "plan.json": PLAN_TEXT, "src/main.tf": `${TF_TEXT}\nmodule "m" {\n  source = "./m"\n}\n`, "src/m/main.tf": `module "m" {\n  source = "./m"\n}\n`, "src/m/m": { link: "." } }, ["check", "plan.json", "--source", "src"]),
  c("i17", "--source is a symlink loop", { "plan.json": PLAN_TEXT, src: { link: "src" } }, ["check", "plan.json", "--source", "src"]),
  c("i17", "the waiver file is a FIFO", { "plan.json": PLAN_TEXT, "w.yml": { fifo: true } }, ["check", "plan.json", "--waivers", "w.yml"], /w\.yml: is a FIFO/),
  c("i17", "the default .wafguard.yml is a FIFO", { "plan.json": PLAN_TEXT, ".wafguard.yml": { fifo: true } }, ["check", "plan.json"], /\.wafguard\.yml: is a FIFO/),
  c("i17", "the waiver file is /dev/zero", { "plan.json": PLAN_TEXT }, ["check", "plan.json", "--waivers", "/dev/zero"]),
  c("i17", "the waiver file is a directory", { "plan.json": PLAN_TEXT, "w.yml": { dir: true } }, ["check", "plan.json", "--waivers", "w.yml"]),
  c("i17", "the waiver file is a symlink loop", { "plan.json": PLAN_TEXT, ".wafguard.yml": { link: ".wafguard.yml" } }, ["check", "plan.json"]),
  c("i17", "--output is a FIFO", { "plan.json": PLAN_TEXT, "out.txt": { fifo: true } }, ["check", "plan.json", "--output", "out.txt"], /cannot write out\.txt/),
  c("i17", "--output is /dev/zero", { "plan.json": PLAN_TEXT }, ["check", "plan.json", "--output", "/dev/zero"], /cannot write \/dev\/zero/),
  c("i17", "--output is a symlink out of the directory", { "plan.json": PLAN_TEXT, "out.txt": { link: ESCAPED_OUTPUT } }, ["check", "plan.json", "--output", "out.txt"], /symbolic link/),
  c("i17", "--output is a directory", { "plan.json": PLAN_TEXT, out: { dir: true } }, ["check", "plan.json", "--output", "out"]),
  c("i17", "the CDKTF manifest is a FIFO", { "out/manifest.json": { fifo: true } }, ["check", "out"]),
  c("i17", "a CDKTF stack path is /dev/zero", cdktfOut(JSON.stringify({ stacks: { s: { synthesizedStackPath: "/dev/zero" } } })), ["check", "out"]),
  c("i17", "a CDKTF stack is a FIFO", { "out/manifest.json": MANIFEST_TEXT, "out/stacks/stack/cdk.tf.json": { fifo: true } }, ["check", "out"]),
  c("i17", "cdk.tf.json is a directory", { "out/cdk.tf.json": { dir: true } }, ["check", "out"]),
  c("i17", "the model command on a FIFO", { "plan.json": { fifo: true } }, ["model", "plan.json"]),

  // Duplicate addresses and input that made the policy fail.
  c("i17", "the same resource twice in .tf.json (a list of bodies)", { "tf/main.tf.json": JSON.stringify({ resource: { aws_api_gateway_rest_api: { a: [{ name: "a" }, { name: "b" }] } } }) }, ["check", "tf"], /Duplicate resource "aws_api_gateway_rest_api" configuration/),
  c("i17", "the same resource in two .tf.json files", { "tf/a.tf.json": JSON.stringify({ resource: { aws_api_gateway_rest_api: { a: { name: "a" } } } }), "tf/b.tf.json": JSON.stringify({ resource: { aws_api_gateway_rest_api: { a: { name: "b" } } } }) }, ["check", "tf"], /Duplicate resource/),
  c("i17", "duplicate JSON keys in .tf.json", { "tf/main.tf.json": `{"resource": {"aws_api_gateway_rest_api": {"a": {"name": "a"}, "a": {"name": "b"}}}}` }, ["check", "tf"], /main\.tf\.json:1: has the key "a" twice/),
  c("i17", "the same resource in a .tf and a .tf.json", { "tf/a.tf": RESOURCE, "tf/b.tf.json": JSON.stringify({ resource: { aws_api_gateway_rest_api: { a: { name: "b" } } } }) }, ["check", "tf"], /Duplicate resource/),
  c("i17", "the same resource twice in CDKTF output", { "cdk.tf.json": JSON.stringify({ terraform: {}, resource: { aws_api_gateway_rest_api: { a: [{ name: "a" }, { name: "b" }] } } }) }, ["check", "cdk.tf.json"], /Duplicate resource/),
  c("i17", "a plan listing a resource change twice, with different values", { "plan.json": planWith((p) => changes(p).push({ ...changes(p)[4], change: { ...(changes(p)[4].change as Json), after: { name: "other" } } })) }, ["check", "plan.json", "--format", "json"], /lists aws_wafv2_web_acl\.api twice/),
  c("i17", "a plan whose addresses collide after a mutation", { "plan.json": planWith((p) => (changes(p)[3].address = changes(p)[2].address)) }, ["check", "plan.json", "--format", "json"]),
  c("i17", "a plan with two instances of the same index", { "plan.json": planWith((p) => changes(p).filter((r) => r.type === "aws_api_gateway_stage").forEach((r) => { r.name = "s"; r.index = 0; delete r.address; })) }, ["check", "plan.json", "--format", "json"]),
  c("i17", "a rule action with both allow and block", { "plan.json": planWithAcl((acl) => ((aclRule(acl).action as Json[])[0].allow = [{}])) }, ["check", "plan.json", "--format", "json"], /sets allow and block in one action block/),
  c("i17", "an override_action with both count and none", { "plan.json": planWithAcl((acl) => (((acl.rule as Json[])[1].override_action as Json[])[0].count = [{}])) }, ["check", "plan.json", "--format", "json"], /sets count and none in one override_action block/),
  c("i17", "a default_action with both allow and block", { "plan.json": planWithAcl((acl) => ((acl.default_action as Json[])[0].allow = [{}])) }, ["check", "plan.json", "--format", "json"]),
  c("i17", "rule action overrides naming one rule twice", { "plan.json": planWithAcl((acl) => ((((acl.rule as Json[])[1].statement as Json[])[0].managed_rule_group_statement as Json[])[0].rule_action_override = [{ name: "SizeRestrictions_BODY", action_to_use: [{ count: [{}] }] }, { name: "SizeRestrictions_BODY", action_to_use: [{ block: [{}] }] }])) }, ["check", "plan.json", "--format", "json"]),
  c("i17", "two rules with the same name and priority", { "plan.json": planWithAcl((acl) => (acl.rule as Json[]).push({ ...aclRule(acl) })) }, ["check", "plan.json", "--format", "json"]),
  c("i17", "evaluation_window_sec = 1e308", { "plan.json": planWithAcl((acl) => ((((aclRule(acl).statement as Json[])[0].rate_based_statement as Json[])[0]).evaluation_window_sec = 1e308)) }, ["check", "plan.json", "--format", "json"], /evaluation_window_sec 1e\+?308/),
  c("i17", "limit = -1e308 and a fractional window", { "plan.json": planWithAcl((acl) => Object.assign(((aclRule(acl).statement as Json[])[0].rate_based_statement as Json[])[0], { limit: -1e308, evaluation_window_sec: 60.5 })) }, ["check", "plan.json", "--format", "json"]),
  c("i17", "priority = 1e308 on two rules", { "plan.json": planWithAcl((acl) => (acl.rule as Json[]).forEach((r) => (r.priority = 1e308))) }, ["check", "plan.json", "--format", "json"]),
  c("i17", "numbers too large for a double", { "plan.json": PLAN_TEXT.replace('"evaluation_window_sec": 300', '"evaluation_window_sec": 1e999').replace('"limit": 100', '"limit": 123456789012345678901234567890') }, ["check", "plan.json", "--format", "sarif"]),

  // Strings.
  c("i17", "a lone UTF-16 surrogate in a plan string", { "plan.json": PLAN_TEXT.replace('"name": "api"', '"name": "api\\ud800"') }, ["check", "plan.json", "--format", "json"], /"WG701"/),
  c("i17", "lone surrogates in a plan key and address", { "plan.json": PLAN_TEXT.replace('"name": "api"', '"\\udfff": "\\udbff\\ud800x"').replaceAll("aws_wafv2_web_acl.api", "aws_wafv2_web_acl.api\\ud800") }, ["check", "plan.json", "--format", "junit"]),
  c("i17", "a bad escape in .tf.json", { "tf/main.tf.json": `{"resource": {"aws_api_gateway_rest_api": {"a": {"name": "a\\q"}}}}` }, ["check", "tf"]),
  c("i17", "a raw control character in .tf.json", { "tf/main.tf.json": `{"resource": {"aws_api_gateway_rest_api": {"a": {"name": "a\u0001b"}}}}` }, ["check", "tf"]),
  c("i17", "a bad \\u escape in .tf.json", { "tf/main.tf.json": `{\n"resource": {"aws_api_gateway_rest_api": {"a": {"name": "\\u12G4"}}}}` }, ["check", "tf"], /main\.tf\.json: is not valid JSON at line 2/),
  c("i17", "a for_each key with a lone surrogate in .tf.json", { "tf/main.tf.json": JSON.stringify({ resource: { aws_api_gateway_stage: { s: { for_each: { "\ud800": 1 }, stage_name: "${each.key}", rest_api_id: "x" } } } }) }, ["check", "tf", "--format", "json"]),

  // Deep nesting.
  c("i17", "a deeply nested plan", { "plan.json": PLAN_TEXT.replace('"rule": [', `"rule": [${deepJson(100000)},`) }, ["check", "plan.json"]),
  c("i17", "deep nesting in plan configuration", { "plan.json": planWith((p) => void p).replace('"configuration":{', `"configuration":{"x":${deepObject(100000)},`) }, ["check", "plan.json"]),
  c("i17", "a deeply nested .tf.json", { "tf/main.tf.json": `{"resource": {"aws_wafv2_web_acl": {"a": {"rule": ${deepJson(100000)}}}}}` }, ["check", "tf"], /more than 256 levels deep/),
  c("i17", "a deeply nested CDKTF stack", { "cdk.tf.json": `{"terraform": {}, "resource": {"aws_wafv2_web_acl": {"a": {"rule": ${deepObject(100000)}}}}}` }, ["check", "cdk.tf.json"]),
  c("i17", "a deeply nested CDKTF manifest", cdktfOut(`{"stacks": ${deepObject(100000)}}`), ["check", "out"]),
  c("i17", "deeply nested rule_json", { "plan.json": planWithAcl((acl) => (acl.rule_json = `[${deepObject(100000)}]`)) }, ["check", "plan.json"]),
  c("i17", "a deeply nested waiver file", { "plan.json": PLAN_TEXT, ".wafguard.yml": `options: ${deepJson(50000)}\n` }, ["check", "plan.json"]),

  // Waiver files.
  c("i17", "a YAML alias bomb", { "plan.json": PLAN_TEXT, ".wafguard.yml": yamlBomb() }, ["check", "plan.json"], /Excessive alias count/),
  c("i17", "an unresolved YAML alias", { "plan.json": PLAN_TEXT, ".wafguard.yml": "options:\n  rate-threshold: *nowhere\n" }, ["check", "plan.json"]),
  c("i17", "a self-referencing option", { "plan.json": PLAN_TEXT, ".wafguard.yml": "options: &o\n  self: *o\n" }, ["check", "plan.json"], /circular/),
  c("i17", "a YAML warning (unknown tag)", { "plan.json": PLAN_TEXT, ".wafguard.yml": "options:\n  rate-threshold: !weird 5\n" }, ["check", "plan.json"]),
  c("i17", "a YAML warning (%YAML 1.3)", { "plan.json": PLAN_TEXT, ".wafguard.yml": "%YAML 1.3\n---\noptions: {}\n" }, ["check", "plan.json"]),
  c("i17", "an address glob of many stars", { "plan.json": PLAN_TEXT, ".wafguard.yml": waiverFor(`${"*a".repeat(40)}!`) }, ["check", "plan.json"]),
  c("i17", "a very long address glob", { "plan.json": PLAN_TEXT, ".wafguard.yml": waiverFor(`aws_*${"?*".repeat(60000)}`) }, ["check", "plan.json"], /WG406/),
  c("i17", "a waiver file of 20 MB", { "plan.json": PLAN_TEXT, ".wafguard.yml": `${WAIVERS_TEXT}\n# ${"x".repeat(20 * 1024 * 1024)}\n` }, ["check", "plan.json"]),
  c("i17", "options that are not a mapping but a YAML set of prototypes", { "plan.json": PLAN_TEXT, ".wafguard.yml": "options:\n  __proto__: {polluted: true}\n  constructor: 1\n" }, ["check", "plan.json", "--format", "json"]),

  // CDKTF manifests.
  c("i17", "a null CDKTF manifest", cdktfOut("null"), ["check", "out"], /is not a CDKTF manifest/),
  c("i17", "a CDKTF manifest with a null stack", cdktfOut(JSON.stringify({ stacks: { a: null, stack: { synthesizedStackPath: "stacks/stack/cdk.tf.json" } } })), ["check", "out"], /stack "a" has no synthesizedStackPath/),
  c("i17", "a CDKTF manifest whose stacks is a list of nulls", cdktfOut(JSON.stringify({ stacks: [null, 1, "x"] })), ["check", "out"]),
  c("i17", "a CDKTF manifest listing one stack 2,000 times", cdktfOut(JSON.stringify({ stacks: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`s${i}`, { synthesizedStackPath: "stacks/stack/cdk.tf.json" }])) })), ["check", "out"], /WG701/),
  c("i17", "a CDKTF stack path that climbs out", cdktfOut(JSON.stringify({ stacks: { s: { synthesizedStackPath: "../../../../../../etc/passwd" } } })), ["check", "out"]),
  c("i17", "a null cdk.tf.json", { "cdk.tf.json": "null" }, ["check", "cdk.tf.json"]),

  // WAF logs (--traffic and `wafguard logs`): the log reader's input is as hostile as any other.
  c("i17", "a WAF log that is a FIFO", { "plan.json": PLAN_TEXT, "logs/a.log": { fifo: true } }, ["check", "plan.json", "--traffic", "logs"]),
  c("i17", "a WAF log that is /dev/zero", { "plan.json": PLAN_TEXT }, ["check", "plan.json", "--traffic", "/dev/zero"]),
  c("i17", "a WAF log symlink loop", { "plan.json": PLAN_TEXT, "logs/a.log": { link: "a.log" } }, ["check", "plan.json", "--traffic", "logs"]),
  c("i17", "a WAF log line that is not JSON", { "plan.json": PLAN_TEXT, "a.log": `${LOG_LINE}\n{"timestamp": 1, "webaclId"\n` }, ["check", "plan.json", "--traffic", "a.log"], /a\.log:2:/),
  c("i17", "a truncated gzip WAF log", { "plan.json": PLAN_TEXT, "a.log.gz": gzipSync(`${LOG_LINE}\n`.repeat(200)).subarray(0, 60) }, ["check", "plan.json", "--traffic", "a.log.gz"]),
  c("i17", "a gzip bomb as a WAF log", { "plan.json": PLAN_TEXT, "a.log.gz": gzipSync(Buffer.alloc(96 * 1024 * 1024, 0x20)) }, ["check", "plan.json", "--traffic", "a.log.gz"]),
  c("i17", "a 5 MB single line as a WAF log", { "plan.json": PLAN_TEXT, "a.log": `{"a":"${"x".repeat(5 * 1024 * 1024)}"}\n` }, ["logs", "a.log"]),
  c("i17", "wafguard logs on a FIFO", { "w.log": { fifo: true } }, ["logs", "w.log"]),
  c("i17", "an empty WAF log directory", { "plan.json": PLAN_TEXT, "logs": { dir: true } }, ["check", "plan.json", "--traffic", "logs"]),

  // Command lines.
  c("i17", "no arguments", {}, []),
  c("i17", "an empty argument", {}, ["check", ""]),
  c("i17", "an empty --output, --waivers and --source", { "plan.json": PLAN_TEXT }, ["check", "plan.json", "--output", "", "--waivers", "", "--source", ""]),
  c("i17", "an unknown option", { "plan.json": PLAN_TEXT }, ["check", "plan.json", "--bogus"]),
  c("i17", "--option without a value", { "plan.json": PLAN_TEXT }, ["check", "plan.json", "--option", "=1"]),
  c("i17", "--option with a huge number", { "plan.json": PLAN_TEXT }, ["check", "plan.json", "--option", `rate-threshold=${"9".repeat(400)}`, "--format", "json"]),
  c("i17", "--option named __proto__", { "plan.json": PLAN_TEXT }, ["check", "plan.json", "--option", "__proto__=1", "--format", "json"]),
  c("i17", "--input with a .tf path that is a plan", { "plan.json": PLAN_TEXT }, ["check", "--input", "hcl", "plan.json"]),
  c("i17", "--input cdktf on a plan", { "plan.json": PLAN_TEXT }, ["check", "--input", "cdktf", "plan.json"]),
  c("i17", "a .tf.json fed as a plan", { "main.tf.json": TF_JSON_TEXT }, ["check", "--input", "plan", "main.tf.json"]),
  c("i17", "the same plan twice", { "plan.json": PLAN_TEXT }, ["check", "plan.json", "plan.json", "--format", "sarif"]),
  c("i17", "a path with a newline", { "a\nb.json": PLAN_TEXT.slice(0, 50) }, ["check", "a\nb.json"]),
  c("i17", "explain with a huge argument", {}, ["explain", "W".repeat(100000)]),
];

function nestedDynamic(depth: number): string {
  let body = "x = 1";
  for (let i = depth; i > 0; i--) body = `dynamic "b${i}" {\n  for_each = [1, 2]\n  content {\n    ${body}\n  }\n}`;
  return `resource "aws_wafv2_web_acl" "a" {\n  name = "a"\n  ${body}\n}\n`;
}

function yamlBomb(): string {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(",")}]`);
  return `options:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
}

function waiverFor(address: string): string {
  return `waivers:\n  - rule: WG406\n    address: "${address}"\n    reason: A waiver whose address is hostile\n`;
}

