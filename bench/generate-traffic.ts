/**
 * Generates a traffic benchmark case: a plan whose web ACL has 6 rules (a rate-based rule, an IP-set allow,
 * CommonRuleSet moving from count phase to enforced, KnownBadInputs, a byte match and a geo match), and
 * gzip WAF logs of about `mb` MB uncompressed in the shape AWS writes (several gzip members per file, as
 * S3 and Firehose deliver them).
 */
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const ARN = "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/api/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
const IP_SET_ARN = "arn:aws:wafv2:us-east-1:111122223333:regional/ipset/office/1";
const FILE_MB = 64;
const MEMBER_MB = 4;

const act = (kind: string) => [{ allow: [], block: [], count: [], captcha: [], challenge: [], [kind]: [{}] }];
const group = (name: string, priority: number, vendorName: string, overrides: string[]) => ({
  name,
  priority,
  action: [],
  override_action: [{ count: [], none: [{}] }],
  statement: [{ managed_rule_group_statement: [{ name: vendorName, vendor_name: "AWS", version: null, rule_action_override: overrides.map((n) => ({ name: n, action_to_use: act("count") })), scope_down_statement: [] }] }],
  visibility_config: [{ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: name }],
  rule_label: [],
});
const rule = (name: string, priority: number, statement: object, kind = "block") => ({ name, priority, action: act(kind), override_action: [], statement: [statement], visibility_config: [{ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: name }], rule_label: [] });

function acl(enforced: boolean) {
  return {
    name: "api",
    scope: "REGIONAL",
    arn: ARN,
    default_action: act("allow"),
    rule: [
      rule("rate-per-ip", 0, { rate_based_statement: [{ limit: 2000, evaluation_window_sec: 300, aggregate_key_type: "IP", forwarded_ip_config: [], custom_key: [], scope_down_statement: [] }] }),
      rule("allow-office", 1, { ip_set_reference_statement: [{ arn: IP_SET_ARN, ip_set_forwarded_ip_config: [] }] }, "allow"),
      group("common", 2, "AWSManagedRulesCommonRuleSet", enforced ? ["SizeRestrictions_BODY"] : ["SizeRestrictions_BODY", "NoUserAgent_HEADER", "GenericLFI_QUERYARGUMENTS"]),
      group("known-bad-inputs", 3, "AWSManagedRulesKnownBadInputsRuleSet", []),
      rule("no-admin", 4, { byte_match_statement: [{ search_string: "/admin", positional_constraint: "STARTS_WITH", field_to_match: [{ uri_path: [{}] }], text_transformation: [{ priority: 0, type: "URL_DECODE" }, { priority: 1, type: "LOWERCASE" }] }] }),
      rule("geo-block", 5, { geo_match_statement: [{ country_codes: ["KP", "IR"], forwarded_ip_config: [] }] }),
    ],
    visibility_config: [{ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: "api" }],
  };
}

export function writeTrafficPlan(path: string): void {
  const change = (address: string, type: string, before: object, after: object) => ({
    address,
    mode: "managed",
    type,
    name: address.split(".")[1],
    provider_name: "registry.terraform.io/hashicorp/aws",
    change: { actions: ["update"], before, after, after_unknown: {}, before_sensitive: false, after_sensitive: {} },
  });
  const ipSet = { name: "office", scope: "REGIONAL", ip_address_version: "IPV4", arn: IP_SET_ARN, addresses: ["198.51.100.0/24"] };
  const plan = {
    format_version: "1.2",
    terraform_version: "1.9.5",
    resource_changes: [change("aws_wafv2_ip_set.office", "aws_wafv2_ip_set", ipSet, ipSet), change("aws_wafv2_web_acl.api", "aws_wafv2_web_acl", acl(false), acl(true))],
    configuration: { provider_config: { aws: { name: "aws", expressions: { region: { constant_value: "us-east-1" } } } }, root_module: { resources: [] } },
  };
  writeFileSync(path, JSON.stringify(plan));
}

