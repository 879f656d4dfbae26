/** `--format markdown`: a pull-request comment. A verdict, a short table, and the fixes folded away. */
import { summarize, type CheckResult, type Finding } from "../check";
import { findRule, SEVERITY_RANK } from "../rules";
import { formatLocation, ruleHelpUri } from "./locations";
import { resourcesChecked, rulesChecked, waivedBy } from "./coverage";
import { TRAFFIC_COLUMNS, trafficCaption, trafficRows } from "./traffic-table";
import type { FindingTraffic } from "../findings";

const ICON = { error: "🔴", warning: "🟠", info: "🔵" } as const;

export function formatMarkdown(result: CheckResult): string {
  const s = summarize(result.findings);
  const active = result.findings.filter((f) => !f.waived);
  const verdict =
    s.error > 0
      ? `❌ **wafguard**: ${s.error} error${s.error === 1 ? "" : "s"} would break the API or its protection`
      : s.warning > 0
        ? `⚠️ **wafguard**: no errors, ${s.warning} warning${s.warning === 1 ? "" : "s"}`
        : `✅ **wafguard**: no errors or warnings`;
  const baselined = result.baselined ? ` · ${result.baselined} in the baseline` : "";
  const counts = `${s.error} errors · ${s.warning} warnings · ${s.info} info${s.waived ? ` · ${s.waived} waived` : ""}${baselined} · ${result.inputs.map((i) => `\`${i.path}\``).join(", ")}`;
  const lines = [verdict, "", counts];
  if (active.length) {
    lines.push("", "| | Rule | Resource | Symptom |", "|---|---|---|---|");
    const worstFirst = [...active].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
    for (const f of worstFirst) lines.push(`| ${ICON[f.severity]} | [${f.rule}](${ruleHelpUri(f.rule)}) | \`${cell(f.address)}\`${where(f)} | ${f.symptom} |`);
    for (const [rule, group] of byRule(active)) {
      const meta = findRule(rule);
      lines.push("", `<details><summary><b>${rule}</b> · ${meta?.title ?? ""}</summary>`, "");
      for (const f of group) {
        lines.push(`- \`${f.address}\` ${escapeMd(f.message)}`);
        if (f.traffic?.by_rule?.length) lines.push(...trafficTable(f.rule, f.traffic));
      }
      lines.push("", "```", meta?.fix ?? group[0].fix, "```", "", `${meta?.why ?? ""}`, "", "</details>");
    }
  }
  const waived = result.findings.filter((f) => f.waived);
  if (waived.length) {
    lines.push("", `<details><summary>${waived.length} waived</summary>`, "");
    for (const f of waived) lines.push(`- ${f.rule} \`${f.address}\` ${escapeMd(waivedBy(f))}`);
    lines.push("", "</details>");
  }
  const notices = result.notices ?? [];
  if (notices.length) lines.push("", ...notices.map((n) => `ℹ️ ${escapeMd(n.message)}`));
  lines.push("", `<sub>Checked ${rulesChecked(result)} on ${result.inputs.map((i) => `\`${cell(i.path)}\` (${resourcesChecked(i)})`).join("; ")}.</sub>`);
  return lines.join("\n") + "\n";
}

function where(f: Finding): string {
  return f.location && (f.location.construct || f.location.line) ? ` (${cell(formatLocation(f.location))})` : "";
}

function byRule(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) (out.get(f.rule) ?? out.set(f.rule, []).get(f.rule)!).push(f);
  return out;
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/`/g, "'");
}

function escapeMd(s: string): string {
  return s.replace(/[<>]/g, (c) => (c === "<" ? "&lt;" : "&gt;"));
}

/** The "who breaks?" table under a traffic finding, indented into its list item; paths as code. */
function trafficTable(rule: string, traffic: FindingTraffic): string[] {
  const row = (cells: readonly string[], codeColumn = -1) =>
    `  | ${cells.map((c, i) => (i === codeColumn && c ? `\`${cell(c)}\`` : cell(escapeMd(c)))).join(" | ")} |`;
  return [
    "",
    `  ${escapeMd(trafficCaption(rule, traffic))}:`,
    "",
    row(TRAFFIC_COLUMNS.map((c) => c[0].toUpperCase() + c.slice(1))),
    `  |${TRAFFIC_COLUMNS.map((_, c) => (c >= 4 ? "--:" : "---")).join("|")}|`,
    ...trafficRows(traffic).map((r) => row(r, r[0] === "…" ? -1 : 3)),
  ];
}
