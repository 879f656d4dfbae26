/** Load: a path (plan JSON, .tf directory, cdk.tf.json, cdktf.out) → Model. Detects the kind. */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname } from "node:path";
import { InputError } from "../errors";
import type { InputKind, LoadedInput } from "../model";
import { modelTypes } from "../rules";
import { parseJson, readTextFile } from "./json-file";
import { assertPlan, planToModel } from "./plan";
import { loadHclDirectory } from "./hcl";
import { loadCdktf } from "./cdktf";

export interface LoadOptions {
  /** Force the input kind instead of detecting it. */
  kind?: InputKind;
}

export function loadInput(path: string, options: LoadOptions = {}): LoadedInput {
  if (!existsSync(path)) throw new InputError(path, "does not exist");
  const kind = options.kind ?? detectKind(path);
  switch (kind) {
    case "plan":
      return loadPlanFile(path);
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
  const doc = parseJson(path, readTextFile(path));
  assertPlan(path, doc);
  const { model, resourceCount } = planToModel(doc, modelTypes());
  return { path, kind: "plan", model, resourceCount };
}

