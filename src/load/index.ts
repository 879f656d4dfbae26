/** Load: a path (plan JSON, .tf directory, cdk.tf.json, cdktf.out) → Model. Detects the kind. */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname } from "node:path";
import { InputError } from "../errors";
import type { InputKind, LoadedInput } from "../model";
import { modelTypes } from "../rules";
import { parseJson, readTextFile } from "./json-file";
import { moduleConfigPath, parseModuleAddress } from "./address";
import { assertPlan, planToModel } from "./plan";
import { scanBlockLocations } from "./block-locations";
import { streamPlanDocument } from "./plan-stream";
import { loadHclDirectory } from "./terraform/hcl";
import { loadCdktf } from "./cdktf";

/** Above this size a plan is streamed instead of read as one string (V8 caps strings near 512 MB). */
export const STREAM_ABOVE_BYTES = 384 * 1024 * 1024;

export interface LoadOptions {
  /** Force the input kind instead of detecting it. */
  kind?: InputKind;
  /** For a plan: the directory of its .tf files, for source locations. Default: the plan's directory, if it has any. */
  source?: string;
  /** Stream plans larger than this many bytes. Default: STREAM_ABOVE_BYTES. */
  streamAbove?: number;
  /** Keep these resource types instead of the ones rules read (`wafguard logs` also reads API resources). */
  types?: ReadonlySet<string>;
}

/** Like loadInput, and streams plans too large to read whole. */
export async function loadInputAsync(path: string, options: LoadOptions = {}): Promise<LoadedInput> {
  if (!existsSync(path)) throw new InputError(path, "does not exist");
  const kind = options.kind ?? detectKind(path);
  if (kind !== "plan" || statSync(path).isDirectory() || statSync(path).size <= (options.streamAbove ?? STREAM_ABOVE_BYTES)) return loadInput(path, options);
  const { doc, resourceChanges } = await streamPlanDocument(path, options.types ?? modelTypes());
  return withSourceLocations(planInput(path, doc, resourceChanges, options.types), options.source);
}

export function loadInput(path: string, options: LoadOptions = {}): LoadedInput {
  if (!existsSync(path)) throw new InputError(path, "does not exist");
  const kind = options.kind ?? detectKind(path);
  switch (kind) {
    case "plan":
      return withSourceLocations(loadPlanFile(path, options.types), options.source);
    case "hcl":
      return loadHclDirectory(statSync(path).isDirectory() ? path : dirname(path), options.types ?? modelTypes());
    case "cdktf":
      return loadCdktf(path, options.types ?? modelTypes());
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

function loadPlanFile(path: string, types?: ReadonlySet<string>): LoadedInput {
  return planInput(path, parseJson(path, readTextFile(path)), undefined, types);
}

/** A parsed (or streamed) plan document → the loaded input. */
function planInput(path: string, doc: unknown, resourceChanges?: number, types?: ReadonlySet<string>): LoadedInput {
  assertPlan(path, doc);
  const { model, resourceCount } = planToModel(doc, types ?? modelTypes(), resourceChanges);
  return { path, kind: "plan", model, resourceCount };
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
