/** `wafguard logs` output: the incident table (text), the JSON contract of traffic.md, and Markdown. */
import type { LogsPattern, LogsResult } from "./logs";
import { cdktfProps, moduleInput } from "./exceptions";
import type { Signal } from "./patterns";

export type LogsFormat = "text" | "json" | "markdown";
export const LOGS_FORMATS: LogsFormat[] = ["text", "json", "markdown"];

export function formatLogs(format: LogsFormat, result: LogsResult): string {
  if (format === "json") return `${JSON.stringify(toJson(result), null, 2)}\n`;
  if (format === "markdown") return markdown(result);
  return text(result);
}

/** traffic.md's `wafguard logs --format json` shape, with the extra fields after the contract's. */
export function toJson(result: LogsResult): Record<string, unknown> {
  return {
    version: result.version,
    records: result.records,
    from: result.from,
    to: result.to,
    blocked: result.blocked,
    actions: result.actions,
    patterns: result.patterns.map((p) => ({
      web_acl: p.web_acl,
      rule: p.rule,
      managed_rule: p.managed_rule,
      action: p.action,
      method: p.method,
      path: p.path,
      requests: p.requests,
      clients: p.clients,
      share: p.share,
      signals: p.signals,
      exception: p.exception
        ? { hcl: p.exception.hcl, ...(p.exception.cdktf ? { cdktf: p.exception.cdktf } : {}), ...(p.exception.module ? { module: p.exception.module } : {}), ...(p.exception.location ? { location: p.exception.location } : {}), ...(p.exception.waf_exception ? { waf_exception: p.exception.waf_exception } : {}) }
        : null,
      verified: p.verified ? { unblocked: p.verified.unblocked, still_blocked: p.verified.still_blocked, uncertain: p.verified.uncertain, other_unblocked: p.verified.other_unblocked, newly_blocked: p.verified.newly_blocked, uncertain_reasons: p.verified.uncertain_reasons } : null,
      ...(p.not_offered ? { not_offered: p.not_offered } : {}),
      selected: p.selected,
      rule_type: p.rule_type,
      rule_group: p.rule_group,
      label: p.label,
      defined_route: p.defined_route,
      first_seen: p.first_seen,
      last_seen: p.last_seen,
      clients_capped: p.clients_capped,
    })),
    exception_mode: result.mode,
    combined: result.combined.map((c) => ({ web_acl: c.web_acl, exact: c.exact, verified: { unblocked: c.verified.unblocked, still_blocked: c.verified.still_blocked, uncertain: c.verified.uncertain }, diff: c.diff, ...(c.diff_error ? { diff_error: c.diff_error } : {}) })),
    replay_mismatch: result.replay_mismatch,
    notes: result.notes,
  };
}

const n = (x: number) => x.toLocaleString("en-US");
const pct = (x: number) => `${(x * 100).toFixed(x >= 0.1 ? 0 : x >= 0.01 ? 1 : 2)}%`;

function ruleLabel(p: LogsPattern): string {
  return p.managed_rule ? `${p.rule} / ${p.managed_rule}` : p.rule;
}

function signalText(s: Signal, p: LogsPattern): string {
  const total = s.of === "clients" ? p.clients : p.requests;
  const names: Record<string, string> = {
    also_allowed: "clients also allowed",
    authenticated: "authenticated",
    ordinary_user_agent: "browser/SDK agent",
    defined_route: "route the API defines",
    no_user_agent: "no User-Agent",
    scanner_user_agent: "scanner agent",
    attack_signature_rule: "attack-signature rule",
    probing_clients: "clients probing many paths",
  };
  return `${n(s.count)}/${n(total)} ${names[s.name] ?? s.name}`;
}

function signalsLine(p: LogsPattern, leans: Signal["leans"]): string {
  const shown = p.signals.filter((s) => s.leans === leans && s.count > 0).map((s) => signalText(s, p));
  return shown.length ? shown.join(" · ") : "none";
}

function verdictLine(p: LogsPattern): string {
  if (p.exception && p.verified) {
    const v = p.verified;
    const uncertain = v.uncertain ? `; ${n(v.uncertain)} of them uncertain (${Object.entries(v.uncertain_reasons).map(([why, c]) => `${why}: ${n(c)}`).join("; ")})` : "";
    const left = p.selected ? "" : "; not in the combined change (attack signals): pick it with --pattern";
    return `verified by replay: unblocks ${n(v.unblocked)} (this pattern exactly), ${n(v.still_blocked)} others stay blocked${uncertain}${left}`;
  }
  return p.not_offered ?? "no exception";
}

