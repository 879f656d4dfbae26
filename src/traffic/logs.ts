/**
 * `wafguard logs`: what the web ACL blocked, grouped into patterns with their signals, and for each
 * pattern the smallest exception as code, offered only when a replay of every logged request proves it
 * unblocks exactly that pattern. Streaming passes over the logs: group; measure rate peaks (only when a
 * rate-based rule blocked); verify each exception; verify the chosen ones together.
 */
import { readFileSync } from "node:fs";
import type { Model } from "../model";
import { aclFromModel, type AclConfig } from "./acl";
import {
  cdktfProps, exceptionFor, exceptionRules, countOverride, moduleInput, ipSetAddresses, narrowedStatement, patchAcl, RATE_MARGIN, rulesOf, subRuleActions,
  type ExceptionChange, type ExceptionMode, type WafException,
} from "./exceptions";
import { exceptionEdits, ipSetEdit, PatchError, ruleLine, unifiedDiff, type Edit } from "./hcl-patch";
import { renderBlock } from "./hcl-render";
import { parseWebAclArn, type LoggedRecord, type WafLogRecord } from "./log-record";
import { keyString, PatternCollector, patternKeyOf, type Pattern, type PatternSummary } from "./patterns";
import { RouteTable, routeTemplates } from "./routes";
import { compileAcl, evaluateRequest, RateState, type CompiledAcl } from "./evaluate";
import { isExact, verifyCandidates, type Candidate, type Verification } from "./verify";

/** Exceptions are verified for the patterns with the most requests, up to this many (each one is a replay). */
export const MAX_VERIFIED_PATTERNS = 25;

export interface LogsOptions {
  /** The configuration (plan, .tf or CDKTF), when known. */
  model?: Model | null;
  mode?: ExceptionMode;
  /** Read the logs again (each call a fresh pass). */
  logs: () => AsyncIterable<LoggedRecord>;
  /**
   * Patterns (1-based, in report order) whose exceptions go into the combined change and the diff.
   * Default: every verified pattern without an attack signal (scanner agent, attack-signature rule, probing client).
   */
  select?: number[];
}

/** Signals that keep a pattern's exception out of the combined change unless the user picks it. */
const ATTACK_SIGNALS = new Set(["scanner_user_agent", "attack_signature_rule", "probing_clients"]);

export interface PatternException {
  hcl: string;
  /** Where the HCL goes: the web ACL's file and line. */
  location?: { file: string; line: number };
  cdktf?: string;
  module?: string;
  /** The construct/module prop, for managed sub-rules. */
  waf_exception?: WafException;
}

export interface LogsPattern extends Pattern {
  exception: PatternException | null;
  not_offered?: string;
  verified: Verification | null;
  /** The exception is part of the combined change (and of --diff). */
  selected: boolean;
}

export interface LogsResult extends Omit<PatternSummary, "patterns"> {
  version: 1;
  patterns: LogsPattern[];
  mode: ExceptionMode;
  /** All offered exceptions of a web ACL at once, verified together, and as a diff of its .tf file. */
  combined: Array<{ web_acl: string; verified: Verification; exact: boolean; diff: string | null; diff_error?: string }>;
  /** Records the replay of the unchanged ACL could not reproduce, by web ACL (the evaluator and the log disagree). */
  replay_mismatch: Record<string, number>;
}

