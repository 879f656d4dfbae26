/**
 * Where resource blocks start in a directory of .tf files, by configuration address
 * (`module.api.aws_api_gateway_stage.this`), following local modules. A line scan, not a parse: it
 * serves plan findings, whose values come from the plan.
 */
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { InputError } from "../errors";
import type { SourceLocation } from "../model";
import { MAX_HCL_BYTES } from "./json-file";
import { openProblem, readRegularFile } from "./read-file";

const BLOCK = /^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"/;
const MODULE = /^\s*module\s+"([^"]+)"\s*\{/;
const SOURCE = /^\s*source\s*=\s*"(\.\.?\/[^"]*)"/;
const MAX_MODULE_DEPTH = 16;
/** Module calls scanned in all: a diamond of modules calling modules would otherwise grow exponentially. */
const MAX_MODULE_VISITS = 2000;

export function scanBlockLocations(dir: string): Map<string, SourceLocation> {
  const scan = new Scan();
  scan.module(dir, "", []);
  return scan.locations;
}

class Scan {
  readonly locations = new Map<string, SourceLocation>();
  private visits = 0;
  /** Each file is read once, however many module calls lead to it. */
  private readonly lines = new Map<string, string[]>();

  /** `chain`: the real paths of the modules that called this one, so that a cycle stops. */
  module(dir: string, prefix: string, chain: string[]): void {
    if (chain.length > MAX_MODULE_DEPTH || ++this.visits > MAX_MODULE_VISITS || !existsSync(dir) || !statSync(dir).isDirectory()) return;
    const real = realpathSync(dir);
    if (chain.includes(real)) return; // a module that (through symlinks) calls itself
    for (const name of listTfFiles(dir)) {
      const path = join(dir, name);
      const file = relative(process.cwd(), path) || path;
      let module: string | null = null;
      this.linesOf(path).forEach((line, i) => {
        const block = BLOCK.exec(line);
        if (block) {
          const address = `${prefix}${block[1] === "data" ? "data." : ""}${block[2]}.${block[3]}`;
          if (!this.locations.has(address)) this.locations.set(address, { file, line: i + 1 });
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
          this.module(resolve(dir, source[1]), `${prefix}module.${module}.`, [...chain, real]);
          module = null;
        }
      });
    }
  }

  private linesOf(path: string): string[] {
    let lines = this.lines.get(path);
    if (!lines) {
      lines = readRegularFile(path, MAX_HCL_BYTES).toString("utf8").split("\n");
      this.lines.set(path, lines);
    }
    return lines;
  }
}

/** The .tf entries of a directory that are not directories, as Terraform reads them. */
function listTfFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new InputError(dir, openProblem(dir, e as NodeJS.ErrnoException));
  }
  return names.filter((n) => n.endsWith(".tf") && !isDirectory(join(dir, n))).sort();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a loop or dangling link: reading it says so
  }
}
