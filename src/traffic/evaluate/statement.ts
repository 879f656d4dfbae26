/**
 * Rule statements compiled to functions of a logged request (AWS WAF Developer Guide, "Rule statements",
 * "Request components", "Oversize handling for request components"). Each returns YES, NO or UNKNOWN; UNKNOWN
 * records why on the request (a body that is not logged, a redacted field, a detection AWS does not publish).
 * Rule-level statements (rate-based, rule groups) are in index.ts.
 */

import ipaddr from "ipaddr.js";
import { bodyInspectionLimits, first, type AclConfig } from "../acl";
import { compilePcre, type Pcre } from "./regex";
import { compileTransforms, toBinary } from "./transform";
import { isRedacted, LabelMatcher, NO, Request, UNKNOWN, YES, type Match } from "./request";

export type Compiled = ((req: Request) => Match) & {
  /** What the statement does to the request when an and/or skips it (geo match: its labels become "maybe"). */
  skipped?: (req: Request) => void;
};
type Values = string[] | Match;

export interface StatementContext {
  acl: AclConfig;
  /** Indexed attribute path of the statement (`rule.0.statement.0`), to resolve references through edges. */
  path: string;
  /** What the log says of this rule's match in the logged ACL, for what AWS does not publish (SQLi/XSS). */
  logged: ((req: Request) => Match) | null;
  /** No not/or above: a logged match of the rule implies this statement matched. */
  positive: boolean;
  /** The rule's whole statement: a logged no-match of the rule is a no-match of this statement. */
  whole: boolean;
  /** Label prefix of the rule's context (`awswaf:<account>:webacl:<name>:`, or `...:rulegroup:<name>:`). */
  labelPrefix: string;
  /**
   * AWS evaluates this statement whenever it evaluates the rule (the rule's or a scope-down's statement, or
   * under not_statement only); a part of and/or may be skipped once the outcome is known.
   */
  reached?: boolean;
}

/** Web requests' headers and cookies: AWS inspects the first 8 KB and the first 200 of them. */
const HEADERS_LIMIT_BYTES = 8 * 1024;
const HEADERS_LIMIT_COUNT = 200;

type Obj = Record<string, unknown>;
const blocks = (v: Obj | undefined, key: string): Obj[] => {
  const b = v?.[key];
  return Array.isArray(b) ? (b.filter((x) => x !== null && typeof x === "object") as Obj[]) : b !== null && typeof b === "object" ? [b as Obj] : [];
};
const str = (v: unknown): string => (typeof v === "string" ? v : "");