export async function analyzeLogs(options: LogsOptions): Promise<LogsResult> {
  const model = options.model ?? null;
  const mode = options.mode ?? "block";
  const acls = aclsOf(model);
  const routes = new RouteTable(model ? routeTemplates(model) : []);
  const aclOf = aclMatcher(acls);
  const aclName = (id: string) => aclOf(id) ?? parseWebAclArn(id)?.name ?? id;
  const collector = new PatternCollector(routes, aclName);
  for await (const { record } of options.logs()) collector.add(record);
  const summary = collector.summary();

  const patterns: LogsPattern[] = summary.patterns.map((p) => ({ ...p, exception: null, verified: null, selected: false }));
  const peaks = await ratePeaks(patterns.slice(0, MAX_VERIFIED_PATTERNS), acls, options.logs, aclOf);
  const changes = new Map<LogsPattern, ExceptionChange>();
  const ruleChanges = new Map<string, ExceptionChange>(); // one per rate-based or IP-set rule, shared by its patterns
  patterns.forEach((p, i) => {
    if (i >= MAX_VERIFIED_PATTERNS) {
      p.not_offered = `not verified: only the ${MAX_VERIFIED_PATTERNS} largest patterns are replayed`;
      return;
    }
    const acl = acls.get(p.web_acl);
    const change = exceptionFor(p, acl?.values ?? null, peaks.get(p.web_acl), acl ? ipSetOf(acl) : undefined);
    if ("notOffered" in change) p.not_offered = change.notOffered;
    else if (change.kind === "rate-limit" || change.kind === "ip-set") {
      // A limit or an IP set is about clients, not routes: one change serves all the rule's patterns.
      const id = `${p.web_acl}\u0000${change.aclRule}`;
      const shared = ruleChanges.get(id);
      if (shared?.kind === "ip-set" && change.kind === "ip-set") {
        shared.remove = unique([...shared.remove, ...change.remove]);
        shared.add = unique([...shared.add, ...change.add]).sort();
      }
      changes.set(p, shared ?? ruleChanges.set(id, change).get(id)!);
    } else changes.set(p, change);
  });
  if (changes.size === 0) return { version: 1, ...summary, patterns, mode, combined: [], replay_mismatch: {} };

  // One candidate per exception (a raised rate limit serves all its rule's patterns), and one per web ACL with
  // all its chosen exceptions (checked after the first pass).
  const byChange = new Map<ExceptionChange, Candidate>();
  for (const [p, change] of changes) {
    const acl = acls.get(p.web_acl)!;
    const c = byChange.get(change) ?? byChange.set(change, { id: String(byChange.size), acl: p.web_acl, patched: patchAcl(acl, [change]), patterns: new Set(), expected: 0 }).get(change)!;
    c.patterns.add(keyString(p));
    c.expected += p.requests;
  }
  const candidates = [...byChange.values()];
  const patternOf = (r: WafLogRecord) => {
    const k = patternKeyOf(r, routes, aclName);
    return k ? keyString(k) : null;
  };
  const aclOfRecord = (r: WafLogRecord) => aclOf(r.webaclId);
  const first = await verifyCandidates(acls, candidates, options.logs(), aclOfRecord, patternOf);
  const offered = new Map<string, Array<[LogsPattern, ExceptionChange]>>();
  for (const [p, change] of changes) {
    const candidate = byChange.get(change)!;
    const v = first.results.get(candidate.id)!;
    p.verified = v;
    if (!isExact(v, candidate.expected)) {
      p.not_offered = whyNotExact(v, candidate.expected);
      continue;
    }
    p.exception = writeException(p, change, acls.get(p.web_acl)!, model, mode);
    const index = patterns.indexOf(p) + 1;
    p.selected = options.select ? options.select.includes(index) : !p.signals.some((s) => ATTACK_SIGNALS.has(s.name) && s.count > 0);
    if (!p.selected) continue;
    (offered.get(p.web_acl) ?? offered.set(p.web_acl, []).get(p.web_acl)!).push([p, change]);
  }

  const combined: LogsResult["combined"] = [];
  if (offered.size) {
    const all: Candidate[] = [...offered].map(([address, list]) => ({
      id: address, acl: address,
      patched: patchAcl(acls.get(address)!, unique(list.map(([, c]) => c))),
      patterns: new Set(list.map(([p]) => keyString(p))),
      expected: list.reduce((n, [p]) => n + p.requests, 0),
    }));
    const second = await verifyCandidates(acls, all, options.logs(), aclOfRecord, patternOf);
    for (const c of all) {
      const v = second.results.get(c.id)!;
      const list = offered.get(c.acl)!;
      const entry: LogsResult["combined"][number] = { web_acl: c.acl, verified: v, exact: isExact(v, c.expected), diff: null };
      try {
        entry.diff = aclDiff(model!, acls.get(c.acl)!, unique(list.map(([, ch]) => ch)), mode, list.map(([p]) => p));
      } catch (e) {
        if (!(e instanceof PatchError)) throw e;
        entry.diff_error = e.message;
      }
      combined.push(entry);
    }
  }
  return { version: 1, ...summary, patterns, mode, combined, replay_mismatch: Object.fromEntries(first.baselineMismatch) };
}

