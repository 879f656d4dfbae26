/**
 * fast-check arbitraries for whole fuzz cases: mutations of every input kind (plans, .tf directories,
 * .tf.json, CDKTF output, waiver files), command-line mutations, and symlink trees and special files.
 */
import fc from "fast-check";
import { CDK_TF_JSON_TEXT, MANIFEST_TEXT, PLAN, TF_JSON_TEXT, TF_TEXT, WAIVERS_TEXT, tfJsonOf } from "./seeds";
import type { Entry, FuzzCase } from "./run-case";

type Json = Record<string, unknown>;

// ---- values and JSON mutations ----

const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 10 }),
  fc.constantFrom("\ud800", "x\udfff", "\u0000", "\u202e", "${var.x}", "%{ if true }", "*", "**/*", "arn:aws:apigateway:us-east-1::/restapis/a/stages/prod", "aws_wafv2_web_acl.api", "__proto__", "\\", '"', "\n"),
  fc.string({ maxLength: 4 }).map((s) => s.repeat(20000)),
);
const hostileNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, 2 ** 64, -0, 0.5, 5e-324, 300, 60));
const hostileKey = fc.oneof(hostileString, fc.constantFrom("__proto__", "constructor", "prototype", "resource", "rule", "action", "allow", "block", "count", "none", "address", "index", "type", "name", "//", "for_each", "dynamic", "module", "source"));

function nestArray(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = i % 3 === 0 ? { statement: [v] } : [v];
  return v;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [{}], [{}, {}], [{ allow: [{}], block: [{}] }], [{ count: [{}], none: [{}] }]) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 400 }).map(nestArray) },
);

type Mutation =
  | { op: "set"; path: number[]; key: string; value: unknown }
  | { op: "delete"; path: number[] }
  | { op: "duplicate"; path: number[] }
  | { op: "swap"; path: number[]; other: number[] };

const path = fc.array(fc.nat(), { minLength: 0, maxLength: 10 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("set" as const), path, key: hostileKey, value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("delete" as const), path }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("duplicate" as const), path }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("swap" as const), path, other: path }) },
);

/** Walks to a container chosen by the numbers; returns it and the key of the last step. */
function locate(doc: unknown, picks: number[]): { parent: Json | unknown[]; key: string | number } | null {
  let parent: unknown = null;
  let key: string | number = "";
  let node = doc;
  for (const p of picks) {
    if (node === null || typeof node !== "object") break;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    parent = node;
    key = keys[p % keys.length];
    node = (node as Json)[key as string];
  }
  return parent === null ? null : { parent: parent as Json, key };
}

function setOwn(obj: object, key: string | number, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export function applyMutations(original: unknown, mutations: Mutation[]): unknown {
  const doc = JSON.parse(JSON.stringify(original)) as unknown;
  for (const m of mutations) {
    const at = locate(doc, m.path);
    if (!at) continue;
    const { parent, key } = at;
    const current = (parent as Json)[key as string];
    if (m.op === "set") {
      if (current !== null && typeof current === "object" && !Array.isArray(current)) setOwn(current, m.key, m.value);
      else setOwn(parent, key, m.value);
    } else if (m.op === "delete") {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Json)[key as string];
    } else if (m.op === "duplicate") {
      // A second copy of an element or a key: duplicate resources, rules, addresses.
      if (Array.isArray(parent)) parent.push(JSON.parse(JSON.stringify(current ?? null)));
      else setOwn(parent, `${String(key)}_copy`, current);
    } else {
      const other = locate(doc, m.other);
      if (other) {
        const value = (other.parent as Json)[other.key as string];
        setOwn(other.parent, other.key, current);
        setOwn(parent, key, value);
      }
    }
  }
  return doc;
}

/** JSON text of a mutated document; sometimes with byte-level damage or a duplicated key. */
const textOf = (base: unknown): fc.Arbitrary<string | Uint8Array> =>
  fc
    .tuple(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.nat(), fc.constantFrom("none", "none", "none", "truncate", "flip", "dupkey", "pretty"), fc.nat(255))
    .map(([ms, at, damage, byte]) => {
      let text: string;
      try {
        text = JSON.stringify(applyMutations(base, ms)) ?? "null";
      } catch {
        text = "null"; // JSON.stringify cannot write some deep values: the original then
      }
      if (damage === "pretty") return JSON.stringify(JSON.parse(text), null, 2) ?? text;
      if (damage === "truncate") return text.slice(0, at % (text.length + 1));
      if (damage === "dupkey") {
        const i = text.indexOf('"', at % Math.max(1, text.length));
        const j = i >= 0 ? text.indexOf('":', i + 1) : -1;
        return j > i && i >= 0 ? `${text.slice(0, i)}${text.slice(i, j + 2)}1,${text.slice(i)}` : text;
      }
      if (damage === "flip") {
        const bytes = Buffer.from(text, "utf8");
        if (bytes.length) bytes[at % bytes.length] = byte;
        return new Uint8Array(bytes);
      }
      return text;
    });

