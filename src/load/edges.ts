/**
 * Links between resources (the Model's `edges`): from configuration references, resolved through
 * module inputs and outputs and count/for_each instances, and from known ARNs that equal a known
 * resource's ARN (existing infrastructure).
 */
import { formatModule, moduleConfigPath, parseModuleAddress, parseTraversal, type Key, type ModuleStep } from "./address";
import { findConfigResource, type ConfigModule, type Configuration } from "./config-references";
import type { Edge, ModelResource } from "../model";

/** Attributes whose values are ARN-like identifiers other resources point at. */
const ARN_ATTRIBUTES = ["arn", "execution_arn", "invoke_arn"];
const MAX_DEPTH = 16;

interface Target {
  to: string;
  toAttribute: string | null;
  ambiguous: boolean;
}

interface Scope {
  /** Module instance steps the expression is evaluated in. */
  module: ModuleStep[];
  /** The instance key of the resource (or module call) the expression belongs to, for pairing. */
  key: Key | null;
  /** References of the `for_each` that `each.value` stands for. */
  forEachRefs: string[];
}

export function buildEdges(resources: ModelResource[], config: Configuration | null, moduleInstances: Iterable<string>): Edge[] {
  const edges: Edge[] = [];
  if (config) edges.push(...referenceEdges(resources, config, moduleInstances));
  edges.push(...valueEdges(resources, edges));
  return dedupe(edges);
}

function referenceEdges(resources: ModelResource[], config: Configuration, moduleInstances: Iterable<string>): Edge[] {
  const modules = indexModules(config.root);
  const instances = new Map<string, ModelResource[]>();
  for (const r of resources) {
    const key = instanceKey(moduleConfigPath(parseModuleAddress(r.module)), r.mode, r.type, r.name);
    const list = instances.get(key);
    if (list) list.push(r);
    else instances.set(key, [r]);
  }
  const resolver = new Resolver(modules, instances, moduleInstances);
  const edges: Edge[] = [];
  for (const r of resources) {
    if (r.action === "delete") continue; // gone from the configuration; value edges still link it
    const steps = parseModuleAddress(r.module);
    const mod = modules.get(moduleConfigPath(steps));
    const cfg = findConfigResource(mod, r.mode, r.type, r.name);
    if (!cfg) continue;
    const scope: Scope = { module: steps, key: r.index, forEachRefs: cfg.forEachRefs };
    for (const expr of cfg.expressions) {
      const attribute = expr.path.filter((p) => typeof p === "string").join(".");
      const path = expr.path.join(".");
      for (const t of resolver.resolve(expr.refs, scope, 0)) {
        if (t.to === r.address) continue;
        const edge: Edge = { from: r.address, attribute, path, to: t.to, to_attribute: t.toAttribute, kind: "reference" };
        if (t.ambiguous) edge.ambiguous = true;
        edges.push(edge);
      }
    }
  }
  return edges;
}

function instanceKey(modulePath: string, mode: string, type: string, name: string): string {
  return `${modulePath}|${mode}|${type}|${name}`;
}

function indexModules(root: ConfigModule): Map<string, ConfigModule> {
  const out = new Map<string, ConfigModule>();
  const walk = (mod: ConfigModule, path: string, depth: number) => {
    out.set(path, mod);
    if (depth > MAX_DEPTH) return;
    for (const [name, call] of mod.calls) walk(call.module, path ? `${path}.module.${name}` : `module.${name}`, depth + 1);
  };
  walk(root, "", 0);
  return out;
}

class Resolver {
  private readonly moduleInstances: ModuleStep[][];
  private readonly byAddress = new Map<string, ModelResource>();

  constructor(
    private readonly modules: Map<string, ConfigModule>,
    private readonly instances: Map<string, ModelResource[]>,
    moduleInstanceAddresses: Iterable<string>,
  ) {
    for (const list of instances.values()) for (const r of list) this.byAddress.set(r.address, r);
    const seen = new Set<string>();
    this.moduleInstances = [];
    for (const address of moduleInstanceAddresses) {
      const steps = parseModuleAddress(address);
      for (let n = 1; n <= steps.length; n++) {
        const prefix = steps.slice(0, n);
        const text = formatModule(prefix);
        if (!seen.has(text)) {
          seen.add(text);
          this.moduleInstances.push(prefix);
        }
      }
    }
  }

