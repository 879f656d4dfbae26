/** readWafLogs: the shapes users have WAF logs in, and bad input as one clear line naming file and line. */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { InputError } from "../src/errors";
import { readWafLogs, type ReadProgress } from "../src/traffic/read-logs";
import { FIXTURES } from "./helpers";

const DIR = join(FIXTURES, "traffic");
const fixture = (name: string) => join(DIR, name);

async function readAll(paths: string[], onProgress?: (p: ReadProgress) => void, maxWholeDocumentBytes?: number) {
  const out = [];
  for await (const r of readWafLogs(paths, { onProgress, maxWholeDocumentBytes })) out.push(r);
  return out;
}

async function failure(paths: string[]): Promise<string> {
  try {
    await readAll(paths);
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.doesNotMatch(e.message, /\n/);
    return e.message;
  }
  assert.fail("expected an InputError");
}

const tmp = () => mkdtempSync(join(tmpdir(), "wafguard-logs-"));

/** n records like the fixture's first, each with its own requestId (req-0, req-1, ...) and timestamp. */
function manyRecords(n: number): Array<Record<string, unknown> & { timestamp: number; httpRequest: Record<string, unknown> }> {
  const base = JSON.parse(readFileSync(fixture("records.jsonl"), "utf8").split("\n")[0]!) as { timestamp: number; httpRequest: Record<string, unknown> };
  return Array.from({ length: n }, (_, i) => ({ ...base, timestamp: base.timestamp + i, httpRequest: { ...base.httpRequest, requestId: `req-${i}`, uri: `/CanaryTest/${"x".repeat(600)}` } }));
}

