/**
 * Inline suppressions: `# wafguard:ignore RULE reason: ... expires: ...` on or directly above a block
 * in .tf (read for .tf directories, and for plans from the .tf files beside them or --source), and
 * `"//": {"wafguard": {"ignore": [...]}}` in Terraform JSON and CDKTF, written by WafguardSuppressions.
 */
import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { App, Testing } from "cdktf";
import { WafguardSuppressions } from "../src/construct/cdktf";
import { BrokenStack, synth } from "./cdktf/stacks";
import { checkJson, ROOT, runCli, SARIF_SCHEMA } from "./helpers";

const BROKEN = join(ROOT, "examples", "broken");
const STAGING = 'resource "aws_api_gateway_stage" "staging" {';
const PROD = 'resource "aws_api_gateway_stage" "prod" {';

/** The broken example (plan.json and main.tf) in a fresh directory, with main.tf edited. */
function brokenWith(edit: (tf: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "wafguard-suppress-"));
  copyFileSync(join(BROKEN, "plan.json"), join(dir, "plan.json"));
  const tf = readFileSync(join(BROKEN, "main.tf"), "utf8");
  const edited = edit(tf);
  assert.notEqual(edited, tf, "the edit changed nothing");
  writeFileSync(join(dir, "main.tf"), edited);
  return dir;
}

const above = (header: string, comment: string) => (tf: string) => tf.replace(header, `${comment}\n${header}`);

interface Waived {
  rule: string;
  address: string;
  message: string;
  waived?: { reason: string; expires?: string; inline?: string };
  waiver_expired?: { reason: string; expires: string; inline?: string };
}

function wg406(path: string, extra: string[] = []) {
  const report = checkJson(path, ["--rule", "WG406,WG402", ...extra]) as unknown as { findings: Waived[]; notices?: Array<{ message: string; rule: string; address: string }>; summary: Record<string, number> };
  return { report, staging: report.findings.find((f) => f.rule === "WG406" && f.address === "aws_api_gateway_stage.staging") as Waived };
}