export function compileStatement(statement: Obj | undefined, ctx: StatementContext): Compiled {
  if (!statement) return (req) => req.uncertain("empty statement");
  const at = (key: string, i = 0): string => `${ctx.path}.${key}.${i}`;
  for (const [key, value] of Object.entries(statement)) {
    const body = Array.isArray(value) ? (value[0] as Obj | undefined) : (value as Obj | undefined);
    if (!body || typeof body !== "object") continue;
    const sub = (k: string, positive: boolean, i = 0): StatementContext => ({ ...ctx, path: `${at(key)}.${k}.${i}`, positive, whole: false, reached: ctx.reached !== false && key === "not_statement" });
    switch (key) {
      case "and_statement":
      case "or_statement": {
        const and = key === "and_statement";
        const parts = blocks(body, "statement").map((s, i) => compileStatement(s, sub("statement", and && ctx.positive, i)));
        const stop = and ? NO : YES;
        const skips = parts.some((p) => p.skipped);
        const fn: Compiled = (req) => {
          let r: Match = and ? YES : NO;
          for (let i = 0; i < parts.length; i++) {
            const m = parts[i]!(req);
            if (m === stop) {
              if (skips) for (let j = i + 1; j < parts.length; j++) parts[j]!.skipped?.(req);
              return stop;
            }
            if (m === UNKNOWN) r = UNKNOWN;
          }
          return r;
        };
        if (skips) fn.skipped = (req) => parts.forEach((p) => p.skipped?.(req));
        return fn;
      }
      case "not_statement": {
        const inner = compileStatement(blocks(body, "statement")[0], sub("statement", false));
        const fn: Compiled = (req) => {
          const m = inner(req);
          return m === UNKNOWN ? UNKNOWN : m === YES ? NO : YES;
        };
        if (inner.skipped) fn.skipped = inner.skipped;
        return fn;
      }
      case "byte_match_statement":
        return byteMatch(body, { ...ctx, path: at(key) });
      case "regex_match_statement":
        return regexMatch(body, [str(body.regex_string)], { ...ctx, path: at(key) });
      case "regex_pattern_set_reference_statement": {
        const set = resolve(ctx.acl.regexPatternSets, ctx.acl, str(body.arn), `${at(key)}.arn`);
        if (!set) return (req) => req.uncertain("regex pattern set not in the plan");
        return regexMatch(body, blocks(set, "regular_expression").map((r) => str(r.regex_string)), { ...ctx, path: at(key) });
      }
      case "size_constraint_statement":
        return sizeConstraint(body, { ...ctx, path: at(key) });
      case "ip_set_reference_statement": {
        const set = resolve(ctx.acl.ipSets, ctx.acl, str(body.arn), `${at(key)}.arn`);
        if (!set) return (req) => req.uncertain("IP set not in the plan");
        return ipSetMatch(set, first(body, "ip_set_forwarded_ip_config"), ctx);
      }
      case "geo_match_statement":
        return geoMatch(body, ctx);
      case "label_match_statement": {
        const m = new LabelMatcher(str(body.key), body.scope === "NAMESPACE", ctx.labelPrefix);
        return (req) => req.hasLabel(m);
      }
      case "sqli_match_statement":
      case "xss_match_statement":
        return fromLog(ctx, key === "sqli_match_statement" ? "SQL injection detection cannot be reproduced" : "XSS detection cannot be reproduced");
      case "asn_match_statement":
        return fromLog(ctx, "ASN of the client is not logged");
      case "rate_based_statement":
      case "managed_rule_group_statement":
      case "rule_group_reference_statement":
        return (req) => req.uncertain(`${key} nested in a statement`);
    }
  }
  return (req) => req.uncertain(`statement type not known to wafguard (${Object.keys(statement).join(", ")})`);
}

/** AWS does not publish it: the match comes from the log when this rule's logged outcome tells, else UNKNOWN. */
function fromLog(ctx: StatementContext, why: string): Compiled {
  const { logged, positive, whole } = ctx;
  return (req) => {
    if (logged) {
      const m = logged(req);
      // A logged match of the rule implies every positive conjunct matched; a logged no-match decides
      // only when this statement is the whole rule.
      if (m === YES && positive) return YES;
      if (m === NO && whole) return NO;
    }
    return req.uncertain(why);
  };
}

function resolve(map: Map<string, Obj>, acl: AclConfig, arn: string, path: string): Obj | undefined {
  if (arn && map.has(arn)) return map.get(arn);
  const to = acl.references.get(path);
  return to ? map.get(to) : undefined;
}

/** The values of one request component, or a direct outcome (oversize handling, not logged, redacted). */
function compileField(ftm: Obj | undefined, ctx: StatementContext): (req: Request) => Values {
  const [kind, raw] = Object.entries(ftm ?? {}).find(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== null && typeof v === "object")) ?? [];
  const opts = (Array.isArray(raw) ? raw[0] : raw) as Obj | undefined;
  const redacted = (what: string) => (v: string, req: Request): string[] | Match => (isRedacted(v) ? req.uncertain(`${what} redacted in the log`) : [v]);
  switch (kind) {
    case "uri_path":
      return (req) => redacted("URI path")(req.uri, req);
    case "query_string":
      return (req) => redacted("query string")(req.args, req);
    case "method":
      return (req) => redacted("method")(req.method, req);
    case "single_header": {
      const name = str(opts?.name);
      return (req) => {
        const v = req.header(name);
        return v.some(isRedacted) ? req.uncertain(`header ${name} redacted in the log`) : v;
      };
    }
    case "single_query_argument": {
      const name = str(opts?.name).toLowerCase();
      return (req) => {
        if (isRedacted(req.args)) return req.uncertain("query string redacted in the log");
        return req.queryArgs().filter((a) => a.name.toLowerCase() === name).map((a) => a.value);
      };
    }
    case "all_query_arguments":
      return (req) => (isRedacted(req.args) ? req.uncertain("query string redacted in the log") : req.queryArgs().map((a) => a.value));
    case "headers":
    case "cookies":
      return multiField(kind, opts);
    case "body":
    case "json_body": {
      const oversize = str(opts?.oversize_handling) || "CONTINUE";
      const limits = bodyInspectionLimits(ctx.acl);
      return (req) => {
        const size = req.record.requestBodySize;
        if (typeof size === "number" && oversize !== "CONTINUE") {
          const lims = limits(req.record.httpSourceName);
          let over = 0;
          for (const l of lims) if (size > l) over++;
          if (over === lims.length) return oversize === "MATCH" ? YES : NO;
          if (over > 0) return req.uncertain("body inspection limit of the resource type not known (httpSourceName)");
        }
        if (size === 0 && kind === "body") return [""];
        return req.uncertain("body not logged");
      };
    }
    case "header_order":
      return (req) => [req.headers().map((h) => h.name).join(":")];
    case "ja3_fingerprint":
    case "ja4_fingerprint": {
      const field = kind === "ja3_fingerprint" ? "ja3Fingerprint" : "ja4Fingerprint";
      return (req) => {
        const v = (req.record as unknown as Obj)[field];
        return typeof v === "string" ? [v] : req.uncertain(`${kind === "ja3_fingerprint" ? "JA3" : "JA4"} fingerprint not logged`);
      };
    }
    default:
      return (req) => req.uncertain(`request component ${kind ?? "(none)"} not logged`);
  }
}

