/** The rule catalog as extracted from the Rego `# METADATA` annotations (policies/build/rules.json). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { POLICY_DIR } from "./engine/policy";

export type Severity = "error" | "warning" | "info";

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  symptom: string;
  /** The troubleshooting guide's cause number. */
  cause: string;
  area: string;
  happens: string;
  confirm: string;
  fix: string;
  why: string;
  sources: string[];
}

interface RulesFile {
  rules: Rule[];
  modelTypes: string[];
  /** The `input.options` keys the policies read (scripts/extract-rules.mjs finds them). */
  options?: string[];
}

let cache: RulesFile | undefined;

function rulesFile(): RulesFile {
  cache ??= JSON.parse(readFileSync(join(POLICY_DIR, "rules.json"), "utf8")) as RulesFile;
  return cache;
}

export function allRules(): Rule[] {
  return rulesFile().rules;
}

export function findRule(id: string): Rule | undefined {
  return rulesFile().rules.find((r) => r.id === id.toUpperCase());
}

/** The resource types some rule reads: the only ones the loaders keep. */
export function modelTypes(): ReadonlySet<string> {
  return new Set(rulesFile().modelTypes);
}

/** The rule option keys (`--option KEY=VALUE`, `options:` in .wafguard.yml). */
export function ruleOptions(): string[] {
  return rulesFile().options ?? [];
}

/** The first key of `options` that no rule reads: a typo would otherwise be ignored silently. */
export function unknownOptionKey(options: Record<string, unknown>): string | undefined {
  const known = new Set(ruleOptions());
  return Object.keys(options).find((k) => !known.has(k));
}
