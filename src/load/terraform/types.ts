/**
 * A variable's `type` constraint applied to its value, as Terraform converts it: a list given to a
 * `set(string)` variable is a set (which `for_each` takes, where it refuses a list), a number given to
 * a `string` variable is a string, an `optional(T, default)` attribute left out takes its default.
 * Where the value does not convert, it is left as it is: refusing it is Terraform's to do, and this
 * is no validator.
 */
import { parseAttributeString, type Node } from "./hcl-syntax";
import { EvalError, isObject, makeSet, newObject, own, toBool, toNum, toStr, UNKNOWN } from "./values";

const parsed = new Map<string, Node | null>();

/** The syntax tree of a type constraint: `set(string)`, or `${set(string)}` as the .tf reader writes it. */
function typeNode(written: unknown): Node | null {
  if (typeof written !== "string") return null;
  const text = /^\$\{[\s\S]*\}$/.test(written) ? written.slice(2, -1) : written;
  let node = parsed.get(text);
  if (node === undefined) {
    try {
      node = parseAttributeString(`\${${text}}`);
    } catch {
      node = null;
    }
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(text, node);
  }
  return node;
}

export function convertToType(value: unknown, type: unknown): unknown {
  const node = typeNode(type);
  if (!node) return value;
  try {
    return convert(value, node, 0);
  } catch (e) {
    if (e instanceof EvalError) return value;
    throw e;
  }
}

function convert(value: unknown, type: Node, depth: number): unknown {
  if (value === UNKNOWN || value === null || depth > 64) return value;
  if (type.k === "var") {
    switch (type.name) {
      case "string":
        return typeof value === "number" || typeof value === "boolean" ? toStr(value) : value;
      case "number":
        return typeof value === "string" ? toNum(value) : value;
      case "bool":
        return typeof value === "string" ? toBool(value) : value;
      default:
        return value; // any
    }
  }
  if (type.k !== "call") return value;
  const inner = type.args[0];
  switch (type.name) {
    case "list":
      return Array.isArray(value) && inner ? value.map((v) => convert(v, inner, depth + 1)) : value;
    case "set":
      if (!Array.isArray(value) || !inner) return value;
      return makeSet(value.map((v) => convert(v, inner, depth + 1)));
    case "map": {
      if (!isObject(value) || !inner) return value;
      const out = newObject();
      for (const k of Object.keys(value)) out[k] = convert(value[k], inner, depth + 1);
      return out;
    }
    case "tuple":
      return Array.isArray(value) && inner?.k === "tuple" ? value.map((v, i) => (i < inner.items.length ? convert(v, inner.items[i], depth + 1) : v)) : value;
    case "object": {
      if (!isObject(value) || inner?.k !== "object") return value;
      const out = newObject();
      for (const k of Object.keys(value)) out[k] = value[k];
      for (const { key, value: attrType } of inner.items) {
        const name = key.k === "lit" && typeof key.v === "string" ? key.v : key.k === "var" ? key.name : null;
        if (name === null) continue;
        if (own(out, name)) out[name] = convert(out[name], optionalType(attrType), depth + 1);
        else if (attrType.k === "call" && attrType.name === "optional") {
          // A left-out optional attribute is null, or its default
          const d = attrType.args[1];
          out[name] = d ? convert(literal(d), attrType.args[0], depth + 1) : null;
        }
      }
      return out;
    }
    case "optional":
      return inner ? convert(value, inner, depth + 1) : value;
  }
  return value;
}

function optionalType(type: Node): Node {
  return type.k === "call" && type.name === "optional" && type.args[0] ? type.args[0] : type;
}

/** An optional attribute's default: a literal (Terraform allows no references there). */
function literal(node: Node): unknown {
  switch (node.k) {
    case "lit":
      return node.v;
    case "unary":
      return node.op === "-" && node.x.k === "lit" && typeof node.x.v === "number" ? -node.x.v : UNKNOWN;
    case "tuple":
      return node.items.map(literal);
    case "object": {
      const out = newObject();
      for (const { key, value } of node.items) {
        const k = key.k === "lit" ? String(key.v) : key.k === "var" ? key.name : null;
        if (k === null) return UNKNOWN;
        out[k] = literal(value);
      }
      return out;
    }
    default:
      return UNKNOWN;
  }
}