describe("inline suppressions in .tf", () => {
  for (const [style, comment] of [
    ["#", "# wafguard:ignore WG406 reason: internal stage behind the VPC endpoint expires: 2999-03-31"],
    ["//", "// wafguard:ignore WG406 reason: internal stage behind the VPC endpoint expires: 2999-03-31"],
    ["/* */", "/* wafguard:ignore WG406 reason: internal stage behind the VPC endpoint expires: 2999-03-31 */"],
    ["/* */ over lines", "/*\n * wafguard:ignore WG406\n * reason: internal stage behind the VPC endpoint\n * expires: 2999-03-31\n */"],
    ["among other comments", "# The staging stage.\n# wafguard:ignore WG406 reason: internal stage behind the VPC endpoint expires: 2999-03-31\n# Owned by the platform team."],
  ] as const) {
    it(`${style} directly above the block suppresses, in the .tf directory and in the plan beside it`, () => {
      const dir = brokenWith(above(STAGING, comment));
      for (const path of [dir, join(dir, "plan.json")]) {
        const { staging, report } = wg406(path);
        const line = readFileSync(join(dir, "main.tf"), "utf8").split("\n").findIndex((l) => l.includes("wafguard:ignore")) + 1;
        assert.deepEqual(staging.waived, { reason: "internal stage behind the VPC endpoint", expires: "2999-03-31", inline: `${relative(ROOT, join(dir, "main.tf"))}:${line}` }, path);
        assert.equal(report.summary.waived, 1);
      }
      assert.equal(runCli(["check", join(dir, "plan.json"), "--rule", "WG406", "--fail-on", "warning"]).status, 0);
    });
  }

  it("on the block's own line, without expiry", () => {
    const dir = brokenWith((tf) => tf.replace(STAGING, `${STAGING} # wafguard:ignore WG406 reason: internal stage behind the VPC endpoint`));
    const { staging } = wg406(dir);
    assert.deepEqual(staging.waived?.reason, "internal stage behind the VPC endpoint");
    assert.equal(staging.waived?.expires, undefined);
  });

  it("a plan reads them from --source when its .tf files are elsewhere", () => {
    const dir = brokenWith(above(STAGING, "# wafguard:ignore WG406 reason: internal stage behind the VPC endpoint"));
    const planOnly = mkdtempSync(join(tmpdir(), "wafguard-plan-"));
    copyFileSync(join(dir, "plan.json"), join(planOnly, "plan.json"));
    assert.equal(wg406(join(planOnly, "plan.json")).staging.waived, undefined);
    assert.ok(wg406(join(planOnly, "plan.json"), ["--source", dir]).staging.waived);
  });

  it("only the rule named, on the block it is written on", () => {
    const dir = brokenWith(above(PROD, "# wafguard:ignore WG406 reason: internal stage behind the VPC endpoint"));
    const { staging, report } = wg406(dir);
    assert.equal(staging.waived, undefined);
    // ...and since prod has no WG406 finding, the suppression is stale: a notice, not a failure.
    assert.deepEqual(
      report.notices?.map((n) => [n.rule, n.address]),
      [["WG406", "aws_api_gateway_stage.prod"]],
    );
    assert.match(report.notices?.[0].message ?? "", /^wafguard:ignore WG406 at .*main\.tf:20 matches no finding of aws_api_gateway_stage\.prod; remove it$/);
  });

  it("a stale suppression is an info notice in text and Markdown, and does not change the exit status", () => {
    const dir = brokenWith(above(PROD, "# wafguard:ignore WG406 reason: internal stage behind the VPC endpoint"));
    const text = runCli(["check", dir, "--rule", "WG406", "--fail-on", "info"]);
    assert.equal(text.status, 1); // the staging finding, not the notice
    assert.match(text.stdout, /^notice  wafguard:ignore WG406 at .*main\.tf:20 matches no finding/m);
    assert.match(runCli(["check", dir, "--format", "markdown"]).stdout, /^ℹ️ wafguard:ignore WG406 at .* matches no finding of aws_api_gateway_stage\.prod; remove it$/m);
    // A rule that was not evaluated (--rule, --skip-rule) cannot tell: no notice.
    assert.equal(checkJson(dir, ["--skip-rule", "WG406"]).findings.length > 0, true);
    assert.equal((checkJson(dir, ["--skip-rule", "WG406"]) as { notices?: unknown }).notices, undefined);
  });

  it("an expired suppression no longer hides its finding, and says so", () => {
    const dir = brokenWith(above(STAGING, "# wafguard:ignore WG406 reason: internal stage behind the VPC endpoint expires: 2020-01-31"));
    const { staging, report } = wg406(dir);
    assert.equal(staging.waived, undefined);
    assert.equal(staging.waiver_expired?.expires, "2020-01-31");
    assert.match(staging.message, /\(its inline suppression at .*main\.tf:26 expired on 2020-01-31\)$/);
    assert.equal(report.notices, undefined); // expired is reported on the finding, not as stale
    assert.equal(runCli(["check", dir, "--rule", "WG406", "--fail-on", "warning"]).status, 1);
  });

  it("several rules in one comment", () => {
    const dir = brokenWith(above(STAGING, "# wafguard:ignore WG406, WG155 reason: internal stage behind the VPC endpoint"));
    assert.ok(wg406(dir).staging.waived);
  });

  for (const [what, comment, error] of [
    ["no reason", "# wafguard:ignore WG406", /main\.tf:26: wafguard:ignore WG406: a reason is required, at least 10 characters/],
    ["a reason too short", "# wafguard:ignore WG406 reason: ok", /a reason is required/],
    ["no rule", "# wafguard:ignore reason: internal stage behind the VPC endpoint", /main\.tf:26: wafguard:ignore needs a rule ID and a reason/],
    ["an unknown rule", "# wafguard:ignore WG999 reason: internal stage behind the VPC endpoint", /main\.tf:26: wafguard:ignore: "WG999" is not a wafguard rule ID/],
    ["a bad date", "# wafguard:ignore WG406 reason: internal stage behind the VPC endpoint expires: 2027-02-30", /main\.tf:26: wafguard:ignore: expires must be a date, YYYY-MM-DD \(got "2027-02-30"\)/],
    ["a blank line before the block", "# wafguard:ignore WG406 reason: internal stage behind the VPC endpoint\n", /main\.tf:26: wafguard:ignore must be on a resource block's first line or in the comments directly above it/],
  ] as const) {
    it(`${what} is exit 2 with file and line, for the .tf directory and the plan beside it`, () => {
      const dir = brokenWith(above(STAGING, comment));
      for (const path of [dir, join(dir, "plan.json")]) {
        const r = runCli(["check", path]);
        assert.equal(r.status, 2, path);
        assert.equal(r.stderr.trim().split("\n").length, 1);
        assert.match(r.stderr, error);
      }
    });
  }

  it("a suppression in a local module applies to the module's block", () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-module-"));
    const tf = readFileSync(join(BROKEN, "main.tf"), "utf8");
    writeFileSync(join(dir, "main.tf"), 'module "api" {\n  source = "./api"\n}\n');
    const child = join(dir, "api");
    require("node:fs").mkdirSync(child);
    writeFileSync(join(child, "main.tf"), above(STAGING, "# wafguard:ignore WG406 reason: internal stage behind the VPC endpoint")(tf));
    const report = checkJson(dir, ["--rule", "WG406"]) as unknown as { findings: Waived[] };
    const staging = report.findings.find((f) => f.address === "module.api.aws_api_gateway_stage.staging");
    assert.ok(staging?.waived, JSON.stringify(report.findings));
  });

  it("SARIF marks an inline suppression as inSource (waivers stay external, see reports.test.ts), a stale one is a notification; both valid SARIF 2.1.0", () => {
    const dir = brokenWith((tf) => above(PROD, "# wafguard:ignore WG406 reason: prod is behind CloudFront too")(above(STAGING, "# wafguard:ignore WG406 reason: internal stage behind the VPC endpoint")(tf)));
    const text = runCli(["check", dir, "--format", "sarif"]).stdout;
    const sarif = JSON.parse(text);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "WG406");
    assert.deepEqual(result.suppressions, [{ kind: "inSource", status: "accepted", justification: "internal stage behind the VPC endpoint" }]);
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    assert.equal(notes.length, 1);
    assert.equal(notes[0].level, "note");
    assert.equal(notes[0].associatedRule.id, "WG406");
    assert.equal(notes[0].locations[0].physicalLocation.region.startLine, 20);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, "utf8")));
    assert.ok(validate(JSON.parse(text)), JSON.stringify(validate.errors?.slice(0, 3)));
  });
});

