/**
 * Configuration documents → Model: `.tf` (parsed by hcl2-parser into hcl2json's shape), `.tf.json`
 * and CDKTF's `cdk.tf.json` share Terraform's JSON configuration shape, with expressions as `${...}`
 * strings. Values are evaluated where they are literal, variables, locals or each.key/value; the rest
 * is recorded as unknown, and its references become edges exactly as for a plan.
 */
import { formatKey, formatModule, moduleConfigPath, parseModuleAddress, type Key, type ModuleStep } from "../address";
import { emptyModule, providerRegion, type ConfigModule, type ConfigReference, type Configuration } from "../config-references";
import { buildEdges } from "../edges";
import { evaluate, isExpression, isUnknown, referencesIn, type Scope } from "./expressions";
import { makeModel, type InlineSuppression, type ModelResource, type SourceLocation } from "../../model";
import type { WrittenSuppression } from "../../suppressions";
import { setOwn } from "../../own-property";
import type { PlanLoadResult } from "../plan";

type Json = Record<string, unknown>;

/** One parsed file of a module. */
export interface ConfigFile {
  /** Path as shown to the user. */
  file: string;
  doc: Json;
  /** Where a block starts, for source locations: ("resource", "aws_x", "name") → line. */
  lineOf?: (kind: string, type: string, name: string) => number | undefined;
  /** CDKTF: construct path of a resource, from its `//` metadata. */
  constructOf?: (type: string, name: string) => string | undefined;
  /** Inline suppressions written on a block: ("resource", "aws_x", "name") → them. */
  suppressionsOf?: (kind: string, type: string, name: string) => WrittenSuppression[];
}

export interface ModuleReader {
  /** The files of the module at `source`, called from module directory `fromDir`; null when not local. */
  (source: string, fromDir: string): { dir: string; files: ConfigFile[] } | null;
}

const META_ARGUMENTS = new Set(["count", "for_each", "provider", "depends_on", "lifecycle", "dynamic", "provisioner", "connection", "//"]);
const MODULE_META = new Set(["source", "version", "count", "for_each", "providers", "depends_on", "//"]);
const MAX_MODULE_DEPTH = 16;

interface Context {
  keepTypes: ReadonlySet<string>;
  readModule: ModuleReader;
  resources: ModelResource[];
  moduleInstances: Set<string>;
  providers: Map<string, { region: string | null }>;
  resourceCount: number;
  /** By block and place: a module called with for_each is loaded once per instance, its comments are one. */
  suppressions: Map<string, InlineSuppression>;
}

export function configurationToModel(
  dir: string,
  files: ConfigFile[],
  rootVars: Record<string, unknown>,
  keepTypes: ReadonlySet<string>,
  readModule: ModuleReader,
): PlanLoadResult & { suppressions: InlineSuppression[] } {
  const ctx: Context = { keepTypes, readModule, resources: [], moduleInstances: new Set(), providers: new Map(), resourceCount: 0, suppressions: new Map() };
  const root = loadModule(ctx, dir, files, [], rootVars, 0);
  const config: Configuration = { root, providers: ctx.providers };
  for (const r of ctx.resources) {
    const local = providerRegion(config, parseModuleAddress(r.module).map((s) => s.name), r.provider);
    r.provider = local.key;
    r.region ??= local.region;
  }
  const edges = buildEdges(ctx.resources, config, ctx.moduleInstances);
  return { model: makeModel(ctx.resources, edges), resourceCount: ctx.resourceCount, suppressions: [...ctx.suppressions.values()] };
}

/** Blocks of one kind across the files of a module: hcl2json gives `kind.type.name = [body]`. */
function blocks(files: ConfigFile[], kind: string): Array<{ file: ConfigFile; type: string; name: string; body: Json }> {
  const out: Array<{ file: ConfigFile; type: string; name: string; body: Json }> = [];
  for (const file of files) {
    const section = file.doc[kind];
    if (!isObject(section)) continue;
    for (const [type, byName] of Object.entries(section)) {
      if (!isObject(byName)) continue;
      for (const [name, bodies] of Object.entries(byName)) {
        for (const body of asList(bodies)) if (isObject(body)) out.push({ file, type, name, body });
      }
    }
  }
  return out;
}

