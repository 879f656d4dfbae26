/**
 * Runs one fuzz case: a directory of files (regular files, symlinks, FIFOs) built in a fresh temporary
 * directory, and a `wafguard` command line run there as a process, under a time and a memory budget.
 * `violations` holds the contract every run must keep (see test/fuzz.test.ts).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { ROOT } from "../helpers";

const BIN = join(ROOT, "bin", "wafguard.js");
export const TIME_BUDGET_MS = 10_000;
export const MEMORY_BUDGET_BYTES = 1024 * 1024 * 1024;

/** A file of a case: text or bytes, a symlink, a FIFO, or an empty directory. */
export type Entry = string | Uint8Array | { link: string } | { fifo: true } | { dir: true };

export interface FuzzCase {
  title: string;
  /** Paths relative to the case's working directory, created in this order. */
  files: Record<string, Entry>;
  /** The command line after `wafguard`; paths are relative to the case's working directory. */
  args: string[];
}

export interface RunResult {
  status: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
  peakRss: number;
  /** The bytes written to --output, if any. */
  output: Buffer | null;
}

export function buildCase(c: FuzzCase): string {
  const dir = mkdtempSync(join(tmpdir(), "wafguard-fuzz-"));
  for (const [path, entry] of Object.entries(c.files)) {
    const full = join(dir, path);
    try {
      mkdirSync(dirname(full), { recursive: true });
      if (typeof entry === "string" || entry instanceof Uint8Array) writeFileSync(full, entry);
      else if ("link" in entry) symlinkSync(entry.link, full);
      else if ("fifo" in entry) execFileSync("mkfifo", [full], { stdio: "ignore" });
      else mkdirSync(full, { recursive: true });
    } catch {
      // Generated trees can collide ("sub" a link, "sub/c.tf" a file in it): the first entry wins.
    }
  }
  return dir;
}

export function removeCase(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every path under `dir` with its kind and content hash (symlinks are not followed). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    const full = join(dir, rel);
    const st = lstatSync(full);
    if (st.isSymbolicLink()) out.set(rel, `link:${readlinkSync(full)}`);
    else if (st.isDirectory()) {
      out.set(rel, "dir");
      for (const name of readdirSync(full).sort()) walk(rel ? join(rel, name) : name);
    } else if (st.isFile()) out.set(rel, `file:${createHash("sha256").update(readFileSync(full)).digest("hex")}`);
    else out.set(rel, "special");
  };
  walk("");
  return out;
}

