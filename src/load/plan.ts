/**
 * Plan JSON (`terraform show -json tfplan`, format 0.1 to 1.x) → Model. Reads `resource_changes`
 * (or `planned_values` when a plan has no changes list), keeps only the resource types the rules read,
 * and resolves edges from `configuration`.
 */
import { InputError } from "../errors";
import type { Action, ModelResource } from "../model";
import { formatKey, parseModuleAddress, type Key } from "./address";
import { emptyModule, findConfigResource, moduleAt, providerRegion, type ConfigModule, type ConfigReference, type Configuration } from "./config-references";
import { buildEdges } from "./edges";
import { makeModel, type Model } from "../model";
import type { ModelAttributes } from "../rules";
import { jsonKind } from "./json-file";

type Json = Record<string, unknown>;

export interface PlanLoadResult {
  model: Model;
  resourceCount: number;
}

/** Throws an InputError unless `doc` is a plan in a format version wafguard reads. */
export function assertPlan(path: string, doc: unknown): asserts doc is Json {
  if (!isObject(doc)) throw new InputError(path, "is JSON but not a Terraform plan (expected an object)");
  if (typeof doc.lineage === "string" && Array.isArray(doc.resources)) {
    throw new InputError(path, "is a Terraform state file, not a plan; run: terraform plan -out=tfplan && terraform show -json tfplan > plan.json");
  }
  if (typeof doc.format_version !== "string") {
    throw new InputError(path, "is JSON but not a Terraform plan (no format_version); expected the output of terraform show -json tfplan");
  }
  if ("values" in doc && !("planned_values" in doc) && !("resource_changes" in doc)) {
    throw new InputError(path, "is Terraform state (terraform show -json without a plan file), not a plan; run: terraform show -json tfplan > plan.json");
  }
  const m = /^(\d+)\.(\d+)$/.exec(doc.format_version);
  const major = m ? Number(m[1]) : -1;
  const minor = m ? Number(m[2]) : -1;
  // Terraform promises that minor versions of the plan format only add; 1.x is read whatever x is.
  if (!(major === 1 || (major === 0 && (minor === 1 || minor === 2)))) {
    throw new InputError(path, `has plan format_version "${doc.format_version}", which wafguard does not read (it reads 0.1, 0.2 and 1.x)`);
  }
  if (!("planned_values" in doc) && !("resource_changes" in doc)) {
    throw new InputError(path, "is a plan with neither planned_values nor resource_changes");
  }
}

/** Marks what the plan scanner leaves of a resource no rule reads: checked as JSON, not read. */
export const SKIMMED = Symbol("skimmed resource");

/**
 * Throws an InputError where the plan's resources are not what Terraform writes: JSON that no rule
 * could read must not pass as a plan without the resources it was meant to check.
 */
export function assertPlanResources(path: string, doc: Json, keepTypes: ReadonlySet<string>): void {
  const fail = (what: string) => {
    throw new InputError(path, `is not a Terraform plan as terraform show -json writes it: ${what}`);
  };
  const changes = doc.resource_changes;
  if (changes !== undefined && !Array.isArray(changes)) fail(`resource_changes is ${jsonKind(changes, true)}, not an array`);
  (changes as unknown[] | undefined)?.forEach((rc, i) => {
    if (!isObject(rc)) return fail(`resource_changes[${i}] is ${jsonKind(rc, true)}, not an object`);
    if (rc[SKIMMED as unknown as string]) return;
    const at = typeof rc.address === "string" ? rc.address : `resource_changes[${i}]`;
    if (typeof rc.type !== "string") return fail(rc.type === undefined ? `${at} has no type` : `${at} has type ${jsonKind(rc.type, true)}, not a string`);
    if (!keepTypes.has(rc.type)) return;
    if (typeof rc.address !== "string") return fail(`resource_changes[${i}] (${rc.type}) has no address`);
    if (!isObject(rc.change)) return fail(`${at}: change is ${jsonKind(rc.change, true)}, not an object`);
    for (const key of ["before", "after"] as const) {
      const v = rc.change[key];
      if (v !== undefined && v !== null && !isObject(v)) fail(`${at}: change.${key} is ${jsonKind(v, true)}, not an object or null`);
    }
    if (rc.change.actions !== undefined && !Array.isArray(rc.change.actions)) fail(`${at}: change.actions is ${jsonKind(rc.change.actions, true)}, not an array`);
  });
  const root = isObject(doc.planned_values) ? doc.planned_values.root_module : undefined;
  if (root !== undefined && !isObject(root)) fail(`planned_values.root_module is ${jsonKind(root, true)}, not an object`);
  if (isObject(root) && root.resources !== undefined && !Array.isArray(root.resources)) fail(`planned_values.root_module.resources is ${jsonKind(root.resources, true)}, not an array`);
  if (isObject(root) && Array.isArray(root.resources)) {
    root.resources.forEach((r, i) => {
      if (!isObject(r)) fail(`planned_values.root_module.resources[${i}] is ${jsonKind(r, true)}, not an object`);
      else if (!r[SKIMMED as unknown as string] && typeof r.type !== "string") fail(`planned_values.root_module.resources[${i}] has no type (a string)`);
    });
  }
}