/** A deterministic pseudo-random sequence, so that every run measures the same logs. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PATHS = ["/orders", "/orders/{id}", "/orders/{id}/attachments", "/users/{id}", "/health", "/search", "/Admin/settings", "/reports/{id}/export"];
const AGENTS = ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15", "okhttp/4.12.0", "aws-sdk-js/3.540.0", "curl/8.4.0", "python-requests/2.31.0"];
const COUNTRIES = ["US", "DE", "FR", "GB", "JP", "BR", "IN", "KP"];

function record(i: number, r: () => number, t0: number): string {
  const ip = r() < 0.05 ? `198.51.100.${Math.floor(r() * 256)}` : `${Math.floor(r() * 223) + 1}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
  const path = PATHS[Math.floor(r() * PATHS.length)]!.replace("{id}", String(Math.floor(r() * 100000)));
  const method = path.includes("attachments") ? "POST" : r() < 0.8 ? "GET" : "PUT";
  const noAgent = r() < 0.03;
  const big = method === "POST" && r() < 0.3;
  const counted: Array<{ ruleId: string; action: string; overriddenAction: string }> = [];
  if (big) counted.push({ ruleId: "SizeRestrictions_BODY", action: "COUNT", overriddenAction: "BLOCK" });
  if (noAgent) counted.push({ ruleId: "NoUserAgent_HEADER", action: "COUNT", overriddenAction: "BLOCK" });
  const country = COUNTRIES[Math.floor(r() * COUNTRIES.length)]!;
  const blockedGeo = country === "KP" && !ip.startsWith("198.51.100.");
  const headers = [
    { name: "Host", value: "rjvegx5guh.execute-api.us-east-1.amazonaws.com" },
    { name: "X-Forwarded-For", value: ip },
    { name: "X-Forwarded-Proto", value: "https" },
    { name: "X-Amzn-Trace-Id", value: `Root=1-${(t0 / 1000 + i).toString(16)}-${Math.floor(r() * 2 ** 48).toString(16)}` },
    ...(noAgent ? [] : [{ name: "User-Agent", value: AGENTS[Math.floor(r() * AGENTS.length)]! }]),
    { name: "Accept", value: "application/json" },
    { name: "Content-Type", value: "application/json" },
  ];
  const adminBlocked = path.toLowerCase().startsWith("/admin") && !ip.startsWith("198.51.100.");
  const terminating = ip.startsWith("198.51.100.") ? "allow-office" : adminBlocked ? "no-admin" : blockedGeo ? "geo-block" : "Default_Action";
  return JSON.stringify({
    timestamp: t0 + i * 20,
    formatVersion: 1,
    webaclId: ARN,
    terminatingRuleId: terminating,
    terminatingRuleType: "REGULAR",
    action: adminBlocked || blockedGeo ? "BLOCK" : "ALLOW",
    terminatingRuleMatchDetails: [],
    httpSourceName: "APIGW",
    httpSourceId: "111122223333:rjvegx5guh:prod",
    ruleGroupList:
      terminating === "allow-office"
        ? []
        : [
            { ruleGroupId: "AWS#AWSManagedRulesCommonRuleSet", terminatingRule: null, nonTerminatingMatchingRules: counted, excludedRules: null },
            { ruleGroupId: "AWS#AWSManagedRulesKnownBadInputsRuleSet", terminatingRule: null, nonTerminatingMatchingRules: [], excludedRules: null },
          ],
    rateBasedRuleList: [],
    nonTerminatingMatchingRules: [],
    requestHeadersInserted: null,
    responseCodeSent: null,
    httpRequest: { clientIp: ip, country, headers, uri: path, args: r() < 0.3 ? `page=${Math.floor(r() * 50)}&sort=desc` : "", httpVersion: "HTTP/1.1", httpMethod: method, requestId: Math.floor(r() * 2 ** 52).toString(36) },
    requestBodySize: method === "GET" ? 0 : big ? 9000 + Math.floor(r() * 20000) : Math.floor(r() * 4000),
    requestBodySizeInspectedByWAF: method === "GET" ? 0 : 8192,
    labels: counted.map((c) => ({ name: `awswaf:managed:aws:core-rule-set:${c.ruleId === "SizeRestrictions_BODY" ? "SizeRestrictions_Body" : "NoUserAgent_Header"}` })),
  });
}

/** Writes gzip log files of about `mb` MB uncompressed into `dir`; returns their paths. */
export async function generateTrafficLogs(dir: string, mb: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const r = rng(42);
  const t0 = Date.UTC(2026, 10, 20);
  const files: string[] = [];
  let i = 0;
  for (let written = 0, f = 0; written < mb * 1e6; f++) {
    const path = join(dir, `aws-waf-logs-api_${String(f).padStart(4, "0")}.log.gz`);
    const out = createWriteStream(path);
    for (let fileBytes = 0; fileBytes < FILE_MB * 1e6 && written < mb * 1e6; ) {
      const lines: string[] = [];
      let member = 0;
      while (member < MEMBER_MB * 1e6) {
        const line = record(i++, r, t0) + "\n";
        member += line.length;
        lines.push(line);
      }
      const gz = gzipSync(lines.join(""), { level: 6 });
      if (!out.write(gz)) await new Promise<void>((res) => out.once("drain", () => res()));
      fileBytes += member;
      written += member;
    }
    await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
    files.push(path);
  }
  return files;
}