/** The IP set a rule references (directly or negated), keyed by its Terraform address where known. */
function ipSetOf(acl: AclConfig): (ruleName: string, arn: string) => { key: string; values: Record<string, unknown> } | null {
  return (ruleName, arn) => {
    const index = rulesOf(acl.values).findIndex((r) => r.name === ruleName);
    const byPath = ["", "not_statement.0.statement.0."].map((mid) => acl.references.get(`rule.${index}.statement.0.${mid}ip_set_reference_statement.0.arn`)).find(Boolean);
    const values = (arn && acl.ipSets.get(arn)) || (byPath ? acl.ipSets.get(byPath) : undefined);
    if (!values) return null;
    const address = [...acl.ipSets].find(([k, v]) => v === values && !k.startsWith("arn:"))?.[0];
    return { key: address ?? arn, values };
  };
}

function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}

/**
 * The peak count per aggregation key within the rule's evaluation window, for each rate-based rule that
 * blocked a pattern: one more pass that replays the logged web ACL with the replay's own counter, so the
 * peak counts what the rule counts (its aggregation keys, its scope-down statement, only the requests
 * that reach it), and the raised limit is then verified by the same replay.
 */
async function ratePeaks(
  patterns: Pattern[],
  acls: Map<string, AclConfig>,
  logs: () => AsyncIterable<LoggedRecord>,
  aclOf: (webaclId: string) => string | null,
): Promise<Map<string, Map<string, { peak: number; windowSec: number }>>> {
  const wanted = new Map<string, Map<string, number>>(); // acl → rule → window (s)
  for (const p of patterns) {
    if (p.rule_type !== "RATE_BASED") continue;
    const rule = rulesOf(acls.get(p.web_acl)?.values ?? {}).find((r) => r.name === p.rule);
    const statement = (rule?.statement as Array<Record<string, unknown>> | undefined)?.[0]?.rate_based_statement as Array<Record<string, unknown>> | undefined;
    if (!statement?.[0]) continue;
    const windowSec = Number(statement[0].evaluation_window_sec ?? 300);
    (wanted.get(p.web_acl) ?? wanted.set(p.web_acl, new Map()).get(p.web_acl)!).set(p.rule, windowSec);
  }
  const out = new Map<string, Map<string, { peak: number; windowSec: number }>>();
  if (wanted.size === 0) return out;
  const runs = new Map<string, { acl: CompiledAcl; counts: PeakRateState }>();
  for (const address of wanted.keys()) {
    const config = acls.get(address)!;
    runs.set(address, { acl: compileAcl(config, { logged: config }), counts: new PeakRateState() });
  }
  for await (const { record } of logs()) {
    const address = aclOf(record.webaclId);
    const run = address ? runs.get(address) : undefined;
    if (run) evaluateRequest(run.acl, record, run.counts);
  }
  for (const [address, rules] of wanted) {
    const { acl, counts } = runs.get(address)!;
    const peaks = new Map<string, { peak: number; windowSec: number }>();
    for (const [rule, windowSec] of rules) {
      const counter = acl.rules.find((r) => r.name === rule)?.rateCounter;
      const peak = counter ? counts.peaks.get(counter) : undefined;
      if (peak) peaks.set(rule, { peak, windowSec });
    }
    out.set(address, peaks);
  }
  return out;
}

