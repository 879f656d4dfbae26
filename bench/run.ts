/**
 * The benchmark: generated plans of growing size in two shapes, wafguard's time and peak memory
 * against reading and JSON.parse of the same file, each in a fresh Node process, best of 3.
 *   npm run bench                        (mixed: 1k to 300k resources; lambda: 80 to 24k)
 *   npm run bench -- 1000 200000         (mixed plans of these sizes only)
 *   npm run bench -- lambda:8000         (a shape and a size)
 *   npm run bench -- traffic 5000        (traffic only: MB of uncompressed logs; see traffic.ts)
 * and a generated .tf stack (90 files, 1,200 resources), loaded and checked: the target is under 1 s.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { generatePlan, type PlanShape } from "./generate";
import { benchTraffic } from "./traffic";
import { generateTfStack } from "./generate-tf";

const OUT = join(__dirname, "..", "..", "bench", "out");
const RUNS = 3;
const DEFAULT = ["mixed:1000", "mixed:10000", "mixed:100000", "mixed:300000", "lambda:80", "lambda:800", "lambda:8000", "lambda:24000"];

interface Sample {
  ms: number;
  /** CPU time (user + system): what the check costs when the machine is shared. */
  cpuMs: number;
  maxRssMb: number;
}

/** Best of RUNS for each figure: the machine is shared, so the least disturbed run is the truest. */
function measure(mode: string, path: string): Sample {
  const runs: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, [join(__dirname, "measure.js"), mode, path], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout) as Sample);
  }
  return {
    ms: Math.min(...runs.map((s) => s.ms)),
    cpuMs: Math.min(...runs.map((s) => s.cpuMs)),
    maxRssMb: Math.min(...runs.map((s) => s.maxRssMb)),
  };
}

async function main() {
  if (process.argv[2] === "traffic") {
    process.stdout.write(await benchTraffic(Number(process.argv[3] ?? 256)));
    return;
  }
  const args = process.argv.slice(2);
  const cases = (args.length ? args : DEFAULT).map((a) => {
    const [shape, n] = a.includes(":") ? a.split(":") : ["mixed", a];
    return { shape: shape as PlanShape, n: Number(n) };
  });
  mkdirSync(OUT, { recursive: true });
  const rows: string[] = [
    "| plan | resources | size | read + JSON.parse | wafguard check | time ratio | CPU ratio | peak RSS (parse / wafguard) | memory ratio |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const { shape, n } of cases) {
    const path = join(OUT, `plan-${shape}-${n}.json`);
    await generatePlan(path, n, shape);
    const mb = statSync(path).size / 1e6;
    const base = measure("baseline", path);
    const wg = measure("wafguard", path);
    rows.push(
      `| ${shape} | ${n.toLocaleString("en")} | ${mb.toFixed(1)} MB | ${base.ms.toFixed(0)} ms | ${wg.ms.toFixed(0)} ms | ${(wg.ms / base.ms).toFixed(2)}× | ` +
        `${(wg.cpuMs / base.cpuMs).toFixed(2)}× | ${base.maxRssMb.toFixed(0)} / ${wg.maxRssMb.toFixed(0)} MB | ${(wg.maxRssMb / base.maxRssMb).toFixed(2)}× |`,
    );
    process.stderr.write(`${rows[rows.length - 1]}\n`);
  }
  const stack = join(OUT, "tf-stack");
  const written = generateTfStack(stack, 90, 1200);
  const tf = measure("wafguard", stack);
  rows.push("", "| .tf stack | files | resources | wafguard check (load + check) | CPU time | peak RSS |", "|---|---:|---:|---:|---:|---:|");
  rows.push(`| generated | 90 | ${written.toLocaleString("en")} | ${tf.ms.toFixed(0)} ms | ${tf.cpuMs.toFixed(0)} ms | ${tf.maxRssMb.toFixed(0)} MB |`);
  process.stdout.write(rows.join("\n") + "\n");
  if (args.length === 0) process.stdout.write("\n" + (await benchTraffic(256)));
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
