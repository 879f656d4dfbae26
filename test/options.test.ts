/** Rule options: only the options rules declare (METADATA custom.options) are accepted, from the flag or the file. */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OPTION_RANGES, ruleOptions } from "../src/rules";
import { checkJson, planFixture, ROOT, runCli, tempFile } from "./helpers";

const plan = join(ROOT, "examples/broken/plan.json");

describe("rule options", () => {
  it("are declared in the rules' metadata, with the rules that read them", () => {
    const declared = ruleOptions().get("rate-threshold");
    assert.deepEqual(declared?.rules, ["WG301"]);
    assert.match(declared?.description ?? "", /default 500/);
    // The Rego reads exactly the declared names: every option string the policies read is declared.
    const rego = readFileSync(join(ROOT, "policies/wafguard/rules/rate.rego"), "utf8");
    for (const [, name] of rego.matchAll(/object\.get\(object\.get\(input, "options", \{\}\), "([^"]+)"/g)) assert.ok(ruleOptions().has(name), name);
  });

  it("a known --option changes the result", () => {
    assert.equal(checkJson(plan, ["--rule", "WG301"]).findings.length, 1);
    assert.equal(checkJson(plan, ["--rule", "WG301", "--option", "rate-threshold=100"]).findings.length, 0);
  });

  it("an unknown --option key is exit 2 with one line naming it and the known ones", () => {
    const r = runCli(["check", plan, "--option", "rate-treshold=1000"]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, 'wafguard: --option rate-treshold=...: unknown option "rate-treshold"; known options: traffic-block-share (WG120), rate-threshold (WG301)\n');
  });

  it("the model command checks --option keys too", () => {
    const r = runCli(["model", planFixture("wg406-stage-without-acl"), "--option", "bogus=1"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^wafguard: --option bogus=\.\.\.: unknown option "bogus"; known options: traffic-block-share \(WG120\), rate-threshold \(WG301\)\n$/);
  });

  it("an unknown options key in .wafguard.yml is exit 2 naming the file, the key and the known ones", () => {
    const file = tempFile(".wafguard.yml", "options:\n  rate-threshold: 1000\n  burst: 5\n");
    const r = runCli(["check", plan, "--waivers", file]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `wafguard: ${file}: options: unknown option "burst"; known options: traffic-block-share (WG120), rate-threshold (WG301)\n`);
  });

  it("an unknown top-level key in .wafguard.yml is exit 2 naming the known ones", () => {
    const file = tempFile(".wafguard.yml", "option:\n  rate-threshold: 1000\n");
    const r = runCli(["check", plan, "--waivers", file]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.split("\n").length, 2);
    assert.match(r.stderr, /unknown key "option" \(expected options, waivers\)/);
  });

  it("the construct-side aspect rejects unknown options too", async () => {
    const { WafguardValidation } = await import("../src/construct/cdktf");
    assert.throws(() => new WafguardValidation({ options: { "rate-treshold": 1 } }), /unknown option "rate-treshold"; known options: traffic-block-share \(WG120\), rate-threshold \(WG301\)/);
  });

  it("an option value of the wrong kind is exit 2 naming the option, from the flag and from the file", () => {
    const flag = runCli(["check", join(ROOT, "examples", "fixed", "plan.json"), "--option", "rate-threshold=abc"]);
    assert.equal(flag.status, 2);
    assert.equal(flag.stderr, 'wafguard: option "rate-threshold" must be a whole number of requests, at least 1 (default 500), not "abc"\n');
    const dir = mkdtempSync(join(tmpdir(), "wafguard-test-"));
    writeFileSync(join(dir, ".wafguard.yml"), "options:\n  traffic-block-share: lots\n");
    const file = runCli(["check", join(ROOT, "examples", "fixed", "plan.json")], { cwd: dir });
    assert.equal(file.status, 2);
    assert.match(file.stderr, /^wafguard: \.wafguard\.yml: options: option "traffic-block-share" must be a share between 0 and 1, such as 0\.001 for 0\.1% \(default 0\.001\), not "lots"\n$/);
  });

  it("an option value out of its range is exit 2 naming it, with or without logs to replay, and in the file's name", () => {
    const plan = join(ROOT, "examples", "fixed", "plan.json");
    for (const [pair, shown] of [["rate-threshold=-5", "-5"], ["rate-threshold=1.5", "1.5"], ["rate-threshold=0", "0"], ["traffic-block-share=2", "2"], ["traffic-block-share=-0.1", "-0.1"]]) {
      const r = runCli(["check", plan, "--option", pair]);
      assert.equal(r.status, 2, pair);
      assert.match(r.stderr, new RegExp(`^wafguard: option "${pair.split("=")[0]}" must be .*, not ${shown.replace(".", "\\.")}\n$`), pair);
    }
    const dir = mkdtempSync(join(tmpdir(), "wafguard-test-"));
    for (const [yaml, shown] of [["rate-threshold: -5", "-5"], ["rate-threshold: .inf", "Infinity"], ["rate-threshold: .nan", "NaN"]]) {
      writeFileSync(join(dir, ".wafguard.yml"), `options:\n  ${yaml}\n`);
      const r = runCli(["check", plan], { cwd: dir });
      assert.equal(r.status, 2, yaml);
      assert.match(r.stderr, new RegExp(`^wafguard: \\.wafguard\\.yml: options: option "rate-threshold" must be a whole number of requests, at least 1 \\(default 500\\), not ${shown}\n$`), yaml);
    }
    writeFileSync(join(dir, ".wafguard.yml"), "options: !!set {a, b}\n");
    const set = runCli(["check", plan], { cwd: dir });
    assert.equal(set.status, 2);
    assert.match(set.stderr, /^wafguard: \.wafguard\.yml: `options` must be a mapping\n$/);
  });

  it("every option a rule declares has a range here", () => {
    assert.deepEqual([...ruleOptions().keys()].sort(), Object.keys(OPTION_RANGES).sort());
  });

  it("RULES.md lists a rule's options", () => {
    assert.match(readFileSync(join(ROOT, "RULES.md"), "utf8"), /Options: `--option rate-threshold=\.\.\.`/);
  });
});