describe("inline suppressions in Terraform JSON and CDKTF", () => {
  it("WafguardSuppressions writes the // entry beside CDKTF's metadata, and wafguard check honours it", () => {
    const out = synth((app) => {
      const stack = new BrokenStack(app, "broken");
      const staging = stack.node.findAll().find((c) => c instanceof ApiGatewayStage && c.node.id === "staging") as ApiGatewayStage;
      WafguardSuppressions.of(staging).add({ rule: "wg406", reason: "internal stage behind the VPC endpoint", expires: "2999-03-31" });
      WafguardSuppressions.of(staging).add({ rule: "WG155", reason: "access logs go to the platform's collector" });
    });
    const file = join(out, "stacks", "broken", "cdk.tf.json");
    const stage = JSON.parse(readFileSync(file, "utf8")).resource.aws_api_gateway_stage.staging;
    assert.deepEqual(stage["//"].wafguard, {
      ignore: [
        { rule: "WG406", reason: "internal stage behind the VPC endpoint", expires: "2999-03-31" },
        { rule: "WG155", reason: "access logs go to the platform's collector" },
      ],
    });
    assert.equal(stage["//"].metadata.path, "broken/staging"); // CDKTF's own metadata is kept
    const report = checkJson(out, ["--rule", "WG406"]) as unknown as { findings: Waived[]; notices?: Array<{ rule: string }> };
    const staging = report.findings.find((f) => f.address === "aws_api_gateway_stage.staging");
    assert.deepEqual(staging?.waived, { reason: "internal stage behind the VPC endpoint", expires: "2999-03-31", inline: "broken/staging" });
    assert.equal(report.notices, undefined); // WG155 was not evaluated: not stale
    const all = checkJson(out) as unknown as { notices?: Array<{ rule: string; address: string }> };
    assert.deepEqual(all.notices?.map((n) => [n.rule, n.address]), [["WG155", "aws_api_gateway_stage.staging"]]);
  });

  it("in a cdktf.out of several stacks, each stack's suppression covers its own (prefixed) address", () => {
    const out = synth((app) => {
      for (const name of ["prod", "staging"]) {
        const stack = new BrokenStack(app, name);
        const stage = stack.node.findAll().find((c) => c instanceof ApiGatewayStage && c.node.id === "staging") as ApiGatewayStage;
        WafguardSuppressions.of(stage).add({ rule: "WG406", reason: "internal stage behind the VPC endpoint" });
      }
    });
    const report = checkJson(out, ["--rule", "WG406"]) as unknown as { findings: Waived[]; notices?: unknown[] };
    const stages = report.findings.filter((f) => f.address.endsWith("/aws_api_gateway_stage.staging"));
    assert.deepEqual(stages.map((f) => [f.address, f.waived?.reason]), [
      ["prod/aws_api_gateway_stage.staging", "internal stage behind the VPC endpoint"],
      ["staging/aws_api_gateway_stage.staging", "internal stage behind the VPC endpoint"],
    ]);
    assert.equal(report.notices, undefined); // both used: none is stale
  });

  it("WafguardSuppressions rejects a bad suppression at construct time", () => {
    const app = Testing.app();
    const stack = new BrokenStack(app as App, "s");
    const staging = stack.node.findAll().find((c) => c instanceof ApiGatewayStage) as ApiGatewayStage;
    assert.throws(() => WafguardSuppressions.of(staging).add({ rule: "WG406", reason: "" }), /reason is required, at least 10 characters/);
    assert.throws(() => WafguardSuppressions.of(staging).add({ rule: "XX1", reason: "a long enough reason" }), /"XX1" is not a wafguard rule ID/);
    assert.throws(() => WafguardSuppressions.of(staging).add({ rule: "WG406", reason: "a long enough reason", expires: "31/03/2027" }), /expires must be a date/);
    assert.throws(() => WafguardSuppressions.of(stack).add({ rule: "WG406", reason: "a long enough reason" }), /go on a Terraform resource/);
  });

  it("the WafguardValidation aspect honours them too", async () => {
    const { Aspects } = await import("cdktf");
    const { WafguardValidation } = await import("../src/construct/cdktf");
    const annotationsOnStaging = (suppress: boolean) => {
      const stack = new BrokenStack(Testing.app() as App, "s");
      const staging = stack.node.findAll().find((c) => c instanceof ApiGatewayStage && c.node.id === "staging") as ApiGatewayStage;
      if (suppress) WafguardSuppressions.of(staging).add({ rule: "WG406", reason: "internal stage behind the VPC endpoint" });
      Aspects.of(stack).add(new WafguardValidation({ rules: ["WG406"] }));
      Testing.synth(stack, true);
      return staging.node.metadata.filter((m) => /wafguard WG406/.test(String(m.data))).length;
    };
    assert.equal(annotationsOnStaging(false), 1);
    assert.equal(annotationsOnStaging(true), 0);
  });

  for (const [what, entry, error] of [
    ["without a reason", { rule: "WG406" }, /\.ignore\[0\]: reason is required/],
    ["with a bad date", { rule: "WG406", reason: "internal stage behind the VPC endpoint", expires: "soon" }, /\.ignore\[0\]: expires must be a date/],
    ["with an unknown key", { rule: "WG406", reason: "internal stage behind the VPC endpoint", until: "2027-01-01" }, /unknown key "until"/],
  ] as const) {
    it(`a .tf.json entry ${what} is exit 2 naming the file`, () => {
      const dir = mkdtempSync(join(tmpdir(), "wafguard-json-"));
      const doc = { resource: { aws_api_gateway_stage: { staging: { stage_name: "staging", rest_api_id: "x", deployment_id: "y", "//": { wafguard: { ignore: [entry] } } } } } };
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify(doc, null, 2));
      const r = runCli(["check", dir]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /main\.tf\.json:\d+: "\/\/"\.wafguard /);
      assert.match(r.stderr, error);
    });
  }

  it("a .tf.json entry with a reason suppresses", () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-json-"));
    const ignore = [{ rule: "WG406", reason: "internal stage behind the VPC endpoint" }];
    const doc = { resource: { aws_api_gateway_stage: { staging: { stage_name: "staging", rest_api_id: "x", deployment_id: "y", "//": { wafguard: { ignore } } } } } };
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(doc, null, 2));
    const f = (checkJson(dir, ["--rule", "WG406"]) as unknown as { findings: Waived[] }).findings[0];
    assert.equal(f.waived?.reason, "internal stage behind the VPC endpoint");
  });
});