  /** `pair`: the references stand for `each.value`, so instances pair with the caller's key. */
  resolve(refs: string[], scope: Scope, depth: number, pair = false): Target[] {
    if (depth > MAX_DEPTH) return [];
    const pairsByKey = pair || refs.some((r) => r === "each.key" || r.startsWith("each.key.") || r === "count.index");
    const out: Target[] = [];
    // Terraform lists `module.m["k"].out` with its prefix `module.m`: resolve the specific one only.
    const specific = refs.filter((ref) => !refs.some((other) => other !== ref && (other.startsWith(`${ref}.`) || other.startsWith(`${ref}[`))));
    for (const ref of specific) {
      const steps = parseTraversal(ref);
      if (!steps || steps.length === 0) continue;
      out.push(...this.resolveOne(steps, scope, pairsByKey, depth));
    }
    return out;
  }

  private resolveOne(steps: Key[], scope: Scope, pairsByKey: boolean, depth: number): Target[] {
    const [head] = steps;
    switch (head) {
      case "var":
        return typeof steps[1] === "string" ? this.resolveVariable(steps[1], scope, depth) : [];
      case "module":
        return this.resolveModuleOutput(steps, scope, depth);
      case "each":
        if (steps[1] !== "value") return [];
        return this.pairEachValue(this.resolve(scope.forEachRefs, { ...scope, forEachRefs: [] }, depth + 1, true), scope.key).map((t) => ({
          ...t,
          toAttribute: typeof steps[2] === "string" ? steps[2] : t.toAttribute,
        }));
      case "data":
        return typeof steps[1] === "string" && typeof steps[2] === "string"
          ? this.resolveResource("data", steps[1], steps[2], steps.slice(3), scope, pairsByKey)
          : [];
      case "local":
      case "count":
      case "path":
      case "self":
      case "terraform":
        return [];
      default:
        return typeof head === "string" && typeof steps[1] === "string"
          ? this.resolveResource("managed", head, steps[1], steps.slice(2), scope, pairsByKey)
          : [];
    }
  }

  /**
   * `each.value` of a for_each over several resources (`{ prod = aws_x.prod, staging = aws_x.staging }`)
   * is one of them per instance: pick the one whose instance key or resource name is the caller's key,
   * else mark them all as a guess.
   */
  private pairEachValue(targets: Target[], key: Key | null): Target[] {
    const distinct = new Set(targets.map((t) => t.to));
    if (distinct.size <= 1) return targets;
    for (const matches of [(r: ModelResource) => r.index === key, (r: ModelResource) => r.name === key]) {
      const picked = targets.filter((t) => {
        const r = this.byAddress.get(t.to);
        return r !== undefined && matches(r);
      });
      if (new Set(picked.map((t) => t.to)).size === 1) return picked.map((t) => ({ ...t, ambiguous: false }));
    }
    return targets.map((t) => ({ ...t, ambiguous: true }));
  }

  private resolveResource(mode: "managed" | "data", type: string, name: string, rest: Key[], scope: Scope, pairsByKey: boolean): Target[] {
    const all = this.instances.get(instanceKey(moduleConfigPath(scope.module), mode, type, name)) ?? [];
    const moduleText = formatModule(scope.module);
    let candidates = all.filter((r) => r.module === moduleText);
    let attrIndex = 0;
    if (rest.length > 0 && (typeof rest[0] === "number" || (candidates.length > 0 && candidates.some((c) => c.index === rest[0])))) {
      const key = rest[0];
      candidates = candidates.filter((c) => c.index === key);
      attrIndex = 1;
    } else if (candidates.length > 1 && pairsByKey && scope.key !== null) {
      const paired = candidates.filter((c) => c.index === scope.key);
      if (paired.length > 0) candidates = paired;
    }
    const attr = rest[attrIndex];
    const toAttribute = typeof attr === "string" && attr !== "*" ? attr : typeof rest[attrIndex + 1] === "string" && attr === "*" ? (rest[attrIndex + 1] as string) : null;
    const ambiguous = candidates.length > 1;
    return candidates.map((c) => ({ to: c.address, toAttribute, ambiguous }));
  }

