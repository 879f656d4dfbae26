/**
 * The benchmark: plans of growing size, wafguard's time and peak memory against reading and
 * JSON.parse of the same file, each in a fresh Node process, best of several runs.
 *   npm run bench            (1k, 10k, 50k, 100k resources, then traffic on 256 MB of logs)
 *   npm run bench -- 1000 200000
 *   npm run bench -- traffic 5000   (traffic only: MB of uncompressed logs; see traffic.ts)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { generatePlan } from "./generate";
import { benchTraffic } from "./traffic";

const OUT = join(__dirname, "..", "..", "bench", "out");
const RUNS = 3;

interface Sample {
  ms: number;
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
  if (process.argv[2] === "traffic") {
    process.stdout.write(await benchTraffic(Number(process.argv[3] ?? 256)));
    return;
  }
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
  process.stdout.write(rows.join("\n") + "\n");
  if (sizes.length === 0) process.stdout.write("\n" + (await benchTraffic(256)));
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
