/**
 * Hostile input is input (issue 17). Every case runs the real CLI as a process in a fresh temporary
 * directory, killed past 10 s or 1 GB, and must end in exit 0/1 with a report that parses (and an exit
 * status that agrees with its findings), or exit 2 with exactly one "wafguard: ..." line and no stack;
 * write nothing outside --output; and give the same bytes when run again. See test/fuzz/run-case.ts.
 *
 * - every known class of hostile input, one reproduction each (test/fuzz/classes.ts): none may reach
 *   the "internal error" path, hang or run out of memory;
 * - a short seeded run of generated cases (test/fuzz/generators.ts) in every `npm test`;
 * - a long one, thousands of cases, in CI (@slow). FUZZ_SEED and FUZZ_RUNS override both.
 */
import { strict as assert } from "node:assert";
import { existsSync, rmSync } from "node:fs";
import fc from "fast-check";
import { ESCAPED_OUTPUT, HOSTILE_CLASSES } from "./fuzz/classes";
import { fuzzCase } from "./fuzz/generators";
import { runCase, type FuzzCase } from "./fuzz/run-case";

/** Two at a time: CI runners have two cores. */
const CONCURRENCY = 2;

async function inPool<T>(items: T[], work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i], i);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

function describeCase(c: FuzzCase): string {
  const files = Object.entries(c.files).map(([path, entry]) => {
    if (typeof entry === "string" || entry instanceof Uint8Array) return `${path} (${entry.length} ${typeof entry === "string" ? "chars" : "bytes"}${entry.length < 300 ? `: ${JSON.stringify(typeof entry === "string" ? entry : Buffer.from(entry).toString("latin1"))}` : ""})`;
    return `${path} ${JSON.stringify(entry)}`;
  });
  return `${c.title}: wafguard ${JSON.stringify(c.args)}\n      files: ${files.join("; ")}`;
}

async function fuzz(seed: number, runs: number): Promise<void> {
  const cases = fc.sample(fuzzCase, { seed, numRuns: runs });
  const failures: string[] = [];
  let reports = 0;
  await inPool(cases, async (c, i) => {
    const { violations, first } = await runCase(c);
    if (first.status === 0 || first.status === 1) reports++;
    if (violations.length) failures.push(`case ${i} of seed ${seed}: ${violations.join("; ")}\n      ${describeCase(c)}`);
  });
  assert.deepEqual(failures, [], `${failures.length} of ${runs} cases broke the contract:\n${failures.join("\n")}`);
  // Mutations are meant to be near misses: a harness in which every case fails to load tests nothing.
  assert.ok(reports >= runs / 10, `only ${reports} of ${runs} cases got as far as a report`);
}

const seed = Number(process.env.FUZZ_SEED ?? 17);

describe("fuzz: hostile input", function () {
  this.timeout(20 * 60 * 1000);

  describe("every known class of hostile input ends in findings or one input-error line", () => {
    const results = new Map<string, Promise<string[]>>();
    before(async () => {
      rmSync(ESCAPED_OUTPUT, { force: true });
      // Run the classes two at a time up front; each `it` below reports its own.
      const settled = new Map<string, string[]>();
      await inPool(HOSTILE_CLASSES, async (c) => {
        const { violations, first } = await runCase(c);
        if (c.expect && !c.expect.test(`${first.stdout.toString("utf8")}${first.stderr}`)) violations.push(`the output does not match ${String(c.expect)}: ${first.stderr.trim().slice(0, 200)}`);
        settled.set(c.title, violations);
      });
      for (const [title, v] of settled) results.set(title, Promise.resolve(v));
    });
    for (const c of HOSTILE_CLASSES) {
      it(`${c.title}`, async () => {
        const violations = (await results.get(c.title)) ?? ["not run"];
        assert.deepEqual(violations, [], `${describeCase(c)}\n      ${violations.join("\n      ")}`);
      });
    }
    it("nothing was written through the --output symlink that points out of the case directory", () => {
      assert.equal(existsSync(ESCAPED_OUTPUT), false);
    });
  });

  it(`a short seeded run of generated cases (seed ${seed})`, async () => {
    await fuzz(seed, Number(process.env.FUZZ_RUNS ?? 120));
  });

  it(`@slow a long run of generated cases (seed ${seed + 1})`, async () => {
    await fuzz(seed + 1, Number(process.env.FUZZ_RUNS ?? 4000));
  });
});
