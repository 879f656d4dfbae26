/**
 * The packed npm package as its users get it: `npm pack`, then fresh apps that have only their own
 * framework (CDKTF 0.21, CDKTF 0.20, CDK Terrain 0.24, each with its AWS provider package), the
 * tsconfig.json that `cdktf init` writes ("module": "CommonJS", no moduleResolution) and a node16
 * one, `tsc`, a plain `node main.js` synth, and the app's own wafguard CLI on the output: no error
 * and no warning for the defaults, Terraform tokens in props, and every prop. Installs share one npm
 * cache (WAFGUARD_NPM_CACHE, default: a folder in the OS temp dir) so that reruns are offline.
 */
import { strict as assert } from "node:assert";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./helpers";

const CACHE = process.env.WAFGUARD_NPM_CACHE ?? join(tmpdir(), "wafguard-npm-cache");

/** The tsconfig.json of `cdktf init --template=typescript` (hashicorp/terraform-cdk, packages/@cdktf/cli-core/templates/typescript). */
const CDKTF_INIT_TSCONFIG = {
  compilerOptions: {
    alwaysStrict: true, declaration: true, experimentalDecorators: true, inlineSourceMap: true, inlineSources: true, lib: ["es2018"],
    module: "CommonJS", noEmitOnError: true, noFallthroughCasesInSwitch: true, noImplicitAny: true, noImplicitReturns: true, noImplicitThis: true,
    noUnusedLocals: true, noUnusedParameters: true, resolveJsonModule: true, strict: true, strictNullChecks: true, strictPropertyInitialization: true,
    stripInternal: true, target: "ES2018", incremental: true, skipLibCheck: true,
  },
  include: ["**/*.ts"],
  exclude: ["node_modules", "cdktf.out"],
};

interface Framework {
  title: string;
  core: "cdktf" | "cdktn";
  provider: string;
  packages: string[];
}

const FRAMEWORKS: Framework[] = [
  { title: "CDKTF 0.21", core: "cdktf", provider: "@cdktf/provider-aws", packages: ["cdktf@0.21.0", "@cdktf/provider-aws@21.22.1", "constructs@10.4.2"] },
  { title: "CDKTF 0.20", core: "cdktf", provider: "@cdktf/provider-aws", packages: ["cdktf@0.20.12", "@cdktf/provider-aws@19.65.1", "constructs@10.3.0"] },
  { title: "CDK Terrain 0.24", core: "cdktn", provider: "@cdktn/provider-aws", packages: ["cdktn@0.24.0", "@cdktn/provider-aws@25.7.0", "constructs@10.7.2"] },
];

/** One app, three kinds of stack; the aspect on each, as a user would add it. */
function mainTs(fw: Framework): string {
  return `import { Construct } from "constructs";
import { App, Aspects, TerraformStack, TerraformVariable } from "${fw.core}";
import { ApiGatewayDeployment } from "${fw.provider}/lib/api-gateway-deployment";
import { ApiGatewayRestApi } from "${fw.provider}/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "${fw.provider}/lib/api-gateway-stage";
import { Eip } from "${fw.provider}/lib/eip";
import { AwsProvider } from "${fw.provider}/lib/provider";
import { WafguardValidation, WafProtectedApi, WafProtectedApiProps } from "wafguard/${fw.core}";

type Props = Omit<WafProtectedApiProps, "stages">;

class ApiStack extends TerraformStack {
  readonly waf: WafProtectedApi;
  constructor(scope: Construct, id: string, props: (stack: Construct) => Props) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    const api = new ApiGatewayRestApi(this, "orders", { name: "orders", endpointConfiguration: { types: ["REGIONAL"] } });
    const deployment = new ApiGatewayDeployment(this, "deployment", { restApiId: api.id });
    const stages = ["prod", "staging"].map((s) => new ApiGatewayStage(this, s, { restApiId: api.id, deploymentId: deployment.id, stageName: s }));
    this.waf = new WafProtectedApi(this, "waf", { ...props(this), stages });
    Aspects.of(this).add(new WafguardValidation());
  }
}

const app = new App();
new ApiStack(app, "defaults", () => ({}));
new ApiStack(app, "tokens", (s) => {
  const monitor = new Eip(s, "monitor", { domain: "vpc" });
  const limit = new TerraformVariable(s, "rate_limit", { type: "number", default: 1000 });
  const name = new TerraformVariable(s, "waf_name", { type: "string", default: "orders" });
  return { name: name.stringValue, rateLimit: limit.numberValue, trustedCidrs: [\`\${monitor.publicIp}/32\`] };
});
const every = new ApiStack(app, "every-prop", () => ({
  name: "orders-every-prop",
  mode: "enforce",
  countedGroups: ["AWSManagedRulesSQLiRuleSet"],
  countedRules: { AWSManagedRulesKnownBadInputsRuleSet: ["Log4JRCE_BODY"] },
  exceptions: [{ ruleGroup: "AWSManagedRulesCommonRuleSet", rule: "CrossSiteScripting_BODY", label: "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body", method: "POST", path: "/orders/{id}/notes" }],
  rules: [{ name: "allow-partner", action: "allow", statement: { byte_match_statement: { search_string: "partner-7", positional_constraint: "EXACTLY", field_to_match: { single_header: { name: "x-partner" } }, text_transformation: [{ priority: 0, type: "NONE" }] } } }],
  rateLimit: 1000,
  trustedCidrs: ["198.51.100.0/24", "2001:DB8:1::/48"],
  bodyInspectionLimit: "KB_32",
  logRetentionDays: 30,
  logKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  enableSqli: true,
  captchaPaths: ["/login"],
  tags: { team: "payments" },
}));
every.waf.overrideRuleAction("rate-per-ip", "block");
new ApiStack(app, "s3-logs", () => ({ logDestinationArn: "arn:aws:s3:::aws-waf-logs-orders" }));
new ApiStack(app, "shared-acl", () => ({ existingWebAcl: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shared/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111" }));
app.synth();
`;
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string | undefined> = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false", ...env }, maxBuffer: 64 * 1024 * 1024 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} failed (${r.status}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  return r.stdout;
}

