/**
 * The fix as code: the WafProtectedApi construct and the Terraform module pass wafguard with no error
 * and no warning by default; validation stops bad props at construct time; the Aspect stops synth.
 */
import { strict as assert } from "node:assert";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App, Aspects, TerraformStack, TerraformVariable } from "cdktf";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import { WafguardValidation, WafProtectedApi, type WafProtectedApiProps } from "../src/construct/cdktf";
import { BrokenStack, synth } from "./cdktf/stacks";
import { checkJson, ROOT, tempFile } from "./helpers";

type StackProps = Omit<WafProtectedApiProps, "stages"> & { extraStageArns?: string[] };

class ApiStack extends TerraformStack {
  readonly stages: ApiGatewayStage[];
  readonly waf: WafProtectedApi;
  constructor(scope: Construct, id: string, props: StackProps | ((s: Construct) => StackProps) = {}) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    const api = new ApiGatewayRestApi(this, "orders", { name: "orders", endpointConfiguration: { types: ["REGIONAL"] } });
    const deployment = new ApiGatewayDeployment(this, "deployment", { restApiId: api.id });
    this.stages = ["prod", "staging"].map((s) => new ApiGatewayStage(this, s, { restApiId: api.id, deploymentId: deployment.id, stageName: s }));
    const { extraStageArns, ...wafProps } = typeof props === "function" ? props(this) : props;
    this.waf = new WafProtectedApi(this, "waf", { ...wafProps, stages: [...this.stages, ...(extraStageArns ?? [])] });
  }
}

const ALL_OPTIONS: StackProps = {
  name: "orders-api",
  mode: "enforce",
  rateLimit: 600,
  trustedCidrs: ["198.51.100.0/24", "2001:db8:1::/48"],
  bodyInspectionLimit: "KB_64",
  logRetentionDays: 30,
  logKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  enableSqli: true,
  enableBotControl: true,
  captchaPaths: ["/login", "/signup"],
  countedGroups: ["AWSManagedRulesSQLiRuleSet"],
  countedRules: { AWSManagedRulesKnownBadInputsRuleSet: ["Log4JRCE_BODY"] },
  exceptions: [
    { ruleGroup: "AWSManagedRulesCommonRuleSet", rule: "CrossSiteScripting_BODY", label: "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body", method: "POST", path: "/orders/{id}/notes" },
    { ruleGroup: "AWSManagedRulesCommonRuleSet", rule: "CrossSiteScripting_BODY", label: "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body", path: "/cms/{proxy+}" },
  ],
  rules: [
    {
      name: "allow-partner",
      action: "allow",
      statement: { byte_match_statement: { search_string: "partner-7", positional_constraint: "EXACTLY", field_to_match: { single_header: { name: "x-partner" } }, text_transformation: [{ priority: 0, type: "NONE" }] } },
    },
  ],
  tags: { team: "payments" },
  extraStageArns: ["arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/live"],
};

function synthStack(id: string, props: StackProps | ((s: Construct) => StackProps) = {}) {
  const out = synth((app) => new ApiStack(app, id, props));
  const json = readFileSync(join(out, "stacks", id, "cdk.tf.json"), "utf8");
  return { out, json, doc: JSON.parse(json) as { resource: Record<string, Record<string, Record<string, unknown>>>; variable?: unknown } };
}

type AclRule = { name: string; priority: number; action?: Record<string, unknown>; override_action?: Record<string, unknown>; statement: Record<string, any> };
const aclOf = (doc: ReturnType<typeof synthStack>["doc"]) => Object.values(doc.resource.aws_wafv2_web_acl)[0] as { name: string; rule: AclRule[] };
const notInfo = (out: string, extra: string[] = []) => checkJson(out, extra).findings.filter((f) => f.severity !== "info").map((f) => `${f.rule} ${f.severity} ${f.address}`);

