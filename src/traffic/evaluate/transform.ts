/**
 * AWS WAF text transformations (AWS WAF Developer Guide, "Using text transformations in AWS WAF",
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html; values from the
 * API Reference "TextTransformation"). They work on bytes: strings here are binary (one char per byte, latin1),
 * as AWS inspects the request's bytes. Applied from the lowest priority to the highest.
 */

import { createHash } from "node:crypto";

export type Transform = (s: string) => string;

/** UTF-8 text (as read from JSON) to a binary string: one char per byte. */
export function toBinary(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, "utf8").toString("latin1") : s;
}

const WHITE = /[\t\n\v\f\r \xa0]+/g;
const isHex = (c: string): boolean => /^[0-9a-fA-F]$/.test(c);
const fromCode = (n: number): string => String.fromCharCode(n & 0xff);

function lowercase(s: string): string {
  // A-Z only: beyond ASCII, toLowerCase would also fold latin1 bytes (À is 0xC0).
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s.toLowerCase();
}

function urlDecode(s: string, unicode: boolean): string {
  if (s.indexOf("%") < 0 && s.indexOf("+") < 0) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "+") out += " ";
    else if (c === "%" && unicode && (s[i + 1] === "u" || s[i + 1] === "U") && [2, 3, 4, 5].every((k) => isHex(s[i + k] ?? ""))) {
      const code = parseInt(s.slice(i + 2, i + 6), 16);
      // Full-width ASCII (U+FF01..U+FF5E) maps to ASCII; otherwise the low byte.
      out += code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : fromCode(code);
      i += 5;
    } else if (c === "%" && isHex(s[i + 1] ?? "") && isHex(s[i + 2] ?? "")) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out += c;
  }
  return out;
}

/**
 * HTML_ENTITY_DECODE as AWS documents it: &quot; &nbsp; &lt; &gt; &#xhhhh; &#nnnn; (the list has no &amp; nor
 * &apos;). Implementations of the same transformation elsewhere (ModSecurity's htmlEntityDecode, whose
 * description AWS's follows) also decode &amp;: that variant is kept as an alternative (ALTERNATIVES), and a
 * value whose outcome depends on the choice is uncertain.
 */
const ENTITIES: Record<string, string> = { quot: '"', lt: "<", gt: ">", nbsp: "\xa0" };
const ENTITIES_ALT: Record<string, string> = { ...ENTITIES, amp: "&", apos: "'" };

const htmlEntityDecoder = (entities: Record<string, string>) => (s: string): string => {
  if (s.indexOf("&") < 0) return s;
  return s.replace(/&(#[xX]([0-9a-fA-F]+)|#([0-9]+)|([a-zA-Z]+));?/g, (m, _all, hex?: string, dec?: string, name?: string) => {
    if (hex) return fromCode(parseInt(hex.slice(0, 8), 16));
    if (dec) return fromCode(parseInt(dec.slice(0, 10), 10));
    const v = entities[(name ?? "").toLowerCase()];
    return v ?? m;
  });
};
const htmlEntityDecode = htmlEntityDecoder(ENTITIES);

