/** CDKTF output → Model: a `cdk.tf.json`, or a `cdktf.out` directory with every stack of its manifest. */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../errors";
import { makeModel, type LoadedInput, type Model } from "../model";
import { configurationToModel, type ConfigFile } from "./terraform/documents";
import { normalizeJsonSyntax } from "./terraform/hcl";
import { parseJson, readTextFile } from "./json-file";

type Json = Record<string, unknown>;

export function loadCdktf(path: string, keepTypes: ReadonlySet<string>): LoadedInput {
  const stacks = stackFiles(path);
  const models: Model[] = [];
  let resourceCount = 0;
  for (const file of stacks) {
    const loaded = loadStack(file, keepTypes);
    // Stacks often hold the same constructs (one per environment), so the same addresses: with
    // more than one stack, each address is prefixed with its stack's name ("prod/aws_x.y").
    models.push(stacks.length > 1 ? prefixAddresses(loaded.model, basename(dirname(file))) : loaded.model);
    resourceCount += loaded.resourceCount;
  }
  // Stacks are separate Terraform configurations: their resources never reference each other.
  const model = makeModel(
    models.flatMap((m) => m.resources),
    models.flatMap((m) => m.edges),
  );
  return { path, kind: "cdktf", model, resourceCount };
}

function stackFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const direct = join(path, "cdk.tf.json");
  if (existsSync(direct)) return [direct];
  const manifestPath = join(path, "manifest.json");
  const manifest = parseJson(manifestPath, readTextFile(manifestPath)) as { stacks?: Record<string, { synthesizedStackPath?: string }> };
  const files = Object.values(manifest.stacks ?? {})
    .map((s) => s.synthesizedStackPath)
    .filter((p): p is string => typeof p === "string")
    .map((p) => join(path, p));
  if (files.length === 0) throw new InputError(manifestPath, "lists no stacks with a synthesizedStackPath");
  return files;
}

function loadStack(file: string, keepTypes: ReadonlySet<string>) {
  const doc = parseJson(file, readTextFile(file));
  if (typeof doc !== "object" || doc === null || Array.isArray(doc) || !("resource" in doc || "//" in doc || "terraform" in doc)) {
    throw new InputError(file, "is not CDKTF output (no resource, terraform or // section)");
  }
  return stackDocumentToModel(doc as Json, file, keepTypes);
}

/** A synthesized stack (the object `TerraformStack.toTerraform()` returns, or cdk.tf.json) → Model. */
export function stackDocumentToModel(raw: Json, file: string, keepTypes: ReadonlySet<string>) {
  const configFile: ConfigFile = {
    file,
    doc: normalizeJsonSyntax(raw),
    constructOf: (type, name) => {
      const body = ((raw.resource as Json | undefined)?.[type] as Json | undefined)?.[name] as Json | undefined;
      const meta = (body?.["//"] as Json | undefined)?.metadata as Json | undefined;
      return typeof meta?.path === "string" ? meta.path : undefined;
    },
  };
  return configurationToModel(dirname(file), [configFile], {}, keepTypes, () => null);
}


function prefixAddresses(model: Model, stack: string): Model {
  const at = (address: string) => `${stack}/${address}`;
  return {
    ...model,
    resources: model.resources.map((r) => ({ ...r, address: at(r.address) })),
    edges: model.edges.map((e) => ({ ...e, from: at(e.from), to: at(e.to) })),
  };
}
