/**
 * Terraform values as plain JavaScript: strings, numbers, booleans, null, arrays (lists, tuples and
 * sets, sets kept sorted and unique), objects (maps and objects), and UNKNOWN for a value not known
 * until apply. Conversions and equality follow cty, the type system under Terraform.
 */

export const UNKNOWN: unique symbol = Symbol("unknown");
export type Value = unknown;

/**
 * An expression that Terraform would reject (or that cannot be evaluated here): its value stays
 * unknown, and try() and can() see it. `certain`: Terraform itself stops here (a call to a function
 * that does not exist, an operator given a value it cannot take): where no try() or can() catches
 * it, the configuration is refused (ConfigError) rather than read as unknown.
 */
export class EvalError extends Error {
  constructor(
    message: string,
    readonly certain = false,
  ) {
    super(message);
  }
}

/** Evaluation ran past its budget of steps or of values built: hostile or runaway input. */
export class EvalLimitError extends Error {}

/**
 * A configuration that Terraform refuses whatever is not known yet (a call to a function that does
 * not exist, an invalid count, a reference cycle…), or one past wafguard's own limits. Not an
 * EvalError: nothing turns it into an unknown value. The loader adds where it is as it unwinds:
 * the file, the line, and what was being read there (`context`).
 */
export class ConfigError extends Error {
  file?: string;
  line?: number;
  /** The block: `resource "aws_x" "y"`, `locals`. */
  context?: string;
  /** The argument within it: `name`, `rule.0.statement`. */
  attribute?: string;
}

export function isUnknown(v: unknown): v is typeof UNKNOWN {
  return v === UNKNOWN;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function containsUnknown(v: unknown, depth = 0): boolean {
  if (v === UNKNOWN) return true;
  if (depth > 256) return false;
  if (Array.isArray(v)) return v.some((x) => containsUnknown(x, depth + 1));
  if (isObject(v)) return Object.values(v).some((x) => containsUnknown(x, depth + 1));
  return false;
}

/** Object keys in Terraform's order (lexical), not JavaScript's (integer-like keys first). */
export function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort(compareStrings);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function own(o: Record<string, unknown>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** A plain object with own keys only (no prototype), safe for any key. */
export function newObject(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (v === UNKNOWN) return "unknown";
  if (Array.isArray(v)) return "tuple";
  if (typeof v === "object") return "object";
  return typeof v === "boolean" ? "bool" : typeof v;
}

/** cty's number → string: integers without exponent, others in the shortest form. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  const s = String(n);
  if (!s.includes("e")) return s;
  // 1e-7 → 0.0000001
  const [mant, exp] = s.split("e");
  const e = Number(exp);
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  const point = (mant.replace("-", "").indexOf(".") < 0 ? mant.replace("-", "").length : mant.replace("-", "").indexOf(".")) + e;
  const out = point <= 0 ? `0.${"0".repeat(-point)}${digits}` : digits.padEnd(point, "0").slice(0, point) + (digits.length > point ? `.${digits.slice(point)}` : "");
  return (neg ? "-" : "") + out;
}

export function toStr(v: unknown, what = "value"): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v === null) throw new EvalError(`${what} must not be null`);
  throw new EvalError(`${what}: string required, got ${typeName(v)}`);
}

export function toNum(v: unknown, what = "value"): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const t = v;
    if (/^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
    throw new EvalError(`${what}: cannot convert ${JSON.stringify(v)} to a number`);
  }
  if (v === null) throw new EvalError(`${what} must not be null`);
  throw new EvalError(`${what}: number required, got ${typeName(v)}`);
}

export function toBool(v: unknown, what = "value"): boolean {
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  if (v === null) throw new EvalError(`${what} must not be null`);
  throw new EvalError(`${what}: bool required, got ${typeName(v)}`);
}

/** cty equality: no conversion between types (1 != "1"), deep for collections. */
export function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equals(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => own(b, k) && equals(a[k], b[k]));
  }
  return false;
}

/**
 * The common type of a collection's elements, as cty unifies them: all strings when any is a string
 * and the rest are numbers or bools; numbers and bools do not mix. Returns the converted elements.
 */
export function unifyPrimitives(items: unknown[]): unknown[] {
  const kinds = new Set(items.filter((x) => x !== null && x !== UNKNOWN).map((x) => (Array.isArray(x) ? "list" : typeof x)));
  if (kinds.size <= 1) return items;
  if ([...kinds].every((k) => k === "string" || k === "number" || k === "boolean") && kinds.has("string")) {
    return items.map((x) => (x === null || x === UNKNOWN ? x : toStr(x)));
  }
  throw new EvalError("all elements must have the same type");
}

/**
 * Marks an array made by makeSet. Sets are arrays here (every function reading a list reads them),
 * but a dynamic block iterates a set with each element as its key, where a list gives the index.
 */
const SET = Symbol("set");

export function isSet(value: unknown): boolean {
  return Array.isArray(value) && (value as { [SET]?: true })[SET] === true;
}

/** A set: converted to one type, unique, in cty's order (strings lexical, numbers ascending). */
export function makeSet(items: unknown[]): unknown[] {
  if (items.some((x) => x === UNKNOWN)) return items; // order not known; kept as given
  const unified = unifyPrimitives(items);
  const out: unknown[] = [];
  for (const x of unified) if (!out.some((y) => equals(x, y))) out.push(x);
  if (out.every((x) => typeof x === "string")) (out as string[]).sort(compareStrings);
  else if (out.every((x) => typeof x === "number")) (out as number[]).sort((a, b) => a - b);
  else if (out.every((x) => typeof x === "boolean")) out.sort((a, b) => Number(a) - Number(b));
  Object.defineProperty(out, SET, { value: true });
  return out;
}

/** Bounds evaluation of one configuration: steps taken and values built. Shared by every expression of a load. */
export class Budget {
  steps = 0;
  size = 0;
  constructor(
    readonly maxSteps = 5_000_000,
    readonly maxSize = 4_000_000,
  ) {}

  step(): void {
    if (++this.steps > this.maxSteps) throw new EvalLimitError(`expression evaluation takes more than ${this.maxSteps.toLocaleString("en-US")} steps`);
  }

  /** Blocks generated by `dynamic`: each is a whole object, so they are bounded on their own. */
  generated = 0;
  blocks(n: number): void {
    this.generated += n;
    if (this.generated > 200_000) throw new EvalLimitError("dynamic blocks generate more than 200,000 blocks");
  }

  grow(n: number): void {
    this.size += n;
    if (this.size > this.maxSize) throw new EvalLimitError(`expressions build more than ${this.maxSize.toLocaleString("en-US")} values`);
  }
}