/** Who "sent N requests" at the peak, by the rate-based rule's aggregation key type. */
const RATE_KEY_SUBJECTS: Record<string, string> = { IP: "the busiest IP", FORWARDED_IP: "the busiest forwarded IP", CUSTOM_KEYS: "the busiest aggregation key", CONSTANT: "all requests together" };

/** A RateState that also keeps the highest count each rate-based rule reached. */
class PeakRateState extends RateState {
  readonly peaks = new Map<string, number>();

  override count(rule: string, key: string, ts: number, windowMs: number, record?: object): number {
    const n = super.count(rule, key, ts, windowMs, record);
    if (n > (this.peaks.get(rule) ?? 0)) this.peaks.set(rule, n);
    return n;
  }
}

function whyNotExact(v: Verification, expected: number): string {
  if (v.other_unblocked) return `not offered: it would also let through ${v.other_unblocked} blocked request(s) outside the pattern`;
  if (v.newly_blocked) return `not offered: it would block ${v.newly_blocked} request(s) the web ACL let through`;
  if (v.pattern_still_blocked) return `not offered: ${v.pattern_still_blocked} of the pattern's ${expected} requests stay blocked (another rule blocks them too)`;
  return `not offered: it unblocks ${v.unblocked} of the pattern's ${expected} requests`;
}

/** The web ACLs of the configuration, by address; the logged side is `before` where the plan has it. */
function aclsOf(model: Model | null): Map<string, AclConfig> {
  const out = new Map<string, AclConfig>();
  for (const r of model?.resources ?? []) {
    if (r.type !== "aws_wafv2_web_acl") continue;
    const acl = aclFromModel(model!, r.address, r.before ? "before" : "after");
    if (acl) out.set(r.address, acl);
  }
  return out;
}

/** A record's webaclId → the configured web ACL's address: by ARN, else by name and scope. */
function aclMatcher(acls: Map<string, AclConfig>): (webaclId: string) => string | null {
  const cache = new Map<string, string | null>();
  return (id) => {
    if (cache.has(id)) return cache.get(id)!;
    const parsed = parseWebAclArn(id);
    let found: string | null = null;
    for (const acl of acls.values()) if (acl.arn === id) found = acl.address;
    if (!found && parsed) {
      const byName = [...acls.values()].filter((a) => a.name === parsed.name && a.scope === parsed.scope);
      if (byName.length === 1) found = byName[0].address;
    }
    if (cache.size < 10_000) cache.set(id, found);
    return found;
  };
}

function writeException(p: LogsPattern, change: ExceptionChange, acl: AclConfig, model: Model | null, mode: ExceptionMode): PatternException {
  const location = ruleLocation(model, acl, change.aclRule);
  const rule = rulesOf(acl.values).find((r) => r.name === change.aclRule)!;
  if (change.kind === "rate-limit") {
    const why = `${RATE_KEY_SUBJECTS[change.keyType] ?? `the busiest ${change.keyType} key`} sent ${change.peak} requests within ${change.windowSec} s; ${RATE_MARGIN * 100}% above that`;
    const out: PatternException = {
      hcl: [`# Rule "${change.aclRule}", rate_based_statement (it covers every pattern this rule blocked): ${why}`, `limit = ${change.limit}`].join("\n"),
      // The construct and the module count per IP over 5 minutes: their prop is the same limit only for that.
      ...(change.windowSec === 300 && change.keyType === "IP" ? { cdktf: `rateLimit: ${change.limit}, // ${why}`, module: `rate_limit = ${change.limit} # ${why}` } : {}),
    };
    if (location) out.location = location;
    return out;
  }
  if (change.kind === "ip-set") {
    const set = acl.ipSets.get(change.ipSet) ?? {};
    const what = change.remove.length ? `without ${change.remove.join(", ")} (the entries holding these clients)` : `with the ${change.add.length} client(s) added`;
    const out: PatternException = { hcl: [`# ${change.ipSet}: addresses ${what}`, `addresses = ${JSON.stringify(ipSetAddresses(set, change)).replace(/","/g, '", "')}`].join("\n") };
    const at = model?.resources.find((r) => r.address === change.ipSet)?.source;
    if (at?.line) out.location = { file: at.file, line: at.line };
    return out;
  }
  if (change.kind === "managed-sub-rule") {
    const hcl = [
      `# In rule "${change.aclRule}", managed_rule_group_statement "${change.exception.ruleGroup}":`,
      ...renderBlock("rule_action_override", countOverride(change.exception.rule), ""),
      `# After rule "${change.aclRule}":`,
      ...exceptionRules(rule, [change.exception], mode, subRuleActions([change])).flatMap((r) => renderBlock("rule", r, "")),
    ].join("\n");
    const out: PatternException = { hcl, cdktf: cdktfProps([change.exception]), module: moduleInput([change.exception]), waf_exception: change.exception };
    if (location) out.location = location;
    return out;
  }
  const statement = (rule.statement as Array<Record<string, unknown>>)[0] ?? {};
  const hcl = [`# Rule "${change.aclRule}": its statement, narrowed`, ...renderBlock("statement", narrowedStatement(statement, [{ method: p.method, path: p.path }]), "")].join("\n");
  return location ? { hcl, location } : { hcl };
}

