/**
 * Configuration documents → Model: `.tf` (parsed by hcl-syntax.ts into hcl2json's shape), `.tf.json`
 * and CDKTF's `cdk.tf.json` share Terraform's JSON configuration shape, with expressions as `${...}`
 * strings. Values are evaluated where they are literal, variables, locals or each.key/value; the rest
 * is recorded as unknown, and its references become edges exactly as for a plan.
 */
import { formatKey, formatModule, moduleConfigPath, parseModuleAddress, type Key, type ModuleStep } from "../address";
import { emptyModule, providerRegion, type ConfigModule, type ConfigReference, type Configuration } from "../config-references";
import { buildEdges } from "../edges";
import { attributeLine, blockLine, STATIC_BLOCKS_BEFORE } from "./hcl-syntax";
import { ConfigError, isSet, toNum, typeName } from "./values";
import { convertToType } from "./types";
import { Budget, checkReferences, containsUnknown, EvalLimitError, evaluate, isExpression, isUnknown, referencesIn, UNKNOWN, type Scope } from "./expressions";
import { InputError } from "../../errors";
import { relative } from "node:path";
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
  /** Terraform's JSON syntax (.tf.json, CDKTF), where a variable's default is a literal value, not an expression. */
  json?: boolean;
}

export interface ModuleReader {
  /**
   * The files of the module called `key` (its module path: "api.inner") with `source`, from module
   * directory `fromDir`; null when it cannot be read (the reader records why).
   */
  (source: string, fromDir: string, key: string): { dir: string; files: ConfigFile[] } | null;
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
  budget: Budget;
  rootDir: string;
  /** References handed to modules that could not be read. */
  unreadModuleReferences: Set<string>;
  /** By block and place: a module called with for_each is loaded once per instance, its comments are one. */
  suppressions: Map<string, InlineSuppression>;
}

export function configurationToModel(dir: string, files: ConfigFile[], rootVars: Record<string, unknown>, keepTypes: ReadonlySet<string>, readModule: ModuleReader): PlanLoadResult & { suppressions: InlineSuppression[] } {
  const ctx: Context = { keepTypes, readModule, resources: [], moduleInstances: new Set(), providers: new Map(), resourceCount: 0, budget: new Budget(), rootDir: dir, unreadModuleReferences: new Set(), suppressions: new Map() };
  let root: ConfigModule;
  try {
    root = loadModule(ctx, dir, files, [], rootVars, 0, false, []);
  } catch (e) {
    if (e instanceof EvalLimitError) throw new InputError(dir, `${e.message}: the configuration's expressions run away (nested for or dynamic blocks, or an enormous literal)`);
    if (e instanceof ConfigError) throw configInputError(e, dir);
    throw e;
  }
  const config: Configuration = { root, providers: ctx.providers };
  for (const r of ctx.resources) {
    const local = providerRegion(config, parseModuleAddress(r.module).map((s) => s.name), r.provider);
    r.provider = local.key;
    r.region ??= local.region;
  }
  const edges = buildEdges(ctx.resources, config, ctx.moduleInstances);
  const model = makeModel(ctx.resources, edges);
  if (ctx.unreadModuleReferences.size) {
    const handed = ctx.resources.filter((r) => ctx.unreadModuleReferences.has(r.address.replace(/\[[^\]]*\]/g, ""))).map((r) => r.address);
    if (handed.length) model.unread_module_references = handed.sort();
  }
  return { model, resourceCount: ctx.resourceCount, suppressions: [...ctx.suppressions.values()] };
}

/** A configuration Terraform refuses, as one line: where, what, and in which block and argument. */
export function configInputError(e: ConfigError, fallback: string): InputError {
  const where = e.file === undefined ? fallback : e.line === undefined ? e.file : `${e.file}:${e.line}`;
  const attribute = e.attribute !== undefined && e.attribute.length > 120 ? `${e.attribute.slice(0, 60)}…${e.attribute.slice(-60)}` : e.attribute;
  const within = [e.context, attribute].filter((x) => x !== undefined).join(", ");
  return new InputError(where, `${e.message}${within ? ` (in ${within})` : ""}`);
}

