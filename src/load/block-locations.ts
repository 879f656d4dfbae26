/**
 * Where resource blocks start in a directory of .tf files, by configuration address
 * (`module.api.aws_api_gateway_stage.this`), following local modules. A line scan, not a parse: it
 * serves plan findings, whose values come from the plan.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { SourceLocation } from "../model";

const BLOCK = /^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"/;
const MODULE = /^\s*module\s+"([^"]+)"\s*\{/;
const SOURCE = /^\s*source\s*=\s*"(\.\.?\/[^"]*)"/;

export function scanBlockLocations(dir: string, prefix = "", depth = 0, out = new Map<string, SourceLocation>()): Map<string, SourceLocation> {
  if (depth > 16 || !existsSync(dir) || !statSync(dir).isDirectory()) return out;
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".tf")).sort()) {
    const path = join(dir, name);
    const file = relative(process.cwd(), path) || path;
    const lines = readFileSync(path, "utf8").split("\n");
    let module: string | null = null;
    lines.forEach((line, i) => {
      const block = BLOCK.exec(line);
      if (block) {
        const address = `${prefix}${block[1] === "data" ? "data." : ""}${block[2]}.${block[3]}`;
        if (!out.has(address)) out.set(address, { file, line: i + 1 });
        module = null;
        return;
      }
      const call = MODULE.exec(line);
      if (call) {
        module = call[1];
        return;
      }
      const source = module !== null ? SOURCE.exec(line) : null;
      if (source && module !== null) {
        scanBlockLocations(resolve(dir, source[1]), `${prefix}module.${module}.`, depth + 1, out);
        module = null;
      }
    });
  }
  return out;
}