/**
 * `attributes`: the attributes kept per type (null: all, to compare with the trimmed Model in tests).
 * `resourceChanges`: how many resource changes the plan had before streaming dropped irrelevant ones.
 */
export function planToModel(doc: Json, keepTypes: ReadonlySet<string>, attributes: ModelAttributes | null, resourceChanges?: number): PlanLoadResult {
  const moduleInstances = new Set<string>();
  const resources: ModelResource[] = [];
  let resourceCount = 0;
  const config = readConfiguration(doc, keepTypes, attributes);
  const makeResource = (rc: Json, values: Json, unknown: string[], action: Action, before: Json | null) => {
    const keep = attributes?.get(String(rc.type));
    return keep
      ? resourceOf(rc, pick(values, keep), unknown.filter((p) => keep.has(p.split(".")[0])), action, before && pick(before, keep), config)
      : resourceOf(rc, values, unknown, action, before, config);
  };

  const changes = doc.resource_changes;
  if (Array.isArray(changes)) {
    for (const rc of changes) {
      if (!isObject(rc)) continue;
      resourceCount++;
      if (typeof rc.module_address === "string") moduleInstances.add(rc.module_address);
      if (rc.deposed !== undefined || typeof rc.type !== "string" || !keepTypes.has(rc.type)) continue;
      const change = isObject(rc.change) ? rc.change : {};
      const action = actionOf(change.actions);
      const after = isObject(change.after) ? change.after : null;
      const before = isObject(change.before) ? change.before : null;
      resources.push(
        makeResource(rc, action === "delete" ? (before ?? {}) : (after ?? {}), unknownPaths(change.after_unknown), action, before),
      );
    }
  } else {
    walkPlannedModule(isObject(doc.planned_values) ? doc.planned_values.root_module : undefined, 0, (r) => {
      resourceCount++;
      if (typeof r.module_address === "string") moduleInstances.add(r.module_address);
      if (typeof r.type !== "string" || !keepTypes.has(r.type)) return;
      resources.push(makeResource(r, isObject(r.values) ? r.values : {}, [], "no-op", null));
    });
  }
  // Data sources read while planning are in prior_state, with their known values (existing
  // infrastructure that literal ARNs point at), and not always in resource_changes.
  const seen = new Set(resources.map((r) => r.address));
  walkPlannedModule(isObject(doc.prior_state) && isObject(doc.prior_state.values) ? doc.prior_state.values.root_module : undefined, 0, (r) => {
    if (r.mode !== "data" || typeof r.type !== "string" || !keepTypes.has(r.type) || seen.has(String(r.address))) return;
    resources.push(makeResource(r, isObject(r.values) ? r.values : {}, [], "read", null));
  });
  for (const r of resources) if (r.module) moduleInstances.add(r.module);
  const edges = buildEdges(resources, config, moduleInstances);
  return { model: makeModel(resources, edges), resourceCount: resourceChanges ?? resourceCount };
}

/** The attributes of `values` that are in `keep`, in their order. */
function pick(values: Json, keep: ReadonlySet<string>): Json {
  const out: Json = {};
  for (const k of Object.keys(values)) if (keep.has(k)) out[k] = values[k];
  return out;
}

function resourceOf(rc: Json, values: Json, unknown: string[], action: Action, before: Json | null, config: Configuration | null): ModelResource {
  const type = String(rc.type);
  const name = String(rc.name);
  const mode = rc.mode === "data" ? "data" : "managed";
  const module = typeof rc.module_address === "string" ? rc.module_address : "";
  const index = typeof rc.index === "number" || typeof rc.index === "string" ? rc.index : null;
  const moduleNames = parseModuleAddress(module).map((s) => s.name);
  const cfgResource = config ? findConfigResource(moduleAt(config, moduleNames), mode, type, name) : undefined;
  const provider = config ? providerRegion(config, moduleNames, cfgResource?.providerKey ?? null) : { key: "aws", region: null };
  const local = `${mode === "data" ? "data." : ""}${type}.${name}${index === null ? "" : formatKey(index)}`;
  return {
    address: typeof rc.address === "string" ? rc.address : module ? `${module}.${local}` : local,
    type,
    name,
    module,
    index,
    mode,
    provider: provider.key,
    region: regionOf(values) ?? provider.region,
    values,
    unknown,
    action,
    before,
  };
}

/** Provider v6 resources carry their own `region`; known resources carry it in their ARN. */
function regionOf(values: Json): string | null {
  if (typeof values.region === "string" && values.region) return values.region;
  if (typeof values.arn === "string") {
    const region = values.arn.split(":")[3];
    if (region) return region;
  }
  return null;
}

function actionOf(actions: unknown): Action {
  if (!Array.isArray(actions)) return "no-op";
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  const [first] = actions;
  if (first === "create" || first === "update" || first === "delete" || first === "read" || first === "no-op") return first;
  return "no-op"; // "forget" (Terraform 1.7+) leaves the object in place
}