describe("traffic: reading WAF logs", () => {
  it("one record a line (.jsonl), with file and line of each record", async () => {
    const rs = await readAll([fixture("records.jsonl")]);
    assert.equal(rs.length, 3);
    assert.deepEqual(rs.map((r) => r.line), [1, 2, 3]);
    assert.equal(rs[0]!.record.httpRequest.uri, "/CanaryTest");
  });
  it("CloudWatch Logs export to S3 (a timestamp before each record) and filter-log-events output (events[].message)", async () => {
    const a = await readAll([fixture("cloudwatch-export.log")]);
    const b = await readAll([fixture("filter-log-events.json")]);
    assert.equal(a.length, 3);
    assert.equal(b.length, 3);
    assert.deepEqual(b.map((r) => r.record.timestamp), a.map((r) => r.record.timestamp));
  });
  it("a JSON array of records, and filter-log-events output: parsed whole, or streamed when large", async () => {
    for (const max of [undefined, 100]) {
      const rs = await readAll([fixture("array.json")], undefined, max);
      assert.equal(rs.length, 3);
      assert.equal(rs[2]!.record.httpRequest.requestId, "Ed0AiHF_CGYF-D2=");
      assert.equal((await readAll([fixture("filter-log-events.json")], undefined, max)).length, 3);
    }
    const d = tmp();
    writeFileSync(join(d, "bad.json"), JSON.stringify([JSON.parse(readFileSync(fixture("records.jsonl"), "utf8").split("\n")[0]!), { not: "a record" }], null, 2));
    assert.match(await failure([join(d, "bad.json")]), /bad\.json:element 2: not a WAF log record/);
    try {
      await readAll([join(d, "bad.json")], undefined, 100);
      assert.fail("expected an InputError");
    } catch (e) {
      assert.match((e as Error).message, /bad\.json:element 2: not a WAF log record/);
    }
  });
  it("a JSON document larger than the whole-read limit is streamed to its end: an array, filter-log-events output, gzipped", async () => {
    // The limit (64 MiB by default) lowered to 100 bytes; the documents span several 1 MiB reads, so the streamed
    // part must go on where the buffered part stopped.
    const d = tmp();
    const records = manyRecords(3000);
    writeFileSync(join(d, "array.json"), JSON.stringify(records));
    writeFileSync(join(d, "events.json"), JSON.stringify({ events: records.map((r) => ({ timestamp: r.timestamp, message: JSON.stringify(r) })) }, null, 1));
    writeFileSync(join(d, "array.json.gz"), gzipSync(readFileSync(join(d, "array.json"))));
    assert.ok(readFileSync(join(d, "array.json")).length > 3 * 1024 * 1024);
    for (const name of ["array.json", "events.json", "array.json.gz"]) {
      const rs = await readAll([join(d, name)], undefined, 100);
      assert.equal(rs.length, 3000, name);
      assert.equal(rs[2999]!.record.httpRequest.requestId, "req-2999", name);
    }
  });
  it("a large JSON document that is truncated or corrupt: one line naming the file, never a crash", async () => {
    const d = tmp();
    const records = manyRecords(3000);
    const array = Buffer.from(JSON.stringify(records));
    const events = Buffer.from(JSON.stringify({ events: records.map((r) => ({ timestamp: r.timestamp, message: JSON.stringify(r) })) }, null, 1));
    const cut = (b: Buffer) => b.subarray(0, Math.floor(b.length * 0.7));
    writeFileSync(join(d, "array.json.gz"), cut(gzipSync(array)));
    writeFileSync(join(d, "events.json.gz"), cut(gzipSync(events)));
    writeFileSync(join(d, "array.json"), cut(array));
    const at = events.indexOf("\n", Math.floor(events.length * 0.7)) + 1; // a line between two events
    writeFileSync(join(d, "events.json"), Buffer.concat([events.subarray(0, at), Buffer.from("garbage\n"), events.subarray(at)]));
    for (const [name, message] of [
      ["array.json.gz", /array\.json\.gz: truncated gzip/],
      ["events.json.gz", /events\.json\.gz: truncated gzip/],
      ["array.json", /array\.json: not a JSON array of WAF log records .* after \d+ records/],
      ["events.json", /events\.json: not a JSON CloudWatch Logs events document .* after \d+ records/],
    ] as Array<[string, RegExp]>) {
      try {
        await readAll([join(d, name)], undefined, 100);
        assert.fail(`${name}: expected an InputError`);
      } catch (e) {
        assert.ok(e instanceof InputError, `${name}: ${String(e)}`);
        assert.match(e.message, message);
        assert.doesNotMatch(e.message, /\n/);
      }
    }
  });
  it("one pretty-printed record (as in AWS's examples)", async () => {
    const d = tmp();
    writeFileSync(join(d, "one.json"), JSON.stringify(JSON.parse(readFileSync(fixture("records.jsonl"), "utf8").split("\n")[0]!), null, 3));
    assert.equal((await readAll([join(d, "one.json")])).length, 1);
  });
  it("gzip with several members (S3/Firehose deliveries), found recursively in directories, whatever the extension", async () => {
    const d = tmp();
    mkdirSync(join(d, "2024", "05", "06"), { recursive: true });
    const text = readFileSync(fixture("records.jsonl"));
    writeFileSync(join(d, "2024", "05", "06", "part-1.log.gz"), Buffer.concat([gzipSync(text), gzipSync(text)]));
    writeFileSync(join(d, "2024", "05", "firehose-object-without-extension"), gzipSync(text));
    writeFileSync(join(d, "README.md"), "not a log");
    const progress: ReadProgress[] = [];
    const rs = await readAll([d], (p) => progress.push(p));
    assert.equal(rs.length, 9);
    assert.deepEqual(rs.slice(0, 3).map((r) => r.line), [1, 2, 3]);
    assert.equal(rs.filter((r) => r.file.endsWith("part-1.log.gz")).length, 6);
    assert.equal(progress[progress.length - 1]!.records, 9);
    assert.equal(progress[progress.length - 1]!.files, 2);
  });
  it("each file is read once: named twice, named and inside a named directory, reached through a symbolic or hard link", async () => {
    const d = tmp();
    mkdirSync(join(d, "logs"));
    const file = join(d, "logs", "a.jsonl");
    writeFileSync(file, readFileSync(fixture("records.jsonl")));
    symlinkSync(file, join(d, "logs", "latest.jsonl"));
    linkSync(file, join(d, "hard.jsonl"));
    const twice = await readAll([file, file]);
    assert.equal(twice.length, 3);
    assert.equal((await readAll([file, join(d, "logs", ".", "a.jsonl"), join(d, "logs")])).length, 3);
    assert.equal((await readAll([join(d, "logs"), join(d, "logs")])).length, 3);
    assert.equal((await readAll([join(d, "hard.jsonl"), join(d, "logs")])).length, 3);
    // The first path that reaches a file names it.
    assert.deepEqual([...new Set(twice.map((r) => r.file))], [file]);
  });
  it("what AWS writes is read: every terminating action, an unknown country (-), IPv6 clients, null and left-out optional fields", async () => {
    const d = tmp();
    const base = JSON.parse(readFileSync(fixture("records.jsonl"), "utf8").split("\n")[0]!) as Record<string, any>;
    const variants: Array<(r: Record<string, any>) => void> = [
      ...["ALLOW", "BLOCK", "COUNT", "CAPTCHA", "CHALLENGE"].map((a) => (r: Record<string, any>) => (r.action = a)),
      (r) => (r.httpRequest.country = "-"),
      (r) => (r.httpRequest.clientIp = "2001:db8:85a3::8a2e:370:7334"),
      (r) => (r.httpRequest.clientIp = "::ffff:192.0.2.1"),
      (r) => {
        delete r.httpRequest.args;
        delete r.httpRequest.country;
        delete r.httpRequest.headers;
        delete r.terminatingRuleType;
      },
      (r) => {
        r.ruleGroupList = [{ ruleGroupId: "AWS#AWSManagedRulesCommonRuleSet", terminatingRule: null, nonTerminatingMatchingRules: null, excludedRules: null, customerConfig: null }];
        r.nonTerminatingMatchingRules = [{ ruleId: "count-rule", action: "COUNT", overriddenAction: null, ruleMatchDetails: [] }];
        r.labels = null;
        r.rateBasedRuleList = null;
        r.requestBodySize = null;
      },
    ];
    const lines = variants.map((v) => {
      const r = JSON.parse(JSON.stringify(base)) as Record<string, any>;
      v(r);
      return JSON.stringify(r);
    });
    writeFileSync(join(d, "aws.jsonl"), lines.join("\n"));
    const rs = await readAll([join(d, "aws.jsonl")]);
    assert.equal(rs.length, variants.length);
    assert.deepEqual(rs.slice(0, 5).map((r) => r.record.action), ["ALLOW", "BLOCK", "COUNT", "CAPTCHA", "CHALLENGE"]);
    const defaults = rs[8]!.record;
    assert.deepEqual([defaults.httpRequest.args, defaults.httpRequest.country, defaults.httpRequest.headers, defaults.terminatingRuleType], ["", "", [], "REGULAR"]);
    assert.deepEqual(rs[9]!.record.ruleGroupList![0]!.nonTerminatingMatchingRules, []);
  });
  it("an empty file has no records (an hour without traffic), blank lines are not records", async () => {
    const d = tmp();
    writeFileSync(join(d, "empty.log"), "");
    writeFileSync(join(d, "blank.log"), "\n\n" + readFileSync(fixture("records.jsonl"), "utf8") + "\n\n");
    assert.equal((await readAll([join(d, "empty.log")])).length, 0);
    assert.deepEqual((await readAll([join(d, "blank.log")])).map((r) => r.line), [3, 4, 5]);
  });

  describe("bad input: one line naming file and line", () => {
    it("a corrupt record", async () => {
      const d = tmp();
      const lines = readFileSync(fixture("records.jsonl"), "utf8").split("\n");
      lines[1] = lines[1]!.slice(0, 80);
      writeFileSync(join(d, "bad.jsonl"), lines.join("\n"));
      assert.match(await failure([join(d, "bad.jsonl")]), new RegExp(`^${join(d, "bad.jsonl")}:2: not JSON .*corrupt or truncated record`));
    });
    it("a truncated gzip", async () => {
      const d = tmp();
      const gz = gzipSync(Buffer.from(readFileSync(fixture("records.jsonl"), "utf8").repeat(50)));
      writeFileSync(join(d, "cut.log.gz"), gz.subarray(0, Math.floor(gz.length * 0.6)));
      assert.match(await failure([join(d, "cut.log.gz")]), /cut\.log\.gz:\d+: (truncated gzip|not JSON)/);
    });
    it("a gzip member followed by zero padding (or garbage after a zero byte): an error, not the later members dropped", async () => {
      // Node's gunzip stops without an error at a member followed by a zero byte and reads nothing after it.
      const d = tmp();
      const text = readFileSync(fixture("records.jsonl"));
      const files: Array<[string, Buffer]> = [
        ["nul.log.gz", Buffer.concat([gzipSync(text), Buffer.from([0]), gzipSync(text)])],
        ["padded.log.gz", Buffer.concat([gzipSync(text), Buffer.alloc(512), gzipSync(text)])],
        ["padded-end.log.gz", Buffer.concat([gzipSync(text), gzipSync(text), Buffer.alloc(512)])],
        ["garbage-end.log.gz", Buffer.concat([gzipSync(text), gzipSync(text), Buffer.from("\x00\x01garbage")])],
      ];
      for (const [name, bytes] of files) {
        writeFileSync(join(d, name), bytes);
        assert.match(await failure([join(d, name)]), new RegExp(`${name.replace(/\./g, "\\.")}:\\d+: data after a gzip member that is not another member`), name);
      }
      writeFileSync(join(d, "two.log.gz"), Buffer.concat([gzipSync(text), gzipSync(text)]));
      assert.equal((await readAll([join(d, "two.log.gz")])).length, 6);
    });
    it("a field with the wrong type or an impossible value: an error naming the file, line and field, never coerced", async () => {
      const d = tmp();
      const base = readFileSync(fixture("records.jsonl"), "utf8").split("\n")[0]!;
      const cases: Array<[string, (r: Record<string, any>) => void, RegExp]> = [
        ["headers-string", (r) => (r.httpRequest.headers = "x"), /httpRequest\.headers is not an array/],
        ["headers-object", (r) => (r.httpRequest.headers = { Host: "a" }), /httpRequest\.headers is not an array/],
        ["headers-null", (r) => (r.httpRequest.headers = null), /httpRequest\.headers is not an array/],
        ["timestamp-negative", (r) => (r.timestamp = -1), /timestamp -1 is not milliseconds since the epoch/],
        ["timestamp-fraction", (r) => (r.timestamp = 1683355579981.5), /timestamp 1683355579981\.5 is not milliseconds/],
        ["timestamp-seconds", (r) => (r.timestamp = 1683355579), /timestamp 1683355579 is in seconds/],
        ["timestamp-microseconds", (r) => (r.timestamp = 1683355579981000), /timestamp 1683355579981000 is not milliseconds/],
        ["ip-word", (r) => (r.httpRequest.clientIp = "not-an-ip"), /httpRequest\.clientIp "not-an-ip" is not an IP address/],
        ["ip-empty", (r) => (r.httpRequest.clientIp = ""), /httpRequest\.clientIp "" is not an IP address/],
        ["action", (r) => (r.action = "NUKE"), /action "NUKE" is not one of ALLOW, BLOCK, COUNT, CAPTCHA, CHALLENGE/],
        ["country", (r) => (r.httpRequest.country = 33), /httpRequest\.country is not a string/],
        ["args", (r) => (r.httpRequest.args = 5), /httpRequest\.args is not a string/],
        ["rule-type", (r) => (r.terminatingRuleType = 5), /terminatingRuleType is not a string/],
        ["group-matches", (r) => (r.ruleGroupList = [{ ruleGroupId: "AWS#AWSManagedRulesCommonRuleSet", terminatingRule: null, nonTerminatingMatchingRules: "x" }]), /ruleGroupList\[\]\.nonTerminatingMatchingRules is not an array/],
        ["match-action", (r) => (r.nonTerminatingMatchingRules = [{ ruleId: "a", action: 5 }]), /nonTerminatingMatchingRules\[\] must hold \{ ruleId, action \} strings/],
        ["body-size", (r) => (r.requestBodySize = "9000"), /requestBodySize is not a number/],
      ];
      for (const [name, mutate, message] of cases) {
        const r = JSON.parse(base) as Record<string, any>;
        mutate(r);
        writeFileSync(join(d, `${name}.jsonl`), `${base}\n${JSON.stringify(r)}\n`);
        const m = await failure([join(d, `${name}.jsonl`)]);
        assert.match(m, new RegExp(`${name}\\.jsonl:2: WAF log record`), name);
        assert.match(m, message, name);
      }
    });
    it("a file that is not a WAF log", async () => {
      const d = tmp();
      writeFileSync(join(d, "access.json"), JSON.stringify({ requestId: "x", ip: "1.2.3.4", status: 200 }) + "\n");
      assert.match(await failure([join(d, "access.json")]), /access\.json:1: not a WAF log record/);
      writeFileSync(join(d, "plan.json"), JSON.stringify([{ format_version: "1.2" }]));
      assert.match(await failure([join(d, "plan.json")]), /plan\.json:element 1: not a WAF log record/);
    });
    it("an empty directory, and a missing path", async () => {
      const d = tmp();
      assert.match(await failure([d]), /no WAF log files/);
      assert.match(await failure([join(d, "nope.log")]), /nope\.log: no such file/);
    });
    it("a gzip bomb: inflating past the ratio stops with an error", async () => {
      const d = tmp();
      writeFileSync(join(d, "bomb.gz"), gzipSync(Buffer.alloc(70 * 1024 * 1024, "\n")));
      assert.match(await failure([join(d, "bomb.gz")]), /bomb\.gz:\d+: gzip inflates more than 200x/);
    });
    it("an enormous single line is capped", async () => {
      const d = tmp();
      writeFileSync(join(d, "huge.log"), "{" + " ".repeat(5 * 1024 * 1024));
      assert.match(await failure([join(d, "huge.log")]), /huge\.log:1: line longer than 4 MiB/);
    });
    it("special files (a FIFO) are refused: regular files only", async function () {
      const d = tmp();
      try {
        execFileSync("mkfifo", [join(d, "pipe.log")]);
      } catch {
        this.skip();
      }
      assert.match(await failure([join(d, "pipe.log")]), /pipe\.log: not a regular file/);
      assert.match(await failure(["/dev/null"]), /not a regular file/);
    });
    it("a file that fails to read", async function () {
      if (process.getuid?.() !== 0) {
        const d = tmp();
        writeFileSync(join(d, "secret.log"), "{}\n", { mode: 0o000 });
        assert.match(await failure([join(d, "secret.log")]), /secret\.log: cannot read \(EACCES\)/);
      }
      // A regular file whose read fails (Linux): root included.
      if (existsSync("/proc/self/mem")) assert.match(await failure(["/proc/self/mem"]), /^\/proc\/self\/mem: cannot read \(EIO\)/);
    });
    it("a symbolic link loop", async () => {
      const d = tmp();
      mkdirSync(join(d, "logs"));
      writeFileSync(join(d, "logs", "a.jsonl"), readFileSync(fixture("records.jsonl")));
      symlinkSync(join(d, "logs"), join(d, "logs", "again"));
      assert.match(await failure([join(d, "logs")]), /symbolic link loop/);
      symlinkSync(join(d, "self"), join(d, "self"));
      assert.match(await failure([join(d, "self")]), /symbolic link loop/);
    });
  });
});

