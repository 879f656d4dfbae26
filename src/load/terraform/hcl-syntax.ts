/**
 * HCL's native syntax: `.tf` files into the JSON shape the loader reads (hcl2json's: expressions as
 * `${...}` strings, templates as strings with `${...}` / `%{...}`), and those expression strings into
 * a small syntax tree for the evaluator. A tokenizer and a Pratt parser with HCL's operator
 * precedence; nesting is bounded so that hostile input ends in a clear error, never a stack overflow.
 */

/** `h`: the node's height, where more than 1 (heightOf). */
export type Node = (
  | { k: "lit"; v: unknown }
  | { k: "tpl"; parts: TemplatePart[] }
  | { k: "var"; name: string }
  | { k: "attr"; obj: Node; name: string }
  | { k: "index"; obj: Node; key: Node }
  | { k: "splat"; obj: Node; each: Node } // `each` is evaluated with the element as { k: "item" }
  | { k: "item" }
  | { k: "call"; name: string; args: Node[]; expand: boolean }
  | { k: "tuple"; items: Node[] }
  | { k: "object"; items: Array<{ key: Node; value: Node }> }
  | { k: "unary"; op: "!" | "-"; x: Node }
  | { k: "binary"; op: string; a: Node; b: Node }
  | { k: "cond"; test: Node; then: Node; else: Node }
  | { k: "for"; keyVar: string | null; valVar: string; coll: Node; keyExpr: Node | null; valExpr: Node; cond: Node | null; group: boolean }
) & { h?: number };

export type TemplatePart =
  | { k: "text"; text: string }
  | { k: "interp"; x: Node; stripBefore: boolean; stripAfter: boolean }
  | { k: "if"; test: Node; then: TemplatePart[]; else: TemplatePart[]; h?: number }
  | { k: "for"; keyVar: string | null; valVar: string; coll: Node; body: TemplatePart[]; h?: number };

/**
 * On the body of a `dynamic "X"` block: how many static X blocks come before it in the same body.
 * Terraform expands a dynamic block where it is written, among the static blocks of its type; the
 * JSON shape groups those apart, so the place is kept here (a symbol: invisible to JSON and copies).
 */
export const STATIC_BLOCKS_BEFORE = Symbol("static blocks before");

/**
 * On every body read from a .tf file, for errors: where each of its attributes is written (offsets
 * by name), where the block starts (an offset), and the text's offset → line (worked out on first
 * use: only an error needs a line). Symbols: invisible to Object.keys and JSON.
 */
const ATTRIBUTE_OFFSETS = Symbol("attribute offsets");
const BLOCK_OFFSET = Symbol("block offset");
const LINE_OF = Symbol("line of");

type Placed = { [ATTRIBUTE_OFFSETS]?: Map<string, number>; [BLOCK_OFFSET]?: number; [LINE_OF]?: (pos: number) => number };

/** Where a body's attribute is written, when the body was read from a .tf file. */
export function attributeLine(body: object, name: string): number | undefined {
  const b = body as Placed;
  const at = b[ATTRIBUTE_OFFSETS]?.get(name);
  return at === undefined ? undefined : b[LINE_OF]!(at);
}

/** Where a block starts, when it was read from a .tf file. */
export function blockLine(body: object): number | undefined {
  const b = body as Placed;
  return b[BLOCK_OFFSET] === undefined ? undefined : b[LINE_OF]!(b[BLOCK_OFFSET]);
}

export class SyntaxError extends Error {
  /** Offset in the parsed text, where known. */
  pos?: number;
}

const MAX_DEPTH = 500;

/**
 * How deep an expression's syntax tree may be, counted in the evaluator's recursive calls (the
 * evaluator recurses once per level: a chain `1 + 1 + …` or `x.a.a…` or nested `%{if}` is as deep as
 * it is long). Measured where nodes are built, so that a long chain is an error with its line, never
 * a stack overflow; Node's default stack holds some 2,500 of the evaluator's calls.
 */
export const MAX_HEIGHT = 500;

/** How many nested evaluator calls evaluating `node` takes (a literal or a name: 1). */
export function heightOf(node: Node): number {
  return node.h ?? 1;
}

function tooDeep(): SyntaxError {
  return new SyntaxError(`expression nested too deeply (more than ${Math.min(MAX_DEPTH, MAX_HEIGHT)} levels)`);
}

