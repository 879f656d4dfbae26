/**
 * The traffic benchmark: generated gzip WAF logs replayed against a plan with a 6-rule web ACL, in a fresh
 * Node process pinned to one core (taskset, where present), against `zcat FILES | wc -l` on the same files.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { generateTrafficLogs, writeTrafficPlan } from "./generate-traffic";

const OUT = join(__dirname, "..", "..", "bench", "out");
const RUNS = 2;

const pin = (): string[] => (spawnSync("taskset", ["--version"]).status === 0 ? ["taskset", "-c", "0"] : []);

function run(cmd: string[]): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed: ${r.stderr}`);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, stdout: r.stdout };
}

/** Wall and CPU time (user + system, children included) of a shell pipeline, from bash's `time`. */
function shellTimes(script: string): { ms: number; cpuMs: number } {
  const r = spawnSync("bash", ["-c", `TIMEFORMAT="%R %U %S"; time (${script}) > /dev/null`], { encoding: "utf8" });
  const [real, user, sys] = r.stderr.trim().split("\n").pop()!.split(" ").map(Number);
  return { ms: real! * 1000, cpuMs: (user! + sys!) * 1000 };
}

export async function benchTraffic(mb: number): Promise<string> {
  const dir = join(OUT, `traffic-${mb}`);
  const plan = join(OUT, "traffic-plan.json");
  mkdirSync(OUT, { recursive: true });
  writeTrafficPlan(plan);
  const files = existsSync(join(dir, "done")) ? spawnSync("sh", ["-c", `ls ${dir}/*.gz`], { encoding: "utf8" }).stdout.trim().split("\n") : await generateTrafficLogs(dir, mb);
  spawnSync("touch", [join(dir, "done")]);
  const gzMb = files.reduce((n, f) => n + statSync(f).size, 0) / 1e6;
  let best: { ms: number; cpuMs: number; maxRssMb: number; records: number } | undefined;
  let zcat: { ms: number; cpuMs: number } | undefined;
  for (let i = 0; i < RUNS; i++) {
    const r = run([...pin(), process.execPath, join(__dirname, "measure-traffic.js"), plan, ...files]);
    const s = JSON.parse(r.stdout) as { ms: number; cpuMs: number; maxRssMb: number; records: number };
    if (!best || s.cpuMs < best.cpuMs) best = s;
    const z = shellTimes(`${pin().join(" ")} sh -c 'zcat ${files.join(" ")} | wc -l'`);
    if (!zcat || z.cpuMs < zcat.cpuMs) zcat = z;
  }
  const b = best!;
  const z = zcat!;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const rows = [
    "| logs (uncompressed / gzip) | records | `zcat \\| wc -l` CPU | wafguard replay CPU (wall) | records per CPU-second | ratio to zcat | peak RSS |",
    "|---:|---:|---:|---:|---:|---:|---:|",
    `| ${mb.toLocaleString("en")} MB / ${gzMb.toFixed(0)} MB | ${b.records.toLocaleString("en")} | ${s(z.cpuMs)} | ${s(b.cpuMs)} (${s(b.ms)}) | ${Math.round(b.records / (b.cpuMs / 1000)).toLocaleString("en")} | ${(b.cpuMs / z.cpuMs).toFixed(1)}× | ${b.maxRssMb.toFixed(0)} MB |`,
  ];
  return rows.join("\n") + "\n";
}
