/** RULES.md, generated from the rules' Rego metadata: `wafguard rules --format markdown`. */
import { allRules } from "../rules";

const CAUSES: Record<string, string> = {
  "1": "rules blocking legitimate traffic",
  "2": "IP sets",
  "3": "rate-based rules",
  "4": "association and scope",
  "5": "body inspection",
  "6": "timeouts and capacity",
};

export function formatRulesDoc(): string {
  const rules = allRules();
  const lines = [
    "# wafguard rules",
    "",
    "<!-- Generated from the Rego # METADATA annotations by `wafguard rules --format markdown`; do not edit. -->",
    "",
    `${rules.length} rules. Each says what the user sees (symptom), what happens, how to confirm it, how to fix it, and why the fix works.`,
    "Severity: **error**, AWS rejects it or it provably breaks traffic or protection; **warning**, likely to block legitimate traffic or leave a block undiagnosable; **info**, hygiene, cost or a hint for triage.",
    "",
    "| ID | Severity | Symptom | Rule |",
    "|---|---|---|---|",
    ...rules.map((r) => `| [${r.id}](#${r.id.toLowerCase()}) | ${r.severity} | ${r.symptom} | ${r.title} |`),
  ];
  for (const r of rules) {
    lines.push(
      "",
      `## ${r.id}`,
      "",
      `**${r.title}** · ${r.severity} · symptom: ${r.symptom} · guide cause ${r.cause} (${CAUSES[r.cause] ?? ""})`,
      "",
      "**What happens.** " + r.happens.replace(/\n/g, " "),
      "",
      "**How to confirm it.** " + r.confirm.replace(/\n/g, " "),
      "",
      "**How to fix it.**",
      "",
      "```",
      r.fix,
      "```",
      "",
      "**Why the fix works.** " + r.why.replace(/\n/g, " "),
      "",
      "Sources: " + r.sources.map((s) => `<${s}>`).join(", "),
    );
    const options = Object.entries(r.options ?? {});
    if (options.length) lines.push("", "Options: " + options.map(([name, text]) => `\`--option ${name}=...\`: ${text}`).join("; "));
  }
  return lines.join("\n") + "\n";
}
