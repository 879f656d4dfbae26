/**
 * Real plans from public projects (../shared/corpus/plans): every one loads and is checked without a
 * crash; the one that is malformed on purpose gives the clear error. Outside the workplace that folder
 * does not exist, and this suite says so and skips.
 */
import { strict as assert } from "node:assert";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { check, InputError } from "../src";
import { ROOT, runCli } from "./helpers";

const CORPUS = join(ROOT, "..", "shared", "corpus", "plans");
const MALFORMED = new Set(["hashicorp__terraform-json__testdata_invalid_plan.json"]);

describe("shared corpus of real plans", function () {
  if (!existsSync(CORPUS)) {
    it(`skipped: ${CORPUS} is not here (it exists only in the wafguard workplace)`, function () {
      this.skip();
    });
    return;
  }
  const files = readdirSync(CORPUS).filter((f) => f.endsWith(".json")).sort();

  it("holds plans to test", () => assert.ok(files.length >= 30, `only ${files.length} files`));

  for (const file of files) {
    const path = join(CORPUS, file);
    if (MALFORMED.has(file)) {
      it(`${file} gives a clear error`, async () => {
        await assert.rejects(check([path]), (e: unknown) => e instanceof InputError && /not valid JSON at line \d+/.test(e.message));
        const r = runCli(["check", path]);
        assert.equal(r.status, 2);
        assert.equal(r.stderr.trim().split("\n").length, 1);
      });
    } else {
      it(`${file} loads and is checked`, async () => {
        const result = await check([path]);
        assert.equal(result.inputs.length, 1);
        assert.ok(result.inputs[0].resources >= 0);
      });
    }
  }
});
