/**
 * Plans of any size: streaming (kept for plans beyond the largest Buffer, 4 GiB) gives the same Model
 * as the plan reader, and a generated plan larger than V8's longest string is checked with a bounded
 * heap (@slow: it writes ~650 MB; the reader holds the bytes outside the heap and builds only the
 * relevant resources).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePlan } from "../bench/generate";
import { check, InputError, loadInput, loadInputAsync } from "../src";
import { FIXTURES, ROOT } from "./helpers";

describe("streamed plans", () => {
  const plans = readdirSync(join(FIXTURES, "plans")).map((f) => join(FIXTURES, "plans", f));

  it("give the same Model as plans read whole, for every plan fixture", async () => {
    for (const path of [...plans, join(ROOT, "examples/broken/plan.json")]) {
      const whole = loadInput(path);
      const streamed = await loadInputAsync(path, { streamAbove: 0 });
      assert.deepEqual(streamed.model, whole.model, path);
      assert.equal(streamed.resourceCount, whole.resourceCount, path);
    }
  });

  it("give the same findings", async () => {
    const path = join(ROOT, "examples/broken/plan.json");
    assert.deepEqual((await check([path], { streamAbove: 0 })).findings, (await check([path])).findings);
  });

  it("report truncated and malformed files as input errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-stream-"));
    writeFileSync(join(dir, "cut.json"), '{"format_version":"1.2","resource_changes":[{"type":"aws_wafv2_web_acl"');
    writeFileSync(join(dir, "bad.json"), '{"format_version":"1.2", oops}');
    await assert.rejects(loadInputAsync(join(dir, "cut.json"), { streamAbove: 0 }), (e: unknown) => e instanceof InputError && /truncated/.test(e.message));
    await assert.rejects(loadInputAsync(join(dir, "bad.json"), { streamAbove: 0 }), (e: unknown) => e instanceof InputError && /not valid JSON/.test(e.message));
  });
});

describe("@slow a plan larger than V8's longest string", function () {
  this.timeout(15 * 60 * 1000);
  const dir = mkdtempSync(join(tmpdir(), "wafguard-huge-"));
  const path = join(dir, "plan.json");
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is checked with a heap of 1 GB", async () => {
    const resources = 620_000;
    await generatePlan(path, resources);
    const bytes = statSync(path).size;
    assert.ok(bytes > 600 * 1024 * 1024, `generated only ${bytes} bytes`);
    const r = spawnSync(process.execPath, ["--max-old-space-size=1024", join(ROOT, "bin", "wafguard.js"), "check", path, "--format", "json", "--fail-on", "never", "--rule", "WG150"], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { inputs: Array<{ resources: number }>; findings: Array<{ rule: string; address: string }> };
    assert.equal(report.inputs[0].resources, resources);
    // The generator puts one web ACL without logging in front of a stage per 200 resources.
    assert.equal(report.findings.length, resources / 200);
    assert.ok(report.findings.every((f) => f.rule === "WG150" && f.address.startsWith("aws_wafv2_web_acl.acl_")));
  });
});
