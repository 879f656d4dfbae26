/** One traffic measurement in a fresh process: read the logs and replay them against the plan. */
import { loadInputAsync, readWafLogs, replayChange } from "../src";

async function main() {
  const [plan, ...files] = process.argv.slice(2);
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const model = (await loadInputAsync(plan!)).model;
  const report = await replayChange(model, readWafLogs(files));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const s = report.acls.get("aws_wafv2_web_acl.api");
  process.stdout.write(
    JSON.stringify({ ms, cpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024, records: report.records, detail: { newly_blocked: s?.newly_blocked, uncertain: s?.uncertain, unmatched: report.unmatched.length } }) + "\n",
  );
}

void main();
