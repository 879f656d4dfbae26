/** CDKTF output → Model: a `cdk.tf.json`, or a `cdktf.out` directory with every stack of its manifest. */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { InputError } from "../errors";
import { makeModel, type InlineSuppression, type LoadedInput, type Model } from "../model";
import { parseIgnoreMetadata } from "../suppressions";
import { configurationToModel, type ConfigFile } from "./terraform/documents";
import { bodyOf, normalizeJsonSyntax } from "./terraform/hcl";
import { parseJson, readTextFile } from "./json-file";
import { assertUniqueConfigAddresses } from "./unique-addresses";

type Json = Record<string, unknown>;

export function loadCdktf(path: string, keepTypes: ReadonlySet<string>): LoadedInput {
  const stacks = stackFiles(path);
  const models: Model[] = [];
  const suppressions: InlineSuppression[] = [];
  let resourceCount = 0;
  for (const file of stacks) {
    const loaded = loadStack(file, keepTypes);
    // Stacks often hold the same constructs (one per environment), so the same addresses: with
    // more than one stack, each address is prefixed with its stack's name ("prod/aws_x.y").
    const stack = stacks.length > 1 ? basename(dirname(file)) : undefined;
    models.push(stack ? prefixAddresses(loaded.model, stack) : loaded.model);
    suppressions.push(...(stack ? loaded.suppressions.map((s) => ({ ...s, block: `${stack}/${s.block}` })) : loaded.suppressions));
    resourceCount += loaded.resourceCount;
  }
  // Stacks are separate Terraform configurations: their resources never reference each other.
  const model = makeModel(
    models.flatMap((m) => m.resources),
    models.flatMap((m) => m.edges),
  );
  return { path, kind: "cdktf", model, resourceCount, suppressions, ...(models.length > 1 ? { stackModels: models } : {}) };
}

function stackFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const direct = join(path, "cdk.tf.json");
  if (existsSync(direct)) return [direct];
  const manifestPath = join(path, "manifest.json");
  const manifest = parseJson(manifestPath, readTextFile(manifestPath, { expected: "the manifest.json that cdktf synth writes (an object with a `stacks` object)" }));
  if (!isObject(manifest) || !isObject(manifest.stacks)) throw new InputError(manifestPath, "is not a CDKTF manifest (expected an object with a `stacks` object)");
  const files = new Set<string>(); // a stack listed twice is read once
  for (const [name, stack] of Object.entries(manifest.stacks)) {
    if (!isObject(stack) || typeof stack.synthesizedStackPath !== "string") {
      throw new InputError(manifestPath, `stack "${name}" has no synthesizedStackPath (expected an object such as { "synthesizedStackPath": "stacks/${name}/cdk.tf.json" })`);
    }
    const file = join(path, stack.synthesizedStackPath);
    // cdktf writes stacks inside its output directory; a path that leaves it is not cdktf's.
    if (isAbsolute(stack.synthesizedStackPath) || relative(path, file).startsWith("..")) {
      throw new InputError(manifestPath, `stack "${name}" has a synthesizedStackPath outside ${path}`);
    }
    files.add(file);
  }
  if (files.size === 0) throw new InputError(manifestPath, "lists no stacks");
  return [...files];
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function loadStack(file: string, keepTypes: ReadonlySet<string>) {
  const doc = parseJson(file, readTextFile(file, { expected: "a stack that cdktf synth writes (cdk.tf.json: Terraform JSON configuration)" }));
  if (typeof doc !== "object" || doc === null || Array.isArray(doc) || !("resource" in doc || "//" in doc || "terraform" in doc)) {
    throw new InputError(file, "is not CDKTF output (no resource, terraform or // section)");
  }
  return stackDocumentToModel(doc as Json, file, keepTypes);
}

/** A synthesized stack (the object `TerraformStack.toTerraform()` returns, or cdk.tf.json) → Model. */
export function stackDocumentToModel(raw: Json, file: string, keepTypes: ReadonlySet<string>) {
  const configFile: ConfigFile = {
    file,
    doc: normalizeJsonSyntax(raw, file),
    json: true,
    constructOf: (type, name) => constructPath(bodyOf(raw, "resource", type, name)),
    suppressionsOf: (kind, type, name) => {
      const body = bodyOf(raw, kind, type, name);
      const construct = constructPath(body);
      return parseIgnoreMetadata(body, { file, ...(construct ? { construct } : {}) });
    },
  };
  const loaded = configurationToModel(dirname(file), [configFile], {}, keepTypes, () => null);
  assertUniqueConfigAddresses(file, loaded.model.resources);
  return loaded;
}


/** The construct path CDKTF writes in a resource's `"//": {"metadata": {"path": ...}}`. */
function constructPath(body: unknown): string | undefined {
  const meta = ((body as Json | undefined)?.["//"] as Json | undefined)?.metadata as Json | undefined;
  return typeof meta?.path === "string" ? meta.path : undefined;
}

/** The stack's Model with every address prefixed by the stack's name (edge indexes rebuilt). */
function prefixAddresses(model: Model, stack: string): Model {
  const at = (address: string) => `${stack}/${address}`;
  return makeModel(
    model.resources.map((r) => ({ ...r, address: at(r.address) })),
    model.edges.map((e) => ({ ...e, from: at(e.from), to: at(e.to) })),
  );
}
