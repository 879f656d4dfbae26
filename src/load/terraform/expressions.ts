/**
 * Expressions in configuration documents (`.tf` through hcl-syntax.ts, `.tf.json`, CDKTF) come as
 * strings with `${...}`. This module finds the references in them, as Terraform lists them in plan
 * JSON, and evaluates them as Terraform would: operators, conditionals, `for`, splats, templates and
 * the built-in functions (functions.ts). What is not known until apply (resource attributes, data
 * sources, module outputs) is UNKNOWN, and propagates as in Terraform.
 */
import { heightOf, parseAttributeString, type Node, type TemplatePart } from "./hcl-syntax";
import { SyntaxError as HclSyntaxError } from "./hcl-syntax";
import { callFunction } from "./functions";
import { Budget, ConfigError, containsUnknown, equals, EvalError, EvalLimitError, isObject, newObject, own, sortedKeys, toBool, toNum, toStr, typeName, UNKNOWN } from "./values";

export { isUnknown, containsUnknown, UNKNOWN, EvalLimitError, Budget } from "./values";

const TEMPLATE = /\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g;
const TRAVERSAL = /(?<![\w.\]"])((?:data\.)?[A-Za-z_][\w-]*(?:\.[A-Za-z_*][\w-]*|\[(?:\d+|"[^"]*"|[^\]]*)\])+)/g;
const NOT_REFERENCES = new Set(["true", "false", "null"]);

/** Does the string hold an expression (as opposed to a literal)? */
export function isExpression(value: unknown): value is string {
  return typeof value === "string" && value.includes("${");
}

