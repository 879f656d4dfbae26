/** The GitHub Action's check step, run as GitHub would run it (bash, env, output files). */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "./helpers";

interface Step {
  id?: string;
  run?: string;
  uses?: string;
}

const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as { inputs: Record<string, unknown>; runs: { steps: Step[] } };
const checkStep = action.runs.steps.find((s) => s.id === "check") as Step;

function runStep(path: string, failOn: string) {
  const dir = mkdtempSync(join(tmpdir(), "wafguard-action-"));
  const output = join(dir, "output");
  const summary = join(dir, "summary");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const r = spawnSync("bash", ["-e", "-c", checkStep.run as string], {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      WAFGUARD: join(ROOT, "bin", "wafguard.js"),
      INPUT_PATH: path,
      INPUT_ARGS: "",
      INPUT_FAIL_ON: failOn,
      INPUT_SARIF: "wafguard.sarif",
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
    },
  });
  return { status: r.status, output: readFileSync(output, "utf8"), summary: readFileSync(summary, "utf8"), sarif: JSON.parse(readFileSync(join(dir, "wafguard.sarif"), "utf8")) };
}

describe("GitHub Action", () => {
  it("declares its inputs and uploads SARIF to code scanning", () => {
    assert.deepEqual(Object.keys(action.inputs).sort(), ["args", "fail-on", "path", "sarif-file", "upload-sarif"]);
    assert.ok(action.runs.steps.some((s) => s.uses?.startsWith("github/codeql-action/upload-sarif")));
  });

  it("writes SARIF, the step summary and the exit code for a failing plan", () => {
    const r = runStep(join(ROOT, "examples/broken/plan.json"), "error");
    assert.equal(r.status, 0); // the step records the exit code; a later step fails the job
    assert.match(r.output, /^exit-code=1$/m);
    assert.match(r.summary, /^❌ \*\*wafguard\*\*/);
    assert.ok(r.sarif.runs[0].results.length > 0);
  });

  it("passes a clean plan", () => {
    const r = runStep(join(ROOT, "examples/fixed/plan.json"), "warning");
    assert.match(r.output, /^exit-code=0$/m);
    assert.match(r.summary, /^✅/);
  });
});
