/** Bad input: one clear line on stderr naming the file, exit status 2, never a stack trace. */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../src/errors";
import { loadInput } from "../src/load";
import { planFixture, runCli, tempFile } from "./helpers";

function expectFailure(args: string[], pattern: RegExp) {
  const r = runCli(args);
  assert.equal(r.status, 2, `exit status for ${args.join(" ")}: ${r.stderr}`);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line expected, got:\n${r.stderr}`);
  assert.match(lines[0], /^wafguard: /);
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
  assert.match(lines[0], pattern);
}

const plan = () => JSON.parse(JSON.stringify(require(planFixture("wg401-regional-acl"))));

describe("bad input", () => {
  it("a binary tfplan (zip) says to run terraform show -json", () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), Buffer.alloc(64, 1)]);
    const path = tempFile("tfplan", zip);
    expectFailure(["check", path], new RegExp(`${path}: is a binary plan file.*terraform show -json`));
  });

  it("a state file says it is state, not a plan", () => {
    const state = { version: 4, terraform_version: "1.9.5", serial: 3, lineage: "a-b-c", outputs: {}, resources: [] };
    expectFailure(["check", tempFile("terraform.tfstate", JSON.stringify(state))], /is a Terraform state file, not a plan/);
  });

  it("terraform show -json of state (no plan) says so", () => {
    const shown = { format_version: "1.0", terraform_version: "1.9.5", values: { root_module: {} } };
    expectFailure(["check", tempFile("state.json", JSON.stringify(shown))], /is Terraform state .*not a plan/);
  });

  it("a truncated file", () => {
    const text = JSON.stringify(plan());
    expectFailure(["check", tempFile("plan.json", text.slice(0, Math.floor(text.length / 2)))], /truncated/);
  });

  it("a file that is not JSON gives the line", () => {
    expectFailure(["check", tempFile("plan.json", '{\n  "format_version": "1.2",\n  oops\n}')], /is not valid JSON at line 3/);
  });

  it("an unknown format version", () => {
    expectFailure(["check", tempFile("plan.json", JSON.stringify({ ...plan(), format_version: "2.0" }))], /format_version "2.0".*does not read/);
  });

  it("an empty file", () => {
    expectFailure(["check", tempFile("plan.json", "  \n")], /is empty/);
  });

  describe("plans whose resources are not what Terraform writes (parsed whole and scanned alike)", () => {
    const broken = (edit: (p: { resource_changes: Array<Record<string, unknown>> } & Record<string, unknown>) => void) => {
      const p = plan();
      edit(p);
      return tempFile("plan.json", JSON.stringify(p));
    };
    const cases: Array<[string, string, RegExp]> = [
      ["resource_changes is not an array", broken((p) => (p.resource_changes = "oops" as never)), /resource_changes is "oops" \(a string\), not an array/],
      ["an element is null", broken((p) => p.resource_changes.push(null as never)), /resource_changes\[\d+\] is null, not an object/],
      ["a type that is a number", broken((p) => (p.resource_changes[0].type = 5)), /has type 5 \(a number\), not a string/],
      ["a resource without a type", broken((p) => delete p.resource_changes[0].type), /has no type/],
      ["change.after a string", broken((p) => ((p.resource_changes[0].change as Record<string, unknown>).after = "x")), /change\.after is "x" \(a string\), not an object or null/],
      ["change an array", broken((p) => (p.resource_changes[0].change = [])), /change is an array, not an object/],
      ["planned_values resources an object", broken((p) => ((p.planned_values as { root_module: Record<string, unknown> }).root_module.resources = {})), /planned_values\.root_module\.resources is an object, not an array/],
    ];
    for (const [what, path, message] of cases) {
      it(what, () => {
        expectFailure(["check", path], message);
        // the scanner (plans over 8 MiB) must refuse the same plans, not skim past them
        assert.throws(() => loadInput(path, { scanAbove: 0 }), (e: Error) => e instanceof InputError && message.test(e.message));
      });
    }
  });

  describe("report and baseline files are checked before the run, and empty paths refused", () => {
    const example = "examples/broken/plan.json";
    it("a directory, a missing directory or an empty name as --output or --create-baseline: no report printed first", () => {
      const dir = mkdtempSync(join(tmpdir(), "wafguard-out-"));
      expectFailure(["check", example, "--output", `sarif=${dir}`], new RegExp(`cannot write ${dir} \\(it is a directory\\)`));
      expectFailure(["check", example, "--create-baseline", dir], new RegExp(`cannot write ${dir} \\(it is a directory\\)`));
      expectFailure(["check", example, "--output", join(dir, "no", "such", "r.json")], /its directory .* does not exist/);
      expectFailure(["check", example, "--output", ""], /--output needs a path/);
      expectFailure(["check", example, "--baseline", ""], /--baseline needs a path/);
    });

    it("a baseline file with a UTF-8 byte order mark is read", () => {
      const dir = mkdtempSync(join(tmpdir(), "wafguard-bl-"));
      const file = join(dir, "baseline.json");
      assert.equal(runCli(["check", example, "--create-baseline", file]).status, 0);
      const bom = join(dir, "bom.json");
      writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(file)]));
      const r = runCli(["check", example, "--baseline", bom]);
      assert.equal(r.status, 0, r.stderr);
    });

    it("check --help and logs --help print their usage and exit 0", () => {
      for (const command of ["check", "logs"]) {
        const r = runCli([command, "--help"]);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, command === "check" ? /^Usage: wafguard/ : /^Options for logs/);
      }
    });
  });

  it("JSON that is not a plan", () => {
    expectFailure(["check", tempFile("plan.json", '{"hello": "world"}')], /not a Terraform plan/);
    expectFailure(["check", tempFile("plan.json", "[1, 2]")], /not a Terraform plan/);
  });

  it("a missing file, and a directory with nothing to check", () => {
    expectFailure(["check", "/nonexistent/plan.json"], /\/nonexistent\/plan.json: does not exist/);
    expectFailure(["check", mkdtempSync(join(tmpdir(), "wafguard-empty-"))], /no \.tf files/);
  });

  it("bad flags and values", () => {
    expectFailure(["check", "--format", "xml", planFixture("wg401-regional-acl")], /--format must be one of/);
    expectFailure(["check", "--fail-on", "sometimes", planFixture("wg401-regional-acl")], /--fail-on must be one of/);
    expectFailure(["check", "--bogus", planFixture("wg401-regional-acl")], /Unknown option '--bogus'/);
    expectFailure(["check", "--rule", "WG999", planFixture("wg401-regional-acl")], /unknown rule ID "WG999"/);
    expectFailure(["frobnicate"], /unknown command "frobnicate"/);
    expectFailure(["explain", "WG000"], /unknown rule ID/);
  });
});
