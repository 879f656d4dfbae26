/**
 * A directory of `.tf` / `.tf.json` files → Model, with local modules and the modules `terraform
 * init` downloaded (`.terraform/modules/modules.json`) followed; links, special files and sizes are
 * input errors here. (For a plan, block-locations.ts scans the `.tf` beside it only for lines and
 * suppressions, through the same safe reader.)
 */
import { lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { InputError } from "../../errors";
import { setOwn } from "../../own-property";
import type { LoadedInput } from "../../model";
import { blocksAsArrays, configInputError, configurationToModel, type ConfigFile, type ModuleReader } from "./documents";
import { attributeLine, lineAt, parseConfigText, SyntaxError as HclSyntaxError } from "./hcl-syntax";
import { decodeText, invalidUtf8Offsets, jsonKind, lineOf, parseJson, readInputBytes, readTextFile } from "../json-file";
import { evaluate } from "./expressions";
import { Budget, ConfigError, EvalLimitError } from "./values";
import { isDirectory } from "../read-file";
import { scanTfText, type BlockHeader } from "../block-locations";
import { parseIgnoreMetadata } from "../../suppressions";

type Json = Record<string, unknown>;

export function loadHclDirectory(dir: string, keepTypes: ReadonlySet<string>): LoadedInput {
  const files = readModuleFiles(dir);
  if (files.length === 0) throw new InputError(dir, "has no .tf or .tf.json files");
  const rootVars = readTfvars(dir);
  const notes: string[] = [];
  const downloaded = readModulesManifest(dir);
  const readModule: ModuleReader = (source, fromDir, key) => {
    const local = source.startsWith("./") || source.startsWith("../");
    const childDir = local ? resolve(fromDir, source) : downloaded.get(key);
    if (!childDir) {
      notes.push(`module.${key} (source ${JSON.stringify(source)}) is not read: it is not downloaded (run terraform init, or tofu init, first)`);
      return null;
    }
    if (local) assertModuleDirectory(childDir, key); // Terraform itself stops on an unreadable local module
    else if (!isDirectory(childDir)) {
      notes.push(`module.${key} (source ${JSON.stringify(source)}) is not read: ${shown(childDir)} is not a directory`);
      return null;
    }
    return { dir: realpathSync(childDir), files: readModuleFiles(childDir) };
  };
  const { model, resourceCount, suppressions } = configurationToModel(realpathSync(dir), files, rootVars, keepTypes, readModule);
  return { path: dir, kind: "hcl", model, resourceCount, suppressions, ...(notes.length ? { notes: [...new Set(notes)] } : {}) };
}

function shown(path: string): string {
  return relative(process.cwd(), path) || path;
}

function assertModuleDirectory(dir: string, key: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new InputError(shown(dir), `is a symbolic link that loops (the source of module.${key})`);
    throw new InputError(shown(dir), `unreadable module directory: module.${key}'s source ${code === "ENOENT" ? "does not exist" : `cannot be read (${code})`}`);
  }
  if (!isDir) throw new InputError(shown(dir), `unreadable module directory: module.${key}'s source is not a directory`);
}

/** `terraform init` records where it put each module: module key ("api.inner") → directory. */
function readModulesManifest(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const path = join(root, ".terraform", "modules", "modules.json");
  try {
    if (!statSync(path).isFile()) return out;
  } catch {
    return out;
  }
  const doc = parseJson(path, readTextFile(path, { expected: "the modules.json that terraform init writes (an object with a Modules list)" })) as { Modules?: Array<{ Key?: unknown; Dir?: unknown }> };
  for (const m of Array.isArray(doc?.Modules) ? doc.Modules : []) {
    if (typeof m?.Key === "string" && m.Key && typeof m.Dir === "string") out.set(m.Key, resolve(root, m.Dir));
  }
  return out;
}

/**
 * The `.tf` and `.tf.json` files of one module directory, in Terraform's order. A name that is a
 * link loop, a dangling link or not a regular file is an input error naming it, as Terraform's is.
 */
