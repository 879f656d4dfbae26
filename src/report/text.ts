/** `--format text`: for a person at a terminal. Findings grouped by resource, worst first. */
import { summarize, type CheckResult, type Finding } from "../check";
import { SEVERITY_RANK } from "../rules";
import { formatLocation } from "./locations";
import { resourcesChecked, rulesChecked, waivedBy } from "./coverage";
import { TRAFFIC_COLUMNS, trafficCaption, trafficRows } from "./traffic-table";
import type { FindingTraffic } from "../findings";

export interface TextOptions {
  color: boolean;
}

const COLORS = { error: "\x1b[31m", warning: "\x1b[33m", info: "\x1b[36m", dim: "\x1b[2m", bold: "\x1b[1m", reset: "\x1b[0m" };

export function formatText(result: CheckResult, options: TextOptions): string {
  const paint = (code: keyof typeof COLORS, s: string) => (options.color ? `${COLORS[code]}${s}${COLORS.reset}` : s);
  const lines: string[] = [];
  const s = summarize(result.findings);
  for (const input of result.inputs) {
    const findings = result.findings.filter((f) => f.input === input.path);
    lines.push(paint("bold", `${input.path}`) + paint("dim", ` (${input.kind}, ${input.resources} resources, ${input.checked} checked)`));
    if (findings.length === 0) {
      lines.push("  no findings", "");
      continue;
    }
    for (const [address, group] of groupByAddress(findings)) {
      const where = group[0].location ? paint("dim", `  ${formatLocation(group[0].location)}`) : "";
      lines.push("", `  ${paint("bold", address)}${where}`);
      for (const f of group) {
        const label = f.waived ? paint("dim", "waived ") : paint(f.severity, f.severity.padEnd(7));
        lines.push(`    ${label} ${f.rule}  ${f.message}`);
        lines.push(paint("dim", `            symptom: ${f.symptom} · ${f.title}`));
        if (f.traffic?.by_rule?.length) lines.push(...trafficTable(f.rule, f.traffic));
        if (f.waived) lines.push(paint("dim", `            ${waivedBy(f)}`));
        else lines.push(...indentFix(f.fix).map((l) => paint("dim", l)));
      }
    }
    lines.push("");
  }
  for (const n of result.notices ?? []) lines.push(`${paint("info", "notice ")} ${n.message}`, "");
  const baselined = result.baselined ? `, ${result.baselined} in the baseline (not shown)` : "";
  const verdict = `${s.error} error${s.error === 1 ? "" : "s"}, ${s.warning} warning${s.warning === 1 ? "" : "s"}, ${s.info} info` + (s.waived ? `, ${s.waived} waived` : "") + baselined;
  lines.push(verdict + (result.findings.length ? paint("dim", " · wafguard explain <RULE> for how to confirm and why the fix works") : ""));
  lines.push("", paint("dim", `Checked ${rulesChecked(result)} on:`));
  for (const input of result.inputs) lines.push(paint("dim", `  ${input.path}: ${resourcesChecked(input)}`));
  return lines.join("\n") + "\n";
}

function groupByAddress(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  const worst = (list: Finding[]) => Math.max(...list.map((f) => SEVERITY_RANK[f.severity]));
  for (const f of findings) {
    const list = groups.get(f.address);
    if (list) list.push(f);
    else groups.set(f.address, [f]);
  }
  return new Map([...groups].sort((a, b) => worst(b[1]) - worst(a[1]) || (a[0] < b[0] ? -1 : 1)));
}

function indentFix(fix: string): string[] {
  const [first, ...rest] = fix.split("\n");
  return [`            fix: ${first}`, ...rest.map((l) => `                 ${l}`)];
}

/** Columns padded to their widest cell; numbers right-aligned. */
function trafficTable(rule: string, traffic: FindingTraffic): string[] {
  const rows = [[...TRAFFIC_COLUMNS], ...trafficRows(traffic)];
  const widths = TRAFFIC_COLUMNS.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const numeric = (c: number) => c >= 4;
  const line = (r: string[]) => r.map((cell, c) => (numeric(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ").trimEnd();
  return [`            ${trafficCaption(rule, traffic)}:`, ...rows.map((r) => `              ${line(r)}`)];
}