/** Where the rule is written: its own line in the web ACL's .tf block, else the block's. */
function ruleLocation(model: Model | null, acl: AclConfig, rule: string): { file: string; line: number } | undefined {
  const source = model?.resources.find((r) => r.address === acl.address)?.source;
  if (!source?.line) return undefined;
  if (!source.file.endsWith(".tf")) return { file: source.file, line: source.line };
  let text: string;
  try {
    text = readFileSync(source.file, "utf8");
  } catch {
    return { file: source.file, line: source.line };
  }
  return { file: source.file, line: ruleLine(text, source.line, rule) ?? source.line };
}

/** All offered exceptions of one web ACL as a diff of its .tf file (and its IP sets' files), when the source is known. */
function aclDiff(model: Model, acl: AclConfig, changes: ExceptionChange[], mode: ExceptionMode, patterns: LogsPattern[]): string | null {
  const resource = model.resources.find((r) => r.address === acl.address);
  const source = resource?.source;
  if (!source?.line || !source.file.endsWith(".tf")) return null;
  const note = (aclRule: string, subRule: string | null) => {
    const ps = patterns.filter((p) => p.rule === aclRule && (subRule === null || p.managed_rule === subRule));
    const scopes = ps.map((p) => `${p.method} ${p.path}`).join(", ");
    return `wafguard logs: exception for ${scopes} (${ps.reduce((n, p) => n + p.requests, 0)} logged requests, verified by replay)${mode === "count" ? "; in count first" : ""}`;
  };
  const files = new Map<string, { text: string; edits: Edit[] }>();
  const fileOf = (file: string) => files.get(file) ?? files.set(file, { text: readFileSync(file, "utf8"), edits: [] }).get(file)!;
  const aclFile = fileOf(source.file);
  aclFile.edits.push(...exceptionEdits(aclFile.text, source.line, acl.values, changes, mode, note));
  for (const c of changes) {
    if (c.kind !== "ip-set") continue;
    const at = model.resources.find((r) => r.address === c.ipSet)?.source;
    if (!at?.line || !at.file.endsWith(".tf")) throw new PatchError(`the IP set ${c.ipSet} is not in a .tf file that wafguard read`);
    const f = fileOf(at.file);
    f.edits.push(ipSetEdit(f.text, at.line, ipSetAddresses(acl.ipSets.get(c.ipSet) ?? {}, c)));
  }
  return [...files].sort(([a], [b]) => a.localeCompare(b)).map(([file, f]) => unifiedDiff(file.replace(/\\/g, "/"), f.text, f.edits.sort((a, b) => a.start - b.start))).join("");
}
