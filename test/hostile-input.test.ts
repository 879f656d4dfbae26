/**
 * Hostile input, property-based: random and mutated plan JSON, deep nesting, huge strings,
 * `__proto__` and `constructor` keys, non-UTF-8 bytes, numbers out of range, mangled .tf files.
 * The contract for every case: findings, or an input error (exit 2, one line); never another
 * exception, never prototype pollution.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { check, UsageError } from "../src";
import { planFixture, ROOT, runCli } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "wafguard-hostile-"));
let n = 0;

/** Checks `content` as a file (or, for .tf, a directory) and holds wafguard to the contract. */
async function holdsContract(content: string | Uint8Array, name = "plan.json"): Promise<void> {
  const caseDir = join(dir, String(n++));
  mkdirSync(caseDir);
  writeFileSync(join(caseDir, name), content);
  const path = name.endsWith(".tf") ? caseDir : join(caseDir, name);
  try {
    const result = await check([path]);
    assert.equal(result.inputs.length, 1);
  } catch (e) {
    if (!(e instanceof UsageError)) throw new Error(`not an input error: ${(e as Error).stack}`);
    assert.ok(!e.message.includes("\n"), `more than one line: ${e.message}`);
  }
}

const basePlan = JSON.parse(readFileSync(planFixture("wg701-block-with-allow-rule"), "utf8")) as Record<string, unknown>;
const hostileKeys = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "", "resource_changes", "change", "after", "type");
const hostileValues = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(1e308, -1e308, 2 ** 64, Number.MIN_VALUE, -0),
  fc.string({ minLength: 0, maxLength: 20 }).map((s) => s.repeat(5000)), // huge strings
  fc.integer({ min: 50, max: 1500 }).map((depth) => nested(depth)), // deep nesting (deeper: the CLI case below)
  fc.constantFrom("aws_wafv2_web_acl", "aws_api_gateway_stage", "aws_wafv2_ip_set", "arn:aws:apigateway:us-east-1::/restapis/x/stages/y"),
);

function nested(depth: number): unknown {
  let v: unknown = { rule: [] };
  for (let i = 0; i < depth; i++) v = i % 2 ? { statement: [v] } : [v];
  return v;
}

/** Replaces or adds a value somewhere in a copy of the plan, at a path chosen by the numbers. */
function mutate(doc: unknown, picks: number[], key: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(doc));
  let node: unknown = copy;
  for (const p of picks) {
    if (node === null || typeof node !== "object") break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const next = (node as Record<string, unknown>)[keys[p % keys.length]];
    if (next === null || typeof next !== "object") break;
    node = next;
  }
  if (node && typeof node === "object") Object.defineProperty(node, Array.isArray(node) ? String(picks[0] % 4) : key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

describe("hostile input", function () {
  this.timeout(300000);

  after(() => {
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(Object.prototype), []);
  });

  it("random JSON documents", async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), (v) => holdsContract(JSON.stringify(v))), { numRuns: 150 });
  });

  it("mutated plans: hostile keys and values anywhere", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), hostileKeys, hostileValues, async (picks, key, value) => {
        await holdsContract(JSON.stringify(mutate(basePlan, picks, key, value)));
      }),
      { numRuns: 250 },
    );
  });

  it("__proto__ and constructor keys in every resource do not pollute prototypes", async () => {
    const text = JSON.stringify(basePlan).replace(/"values":\{/g, '"values":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},');
    await holdsContract(text);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("truncated and byte-flipped plans, non-UTF-8 bytes", async () => {
    const bytes = readFileSync(planFixture("wg406-private-api-and-module"));
    await fc.assert(
      fc.asyncProperty(fc.nat(bytes.length - 1), fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), async (cut, flips) => {
        const copy = Buffer.from(bytes.subarray(0, Math.max(1, cut)));
        for (const [at, byte] of flips) if (at < copy.length) copy[at] = byte;
        await holdsContract(copy);
      }),
      { numRuns: 200 },
    );
  });

  it("random bytes", async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 2000 }), (b) => holdsContract(b)), { numRuns: 100 });
  });

  it("mangled .tf files: characters inserted, deleted and swapped", async () => {
    const tf = readFileSync(join(ROOT, "examples/broken/main.tf"), "utf8");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(tf.length), fc.constantFrom("", "{", "}", '"', "=", "${", "[", "\n", "#", "<<EOF\n", "\\", "\u0000", "dynamic \"x\" {")), { minLength: 1, maxLength: 5 }),
        async (edits) => {
          let text = tf;
          for (const [at, insert] of edits) text = text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + (insert === "" ? 1 : 0));
          await holdsContract(text, "main.tf");
        },
      ),
      { numRuns: 120 },
    );
  });

  it("a deeply nested plan through the CLI: exit 0, 1 or 2 with one line, no stack trace", () => {
    // 20,000 levels: built as text, since JSON.stringify itself cannot write it.
    const deep = `${'[{"statement":'.repeat(10000)}[]${"}]".repeat(10000)}`;
    const text = JSON.stringify(basePlan).replace('"rule":[', `"rule":[${deep},`);
    const path = join(dir, "deep.json");
    writeFileSync(path, text);
    const r = runCli(["check", path]);
    assert.ok([0, 1, 2].includes(r.status as number), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
  });
});
