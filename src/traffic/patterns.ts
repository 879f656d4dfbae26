/**
 * What the web ACL blocked, grouped: by web ACL, terminating rule, managed sub-rule, action, method and
 * route, with the signals a person weighs during a 403 storm (legitimate-looking vs attack-looking),
 * side by side and never turned into a verdict. One pass, bounded memory: distinct sets are capped
 * (the caps are exported and reported), and patterns beyond MAX_PATTERNS fold into one per rule.
 */
import type { WafLogRecord } from "./log-record";
import type { RouteTable } from "./routes";

export const MAX_PATTERNS = 2000;
export const MAX_CLIENTS_PER_PATTERN = 10_000;
export const MAX_TRACKED_CLIENTS = 200_000;
/** A client whose blocked requests hit this many distinct routes is probing. */
export const PROBING_PATHS = 5;
/** The path of the pattern that holds what did not fit under MAX_PATTERNS. */
export const OTHER_PATHS = "(other paths)";

const BLOCKING = new Set(["BLOCK", "CAPTCHA", "CHALLENGE"]);

export interface PatternKey {
  web_acl: string;
  rule: string;
  rule_type: string;
  /** The managed rule group's ID as logged (`AWS#AWSManagedRulesCommonRuleSet`), for group patterns. */
  rule_group: string | null;
  managed_rule: string | null;
  action: string;
  method: string;
  path: string;
}

export interface Signal {
  name: string;
  leans: "legitimate" | "attack";
  /** Requests (or clients, for the client signals) of the pattern that show it. */
  count: number;
  of: "requests" | "clients";
  detail: string;
}

export interface Pattern extends PatternKey {
  requests: number;
  clients: number;
  /** `clients` is a lower bound: more distinct clients than MAX_CLIENTS_PER_PATTERN. */
  clients_capped: boolean;
  /** The distinct client IPs (up to MAX_CLIENTS_PER_PATTERN), for IP-set exceptions. Not reported. */
  client_ips: ReadonlySet<string>;
  share: number;
  first_seen: string;
  last_seen: string;
  defined_route: boolean;
  /** The label the managed sub-rule added, as logged (`awswaf:managed:aws:core-rule-set:SizeRestrictions_Body`). */
  label: string | null;
  signals: Signal[];
}

export interface PatternSummary {
  records: number;
  from: string | null;
  to: string | null;
  blocked: number;
  actions: Record<string, number>;
  patterns: Pattern[];
  /** What the caps cut, in words, so the report can say so. */
  notes: string[];
}

/** A web ACL record → the name patterns show for it (the configuration's address when known). */
export type AclNamer = (webaclId: string) => string;

/** The pattern a logged request belongs to, or null when the ACL let it through. */
export function patternKeyOf(record: WafLogRecord, routes: RouteTable, aclName: AclNamer): PatternKey | null {
  if (!BLOCKING.has(record.action)) return null;
  const group = record.ruleGroupList?.find((g) => g.terminatingRule);
  const managed = record.terminatingRuleType === "MANAGED_RULE_GROUP" || record.terminatingRuleType === "GROUP";
  return {
    web_acl: aclName(record.webaclId),
    rule: record.terminatingRuleId,
    rule_type: record.terminatingRuleType,
    rule_group: managed && group ? group.ruleGroupId : null,
    managed_rule: managed && group?.terminatingRule ? group.terminatingRule.ruleId : null,
    action: record.action,
    method: record.httpRequest.httpMethod || "", // as logged: WAF matches the method byte for byte
    path: routes.routeOf(record.httpRequest.uri || "/").path,
  };
}

export function keyString(k: PatternKey): string {
  return [k.web_acl, k.rule, k.rule_group ?? "", k.managed_rule ?? "", k.action, k.method, k.path].join("\u0000");
}

/** The label a managed sub-rule added: the logged label whose last part names the sub-rule (AWS's case may differ). */
export function subRuleLabel(record: WafLogRecord, subRule: string): string | null {
  const want = (LABEL_NAMES[subRule] ?? subRule).toLowerCase();
  const found = record.labels?.find((l) => l.name.startsWith("awswaf:managed:") && l.name.toLowerCase().endsWith(`:${want}`));
  return found?.name ?? null;
}

