/**
 * Inline suppressions: a finding suppressed where the resource is written, with the reason beside it.
 *
 *   .tf (on the block's header line, or in the comments directly above it; #, // or block comments):
 *     # wafguard:ignore WG406 reason: internal stage behind the VPC endpoint expires: 2027-03-31
 *   Terraform JSON and CDKTF (`WafguardSuppressions.of(resource).add(...)` writes it):
 *     "//": { "wafguard": { "ignore": [{ "rule": "WG406", "reason": "...", "expires": "2027-03-31" }] } }
 *
 * As for waivers: a reason is required, an expired suppression no longer hides its finding, and a
 * mistake (unknown rule, no reason, bad date, a comment on no block) is exit 2 with file and line.
 * One that matches no finding is reported as a notice, so that stale ones get removed.
 */
import { UsageError } from "./errors";
import type { Finding, Notice } from "./findings";
import type { InlineSuppression, LoadedInput, SourceLocation } from "./model";
import { findRule } from "./rules";
import { MIN_REASON_LENGTH, parseExpiry } from "./waivers";

/** A suppression as written, before it is tied to a block. */
export type WrittenSuppression = Omit<InlineSuppression, "block">;

const MARK = "wafguard:ignore";

/** The suppressions in one comment's text (empty when it holds none). `line` is where the comment starts. */
export function parseIgnoreComment(text: string, comment: SourceLocation): WrittenSuppression[] {
  const start = text.indexOf(MARK);
  if (start < 0) return [];
  // In a block comment over several lines, the line of the mark itself.
  const at = comment.line ? { ...comment, line: comment.line + text.slice(0, start).split("\n").length - 1 } : comment;
  const where = `${at.file}${at.line ? `:${at.line}` : ""}`;
  const fail = (what: string): never => {
    throw new UsageError(`${where}: ${what}`);
  };
  // Block comments that span lines: drop the leading `*` or `#` of continuation lines and the closing `*/`.
  let rest = text
    .slice(start + MARK.length)
    .replace(/\*\/\s*$/, "")
    .split("\n")
    .map((l) => l.replace(/^\s*(\*|#|\/\/)?\s?/, ""))
    .join(" ");
  const ids = /^\s*([A-Za-z]+\d+(?:\s*,\s*[A-Za-z]+\d+)*)/.exec(rest);
  if (!ids) fail(`${MARK} needs a rule ID and a reason, such as: # ${MARK} WG406 reason: internal stage behind the VPC endpoint`);
  rest = rest.slice(ids![0].length);
  let expires: string | undefined;
  const expiry = /\bexpires:\s*(\S*)/.exec(rest);
  if (expiry) {
    expires = parseExpiry(expiry[1]);
    if (!expires) fail(`${MARK}: expires must be a date, YYYY-MM-DD (got "${expiry[1]}")`);
    rest = rest.slice(0, expiry.index) + rest.slice(expiry.index + expiry[0].length);
  }
  const reasonAt = /\breason:/.exec(rest);
  const reason = reasonAt ? rest.slice(reasonAt.index + reasonAt[0].length).replace(/\s+/g, " ").trim() : "";
  if (reason.length < MIN_REASON_LENGTH) fail(`${MARK} ${ids![1]}: a reason is required, at least ${MIN_REASON_LENGTH} characters (${MARK} ${ids![1]} reason: why this is acceptable)`);
  return ids![1].split(",").map((raw) => {
    const rule = raw.trim().toUpperCase();
    if (!findRule(rule)) fail(`${MARK}: "${raw.trim()}" is not a wafguard rule ID`);
    return { rule, reason, ...(expires ? { expires } : {}), at };
  });
}

/** The `"//": {"wafguard": {"ignore": [...]}}` entry of a Terraform JSON / CDKTF resource body. */
export function parseIgnoreMetadata(body: unknown, at: SourceLocation): WrittenSuppression[] {
  const meta = (body as { "//"?: { wafguard?: unknown } } | null)?.["//"];
  if (typeof meta !== "object" || meta === null || !("wafguard" in meta)) return [];
  const where = at.construct ? `${at.file} (${at.construct})` : `${at.file}${at.line ? `:${at.line}` : ""}`;
  const fail = (what: string): never => {
    throw new UsageError(`${where}: "//".wafguard ${what}`);
  };
  const wafguard = meta.wafguard as { ignore?: unknown } | null;
  if (typeof wafguard !== "object" || wafguard === null || Array.isArray(wafguard)) fail(`must be an object with "ignore"`);
  const extra = Object.keys(wafguard!).filter((k) => k !== "ignore");
  if (extra.length) fail(`has unknown key "${extra[0]}" (expected ignore)`);
  if (!Array.isArray(wafguard!.ignore)) fail(`.ignore must be a list of {rule, reason, expires?}`);
  return (wafguard!.ignore as unknown[]).map((entry, i) => {
    const e = entry as Record<string, unknown> | null;
    const item = `.ignore[${i}]`;
    if (typeof e !== "object" || e === null || Array.isArray(e)) return fail(`${item} must be an object {rule, reason, expires?}`);
    const extraKeys = Object.keys(e).filter((k) => !["rule", "reason", "expires"].includes(k));
    if (extraKeys.length) fail(`${item} has unknown key "${extraKeys[0]}" (expected rule, reason, expires)`);
    const rule = typeof e.rule === "string" ? e.rule.toUpperCase() : "";
    if (!findRule(rule)) fail(`${item}: rule "${String(e.rule ?? "")}" is not a wafguard rule ID`);
    if (typeof e.reason !== "string" || e.reason.trim().length < MIN_REASON_LENGTH) fail(`${item}: reason is required, at least ${MIN_REASON_LENGTH} characters`);
    let expires: string | undefined;
    if (e.expires !== undefined) {
      expires = typeof e.expires === "string" ? parseExpiry(e.expires) : undefined;
      if (!expires) fail(`${item}: expires must be a date, YYYY-MM-DD`);
    }
    return { rule, reason: (e.reason as string).trim(), ...(expires ? { expires } : {}), at };
  });
}

/** The block a resource instance is written in: its address without instance keys. */
export function blockAddressOf(r: { module: string; mode: string; type: string; name: string }): string {
  const module = r.module.replace(/\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]/g, "");
  return `${module ? `${module}.` : ""}${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
}

/**
 * Marks the findings of one input that its inline suppressions cover, and returns a notice for each
 * suppression of an evaluated rule that matched no finding.
 */
export function applySuppressions(findings: Finding[], loaded: LoadedInput, evaluated: ReadonlySet<string>, today = new Date().toISOString().slice(0, 10)): Notice[] {
  const suppressions = loaded.suppressions ?? [];
  if (suppressions.length === 0) return [];
  // Several CDKTF stacks: addresses (and the suppressions' blocks) carry the stack's name, "prod/aws_x.y".
  const stackOf = (address: string) => (loaded.stackModels ? address.slice(0, address.indexOf("/") + 1) : "");
  const blockOf = new Map(loaded.model.resources.map((r) => [r.address, stackOf(r.address) + blockAddressOf(r)]));
  const used = new Set<InlineSuppression>();
  for (const f of findings) {
    const block = blockOf.get(f.address);
    const matching = suppressions.filter((s) => s.rule === f.rule && s.block === block);
    matching.forEach((s) => used.add(s));
    const active = matching.find((s) => !s.expires || s.expires >= today);
    if (active) f.waived = { reason: active.reason, ...(active.expires ? { expires: active.expires } : {}), inline: place(active.at) };
    else if (matching.length) {
      const expired = matching[0];
      f.waiver_expired = { reason: expired.reason, expires: expired.expires as string, inline: place(expired.at) };
      f.message = `${f.message} (its inline suppression at ${place(expired.at)} expired on ${expired.expires})`;
    }
  }
  return suppressions
    .filter((s) => !used.has(s) && evaluated.has(s.rule))
    .map((s) => ({
      kind: "stale-suppression" as const,
      rule: s.rule,
      address: s.block,
      at: s.at,
      message: `${MARK} ${s.rule} at ${place(s.at)} matches no finding of ${s.block}; remove it`,
    }));
}

function place(at: SourceLocation): string {
  return at.construct ?? (at.line ? `${at.file}:${at.line}` : at.file);
}
