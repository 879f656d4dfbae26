/** The architecture stays easy to see: no module of src/ imports itself back through another. */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "./helpers";

const SRC = join(ROOT, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith(".ts") ? [path] : [];
  });
}

/** Relative imports of a file, type-only ones included (they are still a dependency between modules). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"|require\("(\.[^"]+)"\)/g)].map((m) => m[1] ?? m[2]);
  return specs.flatMap((spec) => {
    if (spec.endsWith(".json")) return [];
    const base = resolve(dirname(file), spec);
    for (const candidate of [`${base}.ts`, join(base, "index.ts")]) {
      try {
        if (statSync(candidate).isFile()) return [candidate];
      } catch {
        /* try the next form */
      }
    }
    throw new Error(`${relative(ROOT, file)} imports ${spec}, which does not exist`);
  });
}

describe("architecture", () => {
  it("src/ has no import cycle", () => {
    const graph = new Map(sourceFiles(SRC).map((f) => [f, importsOf(f)]));
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (file: string, stack: string[]): void => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        cycles.push([...stack.slice(stack.indexOf(file)), file].map((f) => relative(SRC, f)).join(" → "));
        return;
      }
      state.set(file, "open");
      for (const next of graph.get(file) ?? []) visit(next, [...stack, file]);
      state.set(file, "done");
    };
    for (const file of graph.keys()) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  it("a plan check loads neither the .tf, CDKTF, traffic and logs code nor yaml (start-up)", () => {
    // What a check of a small plan costs is mostly start-up: modules for other inputs and commands are
    // required where they are used. Listed from a real run of the CLI, so a new eager import shows here.
    const script = `require(${JSON.stringify(join(ROOT, "dist", "src", "cli.js"))}).main(["check", ${JSON.stringify(join(ROOT, "examples", "broken", "plan.json"))}, "--format", "json"])
      .then(() => process.stderr.write(JSON.stringify(Object.keys(require.cache))))`;
    const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    const loaded = (JSON.parse(run.stderr) as string[]).map((f) => relative(ROOT, f));
    assert.ok(loaded.includes(join("dist", "src", "load", "plan.js")), "the run did not check the plan");
    const unneeded = loaded.filter((f) => /^dist\/src\/(traffic\/(?!logs-usage)|load\/terraform\/|load\/cdktf)|^node_modules\/yaml\//.test(f));
    assert.deepEqual(unneeded, []);
  });
});