// ---- text mutations (.tf, YAML) ----

const TF_TOKENS = ["", "{", "}", '"', "=", "${", "%{", "[", "]", "(", ")", "\n", "#", "<<EOF\n", "\\", "\u0000", "\ud800", 'dynamic "rule" {', "for_each = [1, 2]", "count = 3", 'module "m" { source = "./" }', 'resource "aws_wafv2_web_acl" "api" {}', "[for x in range(100) : x]", "1e308", "*", "..."];

const textEdits = (base: string, tokens: string[]): fc.Arbitrary<string> =>
  fc.array(fc.tuple(fc.nat(), fc.constantFrom(...tokens), fc.integer({ min: 1, max: 3 })), { minLength: 0, maxLength: 4 }).map((edits) => {
    let text = base;
    for (const [pos, token, times] of edits) {
      const at = pos % (text.length + 1);
      text = text.slice(0, at) + token.repeat(times) + text.slice(at + (token === "" ? 1 : 0));
    }
    return text;
  });

const YAML_TOKENS = ["", "&a ", "*a", "*b", "!weird ", "%YAML 1.3\n---\n", "<<: *a\n", "? [x]\n: y\n", "{", "[", "- ", ": ", "\t", "\n  ", "\u0000", "\ud800", "'", '"', "~", "2027-13-45", "***", "?*?*?*?*"];

const waiverFile: fc.Arbitrary<string> = fc.oneof(
  textEdits(WAIVERS_TEXT, YAML_TOKENS),
  fc
    .array(
      fc.record({
        rule: fc.constantFrom("WG406", "WG702", "WG701", "wg402", "WG999", ""),
        address: fc.oneof(hostileString, fc.constantFrom("*", "aws_*", "aws_wafv2_web_acl.*", "*.api", `${"*a".repeat(30)}!`, `${"?*".repeat(2000)}`)),
        reason: fc.constantFrom("a reason long enough", "short", ""),
        expires: fc.constantFrom(undefined, "2999-12-31", "2000-01-01", "tomorrow", "2027-02-30"),
      }),
      { maxLength: 5 },
    )
    .map((ws) => `waivers:\n${ws.map((w) => `  - rule: ${JSON.stringify(w.rule)}\n    address: ${JSON.stringify(w.address)}\n    reason: ${JSON.stringify(w.reason)}${w.expires ? `\n    expires: ${w.expires}` : ""}`).join("\n")}\n`),
);

// ---- file trees ----

/** Symlinks and special files among real inputs: loops, dangling links, devices, FIFOs, directories. */
const specialEntry: fc.Arbitrary<Entry> = fc.oneof(
  fc.constantFrom<Entry>({ fifo: true }, { dir: true }, { link: "/dev/zero" }, { link: "/dev/null" }, { link: "missing.tf" }, { link: "." }, { link: ".." }, { link: "/" }, ""),
  fc.constantFrom("a.tf", "b.tf", "loop.tf", "main.tf", "sub", "../plan.json").map((to) => ({ link: to }) as Entry),
);
const specialTree = (dir: string): fc.Arbitrary<Record<string, Entry>> =>
  fc.dictionary(fc.constantFrom("a.tf", "b.tf", "loop.tf", "x.tf.json", "sub", "sub/c.tf", "terraform.tfvars", "z.auto.tfvars", "m.tf"), specialEntry, { maxKeys: 3 }).map((tree) => Object.fromEntries(Object.entries(tree).map(([k, v]) => [`${dir}/${k}`, v])));

// ---- command lines ----

const formatFlag = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(["--format", "json"], ["--format", "sarif"], ["--format", "junit"], ["--format", "markdown"], ["--format", "text"]) },
  { weight: 1, arbitrary: fc.constantFrom(["--format", "xml"], ["--format"], ["--format=json"], ["--format", ""]) },
);
const extraFlags = fc.array(
  fc.oneof(
    fc.constantFrom(["--fail-on", "warning"], ["--fail-on", "never"], ["--fail-on", "info"], ["--fail-on", "bogus"], ["--no-color"]),
    fc.constantFrom("WG406", "WG701,WG402", "wg1", "", "WG999").map((id) => ["--rule", id]),
    fc.constantFrom("WG406", "all").map((id) => ["--skip-rule", id]),
    fc.tuple(fc.constantFrom("rate-threshold", "__proto__", "x", ""), fc.oneof(hostileString, fc.constantFrom("1e308", "9".repeat(400), "-1", "true"))).map(([k, v]) => ["--option", `${k}=${v}`]),
    fc.constantFrom(["--output", "report.out"], ["--output", "sub/report.out"], ["--output", ""], ["--waivers", "w.yml"], ["--source", "."], ["--input", "plan"], ["--input", "hcl"], ["--input", "cdktf"], ["--input", "x"], ["--"], ["-h"]),
  ),
  { maxLength: 3 },
);

