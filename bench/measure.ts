/** One measurement in a fresh process: `baseline` (read + JSON.parse) or `wafguard` (the whole check). */
import { readFileSync } from "node:fs";
import { check } from "../src";

async function main() {
  const [mode, path] = process.argv.slice(2);
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let detail = "";
  if (mode === "baseline") {
    const doc = JSON.parse(readFileSync(path, "utf8")) as { resource_changes: unknown[] };
    detail = `${doc.resource_changes.length} resources`;
  } else {
    const result = await check([path]);
    detail = `${result.findings.length} findings`;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, detail }) + "\n");
}

void main();