/** Runs the CLI in `cwd`, killing it past the time budget or when its resident memory passes the budget. */
export function runIn(cwd: string, args: string[]): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${MEMORY_BUDGET_BYTES / 1024 / 1024}`, BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", HOME: cwd },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let peakRss = 0;
    child.stdout.on("data", (b: Buffer) => stdout.push(b));
    child.stderr.on("data", (b: Buffer) => stderr.push(b));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, TIME_BUDGET_MS);
    const poll = setInterval(() => {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        const rss = m ? Number(m[1]) * 1024 : 0;
        peakRss = Math.max(peakRss, rss);
        if (rss > MEMORY_BUDGET_BYTES) child.kill("SIGKILL");
      } catch {
        // the process has just ended
      }
    }, 50);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      const outArg = option(args, "--output");
      const outPath = outArg ? resolve(cwd, outArg) : null;
      let output: Buffer | null = null;
      try {
        if (outPath && lstatSync(outPath).isFile()) output = readFileSync(outPath);
      } catch {
        output = null;
      }
      done({ status, signal, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString("utf8"), timedOut, peakRss, output });
    });
  });
}

/** What the case did wrong: an empty list when it kept the contract. */
export async function runCase(c: FuzzCase): Promise<{ violations: string[]; first: RunResult }> {
  const dir = buildCase(c);
  try {
    const before = snapshot(dir);
    const first = await runIn(dir, c.args);
    const violations = contractViolations(c, first);
    const after = snapshot(dir);
    const outArg = option(c.args, "--output");
    const allowed = outArg !== undefined ? resolve(dir, outArg) : null;
    for (const path of new Set([...before.keys(), ...after.keys()])) {
      if (before.get(path) !== after.get(path) && resolve(dir, path) !== allowed) violations.push(`changed ${path || "."} outside --output`);
    }
    if (violations.length === 0) {
      const second = await runIn(dir, c.args);
      if (second.status !== first.status || !second.stdout.equals(first.stdout) || second.stderr !== first.stderr || !sameBytes(second.output, first.output)) {
        violations.push("a second run of the same input gave different output");
      }
    }
    return { violations, first };
  } finally {
    removeCase(dir);
  }
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

/** The value of a flag as node's parseArgs reads it: the last occurrence wins. */
function option(args: string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--") break;
    if (args[i] === name) value = args[++i];
    else if (args[i].startsWith(`${name}=`)) value = args[i].slice(name.length + 1);
  }
  return value;
}

export function contractViolations(c: FuzzCase, r: RunResult): string[] {
  const v: string[] = [];
  if (r.timedOut) return [`did not finish within ${TIME_BUDGET_MS / 1000} s`];
  if (r.peakRss > MEMORY_BUDGET_BYTES || r.signal) return [`killed (${r.signal ?? "memory"}); peak RSS ${Math.round(r.peakRss / 1048576)} MB`];
  if (c.args.length === 0) {
    // No arguments: the usage on stderr, and a failure (a CI step that lost its arguments).
    if (r.status !== 2 || !r.stderr.startsWith("Usage: wafguard") || r.stdout.length > 0) v.push(`no arguments: exit ${r.status}, stderr ${JSON.stringify(r.stderr.slice(0, 40))}`);
    return v;
  }
  if (r.status === 2) {
    if (!/^wafguard: [^\n]+\n$/.test(r.stderr)) v.push(`exit 2 without exactly one "wafguard: ..." line on stderr: ${JSON.stringify(r.stderr.slice(0, 300))}`);
    if (/internal error/.test(r.stderr)) v.push(`internal error: ${r.stderr.trim().slice(0, 300)}`);
    if (/\n\s+at /.test(r.stderr)) v.push("stack trace on stderr");
    return v;
  }
  if (r.status !== 0 && r.status !== 1) return [`exit status ${r.status}: ${r.stderr.slice(0, 300)}`];
  if (c.args[0] === "--help" || c.args[0] === "-h" || c.args[0] === "help" || c.args[0] === "--version" || c.args[0] === "-v") return v;
  // `check ... -h` and `logs ... --help` (before any "--"): the command's usage on stdout, exit 0.
  const beforeDashes = c.args.indexOf("--") < 0 ? c.args : c.args.slice(0, c.args.indexOf("--"));
  if ((c.args[0] === "check" || c.args[0] === "logs") && beforeDashes.some((a) => a === "-h" || a === "--help")) {
    if (r.status !== 0 || !/^(Usage: wafguard|Options for logs)/.test(r.stdout.toString())) v.push(`${c.args[0]} with -h: exit ${r.status}, stdout ${JSON.stringify(r.stdout.toString().slice(0, 40))}`);
    return v;
  }
  // Only notices (a module not downloaded) may accompany a report on stderr.
  if (!/^(wafguard: notice: [^\n]*\n)*$/.test(r.stderr)) v.push(`exit ${r.status} with stderr: ${JSON.stringify(r.stderr.slice(0, 300))}`);
  const report = option(c.args, "--output") !== undefined ? r.output : r.stdout;
  if (report === null) return [...v, "no report written to --output"];
  const text = report.toString("utf8");
  if (c.args[0] === "model") {
    try {
      JSON.parse(text);
    } catch (e) {
      v.push(`model output is not JSON: ${(e as Error).message}`);
    }
    return v;
  }
  if (c.args[0] !== "check") return v;
  const format = option(c.args, "--format") ?? "text";
  try {
    if (format === "json") {
      const doc = JSON.parse(text) as { findings: Array<{ severity: string; waived?: unknown }> };
      const failOn = option(c.args, "--fail-on") ?? "error";
      const rank: Record<string, number> = { info: 0, warning: 1, error: 2, never: 3 };
      const expected = doc.findings.some((f) => !f.waived && rank[f.severity] >= rank[failOn]) ? 1 : 0;
      if (expected !== r.status) v.push(`exit ${r.status} but the findings say ${expected}`);
    } else if (format === "sarif") {
      const doc = JSON.parse(text) as { version?: string; runs?: unknown[] };
      if (doc.version !== "2.1.0" || !Array.isArray(doc.runs)) v.push("SARIF without version 2.1.0 and runs");
    } else if (format === "junit") {
      const valid = XMLValidator.validate(text);
      if (valid !== true) v.push(`JUnit output is not XML: ${JSON.stringify(valid).slice(0, 200)}`);
    } else if (text.length === 0) v.push(`empty ${format} report`);
  } catch (e) {
    v.push(`${format} output does not parse: ${(e as Error).message.slice(0, 200)}`);
  }
  return v;
}
