/**
 * The benchmark: plans of growing size, wafguard's time and peak memory against reading and
 * JSON.parse of the same file, each in a fresh Node process, best of several runs.
 *   npm run bench            (1k, 10k, 50k, 100k resources)
 *   npm run bench -- 1000 200000
 * and a generated .tf stack (90 files, 1,200 resources), loaded and checked: the target is under 1 s.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { generatePlan } from "./generate";
import { generateTfStack } from "./generate-tf";

const OUT = join(__dirname, "..", "..", "bench", "out");
const RUNS = 3;

interface Sample {
  ms: number;
  /** CPU time (user + system): what the check costs when the machine is shared. */
  cpuMs: number;
  maxRssMb: number;
}

function measure(mode: string, path: string): Sample {
  let best: Sample | undefined;
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, [join(__dirname, "measure.js"), mode, path], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
    const s = JSON.parse(r.stdout) as Sample;
    if (!best || s.ms < best.ms) best = s;
  }
  return best!;
}

async function main() {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  mkdirSync(OUT, { recursive: true });
  const rows: string[] = [
    "| resources | plan size | read + JSON.parse | wafguard check | ratio | peak RSS (parse / wafguard) |",
    "|---:|---:|---:|---:|---:|---:|",
  ];
  for (const n of sizes.length ? sizes : [1000, 10000, 50000, 100000]) {
    const path = join(OUT, `plan-${n}.json`);
    await generatePlan(path, n);
    const mb = statSync(path).size / 1e6;
    const base = measure("baseline", path);
    const wg = measure("wafguard", path);
    rows.push(`| ${n.toLocaleString("en")} | ${mb.toFixed(1)} MB | ${base.ms.toFixed(0)} ms | ${wg.ms.toFixed(0)} ms | ${(wg.ms / base.ms).toFixed(2)}× | ${base.maxRssMb.toFixed(0)} / ${wg.maxRssMb.toFixed(0)} MB |`);
    process.stderr.write(`${n} done\n`);
  }
  const stack = join(OUT, "tf-stack");
  const written = generateTfStack(stack, 90, 1200);
  const tf = measure("wafguard", stack);
  rows.push("", "| .tf stack | files | resources | wafguard check (load + check) | CPU time | peak RSS |", "|---|---:|---:|---:|---:|---:|");
  rows.push(`| generated | 90 | ${written.toLocaleString("en")} | ${tf.ms.toFixed(0)} ms | ${tf.cpuMs.toFixed(0)} ms | ${tf.maxRssMb.toFixed(0)} MB |`);
  process.stdout.write(rows.join("\n") + "\n");
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
