/**
 * What the evaluator needs of one web ACL, taken from the Model: the ACL's values on one side of the plan
 * (`before`: the ACL that wrote the logs; `after`: the planned one) and the IP sets, regex pattern sets and
 * rule groups its statements reference, by ARN and by Terraform address (the Model's edges resolve
 * references whose ARN is not known until apply).
 */

import { decodeRuleJson } from "../load/rule-json";
import type { Model, ModelResource } from "../model";

export interface AclConfig {
  /** Terraform address of the aws_wafv2_web_acl */
  address: string;
  name: string;
  scope: string;
  arn?: string;
  /** the web ACL's values, plan shape (blocks as arrays of objects); `rule` includes decoded `rule_json` */
  values: Record<string, unknown>;
  /** keyed by ARN or by Terraform address (edges) */
  ipSets: Map<string, Record<string, unknown>>;
  regexPatternSets: Map<string, Record<string, unknown>>;
  /** aws_wafv2_rule_group values */
  ruleGroups: Map<string, Record<string, unknown>>;
  /** Referenced resource address by the referencing attribute's indexed path (`rule.0.statement.0...arn`). */
  references: Map<string, string>;
  /**
   * Body bytes the protected resource forwards to WAF: 16 KB for API Gateway and CloudFront unless
   * association_config raises it (AWS WAF API Reference, "RequestBodyAssociatedResourceTypeConfig":
   * "The default size is 16 KB (16,384 bytes)"; 8 KB fixed only for ALB and AppSync). This is the limit of
   * the scope's usual resource (API Gateway for REGIONAL, CloudFront); see bodyInspectionLimits.
   */
  bodyInspectionLimitBytes: number;
  /** The association_config limits of the other resource types, by their log name (httpSourceName). */
  bodyInspectionLimitsBySource?: Record<string, number>;
}

export const DEFAULT_BODY_INSPECTION_LIMIT = 16 * 1024;

const REFERENCED_TYPES: Record<string, "ipSets" | "regexPatternSets" | "ruleGroups"> = {
  aws_wafv2_ip_set: "ipSets",
  aws_wafv2_regex_pattern_set: "regexPatternSets",
  aws_wafv2_rule_group: "ruleGroups",
};

export function aclFromModel(model: Model, address: string, which: "before" | "after"): AclConfig | null {
  const acl = model.resources.find((r) => r.address === address && r.type === "aws_wafv2_web_acl");
  if (!acl) return null;
  const raw = side(acl, which);
  if (!raw) return null;
  const values: Record<string, unknown> = { ...raw, rule: rulesOf(acl, raw, which) };
  const config: AclConfig = {
    address,
    name: typeof values.name === "string" ? values.name : acl.name,
    scope: typeof values.scope === "string" ? values.scope : "REGIONAL",
    values,
    ipSets: new Map(),
    regexPatternSets: new Map(),
    ruleGroups: new Map(),
    references: new Map(),
    bodyInspectionLimitBytes: bodyLimit(values),
    bodyInspectionLimitsBySource: bodyLimitsBySource(values),
  };
  if (typeof values.arn === "string") config.arn = values.arn;
  for (const r of model.resources) {
    const kind = REFERENCED_TYPES[r.type];
    if (!kind) continue;
    const v = side(r, which) ?? r.values;
    config[kind].set(r.address, v);
    if (typeof v.arn === "string") config[kind].set(v.arn, v);
  }
  for (const edges of Object.values(model.edges_out[address] ?? {})) {
    for (const e of edges) if (!e.ambiguous) config.references.set(e.path, e.to);
  }
  // A rule group's own references, prefixed with its address (the evaluator compiles its rules in place).
  for (const r of model.resources) {
    if (r.type !== "aws_wafv2_rule_group") continue;
    for (const edges of Object.values(model.edges_out[r.address] ?? {})) {
      for (const e of edges) if (!e.ambiguous) config.references.set(`${r.address}:${e.path}`, e.to);
    }
  }
  return config;
}

function side(r: ModelResource, which: "before" | "after"): Record<string, unknown> | null {
  if (which === "before") return r.before;
  return r.action === "delete" ? null : r.values;
}

function rulesOf(acl: ModelResource, values: Record<string, unknown>, which: "before" | "after"): unknown[] {
  const inline = Array.isArray(values.rule) ? values.rule : [];
  let decoded: unknown[] | null | undefined = which === "after" ? acl.decoded_rule_json : undefined;
  if (decoded === undefined && typeof values.rule_json === "string") decoded = decodeRuleJson(values.rule_json);
  return decoded ? [...inline, ...decoded] : inline;
}

const LIMITS: Record<string, number> = { KB_16: 16384, KB_32: 32768, KB_48: 49152, KB_64: 65536 };

function bodyLimit(values: Record<string, unknown>): number {
  return configuredLimit(values, values.scope === "CLOUDFRONT" ? "cloudfront" : "api_gateway");
}

function configuredLimit(values: Record<string, unknown>, key: string): number {
  const limit = first(first(first(values, "association_config"), "request_body"), key)?.default_size_inspection_limit;
  return (typeof limit === "string" && LIMITS[limit]) || DEFAULT_BODY_INSPECTION_LIMIT;
}

/** association_config.request_body blocks by the httpSourceName of their resource type (logging-fields). */
const SOURCES: Record<string, string> = { COGNITOIDP: "cognito_user_pool", APPRUNNER: "app_runner_service" };

function bodyLimitsBySource(values: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [source, key] of Object.entries(SOURCES)) out[source] = configuredLimit(values, key);
  // Verified Access has its own setting; its httpSourceName is not documented (counted among the unknown).
  out["?verified_access_instance"] = configuredLimit(values, "verified_access_instance");
  return out;
}

/**
 * The body inspection limits that may apply to a request from `source` (the record's httpSourceName): AWS WAF
 * Developer Guide, "Considerations for managing body inspection"
 * (https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html): "For
 * Application Load Balancer and AWS AppSync, the limit is fixed at 8 KB"; CloudFront, API Gateway, Amazon
 * Cognito, App Runner and Verified Access default to 16 KB, raised by association_config. One value when the
 * source tells the resource type; for a regional web ACL's record without a known source, every regional one.
 */
export function bodyInspectionLimits(acl: AclConfig): (source: string | undefined) => readonly number[] {
  const fixed = [ALB_APPSYNC_BODY_LIMIT];
  const own = [acl.bodyInspectionLimitBytes];
  const by = acl.bodyInspectionLimitsBySource ?? {};
  const known = new Map<string, readonly number[]>([
    ["ALB", fixed],
    ["APPSYNC", fixed],
    [acl.scope === "CLOUDFRONT" ? "CF" : "APIGW", own],
  ]);
  for (const [source, limit] of Object.entries(by)) if (!source.startsWith("?")) known.set(source, [limit]);
  const unknown: readonly number[] = acl.scope === "CLOUDFRONT" ? own : [...new Set([...fixed, ...own, ...Object.values(by)])];
  return (source) => (source !== undefined && known.get(source)) || unknown;
}

export const ALB_APPSYNC_BODY_LIMIT = 8 * 1024;

/** The first object of a nested block (plan shape: blocks are arrays of objects). */
export function first(v: Record<string, unknown> | undefined, key: string): Record<string, unknown> | undefined {
  const b = v?.[key];
  if (Array.isArray(b)) return b[0] !== null && typeof b[0] === "object" ? (b[0] as Record<string, unknown>) : undefined;
  if (b !== null && typeof b === "object") return b as Record<string, unknown>;
  return undefined;
}