/** Named blocks with one label (variable, module, output, provider): `kind.name = [body]`. */
function labelled(files: ConfigFile[], kind: string): Array<{ file: ConfigFile; name: string; body: Json }> {
  const out: Array<{ file: ConfigFile; name: string; body: Json }> = [];
  for (const file of files) {
    const section = file.doc[kind];
    if (!isObject(section)) continue;
    for (const [name, bodies] of Object.entries(section)) for (const body of asList(bodies)) if (isObject(body)) out.push({ file, name, body });
  }
  return out;
}

function loadModule(ctx: Context, dir: string, files: ConfigFile[], steps: ModuleStep[], inputs: Record<string, unknown>, depth: number): ConfigModule {
  const mod = emptyModule();
  const moduleAddress = formatModule(steps);
  if (moduleAddress) ctx.moduleInstances.add(moduleAddress);
  const configPath = moduleConfigPath(steps);

  const vars: Record<string, unknown> = {};
  for (const v of labelled(files, "variable")) if ("default" in v.body) vars[v.name] = v.body.default;
  Object.assign(vars, inputs);
  const scope: Scope = { vars, locals: resolveLocals(files, vars) };

  for (const p of labelled(files, "provider")) {
    const alias = typeof p.body.alias === "string" ? p.body.alias : null;
    const local = alias ? `${p.name}.${alias}` : p.name;
    const region = evaluate(p.body.region, scope);
    ctx.providers.set(configPath ? `${configPath}:${local}` : local, { region: typeof region === "string" ? region : null });
  }

  for (const mode of ["managed", "data"] as const) {
    for (const block of blocks(files, mode === "managed" ? "resource" : "data")) {
      const instances = expand(block.body, scope);
      ctx.resourceCount += instances.length;
      const blockAddress = `${configPath ? `${configPath}.` : ""}${mode === "data" ? "data." : ""}${block.type}.${block.name}`;
      for (const written of block.file.suppressionsOf?.(mode === "data" ? "data" : "resource", block.type, block.name) ?? []) {
        ctx.suppressions.set(`${blockAddress}|${written.rule}|${written.at.file}|${written.at.line ?? written.at.construct ?? ""}`, { ...written, block: blockAddress });
      }
      if (!ctx.keepTypes.has(block.type)) continue;
      const expressions: ConfigReference[] = [];
      collectReferences(block.body, [], expressions, 0);
      mod.resources.push({
        mode,
        type: block.type,
        name: block.name,
        providerKey: providerKeyOf(block.body.provider),
        expressions,
        forEachRefs: referencesOf(block.body.for_each),
      });
      for (const instance of instances) {
        ctx.resources.push(makeResource(block, mode, moduleAddress, instance, { ...scope, each: instance.each }));
      }
    }
  }

  for (const o of labelled(files, "output")) mod.outputs.set(o.name, isExpression(o.body.value) ? referencesIn(o.body.value) : []);

  for (const call of labelled(files, "module")) {
    const inputRefs = new Map<string, string[]>();
    for (const [k, v] of Object.entries(call.body)) {
      if (MODULE_META.has(k)) continue;
      const refs: ConfigReference[] = [];
      collectReferences(v, [], refs, 0);
      inputRefs.set(k, refs.flatMap((r) => r.refs));
    }
    const source = typeof call.body.source === "string" ? call.body.source : "";
    const child = depth < MAX_MODULE_DEPTH ? ctx.readModule(source, dir) : null;
    let childModule = emptyModule();
    for (const instance of expand(call.body, scope)) {
      const childInputs: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(call.body)) {
        if (MODULE_META.has(k)) continue;
        // Partly known values (a map whose keys are known) are passed on: a for_each over them still expands.
        const value = evaluate(v, { ...scope, each: instance.each });
        if (!isUnknown(value)) childInputs[k] = value;
      }
      const childSteps = [...steps, { name: call.name, key: instance.key }];
      if (child) childModule = loadModule(ctx, child.dir, child.files, childSteps, childInputs, depth + 1);
    }
    mod.calls.set(call.name, {
      inputs: inputRefs,
      forEachRefs: referencesOf(call.body.for_each),
      module: childModule,
    });
  }
  return mod;
}

