/**
 * A JSON scanner over bytes that validates as it goes and lets the caller choose, value by value,
 * to skip (no objects made), to walk an object's members or an array's elements, or to parse
 * (JSON.parse of that slice, so values come out exactly as JSON.parse gives them). Skipping is a
 * loop over bytes with an explicit stack: no recursion, so no nesting depth can overflow it.
 * It accepts exactly RFC 8259 JSON; on anything else it throws a ScanError with the byte offset.
 */

export class ScanError extends Error {
  constructor(readonly offset: number) {
    super(`invalid JSON at byte ${offset}`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OBJECT = 0;
const ARRAY = 1;

export class JsonScanner {
  pos = 0;
  private readonly n: number;
  private readonly stack: number[] = [];

  constructor(private readonly buf: Buffer) {
    this.n = buf.length;
    if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) this.pos = 3; // a UTF-8 byte order mark
  }

  /** Skips whitespace; the next byte, or -1 at the end. */
  peek(): number {
    const b = this.buf;
    let i = this.pos;
    while (i < this.n) {
      const c = b[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.pos = i;
    return i < this.n ? b[i] : -1;
  }

  fail(at = this.pos): never {
    throw new ScanError(at);
  }

  /** Only whitespace is left. */
  end(): void {
    if (this.peek() !== -1) this.fail();
  }

  /** The next value, as JSON.parse gives it. */
  parse(): unknown {
    const first = this.peek();
    const start = this.pos;
    if (first === QUOTE) {
      this.skipString();
      return this.text(start, this.pos); // a string: no JSON.parse needed
    }
    this.skip();
    return JSON.parse(this.buf.toString("utf8", start, this.pos));
  }

  /** Walks an object: `visit` is called at each member's value and must consume it (skip, parse or walk). */
  members(visit: (key: string) => void): void {
    if (this.peek() !== OPEN_OBJECT) this.fail();
    this.pos++;
    if (this.peek() === CLOSE_OBJECT) {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.peek() !== QUOTE) this.fail();
      const start = this.pos;
      this.skipString();
      const key = this.text(start, this.pos);
      this.colon();
      visit(key);
      const c = this.peek();
      this.pos++;
      if (c === CLOSE_OBJECT) return;
      if (c !== COMMA) this.fail(this.pos - 1);
    }
  }

  /**
   * Skims an object and notes where its members are, without making strings: for each member the
   * offsets of its key (quotes included) and of its value, flat in `out`: [keyStart, keyEnd,
   * valueStart, ...]. Returns how many numbers it wrote (`out` is reused, so nothing is allocated).
   */
  memberOffsets(out: number[]): number {
    let count = 0;
    if (this.peek() !== OPEN_OBJECT) this.fail();
    this.pos++;
    if (this.peek() === CLOSE_OBJECT) {
      this.pos++;
      return count;
    }
    for (;;) {
      if (this.peek() !== QUOTE) this.fail();
      out[count++] = this.pos;
      this.skipString();
      out[count++] = this.pos;
      this.colon();
      this.peek();
      out[count++] = this.pos;
      this.skip();
      const c = this.peek();
      this.pos++;
      if (c === CLOSE_OBJECT) return count;
      if (c !== COMMA) this.fail(this.pos - 1);
    }
  }

  /** Whether the value at `start` (noted by memberOffsets) is a string. */
  isString(start: number): boolean {
    return this.buf[start] === QUOTE;
  }

  /** The string at `start` (a value noted by memberOffsets) if it is one of `names`, else null; no string is made for others. */
  stringIn(start: number, names: readonly string[]): string | null {
    if (this.buf[start] !== QUOTE) return null;
    const resume = this.pos;
    this.pos = start;
    this.skipString();
    const end = this.pos;
    this.pos = resume;
    for (const name of names) if (this.keyIs(start, end, name)) return name;
    return null;
  }

  /** Whether the string at [start, end) (quotes included) is `name`; escapes are decoded. */
  keyIs(start: number, end: number, name: string): boolean {
    const length = end - start - 2;
    if (length === name.length) {
      for (let k = 0; k < length; k++) if (this.buf[start + 1 + k] !== name.charCodeAt(k)) return false; // same length: an escape would make it longer
      return true;
    }
    return length > name.length && this.hasEscape(start, end) && this.text(start, end) === name;
  }

  /** The string at [start, end), quotes included. */
  text(start: number, end: number): string {
    if (this.hasEscape(start, end)) return JSON.parse(this.buf.toString("utf8", start, end)) as string;
    return this.buf.toString("utf8", start + 1, end - 1);
  }

  private hasEscape(start: number, end: number): boolean {
    for (let i = start + 1; i < end - 1; i++) if (this.buf[i] === BACKSLASH) return true;
    return false;
  }

  /** Walks an array: `visit` is called at each element and must consume it. */
  elements(visit: () => void): void {
    if (this.peek() !== OPEN_ARRAY) this.fail();
    this.pos++;
    if (this.peek() === CLOSE_ARRAY) {
      this.pos++;
      return;
    }
    for (;;) {
      visit();
      const c = this.peek();
      this.pos++;
      if (c === CLOSE_ARRAY) return;
      if (c !== COMMA) this.fail(this.pos - 1);
    }
  }

  /** Skips one value, checking its syntax, without making anything. */
  skip(): void {
    const stack = this.stack; // one array for every skip: skipping allocates nothing
    let depth = 0;
    for (;;) {
      let c = this.peek();
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        this.pos++;
        const close = c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
        if (this.peek() === close) this.pos++;
        else {
          stack[depth++] = c === OPEN_OBJECT ? OBJECT : ARRAY;
          if (c === OPEN_OBJECT) this.key();
          continue;
        }
      } else if (c === QUOTE) this.skipString();
      else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) this.skipNumber();
      else if (c === 0x74) this.literal("true");
      else if (c === 0x66) this.literal("false");
      else if (c === 0x6e) this.literal("null");
      else this.fail();
      // After a value: close the containers it ends, or go on to the next member or element.
      for (;;) {
        if (depth === 0) return;
        c = this.peek();
        const top = stack[depth - 1];
        if (c === COMMA) {
          this.pos++;
          if (top === OBJECT) this.key();
          break;
        }
        if (c !== (top === OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) this.fail();
        this.pos++;
        depth--;
      }
    }
  }

  private key(): void {
    if (this.peek() !== QUOTE) this.fail();
    this.skipString();
    this.colon();
  }

  private colon(): void {
    if (this.peek() !== COLON) this.fail();
    this.pos++;
  }

  private skipString(): void {
    const b = this.buf;
    const n = this.n;
    let i = this.pos + 1;
    for (;;) {
      let c = b[i];
      while (c > QUOTE && c !== BACKSLASH) c = b[++i]; // most bytes, in two comparisons (undefined at the end)
      if (i >= n) this.fail(n);
      i++;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        const e = b[i++];
        if (e === 0x75) {
          for (let k = 0; k < 4; k++, i++) if (!isHex(b[i])) this.fail(i);
        } else if (!(e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74)) this.fail(i - 1);
      } else if (c < 0x20) this.fail(i - 1);
    }
    this.pos = i;
  }

  private skipNumber(): void {
    const b = this.buf;
    let i = this.pos;
    if (b[i] === 0x2d) i++;
    if (b[i] === 0x30) i++;
    else if (isDigit(b[i])) while (isDigit(b[i])) i++;
    else this.fail(i);
    if (b[i] === 0x2e) {
      i++;
      if (!isDigit(b[i])) this.fail(i);
      while (isDigit(b[i])) i++;
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === 0x2b || b[i] === 0x2d) i++;
      if (!isDigit(b[i])) this.fail(i);
      while (isDigit(b[i])) i++;
    }
    this.pos = i;
  }

  private literal(word: string): void {
    for (let k = 0; k < word.length; k++) if (this.buf[this.pos + k] !== word.charCodeAt(k)) this.fail(this.pos + k);
    this.pos += word.length;
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}