/**
 * Sub-rules whose label does not end in the rule's own name (AWS WAF Developer Guide, "Baseline rule
 * groups": UserAgent_BadBots_HEADER labels awswaf:managed:aws:core-rule-set:BadBots_Header).
 */
const LABEL_NAMES: Record<string, string> = { UserAgent_BadBots_HEADER: "BadBots_Header" };

const SCANNER_AGENT = /sqlmap|nikto|nmap|masscan|zgrab|nuclei|gobuster|dirbuster|dirb\b|wpscan|acunetix|nessus|openvas|ffuf|feroxbuster|whatweb|wfuzz|burp|zaproxy|jaeles|arachni/i;
const ORDINARY_AGENT = /^Mozilla\/|aws-sdk|Boto3|botocore|okhttp|axios|Go-http-client|Apache-HttpClient|node-fetch|undici|Dalvik|CFNetwork|Dart\/|Java\/|\bPostmanRuntime/i;
/** Managed sub-rules and groups whose job is attack signatures: SQLi, XSS, LFI/RFI, known bad inputs, Log4j. */
const ATTACK_RULE = /sqli|crosssitescripting|xss|lfi|rfi|knownbadinputs|log4j|exploitablepaths|unixshell|windowsshell|php/i;

interface Accumulator {
  key: PatternKey;
  requests: number;
  clients: Set<string>;
  clientsCapped: boolean;
  first: number;
  last: number;
  defined: boolean;
  label: string | null;
  authenticated: number;
  ordinaryAgent: number;
  noAgent: number;
  scannerAgent: number;
  attackRule: number;
}

export class PatternCollector {
  private readonly patterns = new Map<string, Accumulator>();
  private readonly allowedClients = new Set<string>();
  private allowedClientsCapped = false;
  /** Distinct blocked routes per client, up to PROBING_PATHS. */
  private readonly blockedPaths = new Map<string, Set<string>>();
  private blockedPathsCapped = false;
  private folded = 0;
  private records = 0;
  private blocked = 0;
  private from = Infinity;
  private to = -Infinity;
  private readonly actions: Record<string, number> = {};

  constructor(
    private readonly routes: RouteTable,
    private readonly aclName: AclNamer,
  ) {}

  add(record: WafLogRecord): void {
    this.records++;
    this.actions[record.action] = (this.actions[record.action] ?? 0) + 1;
    if (Number.isFinite(record.timestamp)) {
      this.from = Math.min(this.from, record.timestamp);
      this.to = Math.max(this.to, record.timestamp);
    }
    const ip = record.httpRequest.clientIp;
    const key = patternKeyOf(record, this.routes, this.aclName);
    if (!key) {
      if (record.action === "ALLOW" && !this.allowedClients.has(ip)) {
        if (this.allowedClients.size < MAX_TRACKED_CLIENTS) this.allowedClients.add(ip);
        else this.allowedClientsCapped = true;
      }
      return;
    }
    this.blocked++;
    this.trackProbing(ip, key.path);
    const acc = this.accumulatorFor(key, record);
    acc.requests++;
    if (!acc.clients.has(ip)) {
      if (acc.clients.size < MAX_CLIENTS_PER_PATTERN) acc.clients.add(ip);
      else acc.clientsCapped = true;
    }
    acc.first = Math.min(acc.first, record.timestamp);
    acc.last = Math.max(acc.last, record.timestamp);
    const agent = header(record, "user-agent");
    if (header(record, "authorization") !== undefined || header(record, "x-api-key") !== undefined) acc.authenticated++;
    if (agent === undefined || agent === "") acc.noAgent++;
    else if (SCANNER_AGENT.test(agent)) acc.scannerAgent++;
    else if (ORDINARY_AGENT.test(agent)) acc.ordinaryAgent++;
    if (ATTACK_RULE.test(`${key.rule_group ?? ""} ${key.managed_rule ?? ""} ${key.rule}`)) acc.attackRule++;
    if (acc.label === null && key.managed_rule) acc.label = subRuleLabel(record, key.managed_rule);
  }