/**
 * Runs `read`; a ConfigError out of it is placed in `file`, at `line` and in `context` (a block:
 * \`resource "aws_x" "y"\`), unless a call nearer to it placed it already.
 */
function placed<T>(file: ConfigFile, line: number | undefined, context: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw placeError(e, file, line, context);
  }
}

function placeError(e: unknown, file: ConfigFile, line: number | undefined, context: string): unknown {
  if (e instanceof ConfigError) {
    if (e.file === undefined) {
      e.file = file.file;
      e.line ??= line;
    }
    e.context ??= context;
  }
  return e;
}

/** A ConfigError placed at `line` of `file`, in `context`. */
function refused(file: ConfigFile, line: number | undefined, context: string, message: string): ConfigError {
  const e = new ConfigError(message);
  e.file = file.file;
  e.line = line;
  e.context = context;
  return e;
}

/** `main.tf:3`, or the file alone where its lines are not known. */
function placeOf(file: ConfigFile, line: number | undefined): string {
  return line === undefined ? file.file : `${file.file}:${line}`;
}

/** The same within one body: the line of the attribute `key` (where the file gives lines) and its path. */
function placedAttribute<T>(body: object, key: string, path: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw placedError(e, body, key, path);
  }
}

function placedError(e: unknown, body: object, key: string, path: string, value?: unknown): unknown {
  if (e instanceof ConfigError && e.file === undefined) {
    // an attribute's line, or a nested block's
    e.line ??= attributeLine(body, key) ?? (Array.isArray(value) && isObject(value[0]) ? blockLine(value[0]) : undefined);
    e.attribute ??= path;
  }
  return e;
}

/** Levels of arrays and objects in one resource's body: a nested block is two (a list of bodies). */
const MAX_BODY_DEPTH = 256;

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

/**
 * One module instance. `conditional`: the module's own count/for_each is not known before apply, so
 * its resources may not exist. `calledFrom`: directories of the calling modules, for cycles.
 */
