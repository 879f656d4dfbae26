// Writes policies/capabilities.json: the builtins of the pinned OPA that its Wasm target implements natively,
// plus the ones wafguard implements on the host (src/engine/host-builtins.ts). Compiling with this file makes
// any other builtin a compile error instead of a run-time "not implemented". Run when OPA is bumped:
//   node scripts/gen-capabilities.mjs
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// Builtins that the host supplies (keep in step with src/engine/host-builtins.ts).
export const HOST_BUILTINS = ["net.cidr_is_valid", "net.cidr_contains", "net.cidr_intersects", "net.cidr_merge"];

const opa = process.env.OPA ?? ".tools/bin/opa";
const moduleDir = execFileSync("go", ["list", "-m", "-f", "{{.Dir}}", "github.com/open-policy-agent/opa"], {
  cwd: "tools/opa",
  encoding: "utf8",
}).trim();

// Go identifier -> builtin name, from OPA's AST declarations.
const astSource = readFileSync(join(moduleDir, "v1/ast/builtins.go"), "utf8");
const nameOf = new Map();
for (const m of astSource.matchAll(/^var (\w+) = &Builtin\{\s*\n\s*Name:\s*"([^"]+)"/gm)) nameOf.set(m[1], m[2]);

// The Wasm compiler's table of natively implemented builtins.
const wasmSource = readFileSync(join(moduleDir, "internal/compiler/wasm/wasm.go"), "utf8");
const table = wasmSource.slice(wasmSource.indexOf("var builtinsFunctions"), wasmSource.indexOf("var builtinsUsingRE2"));
const native = new Set();
for (const m of table.matchAll(/ast\.(\w+)\.Name:/g)) {
  const name = nameOf.get(m[1]);
  if (!name) throw new Error(`cannot resolve ast.${m[1]} to a builtin name`);
  native.add(name);
}
if (native.size < 80) throw new Error(`only ${native.size} native builtins found: has OPA's source layout changed?`);

// `=` and `:=` are compiled by the planner itself, not through the builtin table.
for (const name of ["eq", "assign"]) native.add(name);

const current = JSON.parse(execFileSync(opa, ["capabilities", "--current"], { encoding: "utf8" }));
const wanted = new Set([...native, ...HOST_BUILTINS]);
const builtins = current.builtins.filter((b) => wanted.has(b.name));
const missing = HOST_BUILTINS.filter((n) => !builtins.some((b) => b.name === n));
if (missing.length) throw new Error(`host builtins unknown to OPA: ${missing.join(", ")}`);
const out = { ...current, builtins: builtins.sort((a, b) => a.name.localeCompare(b.name)) };
writeFileSync("policies/capabilities.json", JSON.stringify(out, null, 2) + "\n");
console.log(`policies/capabilities.json: ${native.size} native + ${HOST_BUILTINS.length} host builtins`);
