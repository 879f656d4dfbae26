/**
 * The second evaluator: every fixture's Model (as `wafguard model` prints it) evaluated by `opa eval`
 * with the same Rego must give exactly the findings of the Wasm path. This keeps the compiled policy,
 * the host builtins (Go's net.cidr_* semantics) and the reference evaluator in agreement. Needs the
 * pinned OPA (bash scripts/build-opa.sh); without it the suite says so and skips.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluate, loadInput } from "../src";
import { FIXTURES, ROOT } from "./helpers";

const OPA = join(ROOT, ".tools", "bin", "opa");

function fixturePaths(): string[] {
  const plans = readdirSync(join(FIXTURES, "plans")).map((f) => join(FIXTURES, "plans", f));
  const hcl = readdirSync(join(FIXTURES, "hcl")).map((d) => join(FIXTURES, "hcl", d));
  return [...plans, ...hcl, ...["broken", "fixed"].flatMap((e) => [join(ROOT, "examples", e), join(ROOT, "examples", e, "plan.json")]), join(ROOT, "modules/waf-api-gateway/examples/basic")];
}

const key = (f: { rule: string; address: string; message: string; severity?: string; symptom?: string }) =>
  `${f.rule} | ${f.address} | ${f.severity ?? "-"} | ${f.symptom ?? "-"} | ${f.message}`;

describe("differential: opa eval and the Wasm policy agree on every fixture", function () {
  this.timeout(300000);
  if (!existsSync(OPA)) {
    it("skipped: the pinned OPA is not built (run bash scripts/build-opa.sh)", function () {
      this.skip();
    });
    return;
  }

  it("gives the same findings", () => {
    const paths = fixturePaths();
    const models: Record<string, unknown> = {};
    const wasm: Record<string, string[]> = {};
    for (const [i, path] of paths.entries()) {
      const { model } = loadInput(path);
      model.options = {};
      models[`m${i}`] = JSON.parse(JSON.stringify(model)); // exactly what `wafguard model` prints
      wasm[`m${i}`] = evaluate(model).map(key).sort();
    }
    const dir = mkdtempSync(join(tmpdir(), "wafguard-diff-"));
    writeFileSync(join(dir, "models.json"), JSON.stringify({ differential: models }));
    const out = execFileSync(
      OPA,
      ["eval", "--format", "json", "-d", join(ROOT, "policies", "wafguard"), "-d", join(dir, "models.json"), "{k: v | some k, m in data.differential; v := data.wafguard.main.findings with input as m}"],
      { encoding: "utf8", maxBuffer: 1 << 28 },
    );
    const reference = JSON.parse(out).result[0].expressions[0].value as Record<string, Array<Parameters<typeof key>[0]>>;
    let compared = 0;
    for (const [i, path] of paths.entries()) {
      assert.deepEqual(wasm[`m${i}`], (reference[`m${i}`] ?? []).map(key).sort(), path);
      compared += wasm[`m${i}`].length;
    }
    assert.ok(compared > 100, `only ${compared} findings compared`);
  });
});