function args(command: string, target: string, format: readonly string[], extra: ReadonlyArray<readonly string[]>): string[] {
  // An argument cannot hold a NUL byte: the operating system's argv ends strings there.
  return [command, target, ...format, ...extra.flat()].map((a) => a.replaceAll("\0", ""));
}

// ---- whole cases ----

const planCase = fc.tuple(textOf(PLAN), formatFlag, extraFlags).map(([text, format, extra]): FuzzCase => ({ title: "mutated plan", files: { "plan.json": text }, args: args("check", "plan.json", format, extra) }));

const tfCase = fc.tuple(textEdits(TF_TEXT, TF_TOKENS), specialTree("tf"), formatFlag).map(([text, tree, format]): FuzzCase => ({ title: "mutated .tf directory", files: { "tf/main.tf": text, ...tree }, args: args("check", "tf", format, []) }));

const tfJsonCase = fc.tuple(textOf(tfJsonOf()), fc.boolean(), formatFlag).map(([text, withHcl, format]): FuzzCase => ({
  title: "mutated .tf.json",
  files: { "tf/main.tf.json": text, ...(withHcl ? { "tf/extra.tf": 'resource "aws_api_gateway_rest_api" "orders" {\n  name = "again"\n}\n' } : {}) },
  args: args("check", "tf", format, []),
}));

const cdktfCase = fc
  .tuple(textOf(JSON.parse(CDK_TF_JSON_TEXT)), fc.oneof(fc.constant(MANIFEST_TEXT), textOf(JSON.parse(MANIFEST_TEXT))), fc.boolean(), formatFlag)
  .map(([stack, manifest, asDir, format]): FuzzCase =>
    asDir
      ? { title: "mutated cdktf.out", files: { "out/manifest.json": manifest, "out/stacks/stack/cdk.tf.json": stack }, args: args("check", "out", format, []) }
      : { title: "mutated cdk.tf.json", files: { "cdk.tf.json": stack }, args: args("check", "cdk.tf.json", format, []) },
  );

const waiverCase = fc.tuple(waiverFile, fc.boolean(), formatFlag).map(([yaml, byDefault, format]): FuzzCase => ({
  title: "mutated waiver file",
  files: { "plan.json": JSON.stringify(PLAN), [byDefault ? ".wafguard.yml" : "w.yml"]: yaml },
  args: args("check", "plan.json", format, byDefault ? [] : [["--waivers", "w.yml"]]),
}));

const commandLineCase = fc
  .tuple(fc.constantFrom("check", "check", "check", "model", "rules", "explain", "bogus", "--help", "--version"), fc.constantFrom("plan.json", "tf", ".", "WG402", "", "-", "--", "/dev/zero", "missing.json"), formatFlag, extraFlags)
  .map(([command, target, format, extra]): FuzzCase => ({
    title: "mutated command line",
    files: { "plan.json": JSON.stringify(PLAN), "tf/main.tf.json": TF_JSON_TEXT, "w.yml": WAIVERS_TEXT, sub: { dir: true } },
    args: command === "check" ? args(command, target, format, extra) : command === "rules" ? [command, ...format] : [command, target],
  }));

const specialFilesCase = fc
  .tuple(specialTree("src"), specialEntry, fc.constantFrom("--source", "--waivers", "--output", "path"), formatFlag)
  .map(([tree, entry, where, format]): FuzzCase => {
    const files: Record<string, Entry> = { "plan.json": JSON.stringify(PLAN), "src/main.tf": TF_TEXT, ...tree, target: entry };
    const tail = where === "path" ? ["target"] : ["plan.json", where, where === "--source" ? "src" : "target"];
    return { title: `special files (${where})`, files, args: ["check", ...tail, ...format] };
  });

/** Every kind of case, weighted towards inputs. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { weight: 4, arbitrary: planCase },
  { weight: 2, arbitrary: tfCase },
  { weight: 2, arbitrary: tfJsonCase },
  { weight: 2, arbitrary: cdktfCase },
  { weight: 2, arbitrary: waiverCase },
  { weight: 2, arbitrary: commandLineCase },
  { weight: 2, arbitrary: specialFilesCase },
);