function text(r: LogsResult): string {
  const out: string[] = [];
  const actions = Object.entries(r.actions).sort(([a], [b]) => a.localeCompare(b)).map(([a, c]) => `${a} ${n(c)}`).join(", ");
  out.push(`wafguard logs: ${n(r.records)} requests${r.from ? `, ${r.from} to ${r.to}` : ""} (${actions || "none"}); ${n(r.blocked)} blocked, challenged or CAPTCHA'd`);
  if (r.patterns.length === 0) {
    out.push("", "Nothing was blocked.");
    return `${out.join("\n")}\n`;
  }
  const rows = r.patterns.map((p, i) => [String(i + 1), n(p.requests), `${p.clients_capped ? "≥" : ""}${n(p.clients)}`, pct(p.share), p.action, ruleLabel(p), p.method, p.path, p.web_acl]);
  const head = ["#", "REQUESTS", "CLIENTS", "SHARE", "ACTION", "RULE / SUB-RULE", "METHOD", "ROUTE", "WEB ACL"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const right = new Set([0, 1, 2, 3]);
  const line = (cells: string[]) => cells.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ").trimEnd();
  out.push("", line(head));
  r.patterns.forEach((p, i) => {
    out.push(line(rows[i]));
    const pad = " ".repeat(widths[0] + 2);
    out.push(`${pad}seen ${p.first_seen} to ${p.last_seen}`);
    out.push(`${pad}looks legitimate: ${signalsLine(p, "legitimate")}`);
    out.push(`${pad}looks like attack: ${signalsLine(p, "attack")}`);
    out.push(`${pad}exception: ${verdictLine(p)}`);
  });
  const offered = r.patterns.filter((p) => p.exception && p.selected);
  const others = r.patterns.filter((p) => p.exception && !p.selected).map((p) => r.patterns.indexOf(p) + 1);
  if (offered.length) {
    out.push("", `Exceptions${r.mode === "count" ? " (the new rules written in count first: switch them to block once the logs agree)" : ""}:`);
    offered.forEach((p) => {
      const e = p.exception!;
      out.push("", `# ${r.patterns.indexOf(p) + 1}. ${p.method} ${p.path} (${ruleLabel(p)})${e.location ? ` — rule at ${e.location.file}:${e.location.line}` : ""}`);
      out.push(e.hcl);
    });
    const managed = offered.map((p) => p.exception!.waf_exception).filter((e) => e !== undefined);
    if (managed.length) {
      out.push("", "# The same for WafProtectedApi (CDKTF) props:", cdktfProps(managed));
      out.push("", "# The same as modules/waf-api-gateway input:", moduleInput(managed));
    }
    for (const c of r.combined) {
      const v = c.verified;
      out.push("", `All ${offered.filter((p) => p.web_acl === c.web_acl).length} exceptions of ${c.web_acl} together: ${c.exact ? "verified" : "NOT exact"} by replay: unblock ${n(v.unblocked)}, ${n(v.still_blocked)} stay blocked${v.uncertain ? `, ${n(v.uncertain)} of the unblocked uncertain` : ""}.`);
      if (c.diff) out.push("Run with --diff for a patch of the web ACL's .tf file (git apply accepts it).");
      else if (c.diff_error) out.push(`No patch: ${c.diff_error}.`);
    }
  }
  if (others.length) out.push("", `Verified exceptions of patterns ${others.join(", ")} are left out (attack signals): see --format json or markdown, or add them with --pattern.`);
  for (const [acl, count] of Object.entries(r.replay_mismatch)) out.push("", `Note: replaying ${acl} unchanged disagrees with the log on ${n(count)} request(s); the configuration given may not be the one that wrote the logs.`);
  for (const note of r.notes) out.push(`Note: ${note}.`);
  return `${out.join("\n")}\n`;
}

function markdown(r: LogsResult): string {
  const out: string[] = [];
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  out.push("## wafguard logs", "", `${n(r.records)} requests${r.from ? ` from ${r.from} to ${r.to}` : ""}; **${n(r.blocked)} blocked**, challenged or CAPTCHA'd.`, "");
  if (r.patterns.length === 0) return `${out.join("\n")}Nothing was blocked.\n`;
  out.push("| # | Requests | Clients | Share | Action | Rule / sub-rule | Method | Route | Looks legitimate | Looks like attack | Exception |", "|--:|--:|--:|--:|---|---|---|---|---|---|---|");
  r.patterns.forEach((p, i) => {
    out.push(`| ${i + 1} | ${n(p.requests)} | ${n(p.clients)} | ${pct(p.share)} | ${p.action} | ${esc(ruleLabel(p))} | ${p.method} | \`${esc(p.path)}\` | ${esc(signalsLine(p, "legitimate"))} | ${esc(signalsLine(p, "attack"))} | ${esc(verdictLine(p))} |`);
  });
  for (const p of r.patterns.filter((x) => x.exception)) {
    const e = p.exception!;
    out.push("", `<details><summary>${r.patterns.indexOf(p) + 1}. Exception for ${p.method} <code>${p.path}</code> (${ruleLabel(p)})</summary>`, "", "```hcl", e.hcl, "```");
    if (e.cdktf) out.push("", "CDKTF (`WafProtectedApi`):", "", "```ts", e.cdktf, "```");
    if (e.module) out.push("", "Module `waf-api-gateway`:", "", "```hcl", e.module, "```");
    out.push("", "</details>");
  }
  for (const c of r.combined) if (c.diff) out.push("", `<details><summary>Patch for ${c.web_acl}</summary>`, "", "```diff", c.diff.trimEnd(), "```", "", "</details>");
  for (const note of r.notes) out.push("", `> ${note}.`);
  return `${out.join("\n")}\n`;
}