function cmdLine(s: string): string {
  let t = s.replace(/[\\"'^]/g, "");
  t = t.replace(/ +(?=[/(])/g, "");
  t = t.replace(/[,;]/g, " ");
  t = t.replace(/ {2,}/g, " ");
  return lowercase(t);
}

function base64Decode(s: string, forgiving: boolean): string {
  let t = s;
  if (forgiving) t = t.replace(/[^A-Za-z0-9+/]/g, "");
  else {
    const m = /^[A-Za-z0-9+/]*/.exec(t);
    t = m ? m[0] : "";
  }
  return Buffer.from(t, "base64").toString("latin1");
}

function hexDecode(s: string): string {
  let out = "";
  for (let i = 0; i + 1 < s.length; i += 2) {
    if (!isHex(s[i]!) || !isHex(s[i + 1]!)) break;
    out += String.fromCharCode(parseInt(s.slice(i, i + 2), 16));
  }
  return out;
}

function replaceComments(s: string): string {
  return s.replace(/\/\*[\s\S]*?(\*\/|$)/g, " ");
}

const SIMPLE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "?": "?", "'": "'", '"': '"' };

/**
 * ESCAPE_SEQ_DECODE: \a \b \f \n \r \t \v \\ \? \' \" \xHH \0OOO; "Encodings that aren't valid remain in the
 * output" (AWS WAF Developer Guide, "Text transformations"): a\qb and \x4g stay as they are.
 */
function escapeSeqDecode(s: string): string {
  if (s.indexOf("\\") < 0) return s;
  return s.replace(/\\(x([0-9a-fA-F]{2})|([0-7]{1,3})|(.))/gs, (m, _a, hex?: string, oct?: string, ch?: string) => {
    if (hex) return String.fromCharCode(parseInt(hex, 16));
    if (oct) return fromCode(parseInt(oct, 8));
    return SIMPLE_ESCAPES[ch ?? ""] ?? m;
  });
}

function sqlHexDecode(s: string): string {
  return s.replace(/0x((?:[0-9a-fA-F]{2})+)/g, (_m, hex: string) => hexDecode(hex));
}

function cssDecode(s: string): string {
  if (s.indexOf("\\") < 0) return s;
  return s.replace(/\\(?:([0-9a-fA-F]{1,6})[ \t\n\f\r]?|(\n)|(.))/gs, (_m, hex?: string, _nl?: string, ch?: string) => {
    if (hex) {
      const code = parseInt(hex, 16);
      return code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : fromCode(code);
    }
    return ch ?? "";
  });
}

function jsDecode(s: string): string {
  if (s.indexOf("\\") < 0) return s;
  return s.replace(/\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([0-7]{1,3})|(.))/gs, (m, u?: string, x?: string, o?: string, ch?: string) => {
    if (u) {
      const code = parseInt(u, 16);
      return code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : fromCode(code);
    }
    if (x) return String.fromCharCode(parseInt(x, 16));
    if (o) return fromCode(parseInt(o, 8));
    return SIMPLE_ESCAPES[ch ?? ""] ?? (ch ?? m);
  });
}

/**
 * NORMALIZE_PATH: "removes multiple slashes, directory self-references, and directory back-references that are
 * not at the beginning of the input" (AWS WAF Developer Guide, "Text transformations"): /../etc/passwd stays.
 * `rootUp` (the alternative): a back-reference at the root is dropped, as path normalizers commonly do.
 */
const pathNormalizer = (rootUp: boolean) => (s: string): string => {
  const absolute = s.startsWith("/");
  const trailing = s.endsWith("/") || s.endsWith("/.") || s.endsWith("/..");
  const out: string[] = [];
  for (const seg of s.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute || !rootUp) out.push("..");
      continue;
    }
    out.push(seg);
  }
  let r = (absolute ? "/" : "") + out.join("/");
  if (trailing && out.length > 0) r += "/";
  return r === "" ? (absolute ? "/" : "") : r;
};
const normalizePath = pathNormalizer(false);

function utf8ToUnicode(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x80-\xff]/.test(s)) return s;
  let out = "";
  const b = Buffer.from(s, "latin1");
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const len = c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    if (len > 1 && i + len <= b.length && [...b.subarray(i + 1, i + len)].every((x) => (x & 0xc0) === 0x80)) {
      const cp = Buffer.from(b.subarray(i, i + len)).toString("utf8").codePointAt(0) ?? c;
      out += "%u" + cp.toString(16).padStart(4, "0");
      i += len;
    } else {
      out += String.fromCharCode(c);
      i++;
    }
  }
  return out;
}

const hash = (algo: string) => (s: string) => createHash(algo).update(Buffer.from(s, "latin1")).digest().toString("latin1");