/** All headers or cookies, filtered by match_pattern, by key, value or both (match_scope). */
function multiField(kind: "headers" | "cookies", opts: Obj | undefined): (req: Request) => Values {
  const pattern = first(opts, "match_pattern");
  const all = blocks(pattern, "all").length > 0 || !pattern;
  const listOf = (k: string): Set<string> | null => {
    const v = pattern?.[k];
    return Array.isArray(v) ? new Set(v.map((x) => (kind === "headers" ? String(x).toLowerCase() : String(x)))) : null;
  };
  const included = all ? null : listOf(kind === "headers" ? "included_headers" : "included_cookies");
  const excluded = all ? null : listOf(kind === "headers" ? "excluded_headers" : "excluded_cookies");
  const scope = str(opts?.match_scope) || "ALL";
  const oversize = str(opts?.oversize_handling) || "CONTINUE";
  return (req) => {
    const items = kind === "headers" ? req.headers().map((h) => ({ name: h.name, key: h.lname, value: h.value })) : req.cookies().map((c) => ({ name: c.name, key: c.name, value: c.value }));
    let bytes = 0;
    for (const i of items) bytes += i.name.length + i.value.length + 4;
    if (bytes > HEADERS_LIMIT_BYTES || items.length > HEADERS_LIMIT_COUNT) {
      if (oversize === "MATCH") return YES;
      if (oversize === "NO_MATCH") return NO;
      return req.uncertain(`${kind} over AWS's inspection limit (8 KB or 200)`);
    }
    const out: string[] = [];
    for (const i of items) {
      if (included && !included.has(i.key)) continue;
      if (excluded && excluded.has(i.key)) continue;
      if (scope !== "KEY" && isRedacted(i.value)) return req.uncertain(`${kind === "headers" ? "header" : "cookie"} ${i.name} redacted in the log`);
      if (scope !== "VALUE") out.push(i.name);
      if (scope !== "KEY") out.push(i.value);
    }
    return out;
  };
}

function anyValue(field: (req: Request) => Values, transforms: unknown, test: (v: string) => boolean): Compiled {
  const t = compileTransforms(transforms);
  if (t.unknown) {
    const why = `text transformation ${t.unknown} not known to wafguard`;
    return (req) => req.uncertain(why);
  }
  const fn = t.fn;
  if (t.alt) {
    // A transformation that AWS's description and common implementations read differently (transform.ts).
    const alt = t.alt.fn;
    const why = `text transformation ${t.alt.types}: the outcome depends on a detail AWS does not document`;
    return (req) => {
      const values = field(req);
      if (typeof values === "number") return values;
      let differs = false;
      for (const v of values) {
        const x = fn(v);
        const y = alt(v);
        const r = test(x);
        const r2 = y === x ? r : test(y);
        if (r && r2) return YES;
        if (r !== r2) differs = true;
      }
      return differs ? req.uncertain(why) : NO;
    };
  }
  return (req) => {
    const values = field(req);
    if (typeof values === "number") return values;
    for (const v of values) if (test(fn(v))) return YES;
    return NO;
  };
}

