/**
 * Where resource blocks start in a directory of .tf files, by configuration address
 * (`module.api.aws_api_gateway_stage.this`), following local modules, and the inline suppressions
 * (`# wafguard:ignore ...`) written on or directly above them. A line scan, not a parse: it serves
 * plan findings, whose values come from the plan, and the .tf loader's line numbers.
 */
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { InputError, UsageError } from "../errors";
import type { InlineSuppression, SourceLocation } from "../model";
import { parseIgnoreComment, type WrittenSuppression } from "../suppressions";
import { MAX_HCL_BYTES } from "./json-file";
import { isDirectory, openProblem, readRegularFile } from "./read-file";

const BLOCK = /^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"/;
const MODULE = /^\s*module\s+"([^"]+)"\s*\{/;
const SOURCE = /^\s*source\s*=\s*"(\.\.?\/[^"]*)"/;
const MAX_MODULE_DEPTH = 16;
/** Module calls scanned in all: a diamond of modules calling modules would otherwise grow exponentially. */
const MAX_MODULE_VISITS = 2000;

/** A comment after code on the same line that holds a suppression. */
const TRAILING_IGNORE = /(#|\/\/|\/\*)\s*wafguard:ignore/;

export interface BlockHeader {
  kind: "resource" | "data";
  type: string;
  name: string;
  line: number;
  suppressions: WrittenSuppression[];
}

export interface ScannedFile {
  headers: BlockHeader[];
  /** Local module calls: `module "name" { source = "./..." }`. */
  modules: Array<{ name: string; source: string }>;
}

/**
 * One pass over a .tf file: block headers with the suppressions in the run of comment lines directly
 * above them (no blank line between) or on the header line itself, and local module sources.
 */
export function scanTfText(text: string, file: string): ScannedFile {
  const out: ScannedFile = { headers: [], modules: [] };
  const lines = text.split("\n");
  let pending: WrittenSuppression[] = [];
  let openComment: { text: string; line: number } | null = null;
  let module: string | null = null;
  const misplaced = (line: number): never => {
    throw new UsageError(`${file}:${line}: wafguard:ignore must be on a resource block's first line or in the comments directly above it`);
  };
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (openComment) {
      const end = line.indexOf("*/");
      openComment.text += `\n${end < 0 ? line : line.slice(0, end)}`;
      if (end < 0) continue;
      pending.push(...parseIgnoreComment(openComment.text, { file, line: openComment.line }));
      openComment = null;
      line = line.slice(end + 2);
      if (line.trim() === "") continue;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith("#") || trimmed.startsWith("//")) {
      pending.push(...parseIgnoreComment(trimmed, { file, line: i + 1 }));
      continue;
    }
    if (trimmed.startsWith("/*")) {
      const end = trimmed.indexOf("*/", 2);
      if (end < 0) {
        openComment = { text: trimmed.slice(2), line: i + 1 };
        continue;
      }
      pending.push(...parseIgnoreComment(trimmed.slice(2, end), { file, line: i + 1 }));
      line = trimmed.slice(end + 2);
      if (line.trim() === "") continue;
    }
    const block = BLOCK.exec(line);
    if (block) {
      const rest = line.slice(block[0].length);
      const trailing = TRAILING_IGNORE.exec(rest);
      const own = trailing ? parseIgnoreComment(rest.slice(trailing.index), { file, line: i + 1 }) : [];
      out.headers.push({ kind: block[1] as "resource" | "data", type: block[2], name: block[3], line: i + 1, suppressions: [...pending, ...own] });
      pending = [];
      module = null;
      continue;
    }
    if (pending.length) misplaced(pending[0].at.line ?? i + 1);
    if (TRAILING_IGNORE.test(line)) misplaced(i + 1);
    const call = MODULE.exec(line);
    if (call) {
      module = call[1];
      continue;
    }
    const source = module !== null ? SOURCE.exec(line) : null;
    if (source && module !== null) {
      out.modules.push({ name: module, source: source[1] });
      module = null;
    }
  }
  if (pending.length) misplaced(pending[0].at.line ?? lines.length);
  return out;
}

export interface BlockScan {
  locations: Map<string, SourceLocation>;
  suppressions: InlineSuppression[];
}

export function scanBlockLocations(dir: string): BlockScan {
  const scan = new Scan();
  scan.module(dir, "", []);
  return { locations: scan.locations, suppressions: scan.suppressions };
}

class Scan {
  readonly locations = new Map<string, SourceLocation>();
  readonly suppressions: InlineSuppression[] = [];
  private visits = 0;
  /** Each file is scanned once, however many module calls lead to it. */
  private readonly files = new Map<string, ScannedFile>();

  /** `chain`: the real paths of the modules that called this one, so that a cycle stops. */
  module(dir: string, prefix: string, chain: string[]): void {
    if (chain.length > MAX_MODULE_DEPTH || ++this.visits > MAX_MODULE_VISITS || !existsSync(dir) || !statSync(dir).isDirectory()) return;
    const real = realpathSync(dir);
    if (chain.includes(real)) return; // a module that (through symlinks) calls itself
    for (const name of listTfFiles(dir)) {
      const path = join(dir, name);
      const file = relative(process.cwd(), path) || path;
      const scanned = this.scan(path, file);
      for (const h of scanned.headers) {
        const address = `${prefix}${h.kind === "data" ? "data." : ""}${h.type}.${h.name}`;
        if (!this.locations.has(address)) this.locations.set(address, { file, line: h.line });
        for (const s of h.suppressions) this.suppressions.push({ ...s, block: address });
      }
      for (const m of scanned.modules) this.module(resolve(dir, m.source), `${prefix}module.${m.name}.`, [...chain, real]);
    }
  }

  private scan(path: string, file: string): ScannedFile {
    let scanned = this.files.get(path);
    if (!scanned) {
      scanned = scanTfText(readRegularFile(path, MAX_HCL_BYTES).toString("utf8"), file);
      this.files.set(path, scanned);
    }
    return scanned;
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

