/**
 * Terraform's built-in functions, as far as they are known before apply. Behaviour follows
 * OpenTofu 1.10 (checked by the differential test against `tofu console`). Functions whose result
 * depends on the machine or the time (uuid, timestamp, file, templatefile) give UNKNOWN.
 */
import { createHash } from "node:crypto";
import { type Budget, compareStrings, containsUnknown, equals, EvalError, formatNumber, isObject, makeSet, newObject, own, sortedKeys, toBool, toNum, toStr, typeName, unifyPrimitives, UNKNOWN } from "./values";

type Fn = (args: unknown[], budget?: Budget) => unknown;

interface Spec {
  fn: Fn;
  /** Argument count: [min, max]; max -1 for variadic. */
  arity: [number, number];
  /** The function reads its arguments only as a structure: unknown elements pass through. */
  shallow?: boolean;
  /** Arguments that may be null (others: an error, as in Terraform). */
  nullable?: boolean;
}

const FUNCTIONS: Record<string, Spec> = newObject() as Record<string, Spec>;

export function callFunction(called: string, args: unknown[], budget?: Budget): unknown {
  const name = called.startsWith("core::") ? called.slice(6) : called; // core::length is length
  const spec = own(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!spec) {
    // A provider's function, or a built-in this evaluator does not compute: known at plan, not here.
    if (BUILT_IN.has(name) || called.startsWith("provider::")) return UNKNOWN;
    // Terraform stops at a name that is none of these (try() and can() still catch it, as Terraform's do).
    throw new EvalError(`Call to unknown function: there is no function named "${called}"`, true);
  }
  const [min, max] = spec.arity;
  if (args.length < min || (max >= 0 && args.length > max)) throw new EvalError(`${name}() takes ${min === max ? min : `${min} to ${max < 0 ? "any number of" : max}`} arguments, got ${args.length}`);
  if (args.some((a) => a === UNKNOWN)) return UNKNOWN;
  if (!spec.shallow && args.some((a) => containsUnknown(a))) return UNKNOWN;
  if (!spec.nullable && args.some((a) => a === null)) throw new EvalError(`${name}(): argument must not be null`);
  return spec.fn(args, budget);
}


/**
 * Every function Terraform and OpenTofu have (OpenTofu 1.10's `tofu metadata functions`, and
 * Terraform's ephemeralasnull); calling any other name is an error in both. `try` and `can` are
 * evaluated apart (expressions.ts).
 */
const BUILT_IN = new Set(
  `abs abspath alltrue anytrue base64decode base64encode base64gunzip base64gzip base64sha256 base64sha512 basename bcrypt can ceil chomp chunklist
  cidrcontains cidrhost cidrnetmask cidrsubnet cidrsubnets coalesce coalescelist compact concat contains csvdecode dirname distinct element endswith
  ephemeralasnull file filebase64 filebase64sha256 filebase64sha512 fileexists filemd5 fileset filesha1 filesha256 filesha512 flatten floor format
  formatdate formatlist indent index issensitive join jsondecode jsonencode keys length log lookup lower matchkeys max md5 merge min nonsensitive one
  parseint pathexpand plantimestamp pow range regex regexall replace reverse rsadecrypt sensitive setintersection setproduct setsubtract setunion sha1
  sha256 sha512 signum slice sort split startswith strcontains strrev substr sum templatefile templatestring textdecodebase64 textencodebase64 timeadd
  timecmp timestamp title tobool tolist tomap tonumber toset tostring transpose trim trimprefix trimspace trimsuffix try upper urldecode urlencode uuid
  uuidv5 values yamldecode yamlencode zipmap`.split(/\s+/),
);

function def(name: string, arity: [number, number], fn: Fn, opts: Partial<Spec> = {}): void {
  FUNCTIONS[name] = { fn, arity, ...opts };
}

function list(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === null) throw new EvalError(`${what} must not be null`);
  throw new EvalError(`${what}: list required, got ${typeName(v)}`);
}

function map(v: unknown, what: string): Record<string, unknown> {
  if (isObject(v)) return v;
  if (v === null) throw new EvalError(`${what} must not be null`);
  throw new EvalError(`${what}: map required, got ${typeName(v)}`);
}

