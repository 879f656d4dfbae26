/** What a run checked, for the end of the text and Markdown reports: a clean run shows its coverage. */
import type { CheckResult, Finding } from "../findings";
import { allRules } from "../rules";

/** `51 rules (all)`, `2 of 51 rules: WG301, WG406`, `50 of 51 rules (not WG406)`. */
export function rulesChecked(result: CheckResult): string {
  const all = allRules().map((r) => r.id);
  const evaluated = result.rules ?? all;
  if (evaluated.length === all.length) return `${all.length} rules (all)`;
  const skipped = all.filter((id) => !evaluated.includes(id));
  return evaluated.length <= skipped.length
    ? `${evaluated.length} of ${all.length} rules: ${evaluated.join(", ") || "none"}`
    : `${evaluated.length} of ${all.length} rules (not ${skipped.join(", ")})`;
}

/** Per input: `6 resources checked of 6: 1 aws_api_gateway_rest_api, 2 aws_api_gateway_stage`. */
export function resourcesChecked(input: CheckResult["inputs"][number]): string {
  const types = Object.entries(input.types ?? {}).map(([type, n]) => `${n} ${type}`);
  return `${input.checked} of ${input.resources} resources${types.length ? `: ${types.join(", ")}` : ""}`;
}

/** Where an inline suppression or waiver came from, for the reports. */
export function waivedBy(f: Finding): string {
  if (!f.waived) return "";
  return `${f.waived.inline ? `suppressed at ${f.waived.inline}` : "waived"}: ${f.waived.reason}${f.waived.expires ? ` (until ${f.waived.expires})` : ""}`;
}
