/**
 * The fix as code: the WafProtectedApi construct and the Terraform module pass wafguard with no error
 * and no warning by default; validation stops bad props at construct time; the Aspect stops synth.
 */
import { strict as assert } from "node:assert";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App, Aspects, TerraformStack } from "cdktf";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import { WafguardValidation, WafProtectedApi, type WafProtectedApiProps } from "../src/construct";
import { BrokenStack, synth } from "./cdktf/stacks";
import { checkJson, ROOT } from "./helpers";

class ApiStack extends TerraformStack {
  readonly stages: ApiGatewayStage[];
  constructor(scope: Construct, id: string, props: Omit<WafProtectedApiProps, "stages"> & { extraStageArns?: string[] } = {}) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    const api = new ApiGatewayRestApi(this, "orders", { name: "orders", endpointConfiguration: { types: ["REGIONAL"] } });
    const deployment = new ApiGatewayDeployment(this, "deployment", { restApiId: api.id });
    this.stages = ["prod", "staging"].map((s) => new ApiGatewayStage(this, s, { restApiId: api.id, deploymentId: deployment.id, stageName: s }));
    new WafProtectedApi(this, "waf", { ...props, stages: [...this.stages, ...(props.extraStageArns ?? [])] });
  }
}

const ALL_OPTIONS: ConstructorParameters<typeof ApiStack>[2] = {
  name: "orders-api",
  mode: "enforce",
  rateLimit: 600,
  trustedCidrs: ["198.51.100.0/24", "2001:db8:1::/48"],
  bodyInspectionLimit: "KB_64",
  logRetentionDays: 30,
  enableSqli: true,
  enableBotControl: true,
  captchaPaths: ["/login"],
  tags: { team: "payments" },
  extraStageArns: ["arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/live"],
};

function synthStack(id: string, props: ConstructorParameters<typeof ApiStack>[2] = {}) {
  const out = synth((app) => new ApiStack(app, id, props));
  return { out, json: readFileSync(join(out, "stacks", id, "cdk.tf.json"), "utf8") };
}

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

  it("is exported as wafguard/cdktf", () => {
    assert.equal(require.resolve("wafguard/cdktf"), join(ROOT, "dist", "src", "construct", "index.js"));
    assert.equal(require("wafguard/cdktf").WafProtectedApi, WafProtectedApi);
  });

  it("with just stages: wafguard finds no error and no warning", () => {
    const { out, json } = synthStack("defaults");
    const report = checkJson(out);
    assert.deepEqual(report.findings.filter((f) => f.severity !== "info").map((f) => `${f.rule} ${f.address}`), []);
    const doc = JSON.parse(json);
    const acl = Object.values(doc.resource.aws_wafv2_web_acl)[0] as { scope: string; rule: Array<{ name: string; override_action?: unknown }> };
    assert.equal(acl.scope, "REGIONAL");
    assert.deepEqual(acl.rule.map((r) => r.name), ["rate-per-ip", "ip-reputation", "common", "known-bad-inputs"]);
    assert.deepEqual(acl.rule[1].override_action, { count: {} }); // managed groups count by default
    assert.equal(Object.keys(doc.resource.aws_wafv2_web_acl_association).length, 2);
    assert.match(JSON.stringify(doc.resource.aws_cloudwatch_log_group), /"name":"aws-waf-logs-waf"/);
    matchSnapshot("construct-defaults", json);
  });

  it("with every option: only the findings the options ask for", () => {
    const { out, json } = synthStack("all-options", ALL_OPTIONS);
    const report = checkJson(out);
    const notInfo = report.findings.filter((f) => f.severity !== "info").map((f) => `${f.rule} ${f.severity}`);
    // CAPTCHA on /login and Bot Control enforced in front of an API: wafguard warns, as it should.
    assert.deepEqual(notInfo.sort(), ["WG106 warning", "WG106 warning"]);
    const doc = JSON.parse(json);
    const acl = Object.values(doc.resource.aws_wafv2_web_acl)[0] as { rule: Array<{ name: string }>; association_config: unknown };
    assert.deepEqual(acl.rule.map((r) => r.name), ["rate-per-ip", "ip-reputation", "common", "known-bad-inputs", "sqli", "bot-control", "captcha-browser-paths"]);
    assert.equal(Object.keys(doc.resource.aws_wafv2_web_acl_association).length, 3);
    matchSnapshot("construct-all-options", json);
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
    assert.throws(attempt({}, () => ["arn:aws:apigateway:eu-west-1::/apis/abc123/stages/$default"]), /HTTP API; AWS WAF cannot protect HTTP APIs/);
    assert.throws(attempt({}, () => ["arn:aws:execute-api:eu-west-1:123456789012:abc/prod"]), /not a REST API stage ARN/);
    assert.throws(
      attempt({}, (s) => {
        const http = new Apigatewayv2Api(s, "http", { name: "http", protocolType: "HTTP" });
        return [new Apigatewayv2Stage(s, "default", { apiId: http.id, name: "$default" }) as unknown as ApiGatewayStage];
      }),
      /HTTP or WebSocket API stage/,
    );
    assert.doesNotThrow(attempt({ trustedCidrs: ["203.0.113.0/24", "2001:db8::/32"], rateLimit: 10 }));
  });
});

describe("WafguardValidation aspect", function () {
  this.timeout(180000);

  it("stops synth on error findings, naming the construct", () => {
    assert.throws(
      () =>
        synth((app) => {
          const stack = new BrokenStack(app, "broken");
          Aspects.of(stack).add(new WafguardValidation());
        }),
      (e: Error) => /\[broken\/association\] \[wafguard WG402\]/.test(e.message) && /\[broken\/acl\] \[wafguard WG701\]/.test(e.message),
    );
  });

  it("lets a compliant stack synthesize, with warnings as annotations and waivers honoured", () => {
    const out = synth((app) => {
      const stack = new ApiStack(app, "ok", { enableBotControl: true, mode: "enforce" });
      Aspects.of(stack).add(new WafguardValidation({ waivers: [] }));
    });
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    const annotations = manifest.stacks.ok.annotations as Array<{ level: string; message: string }>;
    assert.ok(annotations.some((a) => a.level === "@cdktf/warn" && /WG106/.test(a.message)), JSON.stringify(annotations));
    assert.ok(!annotations.some((a) => a.level === "@cdktf/error"));
  });
});

describe("Terraform module modules/waf-api-gateway", () => {
  it("examples/basic: wafguard finds no error and no warning", () => {
    const report = checkJson(join(ROOT, "modules/waf-api-gateway/examples/basic"));
    assert.deepEqual(report.findings.filter((f) => f.severity !== "info").map((f) => `${f.rule} ${f.address}`), []);
    // and it really read the module: its web ACL, logging and one association per stage
    const model = JSON.parse(require("node:child_process").execFileSync(process.execPath, [join(ROOT, "bin/wafguard.js"), "model", join(ROOT, "modules/waf-api-gateway/examples/basic")], { encoding: "utf8" }));
    const addresses = (model.resources as Array<{ address: string }>).map((r) => r.address);
    for (const a of ["module.waf.aws_wafv2_web_acl.this", "module.waf.aws_wafv2_web_acl_logging_configuration.this", 'module.waf.aws_wafv2_web_acl_association.this["prod"]', 'module.waf.aws_wafv2_web_acl_association.this["staging"]']) {
      assert.ok(addresses.includes(a), a);
    }
  });
});