function npmInstall(dir: string, packages: string[]): void {
  ok(run("npm", ["install", "--cache", CACHE, "--prefer-offline", "--no-audit", "--no-fund", "--save-exact", ...packages], dir), `npm install ${packages.join(" ")}`);
}

describe("the packed package in fresh apps @slow", function () {
  this.timeout(15 * 60 * 1000);
  let tarball = "";

  before(() => {
    mkdirSync(CACHE, { recursive: true });
    const out = mkdtempSync(join(tmpdir(), "wafguard-pack-"));
    // dist/ is built by the test run (npm test builds first); --ignore-scripts skips a second build.
    ok(run("npm", ["pack", "--ignore-scripts", "--pack-destination", out], ROOT), "npm pack");
    tarball = join(out, readdirSync(out).find((f) => f.endsWith(".tgz"))!);
  });

  it("installs for CLI-only users with no framework, and its CLI runs", () => {
    const app = mkdtempSync(join(tmpdir(), "wafguard-cli-"));
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "cli-user", version: "1.0.0", private: true }));
    npmInstall(app, [tarball]);
    for (const pkg of ["cdktf", "cdktn", "constructs", "@cdktf/provider-aws", "@cdktn/provider-aws"]) assert.ok(!existsSync(join(app, "node_modules", pkg)), `${pkg} was installed`);
    const r = run(process.execPath, [join(app, "node_modules", "wafguard", "bin", "wafguard.js"), "check", join(ROOT, "examples", "fixed", "plan.json")], app);
    ok(r, "wafguard check");
    // the construct entry points say what is missing instead of a stack trace
    const missing = run(process.execPath, ["-e", 'require("wafguard/cdktf")'], app);
    assert.match(missing.stderr, /wafguard\/cdktf or wafguard\/cdktn needs "constructs" in your app: npm install constructs/);
  });

  for (const fw of FRAMEWORKS) {
    describe(fw.title, () => {
      let app = "";

      before(() => {
        app = mkdtempSync(join(tmpdir(), `wafguard-${fw.core}-`));
        writeFileSync(join(app, "package.json"), JSON.stringify({ name: "waf-app", version: "1.0.0", private: true, main: "main.js" }));
        writeFileSync(join(app, "tsconfig.json"), JSON.stringify(CDKTF_INIT_TSCONFIG, null, 2));
        writeFileSync(join(app, "main.ts"), mainTs(fw));
      });

      it("installs next to only its own framework (no ERESOLVE, no other framework pulled in)", () => {
        npmInstall(app, [...fw.packages, "typescript@5.9.3", "@types/node@20.19.43", tarball]);
        const other = fw.core === "cdktf" ? ["cdktn", "@cdktn/provider-aws"] : ["cdktf", "@cdktf/provider-aws"];
        for (const pkg of other) assert.ok(!existsSync(join(app, "node_modules", pkg)), `${pkg} was installed`);
      });

      it("compiles with the tsconfig of cdktf init (CommonJS) and with node16 resolution", () => {
        ok(run(process.execPath, [join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "."], app), "tsc (cdktf init tsconfig)");
        const node16 = { ...CDKTF_INIT_TSCONFIG, compilerOptions: { ...CDKTF_INIT_TSCONFIG.compilerOptions, module: "node16", moduleResolution: "node16", incremental: false } };
        writeFileSync(join(app, "tsconfig.node16.json"), JSON.stringify(node16));
        ok(run(process.execPath, [join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.node16.json", "--noEmit"], app), "tsc (node16)");
      });

      it("synthesizes with node main.js, and wafguard finds no error and no warning in any stack", () => {
        const synth = run(process.execPath, ["main.js"], app, { CDKTF_OUTDIR: undefined });
        ok(synth, "node main.js");
        assert.doesNotMatch(synth.stderr, /wafguard: \d+ warning/, synth.stderr);
        const out = join(app, "cdktf.out");
        const stack = (id: string) => readFileSync(join(out, "stacks", id, "cdk.tf.json"), "utf8");
        assert.match(stack("tokens"), /"limit": "\$\{var\.rate_limit\}"/);
        assert.match(stack("tokens"), /"\$\{aws_eip\.monitor\.public_ip\}\/32"/);
        assert.match(stack("every-prop"), /"name": "common-CrossSiteScripting_BODY-exception"/);
        assert.match(stack("every-prop"), /"EXCLUDED_AS_COUNT"/);
        assert.doesNotMatch(stack("shared-acl"), /aws_wafv2_web_acl"/);
        const check = run(process.execPath, [join(app, "node_modules", "wafguard", "bin", "wafguard.js"), "check", out, "--format", "json", "--fail-on", "never"], app);
        const report = JSON.parse(ok(check, "wafguard check")) as { inputs: Array<{ resources: number }>; findings: Array<{ rule: string; severity: string; address: string; input: string }> };
        assert.ok(report.inputs[0].resources >= 5 * 6, JSON.stringify(report.inputs)); // every stack was read
        assert.deepEqual(report.findings.filter((f) => f.severity !== "info").map((f) => `${f.rule} ${f.severity} ${f.address}`), []);
      });
    });
  }
});