function byteMatch(body: Obj, ctx: StatementContext): Compiled {
  const search = toBinary(str(body.search_string));
  const position = str(body.positional_constraint) || "CONTAINS";
  let test: (v: string) => boolean;
  switch (position) {
    case "EXACTLY":
      test = (v) => v === search;
      break;
    case "STARTS_WITH":
      test = (v) => v.startsWith(search);
      break;
    case "ENDS_WITH":
      test = (v) => v.endsWith(search);
      break;
    case "CONTAINS_WORD":
      test = (v) => containsWord(v, search);
      break;
    default:
      test = (v) => v.includes(search);
  }
  return anyValue(compileField(first(body, "field_to_match"), ctx), body.text_transformation, test);
}

const WORD = /[A-Za-z0-9_]/;
/** The search string with a non-word character (or the value's edge) on each side. */
function containsWord(v: string, search: string): boolean {
  for (let i = v.indexOf(search); i >= 0; i = v.indexOf(search, i + 1)) {
    const before = i === 0 || !WORD.test(v[i - 1]!);
    const after = i + search.length === v.length || !WORD.test(v[i + search.length]!);
    if (before && after) return true;
  }
  return false;
}

/** Regex match and regex pattern set: PCRE patterns run by a linear-time engine (regex.ts). */
function regexMatch(body: Obj, patterns: string[], ctx: StatementContext): Compiled {
  const res = patterns.map((p) => compilePcre(toBinary(p)));
  const bad = res.find((r): r is string => typeof r === "string");
  if (bad !== undefined) return (req) => req.uncertain(bad);
  const regexes = res as Pcre[];
  const one = regexes.length === 1 ? regexes[0]! : null;
  // A value on which the engines may differ (regex.ts, `sensitive`) makes the statement uncertain, unless another
  // pattern or value matches for sure.
  let unsure = false;
  const test = one
    ? (v: string) => {
        const r = one.test(v);
        if (r === null) unsure = true;
        return r === true;
      }
    : (v: string) => {
        for (const re of regexes) {
          const r = re.test(v);
          if (r === true) return true;
          if (r === null) unsure = true;
        }
        return false;
      };
  const inner = anyValue(compileField(first(body, "field_to_match"), ctx), body.text_transformation, test);
  const why = "regex: PCRE and the linear-time engine may differ on this value (Latin-1 letters under (?i), or a vertical tab)";
  return (req) => {
    unsure = false;
    const m = inner(req);
    return m === NO && unsure ? req.uncertain(why) : m;
  };
}

function sizeConstraint(body: Obj, ctx: StatementContext): Compiled {
  const size = Number(body.size ?? 0);
  const op = str(body.comparison_operator);
  const cmp: (n: number) => boolean =
    op === "EQ" ? (n) => n === size : op === "NE" ? (n) => n !== size : op === "LE" ? (n) => n <= size : op === "LT" ? (n) => n < size : op === "GE" ? (n) => n >= size : (n) => n > size;
  const ftm = first(body, "field_to_match");
  const bodyOpts = first(ftm, "body") ?? first(ftm, "json_body");
  const t = compileTransforms(body.text_transformation);
  const plainSize = !t.unknown && (!Array.isArray(body.text_transformation) || (body.text_transformation as Obj[]).every((x) => x.type === "NONE"));
  if (bodyOpts && first(ftm, "body") && plainSize) {
    // The body's size is logged (requestBodySize): AWS measures what it inspects, at most the limit.
    const oversize = str(bodyOpts.oversize_handling) || "CONTINUE";
    const limits = bodyInspectionLimits(ctx.acl);
    const at = (n: number, limit: number): Match => (n <= limit ? (cmp(n) ? YES : NO) : oversize === "MATCH" ? YES : oversize === "NO_MATCH" ? NO : cmp(limit) ? YES : NO);
    return (req) => {
      const n = req.record.requestBodySize;
      if (typeof n !== "number") return req.uncertain("body size not logged");
      const lims = limits(req.record.httpSourceName);
      const r = at(n, lims[0]!);
      for (let i = 1; i < lims.length; i++) if (at(n, lims[i]!) !== r) return req.uncertain("body inspection limit of the resource type not known (httpSourceName)");
      return r;
    };
  }
  return anyValue(compileField(ftm, ctx), body.text_transformation, (v) => cmp(v.length));
}

