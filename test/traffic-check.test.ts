/**
 * `check --traffic`: the change judged against WAF logs, through the CLI (WG120-WG122), on the worked
 * example of examples/traffic and on logs made from it. The example's numbers are known by
 * construction (see examples/traffic/generate-logs.mjs): 60 uploads over 8 KB from 12 clients that
 * SizeRestrictions_BODY counted, 6 Log4j probes from 2 clients that the counted bad-inputs group
 * matched, 9 + 4 SQL injections from 3 + 1 clients that sqli blocked, 5 Host: localhost requests whose
 * first bad-inputs match was Host_localhost_HEADER, in 8,000 records.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { trafficRows } from "../src/report/traffic-table";
import { planFixture, ROOT, runCli, SARIF_SCHEMA, type JsonReport } from "./helpers";

const PLAN = "examples/traffic/plan.json";
const LOGS = "examples/traffic/logs";
const ACL = "aws_wafv2_web_acl.api";
const OTHER_ACL = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/staging-api/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f";

interface TrafficFinding {
  rule: string;
  severity: string;
  address: string;
  message: string;
  traffic?: Record<string, unknown>;
}
type TrafficReport = Omit<JsonReport, "findings" | "inputs"> & {
  findings: TrafficFinding[];
  inputs: Array<{ path: string; kind: string; traffic?: { files: number; records: number; matched: Record<string, number>; unmatched: Array<{ webaclId: string; records: number }>; notes: string[] } }>;
};

function checkTraffic(plan: string, logs: string[], extra: string[] = []) {
  const r = runCli(["check", plan, ...logs.flatMap((l) => ["--traffic", l]), "--format", "json", ...extra]);
  return { ...r, report: r.stdout ? (JSON.parse(r.stdout) as TrafficReport) : undefined };
}

const traffic = (report: TrafficReport | undefined, rule: string) => report?.findings.filter((f) => f.rule === rule) ?? [];

/** Every record line of the example's logs, in file order. */
function exampleRecords(): Array<Record<string, unknown>> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(ROOT, LOGS));
  return files.flatMap((f) =>
    gunzipSync(readFileSync(f))
      .toString("utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  );
}

function isOrdinary(r: Record<string, unknown>): boolean {
  return r.action === "ALLOW" && !r.labels && (r.nonTerminatingMatchingRules as unknown[]).length === 0;
}

function isUpload(r: Record<string, unknown>): boolean {
  return JSON.stringify(r).includes('"ruleId":"SizeRestrictions_BODY"');
}

/** Writes records as a one-record-a-line log file in a fresh directory; returns the file. */
function logFile(records: Array<Record<string, unknown>>, name = "waf.log"): string {
  const path = join(mkdtempSync(join(tmpdir(), "wafguard-traffic-")), name);
  const text = records.map((r) => JSON.stringify(r)).join("\n") + "\n";
  writeFileSync(path, name.endsWith(".gz") ? gzipSync(text) : text);
  return path;
}

describe("check --traffic", function () {
  this.timeout(60000);
  const records = exampleRecords();
  const uploads = records.filter(isUpload);
  const ordinary = records.filter(isOrdinary);

  it("the committed example logs are what generate-logs.mjs writes (the README's numbers hold)", () => {
    const out = mkdtempSync(join(tmpdir(), "wafguard-logs-"));
    const r = spawnSync(process.execPath, [join(ROOT, "examples/traffic/generate-logs.mjs"), out], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const list = (dir: string): string[] =>
      readdirSync(dir)
        .sort()
        .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? list(join(dir, n)).map((p) => `${n}/${p}`) : [n]));
    const committed = list(join(ROOT, LOGS));
    assert.deepEqual(list(out), committed);
    assert.equal(committed.length, 24);
    for (const file of committed) assert.ok(readFileSync(join(out, file)).equals(readFileSync(join(ROOT, LOGS, file))), file);
    assert.equal(records.length, 8000);
  });

  it("WG120: the worked example blocks 66 logged requests from 14 clients, an error at the default share", () => {
    const r = checkTraffic(PLAN, [LOGS]);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, "", "no notice and no progress line when stderr is not a terminal");
    const [f] = traffic(r.report, "WG120");
    assert.equal(f.address, ACL);
    assert.equal(f.severity, "error");
    assert.equal(f.message, 'would block 66 of 8000 logged requests (0.83%) that the logged web ACL let through, from 14 clients; most by rule "common" (SizeRestrictions_BODY): 60');
    const attachments = [1041, 1187, 2210, 3302, 4518].map((id) => ({ method: "POST", path: `/prod/orders/${id}/attachments`, requests: 12 }));
    assert.deepEqual(f.traffic, {
      records: 8000,
      from: new Date(Math.min(...records.map((x) => x.timestamp as number))).toISOString(),
      to: new Date(Math.max(...records.map((x) => x.timestamp as number))).toISOString(),
      newly_blocked: 66, // 60 uploads + 6 Log4j probes
      newly_allowed: 13, // 9 + 4 SQL injections, the sqli group now counted as a whole
      uncertain: 5, // Host: localhost, Host_localhost_HEADER counted in the plan: later sub-rules unknown
      clients: 14, // 12 uploaders + 2 probing hosts
      by_rule: [
        { rule: "common", managed_rule: "SizeRestrictions_BODY", requests: 60, clients: 12, paths: attachments },
        { rule: "bad-inputs", managed_rule: "Log4JRCE_HEADER", requests: 6, clients: 2, paths: [{ method: "GET", path: "/prod/", requests: 6 }] },
      ],
    });
    assert.deepEqual(r.report?.inputs[0].traffic, { files: 24, records: 8000, matched: { [ACL]: 8000 }, unmatched: [], notes: [] });
  });

  it("WG120 is a warning below traffic-block-share (an option) and an error at or above it", () => {
    const below = checkTraffic(PLAN, [LOGS], ["--option", "traffic-block-share=0.01"]);
    assert.deepEqual(traffic(below.report, "WG120").map((f) => f.severity), ["warning"]);
    assert.equal(below.status, 0, "only warnings: the run passes with --fail-on error");
    const above = checkTraffic(PLAN, [LOGS], ["--option", "traffic-block-share=0.008"]);
    assert.deepEqual(traffic(above.report, "WG120").map((f) => f.severity), ["error"]);
  });

  it("WG120 at the share boundary: 1 newly blocked in 1,000 is an error at 0.1%, 1 in 1,001 a warning", () => {
    const at = logFile([uploads[0], ...ordinary.slice(0, 999)]);
    const r1 = checkTraffic(PLAN, [at], ["--rule", "WG120"]);
    assert.deepEqual(traffic(r1.report, "WG120").map((f) => `${f.severity} ${f.message.split(" (")[0]}`), ["error would block 1 of 1000 logged requests"]);
    const below = logFile([uploads[0], ...ordinary.slice(0, 1000)]);
    const r2 = checkTraffic(PLAN, [below], ["--rule", "WG120"]);
    assert.deepEqual(traffic(r2.report, "WG120").map((f) => f.severity), ["warning"]);
  });

  it("WG121: the SQL injections that sqli blocked, let through once the whole group only counts", () => {
    const [f] = traffic(checkTraffic(PLAN, [LOGS]).report, "WG121");
    assert.equal(f.severity, "warning");
    assert.equal(f.address, ACL);
    assert.equal(f.message, 'would let through 13 logged requests that the logged web ACL blocked with attack-signature rules (rule "sqli" (SQLi_QUERYARGUMENTS): 9, rule "sqli" (SQLi_BODY): 4)');
    assert.deepEqual(f.traffic?.by_rule, [
      { rule: "sqli", managed_rule: "SQLi_QUERYARGUMENTS", requests: 9, clients: 3, paths: [{ method: "GET", path: "/prod/search", requests: 9 }] },
      { rule: "sqli", managed_rule: "SQLi_BODY", requests: 4, clients: 1, paths: [{ method: "POST", path: "/prod/orders", requests: 4 }] },
    ]);
  });

  it("WG122: the Host: localhost requests, whose later bad-inputs sub-rules the logs never saw", () => {
    const [f] = traffic(checkTraffic(PLAN, [LOGS]).report, "WG122");
    assert.equal(f.severity, "info");
    assert.equal(f.traffic?.uncertain, 5);
    assert.match(f.message, /^cannot judge 5 of 8000 logged requests exactly \(.*Host_localhost_HEADER.*: 5\); count the sub-rules/);
  });

  it("a plan with a scoped exception for the uploads passes WG120-WG122 on the same logs", () => {
    const r = checkTraffic(planFixture("wg120-scoped-exception"), [LOGS]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.report?.findings.filter((f) => /^WG12/.test(f.rule)), []);
    assert.equal(r.report?.inputs[0].traffic?.matched[ACL], 8000, "the logs were read and matched, not skipped");
  });

  it("records of a web ACL that is not in the plan: one notice, and counted in inputs[].traffic", () => {
    const other = ordinary.slice(0, 7).map((x) => ({ ...x, webaclId: OTHER_ACL }));
    const r = checkTraffic(PLAN, [logFile([uploads[0], ...ordinary.slice(7, 100), ...other])], ["--rule", "WG120"]);
    assert.equal(r.stderr, `wafguard: notice: 7 of 101 logged records are of web ACLs not in ${PLAN} and were not replayed: ${OTHER_ACL} (7)\n`);
    assert.deepEqual(r.report?.inputs[0].traffic?.unmatched, [{ webaclId: OTHER_ACL, records: 7 }]);
    assert.deepEqual(r.report?.inputs[0].traffic?.matched, { [ACL]: 94 });
  });

  it("logs of another web ACL only: a notice that nothing was judged, not a silent pass", () => {
    const r = checkTraffic(PLAN, [logFile(uploads.slice(0, 3).map((x) => ({ ...x, webaclId: OTHER_ACL })))], ["--rule", "WG120"]);
    assert.equal(r.status, 0);
    assert.match(r.stderr, new RegExp(`^wafguard: notice: none of the 3 logged records is of a web ACL in ${PLAN} \\(the logs are of ${OTHER_ACL}\\): WG120-WG122 had nothing to judge`));
    assert.equal(r.stderr.split("\n").filter(Boolean).length, 1);
    assert.deepEqual(r.report?.findings, []);
    assert.deepEqual(r.report?.inputs[0].traffic?.notes.length, 1);
  });

  it("a .tf directory has no `before`: the logged verdicts are the baseline, and a notice says so", () => {
    const dir = mkdtempSync(join(tmpdir(), "wafguard-tf-"));
    const block = (name: string, body: string) => `${name} {\n${body}\n}\n`;
    const visibility = (metric: string) => block("visibility_config", `cloudwatch_metrics_enabled = true\nmetric_name = "${metric}"\nsampled_requests_enabled = true`);
    const crs = block("managed_rule_group_statement", `name = "AWSManagedRulesCommonRuleSet"\nvendor_name = "AWS"\n${block("rule_action_override", `name = "NoUserAgent_HEADER"\n${block("action_to_use", "count {}")}`)}`);
    const rule = block("rule", `name = "common"\npriority = 10\n${block("override_action", "none {}")}${block("statement", crs)}${visibility("common")}`);
    writeFileSync(
      join(dir, "main.tf"),
      `provider "aws" {\n  region = "us-east-1"\n}\n` +
        block('resource "aws_wafv2_web_acl" "api"', `name = "orders-api"\nscope = "REGIONAL"\n${block("default_action", "allow {}")}${rule}${visibility("orders-api")}`),
    );
    const r = checkTraffic(dir, [LOGS], ["--fail-on", "never"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, `wafguard: notice: ${dir} is not a plan, so it has no "before": the logged verdicts are the baseline the configuration is compared with\n`);
    // Matched by name and scope (no ARN in .tf). SizeRestrictions_BODY is enforced: the 60 uploads;
    // no bad-inputs rule: the Log4j probes stay allowed; no sqli rule: its 13 blocks are let through.
    assert.deepEqual(
      r.report?.findings.filter((f) => /^WG12/.test(f.rule)).map((f) => `${f.rule} ${f.severity} ${f.message.split(" that ")[0]}`),
      ["WG120 error would block 60 of 8000 logged requests (0.75%)", "WG121 warning would let through 13 logged requests"],
    );
  });

  it("the README's walk-through shows the real output of its command", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### The worked example: `examples/traffic/`"));
    const command = "npx wafguard check examples/traffic/plan.json --traffic examples/traffic/logs --rule WG120,WG121,WG122";
    assert.ok(section.includes(command), "the README runs the example");
    const shown = /```\n\n```\n([\s\S]*?)\n```/.exec(section.slice(section.indexOf(command) + command.length))?.[1];
    const r = runCli(command.split(" ").slice(2));
    assert.equal(r.status, 1);
    assert.equal(shown, r.stdout.trimEnd());
  });

  it("a progress line on a terminal, cleared before the run ends (none without a terminal: see above)", function () {
    if (spawnSync("script", ["--version"]).status !== 0) this.skip(); // util-linux `script` gives the run a terminal
    const output = join(mkdtempSync(join(tmpdir(), "wafguard-tty-")), "report.json");
    const command = [process.execPath, join(ROOT, "bin/wafguard.js"), "check", PLAN, "--traffic", LOGS, "--format", "json", "--output", output].join(" ");
    const r = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /\r\x1b\[Kreading WAF logs: \d+ files, [\d.]+ MB, \d+ records/);
    assert.ok(r.stdout.trimEnd().endsWith("\r\x1b[K"), JSON.stringify(r.stdout.slice(-80)));
    assert.equal((JSON.parse(readFileSync(output, "utf8")) as TrafficReport).inputs[0].traffic?.records, 8000);
  });

  describe("bad input: one line naming the file, exit 2", () => {
    function expectFailure(logs: string, pattern: RegExp, extra: string[] = []) {
      const r = runCli(["check", PLAN, "--traffic", logs, ...extra]);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, "");
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
      assert.match(lines[0], /^wafguard: /);
      assert.match(lines[0], pattern);
    }

    it("a JSON file that is not a WAF log", () => {
      const path = logFile([{ hello: "world", version: 1 }], "not-waf.json");
      expectFailure(path, new RegExp(`${path}(:1)?: .*`));
    });

    it("a truncated gzip", () => {
      const whole = readFileSync(join(ROOT, LOGS, "2026/11/23/00", readdirSync(join(ROOT, LOGS, "2026/11/23/00"))[0]));
      const path = join(mkdtempSync(join(tmpdir(), "wafguard-traffic-")), "cut.log.gz");
      writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 3)));
      expectFailure(path, new RegExp(`${path}.*(truncated|unexpected end|incomplete)`, "i"));
    });

    it("an empty directory", () => {
      const dir = mkdtempSync(join(tmpdir(), "wafguard-empty-"));
      mkdirSync(join(dir, "2026"));
      expectFailure(dir, new RegExp(dir));
    });

    it("a path that does not exist", () => {
      expectFailure("no/such/logs", /no\/such\/logs/);
    });

    it("a traffic-block-share that is not a share", () => {
      expectFailure(LOGS, /option "traffic-block-share" must be a share between 0 and 1, such as 0\.001 for 0\.1% \(default 0\.001\), not "1%"/, ["--option", "traffic-block-share=1%"]);
      expectFailure(LOGS, /option "traffic-block-share" must be a share between 0 and 1.*, not 2$/, ["--option", "traffic-block-share=2"]);
    });
  });

  describe("reports", () => {
    it("text shows who breaks under WG120: rule, sub-rule, method, path, requests, clients", () => {
      const r = runCli(["check", PLAN, "--traffic", LOGS, "--rule", "WG120"]);
      const lines = r.stdout.split("\n");
      const at = lines.findIndex((l) => l.includes("who breaks (8000 logged requests"));
      assert.ok(at > 0, r.stdout);
      assert.match(lines[at + 1], /^\s+rule\s+managed rule\s+method\s+path\s+requests\s+clients$/);
      assert.match(lines[at + 2], /^\s+common\s+SizeRestrictions_BODY\s+POST\s+\/prod\/orders\/1041\/attachments\s+12\s+12$/);
      assert.match(lines[at + 7], /^\s+bad-inputs\s+Log4JRCE_HEADER\s+GET\s+\/prod\/\s+6\s+2$/);
    });

    it("the table stops at 10 rows and says how many requests it left out", () => {
      const paths = (n: number, each: number) => Array.from({ length: n }, (_, i) => ({ method: "GET", path: `/p${i}`, requests: each }));
      const rows = trafficRows({
        records: 1000,
        from: null,
        to: null,
        by_rule: [
          { rule: "a", managed_rule: null, requests: 100, clients: 9, paths: paths(8, 10) }, // 20 requests on paths beyond the replay's top 10
          { rule: "b", managed_rule: "X", requests: 30, clients: 2, paths: paths(3, 10) },
        ],
      });
      assert.equal(rows.length, 11);
      assert.deepEqual(rows[0], ["a", "-", "GET", "/p0", "10", "9"]);
      assert.deepEqual(rows[8], ["b", "X", "GET", "/p0", "10", "2"]);
      assert.deepEqual(rows[10], ["…", "", "", "other paths", "30", ""], "20 of rule a beyond its listed paths + 10 of rule b past the 10th row");
    });

    it("Markdown puts the same table under the WG120 finding", () => {
      const md = runCli(["check", PLAN, "--traffic", LOGS, "--format", "markdown"]).stdout;
      assert.match(md, /\| Rule \| Managed rule \| Method \| Path \| Requests \| Clients \|/);
      assert.match(md, /\| common \| SizeRestrictions_BODY \| POST \| `\/prod\/orders\/1041\/attachments` \| 12 \| 12 \|/);
      assert.match(md, /\| sqli \| SQLi_QUERYARGUMENTS \| GET \| `\/prod\/search` \| 9 \| 3 \|/, "WG121's table: who gets through");
    });

    it("SARIF carries the traffic object in result.properties and stays schema-valid", () => {
      const r = runCli(["check", PLAN, "--traffic", LOGS, "--format", "sarif"]);
      const sarif = JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string; properties?: { traffic?: unknown } }> }> };
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(ajv);
      const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, "utf8")));
      assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3), null, 2));
      const json = checkTraffic(PLAN, [LOGS]).report;
      const wg120 = sarif.runs[0].results.find((x) => x.ruleId === "WG120");
      assert.deepEqual(wg120?.properties?.traffic, traffic(json, "WG120")[0].traffic);
      assert.equal(sarif.runs[0].results.find((x) => x.ruleId === "WG103")?.properties, undefined, "other findings are unchanged");
    });
  });
});
