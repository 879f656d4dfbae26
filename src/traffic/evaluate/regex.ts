/**
 * Regex match statements: AWS WAF reads patterns as PCRE (AWS WAF Developer Guide, "Regex match rule
 * statement", https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-regex-match.html:
 * "AWS WAF supports the pattern syntax used by the PCRE library libpcre", without backreferences, recursion,
 * conditionals, backtracking verbs, \C, \R, \K, callouts, atomic groups and possessive quantifiers). JavaScript's
 * RegExp reads several PCRE constructs as something else (\A, \z, \Z, \h, POSIX classes, (?x), `$` before a final
 * newline) and backtracks: a pattern like ^/(a+)+$ on a 34-byte URI took a minute of CPU. Patterns are therefore
 * translated to RE2 syntax and run by re2js, a linear-time engine (time bounded by pattern size times input
 * size). What the translation cannot carry exactly is reported, and the statement is then uncertain.
 *
 * Values and patterns are binary strings (one char per byte, transform.ts): PCRE without UTF mode, where `.`
 * and classes see bytes.
 */

import type { RE2JS } from "re2js";

export interface Pcre {
  /** true / false; null where the engines may differ on this value (see `sensitive`) */
  test(value: string): boolean | null;
}

const cache = new Map<string, Pcre | string>();

/** The compiled pattern, or why it cannot be replayed exactly. Compiled once per pattern. */
export function compilePcre(pattern: string): Pcre | string {
  let c = cache.get(pattern);
  if (c === undefined) {
    c = compile(pattern);
    cache.set(pattern, c);
  }
  return c;
}

let engine: typeof RE2JS | null = null;

function compile(pattern: string): Pcre | string {
  const t = translate(pattern);
  if (typeof t === "string") return t;
  // Loaded where a regex is first used: the replay of ACLs without regex rules never pays for it.
  engine ??= (require("re2js") as typeof import("re2js")).RE2JS;
  let re: RE2JS;
  try {
    re = engine.compile(t.source);
  } catch (e) {
    return `regex not supported by wafguard's linear-time engine (${e instanceof Error ? e.message : String(e)})`;
  }
  const sensitive = t.sensitive;
  if (!sensitive) return { test: (v) => re.test(v) };
  return { test: (v) => (sensitive.test(v) ? null : re.test(v)) };
}

interface Translation {
  source: string;
  /** Bytes on which PCRE and the translation may differ: a value holding one is uncertain. */
  sensitive: RegExp | null;
}

const hex = (code: number): string => `\\x{${code.toString(16).padStart(2, "0")}}`;
const SPACE = "\\t\\n\\x{0b}\\f\\r ";
const HSPACE = "\\t \\x{a0}";
const VSPACE = "\\n\\x{0b}\\f\\r\\x{85}";
const POSIX = new Set(["alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit"]);
const CASED_HIGH = /[\xc0-\xd6\xd8-\xde\xe0-\xf6\xf8-\xfe]/;
const VT = /\x0b/;

/**
 * PCRE (non-UTF, default options) to RE2 syntax. Returns the RE2 source, or why the pattern is not translated.
 * - `$` and \Z (end, or before a final newline) become (?:\n?\z), allowed where nothing but `)`, `|` or the end
 *   follows, and what follows a group that holds one follows it too; in multiline mode `$` means the same in both.
 * - \s and [:space:] include VT (PCRE 8.34 and later); \h, \v, \e, \cX, \0oo, \x{hh}, \Q...\E and (?x) are
 *   rewritten; RE2 reads \A, \z, POSIX classes and (?imsU) as PCRE does.
 * - (?i) folds Latin-1 letters in RE2 but not in PCRE's byte mode: such a pattern is uncertain on values
 *   holding those bytes; so is a class with \S (RE2's \S takes VT) on values holding VT.
 */