describe("traffic: hostile records", () => {
  it("any JSON where a record's fields should be: an InputError or a record the replay handles, never a crash (property-based)", async () => {
    const fc = (await import("fast-check")).default;
    const { checkWafLogRecord } = await import("../src/traffic/log-record");
    const { replayChange } = await import("../src/traffic/replay");
    const { aclValues, asLogs, byteMatch, groupRule, model, resource, rule } = await import("./traffic-helpers");
    const base = JSON.parse(readFileSync(fixture("records.jsonl"), "utf8").split("\n")[0]!) as Record<string, unknown>;
    const acl = aclValues([
      rule("rate", 0, { rate_based_statement: [{ limit: 10, evaluation_window_sec: 60, aggregate_key_type: "FORWARDED_IP", forwarded_ip_config: [{ header_name: "X-Forwarded-For", fallback_behavior: "MATCH" }] }] }),
      groupRule("common", 1, "AWSManagedRulesCommonRuleSet", { overrides: { SizeRestrictions_BODY: "count" } }),
      rule("b", 2, byteMatch("headers", "x", "CONTAINS", ["URL_DECODE_UNI", "JS_DECODE"], { match_pattern: [{ all: [{}] }], match_scope: "ALL", oversize_handling: "CONTINUE" })),
      rule("c", 3, byteMatch("cookies", "x", "CONTAINS_WORD", ["HTML_ENTITY_DECODE"], { match_pattern: [{ all: [{}] }], match_scope: "ALL", oversize_handling: "CONTINUE" })),
      rule("s", 4, { size_constraint_statement: [{ comparison_operator: "GT", size: 5, field_to_match: [{ body: [{ oversize_handling: "CONTINUE" }] }], text_transformation: [{ priority: 0, type: "NONE" }] }] }),
    ]);
    const m = model([resource("aws_wafv2_web_acl.api", acl, acl)]);
    const paths = ["timestamp", "timestamp", "action", "terminatingRuleId", "terminatingRuleType", "ruleGroupList", "nonTerminatingMatchingRules", "rateBasedRuleList", "labels", "requestBodySize", "captchaResponse", "httpRequest", "httpRequest.headers", "httpRequest.clientIp", "httpRequest.uri", "httpRequest.args", "httpRequest.country", "httpRequest.httpMethod"];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.jsonValue(), fc.double(), fc.integer({ min: -1e17, max: 1e17 }))), { maxLength: 4 }), async (mutations) => {
        const r = JSON.parse(JSON.stringify(base)) as Record<string, Record<string, unknown>>;
        for (const [path, value] of mutations) {
          const [a, b] = path.split(".");
          if (b === undefined) (r as Record<string, unknown>)[a!] = value;
          else if (r[a!] && typeof r[a!] === "object") r[a!]![b] = value;
        }
        const checked = checkWafLogRecord(r);
        if (typeof checked === "string") return;
        const report = await replayChange(m, asLogs([checked, checked]));
        assert.equal(report.records, 2);
      }),
      { numRuns: 300 },
    );
  });
});
