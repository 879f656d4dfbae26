/**
 * `.wafguard.yml` (or `--waivers FILE`): rule options and waivers.
 *
 *   options:
 *     rate-threshold: 1000
 *   waivers:
 *     - rule: WG406
 *       address: aws_api_gateway_stage.internal*
 *       reason: Internal stage behind a private VPC endpoint
 *       expires: 2027-03-31
 *
 * Any mistake in the file is exit 2: a waiver that silently does not apply is worse than none.
 */
import { existsSync, readFileSync } from "node:fs";
import { UsageError } from "./errors";
import type { Finding } from "./findings";
import { allRules, ruleOptions, unknownOptionKey } from "./rules";

export interface Waiver {
  rule: string;
  /** Resource address; `*` matches any run of characters, `?` one character. */
  address: string;
  reason: string;
  /** YYYY-MM-DD: the last day the waiver applies. */
  expires?: string;
}

export interface Config {
  options: Record<string, unknown>;
  waivers: Waiver[];
}

export const DEFAULT_CONFIG_FILE = ".wafguard.yml";

/** Reads `path`, or `.wafguard.yml` in the current directory if it exists, else an empty config. */
export function readConfig(path: string | undefined): Config {
  const file = path ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!file) return { options: {}, waivers: [] };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseConfig(file, text);
}

export function parseConfig(file: string, text: string): Config {
  // yaml is loaded only when there is a file to read: it costs a third of wafguard's start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseDocument } = require("yaml") as typeof import("yaml");
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new UsageError(`${file}:${e.linePos?.[0].line ?? 1}: not valid YAML (${e.message.split("\n")[0]})`);
  }
  return configFromData(file, doc.toJS() ?? {});
}

/** Checks a config given as data (`.wafguard.yml` parsed, or the aspect's props); `where` prefixes every message. */
export function configFromData(where: string, data: unknown): Config {
  const file = where;
  const fail = (what: string): never => {
    throw new UsageError(`${file}: ${what}`);
  };
  if (typeof data !== "object" || Array.isArray(data) || data === null) fail("expected a mapping with `options` and `waivers`");
  const root = data as Record<string, unknown>;
  const unknownKeys = Object.keys(root).filter((k) => k !== "options" && k !== "waivers");
  if (unknownKeys.length) fail(`unknown key "${unknownKeys[0]}" (expected options, waivers)`);

  const options = root.options ?? {};
  if (typeof options !== "object" || Array.isArray(options) || options === null) fail("`options` must be a mapping");
  const unknownOption = unknownOptionKey(options as Record<string, unknown>);
  if (unknownOption) fail(`options: unknown key "${unknownOption}" (known: ${ruleOptions().join(", ")})`);

  const known = new Set(allRules().map((r) => r.id));
  const waivers: Waiver[] = [];
  const list = root.waivers ?? [];
  if (!Array.isArray(list)) fail("`waivers` must be a list");
  (list as unknown[]).forEach((w, i) => {
    const where = `waiver ${i + 1}`;
    if (typeof w !== "object" || w === null || Array.isArray(w)) fail(`${where} must be a mapping`);
    const entry = w as Record<string, unknown>;
    const extra = Object.keys(entry).filter((k) => !["rule", "address", "reason", "expires"].includes(k));
    if (extra.length) fail(`${where}: unknown key "${extra[0]}" (expected rule, address, reason, expires)`);
    const rule = typeof entry.rule === "string" ? entry.rule.toUpperCase() : "";
    if (!known.has(rule)) fail(`${where}: rule "${String(entry.rule ?? "")}" is not a wafguard rule ID`);
    if (typeof entry.address !== "string" || entry.address === "") fail(`${where}: address is required (a resource address, * allowed)`);
    if (typeof entry.reason !== "string" || entry.reason.trim().length < 10) fail(`${where}: reason is required, at least 10 characters`);
    const waiver: Waiver = { rule, address: entry.address as string, reason: (entry.reason as string).trim() };
    if (entry.expires !== undefined) {
      const expires = entry.expires instanceof Date ? entry.expires.toISOString().slice(0, 10) : String(entry.expires);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(expires) || Number.isNaN(Date.parse(`${expires}T00:00:00Z`))) fail(`${where}: expires must be a date, YYYY-MM-DD`);
      waiver.expires = expires;
    }
    waivers.push(waiver);
  });
  return { options: { ...(options as Record<string, unknown>) }, waivers };
}

/** Marks findings that a waiver covers. An expired waiver no longer hides its finding, and says so. */
export function applyWaivers(findings: Finding[], waivers: Waiver[], today = new Date().toISOString().slice(0, 10)): void {
  for (const f of findings) {
    const matching = waivers.filter((w) => w.rule === f.rule && globMatch(w.address, f.address));
    const active = matching.find((w) => !w.expires || w.expires >= today);
    if (active) f.waived = active.expires ? { reason: active.reason, expires: active.expires } : { reason: active.reason };
    else if (matching.length) {
      const expired = matching[0];
      f.waiver_expired = { reason: expired.reason, expires: expired.expires as string };
      f.message = `${f.message} (its waiver expired on ${expired.expires})`;
    }
  }
}

/** `*` any run of characters, `?` one; everything else literal (addresses hold [ ] " . which glob libraries treat specially). */
export function globMatch(pattern: string, text: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(text);
}
