/** Reading a JSON input file, with a clear error for each way a file handed to wafguard goes wrong. */
import { readFileSync, statSync } from "node:fs";
import { InputError } from "../errors";

/** Reads `path` as UTF-8 text, rejecting binary plans, empty files (unless `allowEmpty`: .tf files) and other non-text. */
export function readTextFile(path: string, options: { allowEmpty?: boolean } = {}): string {
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory()) throw new InputError(path, "is a directory, not a file");
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new InputError(path, "is a binary plan file (a zip archive); convert it first: terraform show -json tfplan > plan.json");
  }
  if (bytes.subarray(0, 8192).includes(0)) throw new InputError(path, "is a binary file, not JSON or HCL text");
  let text = bytes.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM, as Windows editors write
  if (!options.allowEmpty && !/\S/.test(text)) throw new InputError(path, "is empty; expected the output of terraform show -json"); // no trim(): it copies the whole text
  return text;
}

/** Parses JSON text, turning a syntax error into a one-line message with the line number. */
export function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    if (/Unexpected end of JSON input|Unterminated string/.test(message)) {
      throw new InputError(path, "ends before its JSON is complete (truncated file?)");
    }
    const position = /position (\d+)/.exec(message);
    const where = position ? ` at line ${lineOf(text, Number(position[1]))}` : "";
    throw new InputError(path, `is not valid JSON${where}: ${message.replace(/\s*in JSON at position \d+[\s\S]*$/, "").replace(/, "[\s\S]*" is not valid JSON$/, "")}`);
  }
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
