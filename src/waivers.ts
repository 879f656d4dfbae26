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
import { lstatSync } from "node:fs";
import { UsageError } from "./errors";
import { MIB, readRegularFile } from "./load/read-file";
import type { Finding } from "./findings";
import { allRules, optionValueProblem, unknownOptionProblem } from "./rules";

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
/** A waiver file is written by hand; this is thousands of waivers. */
const MAX_CONFIG_BYTES = 4 * MIB;
/** YAML aliases expanded in all: more is an alias bomb (the `yaml` package's own guard). */
const MAX_ALIAS_COUNT = 100;

/** Reads `path`, or `.wafguard.yml` in the current directory if anything has that name, else an empty config. */
export function readConfig(path: string | undefined): Config {
  // lstat, not exists: a dangling or looping .wafguard.yml is an error to report, not a file to ignore.
  const file = path ?? (hasEntry(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!file) return { options: {}, waivers: [] };
  return parseConfig(file, readRegularFile(file, MAX_CONFIG_BYTES).toString("utf8"));
}

function hasEntry(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export function parseConfig(file: string, text: string): Config {
  // yaml is loaded only when there is a file to read: it costs a third of wafguard's start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseDocument } = require("yaml") as typeof import("yaml");
  // logLevel "error": warnings are not printed on stderr (they are errors below: a waiver file is exact).
  const doc = parseDocument(text, { prettyErrors: false, logLevel: "error" });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw new UsageError(`${file}:${problem.linePos?.[0].line ?? 1}: not valid YAML (${yamlProblem(problem.message)})`);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (e) {
    // An alias bomb, or an alias before its anchor.
    throw new UsageError(`${file}: not valid YAML (${yamlProblem((e as Error).message)})`);
  }
  if (isCircular(data)) throw new UsageError(`${file}: an alias refers to the mapping or list that holds it (a circular structure)`);
  return configFromData(file, data);
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
  if (typeof options !== "object" || options === null || ![Object.prototype, null].includes(Object.getPrototypeOf(options))) fail("`options` must be a mapping");
  for (const [key, value] of Object.entries(options as Record<string, unknown>)) {
    const problem = unknownOptionProblem(key) ?? optionValueProblem(key, value);
    if (problem) fail(`options: ${problem}`);
    if (value !== null && typeof value === "object") fail(`option "${key}" must be a number, string or boolean`);
  }

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
    if (typeof entry.reason !== "string" || entry.reason.trim().length < MIN_REASON_LENGTH) fail(`${where}: reason is required, at least ${MIN_REASON_LENGTH} characters`);
    const waiver: Waiver = { rule, address: entry.address as string, reason: (entry.reason as string).trim() };
    if (entry.expires !== undefined) {
      const expires = parseExpiry(entry.expires instanceof Date ? entry.expires.toISOString().slice(0, 10) : String(entry.expires));
      if (!expires) fail(`${where}: expires must be a date, YYYY-MM-DD`);
      waiver.expires = expires;
    }
    waivers.push(waiver);
  });
  return { options: { ...(options as Record<string, unknown>) }, waivers };
}

/** A waiver's or inline suppression's reason: long enough to tell the next reader why. */
export const MIN_REASON_LENGTH = 10;

/** `2027-03-31` → itself; anything that is not a real YYYY-MM-DD date → undefined. */
export function parseExpiry(text: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? undefined : text;
}

/** Marks findings that a waiver covers. An expired waiver no longer hides its finding, and says so. */
export function applyWaivers(findings: Finding[], waivers: Waiver[], today = new Date().toISOString().slice(0, 10)): void {
  for (const f of findings) {
    if (f.waived) continue; // suppressed inline already
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

/**
 * `*` any run of characters, `?` one; everything else literal (addresses hold [ ] " . which glob
 * libraries treat specially). Matched without a regular expression: a pattern of many `*` would make
 * one backtrack for minutes. Here a `*` is retried from one remembered place only, so the cost is at
 * most pattern length × text length.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1; // the pattern index after the last `*`
  let starText = 0; // where in the text that `*` currently ends
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || (pattern[p] !== "*" && pattern[p] === text[t]))) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = ++p;
      starText = t;
    } else if (star >= 0) {
      p = star;
      t = ++starText;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

function yamlProblem(message: string): string {
  return /call stack/i.test(message) ? "it nests too deeply" : message.split("\n")[0];
}

/** Whether a value (from YAML aliases) contains itself. Iterative: values may nest deeply. */
function isCircular(value: unknown): boolean {
  const onPath = new Set<object>();
  const stack: Array<{ node: object; exit: boolean }> = value !== null && typeof value === "object" ? [{ node: value, exit: false }] : [];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.exit) {
      onPath.delete(item.node);
      continue;
    }
    if (onPath.has(item.node)) return true;
    onPath.add(item.node);
    stack.push({ node: item.node, exit: true });
    for (const child of Object.values(item.node)) if (child !== null && typeof child === "object") stack.push({ node: child as object, exit: false });
  }
  return false;
}