interface Cidrs {
  v4: Array<[number, number]>;
  v6: Array<[ipaddr.IPv6, number]>;
}

function parseCidrs(addresses: unknown): Cidrs {
  const out: Cidrs = { v4: [], v6: [] };
  for (const a of Array.isArray(addresses) ? addresses : []) {
    try {
      const [addr, bits] = ipaddr.parseCIDR(String(a));
      if (addr.kind() === "ipv4") {
        const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
        out.v4.push([(v4int(addr as ipaddr.IPv4) & mask) >>> 0, mask]);
      } else out.v6.push([addr as ipaddr.IPv6, bits]);
    } catch {
      // An invalid address matches nothing in AWS either (WG201 reports it).
    }
  }
  return out;
}

const v4int = (a: ipaddr.IPv4): number => ((a.octets[0]! << 24) | (a.octets[1]! << 16) | (a.octets[2]! << 8) | a.octets[3]!) >>> 0;

/** Dotted-quad IPv4 to a 32-bit number without allocating (client IPs are mostly IPv4); -1 if not one. */
function fastV4(ip: string): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      n = n * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      if (part > 255 || (digits === 1 && part < 10 && ip.charCodeAt(i - 1) === 48)) return -1;
      digits++;
    } else return -1;
  }
  return dots === 3 && digits > 0 ? (n * 256 + part) >>> 0 : -1;
}

/** A well-formed IPv4 (dotted quad) or IPv6 address; ipaddr.js alone also takes forms like 0x7f.1. */
export function isIpAddress(ip: string): boolean {
  return fastV4(ip) >= 0 || (ip.includes(":") && ipaddr.IPv6.isValid(ip));
}

/** Whether the address is in the CIDRs; null when it is not an IP address (malformed). */
function inCidrs(ip: string, c: Cidrs): boolean | null {
  const v4 = fastV4(ip);
  if (v4 >= 0) {
    for (const [net, mask] of c.v4) if (((v4 & mask) >>> 0) === net) return true;
    return false;
  }
  if (!ip.includes(":") || !ipaddr.IPv6.isValid(ip)) return null;
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(ip);
  } catch {
    return null;
  }
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
  if (addr.kind() === "ipv4") {
    const n = v4int(addr as ipaddr.IPv4);
    for (const [net, mask] of c.v4) if (((n & mask) >>> 0) === net) return true;
    return false;
  }
  for (const [net, bits] of c.v6) if ((addr as ipaddr.IPv6).match(net, bits)) return true;
  return false;
}

/**
 * Forwarded IP (AWS WAF Developer Guide, "Forwarded IP address",
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-forwarded-ip-address.html): "If the
 * header that you specify isn't present in a request, AWS WAF doesn't apply the rule to the request at all ...
 * and doesn't apply the fallback behavior": no match where the statement's no-match is the rule's (a positive
 * part of it); under or/not what "not applying the rule" makes of the statement is not documented (uncertain).
 */
function headerAbsent(req: Request, header: string, ctx: StatementContext): Match {
  return ctx.positive ? NO : req.uncertain(`forwarded IP header ${header} absent: AWS does not apply the rule, inside or/not the outcome is not documented`);
}

