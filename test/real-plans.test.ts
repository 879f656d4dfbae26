/**
 * Plans made by the real thing (scripts/real-plans.sh): OpenTofu with the real AWS provider, offline,
 * for the repository's own configurations. They hold the `.tf` loader to Terraform's evaluation and the
 * rules to what the provider really plans: the same resources, every value the `.tf` loader knows equal
 * to the plan's, every path it calls unknown unknown in the plan too, and the same findings.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateTfStack } from "../bench/generate-tf";
import { loadInput } from "../src/load";
import type { ModelResource } from "../src/model";
import { modelAttributes } from "../src/rules";
import { checkJson } from "./helpers";

const ROOT = join(__dirname, "..", "..");
const PLANS = join(ROOT, "test", "fixtures", "real-plans");
const MIRROR = process.env.AWS_PROVIDER_MIRROR ?? "/opt/tf-plugins";

type Json = Record<string, unknown>;

/** Each plan, the .tf directory it was made from, and the hand-written plan of the same configuration. */
const CASES: Array<{ plan: string; tf: () => string; handWritten?: string; clean?: boolean }> = [
  { plan: "examples-broken", tf: () => "examples/broken", handWritten: "examples/broken/plan.json" },
  { plan: "examples-fixed", tf: () => "examples/fixed", handWritten: "examples/fixed/plan.json", clean: true },
  ...["basic", "complete", "existing-web-acl", "s3-logs"].map((e) => ({ plan: `module-${e}`, tf: () => `modules/waf-api-gateway/examples/${e}`, clean: true })),
  { plan: "block-expansion", tf: () => "test/fixtures/real-plan-configs/block-expansion" },
  { plan: "bench-stack", tf: () => benchStack() },
];

let stack: string | undefined;
/** The benchmark's generated stack as scripts/real-plans.sh planned it (the generator is deterministic). */
function benchStack(): string {
  if (!stack) {
    stack = mkdtempSync(join(tmpdir(), "wafguard-bench-stack-"));
    generateTfStack(stack, 4, 24);
  }
  return stack;
}

const setPaths = (JSON.parse(readFileSync(join(PLANS, "provider-sets.json"), "utf8")) as { sets: Record<string, string[]> }).sets;
const findingsOf = (path: string) => checkJson(path).findings.map((f) => `${f.rule} ${f.severity} ${f.address}`).sort();

