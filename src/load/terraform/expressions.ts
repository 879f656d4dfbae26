/**
 * Expressions in configuration documents (`.tf` through hcl2-parser, `.tf.json`, CDKTF) come as
 * strings with `${...}`. This module finds the references in them, as Terraform lists them in plan
 * JSON, and evaluates the simple ones (variables, locals, each.key/value) to literal values.
 */
import { setOwn } from "../../own-property";

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
  each?: { key: string | number; value: unknown };
  /** dynamic block iterators: name → { key, value } */
  iterators?: Record<string, { key: string | number; value: unknown }>;
}

const UNKNOWN = Symbol("unknown");

/**
 * Evaluates a value whose strings may hold `${var.x}`, `${local.x}`, `${each.key}` or templates of
 * those. Returns `unknown` for anything else (resource attributes, function calls), which the
 * caller records as not known until apply.
 */
export function evaluate(value: unknown, scope: Scope, depth = 0): unknown {
  if (depth > 32) return UNKNOWN;
  if (typeof value === "string") return isExpression(value) ? evaluateString(value, scope) : value;
  if (Array.isArray(value)) return value.map((v) => evaluate(v, scope, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, evaluate(v, scope, depth + 1));
    return out;
  }
  return value;
}

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

function evaluateString(text: string, scope: Scope): unknown {
  const whole = /^\$\{\s*([^{}]*?)\s*\}$/.exec(text);
  if (whole) return evaluateSimple(whole[1], scope);
  let failed = false;
  const result = text.replace(TEMPLATE, (_, inner: string) => {
    const v = evaluateSimple(inner.trim(), scope);
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
    failed = true;
    return "";
  });
  return failed ? UNKNOWN : result;
}

function evaluateSimple(expr: string, scope: Scope): unknown {
  const conditional = /^(.+?)\s*(==|!=|>=|<=|>|<)\s*(.+?)\s*\?\s*(.+?)\s*:\s*(.+)$/.exec(expr);
  if (conditional) {
    const [, left, op, right, then, otherwise] = conditional;
    const result = compare(operand(left, scope), op, operand(right, scope));
    return result === UNKNOWN ? UNKNOWN : operand(result ? then : otherwise, scope);
  }
  const len = /^length\((.+)\)$/.exec(expr);
  if (len) {
    const v = operand(len[1], scope);
    return Array.isArray(v) ? v.length : typeof v === "string" ? v.length : v && typeof v === "object" ? Object.keys(v).length : UNKNOWN;
  }
  const boolean = /^([\w.]+)\s*\?\s*(.+?)\s*:\s*(.+)$/.exec(expr);
  if (boolean) {
    const test = operand(boolean[1], scope);
    return typeof test === "boolean" ? operand(test ? boolean[2] : boolean[3], scope) : UNKNOWN;
  }
  if (expr.startsWith("[")) return listLiteral(expr);
  const m = /^([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*|\[\d+\]|\["[^"]*"\])*)$/.exec(expr);
  if (!m) return UNKNOWN;
  const [, root, name, rest] = m;
  let base: unknown = UNKNOWN;
  if (root === "var" && Object.prototype.hasOwnProperty.call(scope.vars, name)) base = scope.vars[name];
  else if (root === "local" && Object.prototype.hasOwnProperty.call(scope.locals, name)) base = scope.locals[name];
  else if (root === "each" && scope.each) base = name === "key" ? scope.each.key : name === "value" ? scope.each.value : UNKNOWN;
  else if (scope.iterators && Object.prototype.hasOwnProperty.call(scope.iterators, root)) {
    const it = scope.iterators[root];
    base = name === "key" ? it.key : name === "value" ? it.value : UNKNOWN;
  }
  if (base === UNKNOWN) return UNKNOWN;
  for (const step of rest.match(/\.[A-Za-z_][\w-]*|\[\d+\]|\["[^"]*"\]/g) ?? []) {
    const key = step.startsWith(".") ? step.slice(1) : step.startsWith('["') ? (JSON.parse(step.slice(1, -1)) as string) : Number(step.slice(1, -1));
    if (base === null || typeof base !== "object" || !Object.prototype.hasOwnProperty.call(base, key)) return UNKNOWN;
    base = (base as Record<string, unknown>)[key as string];
  }
  return base;
}

/** A list literal of strings and numbers (`["eu", "us"]`) reads as JSON; anything else is unknown. */
function listLiteral(expr: string): unknown {
  try {
    const value: unknown = JSON.parse(expr);
    return Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number") ? value : UNKNOWN;
  } catch {
    return UNKNOWN;
  }
}

/** A literal (string, number, bool, list of those) or a simple reference, in a conditional. */
function operand(text: string, scope: Scope): unknown {
  const t = text.trim();
  if (/^"(?:[^"\\$]|\\.)*"$/.test(t)) return JSON.parse(t) as string;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t === "true" || t === "false") return t === "true";
  if (t.startsWith("[")) return listLiteral(t);
  return evaluateSimple(t, scope);
}

function compare(a: unknown, op: string, b: unknown): boolean | typeof UNKNOWN {
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  if (op === "==") return a === b;
  if (op === "!=") return a !== b;
  if (typeof a !== "number" || typeof b !== "number") return UNKNOWN;
  return op === ">" ? a > b : op === ">=" ? a >= b : op === "<" ? a < b : a <= b;
}
