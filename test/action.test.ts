/** The GitHub Action's steps, run as GitHub would run them (bash, env, output files). */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "./helpers";
import { allRules } from "../src/rules";

interface Step {
  id?: string;
  run?: string;
  uses?: string;
  if?: string;
}

const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as { inputs: Record<string, { default?: string }>; runs: { steps: Step[] } };
const step = (id: string) => action.runs.steps.find((s) => s.id === id) as Step;

/** Runs one step's script with the given env; `${{ github.action_path }}` is this repository. */
function runStep(id: string, dir: string, env: Record<string, string>) {
  const output = join(dir, "output");
  const summary = join(dir, "summary");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const script = (step(id).run as string).split("${{ github.action_path }}").join(ROOT);
  const r = spawnSync("bash", ["-e", "-c", script], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH, RUNNER_TEMP: dir, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, output: readFileSync(output, "utf8"), summary: readFileSync(summary, "utf8") };
}

function runCheck(path: string, failOn: string, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "wafguard-action-"));
  const env = { WAFGUARD: join(ROOT, "bin", "wafguard.js"), INPUT_PATH: path, INPUT_ARGS: "", INPUT_FAIL_ON: failOn, INPUT_SARIF: "wafguard.sarif", INPUT_BASELINE: "", INPUT_TRAFFIC: "", ...extra };
  const r = runStep("check", dir, env);
  const sarif = () => JSON.parse(readFileSync(join(dir, "wafguard.sarif"), "utf8"));
  return { ...r, dir, sarif };
}

describe("GitHub Action", () => {
  it("declares its inputs, uploads SARIF to code scanning and comments through its report step", () => {
    assert.deepEqual(Object.keys(action.inputs).sort(), ["args", "baseline", "comment", "fail-on", "github-token", "path", "sarif-file", "traffic", "upload-sarif"]);
    assert.equal(action.inputs["github-token"].default, "${{ github.token }}");
    assert.ok(action.runs.steps.some((s) => s.uses?.startsWith("github/codeql-action/upload-sarif")));
    assert.match(step("report").run as string, /dist\/src\/action\/main\.js/);
    assert.match(step("report").if as string, /always\(\)/);
  });

  it("writes SARIF, the Markdown report and the exit code for a failing plan in one run", () => {
    const r = runCheck(join(ROOT, "examples/broken/plan.json"), "error");
    assert.equal(r.status, 0, r.stderr); // the step records the exit code; a later step fails the job
    assert.match(r.output, /^exit-code=1$/m);
    const report = /^report=(.*)$/m.exec(r.output)?.[1] as string;
    assert.equal(report, join(r.dir, "wafguard-report.md"));
    assert.match(readFileSync(report, "utf8"), /^❌ \*\*wafguard\*\*/);
    assert.ok(r.sarif().runs[0].results.length > 0);
    assert.match(r.stdout, new RegExp(`^Checked ${allRules().length} rules \\(all\\) on:$`, "m")); // the text report is in the log
  });

  it("passes a clean plan", () => {
    const r = runCheck(join(ROOT, "examples/fixed/plan.json"), "warning");
    assert.match(r.output, /^exit-code=0$/m);
    assert.match(readFileSync(/^report=(.*)$/m.exec(r.output)?.[1] as string, "utf8"), /^✅/);
  });

  it("a failed run (exit 2) fails the step", () => {
    const r = runCheck(join(ROOT, "no-such-plan.json"), "error");
    assert.equal(r.status, 2);
    assert.match(r.output, /^exit-code=2$/m);
    assert.match(r.stderr, /^wafguard: .*no-such-plan\.json: does not exist/m);
  });

  it("passes baseline and traffic through as --baseline and --traffic", () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-action-"));
    const fake = join(dir, "fake-wafguard.js");
    writeFileSync(fake, `require("fs").writeFileSync(${JSON.stringify(join(dir, "argv.json"))}, JSON.stringify(process.argv.slice(2)));\n`);
    runStep("check", dir, { WAFGUARD: fake, INPUT_PATH: "infra/plan.json", INPUT_ARGS: "--skip-rule WG406", INPUT_FAIL_ON: "warning", INPUT_SARIF: "w.sarif", INPUT_BASELINE: "ci/wafguard-baseline.json", INPUT_TRAFFIC: "logs/waf.jsonl" });
    const argv = JSON.parse(readFileSync(join(dir, "argv.json"), "utf8")) as string[];
    assert.deepEqual(argv, [
      "check", "infra/plan.json", "--skip-rule", "WG406", "--baseline", "ci/wafguard-baseline.json", "--traffic", "logs/waf.jsonl",
      "--fail-on", "warning", "--output", "sarif=w.sarif", "--output", `markdown=${join(dir, "wafguard-report.md")}`,
    ]);
  });

  it("the report step writes the job summary, and on a push (not a pull request) does not comment", () => {
    const r = runCheck(join(ROOT, "examples/broken/plan.json"), "error");
    const report = /^report=(.*)$/m.exec(r.output)?.[1] as string;
    const event = join(r.dir, "event.json");
    writeFileSync(event, JSON.stringify({ ref: "refs/heads/main" }));
    const s = runStep("report", r.dir, { INPUT_REPORT: report, INPUT_COMMENT: "true", INPUT_TOKEN: "unused", GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: "acme/orders-api" });
    assert.equal(s.status, 0, s.stderr + s.stdout);
    assert.equal(s.summary, readFileSync(report, "utf8"));
    assert.match(s.stdout, /wafguard: push is not a pull request event; no comment/);
  });
});
