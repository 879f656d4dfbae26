/**
 * `--format junit`: one test suite per input; one test case per rule and resource that has a
 * finding (a failure when it is at or above --fail-on, skipped when waived), and one passing test
 * case per rule without findings, so CI shows what was checked.
 */
import type { CheckResult, FailOn, Finding } from "../check";
import { allRules, SEVERITY_RANK } from "../rules";

export function formatJunit(result: CheckResult, failOn: FailOn): string {
  const rules = allRules();
  const suites = result.inputs.map((input) => {
    const findings = result.findings.filter((f) => f.input === input.path);
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    for (const rule of rules) {
      const own = findings.filter((f) => f.rule === rule.id);
      if (own.length === 0) {
        cases.push(`    <testcase classname="wafguard.${rule.area}" name="${esc(`${rule.id} ${rule.title}`)}"/>`);
        continue;
      }
      for (const [address, group] of groupBy(own, (f) => f.address)) {
        const name = esc(`${rule.id} ${address}`);
        const text = esc(group.map((f) => `${f.severity}: ${f.message}\nsymptom: ${f.symptom}`).join("\n") + `\n\nfix:\n${group[0].fix}`);
        if (group.every((f) => f.waived)) {
          skipped++;
          cases.push(`    <testcase classname="wafguard.${rule.area}" name="${name}"><skipped message="${esc(`waived: ${group[0].waived?.reason ?? ""}`)}"/></testcase>`);
        } else if (group.some((f) => !f.waived && failing(f, failOn))) {
          failures++;
          const first = group.find((f) => !f.waived) ?? group[0];
          cases.push(`    <testcase classname="wafguard.${rule.area}" name="${name}"><failure type="${first.severity}" message="${esc(first.message)}">${text}</failure></testcase>`);
        } else {
          cases.push(`    <testcase classname="wafguard.${rule.area}" name="${name}"><system-out>${text}</system-out></testcase>`);
        }
      }
    }
    return `  <testsuite name="${esc(input.path)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="wafguard">\n${suites.join("\n")}\n</testsuites>\n`;
}

function failing(f: Finding, failOn: FailOn): boolean {
  return failOn !== "never" && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn];
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** XML text and attribute escaping; characters XML 1.0 cannot carry are dropped. */
function esc(s: string): string {
  return s
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