export function translate(p: string): Translation | string {
  let out = "";
  let i = 0;
  let x = false;
  let m = false;
  let caseless = false;
  let highCased = false;
  let vtSensitive = false;
  /** capturing groups opened so far (PCRE reads \10 as a backreference only if there are that many) */
  let groups = 0;
  const scopes: Array<{ x: boolean; m: boolean }> = [];
  /** After `$` or \Z: only the end, `)`, `|` or another end anchor may follow. */
  let endAnchor = false;
  /** The group depth of the last end anchor: what follows that group follows the anchor too, `(a$|b)\n`. */
  let anchorScope = -1;
  const anchored = () => {
    endAnchor = true;
    anchorScope = anchorScope < 0 ? scopes.length : Math.min(anchorScope, scopes.length);
  };

  const skipExtended = (): void => {
    while (x && i < p.length) {
      const ch = p[i]!;
      if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\f" || ch === "\v") i++;
      else if (ch === "#") {
        while (i < p.length && p[i] !== "\n") i++;
      } else break;
    }
  };

  /** One escape at p[i] === "\\" (outside or inside a class); appends to `out`, or returns an error. */
  const escape = (inClass: boolean): string | null => {
    const d = p[i + 1];
    if (d === undefined) return "regex ends with a backslash";
    const code = d.charCodeAt(0);
    if (code >= 0x80) {
      out += hex(code);
      if (CASED_HIGH.test(d)) highCased = true;
      i += 2;
      return null;
    }
    if (!/[0-9A-Za-z]/.test(d)) {
      out += "\\" + d;
      i += 2;
      return null;
    }
    i += 2;
    const simple: Record<string, number> = { a: 7, e: 0x1b, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09 };
    if (simple[d] !== undefined) {
      out += hex(simple[d]!);
      return null;
    }
    switch (d) {
      case "d":
      case "D":
      case "w":
      case "W":
        out += "\\" + d;
        return null;
      case "s":
        out += inClass ? SPACE : `[${SPACE}]`;
        return null;
      case "S":
        if (inClass) {
          vtSensitive = true;
          out += "\\S";
        } else out += `[^${SPACE}]`;
        return null;
      case "h":
        out += inClass ? HSPACE : `[${HSPACE}]`;
        return null;
      case "v":
        out += inClass ? VSPACE : `[${VSPACE}]`;
        return null;
      case "H":
      case "V":
        if (inClass) return `\\${d} inside a character class`;
        out += `[^${d === "H" ? HSPACE : VSPACE}]`;
        return null;
      case "N":
        if (inClass) return "\\N inside a character class";
        out += "[^\\n]";
        return null;
      case "b":
        out += inClass ? hex(8) : "\\b";
        return null;
      case "B":
      case "A":
      case "z":
        if (inClass) return `\\${d} inside a character class`;
        out += "\\" + d;
        return null;
      case "Z":
        if (inClass) return "\\Z inside a character class";
        out += "(?:\\n?\\z)";
        anchored();
        return null;
      case "x": {
        if (p[i] === "{") {
          const close = p.indexOf("}", i);
          const digits = close < 0 ? "" : p.slice(i + 1, close);
          if (!/^[0-9a-fA-F]{1,8}$/.test(digits) || parseInt(digits, 16) > 0xff) return "\\x{...} beyond one byte";
          out += hex(parseInt(digits, 16));
          if (CASED_HIGH.test(String.fromCharCode(parseInt(digits, 16)))) highCased = true;
          i = close + 1;
          return null;
        }
        let digits = "";
        while (digits.length < 2 && /[0-9a-fA-F]/.test(p[i] ?? "")) digits += p[i++];
        const v = digits ? parseInt(digits, 16) : 0;
        if (CASED_HIGH.test(String.fromCharCode(v))) highCased = true;
        out += hex(v);
        return null;
      }
      case "c": {
        const ch = p[i];
        if (ch === undefined || ch.charCodeAt(0) >= 0x80) return "\\c without a control letter";
        out += hex(ch.toUpperCase().charCodeAt(0) ^ 0x40);
        i++;
        return null;
      }
      case "Q": {
        const end = p.indexOf("\\E", i);
        const lit = end < 0 ? p.slice(i) : p.slice(i, end);
        for (const ch of lit) out += literal(ch, inClass);
        i = end < 0 ? p.length : end + 2;
        return null;
      }
      case "E":
        // \E without \Q: ignored by PCRE.
        return null;
    }
    // `d` and up to two more octal digits as one byte.
    const octal = (): string | null => {
      let digits = d;
      while (digits.length < 3 && /[0-7]/.test(p[i] ?? "")) digits += p[i++];
      const v = parseInt(digits, 8);
      if (v > 0xff) return "octal escape beyond one byte";
      out += hex(v);
      return null;
    };
    // \0 and up to two more octal digits (in a class, \1 to \7 are octal too).
    if (d >= "0" && d <= "7" && (d === "0" || inClass)) return octal();
    if (d >= "1" && d <= "9") {
      // PCRE outside a class: a number below 10, or not above the capturing groups so far, is a backreference;
      // otherwise up to three octal digits are a byte.
      const dec = /^\d*/.exec(p.slice(i))![0];
      const n = Number(d + dec);
      if (n < 10 || n <= groups || d > "7") return "backreference (AWS WAF does not support them)";
      return octal();
    }
    return `escape \\${d} (not translated by wafguard)`;
  };

  /** A literal byte as RE2 reads it. */
  const literal = (ch: string, inClass: boolean): string => {
    const code = ch.charCodeAt(0);
    if (code >= 0x80) {
      if (CASED_HIGH.test(ch)) highCased = true;
      return hex(code);
    }
    if (/[0-9A-Za-z_ ]/.test(ch)) return ch;
    if (code < 0x20 || code === 0x7f) return hex(code);
    return inClass && ch === "-" ? "\\-" : "\\" + ch;
  };

  const charClass = (): string | null => {
    i++;
    out += "[";
    if (p[i] === "^") {
      out += "^";
      i++;
    }
    let first = true;
    for (;;) {
      const ch = p[i];
      if (ch === undefined) return "character class without ]";
      if (ch === "]" && !first) {
        out += "]";
        i++;
        return null;
      }
      first = false;
      if (ch === "[") {
        const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i, i + 16));
        if (posix) {
          if (!POSIX.has(posix[2]!)) return `POSIX class [:${posix[2]}:]`;
          out += posix[0];
          i += posix[0].length;
          continue;
        }
        if (/^\[[.=:]/.test(p.slice(i, i + 2))) return "POSIX collating element or word boundary class";
        out += "\\[";
        i++;
        continue;
      }
      if (ch === "\\") {
        const e = escape(true);
        if (e) return e;
        continue;
      }
      if (ch === "-") {
        // A range operator between two members, else a literal "-" (RE2 reads both alike).
        out += "-";
        i++;
        continue;
      }
      out += ch === "]" ? "\\]" : literal(ch, true);
      i++;
    }
  };

  while (i < p.length) {
    skipExtended();
    if (i >= p.length) break;
    const ch = p[i]!;
    if (endAnchor) {
      if (ch !== ")" && ch !== "|" && ch !== "$" && !(ch === "\\" && (p[i + 1] === "z" || p[i + 1] === "Z"))) return "an end anchor ($, \\Z) followed by more pattern";
      if (ch !== "$" && ch !== "\\") endAnchor = false;
    }
    // Closing the group that holds an anchor: what comes after the group comes after the anchor.
    if (ch === ")" && anchorScope >= 0 && anchorScope >= scopes.length && scopes.length > 0) {
      endAnchor = true;
      anchorScope = scopes.length - 1;
    }
    switch (ch) {
      case "\\": {
        const e = escape(false);
        if (e) return e;
        break;
      }
      case "[": {
        const e = charClass();
        if (e) return e;
        break;
      }
      case "$":
        out += m ? "$" : "(?:\\n?\\z)";
        if (!m) anchored();
        i++;
        break;
      case "(": {
        const rest = p.slice(i, i + 4);
        if (p[i + 1] === "*") return "backtracking control verb";
        if (p[i + 1] !== "?") {
          scopes.push({ x, m });
          groups++;
          out += "(";
          i++;
          break;
        }
        if (rest.startsWith("(?#")) {
          const close = p.indexOf(")", i);
          if (close < 0) return "unterminated comment";
          i = close + 1;
          break;
        }
        if (rest.startsWith("(?:")) {
          scopes.push({ x, m });
          out += "(?:";
          i += 3;
          break;
        }
        if (/^\(\?(=|!|<=|<!)/.test(rest)) return "lookaround assertion (not translated by wafguard)";
        const named = /^\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')/.exec(p.slice(i, i + 40));
        if (named) {
          scopes.push({ x, m });
          groups++;
          out += "(?:";
          i += named[0].length;
          break;
        }
        const flags = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(p.slice(i, i + 40));
        if (!flags) return `group ${p.slice(i, i + 4)} (not supported by AWS WAF or not translated)`;
        const on = flags[1] ?? "";
        const off = flags[2] ?? "";
        if (/[^imsxU]/.test(on + off)) return `inline flag (?${on}${off ? "-" + off : ""}) not translated`;
        const keep = (f: string): string => f.replace(/x/g, "");
        const re2 = keep(on) + (keep(off) ? "-" + keep(off) : "");
        if (on.includes("i")) caseless = true;
        const nx: boolean = on.includes("x") ? true : off.includes("x") ? false : x;
        const nm: boolean = on.includes("m") ? true : off.includes("m") ? false : m;
        if (flags[3] === ")") {
          if (re2) out += `(?${re2})`;
          x = nx;
          m = nm;
        } else {
          scopes.push({ x, m });
          out += re2 ? `(?${re2}:` : "(?:";
          x = nx;
          m = nm;
        }
        i += flags[0].length;
        break;
      }
      case ")": {
        const s = scopes.pop();
        if (!s) return "unbalanced )";
        x = s.x;
        m = s.m;
        out += ")";
        i++;
        break;
      }
      case "*":
      case "+":
      case "?":
        out += ch;
        i++;
        if (p[i] === "+") return "possessive quantifier (AWS WAF does not support them)";
        break;
      case "{": {
        const q = /^\{(\d+)(?:,(\d*))?\}/.exec(p.slice(i, i + 24));
        if (q) {
          out += q[0];
          i += q[0].length;
          if (p[i] === "+") return "possessive quantifier (AWS WAF does not support them)";
        } else if (/^\{\s*,\s*\d/.test(p.slice(i, i + 8)) || /^\{\s*\d+\s*(,\s*\d*\s*)?\}/.test(p.slice(i, i + 24))) {
          return "quantifier that PCRE versions read differently ({,n} or spaces)";
        } else {
          out += "\\{";
          i++;
        }
        break;
      }
      case "^":
      case "|":
      case ".":
        out += ch;
        i++;
        break;
      default:
        out += literal(ch, false);
        i++;
    }
  }
  if (scopes.length) return "unbalanced (";
  const sensitive: string[] = [];
  if (caseless && highCased) sensitive.push(CASED_HIGH.source.slice(1, -1));
  if (vtSensitive) sensitive.push(VT.source.slice(1, -1));
  return { source: out, sensitive: sensitive.length ? new RegExp(`[${sensitive.join("")}]`) : null };
}