/** Records the height of a node built over `children`, `extra` levels above the deepest of them. */
function built<T extends Node>(node: T, children: ReadonlyArray<Node | null>, extra = 1): T {
  let h = 0;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (c) h = Math.max(h, c.h ?? 1);
  }
  h += extra;
  if (h > MAX_HEIGHT) throw tooDeep();
  if (h > 1) node.h = h;
  return node;
}

/** Levels below the evaluator's call for a list of template parts (an `if` or `for` body: one more). */
function partsHeight(parts: TemplatePart[]): number {
  let h = 0;
  for (const p of parts) h = Math.max(h, p.k === "text" ? 0 : p.k === "interp" ? heightOf(p.x) : (p.h ?? 1));
  return h;
}

function builtPart<T extends Extract<TemplatePart, { k: "if" | "for" }>>(part: T, h: number): T {
  if (h > MAX_HEIGHT) throw tooDeep();
  part.h = h;
  return part;
}

type Tok = { t: "num" | "ident" | "op" | "str" | "eof"; v: string; pos: number; str?: TemplatePart[]; end?: number; heredoc?: string };

const OPS = ["...", "&&", "||", "==", "!=", "<=", ">=", "=>", "[*]", ".*", "+", "-", "*", "/", "%", "<", ">", "!", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}", "=", "~"];

const INVALID_ENCODING = "Invalid character encoding: all input files must be UTF-8 encoded (bytes that are not UTF-8 are allowed in comments only)";

class Lexer {
  pos = 0;
  /** Nesting depth of the parser using this lexer: a string's templates nest inside it. */
  depth: () => number = () => 0;
  /** Offsets of characters that stand for bytes that are not UTF-8 (json-file.ts's invalidUtf8Offsets). */
  invalid: number[] = [];
  constructor(readonly src: string) {}

  next(): Tok {
    const start = this.pos;
    try {
      const tok = this.read();
      // Terraform reads such bytes in a comment, and refuses them in any token (a string's text here)
      if (this.invalid.length && tok.t !== "eof") {
        let lo = 0;
        let hi = this.invalid.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (this.invalid[mid] < tok.pos) lo = mid + 1;
          else hi = mid;
        }
        if (lo < this.invalid.length && this.invalid[lo] < this.pos) throw Object.assign(new SyntaxError(INVALID_ENCODING), { pos: this.invalid[lo] });
      }
      return tok;
    } catch (e) {
      if (e instanceof SyntaxError && e.pos === undefined) e.pos = start + (/^\s*/.exec(this.src.slice(start, start + 1000))?.[0].length ?? 0);
      throw e;
    }
  }

  private read(): Tok {
    const s = this.src;
    for (;;) {
      while (this.pos < s.length && /\s/.test(s[this.pos])) this.pos++;
      if (s[this.pos] === "#" || (s[this.pos] === "/" && s[this.pos + 1] === "/")) {
        while (this.pos < s.length && s[this.pos] !== "\n") this.pos++;
        continue;
      }
      if (s[this.pos] === "/" && s[this.pos + 1] === "*") {
        const end = s.indexOf("*/", this.pos + 2);
        if (end < 0) throw new SyntaxError("unterminated comment");
        this.pos = end + 2;
        continue;
      }
      break;
    }
    const pos = this.pos;
    if (pos >= s.length) return { t: "eof", v: "", pos };
    const ch = s[pos];
    const num = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(pos, pos + 400));
    if (num) {
      this.pos += num[0].length;
      return { t: "num", v: num[0], pos };
    }
    // provider::aws::arn_parse is one name (a provider-defined function)
    const id = /^[A-Za-z_][\w-]*(?:::[A-Za-z_][\w-]*)*/.exec(s.slice(pos, pos + 400));
    if (id) {
      this.pos += id[0].length;
      return { t: "ident", v: id[0], pos };
    }
    if (ch === '"') {
      const { parts, end } = parseTemplateText(s, pos + 1, true, this.depth() + 1);
      this.pos = end;
      return { t: "str", v: "", pos, str: parts, end };
    }
    if (ch === "<" && s[pos + 1] === "<") {
      const m = /^<<(-?)([A-Za-z_][\w-]*)\r?\n/.exec(s.slice(pos, pos + 200));
      if (m) return this.heredoc(m, pos);
    }
    for (const op of OPS) {
      if (s.startsWith(op, pos)) {
        // `.*` only as a legacy splat; `[*]` only as a splat (a multiplication inside [] is `[ *`…, not valid anyway)
        this.pos += op.length;
        return { t: "op", v: op, pos };
      }
    }
    if (this.invalid.includes(pos)) throw new SyntaxError(INVALID_ENCODING);
    throw new SyntaxError(`unexpected character ${JSON.stringify(ch)}`);
  }

  private heredoc(m: RegExpExecArray, pos: number): Tok {
    const [header, indent, marker] = m;
    const bodyStart = pos + header.length;
    const end = new RegExp(`(^|\\n)[ \\t]*${marker}[ \\t]*(?=\\r?\\n|$)`, "g");
    end.lastIndex = bodyStart - 1;
    const found = end.exec(this.src);
    if (!found) throw new SyntaxError(`unterminated heredoc <<${marker}`);
    let body = this.src.slice(bodyStart, found.index + (found[1] ? 1 : 0));
    if (indent) {
      const lines = body.split("\n");
      const widths = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
      const cut = widths.length ? Math.min(...widths) : 0;
      body = lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join("\n");
    }
    this.pos = found.index + found[0].length;
    return { t: "str", v: "", pos, str: parseTemplateText(body, 0, false, this.depth() + 1).parts, end: this.pos, heredoc: body };
  }
}