function int(v: unknown, what: string): number {
  const n = toNum(v, what);
  if (!Number.isInteger(n)) throw new EvalError(`${what} must be a whole number`);
  return n;
}

/** Strings as Terraform counts them: by Unicode grapheme clusters (code points approximate them). */
function chars(s: string): string[] {
  return Array.from(s);
}

// ---- collections

def("length", [1, 1], ([v]) => {
  if (typeof v === "string") return chars(v).length;
  if (Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  if (v === null) throw new EvalError("argument must not be null");
  throw new EvalError(`length() of a ${typeName(v)}`);
}, { shallow: true });

def("lookup", [2, 3], ([m, k, d]) => {
  const key = toStr(k, "key");
  const o = map(m, "lookup() map");
  if (own(o, key)) return o[key];
  if (d === undefined) throw new EvalError(`lookup failed to find key ${JSON.stringify(key)}`);
  return d;
}, { shallow: true, nullable: true });

def("element", [2, 2], ([l, i]) => {
  const items = list(l, "element() list");
  const n = int(i, "index");
  if (items.length === 0) throw new EvalError("cannot use element function with an empty list");
  return items[((n % items.length) + items.length) % items.length]; // negative indexes count from the end
}, { shallow: true });

def("index", [2, 2], ([l, v]) => {
  const items = list(l, "index() list");
  if (containsUnknown(items) || containsUnknown(v)) return UNKNOWN;
  const i = items.findIndex((x) => equals(x, v));
  if (i < 0) throw new EvalError("item not found");
  return i;
}, { shallow: true });

def("merge", [0, -1], (args) => {
  const out = newObject();
  for (const a of args) {
    if (a === null) continue;
    for (const k of Object.keys(map(a, "merge() argument"))) out[k] = (a as Record<string, unknown>)[k];
  }
  return out;
}, { shallow: true, nullable: true });

def("concat", [1, -1], (args, budget) => {
  const out: unknown[] = [];
  for (const a of args) out.push(...list(a, "concat() argument"));
  budget?.grow(out.length);
  return out;
}, { shallow: true });

def("contains", [2, 2], ([l, v]) => {
  const items = Array.isArray(l) ? l : isObject(l) ? Object.values(l) : list(l, "contains() list");
  return items.some((x) => equals(x, v));
});

def("coalesce", [1, -1], (args) => {
  const unified = unifyPrimitives(args);
  for (const a of unified) if (a !== null && a !== "") return a;
  throw new EvalError("no non-null, non-empty-string arguments");
}, { nullable: true });

def("coalescelist", [1, -1], (args) => {
  for (const a of args) if (list(a, "coalescelist() argument").length > 0) return a;
  throw new EvalError("no non-null arguments");
}, { shallow: true });

def("flatten", [1, 1], ([l], budget) => {
  const out: unknown[] = [];
  let unknown = false;
  const walk = (xs: unknown[], depth: number) => {
    if (depth > 100) throw new EvalError("flatten(): list nested too deeply");
    for (const x of xs) {
      if (x === UNKNOWN) unknown = true;
      else if (Array.isArray(x)) walk(x, depth + 1);
      else out.push(x);
    }
  };
  walk(list(l, "flatten() argument"), 0);
  budget?.grow(out.length);
  return unknown ? UNKNOWN : out;
}, { shallow: true });

def("keys", [1, 1], ([m]) => sortedKeys(map(m, "keys() argument")), { shallow: true });
def("values", [1, 1], ([m]) => {
  const o = map(m, "values() argument");
  return sortedKeys(o).map((k) => o[k]);
}, { shallow: true });

def("distinct", [1, 1], ([l]) => {
  const out: unknown[] = [];
  for (const x of list(l, "distinct() argument")) if (!out.some((y) => equals(x, y))) out.push(x);
  return out;
});

def("compact", [1, 1], ([l]) => list(l, "compact() argument").map((x) => (x === null ? x : toStr(x))).filter((x) => x !== null && x !== ""));

def("zipmap", [2, 2], ([k, v]) => {
  const ks = list(k, "zipmap() keys");
  const vs = list(v, "zipmap() values");
  if (ks.length !== vs.length) throw new EvalError(`number of keys (${ks.length}) does not match number of values (${vs.length})`);
  if (containsUnknown(ks)) return UNKNOWN;
  const out = newObject();
  ks.forEach((key, i) => (out[toStr(key, "key")] = vs[i]));
  return out;
}, { shallow: true });

def("slice", [3, 3], ([l, s, e]) => {
  const items = list(l, "slice() list");
  const start = int(s, "start index");
  const end = int(e, "end index");
  if (start < 0) throw new EvalError("start index must not be less than zero");
  if (end > items.length) throw new EvalError("end index must not be greater than the length of the list");
  if (start > end) throw new EvalError("start index must not be greater than end index");
  return items.slice(start, end);
}, { shallow: true });

def("reverse", [1, 1], ([l]) => [...list(l, "reverse() argument")].reverse(), { shallow: true });

def("sort", [1, 1], ([l]) => list(l, "sort() argument").map((x) => toStr(x, "sort() element")).sort(compareStrings));

def("one", [1, 1], ([l]) => {
  const items = list(l, "one() argument");
  if (items.length === 0) return null;
  if (items.length > 1) throw new EvalError("must be a list, set, or tuple value with either zero or one elements");
  return items[0];
}, { shallow: true });

def("sum", [1, 1], ([l]) => {
  const items = list(l, "sum() argument");
  if (items.length === 0) throw new EvalError("cannot sum an empty list");
  return items.reduce((a: number, x) => a + toNum(x, "sum() element"), 0);
});

def("range", [1, 3], (args) => {
  const nums = args.map((a) => toNum(a, "range() argument"));
  const [start, limit, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? (nums[1] < nums[0] ? -1 : 1)];
  if (step === 0) throw new EvalError("step must not be zero");
  if (start < limit && step < 0) throw new EvalError("step must be positive when start is less than limit");
  if (start > limit && step > 0) throw new EvalError("step must be negative when start is greater than limit");
  const out: number[] = [];
  for (let v = start; step > 0 ? v < limit : v > limit; v += step) {
    if (out.length >= 1024) throw new EvalError("more than 1024 values were generated");
    out.push(v);
  }
  return out;
});

def("setunion", [1, -1], (args) => makeSet(args.flatMap((a) => list(a, "setunion() argument"))));
def("setintersection", [1, -1], (args) => {
  const sets = args.map((a) => list(a, "setintersection() argument"));
  return makeSet(sets[0].filter((x) => sets.every((s) => s.some((y) => equals(x, y)))));
});
def("setsubtract", [2, 2], ([a, b]) => {
  const bs = list(b, "setsubtract() argument");
  return makeSet(list(a, "setsubtract() argument").filter((x) => !bs.some((y) => equals(x, y))));
});
def("setproduct", [1, -1], (args, budget) => {
  let out: unknown[][] = [[]];
  for (const a of args) {
    const items = list(a, "setproduct() argument");
    out = out.flatMap((prefix) => items.map((x) => [...prefix, x]));
    budget?.grow(out.length);
  }
  return args.length && args.every((a) => (a as unknown[]).length) ? out : [];
});

def("alltrue", [1, 1], ([l]) => list(l, "alltrue() argument").every((x) => toBool(x, "alltrue() element")));
def("anytrue", [1, 1], ([l]) => list(l, "anytrue() argument").some((x) => toBool(x, "anytrue() element")));

def("chunklist", [2, 2], ([l, n]) => {
  const items = list(l, "chunklist() list");
  const size = int(n, "chunk size");
  if (size < 0) throw new EvalError("the size argument must be positive");
  if (size === 0) return [items];
  const out: unknown[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}, { shallow: true });

def("transpose", [1, 1], ([m]) => {
  const o = map(m, "transpose() argument");
  const out = newObject();
  for (const k of sortedKeys(o)) {
    for (const v of list(o[k], "transpose() value")) {
      const s = toStr(v);
      if (!own(out, s)) out[s] = [];
      (out[s] as string[]).push(k);
    }
  }
  return out;
});

def("matchkeys", [3, 3], ([v, k, s]) => {
  const vs = list(v, "values");
  const ks = list(k, "keys");
  const ss = list(s, "searchset");
  if (vs.length !== ks.length) throw new EvalError("length of keys and values should be equal");
  return vs.filter((_, i) => ss.some((x) => equals(x, ks[i])));
});

// ---- type conversions

def("tostring", [1, 1], ([v]) => (v === null ? null : toStr(v, "tostring() argument")), { nullable: true });
def("tonumber", [1, 1], ([v]) => (v === null ? null : toNum(v, "tonumber() argument")), { nullable: true });
def("tobool", [1, 1], ([v]) => (v === null ? null : toBool(v, "tobool() argument")), { nullable: true });
def("tolist", [1, 1], ([v]) => (v === null ? null : unifyPrimitives(list(v, "tolist() argument"))), { nullable: true });
def("toset", [1, 1], ([v]) => (v === null ? null : makeSet(list(v, "toset() argument"))), { nullable: true });
def("tomap", [1, 1], ([v]) => {
  if (v === null) return null;
  const o = map(v, "tomap() argument");
  const ks = Object.keys(o);
  const vals = unifyPrimitives(ks.map((k) => o[k]));
  const out = newObject();
  ks.forEach((k, i) => (out[k] = vals[i]));
  return out;
}, { nullable: true });
def("sensitive", [1, 1], ([v]) => v, { shallow: true, nullable: true });
def("nonsensitive", [1, 1], ([v]) => v, { shallow: true, nullable: true });

// ---- strings

def("format", [1, -1], ([spec, ...args]) => format(toStr(spec, "format string"), args), { nullable: true });
def("formatlist", [1, -1], ([spec, ...args]) => {
  const f = toStr(spec, "format string");
  let n = -1;
  for (const a of args) {
    if (Array.isArray(a)) {
      if (n >= 0 && a.length !== n) throw new EvalError("all list arguments must have the same length");
      n = a.length;
    }
  }
  if (n < 0) return [format(f, args)];
  return Array.from({ length: n }, (_, i) => format(f, args.map((a) => (Array.isArray(a) ? a[i] : a))));
}, { nullable: true });
def("join", [2, -1], ([sep, ...lists]) => {
  const s = toStr(sep, "separator");
  return lists.flatMap((l) => list(l, "join() list")).map((x) => {
    if (x === null) throw new EvalError("element is null");
    return toStr(x, "join() element");
  }).join(s);
});
def("split", [2, 2], ([sep, str]) => {
  const s = toStr(str, "string");
  const d = toStr(sep, "separator");
  return d === "" ? chars(s) : s.split(d);
});
def("lower", [1, 1], ([s]) => toStr(s).toLowerCase());
def("upper", [1, 1], ([s]) => toStr(s).toUpperCase());
def("title", [1, 1], ([s]) => toStr(s).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase()));
def("trimspace", [1, 1], ([s]) => toStr(s).replace(/^[\s\u0085]+|[\s\u0085]+$/gu, ""));
def("trim", [2, 2], ([s, cut]) => {
  const set = new Set(chars(toStr(cut)));
  const cs = chars(toStr(s));
  let a = 0;
  let b = cs.length;
  while (a < b && set.has(cs[a])) a++;
  while (b > a && set.has(cs[b - 1])) b--;
  return cs.slice(a, b).join("");
});
def("trimprefix", [2, 2], ([s, p]) => {
  const str = toStr(s);
  const pre = toStr(p);
  return str.startsWith(pre) ? str.slice(pre.length) : str;
});
def("trimsuffix", [2, 2], ([s, p]) => {
  const str = toStr(s);
  const suf = toStr(p);
  return suf && str.endsWith(suf) ? str.slice(0, str.length - suf.length) : str;
});
def("startswith", [2, 2], ([s, p]) => toStr(s).startsWith(toStr(p)));
def("endswith", [2, 2], ([s, p]) => toStr(s).endsWith(toStr(p)));
def("strcontains", [2, 2], ([s, p]) => toStr(s).includes(toStr(p)));
def("strrev", [1, 1], ([s]) => chars(toStr(s)).reverse().join(""));
def("substr", [3, 3], ([s, o, l]) => {
  const cs = chars(toStr(s));
  let offset = int(o, "offset");
  let length = int(l, "length");
  if (offset < 0) offset = Math.max(0, cs.length + offset);
  if (offset >= cs.length) return "";
  if (length < 0 || offset + length > cs.length) length = cs.length - offset;
  return cs.slice(offset, offset + length).join("");
});
def("replace", [3, 3], ([s, f, r]) => {
  const str = toStr(s);
  const find = toStr(f);
  const rep = toStr(r);
  if (find.length > 1 && find.startsWith("/") && find.endsWith("/")) {
    const re = compileRegex(find.slice(1, -1), "g");
    return str.replace(re, goReplacement(rep));
  }
  // Go's strings.Replace: an empty search string matches at every character boundary
  return find === "" ? [rep, ...chars(str).map((c) => c + rep)].join("") : str.split(find).join(rep);
});
def("indent", [2, 2], ([n, s]) => toStr(s).replace(/\n/g, `\n${" ".repeat(int(n, "spaces"))}`));
def("regex", [2, 2], ([p, s]) => {
  const re = compileRegex(toStr(p), "");
  const m = re.exec(toStr(s));
  if (!m) throw new EvalError("pattern did not match any part of the given string");
  return matchValue(m);
});
def("regexall", [2, 2], ([p, s], budget) => {
  const re = compileRegex(toStr(p), "g");
  const out: unknown[] = [];
  for (const m of toStr(s).matchAll(re)) {
    out.push(matchValue(m));
    budget?.grow(1);
  }
  return out;
});

// ---- numbers

def("min", [1, -1], (args) => Math.min(...args.map((a) => toNum(a, "min() argument"))));
def("max", [1, -1], (args) => Math.max(...args.map((a) => toNum(a, "max() argument"))));
def("abs", [1, 1], ([n]) => Math.abs(toNum(n)));
def("ceil", [1, 1], ([n]) => Math.ceil(toNum(n)));
def("floor", [1, 1], ([n]) => Math.floor(toNum(n)));
def("signum", [1, 1], ([n]) => Math.sign(toNum(n)));
def("pow", [2, 2], ([a, b]) => Math.pow(toNum(a), toNum(b)));
def("log", [2, 2], ([a, b]) => Math.log(toNum(a)) / Math.log(toNum(b)));
def("parseint", [2, 2], ([s, b]) => {
  const base = int(b, "base");
  if (base < 2 || base > 62) throw new EvalError("base must be a whole number between 2 and 62 inclusive");
  const str = toStr(s);
  const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const body = str.replace(/^[-+]/, "");
  if (!body) throw new EvalError(`cannot parse ${JSON.stringify(str)} as a base ${base} integer`);
  let v = 0n;
  for (const c of body) {
    const d = base <= 36 ? digits.indexOf(c.toLowerCase()) : digits.indexOf(c);
    if (d < 0 || d >= base) throw new EvalError(`cannot parse ${JSON.stringify(str)} as a base ${base} integer`);
    v = v * BigInt(base) + BigInt(d);
  }
  return Number(str.startsWith("-") ? -v : v);
});

// ---- encoding and hashing

def("jsonencode", [1, 1], ([v]) => jsonEncode(v, 0), { nullable: true });
def("jsondecode", [1, 1], ([s]) => {
  try {
    return JSON.parse(toStr(s), (_k, v: unknown) => (isObject(v) ? Object.assign(newObject(), v) : v)) as unknown;
  } catch (e) {
    throw new EvalError(`invalid JSON: ${(e as Error).message}`);
  }
});
def("base64encode", [1, 1], ([s]) => Buffer.from(toStr(s), "utf8").toString("base64"));
def("base64decode", [1, 1], ([s]) => {
  const str = toStr(s);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(str) || str.length % 4 !== 0) throw new EvalError("failed to decode base64 data");
  const out = Buffer.from(str, "base64").toString("utf8");
  if (out.includes("\ufffd")) throw new EvalError("the result of decoding the provided string is not valid UTF-8");
  return out;
});
def("urlencode", [1, 1], ([s]) => encodeURIComponent(toStr(s)).replace(/[!'()*~]/g, (c) => (c === "~" ? c : `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).replace(/%20/g, "+"));
for (const [name, algo] of [["md5", "md5"], ["sha1", "sha1"], ["sha256", "sha256"], ["sha512", "sha512"]] as const) {
  def(name, [1, 1], ([s]) => createHash(algo).update(toStr(s), "utf8").digest("hex"));
}
def("base64sha256", [1, 1], ([s]) => createHash("sha256").update(toStr(s), "utf8").digest("base64"));
def("base64sha512", [1, 1], ([s]) => createHash("sha512").update(toStr(s), "utf8").digest("base64"));

// ---- networks

def("cidrhost", [2, 2], ([p, n]) => {
  const net = parseCidr(toStr(p));
  const host = BigInt(int(n, "host number"));
  const size = 1n << BigInt(net.bits - net.prefix);
  const offset = host < 0n ? size + host : host;
  if (offset < 0n || offset >= size) throw new EvalError(`prefix of ${net.prefix} does not accommodate a host numbered ${host}`);
  return formatAddress(net.base + offset, net.bits);
});
def("cidrsubnet", [3, 3], ([p, nb, nn]) => {
  const net = parseCidr(toStr(p));
  const newbits = int(nb, "newbits");
  const netnum = BigInt(int(nn, "netnum"));
  const prefix = net.prefix + newbits;
  if (newbits < 0) throw new EvalError("newbits must not be negative");
  if (prefix > net.bits) throw new EvalError(`insufficient address space to extend prefix of ${net.prefix} by ${newbits}`);
  if (netnum < 0n || netnum >= 1n << BigInt(newbits)) throw new EvalError(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`);
  return `${formatAddress(net.base | (netnum << BigInt(net.bits - prefix)), net.bits)}/${prefix}`;
});
def("cidrnetmask", [1, 1], ([p]) => {
  const net = parseCidr(toStr(p));
  if (net.bits !== 32) throw new EvalError("only IPv4 networks have a netmask");
  return formatAddress(((1n << 32n) - 1n) ^ ((1n << BigInt(32 - net.prefix)) - 1n), 32);
});

function parseCidr(s: string): { base: bigint; prefix: number; bits: number } {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  if (!m) throw new EvalError(`invalid CIDR expression: ${s}`);
  const addr = parseAddress(m[1]);
  const prefix = Number(m[2]);
  if (!addr || prefix > addr.bits) throw new EvalError(`invalid CIDR expression: ${s}`);
  const hostBits = BigInt(addr.bits - prefix);
  return { base: (addr.value >> hostBits) << hostBits, prefix, bits: addr.bits };
}

function parseAddress(s: string): { value: bigint; bits: number } | null {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split(".").map(Number);
    if (parts.some((p, i) => p > 255 || (s.split(".")[i].length > 1 && s.split(".")[i].startsWith("0")))) return null;
    return { value: parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n), bits: 32 };
  }
  if (!s.includes(":")) return null;
  const [head, tail, extra] = s.split("::");
  if (extra !== undefined) return null;
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return { value: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n), bits: 128 };
}

function formatAddress(v: bigint, bits: number): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: the longest run (of two or more) of zero groups becomes "::"
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

// ---- helpers

/** RE2 (Go) syntax → JavaScript: named groups `(?P<n>…)`; constructs JavaScript lacks are an error. */
function compileRegex(pattern: string, flags: string): RegExp {
  const src = pattern.replace(/\(\?P</g, "(?<");
  try {
    return new RegExp(src, `${flags}u`);
  } catch {
    try {
      return new RegExp(src, flags);
    } catch (e) {
      throw new EvalError(`invalid regular expression: ${(e as Error).message}`);
    }
  }
}

function goReplacement(rep: string): string {
  // Go: $1, ${1}, ${name}; JavaScript: $1, $<name>. `$$` is a literal dollar in both.
  return rep.replace(/\$\{(\w+)\}/g, (_, n: string) => (/^\d+$/.test(n) ? `$${n}` : `$<${n}>`));
}

function matchValue(m: RegExpMatchArray): unknown {
  if (m.groups && Object.keys(m.groups).length) {
    const out = newObject();
    for (const [k, v] of Object.entries(m.groups)) out[k] = v ?? null;
    return out;
  }
  if (m.length > 1) return m.slice(1).map((x) => x ?? null);
  return m[0];
}

/** Go's encoding/json as cty uses it: keys sorted, `<`, `>`, `&`, U+2028/9 escaped. */
export function jsonEncode(v: unknown, depth: number): string {
  if (depth > 200) throw new EvalError("value nested too deeply to encode");
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new EvalError("cannot encode an infinite number");
    return formatNumber(v);
  }
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => jsonEncode(x, depth + 1)).join(",")}]`;
  if (isObject(v)) return `{${sortedKeys(v).map((k) => `${jsonEncode(k, depth + 1)}:${jsonEncode(v[k], depth + 1)}`).join(",")}}`;
  throw new EvalError(`cannot encode a ${typeName(v)}`);
}

/** Terraform's format(): Go-like verbs %s %d %f %e %g %t %v %q %x %X %o %b %%, with flags, width and precision. */
function format(spec: string, args: unknown[]): string {
  let out = "";
  let argi = 0;
  const re = /%([-+ #0]*)(\d+|\*)?(?:\.(\d+))?(?:\[(\d+)\])?([a-zA-Z%])/g;
  let last = 0;
  for (let m = re.exec(spec); m; m = re.exec(spec)) {
    out += spec.slice(last, m.index);
    last = re.lastIndex;
    const [, flags, width, prec, , verb] = m;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argi >= args.length) throw new EvalError(`not enough arguments for "%${verb}" at ${m.index}`);
    const arg = args[argi++];
    let s: string;
    switch (verb) {
      case "s":
        if (arg === null) throw new EvalError(`unsupported value for "%s" at ${m.index}: null value cannot be formatted`);
        s = toStr(arg, "format argument");
        if (prec !== undefined) s = chars(s).slice(0, Number(prec)).join("");
        break;
      case "d": {
        const n = toNum(arg, "format argument");
        if (!Number.isInteger(n)) throw new EvalError(`unsupported value for "%d" at ${m.index}: number has a fractional part`);
        s = formatNumber(Math.abs(n));
        if (n < 0) s = `-${s}`;
        else if (flags.includes("+")) s = `+${s}`;
        else if (flags.includes(" ")) s = ` ${s}`;
        break;
      }
      case "f":
      case "e":
      case "g": {
        const n = toNum(arg, "format argument");
        s = verb === "f" ? n.toFixed(prec === undefined ? 6 : Number(prec)) : verb === "e" ? goExp(n, prec === undefined ? 6 : Number(prec)) : prec === undefined ? formatNumber(n) : String(Number(n.toPrecision(Number(prec))));
        if (n >= 0 && flags.includes("+")) s = `+${s}`;
        break;
      }
      case "t":
        s = String(toBool(arg, "format argument"));
        break;
      case "v":
        s = arg === null ? "null" : typeof arg === "string" || typeof arg === "number" || typeof arg === "boolean" ? toStr(arg) : jsonEncode(arg, 0);
        break;
      case "q":
        s = jsonEncode(toStr(arg, "format argument"), 0);
        break;
      case "x":
      case "X":
      case "o":
      case "b": {
        if (typeof arg === "string" && (verb === "x" || verb === "X") && !/^-?\d/.test(arg)) {
          s = Buffer.from(arg, "utf8").toString("hex");
        } else {
          const n = toNum(arg, "format argument");
          if (!Number.isInteger(n)) throw new EvalError(`unsupported value for "%${verb}": number has a fractional part`);
          s = Math.abs(n).toString(verb === "o" ? 8 : verb === "b" ? 2 : 16);
          if (n < 0) s = `-${s}`;
        }
        if (verb === "X") s = s.toUpperCase();
        break;
      }
      default:
        throw new EvalError(`unrecognized format verb "%${verb}"`);
    }
    if (width !== undefined && width !== "*") {
      const w = Number(width);
      const len = chars(s).length;
      if (len < w) {
        if (flags.includes("-")) s += " ".repeat(w - len);
        else if (flags.includes("0") && verb !== "s" && verb !== "q" && verb !== "v" && verb !== "t") {
          const sign = /^[-+ ]/.test(s) ? s[0] : "";
          s = sign + "0".repeat(w - len) + s.slice(sign.length);
        } else s = " ".repeat(w - len) + s;
      }
    }
    out += s;
  }
  out += spec.slice(last);
  if (argi < args.length) throw new EvalError(`too many arguments; only ${argi} used by format string`);
  return out;
}

function goExp(n: number, prec: number): string {
  const s = n.toExponential(prec); // 1.5e+2
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}