function readModuleFiles(dir: string): ConfigFile[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    throw new InputError(shown(dir), `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const names = entries.filter((n) => n.endsWith(".tf") || n.endsWith(".tf.json")).sort();
  return names.map((name) => {
    const path = join(dir, name);
    const file = shown(path);
    assertRegularFile(path, file);
    const bytes = readInputBytes(path);
    const text = decodeText(path, bytes, { allowEmpty: true });
    const invalid = invalidUtf8Offsets(bytes, text);
    if (name.endsWith(".tf.json")) {
      if (invalid.length) throw new InputError(`${file}:${lineOf(text, invalid[0])}`, "Invalid character encoding: all input files must be UTF-8 encoded");
      return jsonFile(file, text);
    }
    return hclFile(file, text, invalid);
  });
}

function assertRegularFile(path: string, file: string): void {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const link = lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink();
    if (code === "ELOOP") throw new InputError(file, "is a symbolic link that loops");
    if (code === "ENOENT" && link) throw new InputError(file, "is a symbolic link to nothing (dangling link)");
    throw new InputError(file, `cannot be read (${code ?? (e as Error).message})`);
  }
  if (st.isDirectory()) throw new InputError(file, "is a directory, not a .tf file");
  if (!st.isFile()) throw new InputError(file, "is not a regular file (a FIFO, socket or device)");
}

function hclFile(file: string, text: string, invalidUtf8: number[] = []): ConfigFile {
  const doc = parseHcl(file, text, invalidUtf8);
  const headers = new Map<string, BlockHeader>();
  for (const h of scanTfText(text, file).headers) if (!headers.has(`${h.kind}|${h.type}|${h.name}`)) headers.set(`${h.kind}|${h.type}|${h.name}`, h);
  return {
    file,
    doc,
    lineOf: (kind, type, name) => headers.get(`${kind}|${type}|${name}`)?.line,
    suppressionsOf: (kind, type, name) => headers.get(`${kind}|${type}|${name}`)?.suppressions ?? [],
  };
}

export function parseHcl(file: string, text: string, invalidUtf8: number[] = []): Json {
  try {
    return parseConfigText(text, invalidUtf8);
  } catch (e) {
    if (!(e instanceof HclSyntaxError)) throw e;
    throw new InputError(`${file}:${lineAt(text, e.pos ?? 0)}`, `${e.message} (not valid HCL)`);
  }
}

function jsonFile(file: string, text: string): ConfigFile {
  if (!/\S/.test(text)) throw new InputError(file, "is empty; a .tf.json file holds a JSON object");
  const doc = parseJson(file, text);
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new InputError(file, "is not a Terraform JSON configuration (expected an object)");
  const lineOf = jsonLines(text);
  return {
    file,
    doc: normalizeJsonSyntax(doc as Json, file),
    json: true,
    lineOf,
    suppressionsOf: (kind, type, name) => {
      const line = lineOf(kind, type, name);
      return parseIgnoreMetadata(bodyOf(doc as Json, kind, type, name), { file, ...(line ? { line } : {}) });
    },
  };
}

/**
 * Terraform JSON syntax: `resource.type.name` is an object body with blocks as objects. Each block
 * kind is checked as Terraform checks it, so that a value of the wrong JSON type is an error naming
 * it (`resource.aws_x.y`), not blocks dropped without a word: the labels of `resource`, `data`,
 * `variable`, `module`, `output` and `provider` are objects (or arrays of objects), and a body an
 * object, an array of objects (one block each) or null (no block).
 */
export function normalizeJsonSyntax(doc: Json, file: string): Json {
  const out: Json = { ...doc };
  for (const [kind, labels] of BLOCK_LABELS) {
    if (!(kind in doc)) continue;
    const found = jsonBlocks(doc[kind], kind, labels, kind, file);
    if (kind !== "resource" && kind !== "data") continue; // read as written (documents.ts takes a list or an object)
    const types: Json = {};
    for (const { labels: [type, name], body } of found) {
      if (!Object.prototype.hasOwnProperty.call(types, type)) setOwn(types, type, {});
      const names = types[type] as Json;
      if (!Object.prototype.hasOwnProperty.call(names, name)) setOwn(names, name, []);
      (names[name] as unknown[]).push(blocksAsArrays(body));
    }
    out[kind] = types;
  }
  return out;
}

/** Block kinds and how many labels each has. */
const BLOCK_LABELS: Array<[string, number]> = [["resource", 2], ["data", 2], ["variable", 1], ["module", 1], ["output", 1], ["provider", 1], ["locals", 0]];

/** The blocks under `value`, `labels` labels deep, at `path` (`resource.aws_x`) in `file`. */
function jsonBlocks(value: unknown, kind: string, labels: number, path: string, file: string): Array<{ labels: string[]; body: Json }> {
  if (labels === 0) {
    // A body: an object, an array of them (one block each), or null (no block)
    if (value === null) return [];
    const bodies = Array.isArray(value) ? value : [value];
    return bodies.map((body) => {
      if (body === null) return { labels: [], body: {} };
      if (typeof body !== "object" || Array.isArray(body)) {
        throw new InputError(file, `${path}: Incorrect JSON value type: a JSON object, or an array of objects, is required here, representing the contents of one or more "${kind}" blocks; got ${jsonKind(body)}`);
      }
      return { labels: [], body: body as Json };
    });
  }
  const what = labels === 2 ? "type" : "name";
  if (value === null) throw new InputError(file, `${path}: Missing block label: at least one object property is required, whose name represents the ${kind} block's ${what}`);
  const objects = Array.isArray(value) ? value : [value];
  const out: Array<{ labels: string[]; body: Json }> = [];
  for (const object of objects) {
    if (typeof object !== "object" || object === null || Array.isArray(object)) {
      throw new InputError(file, `${path}: Incorrect JSON value type: a JSON object, or an array of objects, is required here, to give the ${kind} blocks' ${what} labels; got ${jsonKind(object)}`);
    }
    for (const [label, inner] of Object.entries(object)) {
      for (const block of jsonBlocks(inner, kind, labels - 1, `${path}.${label}`, file)) out.push({ labels: [label, ...block.labels], body: block.body });
    }
  }
  return out;
}

/** In JSON syntax: the line of `"name": {` after the line of `"type": {`. */
function jsonLines(text: string): (kind: string, type: string, name: string) => number | undefined {
  const lines = text.split("\n");
  return (_kind, type, name) => {
    const t = lines.findIndex((l) => l.includes(`"${type}"`));
    if (t < 0) return undefined;
    const n = lines.findIndex((l, i) => i > t && l.includes(`"${name}"`));
    return n < 0 ? undefined : n + 1;
  };
}

/**
 * terraform.tfvars and *.auto.tfvars (HCL or JSON), in Terraform's order: later files win. An HCL
 * value is an expression of constants (operators, templates, `for`), evaluated here; a reference or
 * a function call there is Terraform's "Variables not allowed" / "Function calls not allowed".
 */
function readTfvars(dir: string): Record<string, unknown> {
  const names = readdirSync(dir);
  const ordered = [
    ...["terraform.tfvars", "terraform.tfvars.json"].filter((n) => names.includes(n)),
    ...names.filter((n) => n.endsWith(".auto.tfvars") || n.endsWith(".auto.tfvars.json")).sort(),
  ];
  const vars: Record<string, unknown> = {};
  const budget = new Budget(); // a value can run away (nested for expressions) as any expression can
  for (const name of ordered) {
    const path = join(dir, name);
    const file = shown(path);
    const json = name.endsWith(".json");
    const bytes = readInputBytes(path);
    // An empty variables file sets nothing (Terraform reads it so); empty JSON is not JSON
    const text = decodeText(file, bytes, { allowEmpty: !json, expected: "a JSON object of variable values" });
    const invalid = invalidUtf8Offsets(bytes, text);
    if (json && invalid.length) throw new InputError(`${file}:${lineOf(text, invalid[0])}`, "Invalid character encoding: all input files must be UTF-8 encoded");
    const doc = json ? parseJson(file, text) : parseHcl(file, text, invalid);
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) continue;
    for (const [k, v] of Object.entries(doc)) {
      try {
        setOwn(vars, k, json ? v : evaluate(v, { vars: {}, locals: {}, constant: true, budget }));
      } catch (e) {
        if (e instanceof EvalLimitError) throw new InputError(`${file}:${attributeLine(doc, k) ?? 1}`, `${e.message}: the value runs away (nested for expressions, or an enormous literal)`);
        if (!(e instanceof ConfigError)) throw e;
        e.file = file;
        e.line = attributeLine(doc, k);
        throw configInputError(e, file);
      }
    }
  }
  return vars;
}

/** The raw (un-normalized) body of `kind.type.name` in a Terraform JSON document: where `"//"` metadata is. */
export function bodyOf(doc: Json, kind: string, type: string, name: string): unknown {
  const byType = doc[kind];
  const byName = typeof byType === "object" && byType !== null ? (byType as Json)[type] : undefined;
  const body = typeof byName === "object" && byName !== null ? (byName as Json)[name] : undefined;
  return Array.isArray(body) ? body[0] : body;
}