/**
 * A template (a quoted string's inside, or a whole attribute string): text,
 * `${expr}` and `%{if}/%{for}` directives. `quoted`: stop at the closing `"` and decode escapes.
 */
export function parseTemplateText(s: string, start: number, quoted: boolean, depth = 0): { parts: TemplatePart[]; end: number } {
  if (depth > MAX_DEPTH) throw tooDeep();
  const flat: Array<TemplatePart | { k: "dir"; word: string; x?: Node; keyVar?: string | null; valVar?: string; stripBefore: boolean; stripAfter: boolean }> = [];
  let text = "";
  let i = start;
  const flush = () => {
    if (text) flat.push({ k: "text", text });
    text = "";
  };
  for (;;) {
    if (i >= s.length) {
      if (quoted) throw new SyntaxError("unterminated string");
      break;
    }
    const ch = s[i];
    if (quoted && ch === '"') {
      i++;
      break;
    }
    if (quoted && ch === "\\") {
      const e = s[i + 1];
      const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
      if (e in simple) {
        text += simple[e];
        i += 2;
      } else if (e === "u" || e === "U") {
        const len = e === "u" ? 4 : 8;
        const hex = s.slice(i + 2, i + 2 + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new SyntaxError("invalid escape sequence");
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new SyntaxError("invalid escape sequence");
        text += String.fromCodePoint(cp);
        i += 2 + len;
      } else throw new SyntaxError("invalid escape sequence");
      continue;
    }
    if ((ch === "$" || ch === "%") && s[i + 1] === ch && s[i + 2] === "{") {
      text += `${ch}{`; // `$${` and `%%{` are literal
      i += 3;
      continue;
    }
    if ((ch === "$" || ch === "%") && s[i + 1] === "{") {
      let j = i + 2;
      const stripBefore = s[j] === "~";
      if (stripBefore) j++;
      if (stripBefore) text = text.replace(/\s+$/, "");
      flush();
      const p = new Parser(s, j, depth + 1);
      if (ch === "$") {
        const x = p.expression();
        const stripAfter = p.closeTemplate();
        flat.push({ k: "interp", x, stripBefore, stripAfter });
        i = p.lexPos();
      } else {
        const d = p.directive();
        const stripAfter = p.closeTemplate();
        flat.push({ ...d, stripBefore, stripAfter });
        i = p.lexPos();
      }
      if ((flat[flat.length - 1] as { stripAfter: boolean }).stripAfter) while (i < s.length && /\s/.test(s[i]) && !(quoted && s[i] === '"')) i++;
      continue;
    }
    text += ch;
    i++;
  }
  flush();
  return { parts: nestDirectives(flat), end: i };
}

type Flat = TemplatePart | { k: "dir"; word: string; x?: Node; keyVar?: string | null; valVar?: string };

/** `%{if}…%{else}…%{endif}` and `%{for}…%{endfor}` from a flat list into nested parts. */
function nestDirectives(flat: Flat[]): TemplatePart[] {
  let i = 0;
  const block = (until: string[], depth: number): { parts: TemplatePart[]; end: string } => {
    if (depth > MAX_HEIGHT) throw tooDeep();
    const parts: TemplatePart[] = [];
    while (i < flat.length) {
      const f = flat[i++];
      if (f.k !== "dir") {
        parts.push(f);
        continue;
      }
      if (until.includes(f.word)) return { parts, end: f.word };
      if (f.word === "if") {
        const then = block(["else", "endif"], depth + 1);
        let otherwise: TemplatePart[] = [];
        if (then.end === "else") otherwise = block(["endif"], depth + 1).parts;
        parts.push(builtPart({ k: "if", test: f.x!, then: then.parts, else: otherwise }, Math.max(heightOf(f.x!), 1 + partsHeight(then.parts), 1 + partsHeight(otherwise))));
      } else if (f.word === "for") {
        const body = block(["endfor"], depth + 1);
        parts.push(builtPart({ k: "for", keyVar: f.keyVar ?? null, valVar: f.valVar!, coll: f.x!, body: body.parts }, Math.max(heightOf(f.x!), 1 + partsHeight(body.parts))));
      } else throw new SyntaxError(`unexpected %{${f.word}}`);
    }
    if (until.length) throw new SyntaxError(`%{${until[until.length - 1]}} is missing`);
    return { parts, end: "" };
  };
  return block([], 0).parts;
}

const BINARY: Record<string, number> = { "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6 };

class Parser {
  private lex: Lexer;
  private tok: Tok;
  private depth: number;

  constructor(src: string, start: number, depth: number, invalidUtf8: number[] = []) {
    this.lex = new Lexer(src);
    this.lex.invalid = invalidUtf8;
    this.lex.pos = start;
    this.lex.depth = () => this.depth;
    this.depth = depth;
    this.tok = this.lex.next();
  }

  lexPos(): number {
    return this.lex.pos;
  }

  /** End offset of the last token consumed. */
  prevEnd = 0;

  private advance(): Tok {
    const t = this.tok;
    this.prevEnd = this.lex.pos;
    this.tok = this.lex.next();
    return t;
  }

  private is(v: string): boolean {
    return this.tok.t === "op" && this.tok.v === v;
  }

  private expect(v: string): void {
    if (!this.is(v)) throw new SyntaxError(`expected "${v}", found ${this.tok.t === "eof" ? "the end" : JSON.stringify(this.tok.v || this.tok.t)}`);
    this.advance();
  }

  private ident(): string {
    if (this.tok.t !== "ident") throw new SyntaxError(`expected a name, found ${JSON.stringify(this.tok.v || this.tok.t)}`);
    return this.advance().v;
  }

  /** The `}` (or `~}`) that ends `${…}`/`%{…}`: the lexer has read one token past it, so step back. */
  closeTemplate(): boolean {
    const at = this.tok.pos;
    if (this.is("~") && this.lex.src[at + 1] === "}") {
      this.lex.pos = at + 2;
      return true;
    }
    if (!this.is("}")) throw new SyntaxError(`expected "}" to close the template sequence`);
    this.lex.pos = at + 1;
    return false;
  }

  directive(): { k: "dir"; word: string; x?: Node; keyVar?: string | null; valVar?: string } {
    const word = this.ident();
    if (word === "if") return { k: "dir", word, x: this.expression() };
    if (word === "for") {
      let keyVar: string | null = null;
      let valVar = this.ident();
      if (this.is(",")) {
        this.advance();
        keyVar = valVar;
        valVar = this.ident();
      }
      if (this.ident() !== "in") throw new SyntaxError('expected "in"');
      return { k: "dir", word, keyVar, valVar, x: this.expression() };
    }
    if (word === "else" || word === "endif" || word === "endfor") return { k: "dir", word };
    throw new SyntaxError(`unknown template directive %{${word}}`);
  }

  position(): number {
    return this.tok.pos;
  }

  /** Offsets where lines start, for the line numbers recorded on bodies (built on first use). */
  private lineStarts?: number[];

  private readonly lineOf = (pos: number): number => this.lineAt(pos);

  private lineAt(pos: number): number {
    if (!this.lineStarts) {
      const starts = [0];
      const src = this.lex.src;
      for (let i = src.indexOf("\n"); i >= 0; i = src.indexOf("\n", i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** A body: attributes and blocks, up to `}` (a block's, opened at offset `open`) or the end of the text (top level: -1). */
  body(open: number): Json {
    const nested = open >= 0;
    if (++this.depth > MAX_DEPTH) throw new SyntaxError(`blocks nested too deeply (more than ${MAX_DEPTH} levels)`);
    const out: Json = Object.create(null) as Json;
    const attributes = new Map<string, number>(); // name → offset
    (out as Placed)[ATTRIBUTE_OFFSETS] = attributes;
    (out as Placed)[LINE_OF] = this.lineOf;
    for (;;) {
      if (this.tok.t === "eof") {
        if (nested) throw Object.assign(new SyntaxError('"{" is never closed'), { pos: open });
        break;
      }
      if (nested && this.is("}")) break;
      const at = this.tok.pos;
      const name = this.ident();
      if (this.is("=")) {
        this.advance();
        if (attributes.has(name) || Object.prototype.hasOwnProperty.call(out, name)) throw Object.assign(new SyntaxError(`attribute "${name}" is defined twice`), { pos: at });
        attributes.set(name, at);
        if ((this.tok as Tok).t === "eof" || /\n/.test(this.lex.src.slice(this.prevEnd, this.tok.pos))) throw Object.assign(new SyntaxError(`attribute has no value: ${name} =`), { pos: at });
        out[name] = this.attributeValue();
        continue;
      }
      const labels: string[] = [];
      while (this.tok.t === "str" || this.tok.t === "ident") {
        const t = this.advance();
        if (t.t === "ident") labels.push(t.v);
        else {
          const parts = t.str!;
          if (parts.length > 1 || (parts.length === 1 && parts[0].k !== "text")) throw Object.assign(new SyntaxError("a block label cannot hold a template"), { pos: t.pos });
          labels.push(parts.length ? (parts[0] as { text: string }).text : "");
        }
      }
      if (!this.is("{")) throw Object.assign(new SyntaxError(`syntax error: expected "=" or a block after ${JSON.stringify(name)}`), { pos: at });
      const brace = this.advance().pos;
      const body = this.body(brace);
      this.expect("}");
      (body as Placed)[BLOCK_OFFSET] = at;
      if (attributes.has(name)) throw Object.assign(new SyntaxError(`"${name}" is both an attribute and a block`), { pos: at });
      let holder: Json = out;
      let key = name;
      for (const label of labels) {
        if (!Object.prototype.hasOwnProperty.call(holder, key) || typeof holder[key] !== "object" || Array.isArray(holder[key])) holder[key] = Object.create(null) as Json;
        holder = holder[key] as Json;
        key = label;
      }
      if (!Array.isArray(holder[key])) holder[key] = [];
      (holder[key] as unknown[]).push(body);
      if (name === "dynamic" && labels.length === 1) {
        const before = Object.prototype.hasOwnProperty.call(out, labels[0]) && Array.isArray(out[labels[0]]) ? (out[labels[0]] as unknown[]).length : 0;
        Object.defineProperty(body, STATIC_BLOCKS_BEFORE, { value: before });
      }
    }
    this.depth--;
    return out;
  }

  /**
   * An attribute's value as hcl2json gives it: a literal as JSON; a tuple or object written out as an
   * array or object of such values (`[aws_x.y]` → `["${aws_x.y}"]`); a lone quoted template as its
   * text; any other expression as `${source}`.
   */
  private attributeValue(): unknown {
    const start = this.tok.pos;
    if (this.is("[") || this.is("{")) {
      const shape = this.collectionShape();
      if (shape !== FALLBACK && this.endsValue()) return shape;
      this.reset(start);
    }
    const startTok = this.tok;
    const node = this.expression();
    const literal = literalValue(node);
    if (literal !== NOT_LITERAL) return literal;
    const src = this.lex.src.slice(start, this.prevEnd);
    if (startTok.t === "str" && startTok.end === this.prevEnd) return startTok.heredoc ?? templateText(src.slice(1, -1));
    return `\${${src}}`;
  }

  /** `[...]` or `{...}` item by item; FALLBACK when it is a `for` or a key is an expression. */
  private collectionShape(): unknown {
    if (++this.depth > MAX_DEPTH) throw tooDeep();
    try {
      const open = this.advance().v;
      if (this.isFor()) return FALLBACK;
      if (open === "[") {
        const items: unknown[] = [];
        while (!this.is("]")) {
          items.push(this.attributeValue());
          if (!this.is(",")) break;
          this.advance();
        }
        this.expect("]");
        return items;
      }
      const out: Json = Object.create(null) as Json;
      while (!this.is("}")) {
        let key: string;
        if (this.tok.t === "ident") key = this.advance().v;
        else if (this.tok.t === "str" && this.tok.str!.length <= 1 && (this.tok.str!.length === 0 || this.tok.str![0].k === "text")) {
          const parts = this.advance().str!;
          key = parts.length ? (parts[0] as { text: string }).text : "";
        } else return FALLBACK;
        if (!this.is("=") && !this.is(":")) return FALLBACK;
        this.advance();
        out[key] = this.attributeValue();
        if (this.is(",")) this.advance();
      }
      this.expect("}");
      return out;
    } finally {
      this.depth--;
    }
  }

  /** Does the value end here: a separator, a closing bracket, the end of the line or of the text? */
  private endsValue(): boolean {
    if (this.tok.t === "eof") return true;
    if (this.tok.t === "op" && [",", "]", "}", ")"].includes(this.tok.v)) return true;
    return /\n/.test(this.lex.src.slice(this.prevEnd, this.tok.pos));
  }

  private reset(pos: number): void {
    this.lex.pos = pos;
    this.tok = this.lex.next();
  }

  /** Parses a whole expression and requires the end of the text. */
  whole(): Node {
    const x = this.expression();
    if (this.tok.t !== "eof") throw new SyntaxError(`unexpected ${JSON.stringify(this.tok.v || this.tok.t)} after the expression`);
    return x;
  }

  expression(): Node {
    if (++this.depth > MAX_DEPTH) throw tooDeep();
    try {
      const test = this.binary(1);
      if (!this.is("?")) return test;
      this.advance();
      const then = this.expression();
      this.expect(":");
      const otherwise = this.expression();
      return built({ k: "cond", test, then, else: otherwise }, [test, then, otherwise]);
    } finally {
      this.depth--;
    }
  }

  /** Precedence climbing over left-associative binary operators. */
  private binary(min: number): Node {
    let left = this.unary();
    for (;;) {
      const prec = this.tok.t === "op" ? BINARY[this.tok.v] : undefined;
      if (prec === undefined || prec < min) return left;
      const op = this.advance().v;
      const right = this.binary(prec + 1);
      left = built({ k: "binary", op, a: left, b: right }, [left, right]);
    }
  }

  private unary(): Node {
    if (this.is("!") || this.is("-")) {
      const op = this.advance().v as "!" | "-";
      if (++this.depth > MAX_DEPTH) throw tooDeep();
      const x = this.unary();
      this.depth--;
      return built({ k: "unary", op, x }, [x]);
    }
    return this.postfix(this.primary());
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.is("[*]")) {
        this.advance();
        const each = this.splatTail(true);
        node = built({ k: "splat", obj: node, each }, [node, each]);
      } else if (this.is(".*")) {
        this.advance();
        const each = this.splatTail(false);
        node = built({ k: "splat", obj: node, each }, [node, each]);
      } else if (this.is(".")) {
        this.advance();
        node = this.attrStep(node);
      } else if (this.is("[")) {
        this.advance();
        const key = this.expression();
        this.expect("]");
        node = built({ k: "index", obj: node, key }, [node, key]);
      } else return node;
    }
  }

  private attrStep(node: Node): Node {
    if (this.tok.t === "num") {
      const v = this.advance().v; // legacy index: list.0
      if (!/^\d+$/.test(v)) throw new SyntaxError("expected an attribute name");
      return built({ k: "index", obj: node, key: { k: "lit", v: Number(v) } }, [node]);
    }
    return built({ k: "attr", obj: node, name: this.ident() }, [node]);
  }

  /** After `[*]` every traversal applies to each element; after `.*` only attribute steps. */
  private splatTail(full: boolean): Node {
    let each: Node = { k: "item" };
    for (;;) {
      if (this.is(".")) {
        this.advance();
        each = this.attrStep(each);
      } else if (full && this.is("[")) {
        this.advance();
        const key = this.expression();
        this.expect("]");
        each = built({ k: "index", obj: each, key }, [each, key]);
      } else return each;
    }
  }

  private primary(): Node {
    if (++this.depth > MAX_DEPTH) throw tooDeep();
    try {
      const t = this.tok;
      if (t.t === "num") {
        this.advance();
        return { k: "lit", v: Number(t.v) };
      }
      if (t.t === "str") {
        this.advance();
        const parts = t.str!;
        if (parts.length === 0) return { k: "lit", v: "" };
        if (parts.length === 1 && parts[0].k === "text") return { k: "lit", v: parts[0].text };
        // "${x}" alone is x itself, not its string (HCL unwraps a lone interpolation)
        if (parts.length === 1 && parts[0].k === "interp") return parts[0].x;
        return built({ k: "tpl", parts }, [], 2 + partsHeight(parts));
      }
      if (t.t === "ident") {
        this.advance();
        if (t.v === "true" || t.v === "false") return { k: "lit", v: t.v === "true" };
        if (t.v === "null") return { k: "lit", v: null };
        if (this.is("(")) return this.call(t.v);
        return { k: "var", name: t.v };
      }
      if (this.is("(")) {
        this.advance();
        const x = this.expression();
        this.expect(")");
        return x;
      }
      if (this.is("[")) return this.tuple();
      if (this.is("{")) return this.object();
      throw new SyntaxError(t.t === "eof" ? "expression ends too early" : `unexpected ${JSON.stringify(t.v)}`);
    } finally {
      this.depth--;
    }
  }

  private call(name: string): Node {
    this.expect("(");
    const args: Node[] = [];
    let expand = false;
    while (!this.is(")")) {
      args.push(this.expression());
      if (this.is("...")) {
        this.advance();
        expand = true;
        if (!this.is(")")) throw new SyntaxError('"..." must follow the last argument');
        break;
      }
      if (!this.is(",")) break;
      this.advance();
    }
    this.expect(")");
    // try() and can() evaluate their arguments one call further down
    return built({ k: "call", name, args, expand }, args, name === "try" || name === "can" ? 2 : 1);
  }

  private isFor(): boolean {
    return this.tok.t === "ident" && this.tok.v === "for" && !/^\s*[=:,)\]}]/.test(this.lex.src.slice(this.lex.pos, this.lex.pos + 20));
  }

  private forHead(): { keyVar: string | null; valVar: string; coll: Node } {
    this.advance(); // for
    let keyVar: string | null = null;
    let valVar = this.ident();
    if (this.is(",")) {
      this.advance();
      keyVar = valVar;
      valVar = this.ident();
    }
    if (this.ident() !== "in") throw new SyntaxError('expected "in" in the for expression');
    const coll = this.expression();
    this.expect(":");
    return { keyVar, valVar, coll };
  }

  private tuple(): Node {
    this.expect("[");
    if (this.isFor()) {
      const head = this.forHead();
      const valExpr = this.expression();
      const cond = this.forCond();
      this.expect("]");
      return built({ k: "for", ...head, keyExpr: null, valExpr, cond, group: false }, [head.coll, valExpr, cond], 2);
    }
    const items: Node[] = [];
    while (!this.is("]")) {
      items.push(this.expression());
      if (!this.is(",")) break;
      this.advance();
    }
    this.expect("]");
    return built({ k: "tuple", items }, items);
  }

  private forCond(): Node | null {
    if (this.tok.t === "ident" && this.tok.v === "if") {
      this.advance();
      return this.expression();
    }
    return null;
  }

  private object(): Node {
    this.expect("{");
    if (this.isFor()) {
      const head = this.forHead();
      const keyExpr = this.expression();
      this.expect("=>");
      const valExpr = this.expression();
      let group = false;
      if (this.is("...")) {
        this.advance();
        group = true;
      }
      const cond = this.forCond();
      this.expect("}");
      return built({ k: "for", ...head, keyExpr, valExpr, cond, group }, [head.coll, keyExpr, valExpr, cond], 2);
    }
    const items: Array<{ key: Node; value: Node }> = [];
    while (!this.is("}")) {
      let key = this.expression();
      // A bare name as a key is the string, not a variable: { name = 1 }
      if (key.k === "var") key = { k: "lit", v: key.name };
      if (!this.is("=") && !this.is(":")) throw new SyntaxError('expected "=" or ":" after an object key');
      this.advance();
      items.push({ key, value: this.expression() });
      if (this.is(",")) this.advance();
    }
    this.expect("}");
    const children: Node[] = [];
    for (const i of items) children.push(i.key, i.value);
    return built({ k: "object", items }, children);
  }
}

type Json = Record<string, unknown>;

/**
 * A `.tf` file (HCL native syntax) → the JSON shape hcl2json gives, which the loader reads:
 * `kind.label1.label2 = [body]` for blocks, literal attribute values as JSON, any other expression
 * as a `${...}` string and templates as template strings. Errors carry the offset.
 */
export function parseConfigText(text: string, invalidUtf8: number[] = []): Json {
  const p = new Parser(text, 0, 0, invalidUtf8);
  try {
    const body = p.body(-1);
    return body;
  } catch (e) {
    if (e instanceof SyntaxError && e.pos === undefined) e.pos = p.position();
    throw e;
  }
}

/** Line number (1-based) of an offset. */
export function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const NOT_LITERAL = Symbol("not literal");
const FALLBACK = Symbol("not written out item by item");

/** The value of an expression made only of literals (numbers, strings, bools, null, tuples, objects). */
function literalValue(node: Node, depth = 0): unknown {
  if (depth > MAX_DEPTH) return NOT_LITERAL;
  switch (node.k) {
    case "lit":
      return typeof node.v === "string" && (node.v.includes("${") || node.v.includes("%{")) ? NOT_LITERAL : node.v;
    case "unary":
      return node.op === "-" && node.x.k === "lit" && typeof node.x.v === "number" ? -node.x.v : NOT_LITERAL;
    case "tuple": {
      const out: unknown[] = [];
      for (const item of node.items) {
        const v = literalValue(item, depth + 1);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        out.push(v);
      }
      return out;
    }
    case "object": {
      const out: Json = Object.create(null) as Json;
      for (const { key, value } of node.items) {
        if (key.k !== "lit" || typeof key.v !== "string") return NOT_LITERAL;
        const v = literalValue(value, depth + 1);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        out[key.v] = v;
      }
      return out;
    }
    default:
      return NOT_LITERAL;
  }
}

/**
 * A quoted template's source → template text for the evaluator: escapes decoded in the literal
 * parts, `${...}` / `%{...}` kept as written, `$${` and `%%{` kept (the evaluator reads them as literal).
 */
function templateText(raw: string): string {
  let out = "";
  for (let i = 0; i < raw.length; ) {
    const ch = raw[i];
    if ((ch === "$" || ch === "%") && raw[i + 1] === ch && raw[i + 2] === "{") {
      out += raw.slice(i, i + 3);
      i += 3;
    } else if ((ch === "$" || ch === "%") && raw[i + 1] === "{") {
      const end = sequenceEnd(raw, i + 2);
      out += raw.slice(i, end);
      i = end;
    } else if (ch === "\\") {
      const e = raw[i + 1];
      const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
      if (e in simple) {
        out += simple[e];
        i += 2;
      } else {
        const len = e === "u" ? 4 : 8;
        out += String.fromCodePoint(parseInt(raw.slice(i + 2, i + 2 + len), 16));
        i += 2 + len;
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** The offset after the `}` that closes a `${`/`%{` sequence starting at `i` (strings and braces inside skipped). */
function sequenceEnd(s: string, i: number): number {
  let depth = 1;
  while (i < s.length && depth > 0) {
    const c = s[i];
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === "\\") i++;
        else if ((s[i] === "$" || s[i] === "%") && s[i + 1] === "{") {
          i = sequenceEnd(s, i + 2);
          continue;
        }
        i++;
      }
    } else if (c === "{") depth++;
    else if (c === "}") depth--;
    i++;
  }
  return i;
}

/**
 * An attribute string (from a .tf file, JSON syntax or CDKTF): a lone `${expr}` is that expression's value
 * (any type); anything else is a template that gives a string.
 */
export function parseAttributeString(text: string): Node {
  const { parts } = parseTemplateText(text, 0, false);
  if (parts.length === 1 && parts[0].k === "interp") return parts[0].x;
  if (parts.length === 0) return { k: "lit", v: "" };
  if (parts.length === 1 && parts[0].k === "text") return { k: "lit", v: parts[0].text };
  return built({ k: "tpl", parts }, [], 2 + partsHeight(parts));
}
