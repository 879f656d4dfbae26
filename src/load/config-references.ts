/**
 * What the loaders know of the configuration (as opposed to the values): which expressions reference
 * what, module calls and outputs, and provider regions. Plan JSON gives it in `configuration`; HCL and
 * CDKTF give it as `${...}` strings. Edges are resolved from this one shape (see edges.ts).
 */
import type { Key } from "./address";

/** One attribute expression and the references in it. `path` holds block indexes: ["rule", 0, "action"]. */
export interface ConfigReference {
  path: Key[];
  refs: string[];
}

export interface ConfigResource {
  mode: "managed" | "data";
  type: string;
  name: string;
  /** As written in the configuration: `aws`, `aws.west`, or (plan JSON) `child:aws`. */
  providerKey: string | null;
  expressions: ConfigReference[];
  forEachRefs: string[];
}

export interface ModuleCall {
  /** Input variable name → references in the value given to it. */
  inputs: Map<string, string[]>;
  forEachRefs: string[];
  module: ConfigModule;
}

export interface ConfigModule {
  resources: ConfigResource[];
  calls: Map<string, ModuleCall>;
  /** Output name → references in its value. */
  outputs: Map<string, string[]>;
}

export interface ProviderConfig {
  region: string | null;
}

export interface Configuration {
  root: ConfigModule;
  /** Keyed `aws`, `aws.west`, `module.api:aws`, `module.api:aws.west`. */
  providers: Map<string, ProviderConfig>;
}

export function emptyModule(): ConfigModule {
  return { resources: [], calls: new Map(), outputs: new Map() };
}

/** The configuration of the module at `moduleNames` (["api", "inner"] for module.api.module.inner). */
export function moduleAt(config: Configuration, moduleNames: string[]): ConfigModule | undefined {
  let mod: ConfigModule | undefined = config.root;
  for (const name of moduleNames) mod = mod?.calls.get(name)?.module;
  return mod;
}

/** The region of a resource's provider, walking up from its module to the root (inherited providers). */
export function providerRegion(config: Configuration, moduleNames: string[], providerKey: string | null): { key: string; region: string | null } {
  const local = localProviderName(providerKey);
  for (let depth = moduleNames.length; depth >= 0; depth--) {
    const prefix = moduleNames.slice(0, depth).map((s) => `module.${s}`).join(".");
    const key = prefix ? `${prefix}:${local}` : local;
    const found = config.providers.get(key);
    if (found && (found.region !== null || depth === 0)) return { key, region: found.region };
  }
  return { key: local, region: null };
}

/** `child:aws.east` → `aws.east`; `module.x:aws` → `aws`; null → `aws`. */
function localProviderName(providerKey: string | null): string {
  if (!providerKey) return "aws";
  const colon = providerKey.lastIndexOf(":");
  return colon >= 0 ? providerKey.slice(colon + 1) : providerKey;
}

const resourceIndexes = new WeakMap<ConfigModule, Map<string, ConfigResource>>();

/** A module's configuration block of a resource, by lookup (plans with thousands of resources). */
export function findConfigResource(mod: ConfigModule | undefined, mode: string, type: string, name: string): ConfigResource | undefined {
  if (!mod) return undefined;
  let index = resourceIndexes.get(mod);
  if (!index) {
    index = new Map();
    // the first block wins, as Array.find gave
    for (const r of mod.resources) if (!index.has(`${r.mode} ${r.type} ${r.name}`)) index.set(`${r.mode} ${r.type} ${r.name}`, r);
    resourceIndexes.set(mod, index);
  }
  return index.get(`${mode} ${type} ${name}`);
}