function ipSetMatch(set: Obj, forwarded: Obj | undefined, ctx: StatementContext): Compiled {
  const cidrs = parseCidrs(set.addresses);
  if (!forwarded) {
    return (req) => {
      const r = inCidrs(req.record.httpRequest.clientIp, cidrs);
      return r === null ? req.uncertain("client IP not an IP address") : r ? YES : NO;
    };
  }
  const header = str(forwarded.header_name);
  const fallback = str(forwarded.fallback_behavior) === "MATCH" ? YES : NO;
  const position = str(forwarded.position) || "FIRST";
  return (req) => {
    const values = req.header(header);
    if (values.some(isRedacted)) return req.uncertain(`header ${header} redacted in the log`);
    if (values.length === 0) return headerAbsent(req, header, ctx);
    const ips = values.join(",").split(",").map((s) => s.trim()).filter((s) => s !== "");
    // "If you specify any, AWS WAF inspects all addresses in the header for a match, up to 10 addresses. If the
    // header contains more than 10 addresses, AWS WAF inspects the last 10." Malformed addresses: the fallback.
    const chosen = position === "ANY" ? ips.slice(-10) : position === "LAST" ? ips.slice(-1) : ips.slice(0, 1);
    if (chosen.length === 0) return fallback;
    let matched = false;
    let malformed = 0;
    for (const ip of chosen) {
      const r = inCidrs(ip, cidrs);
      if (r === true) matched = true;
      else if (r === null) malformed++;
    }
    if (malformed === 0) return matched ? YES : NO;
    if (malformed === chosen.length) return fallback;
    // Some of the addresses malformed: whether AWS then applies the fallback or inspects the others is not documented.
    if ((matched ? YES : NO) === fallback) return fallback;
    return req.uncertain(`header ${header}: some addresses malformed, the fallback behavior may apply`);
  };
}

/**
 * Geo match (AWS WAF Developer Guide, "Geographic match rule statement",
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-geo-match.html): "The geo match
 * statement adds country and region labels to all requests that it inspects, regardless of whether it finds a
 * match": awswaf:clientip:geo:country:<CC> and awswaf:clientip:geo:region:<CC>-<RR> (forwardedip for a forwarded
 * IP). The country is the record's; the region only the record's labels show (else any region label is
 * "maybe"); a forwarded IP's labels are all "maybe". Labels of a statement that AWS may skip (inside and/or) are
 * "maybe" too.
 */
function geoMatch(body: Obj, ctx: StatementContext): Compiled {
  const codes = new Set((Array.isArray(body.country_codes) ? body.country_codes : []).map(String));
  const forwarded = first(body, "forwarded_ip_config");
  const definite = ctx.reached !== false;
  if (!forwarded) {
    const labelsOn = (req: Request, labels: Set<string>): string | null => {
      const c = req.record.httpRequest.country;
      const known = !!c && c !== "-";
      if (known) labels.add(countryLabel(c));
      else req.maybeLabels.add(CLIENT_COUNTRY);
      const region = req.record.labels?.find((l) => l.name.startsWith(CLIENT_REGION) && (!known || l.name.startsWith(c + "-", CLIENT_REGION.length)));
      if (region) labels.add(region.name);
      else req.maybeLabels.add(CLIENT_REGION);
      return known ? c : null;
    };
    const fn: Compiled = (req) => {
      const c = labelsOn(req, definite ? req.labels : req.maybeLabels);
      if (c === null) return req.uncertain("country not logged");
      return codes.has(c) ? YES : NO;
    };
    fn.skipped = (req) => void labelsOn(req, req.maybeLabels);
    return fn;
  }
  const header = str(forwarded.header_name);
  const fallback = str(forwarded.fallback_behavior) === "MATCH" ? YES : NO;
  const skipped = (req: Request) => void req.maybeLabels.add("awswaf:forwardedip:geo:");
  const fn: Compiled = (req) => {
    skipped(req);
    const values = req.header(header);
    if (values.some(isRedacted)) return req.uncertain(`header ${header} redacted in the log`);
    if (values.length === 0) return headerAbsent(req, header, ctx);
    // Geo match uses the first address in the header; a malformed one gets the fallback behavior.
    if (!isIpAddress(values[0]!.split(",")[0]!.trim())) return fallback;
    // The log has the country of the client IP only; the forwarded address's country needs a geo database.
    return req.uncertain(`country of the forwarded IP (${header}) not logged`);
  };
  fn.skipped = skipped;
  return fn;
}

const CLIENT_COUNTRY = "awswaf:clientip:geo:country:";
const CLIENT_REGION = "awswaf:clientip:geo:region:";
const countryLabels = new Map<string, string>();
const countryLabel = (c: string): string => {
  let l = countryLabels.get(c);
  if (l === undefined) {
    l = CLIENT_COUNTRY + c;
    // ISO 3166 alpha-2 codes only (a bounded set); anything else a log holds is not kept.
    if (/^[A-Z]{2}$/.test(c)) countryLabels.set(c, l);
  }
  return l;
};