function loadModule(ctx: Context, dir: string, files: ConfigFile[], steps: ModuleStep[], inputs: Record<string, unknown>, depth: number, conditional: boolean, calledFrom: string[]): ConfigModule {
  const mod = emptyModule();
  const moduleAddress = formatModule(steps);
  if (moduleAddress) ctx.moduleInstances.add(moduleAddress);
  const configPath = moduleConfigPath(steps);

  const vars: Record<string, unknown> = {};
  const declared = new Map<string, { file: ConfigFile; body: Json }>();
  for (const v of labelled(files, "variable")) {
    const context = `variable "${v.name}"`;
    const earlier = declared.get(v.name);
    if (earlier) {
      throw refused(v.file, blockLine(v.body), context, `Duplicate variable declaration: a variable named "${v.name}" was already declared at ${placeOf(earlier.file, blockLine(earlier.body))}. Variable names must be unique within a module`);
    }
    declared.set(v.name, v);
    // A default is a constant: operators and templates, no references and no function calls (in JSON, a literal)
    const constant = () => evaluate(v.body.default, { vars: {}, locals: {}, budget: ctx.budget, constant: true });
    vars[v.name] = !("default" in v.body) ? UNKNOWN : v.file.json ? v.body.default : placed(v.file, attributeLine(v.body, "default"), context, constant);
  }
  Object.assign(vars, inputs);
  // Values take their variable's type: a list given to a set(string) variable is a set (which for_each takes)
  for (const [name, v] of declared) if ("type" in v.body && name in vars) vars[name] = convertToType(vars[name], v.body.type);
  const path = { module: relative(process.cwd(), dir) || ".", root: relative(process.cwd(), ctx.rootDir) || ".", cwd: "." };
  const locals = resolveLocals(files, vars, path, ctx.budget, new Set(declared.keys()));
  const instancing = new Map<string, "count" | "for_each" | null>();
  for (const kind of ["resource", "data"] as const) {
    for (const b of blocks(files, kind)) instancing.set(`${kind === "data" ? "data." : ""}${b.type}.${b.name}`, "count" in b.body ? "count" : "for_each" in b.body ? "for_each" : null);
  }
  const scope: Scope = { vars, locals, path, budget: ctx.budget, declaredLocals: new Set(Object.keys(locals)), declaredVariables: new Set(declared.keys()), instancing };

  for (const p of labelled(files, "provider")) {
    const alias = typeof p.body.alias === "string" ? p.body.alias : null;
    const local = alias ? `${p.name}.${alias}` : p.name;
    // OpenTofu's provider for_each: one configuration per element, each.key not known here
    const providerScope = "for_each" in p.body ? { ...scope, each: { key: UNKNOWN, value: UNKNOWN } } : scope;
    const region = placed(p.file, attributeLine(p.body, "region"), `provider "${p.name}"`, () => evaluate(p.body.region, providerScope));
    ctx.providers.set(configPath ? `${configPath}:${local}` : local, { region: typeof region === "string" ? region : null });
  }

  for (const mode of ["managed", "data"] as const) {
    const kind = mode === "managed" ? "resource" : "data";
    const seen = new Map<string, { file: ConfigFile; body: Json }>();
    const lineOf = (block: { file: ConfigFile; type: string; name: string; body: Json }) => blockLine(block.body) ?? block.file.lineOf?.(kind, block.type, block.name);
    for (const block of blocks(files, kind)) {
      try {
        // Terraform refuses a second block at one address, whatever its type: every block is here
        const earlier = seen.get(`${block.type}.${block.name}`);
        if (earlier) {
          throw new ConfigError(`Duplicate ${kind} "${block.type}" configuration: a ${block.type} ${kind} named "${block.name}" was already declared at ${placeOf(earlier.file, lineOf({ ...earlier, type: block.type, name: block.name }))}. Resource names must be unique per type in each module`);
        }
        seen.set(`${block.type}.${block.name}`, block);
        // What Terraform checks of every block before it evaluates any, read by a rule or not
        checkBlockReferences(block.file, block.body, scope);
        const instances = expand(block.body, scope);
        ctx.resourceCount += instances.length;
        ctx.budget.grow(instances.length);
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
          const resource = makeResource(block, mode, moduleAddress, instance, instanceScope(scope, instance));
          if (conditional || instance.conditional) resource.conditional = true;
          ctx.resources.push(resource);
        }
      } catch (e) {
        // placed here, once, rather than around each step: most blocks are read without an error
        throw placeError(e, block.file, lineOf(block), `${kind} "${block.type}" "${block.name}"`);
      }
    }
  }

  for (const o of labelled(files, "output")) {
    placed(o.file, blockLine(o.body), `output "${o.name}"`, () => checkBlockReferences(o.file, o.body, scope));
    mod.outputs.set(o.name, isExpression(o.body.value) ? referencesIn(o.body.value) : []);
  }

  for (const call of labelled(files, "module")) {
    const inputRefs = new Map<string, string[]>();
    for (const [k, v] of Object.entries(call.body)) {
      if (MODULE_META.has(k)) continue;
      const refs: ConfigReference[] = [];
      collectReferences(v, [], refs, 0);
      inputRefs.set(k, refs.flatMap((r) => r.refs));
    }
    const context = `module "${call.name}"`;
    if (typeof call.body.source !== "string") {
      const line = attributeLine(call.body, "source") ?? blockLine(call.body) ?? call.file.lineOf?.("module", call.name, "");
      const message = call.body.source === undefined ? 'Missing required argument: the argument "source" is required, but no definition was found' : `Invalid module source address: "source" must be a string, got ${JSON.stringify(call.body.source)}`;
      throw refused(call.file, line, context, message);
    }
    const source = call.body.source;
    const key = [...steps.map((s) => s.name), call.name].join(".");
    const child = ctx.readModule(source, dir, key);
    if (child && (depth + 1 > MAX_MODULE_DEPTH || calledFrom.includes(child.dir) || child.dir === dir)) {
      const what = depth + 1 > MAX_MODULE_DEPTH ? `modules are nested more than ${MAX_MODULE_DEPTH} deep` : "the module calls itself (a module cycle)";
      const line = call.file.lineOf?.("module", call.name, "");
      throw new InputError(line ? `${call.file.file}:${line}` : call.file.file, `module "${call.name}" (source ${JSON.stringify(source)}): ${what}`);
    }
    if (!child) {
      const prefix = configPath ? `${configPath}.` : "";
      for (const refs of inputRefs.values()) for (const ref of refs) if (/^(data\.)?[a-z][a-z0-9]*_\w*\.[\w-]+$/.test(ref)) ctx.unreadModuleReferences.add(prefix + ref);
    }
    let childModule = emptyModule();
    const callLine = blockLine(call.body) ?? call.file.lineOf?.("module", call.name, "");
    placed(call.file, callLine, context, () => checkBlockReferences(call.file, call.body, scope));
    for (const instance of placed(call.file, callLine, context, () => expand(call.body, scope))) {
      const childInputs: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(call.body)) {
        if (MODULE_META.has(k)) continue;
        // Unknown values are passed on as unknown (not left to the variable's default); partly known
        // ones (a map whose keys are known) too, so that a for_each over them still expands.
        childInputs[k] = placed(call.file, callLine, context, () => placedAttribute(call.body, k, k, () => evaluate(v, instanceScope(scope, instance))));
      }
      const childSteps = [...steps, { name: call.name, key: instance.key }];
      if (child) childModule = loadModule(ctx, child.dir, child.files, childSteps, childInputs, depth + 1, conditional || instance.conditional === true, [...calledFrom, dir]);
    }
    mod.calls.set(call.name, {
      inputs: inputRefs,
      forEachRefs: referencesOf(call.body.for_each),
      module: childModule,
    });
  }
  return mod;
}