  private resolveVariable(name: string, scope: Scope, depth: number): Target[] {
    if (scope.module.length === 0) return [];
    const parent = scope.module.slice(0, -1);
    const last = scope.module[scope.module.length - 1];
    const call = this.modules.get(moduleConfigPath(parent))?.calls.get(last.name);
    const refs = call?.inputs.get(name);
    if (!call || !refs) return [];
    return this.resolve(refs, { module: parent, key: last.key, forEachRefs: call.forEachRefs }, depth + 1);
  }

  private resolveModuleOutput(steps: Key[], scope: Scope, depth: number): Target[] {
    const name = steps[1];
    if (typeof name !== "string") return [];
    let key: Key | null = null;
    let output = steps[2];
    if (typeof steps[2] === "number" || (typeof steps[2] === "string" && typeof steps[3] === "string" && this.isModuleKey(scope.module, name, steps[2]))) {
      key = steps[2];
      output = steps[3];
    }
    const mod = this.modules.get(moduleConfigPath([...scope.module, { name, key: null }]));
    if (!mod) return [];
    const outputs = typeof output === "string" ? [output] : [...mod.outputs.keys()];
    const children = this.moduleInstances.filter(
      (m) =>
        m.length === scope.module.length + 1 &&
        formatModule(m.slice(0, -1)) === formatModule(scope.module) &&
        m[m.length - 1].name === name &&
        (key === null || m[m.length - 1].key === key),
    );
    const out: Target[] = [];
    for (const child of children) {
      for (const o of outputs) {
        const refs = mod.outputs.get(o);
        if (!refs) continue;
        const targets = this.resolve(refs, { module: child, key: null, forEachRefs: [] }, depth + 1);
        out.push(...targets.map((t) => ({ ...t, ambiguous: t.ambiguous || children.length > 1 })));
      }
    }
    return out;
  }

  private isModuleKey(module: ModuleStep[], name: string, key: Key): boolean {
    return this.moduleInstances.some((m) => m.length === module.length + 1 && m[m.length - 1].name === name && m[m.length - 1].key === key);
  }
}

/** Known ARN values that equal another resource's known ARN. */
function valueEdges(resources: ModelResource[], referenceEdges: Edge[]): Edge[] {
  const byArn = new Map<string, { address: string; attribute: string }>();
  for (const r of resources) {
    for (const attribute of ARN_ATTRIBUTES) {
      const v = r.values[attribute];
      if (typeof v === "string" && v.startsWith("arn:")) byArn.set(v, { address: r.address, attribute });
    }
  }
  if (byArn.size === 0) return [];
  const referenced = new Set(referenceEdges.map((e) => `${e.from}|${e.attribute}|${e.to}`));
  const edges: Edge[] = [];
  for (const r of resources) {
    walkStrings(r.values, [], 0, (value, path) => {
      const hit = byArn.get(value);
      if (!hit || hit.address === r.address || ARN_ATTRIBUTES.includes(path.join("."))) return;
      const attribute = path.filter((p) => typeof p === "string").join(".");
      if (referenced.has(`${r.address}|${attribute}|${hit.address}`)) return; // a reference says it already
      edges.push({ from: r.address, attribute, path: path.join("."), to: hit.address, to_attribute: hit.attribute, kind: "value" });
    });
  }
  return edges;
}

function walkStrings(value: unknown, path: Key[], depth: number, visit: (s: string, path: Key[]) => void): void {
  if (depth > 32) return;
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, i], depth + 1, visit));
  else if (value && typeof value === "object") {
    for (const k of Object.keys(value)) walkStrings((value as Record<string, unknown>)[k], [...path, k], depth + 1, visit);
  }
}

function dedupe(edges: Edge[]): Edge[] {
  // One edge per (from, attribute, to); an edge that names the target attribute wins over one that does not.
  const best = new Map<string, Edge>();
  for (const e of edges) {
    const key = `${e.from}|${e.path}|${e.to}|${e.kind}`;
    const seen = best.get(key);
    if (!seen || (seen.to_attribute === null && e.to_attribute !== null)) best.set(key, e);
  }
  return [...best.values()].sort((a, b) => (a.from + a.attribute + a.to < b.from + b.attribute + b.to ? -1 : a.from + a.attribute + a.to > b.from + b.attribute + b.to ? 1 : 0));
}