/** after_unknown mirrors `after` with `true` where a value is unknown: turn it into dotted paths. */
function unknownPaths(afterUnknown: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (depth > 64) return;
    if (v === true) out.push(path);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, path ? `${path}.${i}` : String(i), depth + 1));
    else if (isObject(v)) for (const k of Object.keys(v)) walk(v[k], path ? `${path}.${k}` : k, depth + 1);
  };
  walk(afterUnknown, "", 0);
  return out;
}

function walkPlannedModule(mod: unknown, depth: number, visit: (r: Json) => void): void {
  if (!isObject(mod) || depth > 64) return;
  if (Array.isArray(mod.resources)) for (const r of mod.resources) if (isObject(r)) visit(r);
  if (Array.isArray(mod.child_modules)) for (const c of mod.child_modules) walkPlannedModule(c, depth + 1, visit);
}

// ---- configuration ----

function readConfiguration(doc: Json, keepTypes: ReadonlySet<string>, attributes: ModelAttributes | null): Configuration | null {
  const cfg = doc.configuration;
  if (!isObject(cfg)) return null;
  const variables = isObject(doc.variables) ? doc.variables : {};
  const providers = new Map<string, { region: string | null }>();
  if (isObject(cfg.provider_config)) {
    for (const [key, p] of Object.entries(cfg.provider_config)) {
      if (!isObject(p)) continue;
      const normalized = normalizeProviderKey(key, p);
      providers.set(normalized, { region: constantOrVariable(isObject(p.expressions) ? p.expressions.region : undefined, variables) });
    }
  }
  return { root: readModule(cfg.root_module, keepTypes, attributes, 0), providers };
}

/** Old plans key module providers `child:aws`; newer ones `module.child:aws`. */
function normalizeProviderKey(key: string, p: Json): string {
  const colon = key.lastIndexOf(":");
  if (colon < 0) return key;
  const modulePart = typeof p.module_address === "string" ? p.module_address : key.slice(0, colon);
  const local = key.slice(colon + 1);
  const path = modulePart.startsWith("module.") ? modulePart : `module.${modulePart}`;
  return `${path}:${local}`;
}

function constantOrVariable(expr: unknown, variables: Json): string | null {
  if (!isObject(expr)) return null;
  if (typeof expr.constant_value === "string") return expr.constant_value;
  const refs = expr.references;
  if (Array.isArray(refs) && typeof refs[0] === "string" && refs[0].startsWith("var.")) {
    const v = variables[refs[0].slice(4)];
    if (isObject(v) && typeof v.value === "string") return v.value;
  }
  return null;
}

function readModule(mod: unknown, keepTypes: ReadonlySet<string>, attributes: ModelAttributes | null, depth: number): ConfigModule {
  const out = emptyModule();
  if (!isObject(mod) || depth > 32) return out;
  if (Array.isArray(mod.resources)) {
    for (const r of mod.resources) {
      if (!isObject(r) || typeof r.type !== "string" || typeof r.name !== "string" || !keepTypes.has(r.type)) continue;
      const expressions: ConfigReference[] = [];
      const keep = attributes?.get(r.type);
      collectReferences(keep && isObject(r.expressions) ? pick(r.expressions, keep) : r.expressions, [], expressions, 0);
      out.resources.push({
        mode: r.mode === "data" ? "data" : "managed",
        type: r.type,
        name: r.name,
        providerKey: typeof r.provider_config_key === "string" ? r.provider_config_key : null,
        expressions,
        forEachRefs: refsOf(r.for_each_expression),
      });
    }
  }
  if (isObject(mod.module_calls)) {
    for (const [name, call] of Object.entries(mod.module_calls)) {
      if (!isObject(call)) continue;
      const inputs = new Map<string, string[]>();
      if (isObject(call.expressions)) {
        for (const [k, v] of Object.entries(call.expressions)) {
          const refs: ConfigReference[] = [];
          collectReferences(v, [], refs, 0);
          inputs.set(k, refs.flatMap((x) => x.refs));
        }
      }
      out.calls.set(name, { inputs, forEachRefs: refsOf(call.for_each_expression), module: readModule(call.module, keepTypes, attributes, depth + 1) });
    }
  }
  if (isObject(mod.outputs)) {
    for (const [name, o] of Object.entries(mod.outputs)) {
      if (isObject(o)) out.outputs.set(name, refsOf(o.expression));
    }
  }
  return out;
}

function refsOf(expr: unknown): string[] {
  return isObject(expr) && Array.isArray(expr.references) ? expr.references.filter((r): r is string => typeof r === "string") : [];
}

/** Expressions mirror the resource's attributes; nested blocks are arrays (or objects) of expressions. */
function collectReferences(node: unknown, path: Key[], out: ConfigReference[], depth: number): void {
  if (depth > 32) return;
  if (Array.isArray(node)) {
    node.forEach((x, i) => collectReferences(x, [...path, i], out, depth + 1));
    return;
  }
  if (!isObject(node)) return;
  if (Array.isArray(node.references)) {
    out.push({ path, refs: refsOf(node) });
    return;
  }
  if ("constant_value" in node) return;
  for (const [k, v] of Object.entries(node)) collectReferences(v, [...path, k], out, depth + 1);
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
