/** Load: a path (plan JSON, .tf directory, cdk.tf.json, cdktf.out) → Model. Detects the kind. */
import { constants } from "node:buffer";
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname } from "node:path";
import { InputError } from "../errors";
import type { InputKind, LoadedInput } from "../model";
import { modelAttributes, modelTypes } from "../rules";
import { decodeText, parseJson, readInputBytes } from "./json-file";
import { moduleConfigPath, parseModuleAddress } from "./address";
import { assertPlan, planToModel } from "./plan";
import { scanBlockLocations } from "./block-locations";
import { streamPlanDocument } from "./plan-stream";
import { scanPlanDocument } from "./plan-scan";
import { ScanError } from "./json-scanner";
import { loadHclDirectory } from "./terraform/hcl";
import { loadCdktf } from "./cdktf";

/** Above this size (the largest Buffer, 4 GiB in Node 20) a plan is streamed instead of scanned in memory. */
export const STREAM_ABOVE_BYTES = constants.MAX_LENGTH;

export interface LoadOptions {
  /** Force the input kind instead of detecting it. */
  kind?: InputKind;
  /** For a plan: the directory of its .tf files, for source locations. Default: the plan's directory, if it has any. */
  source?: string;
  /** Stream plans larger than this many bytes. Default: STREAM_ABOVE_BYTES. */
  streamAbove?: number;
}

/** Like loadInput, and streams plans too large to read whole. */
export async function loadInputAsync(path: string, options: LoadOptions = {}): Promise<LoadedInput> {
  if (!existsSync(path)) throw new InputError(path, "does not exist");
  const kind = options.kind ?? detectKind(path);
  if (kind !== "plan" || statSync(path).isDirectory() || statSync(path).size <= (options.streamAbove ?? STREAM_ABOVE_BYTES)) return loadInput(path, options);
  const { doc, resourceChanges } = await streamPlanDocument(path, modelTypes());
  assertPlan(path, doc);
  const { model } = planToModel(doc, modelTypes(), modelAttributes(), resourceChanges);
  return withSourceLocations({ path, kind: "plan", model, resourceCount: resourceChanges }, options.source);
}

export function loadInput(path: string, options: LoadOptions = {}): LoadedInput {
  if (!existsSync(path)) throw new InputError(path, "does not exist");
  const kind = options.kind ?? detectKind(path);
  switch (kind) {
    case "plan":
      return withSourceLocations(loadPlanFile(path), options.source);
    case "hcl":
      return loadHclDirectory(statSync(path).isDirectory() ? path : dirname(path), modelTypes());
    case "cdktf":
      return loadCdktf(path, modelTypes());
  }
}

export function detectKind(path: string): InputKind {
  if (statSync(path).isDirectory()) {
    const entries = readdirSync(path);
    if (entries.includes("manifest.json") || entries.includes("cdk.tf.json")) return "cdktf";
    if (entries.some((e) => e.endsWith(".tf") || e.endsWith(".tf.json"))) return "hcl";
    throw new InputError(path, "is a directory with no .tf files, cdk.tf.json or cdktf.out manifest");
  }
  const name = basename(path);
  if (name === "cdk.tf.json") return "cdktf";
  if (name.endsWith(".tf")) return "hcl";
  return "plan";
}

function loadPlanFile(path: string): LoadedInput {
  const bytes = readInputBytes(path);
  let doc: unknown;
  try {
    doc = scanPlanDocument(bytes, modelTypes(), modelAttributes());
  } catch (e) {
    if (!(e instanceof ScanError || e instanceof SyntaxError)) throw e;
    doc = parseWhole(path, bytes, e);
  }
  assertPlan(path, doc);
  const { model, resourceCount } = planToModel(doc, modelTypes(), modelAttributes());
  return { path, kind: "plan", model, resourceCount };
}

/**
 * The scanner found the file is not JSON: JSON.parse of the whole text says where and why, in the
 * words plans have always been reported with (and, were the scanner ever stricter, reads the plan).
 * Text longer than a string can be is reported from the scanner's byte offset.
 */
function parseWhole(path: string, bytes: Buffer, e: ScanError | SyntaxError): unknown {
  const offset = e instanceof ScanError ? e.offset : 0;
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < offset; i = bytes.indexOf(10, i + 1)) line++;
  if (bytes.length > constants.MAX_STRING_LENGTH) {
    if (offset >= bytes.length) throw new InputError(path, "ends before its JSON is complete (truncated file?)");
    throw new InputError(path, `is not valid JSON at line ${line}`);
  }
  try {
    return parseJson(path, decodeText(path, bytes));
  } catch (error) {
    // Some of V8's messages give no position (an unexpected token is quoted instead): the scanner's is exact.
    const noLine = `${path}: is not valid JSON: `;
    if (error instanceof InputError && e instanceof ScanError && error.message.startsWith(noLine)) {
      throw new InputError(path, `is not valid JSON at line ${line}: ${error.message.slice(noLine.length)}`);
    }
    throw error;
  }
}


/**
 * Plan JSON has no line numbers. When the configuration's .tf files are at hand, give each plan
 * resource the location of its block, so that annotations land on the right line. Only where blocks
 * start is needed, so the files are scanned for block headers, not parsed (parsing costs more than
 * the whole check of a small plan). An explicit `source` that is not a directory is an error.
 */
function withSourceLocations(loaded: LoadedInput, source: string | undefined): LoadedInput {
  if (source && !(existsSync(source) && statSync(source).isDirectory())) throw new InputError(source, "is not a directory of .tf files (--source)");
  const locations = scanBlockLocations(source ?? dirname(loaded.path));
  if (locations.size === 0) return loaded;
  for (const r of loaded.model.resources) {
    const found = locations.get(configAddress(r));
    if (found) r.source = found;
  }
  return loaded;
}

/** The address of a resource's block: module path and resource without instance keys. */
function configAddress(r: { module: string; mode: string; type: string; name: string }): string {
  const module = moduleConfigPath(parseModuleAddress(r.module));
  return `${module ? `${module}.` : ""}${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
}