/** References in an expression string: `aws_x.y.arn` gives `aws_x.y.arn` and `aws_x.y`, as plan JSON does. */
export function referencesIn(text: string): string[] {
  const out = new Set<string>();
  for (const [, inner] of text.matchAll(TEMPLATE)) {
    // Strings inside the expression are not references, except index keys: aws_x.y["k"].
    const code = inner.replace(/(?<!\[)"(?:[^"\\]|\\.)*"/g, '""');
    for (const [, traversal] of code.matchAll(TRAVERSAL)) {
      const parts = traversal.split(".");
      if (NOT_REFERENCES.has(parts[0]) || !traversal.includes(".")) continue;
      out.add(traversal.replace(/\[(?!\d+\]|"[^"]*"\])[^\]]*\]/g, "")); // a dynamic index (each.key) is dropped; literal ones stay
      const root = rootOf(traversal);
      if (root) out.add(root);
    }
  }
  return [...out];
}

/** `aws_x.y["k"].arn` → `aws_x.y`; `data.a.b.c` → `data.a.b`; `module.m.out` → `module.m`; `var.x` → null. */
function rootOf(traversal: string): string | null {
  const m = /^(data\.)?([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)/.exec(traversal);
  if (!m) return null;
  if (["var", "local", "each", "count", "path", "self", "terraform"].includes(m[2]) && !m[1]) return null;
  return `${m[1] ?? ""}${m[2]}.${m[3]}`;
}

export interface Scope {
  vars: Record<string, unknown>;
  locals: Record<string, unknown>;
  /** Resolves a local on demand (while locals are being resolved); else `locals` is read. */
  local?: (name: string) => unknown;
  each?: { key: unknown; value: unknown };
  /** count.index */
  count?: number;
  /** dynamic block iterators: name → { key, value } */
  iterators?: Record<string, { key: unknown; value: unknown }>;
  /** path.module, path.root, path.cwd */
  path?: { module: string; root: string; cwd: string };
  budget?: Budget;
  /** The module's local value names: a reference to any other is an error. */
  declaredLocals?: ReadonlySet<string>;
  /** The module's variable names: a reference to any other is an error. */
  declaredVariables?: ReadonlySet<string>;
  /**
   * A variable's default or a .tfvars value: Terraform allows operators, templates and `for` there,
   * but no references and no function calls.
   */
  constant?: boolean;
  /** The module's resources and data sources (`aws_x.y`, `data.aws_x.y`) and how they make instances. */
  instancing?: ReadonlyMap<string, "count" | "for_each" | null>;
}

const parsed = new Map<string, Node | Error>();

/** Parses an attribute string once: configurations repeat the same expressions across resources. */
function parseCached(text: string): Node {
  let node = parsed.get(text);
  if (!node) {
    try {
      node = parseAttributeString(text);
    } catch (e) {
      if (!(e instanceof HclSyntaxError)) throw e;
      node = e;
    }
    if (parsed.size > 50_000) parsed.clear();
    parsed.set(text, node);
  }
  // Terraform parses every expression before it evaluates any: a syntax error stops it, try() or not
  if (node instanceof Error) throw new ConfigError(/nested too deeply/.test(node.message) ? node.message : `invalid expression: ${node.message}`);
  return node;
}

/**
 * Evaluates a configuration value: strings are templates or `${expr}`, arrays and objects are
 * evaluated element by element. An expression that fails here gives UNKNOWN (the evaluator does
 * not know every function, and is no validator), except where Terraform certainly stops too: then
 * ConfigError. Running past the budget throws EvalLimitError.
 */
export function evaluate(value: unknown, scope: Scope): unknown {
  try {
    return evaluateValue(value, scope, 0);
  } catch (e) {
    if (e instanceof EvalError) {
      if (e.certain) throw new ConfigError(e.message);
      return UNKNOWN;
    }
    throw e;
  }
}

/** Evaluates the text of one expression (what is inside `${...}`). */
export function evaluateExpressionText(text: string, scope: Scope): unknown {
  return evalRoot(parseCached(`\${${text}}`), scope);
}

/**
 * The evaluator's calls under way, in levels of syntax tree (hcl-syntax.ts's heightOf): one expression
 * is at most MAX_HEIGHT deep, but a local's expression is evaluated inside the expression that reads
 * it, and so on down a chain of locals. Bounded here, so that the chain ends in a clear error before
 * the stack does.
 */
let levelsInUse = 0;
const MAX_LEVELS_IN_USE = 1000;
/** The calls between one expression and the next one it starts (a local read from another). */
const LEVELS_PER_NESTED_EXPRESSION = 5;

function evalRoot(node: Node, scope: Scope): unknown {
  assertReferencesAllowed(node, scope);
  const levels = heightOf(node) + LEVELS_PER_NESTED_EXPRESSION;
  if (levelsInUse + levels > MAX_LEVELS_IN_USE) {
    throw new ConfigError(`expressions nested too deeply: local values that read other local values, more than ${MAX_LEVELS_IN_USE} levels of expression in all (a limit of wafguard's; Terraform has none)`);
  }
  levelsInUse += levels;
  try {
    return evalNode(node, new Env(scope), undefined);
  } finally {
    levelsInUse -= levels;
  }
}

/**
 * What Terraform checks of an expression's references before it evaluates anything (try() or not,
 * branch taken or not): `each` only with for_each, `count` only with count, locals that are declared,
 * and in a constant (a variable's default, a .tfvars value) no reference and no function call at all.
 */
function assertReferencesAllowed(node: Node, scope: Scope): void {
  const meta = metaReferences(node);
  if (meta.flags === 0) return;
  if (scope.constant && meta.flags & VARIABLE) throw new ConfigError("Variables not allowed: variables may not be used here");
  if (scope.constant && meta.flags & CALL) throw new ConfigError("Function calls not allowed: functions may not be called here");
  if (meta.flags & EACH && !scope.each) throw new ConfigError('Reference to "each" in context without for_each: the "each" object can be used only in "module" or "resource" blocks, and only when the "for_each" argument is set');
  if (meta.flags & COUNT && scope.count === undefined) throw new ConfigError('Reference to "count" in non-counted context: the "count" object can be used only in "module", "resource" and "data" blocks, and only when the "count" argument is set');
  const declared = scope.declaredLocals;
  if (declared) for (const name of meta.locals) if (!declared.has(name)) throw new ConfigError(`Reference to undeclared local value: a local value with the name "${name}" has not been declared`);
  const variables = scope.declaredVariables;
  if (variables) for (const name of meta.variables) if (!variables.has(name)) throw new ConfigError(`Reference to undeclared input variable: an input variable with the name "${name}" has not been declared`);
  const instancing = scope.instancing;
  if (instancing) {
    for (const { address, keyed } of meta.resources) {
      const how = instancing.get(address);
      if (how === undefined) continue; // declared elsewhere or bound by a `for`: not this check's to judge
      if (how !== null && !keyed) throw new ConfigError(`Missing resource instance key: because ${address} has "${how}" set, its attributes must be accessed on specific instances (${address}[count.index] or ${address}[each.key])`);
      if (how === null && keyed) throw new ConfigError(`Unexpected resource instance key: because ${address} does not have "count" or "for_each" set, references to it must not include an index key`);
    }
  }
}

/**
 * The same checks over a whole value (a block body that is not evaluated, because no rule reads its
 * type): Terraform makes them of every block. A syntax error in an expression is a ConfigError too.
 * `parsedAlready`: the text came from a .tf file, whose parser read every expression already; then
 * only a text that may break a rule (it names each or count where they are not given, or a local
 * that is not declared) is parsed again, to know.
 */
export function checkReferences(value: unknown, scope: Scope, parsedAlready: boolean, depth = 0): void {
  if (depth > 256) return;
  if (typeof value === "string") {
    if (!value.includes("${") && !value.includes("%{")) return;
    if (parsedAlready && !mayBreakReferenceRules(value, scope)) return;
    assertReferencesAllowed(parseCached(value), scope);
  } else if (Array.isArray(value)) {
    for (const v of value) checkReferences(v, scope, parsedAlready, depth + 1);
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) checkReferences(v, scope, parsedAlready, depth + 1);
  }
}

function mayBreakReferenceRules(text: string, scope: Scope): boolean {
  // substring tests first: most texts name none of these
  if (!scope.each && text.includes("each") && /\beach\b/.test(text)) return true;
  if (scope.count === undefined && text.includes("count") && /\bcount\b/.test(text)) return true;
  const declared = scope.declaredLocals;
  if (declared && text.includes("local")) for (const m of text.matchAll(/\blocal\s*\.\s*([A-Za-z_][\w-]*)/g)) if (!declared.has(m[1])) return true;
  const variables = scope.declaredVariables;
  if (variables && text.includes("var")) for (const m of text.matchAll(/\bvar\s*\.\s*([A-Za-z_][\w-]*)/g)) if (!variables.has(m[1])) return true;
  // aws_x.y.attr where aws_x.y has count or for_each, aws_x.y[key] where it has neither
  const instancing = scope.instancing;
  if (instancing?.size) {
    for (const m of text.matchAll(/(?<![\w.-])((?:data\.)?[a-z][a-z0-9]*_[\w-]*\.[\w-]+)\s*([.[])/g)) {
      const how = instancing.get(m[1]);
      if (how !== undefined && (how === null) === (m[2] === "[")) return true;
    }
  }
  return false;
}

const EACH = 1;
const COUNT = 2;
/** Any name not bound by a `for`: var.x, local.y, aws_z.w… */
const VARIABLE = 4;
const CALL = 8;
type MetaReferences = { flags: number; locals: string[]; variables: string[]; resources: Array<{ address: string; keyed: boolean }> };
const metaCache = new WeakMap<Node, MetaReferences>();

/** `aws_x.y` or `data.aws_x.y` when `node` names a resource or data source (not a name a `for` binds). */
function resourceAddress(node: Node, bound: ReadonlySet<string>): string | null {
  if (node.k !== "attr") return null;
  const o = node.obj;
  if (o.k === "var" && /^[a-z][a-z0-9]*_/.test(o.name) && !bound.has(o.name)) return `${o.name}.${node.name}`;
  if (o.k === "attr" && o.obj.k === "var" && o.obj.name === "data" && !bound.has("data")) return `data.${o.name}.${node.name}`;
  return null;
}

/**
 * What an expression refers to, other than the names its `for` expressions bind: `each` (EACH),
 * `count` (COUNT), any name at all (VARIABLE); and whether it calls a function (CALL).
 */
function metaReferences(root: Node): MetaReferences {
  const cached = metaCache.get(root);
  if (cached) return cached;
  let found = 0;
  const locals = new Set<string>();
  const variables = new Set<string>();
  // aws_x.y.attr (keyed: false) and aws_x.y[key] (keyed: true): Terraform checks them against count/for_each
  const resources: MetaReferences["resources"] = [];
  const walk = (node: Node | null, bound: ReadonlySet<string>): void => {
    if (!node) return;
    switch (node.k) {
      case "var":
        if (bound.has(node.name)) return;
        found |= VARIABLE;
        if (node.name === "each") found |= EACH;
        if (node.name === "count") found |= COUNT;
        return;
      case "attr": {
        if (node.obj.k === "var" && node.obj.name === "local" && !bound.has("local")) locals.add(node.name);
        if (node.obj.k === "var" && node.obj.name === "var" && !bound.has("var")) variables.add(node.name);
        const address = resourceAddress(node.obj, bound);
        if (address) resources.push({ address, keyed: false });
        return walk(node.obj, bound);
      }
      case "index": {
        const address = resourceAddress(node.obj, bound);
        if (address) resources.push({ address, keyed: true });
        walk(node.obj, bound);
        return walk(node.key, bound);
      }
      case "splat":
        walk(node.obj, bound);
        return walk(node.each, bound);
      case "call":
        found |= CALL;
        for (const a of node.args) walk(a, bound);
        return;
      case "tuple":
        for (const x of node.items) walk(x, bound);
        return;
      case "object":
        for (const { key, value } of node.items) {
          walk(key, bound);
          walk(value, bound);
        }
        return;
      case "unary":
        return walk(node.x, bound);
      case "binary":
        walk(node.a, bound);
        return walk(node.b, bound);
      case "cond":
        walk(node.test, bound);
        walk(node.then, bound);
        return walk(node.else, bound);
      case "for": {
        walk(node.coll, bound);
        const inner = withNames(bound, node.keyVar, node.valVar);
        walk(node.keyExpr, inner);
        walk(node.valExpr, inner);
        return walk(node.cond, inner);
      }
      case "tpl":
        return walkParts(node.parts, bound);
    }
  };
  const walkParts = (parts: TemplatePart[], bound: ReadonlySet<string>): void => {
    for (const p of parts) {
      if (p.k === "interp") walk(p.x, bound);
      else if (p.k === "if") {
        walk(p.test, bound);
        walkParts(p.then, bound);
        walkParts(p.else, bound);
      } else if (p.k === "for") {
        walk(p.coll, bound);
        walkParts(p.body, withNames(bound, p.keyVar, p.valVar));
      }
    }
  };
  walk(root, new Set());
  const result = { flags: found, locals: [...locals], variables: [...variables], resources };
  metaCache.set(root, result);
  return result;
}

function withNames(bound: ReadonlySet<string>, ...names: Array<string | null>): ReadonlySet<string> {
  const out = new Set(bound);
  for (const n of names) if (n) out.add(n);
  return out;
}

function evaluateValue(value: unknown, scope: Scope, depth: number): unknown {
  if (depth > 200) throw new EvalLimitError("a value is nested more than 200 levels deep");
  scope.budget?.step();
  if (typeof value === "string") return value.includes("${") || value.includes("%{") ? evalRoot(parseCached(value), scope) : value;
  if (Array.isArray(value)) {
    scope.budget?.grow(value.length);
    return value.map((v) => evaluateValue(v, scope, depth + 1));
  }
  if (value && typeof value === "object") {
    const out = newObject();
    for (const [k, v] of Object.entries(value)) out[k] = evaluateValue(v, scope, depth + 1);
    return out;
  }
  return value;
}

/** Variables in scope during an evaluation: the module scope, plus `for` and template loop variables. */
class Env {
  constructor(
    readonly scope: Scope,
    readonly bound: Map<string, unknown> = new Map(),
  ) {}

  with(names: Array<[string | null, unknown]>): Env {
    const bound = new Map(this.bound);
    for (const [n, v] of names) if (n) bound.set(n, v);
    return new Env(this.scope, bound);
  }
}

const ROOTS_UNKNOWN_UNTIL_APPLY = new Set(["module", "data", "self"]);

function lookupVariable(name: string, env: Env): unknown {
  if (env.bound.has(name)) return env.bound.get(name);
  const s = env.scope;
  switch (name) {
    case "var":
      return s.vars;
    case "local":
      return LOCALS;
    case "each":
      if (!s.each) throw new EvalError("each is only available in a resource or module with for_each");
      return { key: s.each.key, value: s.each.value };
    case "count":
      if (s.count === undefined) throw new EvalError("count.index is only available in a resource or module with count");
      return { index: s.count };
    case "path":
      return s.path ?? { module: ".", root: ".", cwd: "." };
    case "terraform":
      return { workspace: "default" };
  }
  if (s.iterators && own(s.iterators, name)) return s.iterators[name];
  if (ROOTS_UNKNOWN_UNTIL_APPLY.has(name)) return UNKNOWN;
  // a resource type: aws_x.name.attr is known only after apply
  if (/^[a-z][a-z0-9]*_/.test(name)) return UNKNOWN;
  throw new EvalError(`unknown variable ${name}`);
}

/** Marks `local` so that attribute access resolves it lazily. */
const LOCALS = Symbol("locals");

function getAttr(obj: unknown, name: string, env: Env): unknown {
  if (obj === LOCALS) {
    const s = env.scope;
    if (s.local) return s.local(name);
    if (own(s.locals, name)) return s.locals[name];
    throw new ConfigError(`Reference to undeclared local value: a local value with the name "${name}" has not been declared`);
  }
  if (obj === env.scope.vars) {
    if (own(env.scope.vars, name)) return env.scope.vars[name];
    return UNKNOWN; // a variable with no default and no value given
  }
  if (obj === UNKNOWN) return UNKNOWN;
  if (obj === null) throw new EvalError(`attempt to get attribute "${name}" from a null value`);
  if (isObject(obj)) {
    if (own(obj, name)) return obj[name];
    throw new EvalError(`this object does not have an attribute named "${name}"`);
  }
  throw new EvalError(`cannot access attribute "${name}" of a ${typeName(obj)}`);
}

function getIndex(obj: unknown, key: unknown): unknown {
  if (obj === UNKNOWN || key === UNKNOWN) return UNKNOWN;
  if (obj === LOCALS) throw new EvalError("local is not a map");
  if (obj === null) throw new EvalError("cannot index a null value");
  if (key === null) throw new EvalError("cannot index with null");
  if (Array.isArray(obj)) {
    const i = toNum(key, "index");
    if (!Number.isInteger(i)) throw new EvalError("index must be a whole number");
    if (i < 0 || i >= obj.length) throw new EvalError(`index ${i} out of range for a list of ${obj.length}`);
    return obj[i];
  }
  if (isObject(obj)) {
    const k = toStr(key, "key");
    if (own(obj, k)) return obj[k];
    throw new EvalError(`the given key ${JSON.stringify(k)} does not identify an element`);
  }
  throw new EvalError(`cannot index a ${typeName(obj)}`);
}

function evalNode(node: Node, env: Env, item: unknown): unknown {
  env.scope.budget?.step();
  switch (node.k) {
    case "lit":
      return node.v;
    case "item":
      return item;
    case "tpl":
      return evalTemplate(node.parts, env, item);
    case "var":
      return lookupVariable(node.name, env);
    case "attr":
      return getAttr(evalNode(node.obj, env, item), node.name, env);
    case "index":
      return getIndex(evalNode(node.obj, env, item), evalNode(node.key, env, item));
    case "splat": {
      const coll = evalNode(node.obj, env, item);
      if (coll === UNKNOWN) return UNKNOWN;
      if (coll === null) return [];
      const list = Array.isArray(coll) ? coll : [coll];
      const out: unknown[] = [];
      for (const x of list) out.push(x === UNKNOWN ? UNKNOWN : evalNode(node.each, env, x)); // a loop: one call per level (hcl-syntax.ts's heightOf)
      return out;
    }
    case "call": {
      if (LAZY_FUNCTIONS.has(node.name)) return lazyCall(node.name, node.args, env, item);
      const args: unknown[] = [];
      for (const a of node.args) args.push(evalNode(a, env, item));
      if (node.expand) {
        const last = args.pop();
        if (last === UNKNOWN) return UNKNOWN;
        if (!Array.isArray(last)) throw new EvalError("the expanded argument must be a list, set or tuple");
        args.push(...last);
      }
      return callFunction(node.name, args, env.scope.budget);
    }
    case "tuple": {
      env.scope.budget?.grow(node.items.length);
      const out: unknown[] = [];
      for (const x of node.items) out.push(evalNode(x, env, item));
      return out;
    }
    case "object": {
      const out = newObject();
      for (const { key, value } of node.items) {
        const k = evalNode(key, env, item);
        if (k === UNKNOWN) return UNKNOWN;
        out[toStr(k, "object key")] = evalNode(value, env, item);
      }
      env.scope.budget?.grow(node.items.length);
      return out;
    }
    case "unary": {
      const x = evalNode(node.x, env, item);
      if (x === UNKNOWN) return UNKNOWN;
      return node.op === "!" ? !operand(x, "only", "!", "bool") : -operand(x, "only", "-");
    }
    case "binary":
      return binary(node.op, evalNode(node.a, env, item), evalNode(node.b, env, item));
    case "cond": {
      const test = evalNode(node.test, env, item);
      if (test === UNKNOWN) return UNKNOWN;
      if (test === null) throw new EvalError("the condition value is null");
      return toBool(test, "condition") ? evalNode(node.then, env, item) : evalNode(node.else, env, item);
    }
    case "for":
      return evalFor(node, env, item);
  }
}

function binary(op: string, a: unknown, b: unknown): unknown {
  switch (op) {
    case "&&":
    case "||": {
      // cty: a known false (true) decides && (||) whatever the other side
      const decisive = op === "&&" ? false : true;
      if (a === decisive || b === decisive) {
        if (a !== UNKNOWN && a !== decisive) operand(a, "left", op, "bool");
        if (b !== UNKNOWN && b !== decisive) operand(b, "right", op, "bool");
        return decisive;
      }
      if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
      const x = operand(a, "left", op, "bool") as boolean;
      const y = operand(b, "right", op, "bool") as boolean;
      return op === "&&" ? x && y : x || y;
    }
    case "==":
    case "!=":
      if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
      return op === "==" ? equals(a, b) : !equals(a, b);
  }
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  const x = operand(a, "left", op) as number;
  const y = operand(b, "right", op) as number;
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      if (x === 0 && y === 0) throw new EvalError("can't divide zero by zero");
      return x / y;
    case "%":
      if (y === 0) throw new EvalError("can't use modulo with zero");
      return x % y;
    case "<":
      return x < y;
    case ">":
      return x > y;
    case "<=":
      return x <= y;
    case ">=":
      return x >= y;
  }
  throw new EvalError(`unknown operator ${op}`);
}

/**
 * An operand of an operator: a number (a string that reads as one is converted), or a bool for
 * `&&`, `||` and `!`. The operand is known here, so a value the operator cannot take stops Terraform
 * whatever is decided at apply: a certain error (try() and can() still catch it, as Terraform's do).
 */
function operand(v: unknown, side: string, op: string, want: "number" | "bool" = "number"): number | boolean {
  try {
    return want === "number" ? toNum(v) : toBool(v);
  } catch (e) {
    if (!(e instanceof EvalError)) throw e;
    const got = v === null ? "null" : typeof v === "string" ? `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}` : `a ${typeName(v)}`;
    throw new EvalError(`Invalid operand: unsuitable value for the ${side} operand of ${op}: a ${want} is required, got ${got}`, true);
  }
}

/** The elements a `for` (or `%{for}`) iterates: lists by index, maps and objects by key in lexical order. */
function iterate(coll: unknown): Array<[string | number, unknown]> | typeof UNKNOWN {
  if (coll === UNKNOWN) return UNKNOWN;
  if (coll === null) throw new EvalError("cannot iterate over a null value");
  if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
  if (isObject(coll)) return sortedKeys(coll).map((k) => [k, coll[k]]);
  throw new EvalError(`a ${typeName(coll)} cannot be iterated`);
}

function evalFor(node: Extract<Node, { k: "for" }>, env: Env, item: unknown): unknown {
  const entries = iterate(evalNode(node.coll, env, item));
  if (entries === UNKNOWN) return UNKNOWN;
  const budget = env.scope.budget;
  budget?.grow(entries.length);
  if (node.keyExpr === null) {
    const out: unknown[] = [];
    let unknown = false;
    for (const [k, v] of entries) {
      const inner = env.with([[node.keyVar, k], [node.valVar, v]]);
      if (node.cond) {
        const c = evalNode(node.cond, inner, item);
        if (c === UNKNOWN) unknown = true;
        else if (!toBool(c, "for condition")) continue;
      }
      out.push(evalNode(node.valExpr, inner, item));
    }
    return unknown ? UNKNOWN : out;
  }
  const out = newObject();
  let unknown = false;
  for (const [k, v] of entries) {
    const inner = env.with([[node.keyVar, k], [node.valVar, v]]);
    if (node.cond) {
      const c = evalNode(node.cond, inner, item);
      if (c === UNKNOWN) {
        unknown = true;
        continue;
      }
      if (!toBool(c, "for condition")) continue;
    }
    const key = evalNode(node.keyExpr, inner, item);
    if (key === UNKNOWN) {
      unknown = true;
      continue;
    }
    const name = toStr(key, "for key");
    const value = evalNode(node.valExpr, inner, item);
    if (node.group) {
      if (!own(out, name)) out[name] = [];
      (out[name] as unknown[]).push(value);
    } else {
      if (own(out, name)) throw new EvalError(`duplicate object key ${JSON.stringify(name)} (use "..." to group)`);
      out[name] = value;
    }
  }
  return unknown ? UNKNOWN : out;
}

function evalTemplate(parts: TemplatePart[], env: Env, item: unknown): unknown {
  let out = "";
  for (const p of parts) {
    env.scope.budget?.step();
    if (p.k === "text") out += p.text;
    else if (p.k === "interp") {
      const v = evalNode(p.x, env, item);
      if (v === UNKNOWN) return UNKNOWN;
      if (v === null) throw new EvalError("a template interpolation value is null");
      out += toStr(v, "template interpolation");
    } else if (p.k === "if") {
      const c = evalNode(p.test, env, item);
      if (c === UNKNOWN) return UNKNOWN;
      const v = evalTemplate(toBool(c, "template condition") ? p.then : p.else, env, item);
      if (v === UNKNOWN) return UNKNOWN;
      out += v as string;
    } else {
      const entries = iterate(evalNode(p.coll, env, item));
      if (entries === UNKNOWN) return UNKNOWN;
      for (const [k, v] of entries) {
        const s = evalTemplate(p.body, env.with([[p.keyVar, k], [p.valVar, v]]), item);
        if (s === UNKNOWN) return UNKNOWN;
        out += s as string;
      }
    }
    env.scope.budget?.grow(0);
    if (out.length > 10_000_000) throw new EvalLimitError("a template builds a string longer than 10 MB");
  }
  return out;
}

/** try() and can() see their arguments' errors, so they evaluate them themselves. */
const LAZY_FUNCTIONS = new Set(["try", "can"]);

function lazyCall(name: string, args: Node[], env: Env, item: unknown): unknown {
  if (name === "can") {
    if (args.length !== 1) throw new EvalError("can() takes one argument");
    try {
      const v = evalNode(args[0], env, item);
      return containsUnknown(v) ? UNKNOWN : true;
    } catch (e) {
      if (e instanceof EvalError) return false;
      throw e;
    }
  }
  if (args.length === 0) throw new EvalError("try() needs at least one argument");
  for (const a of args) {
    try {
      const v = evalNode(a, env, item);
      // An unknown (at any depth) could still fail once known: the result is unknown
      if (containsUnknown(v)) return UNKNOWN;
      return v;
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
    }
  }
  throw new EvalError("no expression given to try() succeeded");
}
