/** Load: a path (plan JSON, .tf directory, cdk.tf.json, cdktf.out) → Model. Detects the kind. */
import { constants } from "node:buffer";
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname } from "node:path";
import { InputError } from "../errors";
import type { InputKind, LoadedInput } from "../model";
import { modelAttributes, modelTypes } from "../rules";
import { decodeText, parseJson, readInputBytes } from "./json-file";
import { openProblem } from "./read-file";
import { assertUniqueConfigAddresses, assertUniquePlanAddresses } from "./unique-addresses";
import { moduleConfigPath, parseModuleAddress } from "./address";
import { assertPlan, assertPlanResources, planToModel } from "./plan";
import { scanBlockLocations } from "./block-locations";
import { streamPlanDocument } from "./plan-stream";
import { scanPlanDocument } from "./plan-scan";
import { JsonScanner, ScanError } from "./json-scanner";

/**
 * Above this size a plan is scanned, below it parsed whole (both give the same Model). JSON.parse is
 * native code; the scanner is JavaScript, slow until V8 has compiled it: it overtakes JSON.parse in
 * time near 30 MB, but from about 10 MB it already keeps peak memory below JSON.parse's, where
 * parsing whole does not (measured: README, "Benchmark").
 */
export const SCAN_ABOVE_BYTES = 8 * 1024 * 1024;

/** Above this size (the largest Buffer, 4 GiB in Node 20) a plan is streamed instead of scanned in memory. */
export const STREAM_ABOVE_BYTES = constants.MAX_LENGTH;

export interface LoadOptions {
  /** Force the input kind instead of detecting it. */
  kind?: InputKind;
  /** For a plan: the directory of its .tf files, for source locations. Default: the plan's directory, if it has any. */
  source?: string;
  /** Scan plans larger than this many bytes, parse smaller ones whole. Default: SCAN_ABOVE_BYTES. */
  scanAbove?: number;
  /** Stream plans larger than this many bytes. Default: STREAM_ABOVE_BYTES. */
  streamAbove?: number;
  /** Keep these resource types instead of the ones rules read (`wafguard logs` also reads API resources). */
  types?: ReadonlySet<string>;
}

/** Like loadInput, and streams plans too large to read whole. */
export async function loadInputAsync(path: string, options: LoadOptions = {}): Promise<LoadedInput> {
  assertExists(path);
  const kind = options.kind ?? detectKind(path);
  if (kind !== "plan" || statSync(path).isDirectory() || statSync(path).size <= (options.streamAbove ?? STREAM_ABOVE_BYTES)) return loadInput(path, options);
  const types = options.types ?? modelTypes();
  const { doc, resourceChanges } = await streamPlanDocument(path, types);
  assertPlan(path, doc);
  assertPlanResources(path, doc, types);
  const { model } = planToModel(doc, types, modelAttributes(), resourceChanges);
  assertUniquePlanAddresses(path, model.resources);
  return withSourceLocations({ path, kind: "plan", model, resourceCount: resourceChanges }, options.source);
}

export function loadInput(path: string, options: LoadOptions = {}): LoadedInput {
  assertExists(path);
  const kind = options.kind ?? detectKind(path);
  switch (kind) {
    case "plan":
      return withSourceLocations(loadPlanFile(path, options.scanAbove ?? SCAN_ABOVE_BYTES, options.types ?? modelTypes()), options.source);
    case "hcl": {
      // The HCL and CDKTF loaders are loaded when used: a plan check does not pay for their start-up.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { loadHclDirectory } = require("./terraform/hcl") as typeof import("./terraform/hcl");
      const loaded = loadHclDirectory(statSync(path).isDirectory() ? path : dirname(path), options.types ?? modelTypes());
      assertUniqueConfigAddresses(loaded.path, loaded.model.resources);
      return loaded;
    }
    case "cdktf": {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { loadCdktf } = require("./cdktf") as typeof import("./cdktf");
      return loadCdktf(path, options.types ?? modelTypes());
    }
  }
}

/** A missing path, a symlink loop or a dangling symlink, in words. */
function assertExists(path: string): void {
  try {
    statSync(path);
  } catch (e) {
    throw new InputError(path, openProblem(path, e as NodeJS.ErrnoException));
  }
}

export function detectKind(path: string): InputKind {
  if (statSync(path).isDirectory()) {
    const entries = listDirectory(path);
    if (entries.includes("manifest.json") || entries.includes("cdk.tf.json")) return "cdktf";
    if (entries.some((e) => e.endsWith(".tf") || e.endsWith(".tf.json"))) return "hcl";
    throw new InputError(path, "is a directory with no .tf files, cdk.tf.json or cdktf.out manifest");
  }
  const name = basename(path);
  if (name === "cdk.tf.json") return "cdktf";
  if (name.endsWith(".tf")) return "hcl";
  return "plan";
}

function loadPlanFile(path: string, scanAbove: number, types: ReadonlySet<string>): LoadedInput {
  const bytes = readInputBytes(path);
  const doc = readPlanDocument(path, bytes, bytes.length > scanAbove, types);
  assertPlan(path, doc);
  assertPlanResources(path, doc, types);
  const { model, resourceCount } = planToModel(doc, types, modelAttributes());
  assertUniquePlanAddresses(path, model.resources);
  return { path, kind: "plan", model, resourceCount };
}

/**
 * Scanned (only what the Model needs) or, for small plans, JSON.parse of the whole text: both give
 * planToModel the same Model. Malformed JSON is reported in JSON.parse's words, the words plans have
 * always been reported with, with the line from the scanner where V8's message gives no position.
 */
function readPlanDocument(path: string, bytes: Buffer, scan: boolean, types: ReadonlySet<string>): unknown {
  if (scan) {
    try {
      return scanPlanDocument(bytes, types, modelAttributes());
    } catch (e) {
      if (!(e instanceof ScanError || e instanceof SyntaxError)) throw e;
    }
  }
  if (bytes.length > constants.MAX_STRING_LENGTH) {
    const offset = syntaxErrorOffset(bytes) ?? bytes.length;
    if (offset >= bytes.length) throw new InputError(path, "ends before its JSON is complete (truncated file?)");
    throw new InputError(path, `is not valid JSON at line ${lineAt(bytes, offset)}`);
  }
  try {
    return parseJson(path, decodeText(path, bytes), Infinity); // plans: the loader bounds its own walks
  } catch (error) {
    const noLine = `${path}: is not valid JSON: `;
    const offset = error instanceof InputError && error.message.startsWith(noLine) ? syntaxErrorOffset(bytes) : null;
    if (offset === null) throw error;
    throw new InputError(path, `is not valid JSON at line ${lineAt(bytes, offset)}: ${(error as Error).message.slice(noLine.length)}`);
  }
}

function syntaxErrorOffset(bytes: Buffer): number | null {
  try {
    const s = new JsonScanner(bytes);
    s.skip();
    s.end();
    return null;
  } catch (e) {
    return e instanceof ScanError ? e.offset : null;
  }
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < offset; i = bytes.indexOf(10, i + 1)) line++;
  return line;
}

function listDirectory(path: string): string[] {
  try {
    return readdirSync(path);
  } catch (e) {
    throw new InputError(path, openProblem(path, e as NodeJS.ErrnoException));
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
  const { locations, suppressions } = scanBlockLocations(source ?? dirname(loaded.path));
  loaded.suppressions = suppressions;
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