/**
 * Locals, resolved on demand in dependency order. Terraform refuses a name defined twice in a module,
 * a reference to a local that is not defined and a cycle; so does this.
 */
function resolveLocals(files: ConfigFile[], vars: Record<string, unknown>, path: Scope["path"], budget: Budget, declaredVariables: ReadonlySet<string>): Record<string, unknown> {
  const raw = new Map<string, { value: unknown; file: ConfigFile; body: Json }>();
  for (const file of files) {
    for (const block of asList(file.doc.locals)) {
      if (!isObject(block)) continue;
      for (const [name, value] of Object.entries(block)) {
        const earlier = raw.get(name);
        if (earlier) {
          throw refused(file, attributeLine(block, name), "locals", `Duplicate local value definition: a local value named "${name}" was already defined at ${placeOf(earlier.file, attributeLine(earlier.body, name))}. Local value names must be unique within a module`);
        }
        raw.set(name, { value, file, body: block });
      }
    }
  }
  const locals: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const declaredLocals = new Set(raw.keys());
  const resolving: string[] = [];
  const local = (name: string): unknown => {
    if (name in locals) return locals[name];
    const definition = raw.get(name);
    if (!definition) throw new ConfigError(`Reference to undeclared local value: a local value with the name "${name}" has not been declared`);
    const cycle = resolving.indexOf(name);
    if (cycle >= 0) {
      throw new ConfigError(
        cycle === resolving.length - 1
          ? `Self-referencing local value: local.${name} cannot use its own result as part of its expression`
          : `Cycle: ${[...resolving.slice(cycle), name].map((n) => `local.${n}`).join(" -> ")}: local values that refer to one another in a circle`,
      );
    }
    resolving.push(name);
    let value: unknown;
    try {
      value = placed(definition.file, attributeLine(definition.body, name), "locals", () => placedAttribute(definition.body, name, name, () => evaluate(definition.value, { vars, locals, local, path, budget, declaredLocals, declaredVariables })));
    } finally {
      resolving.pop();
    }
    locals[name] = value;
    return value;
  };
  for (const name of raw.keys()) local(name);
  return locals;
}

interface Instance {
  key: Key | null;
  each?: { key: unknown; value: unknown };
  count?: number;
  /** count/for_each not known before apply: the resource may not exist. */
  conditional?: boolean;
}

function instanceScope(scope: Scope, instance: Instance): Scope {
  return { ...scope, each: instance.each, count: instance.count };
}

/**
 * The instances of a resource or module by its `count` or `for_each`: none when they evaluate to 0
 * or an empty collection; one conditional instance when they are not known before apply. A value
 * Terraform refuses (a negative count, a for_each that is a number or a list…) is a ConfigError.
 */