/** Locals whose values evaluate (literals, variables, other locals), in as many passes as needed. */
function resolveLocals(files: ConfigFile[], vars: Record<string, unknown>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const file of files) for (const block of asList(file.doc.locals)) if (isObject(block)) Object.assign(raw, block);
  const locals: Record<string, unknown> = {};
  for (let pass = 0; pass < 8; pass++) {
    let changed = false;
    for (const [k, v] of Object.entries(raw)) {
      if (k in locals) continue;
      const value = evaluate(v, { vars, locals });
      if (!containsUnknown(value)) {
        locals[k] = value;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return locals;
}

interface Instance {
  key: Key | null;
  each?: { key: string | number; value: unknown };
}

/** The instances of a resource or module: by a `count` or `for_each` known now, else one. */
function expand(body: Json, scope: Scope): Instance[] {
  if ("for_each" in body) {
    const value = evaluate(stripToSet(body.for_each), scope);
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return (value as string[]).map((k) => ({ key: k, each: { key: k, value: k } }));
    // A map's keys are known even where its values (resources) are not.
    if (isObject(value)) return Object.entries(value).map(([k, v]) => ({ key: k, each: { key: k, value: v } }));
    return [{ key: null }];
  }
  if ("count" in body) {
    const n = evaluate(body.count, scope);
    if (typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= 10000) return Array.from({ length: n }, (_, i) => ({ key: i, each: undefined }));
    return [{ key: null }];
  }
  return [{ key: null }];
}

/** `${toset(local.x)}` is the set of local.x: evaluate the inner expression. */
function stripToSet(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const m = /^\$\{\s*toset\((.*)\)\s*\}$/.exec(value);
  return m ? `\${${m[1]}}` : value;
}

function makeResource(block: { file: ConfigFile; type: string; name: string; body: Json }, mode: "managed" | "data", module: string, instance: Instance, scope: Scope): ModelResource {
  const unknown: string[] = [];
  const values = expandBody(block.body, scope, "", unknown, true) as Json;
  const local = `${mode === "data" ? "data." : ""}${block.type}.${block.name}${instance.key === null ? "" : formatKey(instance.key)}`;
  const source: SourceLocation = { file: block.file.file };
  const line = block.file.lineOf?.(mode === "data" ? "data" : "resource", block.type, block.name);
  if (line) source.line = line;
  const construct = block.file.constructOf?.(block.type, block.name);
  if (construct) source.construct = construct;
  const resource: ModelResource = {
    address: module ? `${module}.${local}` : local,
    type: block.type,
    name: block.name,
    module,
    index: instance.key,
    mode,
    provider: providerKeyOf(block.body.provider) ?? "aws",
    region: typeof values.region === "string" ? values.region : null,
    values,
    unknown,
    action: mode === "data" ? "read" : "create",
    before: null,
    source,
  };
  const lifecycle = asList(block.body.lifecycle)[0];
  if (isObject(lifecycle)) resource.lifecycle = { ignore_changes: ignoreChanges(lifecycle.ignore_changes) };
  return resource;
}

function ignoreChanges(value: unknown): string[] {
  if (value === "all" || value === "${all}") return ["all"];
  return asList(value).filter((v): v is string => typeof v === "string").map((v) => v.replace(/^\$\{(.*)\}$/, "$1"));
}

/**
 * Evaluates a block body as Terraform would build it: `dynamic` blocks (at any depth) become the
 * blocks they generate when their for_each is known now; values not known until apply are left out
 * and their paths added to `unknown`.
 */
function expandBody(node: unknown, scope: Scope, path: string, unknown: string[], top = false): unknown {
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (Array.isArray(node)) return node.map((item, i) => expandBody(item, scope, at(i), unknown)).filter((v) => v !== undefined);
  if (!isObject(node)) {
    const value = evaluate(node, scope);
    if (isUnknown(value)) {
      unknown.push(path);
      return undefined;
    }
    return stripUnknown(value, path, unknown);
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "dynamic" || (top && META_ARGUMENTS.has(k))) continue;
    const value = expandBody(v, scope, at(k), unknown);
    if (value !== undefined) setOwn(out, k, value);
  }
  for (const group of asList(node.dynamic)) {
    if (!isObject(group)) continue;
    for (const [name, specs] of Object.entries(group)) {
      for (const spec of asList(specs)) {
        if (!isObject(spec)) continue;
        const iterator = typeof spec.iterator === "string" ? spec.iterator : name;
        const items = evaluate(stripToSet(spec.for_each), scope);
        const content = asList(spec.content)[0];
        if (containsUnknown(items) || !isObject(content)) {
          unknown.push(at(name));
          continue;
        }
        const blocks = Array.isArray(out[name]) ? (out[name] as unknown[]) : [];
        const entries: Array<[string | number, unknown]> = Array.isArray(items) ? items.map((v, i) => [i, v]) : isObject(items) ? Object.entries(items) : [];
        for (const [key, value] of entries) {
          const inner: Scope = { ...scope, iterators: { ...scope.iterators, [iterator]: { key, value } } };
          blocks.push(expandBody(content, inner, at(`${name}.${blocks.length}`), unknown));
        }
        setOwn(out, name, blocks);
      }
    }
  }
  return out;
}

/** Unknown parts of an evaluated value (a list with one unknown element) are left out and recorded. */
function stripUnknown(value: unknown, path: string, unknown: string[]): unknown {
  if (isUnknown(value)) {
    unknown.push(path);
    return undefined;
  }
  if (Array.isArray(value)) return value.map((item, i) => stripUnknown(item, `${path}.${i}`, unknown)).filter((v) => v !== undefined);
  if (isObject(value)) {
    const out: Json = {};
    for (const [k, item] of Object.entries(value)) {
      const s = stripUnknown(item, `${path}.${k}`, unknown);
      if (s !== undefined) setOwn(out, k, s);
    }
    return out;
  }
  return value;
}

/** References in every `${...}` of a block body, by attribute path (block indexes included). */
function collectReferences(node: unknown, path: Key[], out: ConfigReference[], depth: number): void {
  if (depth > 32) return;
  if (typeof node === "string") {
    if (isExpression(node)) {
      const refs = referencesIn(node);
      if (refs.length) out.push({ path, refs });
    }
    return;
  }
  if (Array.isArray(node)) node.forEach((x, i) => collectReferences(x, [...path, i], out, depth + 1));
  else if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === "//" || (depth === 0 && META_ARGUMENTS.has(k) && k !== "dynamic")) continue;
      if (k === "dynamic" && isObject(asList(v)[0])) {
        // dynamic "rule" { content { ... } } references count as the rule block's
        for (const group of asList(v)) if (isObject(group)) for (const [name, specs] of Object.entries(group)) for (const spec of asList(specs)) if (isObject(spec)) collectReferences(asList(spec.content)[0], [...path, name], out, depth + 1);
        continue;
      }
      collectReferences(v, [...path, k], out, depth + 1);
    }
  }
}

