/** Reading a JSON input file, with a clear error for each way a file handed to wafguard goes wrong. */
import { constants, isUtf8 } from "node:buffer";
import { InputError } from "../errors";
import { MIB, readRegularFile } from "./read-file";

/** `.tf` and `.tfvars` files are written by hand: anything this large is not a configuration. */
export const MAX_HCL_BYTES = 16 * MIB;

/** Plans are scanned from bytes, so any size a Buffer holds; hand-written configurations are capped. */
function maxBytesFor(path: string): number {
  return /\.(tf|tfvars)$/.test(path) ? MAX_HCL_BYTES : constants.MAX_LENGTH;
}

/** Reads `path` as bytes (regular files only, within a size limit), rejecting binary plans and other non-text. */
export function readInputBytes(path: string, maxBytes = maxBytesFor(path)): Buffer {
  const bytes = readRegularFile(path, maxBytes);
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new InputError(path, "is a binary plan file (a zip archive); convert it first: terraform show -json tfplan > plan.json");
  }
  if (bytes.subarray(0, 8192).includes(0)) throw new InputError(path, "is a binary file, not JSON or HCL text");
  return bytes;
}

export interface TextOptions {
  /** .tf files may be empty; others are refused, saying what they should hold. */
  allowEmpty?: boolean;
  /** What the file should hold, for the message on an empty one: a plan unless said otherwise. */
  expected?: string;
}

/** Reads `path` as UTF-8 text, rejecting binary plans, empty files (unless `allowEmpty`: .tf files) and other non-text. */
export function readTextFile(path: string, options: TextOptions = {}): string {
  return decodeText(path, readInputBytes(path), options);
}

export function decodeText(path: string, bytes: Buffer, options: TextOptions = {}): string {
  if (bytes.length > constants.MAX_STRING_LENGTH) throw new InputError(path, `is larger than the longest string Node can hold (${constants.MAX_STRING_LENGTH} characters)`);
  let text = bytes.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM, as Windows editors write
  if (!options.allowEmpty && !/\S/.test(text)) throw new InputError(path, `is empty; expected ${options.expected ?? "the output of terraform show -json"}`); // no trim(): it copies the whole text
  return text;
}

/**
 * Where `text` (decoded from `bytes`) holds a U+FFFD that stands for bytes that are not UTF-8, as
 * offsets in the text, ascending; none (and no work) for valid UTF-8. Terraform refuses such bytes
 * anywhere but in a comment.
 */
export function invalidUtf8Offsets(bytes: Buffer, text: string): number[] {
  if (isUtf8(bytes)) return [];
  const out: number[] = [];
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let b = bom;
  let c = 0;
  while (b < bytes.length) {
    const len = sequenceLength(bytes, b);
    if (len > 0) {
      c += bytes[b] >= 0xf0 ? 2 : 1; // four bytes: a surrogate pair in the text
      b += len;
    } else {
      out.push(c);
      c += 1; // one U+FFFD for the maximal invalid subpart, as the decoder writes it
      b += Math.max(1, -len);
    }
  }
  return text.length === c ? out : out.filter((o) => text.charCodeAt(o) === 0xfffd);
}

/** The length of a valid UTF-8 sequence at `i`, or minus the length of the invalid subpart there. */
function sequenceLength(bytes: Buffer, i: number): number {
  const b0 = bytes[i];
  if (b0 < 0x80) return 1;
  const len = b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
  if (len === 0) return -1;
  for (let k = 1; k < len; k++) {
    const bk = bytes[i + k];
    let lo = 0x80;
    let hi = 0xbf;
    if (k === 1) {
      if (b0 === 0xe0) lo = 0xa0;
      else if (b0 === 0xed) hi = 0x9f;
      else if (b0 === 0xf0) lo = 0x90;
      else if (b0 === 0xf4) hi = 0x8f;
    }
    if (bk === undefined || bk < lo || bk > hi) return -k;
  }
  return len;
}

/**
 * Configurations (.tf.json, CDKTF stacks, manifests) nest far less than this; the loaders that walk
 * them recurse, so deeper documents are refused here rather than overflowing the stack later.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * Parses JSON text, turning a syntax error into a one-line message with the line number, and refusing
 * documents nested deeper than `maxDepth` (plans pass Infinity: their loader bounds its own walks).
 */
export function parseJson(path: string, text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    if (/Unexpected end of JSON input|Unterminated string/.test(message)) {
      throw new InputError(path, "ends before its JSON is complete (truncated file?)");
    }
    const position = /position (\d+)/.exec(message);
    const where = position ? ` at line ${lineOf(text, Number(position[1]))}` : "";
    throw new InputError(path, `is not valid JSON${where}: ${message.replace(/\s*in JSON at position \d+[\s\S]*$/, "").replace(/, "[\s\S]*" is not valid JSON$/, "")}`);
  }
  if (maxDepth !== Infinity && nestsDeeperThan(doc, maxDepth)) {
    throw new InputError(path, `nests objects and arrays more than ${maxDepth} levels deep (from line ${lineOf(text, offsetAtDepth(text, maxDepth))}), which no configuration does`);
  }
  if (maxDepth !== Infinity) {
    // JSON.parse keeps the last of two equal keys and drops the other without a word; in Terraform
    // JSON that is a second resource (Terraform's "Duplicate resource") or a second block. Say so.
    const duplicate = duplicateKey(text);
    if (duplicate) {
      throw new InputError(`${path}:${lineOf(text, duplicate.offset)}`, `has the key ${JSON.stringify(duplicate.key)} twice in one object; JSON readers keep only one of them (write repeated blocks as a JSON array, and each resource once)`);
    }
  }
  return doc;
}

/** The first key that repeats within one object of valid JSON text, and where. */
function duplicateKey(text: string): { key: string; offset: number } | undefined {
  const objects: Array<Set<string> | null> = []; // null: an array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34) {
      const start = i;
      for (i++; text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
      const keys = objects[objects.length - 1];
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (keys.has(key)) return { key, offset: start };
        keys.add(key);
      }
      expectKey = false;
    } else if (ch === 123) {
      objects.push(new Set());
      expectKey = true;
    } else if (ch === 91) {
      objects.push(null);
      expectKey = false;
    } else if (ch === 125 || ch === 93) {
      objects.pop();
      expectKey = false;
    } else if (ch === 44) expectKey = objects[objects.length - 1] !== null;
  }
  return undefined;
}

/** Iterative, so that the check itself cannot overflow the stack. */
function nestsDeeperThan(doc: unknown, maxDepth: number): boolean {
  const stack: Array<{ value: object; depth: number }> = doc !== null && typeof doc === "object" ? [{ value: doc, depth: 1 }] : [];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.depth > maxDepth) return true;
    for (const child of Array.isArray(item.value) ? item.value : Object.values(item.value)) {
      if (child !== null && typeof child === "object") stack.push({ value: child as object, depth: item.depth + 1 });
    }
  }
  return false;
}

/** Where the text first opens its `depth + 1`-th level (outside strings). */
function offsetAtDepth(text: string, depth: number): number {
  let level = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      if (++level > depth) return i;
    } else if (ch === 93 || ch === 125) level--;
  }
  return 0;
}

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * A JSON value's kind for a message: "null", "an array", "an object", "a string"...; with `showValue`,
 * a string, number or boolean shows itself too: `"oops" (a string)`, `5 (a number)`.
 */
export function jsonKind(value: unknown, showValue = false): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (!showValue) return `a ${typeof value}`;
  const text = typeof value === "string" ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value) : String(value);
  return `${text} (a ${typeof value})`;
}