function expand(body: Json, scope: Scope): Instance[] {
  if ("for_each" in body && "count" in body) {
    throw placedIn(body, "count", new ConfigError('Invalid combination of "count" and "for_each": the "count" and "for_each" meta-arguments are mutually exclusive, only one should be used'));
  }
  if ("for_each" in body) {
    const value = placedAttribute(body, "for_each", "for_each", () => evaluate(body.for_each, scope));
    const invalid = (why: string) => placedIn(body, "for_each", new ConfigError(`Invalid for_each argument: ${why}`));
    // Not known before apply: the resource may or may not exist, and each.key is not known either.
    const unknown = [{ key: null, conditional: true, each: { key: UNKNOWN, value: UNKNOWN } }];
    if (isUnknown(value)) return unknown;
    if (value === null) throw invalid("the given for_each argument value is null; a map, or set of strings, is allowed");
    // A map's keys are known even where its values (resources) are not.
    if (isObject(value)) return Object.keys(value).sort().map((k) => ({ key: k, each: { key: k, value: value[k] } }));
    if (Array.isArray(value)) {
      if (containsUnknown(value)) return unknown;
      if (isSet(value)) {
        if (value.some((v) => v === null)) throw invalid("for_each sets must not contain null values");
        const other = value.find((v) => typeof v !== "string");
        if (other !== undefined) throw invalid(`for_each supports maps and sets of strings, but you have provided a set containing type ${typeName(other)}`);
        return (value as string[]).map((k) => ({ key: k, each: { key: k, value: k } }));
      }
      // An empty list is taken for an empty set: `c ? toset(x) : []` is a set to Terraform (it unifies
      // the two results' types), where the evaluator sees only the branch taken.
      if (value.length === 0) return [];
      throw invalid(`the "for_each" argument must be a map, or set of strings, and you have provided a value of type list or tuple; convert it with toset() (for a list of strings) or a for expression (for a list of objects)`);
    }
    throw invalid(`the "for_each" argument must be a map, or set of strings, and you have provided a value of type ${typeName(value)}`);
  }
  if ("count" in body) {
    const value = placedAttribute(body, "count", "count", () => evaluate(body.count, scope));
    if (isUnknown(value)) return [{ key: 0, count: 0, conditional: true }];
    const invalid = (why: string) => placedIn(body, "count", new ConfigError(`Invalid count argument: ${why}`));
    if (value === null) throw invalid("the given count argument value is null; an integer is required");
    let n: number;
    try {
      n = toNum(value);
    } catch {
      throw invalid(`a number is required, got ${typeof value === "string" ? JSON.stringify(value) : typeName(value)}`);
    }
    if (!Number.isInteger(n)) throw invalid(`the given count value ${typeof value === "string" ? JSON.stringify(value) : String(value)} is not a whole number`);
    if (n < 0) throw invalid(`the given count value ${n} is negative; it must be greater than or equal to zero`);
    scope.budget?.grow(n);
    return Array.from({ length: n }, (_, i) => ({ key: i, count: i }));
  }
  return [{ key: null }];
}

/** checkReferences over each argument of a block, with `each` and `count` where its for_each or count gives them. */
function checkBlockReferences(file: ConfigFile, body: Json, scope: Scope): void {
  const forEach = "for_each" in body;
  const counted = "count" in body;
  const blockScope = forEach || counted ? { ...scope, each: forEach ? { key: UNKNOWN, value: UNKNOWN } : undefined, count: counted ? 0 : undefined } : scope;
  for (const k of Object.keys(body)) {
    if (k === "//") continue;
    try {
      checkReferences(body[k], blockScope, !file.json);
    } catch (e) {
      throw placedError(e, body, k, k);
    }
  }
}

