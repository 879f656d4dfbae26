/**
 * Several reports from one run: `--output FORMAT=FILE` (repeatable) writes each format to its file
 * while the --format report still goes to the terminal; a plain `--output FILE` keeps its meaning.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli";
import { FORMATS } from "../src/report";
import { ROOT, runCli } from "./helpers";
import { allRules } from "../src/rules";

const PLAN = join(ROOT, "examples", "broken", "plan.json");
const EXT = { text: "txt", json: "json", sarif: "sarif", junit: "xml", markdown: "md" } as const;

/** Runs the CLI in this process (fast enough for every combination), capturing stdout and stderr. */
async function inProcess(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
  try {
    const status = await main(args);
    return { status, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

describe("several reports per run (--output FORMAT=FILE)", () => {
  const alone = new Map<string, string>();
  before(async () => {
    for (const format of FORMATS) alone.set(format, (await inProcess(["check", PLAN, "--format", format, "--no-color"])).stdout);
  });

  it("every combination of formats to files: each file is that format's report, and text stays on the terminal", async function () {
    this.timeout(120000);
    for (let mask = 1; mask < 1 << FORMATS.length; mask++) {
      const chosen = FORMATS.filter((_, i) => mask & (1 << i));
      const dir = mkdtempSync(join(tmpdir(), "wafguard-outputs-"));
      const args = chosen.flatMap((f) => ["--output", `${f}=${join(dir, `report.${EXT[f]}`)}`]);
      const r = await inProcess(["check", PLAN, "--no-color", ...args]);
      assert.equal(r.status, 1, chosen.join(","));
      assert.equal(r.stderr, "");
      assert.equal(r.stdout, alone.get("text"), chosen.join(","));
      for (const f of chosen) assert.equal(readFileSync(join(dir, `report.${EXT[f]}`), "utf8"), alone.get(f), `${f} of ${chosen.join(",")}`);
    }
  });

  it("--format picks what goes to the terminal, alongside the files", async () => {
    for (const terminal of FORMATS) {
      const dir = mkdtempSync(join(tmpdir(), "wafguard-outputs-"));
      const others = FORMATS.filter((f) => f !== terminal);
      const r = await inProcess(["check", PLAN, "--no-color", "--format", terminal, ...others.flatMap((f) => ["--output", `${f}=${join(dir, f)}`])]);
      assert.equal(r.stdout, alone.get(terminal));
      for (const f of others) assert.equal(readFileSync(join(dir, f), "utf8"), alone.get(f));
    }
  });

  it("a plain --output FILE still writes the --format report instead of the terminal, and combines with named ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-outputs-"));
    const r = await inProcess(["check", PLAN, "--format", "sarif", "--output", join(dir, "plain.sarif"), "--output", `markdown=${join(dir, "comment.md")}`]);
    assert.equal(r.stdout, "");
    assert.equal(readFileSync(join(dir, "plain.sarif"), "utf8"), alone.get("sarif"));
    assert.equal(readFileSync(join(dir, "comment.md"), "utf8"), alone.get("markdown"));
  });

  it("through the real command, as CI runs it", () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-outputs-"));
    const r = runCli(["check", PLAN, "--output", `sarif=${join(dir, "wafguard.sarif")}`, "--output", `junit=${join(dir, "wafguard.xml")}`, "--output", `markdown=${join(dir, "comment.md")}`]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^2 errors, 5 warnings, 2 info · /m);
    assert.match(r.stdout, new RegExp(`^Checked ${allRules().length} rules \\(all\\) on:$`, "m"));
    assert.equal(JSON.parse(readFileSync(join(dir, "wafguard.sarif"), "utf8")).version, "2.1.0");
    assert.match(readFileSync(join(dir, "wafguard.xml"), "utf8"), /^<\?xml/);
    assert.match(readFileSync(join(dir, "comment.md"), "utf8"), /^❌ \*\*wafguard\*\*/);
  });

  for (const [what, args, error] of [
    ["an unknown format", ["--output", "yaml=r.yml"], /^wafguard: --output yaml=r\.yml: "yaml" is not a format; use one of text, json, sarif, junit, markdown \(FORMAT=FILE\), or \.\/yaml=r\.yml for a file of that name\n$/],
    ["no file name", ["--output", "sarif="], /^wafguard: --output sarif= needs a file name after "="\n$/],
    ["two plain files", ["--output", "a.txt", "--output", "b.txt"], /^wafguard: --output b\.txt: the --format report already goes to a\.txt; name the format of further reports \(--output sarif=FILE\)\n$/],
    ["one file twice", ["--output", "sarif=same", "--output", "json=same"], /^wafguard: --output: same is given twice\n$/],
  ] as const) {
    it(`${what} is exit 2 with one line, and writes nothing`, () => {
      const dir = mkdtempSync(join(tmpdir(), "wafguard-outputs-"));
      const r = runCli(["check", PLAN, ...args], { cwd: dir });
      assert.equal(r.status, 2);
      assert.match(r.stderr, error);
      assert.equal(r.stdout, "");
      for (const name of ["r.yml", "a.txt", "same"]) assert.ok(!existsSync(join(dir, name)));
    });
  }

  it("a file that cannot be written is exit 2 naming it", () => {
    const r = runCli(["check", PLAN, "--output", "sarif=/nonexistent/dir/x.sarif"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^wafguard: cannot write \/nonexistent\/dir\/x\.sarif \(its directory \/nonexistent\/dir does not exist\)\n$/);
    assert.equal(r.stdout, "", "checked before the run: no report on the terminal first");
  });
});
