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
  /** Options the rule reads from `input.options`, declared in its METADATA (`custom.options`): name → description. */
  options?: Record<string, string>;
}

interface RulesFile {
  rules: Rule[];
  modelTypes: string[];
  modelAttributes: Record<string, string[]>;
  modelAttributesAlways: string[];
}

/** Per model type, the attributes the Model keeps of it; a type without an entry is kept whole. */
export type ModelAttributes = ReadonlyMap<string, ReadonlySet<string>>;

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

/** The attributes some rule reads, per type (`model_attributes` in policies/wafguard/lib/model.rego). */
export function modelAttributes(): ModelAttributes {
  const file = rulesFile();
  const out = new Map<string, ReadonlySet<string>>();
  for (const [type, names] of Object.entries(file.modelAttributes)) {
    if (!names.includes("*")) out.set(type, new Set([...names, ...file.modelAttributesAlways]));
  }
  return out;
}

/** Every option some rule declares, with the rules that read it. */
export function ruleOptions(): Map<string, { description: string; rules: string[] }> {
  const out = new Map<string, { description: string; rules: string[] }>();
  for (const rule of allRules()) {
    for (const [name, description] of Object.entries(rule.options ?? {})) {
      const entry = out.get(name) ?? out.set(name, { description, rules: [] }).get(name)!;
      entry.rules.push(rule.id);
    }
  }
  return out;
}

/**
 * What each numeric option may be. The rule's METADATA says what the option means and its default;
 * the range lives here, beside the check (a test holds every declared option to having one).
 */
export const OPTION_RANGES: Record<string, { min: number; max?: number; integer?: boolean; what: string }> = {
  "rate-threshold": { min: 1, integer: true, what: "a whole number of requests, at least 1" },
  "traffic-block-share": { min: 0, max: 1, what: "a share between 0 and 1, such as 0.001 for 0.1%" },
};

/** The reason `value` does not fit option `name`: a number in the option's range. */
export function optionValueProblem(name: string, value: unknown): string | undefined {
  const declared = /\(default (-?\d+(?:\.\d+)?)\)\s*$/.exec(ruleOptions().get(name)?.description ?? "");
  const range = OPTION_RANGES[name];
  if (!declared && !range) return undefined;
  const shown = typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
  const what = range?.what ?? "a number";
  const fits = typeof value === "number" && Number.isFinite(value) && (!range || (value >= range.min && (range.max === undefined || value <= range.max) && (!range.integer || Number.isInteger(value))));
  return fits ? undefined : `option "${name}" must be ${what}${declared ? ` (default ${declared[1]})` : ""}, not ${shown}`;
}

/** The reason `name` is not an option, naming the known ones; undefined when it is one. */
export function unknownOptionProblem(name: string): string | undefined {
  const known = ruleOptions();
  if (known.has(name)) return undefined;
  const list = [...known].map(([n, o]) => `${n} (${o.rules.join(", ")})`).join(", ");
  return `unknown option "${name}"; known options: ${list || "none"}`;
}
