/** Evaluates the compiled policy (policies/build/policy.wasm) on a Model. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { loadPolicySync } from "@open-policy-agent/opa-wasm";
import type { Model } from "../model";
import { hostBuiltins } from "./host-builtins";
import { setOwn } from "../own-property";

export const POLICY_DIR = join(__dirname, "..", "..", "..", "policies", "build");
const ENTRYPOINT = "wafguard/main/findings";
const PAGE = 64 * 1024;

/** What a rule returns; rule metadata (fix, title) is joined in later from rules.json. */
export interface RawFinding {
  rule: string;
  address: string;
  message: string;
  related: string[];
  severity?: string;
  symptom?: string;
  /** Traffic rules (WG120-WG122): the replay summary, shaped as findings.ts FindingTraffic. */
  traffic?: unknown;
}

// Node has WebAssembly globally; @types/node 20 does not declare it.
declare const WebAssembly: { Module: new (bytes: Uint8Array) => object };

/** Compiled once per process; instantiated per evaluation with memory sized for that input. */
let compiled: object | undefined;

function policyModule(): object {
  compiled ??= compileBaselineOnly(readFileSync(join(POLICY_DIR, "policy.wasm")));
  return compiled;
}

/**
 * Compiles with V8's baseline compiler (Liftoff) only. By default V8 also recompiles the policy's hot
 * functions with TurboFan while it runs; a check evaluates the policy once, for a few milliseconds, so
 * that work is never repaid: on one core it made the first evaluation of a 1 MB plan's Model take
 * 13-17 ms instead of 4-5 ms, and on a 100 MB plan the two were within noise. V8 reads the flag when
 * it compiles a module, so it is set for this module only and then restored, unless the user gave it.
 */
function compileBaselineOnly(bytes: Uint8Array): object {
  const userSet = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((arg) => /liftoff[-_]only/.test(arg));
  if (userSet) return new WebAssembly.Module(bytes);
  setFlagsFromString("--liftoff-only");
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    setFlagsFromString("--no-liftoff-only");
  }
}

export function evaluate(model: Model): RawFinding[] {
  const input = wellFormedJson(model);
  // Size memory for the input up front so that Wasm does not grow it step by step: each growth is
  // external memory to V8, which answers with a full garbage collection (on a 6,000-resource Model,
  // 4 bytes per input byte spent 3 s of 3.2 in GC; 64 bytes, 0.35 s). Pages never touched cost no RSS.
  const initial = Math.max(32, Math.ceil((input.length * 64) / PAGE) + 64);
  const policy = loadPolicySync(policyModule() as Parameters<typeof loadPolicySync>[0], { initial, maximum: 65536 }, hostBuiltins);
  const encoded = new TextEncoder().encode(input);
  const result = policy.evaluate(encoded.buffer as ArrayBuffer, ENTRYPOINT) as Array<{ result: RawFinding[] }>;
  return result.length > 0 ? result[0].result : [];
}

/**
 * JSON.stringify writes a lone UTF-16 surrogate (JSON text may hold "\ud800") as an escape that the
 * Wasm policy's JSON parser rejects. `opa eval` (Go's JSON decoder) reads each as U+FFFD; so does this,
 * by rewriting strings and keys, only when the text has such an escape at all.
 */
export function wellFormedJson(value: unknown): string {
  const text = JSON.stringify(value);
  return /\\ud[89a-f]/i.test(text) ? JSON.stringify(toWellFormed(value)) : text;
}

declare global {
  interface String {
    toWellFormed(): string; // Node 20; not yet in TypeScript's ES2022 lib
  }
}

function toWellFormed(value: unknown): unknown {
  if (typeof value === "string") return value.toWellFormed();
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(toWellFormed);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) setOwn(out, k.toWellFormed(), toWellFormed(v));
  return out;
}