function referencesOf(value: unknown): string[] {
  const refs: ConfigReference[] = [];
  collectReferences(value, [], refs, 1);
  return [...new Set(refs.flatMap((r) => r.refs))];
}

function providerKeyOf(value: unknown): string | null {
  if (typeof value !== "string") return null;
  return value.replace(/^\$\{(.*)\}$/, "$1");
}

function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Map-typed attributes: an object there is a map, anywhere else (JSON syntax) a nested block. */
const MAP_ATTRIBUTES = new Set(["for_each", "tags", "tags_all", "variables", "response_templates", "response_parameters", "request_templates", "request_parameters", "triggers", "stage_variables", "//"]);

/**
 * Terraform's JSON syntax (and CDKTF) writes a single nested block as an object; plan JSON and
 * hcl2json write blocks as arrays. Turn block objects into one-element arrays so that rules see one
 * shape. Without the provider schema, an object under a map-typed attribute name stays a map.
 */
export function blocksAsArrays(value: unknown, key = "", depth = 0): unknown {
  if (depth > 64) return value;
  if (Array.isArray(value)) return value.map((v) => blocksAsArrays(v, key, depth + 1));
  if (!isObject(value)) return value;
  if (MAP_ATTRIBUTES.has(key)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const converted = blocksAsArrays(v, k, depth + 1);
    setOwn(out, k, isObject(converted) && !MAP_ATTRIBUTES.has(k) ? [converted] : converted);
  }
  return out;
}