export const TRANSFORMS: Record<string, Transform> = {
  NONE: (s) => s,
  COMPRESS_WHITE_SPACE: (s) => s.replace(WHITE, " "),
  HTML_ENTITY_DECODE: htmlEntityDecode,
  LOWERCASE: lowercase,
  CMD_LINE: cmdLine,
  URL_DECODE: (s) => urlDecode(s, false),
  URL_DECODE_UNI: (s) => urlDecode(s, true),
  BASE64_DECODE: (s) => base64Decode(s, false),
  BASE64_DECODE_EXT: (s) => base64Decode(s, true),
  HEX_DECODE: hexDecode,
  MD5: hash("md5"),
  SHA256: hash("sha256"),
  REPLACE_COMMENTS: replaceComments,
  ESCAPE_SEQ_DECODE: escapeSeqDecode,
  SQL_HEX_DECODE: sqlHexDecode,
  CSS_DECODE: cssDecode,
  JS_DECODE: jsDecode,
  NORMALIZE_PATH: normalizePath,
  NORMALIZE_PATH_WIN: (s) => normalizePath(s.replace(/\\/g, "/")),
  REMOVE_NULLS: (s) => s.replace(/\0/g, ""),
  REPLACE_NULLS: (s) => s.replace(/\0/g, " "),
  UTF8_TO_UNICODE: utf8ToUnicode,
  REMOVE_WHITESPACE: (s) => s.replace(WHITE, ""),
  TRIM: (s) => s.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, ""),
  TRIM_LEFT: (s) => s.replace(/^[\t\n\v\f\r ]+/, ""),
  TRIM_RIGHT: (s) => s.replace(/[\t\n\v\f\r ]+$/, ""),
  UPPERCASE: (s) => s.replace(/[a-z]+/g, (m) => m.toUpperCase()),
};

/**
 * Where AWS's description and the usual implementation of a transformation may differ, the other reading: a
 * statement whose outcome differs between the two is uncertain rather than guessed.
 */
const normalizeRootUp = pathNormalizer(true);
export const ALTERNATIVES: Partial<Record<string, Transform>> = {
  HTML_ENTITY_DECODE: htmlEntityDecoder(ENTITIES_ALT),
  NORMALIZE_PATH: normalizeRootUp,
  NORMALIZE_PATH_WIN: (s) => normalizeRootUp(s.replace(/\\/g, "/")),
};

/**
 * The statement's transformations as one function, in priority order; null when one is not known to
 * wafguard (the statement is then uncertain, not guessed).
 */
export function compileTransforms(list: unknown): { fn: Transform; unknown: string | null; alt: { fn: Transform; types: string } | null } {
  const items = (Array.isArray(list) ? list : [])
    .filter((t): t is { priority?: unknown; type?: unknown } => t !== null && typeof t === "object")
    .map((t) => ({ priority: Number(t.priority ?? 0), type: String(t.type ?? "NONE") }))
    .sort((a, b) => a.priority - b.priority);
  const fns: Transform[] = [];
  const alts: Transform[] = [];
  const ambiguous: string[] = [];
  for (const t of items) {
    const fn = TRANSFORMS[t.type];
    if (!fn) return { fn: (s) => s, unknown: t.type, alt: null };
    if (t.type === "NONE") continue;
    fns.push(fn);
    const a = ALTERNATIVES[t.type];
    if (a) ambiguous.push(t.type);
    alts.push(a ?? fn);
  }
  const alt = ambiguous.length ? { fn: chain(alts), types: ambiguous.join(", ") } : null;
  return { fn: chain(fns), unknown: null, alt };
}

function chain(fns: Transform[]): Transform {
  if (fns.length === 0) return (s) => s;
  if (fns.length === 1) return fns[0]!;
  return (s) => fns.reduce((v, f) => f(v), s);
}
