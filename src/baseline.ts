/**
 * Baselines: `--create-baseline FILE` records the current findings by fingerprint, `--baseline FILE`
 * reports only findings not recorded, so a legacy configuration can adopt wafguard and fail only on
 * what a change adds.
 *
 * A fingerprint is the rule, the resource address and the finding's subject: the names its message
 * quotes (a WAF rule's name, an IP set entry) and the resources it relates to. Not the input path, a
 * line number or the wording, so a moved block, a renamed plan file, reordered resources or a
 * reworded message keep it; another rule of the same ACL, or another resource, does not.
 */
import { createHash } from "node:crypto";
import { MIB, readRegularFile } from "./load/read-file";
import { writeReportFile } from "./report/output-file";
import { UsageError } from "./errors";
import type { Finding } from "./findings";

export const FINGERPRINT_KEY = "wafguard/v1";

export function fingerprint(f: Pick<Finding, "rule" | "address" | "message" | "related" | "traffic">): string {
  // Traffic findings' messages carry counts that change with every log: the subject is the web ACL itself.
  if (f.traffic) return createHash("sha256").update(JSON.stringify([f.rule, f.address, "traffic"])).digest("hex").slice(0, 32);
  const quoted = [...new Set([...f.message.matchAll(/"([^"]*)"/g)].map((m) => m[1]))].sort();
  const subject = [...quoted, "|", ...[...f.related].sort()];
  return createHash("sha256").update(JSON.stringify([f.rule, f.address, subject])).digest("hex").slice(0, 32);
}

interface BaselineEntry {
  fingerprint: string;
  rule: string;
  address: string;
}

/** The baseline file: entries sorted by rule and address so that its diffs are readable. */
export function writeBaseline(file: string, findings: Finding[]): number {
  const byPrint = new Map<string, BaselineEntry>();
  for (const f of findings) if (!f.waived) byPrint.set(fingerprint(f), { fingerprint: fingerprint(f), rule: f.rule, address: f.address });
  const entries = [...byPrint.values()].sort((a, b) => cmp(a.rule, b.rule) || cmp(a.address, b.address) || cmp(a.fingerprint, b.fingerprint));
  const text = JSON.stringify({ version: 1, tool: "wafguard", fingerprint: FINGERPRINT_KEY, findings: entries }, null, 2) + "\n";
  writeReportFile(file, text);
  return entries.length;
}

export function readBaseline(file: string): Set<string> {
  const text = readRegularFile(file, 64 * MIB).toString("utf8").replace(/^\uFEFF/, ""); // a BOM, as Windows editors write
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: not a wafguard baseline (not JSON); create one with --create-baseline ${file}`);
  }
  const d = doc as { tool?: unknown; fingerprint?: unknown; findings?: unknown };
  if (typeof doc !== "object" || doc === null || d.tool !== "wafguard" || !Array.isArray(d.findings)) {
    throw new UsageError(`${file}: not a wafguard baseline (expected {"tool": "wafguard", "findings": [...]}); create one with --create-baseline ${file}`);
  }
  if (d.fingerprint !== FINGERPRINT_KEY) throw new UsageError(`${file}: baseline fingerprints are ${String(d.fingerprint)}, this wafguard uses ${FINGERPRINT_KEY}; recreate it with --create-baseline`);
  const prints = new Set<string>();
  d.findings.forEach((e: unknown, i: number) => {
    const print = (e as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof print !== "string" || !/^[0-9a-f]{32}$/.test(print)) throw new UsageError(`${file}: finding ${i + 1} has no valid fingerprint`);
    prints.add(print);
  });
  return prints;
}

/** Removes the findings the baseline records (waived ones stay, marked as waived); returns how many. */
export function applyBaseline(findings: Finding[], baseline: ReadonlySet<string>): { kept: Finding[]; suppressed: number } {
  const kept = findings.filter((f) => f.waived || !baseline.has(fingerprint(f)));
  return { kept, suppressed: findings.length - kept.length };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