/** Compares with the committed snapshot; UPDATE_SNAPSHOTS=1 rewrites it. */
function matchSnapshot(name: string, synthesized: string) {
  // CDKTF's local backend path is the working directory: not part of what the construct builds.
  const text = synthesized.split(JSON.stringify(process.cwd()).slice(1, -1)).join("<cwd>");
  const file = join(ROOT, "test", "__snapshots__", `${name}.json`);
  if (process.env.UPDATE_SNAPSHOTS || !existsSync(file)) writeFileSync(file, text);
  assert.equal(text, readFileSync(file, "utf8"), `${name} changed; if intended, run UPDATE_SNAPSHOTS=1 npm test`);
}

describe("WafProtectedApi construct", function () {
  this.timeout(180000);

  it("is exported as wafguard/cdktf and wafguard/cdktn, and the main entry loads neither framework", () => {
    assert.equal(require.resolve("wafguard/cdktf"), join(ROOT, "dist", "src", "construct", "cdktf.js"));
    assert.equal(require.resolve("wafguard/cdktn"), join(ROOT, "dist", "src", "construct", "cdktn.js"));
    assert.equal(require("wafguard/cdktf").WafProtectedApi, WafProtectedApi);
    const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
    const loaded = execFileSync(process.execPath, ["-e", 'require("wafguard"); require("wafguard/cdktn"); console.log(Object.keys(require.cache).filter((k) => /node_modules.(cdktf|cdktn|@cdktf|@cdktn)/.test(k)).length)'], { cwd: ROOT, encoding: "utf8" });
    assert.equal(loaded.trim(), "0"); // lazy: loaded when a construct is created
  });

  it("with just stages: wafguard finds no error and no warning", () => {
    const { out, json, doc } = synthStack("defaults");
    assert.deepEqual(notInfo(out), []);
    const acl = aclOf(doc);
    assert.deepEqual(acl.rule.map((r) => `${r.priority} ${r.name}`), ["0 rate-per-ip", "1 ip-reputation", "2 common", "3 known-bad-inputs"]);
    assert.deepEqual(acl.rule[1].override_action, { count: {} }); // managed groups count by default
    assert.equal(acl.rule[0].statement.rate_based_statement.scope_down_statement, undefined); // nothing to exempt
    assert.equal(doc.resource.aws_wafv2_ip_set, undefined);
    assert.equal(Object.keys(doc.resource.aws_wafv2_web_acl_association).length, 2);
    const logging = Object.values(doc.resource.aws_wafv2_web_acl_logging_configuration)[0] as { logging_filter: { filter: Array<{ condition: Array<{ action_condition: { action: string } }> }> } };
    assert.deepEqual(logging.logging_filter.filter[0].condition.map((c) => c.action_condition.action), ["BLOCK", "COUNT", "EXCLUDED_AS_COUNT"]);
    matchSnapshot("construct-defaults", json);
  });

  it("default names are unique per stack, not the construct id", () => {
    const names = ["one", "two"].map((id) => aclOf(synthStack(id).doc).name);
    assert.notEqual(names[0], names[1]);
    for (const n of names) assert.match(n, /^waf-[0-9a-f]{8}$/);
  });

  it("with every option: only the findings the options ask for, in the contract's exception shape", () => {
    const { out, json, doc } = synthStack("all-options", ALL_OPTIONS);
    // Bot Control enforced in front of an API: wafguard warns, as it should. CAPTCHA on /login is scoped.
    assert.equal(notInfo(out).length, 1, notInfo(out).join("\n"));
    assert.match(notInfo(out)[0], /^WG106 warning /);
    const acl = aclOf(doc);
    assert.deepEqual(acl.rule.map((r) => `${r.priority} ${r.name}`), [
      "0 rate-per-ip", "1 allow-partner", "2 ip-reputation", "3 common", "4 common-CrossSiteScripting_BODY-exception", "5 known-bad-inputs", "6 sqli", "7 bot-control", "8 captcha-browser-paths",
    ]);
    const byName = new Map(acl.rule.map((r) => [r.name, r]));
    const group = (name: string) => byName.get(name)!.statement.managed_rule_group_statement;
    assert.deepEqual(group("common").rule_action_override.map((o: { name: string; action_to_use: unknown }) => [o.name, o.action_to_use]), [
      ["SizeRestrictions_BODY", { count: {} }], ["NoUserAgent_HEADER", { count: {} }], ["CrossSiteScripting_BODY", { count: {} }],
    ]);
    assert.deepEqual(group("known-bad-inputs").rule_action_override, [{ name: "Log4JRCE_BODY", action_to_use: { count: {} } }]);
    assert.deepEqual(byName.get("sqli")!.override_action, { count: {} }); // countedGroups while the rest enforce
    assert.deepEqual(byName.get("common")!.override_action, { none: {} });
    const exception = byName.get("common-CrossSiteScripting_BODY-exception")!;
    assert.deepEqual(exception.action, { block: {} });
    const [label, not] = exception.statement.and_statement.statement;
    assert.deepEqual(label, { label_match_statement: { scope: "LABEL", key: "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body" } });
    const [post, cms] = not.not_statement.statement.or_statement.statement;
    assert.deepEqual(post.and_statement.statement[0].byte_match_statement.search_string, "POST");
    assert.deepEqual(post.and_statement.statement[0].byte_match_statement.positional_constraint, "EXACTLY");
    assert.equal(post.and_statement.statement[1].regex_match_statement.regex_string, "^/orders/[^/]+/notes$");
    assert.equal(cms.regex_match_statement.regex_string, "^/cms/.+$");
    const logging = Object.values(doc.resource.aws_wafv2_web_acl_logging_configuration)[0] as { logging_filter: { filter: Array<{ condition: Array<{ action_condition: { action: string } }> }> } };
    assert.deepEqual(logging.logging_filter.filter[0].condition.map((c) => c.action_condition.action).sort(), ["BLOCK", "CAPTCHA", "CHALLENGE", "COUNT", "EXCLUDED_AS_COUNT"]);
    assert.match(JSON.stringify(doc.resource.aws_cloudwatch_log_group), /"kms_key_id":"arn:aws:kms:eu-west-1:123456789012:key\//);
    assert.equal(Object.keys(doc.resource.aws_wafv2_web_acl_association).length, 3);
    matchSnapshot("construct-all-options", json);
  });

  it("a cdktf.out with several stacks of the same constructs: findings per stack, named by stack", () => {
    const out = synth((app) => ["prod", "staging"].map((id) => new ApiStack(app, id, { enableBotControl: true, mode: "enforce" })));
    const findings = checkJson(out).findings.filter((f) => f.severity !== "info").map((f) => `${f.rule} ${f.address.replace(/web-acl_[0-9A-F]+$/, "web-acl")}`);
    assert.deepEqual(findings, ["WG106 prod/aws_wafv2_web_acl.waf_web-acl", "WG106 staging/aws_wafv2_web_acl.waf_web-acl"]);
  });

  it("writes the rate rule so that WG301 judges it, trusted exemption or not", () => {
    for (const trustedCidrs of [[], ["198.51.100.0/24"], ["198.51.100.0/24", "2001:db8::/32"]]) {
      const { out } = synthStack(`low-${trustedCidrs.length}`, { rateLimit: 10, trustedCidrs });
      assert.deepEqual(notInfo(out).map((f) => f.split(" ").slice(0, 2).join(" ")), ["WG301 warning"], `trustedCidrs ${trustedCidrs.join(",")}`);
    }
  });

  it("takes Terraform tokens in props and leaves them to Terraform", () => {
    const { out, doc } = synthStack("tokens", (s) => {
      const eip = new Eip(s, "monitor", {});
      const limit = new TerraformVariable(s, "rate_limit", { type: "number", default: 1000 });
      const name = new TerraformVariable(s, "waf_name", { type: "string", default: "orders" });
      const path = new TerraformVariable(s, "login_path", { type: "string", default: "/login" });
      const log = new TerraformVariable(s, "log_arn", { type: "string", default: "arn:aws:s3:::aws-waf-logs-orders" });
      return { trustedCidrs: [`${eip.publicIp}/32`, "2001:db8::/32"], rateLimit: limit.numberValue, name: name.stringValue, captchaPaths: [path.stringValue], logDestinationArn: log.stringValue };
    });
    const acl = aclOf(doc);
    assert.equal(acl.name, "${var.waf_name}");
    assert.equal(acl.rule[0].statement.rate_based_statement.limit, "${var.rate_limit}");
    const sets = Object.values(doc.resource.aws_wafv2_ip_set) as Array<{ ip_address_version: string; addresses: string[] }>;
    assert.deepEqual(sets.map((x) => [x.ip_address_version, x.addresses]), [["IPV4", ["${aws_eip.monitor.public_ip}/32"]], ["IPV6", ["2001:db8::/32"]]]);
    assert.deepEqual(notInfo(out), []);
  });

  it("existingWebAcl: only the associations; logDestinationArn: no log group", () => {
    const arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shared/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
    const existing = synthStack("existing", { existingWebAcl: arn }).doc;
    assert.deepEqual(Object.keys(existing.resource).sort(), ["aws_api_gateway_deployment", "aws_api_gateway_rest_api", "aws_api_gateway_stage", "aws_wafv2_web_acl_association"]);
    assert.deepEqual(Object.values(existing.resource.aws_wafv2_web_acl_association).map((a) => a.web_acl_arn), [arn, arn]);
    const { out, doc } = synthStack("s3-logs", { logDestinationArn: "arn:aws:s3:::aws-waf-logs-orders" });
    assert.equal(doc.resource.aws_cloudwatch_log_group, undefined);
    assert.deepEqual((Object.values(doc.resource.aws_wafv2_web_acl_logging_configuration)[0] as { log_destination_configs: string[] }).log_destination_configs, ["arn:aws:s3:::aws-waf-logs-orders"]);
    assert.deepEqual(notInfo(out), []);
  });

  it("overrideRuleAction replaces a rule's action: one action, never two", () => {
    const { doc } = synth2("override", (waf) => {
      waf.overrideRuleAction("rate-per-ip", "count");
      waf.overrideRuleAction("common", "none");
    });
    const acl = aclOf(doc);
    assert.deepEqual(acl.rule[0].action, { count: {} });
    assert.deepEqual(acl.rule[2].override_action, { none: {} });
    const app = new App({ outdir: "/tmp/wafguard-unused", skipValidation: true });
    const waf = new ApiStack(app, "s").waf;
    assert.throws(() => waf.overrideRuleAction("common", "block"), /rule group: its action is "count" or "none"/);
    assert.throws(() => waf.overrideRuleAction("nope", "count"), /no rule "nope" \(rules: rate-per-ip, ip-reputation/);
  });

  it("rejects bad props at construct time with a clear message", () => {
    const attempt = (props: Omit<WafProtectedApiProps, "stages">, stages?: (s: Construct) => WafProtectedApiProps["stages"]) => () => {
      const app = new App({ outdir: "/tmp/wafguard-unused", skipValidation: true });
      const stack = new TerraformStack(app, "s");
      const api = new ApiGatewayRestApi(stack, "api", { name: "api" });
      const stage = new ApiGatewayStage(stack, "prod", { restApiId: api.id, deploymentId: "d", stageName: "prod" });
      new WafProtectedApi(stack, "waf", { ...props, stages: stages ? stages(stack) : [stage] });
    };
    assert.throws(attempt({ trustedCidrs: ["203.0.113.45/24"] }), /host bits set; write the network "203\.0\.113\.0\/24" or the single host "203\.0\.113\.45\/32"/);
    assert.throws(attempt({ trustedCidrs: ["2001:db8::1/64"] }), /"2001:db8::\/64" or the single host "2001:db8::1\/128"/);
    assert.throws(attempt({ trustedCidrs: ["10.0.0.1"] }), /not a CIDR range/);
    assert.throws(attempt({ rateLimit: 5 }), /rateLimit 5 must be a whole number from 10/);
    assert.throws(attempt({ logRetentionDays: 45 }), /logRetentionDays 45/);
    for (const path of ["/", "", "login", "/lo gin"]) assert.throws(attempt({ captchaPaths: [path] }), /captchaPaths\[0\] .* must be a URI path below the root/, path);
    assert.throws(attempt({ existingWebAcl: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/b", rateLimit: 100 }), /existingWebAcl is set, so "rateLimit" has no web ACL to shape/);
    assert.throws(attempt({ existingWebAcl: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/a/b" }), /not a REGIONAL web ACL ARN/);
    assert.throws(attempt({ logDestinationArn: "arn:aws:s3:::orders-logs" }), /must be the ARN of a CloudWatch log group, S3 bucket or Data Firehose stream whose name starts with aws-waf-logs-/);
    assert.throws(attempt({ logDestinationArn: "arn:aws:s3:::aws-waf-logs-x", logRetentionDays: 30 }), /with logDestinationArn, configure your destination instead/);
    assert.throws(attempt({ logKmsKeyArn: "alias/logs" }), /must be a KMS key ARN/);
    assert.throws(attempt({ countedGroups: ["AWSManagedRulesSQLiRuleSet"] }), /"AWSManagedRulesSQLiRuleSet" is not a rule group of this web ACL/);
    assert.throws(attempt({ countedRules: { AWSManagedRulesCommonRuleSet: ["has space"] } }), /is not a rule name/);
    const exception = { ruleGroup: "AWSManagedRulesCommonRuleSet", rule: "SizeRestrictions_BODY", label: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body", path: "/upload" };
    assert.doesNotThrow(attempt({ exceptions: [exception] }));
    assert.throws(attempt({ exceptions: [{ ...exception, method: "post" }] }), /method "post" must be an HTTP method in upper case/);
    assert.throws(attempt({ exceptions: [{ ...exception, path: "upload" }] }), /path "upload" must be a route template/);
    assert.throws(attempt({ exceptions: [{ ...exception, label: "SizeRestrictions_Body" }] }), /is not a WAF label/);
    assert.throws(attempt({ exceptions: [{ ...exception, rule_group: "x" } as never] }), /unknown key "rule_group"/);
    const statement = { byte_match_statement: { search_string: "x", positional_constraint: "EXACTLY", field_to_match: { uri_path: {} }, text_transformation: [{ priority: 0, type: "NONE" }] } };
    assert.doesNotThrow(attempt({ rules: [{ name: "mine", action: "block", statement }] }));
    assert.throws(attempt({ rules: [{ name: "mine", action: "block", statement: { byteMatchStatement: {} } }] }), /exactly one \*_statement key/);
    assert.throws(attempt({ rules: [{ name: "mine", action: "block", statement: { byte_match_statement: { searchString: "x" } } }] }), /key "searchString" must be snake_case as Terraform writes it \(search_string\)/);
    assert.throws(attempt({ rules: [{ name: "common", action: "block", statement }] }), /"common" is already a rule of this web ACL/);
    assert.throws(attempt({ rules: [{ name: "mine", action: "deny" as never, statement }] }), /action "deny" must be one of allow, block/);
    assert.throws(attempt({ rules: [{ name: "mine", action: "block", statement: { managed_rule_group_statement: {} } }] }), /takes an override_action/);
    assert.throws(attempt({ rateLimt: 100 } as never), /unknown prop "rateLimt"/);
    assert.throws(attempt({}, () => ["arn:aws:apigateway:eu-west-1::/apis/abc123/stages/$default"]), /HTTP API; AWS WAF cannot protect HTTP APIs/);
    assert.throws(attempt({}, () => ["arn:aws:execute-api:eu-west-1:123456789012:abc/prod"]), /not a REST API stage ARN/);
    assert.throws(
      attempt({}, (s) => {
        const http = new Apigatewayv2Api(s, "http", { name: "http", protocolType: "HTTP" });
        return [new Apigatewayv2Stage(s, "default", { apiId: http.id, name: "$default" }) as unknown as ApiGatewayStage];
      }),
      /HTTP or WebSocket API stage/,
    );
    assert.doesNotThrow(attempt({ trustedCidrs: ["203.0.113.0/24", "2001:DB8::/32"], rateLimit: 10, captchaPaths: ["/login"] }));
  });
});

/** Synthesizes the default ApiStack after `change` runs on its construct. */
function synth2(id: string, change: (waf: WafProtectedApi) => void) {
  const out = synth((app) => change(new ApiStack(app, id).waf));
  return { out, doc: JSON.parse(readFileSync(join(out, "stacks", id, "cdk.tf.json"), "utf8")) as ReturnType<typeof synthStack>["doc"] };
}

/** Runs `fn` with process.stderr.write captured. */
function captureStderr(fn: () => void): string {
  const original = process.stderr.write.bind(process.stderr);
  let text = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    fn();
  } finally {
    process.stderr.write = original;
  }
  return text;
}

describe("WafguardValidation aspect", function () {
  this.timeout(180000);

  it("stops synth on error findings, naming the construct", () => {
    assert.throws(
      () =>
        synth((app) => {
          const stack = new BrokenStack(app, "broken");
          Aspects.of(stack).add(new WafguardValidation({ printWarnings: false }));
        }),
      (e: Error) => /\[broken\/association\] \[wafguard WG402\]/.test(e.message) && /\[broken\/acl\] \[wafguard WG701\]/.test(e.message),
    );
  });

  it("warnings reach stderr on a plain app.synth(), with the whole multi-line fix, and the manifest", () => {
    let out = "";
    const stderr = captureStderr(() => {
      out = synth((app) => {
        const stack = new ApiStack(app, "ok", { enableBotControl: true, mode: "enforce" });
        Aspects.of(stack).add(new WafguardValidation());
      });
    });
    assert.match(stderr, /^wafguard: 1 warning in stack ok\n\[wafguard WG106\]/);
    assert.match(stderr, /Fix:\n {4}For API traffic, block instead of CAPTCHA\/Challenge, or override the action:\n {6}rule_action_override \{\n {8}name = "TGT_VolumetricSession"/);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    const annotations = manifest.stacks.ok.annotations as Array<{ level: string; message: string }>;
    const warning = annotations.find((a) => a.level === "@cdktf/warn" && /WG106/.test(a.message));
    assert.ok(warning, JSON.stringify(annotations));
    assert.match(warning.message, /action_to_use \{ block \{\} \}\n/); // not cut after the first line
    assert.ok(!annotations.some((a) => a.level === "@cdktf/error"));
    // the cdktf CLI prints annotations itself: no second copy on stderr
    process.env.CDKTF_OUTDIR = out;
    try {
      assert.equal(captureStderr(() => synth((app) => Aspects.of(new ApiStack(app, "cli", { enableBotControl: true, mode: "enforce" })).add(new WafguardValidation()))), "");
    } finally {
      delete process.env.CDKTF_OUTDIR;
    }
  });

  it("reads .wafguard.yml like the CLI: its waivers and options apply, its mistakes are errors", () => {
    const config = tempFile(".wafguard.yml", "options:\n  rate-threshold: 100\nwaivers:\n  - rule: WG106\n    address: aws_wafv2_web_acl.*\n    reason: Bot Control reviewed with the API clients team\n");
    const stderr = captureStderr(() => {
      const out = synth((app) => {
        const stack = new ApiStack(app, "waived", { enableBotControl: true, mode: "enforce", rateLimit: 200 });
        Aspects.of(stack).add(new WafguardValidation({ configFile: config }));
      });
      const annotations = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).stacks.waived.annotations as Array<{ message: string }>;
      assert.ok(!annotations.some((a) => /WG106|WG301/.test(a.message)), JSON.stringify(annotations));
    });
    assert.equal(stderr, "");
    const bad = (text: string) => () => new WafguardValidation({ configFile: tempFile(".wafguard.yml", text) });
    assert.throws(bad("waivers:\n  - rule: WG999\n    address: x\n    reason: a long enough reason\n"), /\.wafguard\.yml: waiver 1: rule "WG999" is not a wafguard rule ID/);
    assert.throws(bad("options:\n  rate-treshold: 100\n"), /\.wafguard\.yml: options: unknown key "rate-treshold" \(known: rate-threshold\)/);
    assert.throws(() => new WafguardValidation({ options: { "rate-treshold": 1 } }), /WafguardValidation props: options: unknown key "rate-treshold"/);
    assert.throws(() => new WafguardValidation({ rules: ["WG999"] }), /unknown rule ID "WG999"/);
    assert.throws(() => new WafguardValidation({ waivers: [{ rule: "WG106", address: "*", reason: "short" }] }), /reason is required, at least 10 characters/);
  });
});