/** A ConfigError at the line of `body`'s attribute `key`, naming it. */
function placedIn(body: Json, key: string, e: ConfigError): ConfigError {
  e.line ??= attributeLine(body, key);
  e.attribute ??= key;
  return e;
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
  // A .tf resource shows its whole configuration: no lifecycle block is a known, empty lifecycle.
  const lifecycle = asList(block.body.lifecycle)[0];
  resource.lifecycle = { ignore_changes: isObject(lifecycle) ? ignoreChanges(lifecycle.ignore_changes) : [] };
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
function expandBody(node: unknown, scope: Scope, path: string, unknown: string[], top = false, depth = 0): unknown {
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  // Each level is a few calls deep, under the expressions evaluated at the bottom: bounded, so that
  // no nesting reaches the end of the stack (no provider's schema nests blocks anywhere near this)
  if (depth > MAX_BODY_DEPTH) throw new ConfigError(`blocks nested more than ${MAX_BODY_DEPTH / 2} levels deep in one resource (a limit of wafguard's)`);
  if (Array.isArray(node)) {
    const out: unknown[] = [];
    for (let i = 0; i < node.length; i++) {
      const value = expandBody(node[i], scope, at(i), unknown, false, depth + 1);
      if (value !== undefined) out.push(value);
    }
    return out;
  }
  if (!isObject(node)) {
    const value = evaluate(node, scope);
    if (isUnknown(value)) {
      unknown.push(path);
      return undefined;
    }
    return stripUnknown(value, path, unknown);
  }
  const dynamic = dynamicBlocks(node.dynamic);
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "dynamic" || (top && META_ARGUMENTS.has(k))) continue;
    if (dynamic.has(k) && Array.isArray(v)) continue; // expanded below, with the dynamic blocks of its type
    let value: unknown;
    try {
      value = expandBody(v, scope, at(k), unknown, false, depth + 1);
    } catch (e) {
      throw placedError(e, node, k, at(k), v); // not placedAttribute: one call less per level
    }
    if (value !== undefined) setOwn(out, k, value);
  }
  for (const [name, specs] of dynamic) {
    // Terraform expands a dynamic block where it is written among the static blocks of its type.
    const statics = Array.isArray(node[name]) ? (node[name] as unknown[]) : [];
    const blocks: unknown[] = [];
    let next = 0;
    const staticsUpTo = (end: number) => {
      for (; next < end; next++) blocks.push(expandBody(statics[next], scope, at(`${name}.${blocks.length}`), unknown, false, depth + 2));
    };
    for (const spec of specs) {
      staticsUpTo(Math.min(spec[STATIC_BLOCKS_BEFORE] ?? statics.length, statics.length));
      // `iterator = t` is a bare name; the native syntax reader hands it over as the expression "${t}"
      const iterator = typeof spec.iterator === "string" ? spec.iterator.replace(/^\$\{\s*([A-Za-z_][\w-]*)\s*\}$/, "$1") : name;
      const items = placedAttribute(spec, "for_each", at(`dynamic.${name}.for_each`), () => evaluate(spec.for_each, scope));
      const content = asList(spec.content)[0];
      if (containsUnknown(items) || !isObject(content)) {
        unknown.push(at(name));
        continue;
      }
      // A list's elements are keyed by index, a set's by themselves, a map's by its keys.
      const entries: Array<[unknown, unknown]> = Array.isArray(items) ? items.map((v, i) => [isSet(items) ? v : i, v]) : isObject(items) ? Object.entries(items) : [];
      scope.budget?.blocks(entries.length);
      for (const [key, value] of entries) {
        const inner: Scope = { ...scope, iterators: { ...scope.iterators, [iterator]: { key, value } } };
        blocks.push(expandBody(content, inner, at(`${name}.${blocks.length}`), unknown, false, depth + 2));
      }
    }
    staticsUpTo(statics.length);
    setOwn(out, name, blocks);
  }
  return out;
}

type DynamicSpec = Json & { [STATIC_BLOCKS_BEFORE]?: number };

/** The `dynamic` blocks of a body by the type they generate, in the order written. */
function dynamicBlocks(groups: unknown): Map<string, DynamicSpec[]> {
  const byType = new Map<string, DynamicSpec[]>();
  for (const group of asList(groups)) {
    if (!isObject(group)) continue;
    for (const [name, specs] of Object.entries(group)) {
      for (const spec of asList(specs)) {
        if (!isObject(spec)) continue;
        if (!byType.has(name)) byType.set(name, []);
        byType.get(name)!.push(spec);
      }
    }
  }
  return byType;
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
