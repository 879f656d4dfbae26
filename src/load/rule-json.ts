/**
 * `rule_json` holds web ACL rules in the WAF API's JSON (PascalCase keys, objects for blocks). Rules
 * read the provider's shape (snake_case keys, blocks as arrays of objects), so the loader decodes it
 * once here and every rule checks those rules like inline ones (catalog WG802).
 */

import { setOwn } from "../own-property";

/** Provider block names that differ from the snake_case of the API's (plural) key. */
const RENAMED: Record<string, string> = {
  RuleActionOverrides: "rule_action_override",
  ExcludedRules: "excluded_rule",
  Statements: "statement",
  TextTransformations: "text_transformation",
  CustomKeys: "custom_key",
  RuleLabels: "rule_label",
  ResponseHeaders: "response_header",
  InsertHeaders: "insert_header",
  Conditions: "condition",
  Filters: "filter",
};

export function decodeRuleJson(text: string): unknown[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  return parsed.map((rule) => toProviderShape(rule, 0));
}

function toProviderShape(value: unknown, depth: number): unknown {
  if (depth > 64) return null;
  if (Array.isArray(value)) return value.map((v) => toProviderShape(v, depth + 1));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const converted = toProviderShape(v, depth + 1);
    // An object value is a nested block: the provider gives blocks as arrays of one object.
    const asBlock = converted !== null && typeof converted === "object" && !Array.isArray(converted) ? [converted] : converted;
    setOwn(out, RENAMED[key] ?? snakeCase(key), asBlock);
  }
  return out;
}

/** `IPSetReferenceStatement` → `ip_set_reference_statement`, `CloudWatchMetricsEnabled` → `cloudwatch_metrics_enabled`. */
export function snakeCase(key: string): string {
  return key
    .replace(/CloudWatch/g, "Cloudwatch")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
}