describe("real plans: OpenTofu and the AWS provider plan the repository's configurations", function () {
  this.timeout(120000);
  after(() => stack && rmSync(stack, { recursive: true, force: true }));

  it("every committed plan has a case here, and each was made by the real provider", () => {
    const files = readdirSync(PLANS).filter((f) => f.endsWith(".json") && f !== "provider-sets.json");
    assert.deepEqual(files.map((f) => f.replace(/\.json$/, "")).sort(), CASES.map((c) => c.plan).sort());
    for (const f of files) {
      const plan = JSON.parse(readFileSync(join(PLANS, f), "utf8")) as { terraform_version: string; resource_changes: Array<{ provider_name: string }> };
      assert.equal(plan.terraform_version, "1.10.10", f);
      assert.ok(plan.resource_changes.length > 0 && plan.resource_changes.every((rc) => rc.provider_name === "registry.terraform.io/hashicorp/aws"), f);
    }
  });

  for (const c of CASES) {
    describe(c.plan, () => {
      const plan = join(PLANS, `${c.plan}.json`);

      it(`gives the same findings as its .tf files${c.handWritten ? " and the hand-written plan" : ""}`, () => {
        const real = findingsOf(plan);
        assert.deepEqual(findingsOf(c.tf()), real);
        if (c.handWritten) assert.deepEqual(findingsOf(c.handWritten), real);
        if (c.clean) assert.deepEqual(real.filter((f) => !/ info /.test(f)), [], "the module's defaults and the fixed example pass wafguard");
        else assert.ok(real.length > 0);
      });

      it("the .tf loader builds the resources the plan has, with the values and unknowns Terraform gives them", () => {
        const planned = byAddress(loadInput(plan).model.resources);
        const evaluated = byAddress(loadInput(c.tf()).model.resources);
        assert.deepEqual([...evaluated.keys()].sort(), [...planned.keys()].sort());
        const problems: string[] = [];
        for (const [address, r] of evaluated) {
          const p = planned.get(address)!;
          if (r.action !== p.action) problems.push(`${address}: action ${r.action}, planned ${p.action}`);
          const sets = new Set(setPaths[r.type] ?? []);
          within(comparable(r), comparable(p), address, "", sets, problems);
          const plannedUnknown = p.unknown.map((u) => unindexSets(u, sets));
          const keep = modelAttributes().get(r.type);
          for (const u of r.unknown.filter((x) => !keep || keep.has(x.split(".")[0])).map((x) => unindexSets(x, sets))) {
            if (!plannedUnknown.some((x) => x === u || u.startsWith(`${x}.`))) problems.push(`${address}: ${u} is unknown to the .tf loader but known in the plan`);
          }
        }
        assert.deepEqual(problems, []);
      });
    });
  }

  it("@slow the committed plans are what scripts/real-plans.sh makes today", function () {
    const tofu = join(ROOT, ".tools", "bin", "tofu");
    if (!existsSync(tofu) || !existsSync(join(MIRROR, "registry.terraform.io", "hashicorp", "aws"))) {
      console.log(`      (skipped: needs ${tofu} and the AWS provider in ${MIRROR}; set AWS_PROVIDER_MIRROR)`);
      this.skip();
    }
    this.timeout(600000);
    const out = mkdtempSync(join(tmpdir(), "wafguard-real-plans-"));
    try {
      const r = spawnSync("bash", [join(ROOT, "scripts", "real-plans.sh"), out], { cwd: ROOT, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      const made = readdirSync(out).sort();
      assert.deepEqual(made, readdirSync(PLANS).sort());
      for (const f of made) {
        // What differs from run to run: the time of the plan, and the order of relevant_attributes.
        const strip = (text: string) => {
          if (f === "provider-sets.json") return text;
          const plan = JSON.parse(text) as Json & { relevant_attributes?: unknown[] };
          return JSON.stringify({ ...plan, timestamp: undefined, relevant_attributes: plan.relevant_attributes?.map((a) => JSON.stringify(a)).sort() });
        };
        assert.equal(strip(readFileSync(join(out, f), "utf8")), strip(readFileSync(join(PLANS, f), "utf8")), `${f} differs: run bash scripts/real-plans.sh and commit`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

function byAddress(resources: ModelResource[]): Map<string, ModelResource> {
  return new Map(resources.map((r) => [r.address, r]));
}

/** The attributes rules read (the plan loader keeps no others), nulls and empty blocks left out. */
function comparable(r: ModelResource): unknown {
  const keep = modelAttributes().get(r.type);
  const values: Json = {};
  for (const [k, v] of Object.entries(r.values)) if (!keep || keep.has(k)) values[k] = v;
  return prune(values) ?? {};
}

function prune(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(prune);
    return items.length ? items : undefined;
  }
  if (v !== null && typeof v === "object") {
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) {
      const p = prune(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null ? undefined : v;
}

/**
 * Whether every value of `tf` is in `plan` (the plan adds the provider's defaults: `version = ""`,
 * `tags_all`, `timeout_milliseconds`). Elements of set-typed blocks are matched in any order.
 */
function within(tf: unknown, plan: unknown, address: string, path: string, sets: ReadonlySet<string>, problems: string[]): void {
  if (JSON.stringify(tf) === JSON.stringify(plan)) return;
  const blockPath = path.replace(/\.\d+/g, "").replace(/^\./, "");
  if (Array.isArray(tf) && Array.isArray(plan)) {
    if (tf.length !== plan.length) problems.push(`${address}${path}: ${tf.length} elements, planned ${plan.length}`);
    else if (sets.has(blockPath)) {
      const unused = [...plan];
      for (const item of tf) {
        const i = unused.findIndex((p) => {
          const found: string[] = [];
          within(item, p, address, path, sets, found);
          return found.length === 0;
        });
        if (i < 0) problems.push(`${address}${path}: ${JSON.stringify(item)} is not in the planned set`);
        else unused.splice(i, 1);
      }
    } else tf.forEach((item, i) => within(item, plan[i], address, `${path}.${i}`, sets, problems));
    return;
  }
  if (tf && plan && typeof tf === "object" && typeof plan === "object" && !Array.isArray(plan)) {
    for (const [k, v] of Object.entries(tf)) within(v, (plan as Json)[k], address, `${path}.${k}`, sets, problems);
    return;
  }
  problems.push(`${address}${path}: ${JSON.stringify(tf)}, planned ${JSON.stringify(plan)}`);
}

/** An unknown path with the index of each set-typed block as `*`: sets have no order to compare. */
function unindexSets(path: string, sets: ReadonlySet<string>): string {
  const parts = path.split(".");
  const names: string[] = [];
  return parts
    .map((part) => {
      if (/^\d+$/.test(part)) return sets.has(names.join(".")) ? "*" : part;
      names.push(part);
      return part;
    })
    .join(".");
}