  private accumulatorFor(key: PatternKey, record: WafLogRecord): Accumulator {
    let id = keyString(key);
    let acc = this.patterns.get(id);
    if (acc) return acc;
    if (this.patterns.size >= MAX_PATTERNS) {
      // Beyond the cap, a rule's further routes share one pattern: reported, never offered an exception.
      this.folded++;
      key = { ...key, method: "*", path: OTHER_PATHS };
      id = keyString(key);
      acc = this.patterns.get(id);
      if (acc) return acc;
    }
    const defined = key.path !== OTHER_PATHS && this.routes.routeOf(record.httpRequest.uri || "/").defined;
    acc = {
      key, requests: 0, clients: new Set(), clientsCapped: false, first: Infinity, last: -Infinity, defined, label: null,
      authenticated: 0, ordinaryAgent: 0, noAgent: 0, scannerAgent: 0, attackRule: 0,
    };
    this.patterns.set(id, acc);
    return acc;
  }

  private trackProbing(ip: string, route: string): void {
    let paths = this.blockedPaths.get(ip);
    if (!paths) {
      if (this.blockedPaths.size >= MAX_TRACKED_CLIENTS) {
        this.blockedPathsCapped = true;
        return;
      }
      paths = new Set();
      this.blockedPaths.set(ip, paths);
    }
    if (paths.size < PROBING_PATHS) paths.add(route);
  }

  summary(): PatternSummary {
    const total = this.records;
    const patterns = [...this.patterns.values()].map((a) => this.toPattern(a, total));
    patterns.sort((a, b) => b.requests - a.requests || keyString(a).localeCompare(keyString(b)));
    const notes: string[] = [];
    if (this.folded) notes.push(`more than ${MAX_PATTERNS} patterns: ${this.folded} requests of further routes are grouped under "${OTHER_PATHS}"`);
    if (patterns.some((p) => p.clients_capped)) notes.push(`distinct clients are counted up to ${MAX_CLIENTS_PER_PATTERN} per pattern ("≥")`);
    if (this.allowedClientsCapped || this.blockedPathsCapped) notes.push(`clients are tracked up to ${MAX_TRACKED_CLIENTS}: the allowed-client and probing signals are lower bounds`);
    return {
      records: total,
      from: Number.isFinite(this.from) ? new Date(this.from).toISOString() : null,
      to: Number.isFinite(this.to) ? new Date(this.to).toISOString() : null,
      blocked: this.blocked,
      actions: { ...this.actions },
      patterns,
      notes,
    };
  }

  private toPattern(a: Accumulator, total: number): Pattern {
    const clients = [...a.clients];
    const alsoAllowed = clients.filter((c) => this.allowedClients.has(c)).length;
    const probing = clients.filter((c) => (this.blockedPaths.get(c)?.size ?? 0) >= PROBING_PATHS).length;
    const signal = (name: string, leans: Signal["leans"], count: number, of: Signal["of"], detail: string): Signal => ({ name, leans, count, of, detail });
    return {
      ...a.key,
      requests: a.requests,
      clients: a.clients.size,
      clients_capped: a.clientsCapped,
      client_ips: a.clients,
      share: total ? a.requests / total : 0,
      first_seen: new Date(a.first).toISOString(),
      last_seen: new Date(a.last).toISOString(),
      defined_route: a.defined,
      label: a.label,
      signals: [
        signal("also_allowed", "legitimate", alsoAllowed, "clients", "clients that also made requests the ACL allowed"),
        signal("authenticated", "legitimate", a.authenticated, "requests", "requests with an Authorization or x-api-key header"),
        signal("ordinary_user_agent", "legitimate", a.ordinaryAgent, "requests", "browser or SDK user agents"),
        signal("defined_route", "legitimate", a.defined ? a.requests : 0, "requests", "a route the API defines"),
        signal("no_user_agent", "attack", a.noAgent, "requests", "no User-Agent header (health checkers do this too)"),
        signal("scanner_user_agent", "attack", a.scannerAgent, "requests", "scanner user agents (sqlmap, nikto, nuclei, ...)"),
        signal("attack_signature_rule", "attack", a.attackRule, "requests", "blocked by an attack-signature rule (SQLi, XSS, LFI, KnownBadInputs, Log4j)"),
        signal("probing_clients", "attack", probing, "clients", `clients blocked on ${PROBING_PATHS} or more distinct routes`),
      ],
    };
  }
}

function header(record: WafLogRecord, name: string): string | undefined {
  const headers = record.httpRequest.headers;
  if (!Array.isArray(headers)) return undefined;
  for (const h of headers) if (typeof h?.name === "string" && h.name.toLowerCase() === name) return String(h.value ?? "");
  return undefined;
}
