import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");
export const FIXTURES = join(ROOT, "test", "fixtures");
/** The OASIS SARIF 2.1.0 JSON schema, as @microsoft/sarif-multitool 5.7.0 ships it (vendored: that package is Linux-only and 43 MB). */
export const SARIF_SCHEMA = join(ROOT, "test", "schemas", "sarif-2.1.0.json");
const BIN = join(ROOT, "bin", "wafguard.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `wafguard` command, as a user or CI does. */
export function runCli(args: string[], options: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface JsonFinding {
  rule: string;
  severity: string;
  address: string;
  message: string;
  symptom: string;
  fix: string;
  location?: { file: string; line?: number; construct?: string };
}

export interface JsonReport {
  version: number;
  inputs: Array<{ path: string; kind: string }>;
  findings: JsonFinding[];
  summary: Record<string, number>;
}

export function checkJson(path: string, extra: string[] = []): JsonReport {
  const r = runCli(["check", path, "--format", "json", "--fail-on", "never", ...extra]);
  if (r.status !== 0) throw new Error(`wafguard exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as JsonReport;
}

export function planFixture(name: string): string {
  return join(FIXTURES, "plans", `${name}.json`);
}

/** Writes `content` to a fresh temporary file and returns its path. */
export function tempFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "wafguard-test-"));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
