/**
 * The Model: the one shape every input kind is loaded into, and the `input` document that the Rego
 * policies see. See DESIGN.md, "The Model".
 */

import { decodeRuleJson } from "./load/rule-json";
import { setOwn } from "./own-property";

export type Action = "create" | "update" | "delete" | "replace" | "no-op" | "read";

export type InputKind = "plan" | "hcl" | "cdktf";

export interface SourceLocation {
  file: string;
  line?: number;
  /** CDKTF: the construct path from the `//` metadata. */
  construct?: string;
}

export interface ModelResource {
  /** Instance address as Terraform prints it: `module.api["eu"].aws_api_gateway_stage.prod[0]`. */
  address: string;
  type: string;
  name: string;
  /** Module instance path, "" for the root module. */
  module: string;
  index: number | string | null;
  mode: "managed" | "data";
  /** Provider configuration key: `aws`, `aws.west`, `module.api:aws`. */
  provider: string;
  region: string | null;
  /** Attribute values; nested blocks are arrays of objects, as in plan JSON. Unknown values are absent. */
  values: Record<string, unknown>;
  /** Dotted paths (`rule.0.statement`) of values not known until apply. */
  unknown: string[];
  action: Action;
  /** Values before this plan, where the plan has them. */
  before: Record<string, unknown> | null;
  /** `lifecycle` where the input shows it (.tf and CDKTF; plan JSON does not). */
  lifecycle?: { ignore_changes: string[] };
  /** .tf: its count/for_each (or its module's) is not known before apply, so it may not be created. */
  conditional?: true;
  /** Web ACLs: the rules of `rule_json`, decoded into the provider's block shape (see load/rule-json.ts). */
  decoded_rule_json?: unknown[];
  source?: SourceLocation;
}

export interface Edge {
  from: string;
  /** Dotted attribute path of `from`, without block indexes: `rule.statement.ip_set_reference_statement.arn`. */
  attribute: string;
  /** The same path with block indexes: `rule.0.statement.0.ip_set_reference_statement.0.arn`. */
  path: string;
  to: string;
  /** The attribute of `to` that is referenced (`arn`, `id`, `execution_arn`), where known. */
  to_attribute: string | null;
  /** `reference`: from the configuration's expressions; `value`: a known ARN equal to `to`'s ARN. */
  kind: "reference" | "value";
  /** Set when `to` is one of several count/for_each instances and the right one could not be told. */
  ambiguous?: true;
}

/** Edges by one end, then by attribute: `edges_out[from][attribute]`, `edges_in[to][attribute]`. */
export type EdgeIndex = Record<string, Record<string, Edge[]>>;

export interface Model {
  resources: ModelResource[];
  edges: Edge[];
  /** Indexes of `edges`, so that a rule finds a resource's links by lookup, not by scanning. */
  edges_out: EdgeIndex;
  edges_in: EdgeIndex;
  /** User options the rules read (thresholds), by name. */
  options: Record<string, unknown>;
  /**
   * .tf: resources (instance addresses) handed to modules that could not be read (not
   * downloaded): what such a module does with them is unknown, so rules must not assume it does nothing.
   */
  unread_module_references?: string[];
}

export interface LoadedInput {
  path: string;
  kind: InputKind;
  model: Model;
  /** Resources in the input before filtering to the types rules read. */
  resourceCount: number;
  /**
   * CDKTF output with several stacks: one Model per stack, evaluated separately (stacks are separate
   * configurations, so the same address can be in two of them). `model` is then all of them, for display.
   */
  stackModels?: Model[];
  /** What could not be read (a module not downloaded): shown as notices and in the JSON report. */
  notes?: string[];
}

/** Deeper than any provider schema nests: what lies below is cut, so hostile input cannot exhaust a stack. */
const MAX_VALUE_DEPTH = 48;

export function makeModel(resources: ModelResource[], edges: Edge[]): Model {
  for (const r of resources) {
    r.values = capDepth(r.values, 0, "", r.unknown) as Record<string, unknown>;
    if (r.before) r.before = capDepth(r.before, 0, "", []) as Record<string, unknown>;
    if (r.type === "aws_wafv2_web_acl" && typeof r.values.rule_json === "string") {
      const decoded = decodeRuleJson(r.values.rule_json);
      if (decoded) r.decoded_rule_json = decoded;
    }
  }
  return { resources, edges, edges_out: indexEdges(edges, "from"), edges_in: indexEdges(edges, "to"), options: {} };
}

function indexEdges(edges: Edge[], end: "from" | "to"): EdgeIndex {
  const index: EdgeIndex = Object.create(null) as EdgeIndex;
  for (const e of edges) {
    const byAttribute = (index[e[end]] ??= Object.create(null) as Record<string, Edge[]>);
    (byAttribute[e.attribute] ??= []).push(e);
  }
  return index;
}

function capDepth(value: unknown, depth: number, path: string, cut: string[]): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_VALUE_DEPTH) {
    cut.push(path);
    return null;
  }
  if (Array.isArray(value)) return value.map((v, i) => capDepth(v, depth + 1, `${path}.${i}`, cut));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    setOwn(out, k, capDepth(v, depth + 1, path ? `${path}.${k}` : k, cut));
  }
  return out;
}
