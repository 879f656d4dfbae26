/**
 * The evaluator, statement by statement and transformation by transformation, against the behaviour AWS
 * documents (AWS WAF Developer Guide: "Rule statements", "Request components", "Using text transformations
 * in AWS WAF" https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html,
 * "Rate-based rule statement"; API Reference "TextTransformation").
 */
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { compileAcl, evaluateRequest, leadingRateRule, RateState, type Verdict } from "../src/traffic/evaluate";
import { TRANSFORMS } from "../src/traffic/evaluate/transform";
import type { WafLogRecord } from "../src/traffic/log-record";
import { aclFromModel } from "../src/traffic/acl";
import { aclConfig, aclValues, action, byteMatch, field, groupRule, logRecord, model, resource, rule, tt } from "./traffic-helpers";

type Obj = Record<string, unknown>;

/** The verdict of a one-rule ACL (block on match, allow by default) for a record. */
function verdict(statement: Obj, record: WafLogRecord, sets: Parameters<typeof aclConfig>[1] = {}, extra: Obj = {}): Verdict {
  const acl = aclConfig(aclValues([rule("r", 0, statement)], "allow", extra), sets);
  return evaluateRequest(compileAcl(acl, { logged: null }), record, new RateState());
}
const blocks = (statement: Obj, record: WafLogRecord, sets?: Parameters<typeof aclConfig>[1], extra?: Obj): boolean => {
  const v = verdict(statement, record, sets, extra);
  assert.ok(v.certain, `expected a certain verdict, got uncertain: ${v.why}`);
  return v.action === "BLOCK";
};
const uncertain = (statement: Obj, record: WafLogRecord, sets?: Parameters<typeof aclConfig>[1]): string => {
  const v = verdict(statement, record, sets);
  assert.equal(v.certain, false, "expected an uncertain verdict");
  return v.why ?? "";
};
const req = (h: Partial<WafLogRecord["httpRequest"]>, over: Partial<WafLogRecord> = {}) => logRecord({ ...over, httpRequest: h });
const bin = (s: string): string => Buffer.from(s, "utf8").toString("latin1");

describe("traffic: text transformations (AWS's documented behaviour)", () => {
  const t = (name: string, input: string): string => TRANSFORMS[name]!(input);
  it("every type of the API's TextTransformation enum (2023 list) is implemented", () => {
    const documented = "NONE COMPRESS_WHITE_SPACE HTML_ENTITY_DECODE LOWERCASE CMD_LINE URL_DECODE BASE64_DECODE HEX_DECODE MD5 REPLACE_COMMENTS ESCAPE_SEQ_DECODE SQL_HEX_DECODE CSS_DECODE JS_DECODE NORMALIZE_PATH NORMALIZE_PATH_WIN REMOVE_NULLS REPLACE_NULLS BASE64_DECODE_EXT URL_DECODE_UNI UTF8_TO_UNICODE".split(" ");
    for (const d of documented) assert.ok(TRANSFORMS[d], d);
  });
  it("CMD_LINE: deletes \\ \" ' ^, spaces before / and (, , and ; become spaces, spaces compressed, lowercase", () => {
    assert.equal(t("CMD_LINE", `C^AT  "/etc/pa\\ss'wd" ;LS ,X  (Y)`), "cat/etc/passwd ls x(y)");
  });
  it("COMPRESS_WHITE_SPACE: \\f \\t \\n \\r \\v and NBSP (160) become one space", () => {
    assert.equal(t("COMPRESS_WHITE_SPACE", "a\f\t\n\r\v\xa0b  c"), "a b c");
  });
  it("HTML_ENTITY_DECODE: &quot; &nbsp; &lt; &gt; &#xhhhh; &#nnnn;", () => {
    assert.equal(t("HTML_ENTITY_DECODE", "&lt;script&gt;&quot;&#x41;&#66;&nbsp;"), '<script>"AB\xa0');
  });
  it("LOWERCASE: A-Z only", () => assert.equal(t("LOWERCASE", "SeLeCt Ä"), "select Ä"));
  it("URL_DECODE and URL_DECODE_UNI (%uHHHH, full-width ASCII)", () => {
    assert.equal(t("URL_DECODE", "%3Cscript%3E+x%zz"), "<script> x%zz");
    assert.equal(t("URL_DECODE_UNI", "%u0041%uFF1C%41"), "A<A");
  });
  it("BASE64_DECODE stops at an invalid character; BASE64_DECODE_EXT ignores them", () => {
    assert.equal(t("BASE64_DECODE", "c2VsZWN0"), "select");
    assert.equal(t("BASE64_DECODE_EXT", "c2V$sZW.N0"), "select");
  });
  it("HEX_DECODE, SQL_HEX_DECODE (0x414243 is ABC)", () => {
    assert.equal(t("HEX_DECODE", "414243"), "ABC");
    assert.equal(t("SQL_HEX_DECODE", "select 0x414243"), "select ABC");
  });
  it("MD5: the binary digest", () => assert.equal(t("MD5", "abc"), createHash("md5").update("abc").digest().toString("latin1")));
  it("REPLACE_COMMENTS: /* ... */ becomes a space, an unterminated comment too", () => {
    assert.equal(t("REPLACE_COMMENTS", "sel/*x*/ect/* open"), "sel ect ");
  });
  it("ESCAPE_SEQ_DECODE: \\n \\t \\x41 \\101 \\\\", () => assert.equal(t("ESCAPE_SEQ_DECODE", "a\\nb\\x41\\101\\\\"), "a\nbAA\\"));
  it("ESCAPE_SEQ_DECODE: encodings that aren't valid remain in the output", () => {
    assert.equal(t("ESCAPE_SEQ_DECODE", "a\\qb"), "a\\qb");
    assert.equal(t("ESCAPE_SEQ_DECODE", "\\x4g"), "\\x4g");
    assert.equal(t("ESCAPE_SEQ_DECODE", "end\\"), "end\\");
  });
  it("CSS_DECODE: ja\\vascript is javascript; \\3c is <", () => {
    assert.equal(t("CSS_DECODE", "ja\\vascript"), "javascript");
    assert.equal(t("CSS_DECODE", "\\3c script"), "<script");
  });
  it("JS_DECODE: \\uHHHH (full-width adjusted), \\xHH, octal, \\n", () => assert.equal(t("JS_DECODE", "\\u003c\\uff1c\\x41\\101\\n"), "<<AA\n"));
  it("NORMALIZE_PATH: multiple slashes, /./ and /../ (a back-reference at the beginning stays)", () => {
    assert.equal(t("NORMALIZE_PATH", "/a//b/./c/../d"), "/a/b/d");
    assert.equal(t("NORMALIZE_PATH", "/../etc/passwd"), "/../etc/passwd");
    assert.equal(t("NORMALIZE_PATH_WIN", "\\a\\\\b\\..\\c"), "/a/c");
  });
  it("REMOVE_NULLS and REPLACE_NULLS", () => {
    assert.equal(t("REMOVE_NULLS", "a\0b"), "ab");
    assert.equal(t("REPLACE_NULLS", "a\0b"), "a b");
  });
  it("UTF8_TO_UNICODE: UTF-8 sequences become %uHHHH", () => assert.equal(t("UTF8_TO_UNICODE", bin("aé€")), "a%u00e9%u20ac"));
  it("transformations run from the lowest priority up", () => {
    // URL_DECODE then LOWERCASE finds "<SCRIPT" as "<script"; the other order too; but BASE64 then URL differs.
    const st = (order: Array<[number, string]>) => ({
      byte_match_statement: [{ search_string: "<x>", positional_constraint: "EXACTLY", field_to_match: field("query_string"), text_transformation: order.map(([priority, type]) => ({ priority, type })) }],
    });
    const r = req({ args: Buffer.from("%3Cx%3E").toString("base64") });
    assert.equal(blocks(st([[0, "BASE64_DECODE"], [1, "URL_DECODE"]]), r), true);
    assert.equal(blocks(st([[1, "BASE64_DECODE"], [0, "URL_DECODE"]]), r), false);
    assert.equal(blocks(st([[5, "URL_DECODE"], [2, "BASE64_DECODE"]]), r), true);
  });
  it("HTML_ENTITY_DECODE's &amp; / &apos; and NORMALIZE_PATH's leading /../: AWS's list and common implementations differ, so only a value whose outcome depends on it is uncertain", () => {
    assert.equal(t("HTML_ENTITY_DECODE", "a&amp;lt;b&apos;"), "a&amp;lt;b&apos;", "not in AWS's list");
    const st = (search: string, type: string, position = "CONTAINS") => ({ byte_match_statement: [{ search_string: search, positional_constraint: position, field_to_match: field("query_string"), text_transformation: tt(type) }] });
    assert.equal(blocks(st("<", "HTML_ENTITY_DECODE"), req({ args: "q=&lt;x" })), true);
    assert.equal(blocks(st("&", "HTML_ENTITY_DECODE"), req({ args: "q=&amp;" })), true, "& either way");
    assert.match(uncertain(st("q=&'", "HTML_ENTITY_DECODE", "EXACTLY"), req({ args: "q=&amp;&apos;" })), /HTML_ENTITY_DECODE/);
    const path = (search: string) => ({ byte_match_statement: [{ search_string: search, positional_constraint: "STARTS_WITH", field_to_match: field("uri_path"), text_transformation: tt("NORMALIZE_PATH") }] });
    assert.equal(blocks(path("/etc/"), req({ uri: "/a/../etc/passwd" })), true);
    assert.match(uncertain(path("/etc/"), req({ uri: "/../etc/passwd" })), /NORMALIZE_PATH/);
  });
  it("an unknown transformation makes the statement uncertain, not guessed", () => {
    assert.match(uncertain({ byte_match_statement: [{ search_string: "x", positional_constraint: "CONTAINS", field_to_match: field("uri_path"), text_transformation: [{ priority: 0, type: "ROT13" }] }] }, req({})), /ROT13/);
  });
});

describe("traffic: statements and request components", () => {
  it("byte match: each positional constraint (AWS 'Positional constraint')", () => {
    const r = req({ uri: "/api/admin/users" });
    assert.equal(blocks(byteMatch("uri_path", "/api/admin/users", "EXACTLY"), r), true);
    assert.equal(blocks(byteMatch("uri_path", "/api/admin", "EXACTLY"), r), false);
    assert.equal(blocks(byteMatch("uri_path", "/api", "STARTS_WITH"), r), true);
    assert.equal(blocks(byteMatch("uri_path", "users", "ENDS_WITH"), r), true);
    assert.equal(blocks(byteMatch("uri_path", "admin", "CONTAINS"), r), true);
    assert.equal(blocks(byteMatch("uri_path", "admin", "CONTAINS_WORD"), r), true);
    assert.equal(blocks(byteMatch("uri_path", "adm", "CONTAINS_WORD"), r), false);
    assert.equal(blocks(byteMatch("uri_path", "ADMIN", "CONTAINS"), r), false, "byte match is case-sensitive");
    assert.equal(blocks(byteMatch("uri_path", "admin", "CONTAINS", ["NONE"]), req({ uri: "/ADMIN" })), false);
    assert.equal(blocks(byteMatch("uri_path", "admin", "CONTAINS", ["LOWERCASE"]), req({ uri: "/ADMIN" })), true);
  });
  it("request components: single header (case-insensitive name), method, query string, single and all query arguments, headers, cookies", () => {
    const r = req({
      httpMethod: "DELETE",
      args: "id=7&Debug=true&q=a%20b",
      headers: [
        { name: "user-agent", value: "BadBot/1.0" },
        { name: "Cookie", value: "session=abc; theme=dark" },
      ],
    });
    assert.equal(blocks(byteMatch("single_header", "BadBot", "STARTS_WITH", [], { name: "User-Agent" }), r), true);
    assert.equal(blocks(byteMatch("method", "DELETE", "EXACTLY"), r), true);
    assert.equal(blocks(byteMatch("query_string", "Debug=true", "CONTAINS"), r), true);
    assert.equal(blocks(byteMatch("single_query_argument", "true", "EXACTLY", [], { name: "debug" }), r), true);
    assert.equal(blocks(byteMatch("single_query_argument", "7", "EXACTLY", [], { name: "q" }), r), false);
    assert.equal(blocks(byteMatch("all_query_arguments", "a b", "EXACTLY", ["URL_DECODE"]), r), true);
    assert.equal(blocks(byteMatch("headers", "session", "CONTAINS", [], { match_pattern: [{ all: [{}] }], match_scope: "VALUE", oversize_handling: "CONTINUE" }), r), true);
    assert.equal(blocks(byteMatch("headers", "cookie", "EXACTLY", ["LOWERCASE"], { match_pattern: [{ included_headers: ["cookie"] }], match_scope: "KEY", oversize_handling: "CONTINUE" }), r), true);
    assert.equal(blocks(byteMatch("headers", "BadBot/1.0", "EXACTLY", [], { match_pattern: [{ excluded_headers: ["User-Agent"] }], match_scope: "VALUE", oversize_handling: "CONTINUE" }), r), false);
    assert.equal(blocks(byteMatch("cookies", "dark", "EXACTLY", [], { match_pattern: [{ included_cookies: ["theme"] }], match_scope: "VALUE", oversize_handling: "CONTINUE" }), r), true);
    assert.equal(blocks(byteMatch("cookies", "session", "EXACTLY", [], { match_pattern: [{ all: [{}] }], match_scope: "KEY", oversize_handling: "CONTINUE" }), r), true);
  });
  it("headers over 8 KB: oversize_handling MATCH / NO_MATCH / CONTINUE (uncertain)", () => {
    const r = req({ headers: [{ name: "X-Big", value: "a".repeat(9000) }] });
    const st = (o: string) => byteMatch("headers", "zzz", "CONTAINS", [], { match_pattern: [{ all: [{}] }], match_scope: "ALL", oversize_handling: o });
    assert.equal(blocks(st("MATCH"), r), true);
    assert.equal(blocks(st("NO_MATCH"), r), false);
    assert.match(uncertain(st("CONTINUE"), r), /8 KB/);
  });
  it("body: not logged (uncertain); oversize handling against the association's inspection limit; empty body exact", () => {
    const st = (o: string) => byteMatch("body", "x", "CONTAINS", [], { oversize_handling: o });
    assert.match(uncertain(st("CONTINUE"), req({ httpMethod: "POST" }, { requestBodySize: 100 })), /body not logged/);
    assert.equal(blocks(st("MATCH"), req({}, { requestBodySize: 20000 })), true, "over the 16 KB API Gateway default");
    assert.equal(blocks(st("NO_MATCH"), req({}, { requestBodySize: 20000 })), false);
    assert.equal(blocks(st("CONTINUE"), req({}, { requestBodySize: 0 })), false);
    // KB_32 raises the limit: 20,000 bytes are inspected, and the body itself is not logged.
    const raised = { association_config: [{ request_body: [{ api_gateway: [{ default_size_inspection_limit: "KB_32" }] }] }] };
    const acl = aclConfig(aclValues([rule("r", 0, st("MATCH"))], "allow", raised));
    acl.bodyInspectionLimitBytes = 32768;
    const v = evaluateRequest(compileAcl(acl, { logged: null }), req({}, { requestBodySize: 20000 }), new RateState());
    assert.equal(v.certain, false);
    assert.match(uncertain(byteMatch("json_body", "x", "CONTAINS", [], { match_scope: "VALUE", oversize_handling: "CONTINUE", match_pattern: [{ all: [{}] }] }), req({}, { requestBodySize: 10 })), /body not logged/);
  });
  it("body inspection limit by resource type (httpSourceName): 8 KB fixed for ALB and AppSync, association_config for the others", () => {
    // AWS WAF Developer Guide, "Considerations for managing body inspection" (web-acl-setting-body-inspection-limit).
    const size = (op: string, n: number, o = "CONTINUE") => ({ size_constraint_statement: [{ comparison_operator: op, size: n, field_to_match: field("body", { oversize_handling: o }), text_transformation: tt() }] });
    const from = (source: string | undefined, bytes: number) => req({ httpMethod: "POST" }, { httpSourceName: source, requestBodySize: bytes });
    assert.equal(blocks(size("GT", 9000), from("ALB", 10000)), false, "ALB: only 8,192 bytes are inspected");
    assert.equal(blocks(size("GT", 9000), from("APPSYNC", 10000)), false);
    assert.equal(blocks(size("GT", 9000), from("APIGW", 10000)), true);
    assert.equal(blocks(byteMatch("body", "x", "CONTAINS", [], { oversize_handling: "MATCH" }), from("ALB", 10000)), true);
    assert.match(uncertain(byteMatch("body", "x", "CONTAINS", [], { oversize_handling: "MATCH" }), from("APIGW", 10000)), /body not logged/);
    // A regional record without a source: 8 KB or 16 KB.
    assert.match(uncertain(size("GT", 9000), from(undefined, 10000)), /inspection limit/);
    assert.equal(blocks(size("GT", 9000, "MATCH"), from(undefined, 20000)), true);
    // Cognito's own association_config setting.
    const values = aclValues([rule("r", 0, size("GT", 20000))], "allow", { association_config: [{ request_body: [{ cognito_user_pool: [{ default_size_inspection_limit: "KB_32" }] }] }] });
    const acl = aclFromModel(model([resource("aws_wafv2_web_acl.api", values, values)]), "aws_wafv2_web_acl.api", "after")!;
    const run = (source: string) => pick(evaluateRequest(compileAcl(acl, { logged: null }), from(source, 30000), new RateState()));
    assert.deepEqual(run("COGNITOIDP"), { action: "BLOCK", certain: true });
    assert.deepEqual(run("APIGW"), { action: "ALLOW", certain: true }, "API Gateway: 16 KB, 16,384 > 20,000 is false");
  });
  it("size constraint: URI length, and the body's logged size capped by the inspection limit", () => {
    const size = (op: string, n: number, kind: string, opts: Obj = {}) => ({ size_constraint_statement: [{ comparison_operator: op, size: n, field_to_match: field(kind, opts), text_transformation: tt() }] });
    assert.equal(blocks(size("GT", 10, "uri_path"), req({ uri: "/0123456789ab" })), true);
    assert.equal(blocks(size("LE", 10, "uri_path"), req({ uri: "/0123456789ab" })), false);
    assert.equal(blocks(size("GT", 8192, "body", { oversize_handling: "CONTINUE" }), req({}, { requestBodySize: 9000 })), true);
    // WG503: with CONTINUE, a body size constraint at the 16 KB limit never matches GT 16384.
    assert.equal(blocks(size("GT", 16384, "body", { oversize_handling: "CONTINUE" }), req({}, { requestBodySize: 100000 })), false);
    assert.equal(blocks(size("GT", 16384, "body", { oversize_handling: "MATCH" }), req({}, { requestBodySize: 100000 })), true);
  });
  it("regex match and regex pattern set (by ARN); (?i) becomes case-insensitive", () => {
    const r = req({ uri: "/v1/Users/123" });
    assert.equal(blocks({ regex_match_statement: [{ regex_string: "^/v[0-9]+/users/[0-9]+$", field_to_match: field("uri_path"), text_transformation: tt() }] }, r), false);
    assert.equal(blocks({ regex_match_statement: [{ regex_string: "(?i)^/v[0-9]+/users/[0-9]+$", field_to_match: field("uri_path"), text_transformation: tt() }] }, r), true);
    const arn = "arn:aws:wafv2:eu-west-3:111122223333:regional/regexpatternset/paths/1";
    const sets = { regexSets: { [arn]: { regular_expression: [{ regex_string: "^/admin" }, { regex_string: "/Users/" }] } } };
    assert.equal(blocks({ regex_pattern_set_reference_statement: [{ arn, field_to_match: field("uri_path"), text_transformation: tt() }] }, r, sets), true);
  });
  it("regex: PCRE's reading of what JavaScript reads differently (\\A \\z \\Z, $ before a final newline, POSIX classes, \\h, (?x), \\Q...\\E)", () => {
    // AWS WAF Developer Guide, "Regex match rule statement": "AWS WAF supports the pattern syntax used by the PCRE library libpcre".
    const re = (pattern: string, transforms: string[] = []) => ({ regex_match_statement: [{ regex_string: pattern, field_to_match: field("uri_path"), text_transformation: tt(...transforms) }] });
    const uri = (u: string) => req({ uri: u });
    assert.equal(blocks(re("\\A/api\\z"), uri("/api")), true);
    assert.equal(blocks(re("\\A/api\\z"), uri("/api/x")), false);
    // $ and \Z also match before a final newline: /admin%0a, URL-decoded, is /admin followed by a newline.
    assert.equal(blocks(re("^/admin$", ["URL_DECODE"]), uri("/admin%0a")), true);
    assert.equal(blocks(re("^/admin\\Z", ["URL_DECODE"]), uri("/admin%0a")), true);
    assert.equal(blocks(re("^/admin\\z", ["URL_DECODE"]), uri("/admin%0a")), false);
    assert.equal(blocks(re("^/[[:digit:]]+$"), uri("/123")), true);
    assert.equal(blocks(re("^/[[:digit:]]+$"), uri("/12a")), false);
    assert.equal(blocks(re("/a\\hb", ["URL_DECODE"]), uri("/a%09b")), true, "\\h is a horizontal space, not the letter h");
    assert.equal(blocks(re("/a\\hb"), uri("/ahb")), false);
    assert.equal(blocks(re("(?x) ^ /v [0-9]+  # version\n /users"), uri("/v2/users")), true);
    assert.equal(blocks(re("^/a\\Q.*\\E$"), uri("/a.*")), true);
    assert.equal(blocks(re("^/a\\Q.*\\E$"), uri("/abc")), false);
    assert.equal(blocks(re("(?i)/ADMIN"), uri("/admin")), true);
    assert.equal(blocks(re("/\\x41\\101"), uri("/AA")), true);
  });
  it("regex: constructs that are not translated make the statement uncertain, never a wrong answer", () => {
    const re = (pattern: string) => ({ regex_match_statement: [{ regex_string: pattern, field_to_match: field("uri_path"), text_transformation: tt() }] });
    assert.match(uncertain(re("^/(?!health)"), req({ uri: "/x" })), /lookaround/);
    assert.match(uncertain(re("(a)\\1"), req({ uri: "/aa" })), /backreference/);
    assert.match(uncertain(re("\\p{L}"), req({ uri: "/x" })), /\\p/);
    assert.match(uncertain(re("a{,3}"), req({ uri: "/x" })), /quantifier/);
    // (?i) folds Latin-1 letters in the engine but not in PCRE's byte mode: uncertain on such bytes only.
    assert.match(uncertain(re("(?i)caf\\xc3\\xa9"), req({ uri: "/CAF\u00c9" })), /Latin-1/);
    assert.equal(blocks(re("(?i)caf\\xc3\\xa9"), req({ uri: "/CAFE" })), false);
    // `$` matches before a final newline in PCRE; what follows its group follows it: (a$)\n matches "a\n"
    assert.match(uncertain(re("(a$)\n"), req({ uri: "a\n" })), /end anchor/);
    assert.match(uncertain(re("(a$|b)\n"), req({ uri: "a\n" })), /end anchor/);
    assert.equal(blocks(re("^/a$|^/b$"), req({ uri: "/b" })), true);
  });
  it("regex: a pattern that backtracks exponentially in JavaScript stays linear (^/(a+)+$)", () => {
    const st = { regex_match_statement: [{ regex_string: "^/(a+)+$", field_to_match: field("uri_path"), text_transformation: tt() }] };
    const started = Date.now();
    assert.equal(blocks(st, req({ uri: "/" + "a".repeat(28) + "!" })), false);
    assert.equal(blocks(st, req({ uri: "/" + "a".repeat(8000) + "!" })), false);
    assert.equal(blocks(st, req({ uri: "/" + "a".repeat(8000) })), true);
    assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
  });
  it("IP set: client IP, IPv6, forwarded IP (FIRST, LAST, ANY, fallback)", () => {
    const arn = "arn:aws:wafv2:eu-west-3:111122223333:regional/ipset/office/1";
    const sets = { ipSets: { [arn]: { addresses: ["198.51.100.0/24", "2001:db8::/32"] } } };
    const st = (fwd?: Obj) => ({ ip_set_reference_statement: [{ arn, ip_set_forwarded_ip_config: fwd ? [fwd] : [] }] });
    assert.equal(blocks(st(), req({ clientIp: "198.51.100.7" }), sets), true);
    assert.equal(blocks(st(), req({ clientIp: "198.51.101.7" }), sets), false);
    assert.equal(blocks(st(), req({ clientIp: "2001:db8::1" }), sets), true);
    const xff = (v: string) => req({ clientIp: "10.0.0.1", headers: [{ name: "X-Forwarded-For", value: v }] });
    assert.equal(blocks(st({ header_name: "X-Forwarded-For", position: "FIRST", fallback_behavior: "NO_MATCH" }), xff("198.51.100.9, 10.1.1.1"), sets), true);
    assert.equal(blocks(st({ header_name: "X-Forwarded-For", position: "LAST", fallback_behavior: "NO_MATCH" }), xff("198.51.100.9, 10.1.1.1"), sets), false);
    assert.equal(blocks(st({ header_name: "X-Forwarded-For", position: "ANY", fallback_behavior: "NO_MATCH" }), xff("10.1.1.1, 198.51.100.9"), sets), true);
    assert.equal(blocks(st({ header_name: "X-Forwarded-For", position: "FIRST", fallback_behavior: "MATCH" }), xff("not-an-ip"), sets), true);
    assert.equal(blocks(st({ header_name: "X-Forwarded-For", position: "FIRST", fallback_behavior: "NO_MATCH" }), xff("0x7f.1"), sets), false);
  });
  it("forwarded IP header absent: AWS does not apply the rule at all, nor the fallback (AWS 'Forwarded IP address')", () => {
    const arn = "arn:aws:wafv2:eu-west-3:111122223333:regional/ipset/office/1";
    const sets = { ipSets: { [arn]: { addresses: ["198.51.100.0/24"] } } };
    const ip = { ip_set_reference_statement: [{ arn, ip_set_forwarded_ip_config: [{ header_name: "X-Real-IP", position: "FIRST", fallback_behavior: "MATCH" }] }] };
    const geo = { geo_match_statement: [{ country_codes: ["US"], forwarded_ip_config: [{ header_name: "X-Real-IP", fallback_behavior: "MATCH" }] }] };
    const noHeader = req({ clientIp: "198.51.100.7" });
    assert.equal(blocks(ip, noHeader, sets), false);
    assert.equal(blocks(geo, noHeader), false);
    assert.equal(blocks({ and_statement: [{ statement: [ip, byteMatch("uri_path", "/", "STARTS_WITH")] }] }, noHeader, sets), false);
    // Under a not, "the rule is not applied" is not a statement value: uncertain rather than a certain match.
    assert.match(uncertain({ not_statement: [{ statement: [ip] }] }, noHeader, sets), /absent/);
    // Present but malformed: the fallback.
    assert.equal(blocks(geo, req({ headers: [{ name: "X-Real-IP", value: "unknown" }] })), true);
  });
  it("IP set position ANY inspects the last 10 addresses of the header", () => {
    const arn = "arn:aws:wafv2:eu-west-3:111122223333:regional/ipset/office/1";
    const sets = { ipSets: { [arn]: { addresses: ["198.51.100.0/24"] } } };
    const st = { ip_set_reference_statement: [{ arn, ip_set_forwarded_ip_config: [{ header_name: "X-Forwarded-For", position: "ANY", fallback_behavior: "NO_MATCH" }] }] };
    const others = Array.from({ length: 10 }, (_, i) => `203.0.113.${i}`);
    const xff = (v: string[]) => req({ headers: [{ name: "X-Forwarded-For", value: v.join(", ") }] });
    assert.equal(blocks(st, xff(["198.51.100.9", ...others]), sets), false, "11th from the end is not inspected");
    assert.equal(blocks(st, xff([...others.slice(1), "198.51.100.9"]), sets), true);
    assert.equal(blocks(st, xff(["198.51.100.9", ...others.slice(1)]), sets), true, "10 addresses: all inspected");
  });
  it("IP set referenced by a Terraform address (ARN unknown in the plan): resolved through the Model's edges", () => {
    const acl = aclConfig(aclValues([rule("r", 0, { ip_set_reference_statement: [{ arn: null, ip_set_forwarded_ip_config: [] }] })]), { ipSets: { "aws_wafv2_ip_set.office": { addresses: ["52.46.82.0/24"] } } });
    acl.references.set("rule.0.statement.0.ip_set_reference_statement.0.arn", "aws_wafv2_ip_set.office");
    assert.equal(evaluateRequest(compileAcl(acl, { logged: null }), req({}), new RateState()).action, "BLOCK");
  });
  it("geo match: the logged country; forwarded IP's country is not logged (uncertain)", () => {
    assert.equal(blocks({ geo_match_statement: [{ country_codes: ["FR", "DE"], forwarded_ip_config: [] }] }, req({ country: "FR" })), true);
    assert.equal(blocks({ geo_match_statement: [{ country_codes: ["US"], forwarded_ip_config: [] }] }, req({ country: "FR" })), false);
    const fwd = { geo_match_statement: [{ country_codes: ["US"], forwarded_ip_config: [{ header_name: "X-Client-IP", fallback_behavior: "MATCH" }] }] };
    assert.match(uncertain(fwd, req({ headers: [{ name: "X-Client-IP", value: "8.8.8.8" }] })), /forwarded IP/);
  });
  it("geo match adds the country label and, when the record shows it, the region label, match or not (AWS 'Geographic match rule statement')", () => {
    const geo = (extra: Obj = {}) => rule("geo", 0, { geo_match_statement: [{ country_codes: ["AQ"], forwarded_ip_config: [], ...extra }] }, "count");
    const on = (key: string) => rule("m", 1, { label_match_statement: [{ scope: "LABEL", key }] });
    const run = (rules: Obj[], record: WafLogRecord) => pick(evaluateRequest(compileAcl(aclConfig(aclValues(rules)), { logged: null }), record, new RateState()));
    const fr = req({ country: "FR" });
    assert.deepEqual(run([geo(), on("awswaf:clientip:geo:country:FR")], fr), { action: "BLOCK", certain: true });
    assert.deepEqual(run([geo(), on("awswaf:clientip:geo:country:DE")], fr), { action: "ALLOW", certain: true });
    assert.deepEqual(run([on("awswaf:clientip:geo:country:FR")], fr), { action: "ALLOW", certain: true }, "no geo rule, no label");
    // The region is not in the record's fields: known only from the record's own labels.
    const withRegion = req({ country: "FR" }, { labels: [{ name: "awswaf:clientip:geo:country:FR" }, { name: "awswaf:clientip:geo:region:FR-IDF" }] });
    assert.deepEqual(run([geo(), on("awswaf:clientip:geo:region:FR-IDF")], withRegion), { action: "BLOCK", certain: true });
    assert.deepEqual(run([geo(), on("awswaf:clientip:geo:region:FR-ARA")], withRegion), { action: "ALLOW", certain: true });
    assert.equal(run([geo(), on("awswaf:clientip:geo:region:FR-IDF")], fr).certain, false);
    // A geo statement AWS may skip (after a non-matching part of an and_statement): its label is not certain.
    const skipped = rule("geo", 0, { and_statement: [{ statement: [byteMatch("method", "POST", "EXACTLY"), { geo_match_statement: [{ country_codes: ["AQ"], forwarded_ip_config: [] }] }] }] }, "count");
    assert.equal(run([skipped, on("awswaf:clientip:geo:country:FR")], fr).certain, false);
  });
  it("and / or / not", () => {
    const r = req({ uri: "/admin", httpMethod: "POST" });
    const a = byteMatch("uri_path", "/admin", "EXACTLY");
    const b = byteMatch("method", "GET", "EXACTLY");
    assert.equal(blocks({ and_statement: [{ statement: [a, b] }] }, r), false);
    assert.equal(blocks({ or_statement: [{ statement: [a, b] }] }, r), true);
    assert.equal(blocks({ and_statement: [{ statement: [a, { not_statement: [{ statement: [b] }] }] }] }, r), true);
    // NO decides an and_statement even when the other part cannot be decided.
    assert.equal(blocks({ and_statement: [{ statement: [b, byteMatch("body", "x")] }] }, r), false);
    assert.equal(blocks({ or_statement: [{ statement: [a, byteMatch("body", "x")] }] }, r), true);
  });
  it("SQLi/XSS: AWS's detection cannot be reproduced (uncertain) unless the log tells", () => {
    const sqli = { sqli_match_statement: [{ field_to_match: field("query_string"), text_transformation: tt("URL_DECODE") }] };
    assert.match(uncertain(sqli, req({ args: "id=1%27%20OR%201=1" })), /SQL injection/);
    // The ACL that wrote the log has this rule: the logged outcome decides.
    const acl = aclConfig(aclValues([rule("sqli", 0, sqli)]));
    const c = compileAcl(acl);
    assert.deepEqual(pick(evaluateRequest(c, req({ args: "id=1" }), new RateState())), { action: "ALLOW", certain: true });
    assert.deepEqual(pick(evaluateRequest(c, req({ args: "x" }, { action: "BLOCK", terminatingRuleId: "sqli" }), new RateState())), { action: "BLOCK", certain: true });
  });
  it("redacted fields (logging redacted_fields) make a statement that reads them uncertain", () => {
    assert.match(uncertain(byteMatch("single_header", "secret", "CONTAINS", [], { name: "authorization" }), req({ headers: [{ name: "Authorization", value: "REDACTED" }] })), /redacted/);
    assert.match(uncertain(byteMatch("uri_path", "/x", "CONTAINS"), req({ uri: "REDACTED" })), /redacted/);
    assert.match(uncertain(byteMatch("query_string", "a", "CONTAINS"), req({ args: "REDACTED" })), /redacted/);
  });
  it("JA3/JA4 fingerprints: from the log when logged, else uncertain", () => {
    const st = byteMatch("ja3_fingerprint", "abc", "EXACTLY", [], { fallback_behavior: "NO_MATCH" });
    assert.match(uncertain(st, req({})), /JA3/);
    assert.equal(blocks(st, logRecord({ ja3Fingerprint: "abc" } as Partial<WafLogRecord>)), true);
  });
});

const pick = (v: Verdict) => ({ action: v.action, certain: v.certain });

describe("traffic: rules, actions and labels", () => {
  const run = (rules: Obj[], record: WafLogRecord, def = "allow") => evaluateRequest(compileAcl(aclConfig(aclValues(rules, def)), { logged: null }), record, new RateState());
  it("priority order decides, not the order in the list; COUNT goes on; the default action ends", () => {
    const r = req({ uri: "/admin" });
    const m = byteMatch("uri_path", "/admin", "EXACTLY");
    assert.equal(run([rule("b", 2, m, "block"), rule("a", 1, m, "allow")], r).terminatingRule, "a");
    assert.equal(run([rule("b", 2, m, "block"), rule("a", 1, m, "count")], r).terminatingRule, "b");
    const d = run([rule("a", 1, m, "count")], r, "block");
    assert.deepEqual([d.action, d.terminatingRule], ["BLOCK", "Default_Action"]);
  });
  it("labels from rule_label feed a later label_match (LABEL and NAMESPACE scope)", () => {
    const r = req({ uri: "/admin" });
    const tagged = rule("tag", 1, byteMatch("uri_path", "/admin", "EXACTLY"), "count", { rule_label: [{ name: "internal:admin" }] });
    assert.equal(run([tagged, rule("b", 2, { label_match_statement: [{ scope: "LABEL", key: "internal:admin" }] })], r).action, "BLOCK");
    assert.equal(run([tagged, rule("b", 2, { label_match_statement: [{ scope: "NAMESPACE", key: "internal:" }] })], r).action, "BLOCK");
    assert.equal(run([tagged, rule("b", 2, { label_match_statement: [{ scope: "LABEL", key: "internal:other" }] })], r).action, "ALLOW");
    // A label rule after the matching rule is not seen yet.
    assert.equal(run([{ ...tagged, priority: 3 }, rule("b", 2, { label_match_statement: [{ scope: "LABEL", key: "internal:admin" }] })], r).action, "ALLOW");
  });
  it("custom response codes of block actions and of the default action", () => {
    const r = req({});
    const m = byteMatch("uri_path", "/", "STARTS_WITH");
    const rules = [{ ...rule("limit", 0, m), action: action("block", { custom_response: [{ response_code: 429 }] }) }];
    assert.equal(run(rules, r).responseCode, 429);
    const acl = aclConfig({ ...aclValues([], "block"), default_action: action("block", { custom_response: [{ response_code: 403 }] }) });
    assert.equal(evaluateRequest(compileAcl(acl), r, new RateState()).responseCode, 403);
  });
  it("CAPTCHA and CHALLENGE end the evaluation of a request without a token", () => {
    const m = byteMatch("uri_path", "/", "STARTS_WITH");
    assert.deepEqual(pick(run([rule("c", 0, m, "captcha")], req({}))), { action: "CAPTCHA", certain: true });
    assert.deepEqual(pick(run([rule("c", 0, m, "challenge")], req({}))), { action: "CHALLENGE", certain: true });
  });
  it("CAPTCHA and CHALLENGE of a rule the logged ACL did not have: a request with an aws-waf-token is uncertain", () => {
    // AWS WAF Developer Guide, "Token characteristics": the token is the aws-waf-token cookie; whether it is
    // valid (immunity time, domain) is not in a record that no CAPTCHA of the logged ACL judged.
    const m = byteMatch("uri_path", "/", "STARTS_WITH");
    const withToken = req({ headers: [{ name: "Cookie", value: "session=1; aws-waf-token=51c71352-41f5-4f6d-b676-c24907bdf819:EQoAZ/J+AAQAAAAA:t9wv" }] });
    const logged = aclConfig(aclValues([]));
    for (const kind of ["captcha", "challenge"]) {
      const v = evaluateRequest(compileAcl(aclConfig(aclValues([rule("c", 0, m, kind)])), { logged }), withToken, new RateState());
      assert.equal(v.certain, false, kind);
      assert.match(v.why ?? "", /token/);
    }
  });
  it("a valid CAPTCHA token logged for one rule: another CAPTCHA rule passes it within its immunity time, not after", () => {
    // "Timestamp expiration: token immunity times": expired when now - solve timestamp > immunity time.
    const m = byteMatch("uri_path", "/", "STARTS_WITH");
    const logged = aclConfig(aclValues([rule("captcha-rule", 0, m, "captcha")]));
    const planned = (immunity: number) =>
      aclConfig(aclValues([rule("captcha-rule", 0, m, "captcha"), rule("captcha-2", 1, m, "captcha", { captcha_config: [{ immunity_time_property: [{ immunity_time: immunity }] }] })]));
    const solvedAgo = (s: number) =>
      logRecord({
        timestamp: 1_700_000_000_000,
        nonTerminatingMatchingRules: [{ ruleId: "captcha-rule", action: "CAPTCHA", captchaResponse: { responseCode: 0, solveTimestamp: 1_700_000_000 - s } }] as unknown as WafLogRecord["nonTerminatingMatchingRules"],
        httpRequest: { ...logRecord().httpRequest, headers: [{ name: "cookie", value: "aws-waf-token=abc" }] },
      });
    const v = (immunity: number, ago: number) => pick(evaluateRequest(compileAcl(planned(immunity), { logged }), solvedAgo(ago), new RateState()));
    assert.deepEqual(v(300, 100), { action: "ALLOW", certain: true });
    assert.deepEqual(v(60, 100), { action: "CAPTCHA", certain: true });
    assert.equal(v(100, 100).certain, false, "at the limit (solveTimestamp is in seconds)");
  });
  it("a Challenge passed with a valid token (challengeResponse code 0 in its nonTerminatingMatchingRules entry) goes on", () => {
    const m = byteMatch("uri_path", "/", "STARTS_WITH");
    const acl = aclConfig(aclValues([rule("challenge-rule", 0, m, "challenge"), rule("after", 1, m, "block")]));
    const passed = logRecord({
      action: "BLOCK",
      terminatingRuleId: "after",
      nonTerminatingMatchingRules: [{ ruleId: "challenge-rule", action: "CHALLENGE", challengeResponse: { responseCode: 0, solveTimestamp: 1683355500 } }] as unknown as WafLogRecord["nonTerminatingMatchingRules"],
      httpRequest: { ...logRecord().httpRequest, headers: [{ name: "Cookie", value: "aws-waf-token=abc" }] },
    });
    assert.deepEqual(pick(evaluateRequest(compileAcl(acl), passed, new RateState())), { action: "BLOCK", certain: true });
    assert.equal(evaluateRequest(compileAcl(acl), passed, new RateState()).terminatingRule, "after");
  });
  it("a rule group whose undecided rule comes before its terminating one: both actions stay possible", () => {
    const rgArn = "arn:aws:wafv2:eu-west-3:111122223333:regional/rulegroup/mine/1";
    const group = { name: "mine", rule: [rule("body", 0, byteMatch("body", "x"), "block"), rule("ok", 1, byteMatch("uri_path", "/", "STARTS_WITH"), "allow")] };
    const ref = { name: "mine", priority: 0, override_action: [{ none: [{}] }], statement: [{ rule_group_reference_statement: [{ arn: rgArn, rule_action_override: [] }] }] };
    const acl = aclConfig(aclValues([ref, rule("allow-all", 1, byteMatch("uri_path", "/", "STARTS_WITH"), "allow")]), { ruleGroups: { [rgArn]: group } });
    const v = evaluateRequest(compileAcl(acl, { logged: null }), req({}, { requestBodySize: 10 }), new RateState());
    assert.deepEqual(pick(v), { action: "ALLOW", certain: false }, "the group's body rule may have blocked it");
  });
  it("an undecidable rule leaves the verdict certain when its action would not change it", () => {
    const body = byteMatch("body", "x");
    const v = run([rule("b1", 0, body, "block"), rule("b2", 1, byteMatch("uri_path", "/", "STARTS_WITH"), "block")], req({}, { requestBodySize: 5 }));
    assert.deepEqual(pick(v), { action: "BLOCK", certain: true });
    const u = run([rule("b1", 0, body, "block")], req({}, { requestBodySize: 5 }));
    assert.equal(u.certain, false);
    assert.match(u.why ?? "", /body not logged/);
  });
  it("rate-based: replayed over the logged timestamps per key, window evaluation_window_sec", () => {
    const rb = (extra: Obj = {}) => rule("rate", 0, { rate_based_statement: [{ limit: 100, evaluation_window_sec: 60, aggregate_key_type: "IP", ...extra }] });
    const c = compileAcl(aclConfig(aclValues([rb()])), { logged: null });
    const state = new RateState();
    const at = (i: number, ip = "52.46.82.45") => logRecord({ timestamp: 1_700_000_000_000 + i * 100, httpRequest: { ...logRecord().httpRequest, clientIp: ip } });
    const out: string[] = [];
    for (let i = 0; i < 600; i++) {
      const v = evaluateRequest(c, at(i), state);
      out.push(v.certain ? v.action : "?");
    }
    // Requests 1..89 are under the limit; 90..110 within 10% of it (AWS counts approximately); from 111 over
    // it, but AWS acts on a rate after a delay (usually under 30 s): blocked for certain once the count was
    // over the limit 30 s (300 requests) earlier too.
    assert.deepEqual([out[0], out[88], out[95], out[115], out[400], out[420], out[599]], ["ALLOW", "ALLOW", "?", "?", "?", "BLOCK", "BLOCK"]);
    // Another client has its own count.
    assert.equal(evaluateRequest(c, at(600, "203.0.113.9"), state).action, "ALLOW");
    // After the 60 s window the count starts over; within 30 s of that it is uncertain, then allowed.
    assert.deepEqual(pick(evaluateRequest(c, at(600 + 700), state)), { action: "ALLOW", certain: false });
    assert.deepEqual(pick(evaluateRequest(c, at(600 + 1000), state)), { action: "ALLOW", certain: true });
  });
  it("rate-based: a burst is not blocked for certain before AWS can have detected it (AWS 'Rate-based rule caveats')", () => {
    // 300 requests in 3 s against a limit of 100 per 60 s: AWS may let the burst through ("usually, this
    // delay is below 30 seconds"), so none of it is a certain block; the same rate held for a minute is.
    const c = compileAcl(aclConfig(aclValues([rule("rate", 0, { rate_based_statement: [{ limit: 100, evaluation_window_sec: 60, aggregate_key_type: "IP" }] })])), { logged: null });
    const state = new RateState();
    const verdicts = Array.from({ length: 300 }, (_, i) => evaluateRequest(c, logRecord({ timestamp: 1_700_000_000_000 + i * 10 }), state));
    assert.equal(verdicts[111]!.certain, false, "the 112th request of the burst (over the limit) is uncertain");
    assert.ok(verdicts.every((v) => !(v.certain && v.action === "BLOCK")));
    const held = new RateState();
    let last;
    for (let i = 0; i < 6000; i++) last = evaluateRequest(c, logRecord({ timestamp: 1_700_000_000_000 + i * 10 }), held);
    assert.deepEqual(pick(last!), { action: "BLOCK", certain: true });
  });
  it("rate-based state is bounded: keys whose requests left the window are dropped", () => {
    const state = new RateState();
    for (let i = 0; i < 50_000; i++) state.count("r", `10.0.${i >> 8}.${i & 255}`, 1_700_000_000_000 + i * 100, 60_000);
    // 100 ms apart with a 60 s window and the 30 s detection delay: only the last ~900 keys can still count.
    assert.ok(state.keys <= 901, `${state.keys} keys held`);
    assert.equal(state.count("r", "10.0.0.0", 1_700_000_000_000 + 50_000 * 100, 60_000), 1);
  });
  it("rate-based counts equal a plain count of the window, also out of order and when mirrored from another state", () => {
    // Reference: every earlier request of the key within (ts - window, ts], by brute force.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const seen: Array<{ key: string; ts: number }> = [];
    const [source, own, mirrored] = [new RateState(), new RateState(), new RateState()];
    mirrored.mirror("m", source, "s");
    for (let i = 0; i < 6000; i++) {
      const key = rnd() < 0.5 ? "hot" : `k${Math.floor(rnd() * 50)}`;
      // Mostly in order, sometimes up to 2 s late (files of several deliveries interleave).
      const ts = 1_700_000_000_000 + i * 10 - (rnd() < 0.1 ? Math.floor(rnd() * 2000) : 0);
      seen.push({ key, ts });
      const record = {};
      const expected = seen.filter((x) => x.key === key && x.ts <= ts && x.ts > ts - 5000).length;
      const n = source.count("s", key, ts, 5000, record);
      // Late requests may find older ones already expired: never more than the plain count, and exact when in order.
      assert.ok(n <= expected && (ts < 1_700_000_000_000 + i * 10 || n === expected), `request ${i}: ${n} vs ${expected}`);
      assert.equal(own.count("s", key, ts, 5000, record), n);
      assert.equal(mirrored.count("m", key, ts, 5000, record), n);
    }
  });
  it("rate-based: only an unscoped rate rule that comes first sees every request (the count replay shares)", () => {
    const rb = (scope?: Obj) => ({ rate_based_statement: [{ limit: 100, evaluation_window_sec: 60, aggregate_key_type: "IP", ...(scope ? { scope_down_statement: [scope] } : {}) }] });
    const lead = (rules: Obj[]) => leadingRateRule(aclConfig(aclValues(rules)));
    assert.equal(lead([rule("late", 5, byteMatch("method", "GET", "EXACTLY")), rule("rate", 2, rb())])?.id, "rule.1.statement.0:rate");
    assert.equal(lead([rule("first", 0, byteMatch("method", "GET", "EXACTLY")), rule("rate", 2, rb())]), null);
    assert.equal(lead([rule("rate", 0, rb(byteMatch("method", "GET", "EXACTLY")))]), null);
  });
  it("rate-based FORWARDED_IP: counted per first address; no header: not counted; malformed: the fallback (AWS 'Forwarded IP address')", () => {
    const rb = (fallback: string) => rule("rate", 0, { rate_based_statement: [{ limit: 10, evaluation_window_sec: 60, aggregate_key_type: "FORWARDED_IP", forwarded_ip_config: [{ header_name: "X-Forwarded-For", fallback_behavior: fallback }] }] });
    // a request a second: over the limit of 10 per 60 s, and (AWS's detection delay) 30 s earlier too
    const at = (i: number, xff: string | null) => logRecord({ timestamp: 1_700_000_000_000 + i * 1000, httpRequest: { ...logRecord().httpRequest, headers: xff === null ? [] : [{ name: "X-Forwarded-For", value: xff }] } });
    const c = compileAcl(aclConfig(aclValues([rb("MATCH")])), { logged: null });
    const state = new RateState();
    for (let i = 0; i < 50; i++) evaluateRequest(c, at(i, "203.0.113.1, 10.0.0.1"), state);
    assert.deepEqual(pick(evaluateRequest(c, at(51, "203.0.113.1"), state)), { action: "BLOCK", certain: true });
    assert.deepEqual(pick(evaluateRequest(c, at(52, "203.0.113.2, 203.0.113.1"), state)), { action: "ALLOW", certain: true });
    assert.deepEqual(pick(evaluateRequest(c, at(53, null), state)), { action: "ALLOW", certain: true }, "no header: the rule does not apply");
    assert.deepEqual(pick(evaluateRequest(c, at(54, "garbage"), state)), { action: "BLOCK", certain: true }, "malformed: fallback MATCH");
    const n = compileAcl(aclConfig(aclValues([rb("NO_MATCH")])), { logged: null });
    assert.deepEqual(pick(evaluateRequest(n, at(55, "garbage"), new RateState())), { action: "ALLOW", certain: true });
  });
  it("rate-based with custom keys (header) and a scope-down", () => {
    const st = { rate_based_statement: [{ limit: 10, evaluation_window_sec: 60, aggregate_key_type: "CUSTOM_KEYS", custom_key: [{ header: [{ name: "dogname", text_transformation: tt() }] }], scope_down_statement: [byteMatch("method", "GET", "EXACTLY")] }] };
    const c = compileAcl(aclConfig(aclValues([rule("rate", 0, st)])), { logged: null });
    const state = new RateState();
    const dog = (name: string | null, i: number, method = "GET") =>
      logRecord({ timestamp: 1_700_000_000_000 + i * 1000, httpRequest: { ...logRecord().httpRequest, httpMethod: method, headers: name ? [{ name: "dogname", value: name }] : [] } });
    for (let i = 0; i < 50; i++) evaluateRequest(c, dog("ella", i), state);
    assert.deepEqual(pick(evaluateRequest(c, dog("ella", 51), state)), { action: "BLOCK", certain: true });
    assert.deepEqual(pick(evaluateRequest(c, dog("rex", 52), state)), { action: "ALLOW", certain: true });
    assert.equal(evaluateRequest(c, dog(null, 53), state).action, "ALLOW", "a request without the key is not counted");
    assert.equal(evaluateRequest(c, dog("ella", 54, "POST"), state).action, "ALLOW", "outside the scope-down");
  });
});

describe("traffic: rule groups", () => {
  it("a rule group of the plan is evaluated rule by rule, with rule_action_override and override_action", () => {
    const rgArn = "arn:aws:wafv2:eu-west-3:111122223333:regional/rulegroup/mine/1";
    const group = { name: "mine", rule: [rule("no-admin", 0, byteMatch("uri_path", "/admin", "STARTS_WITH"), "block"), rule("no-debug", 1, byteMatch("query_string", "debug", "CONTAINS"), "block")] };
    const ref = (overrides: Obj[] = [], count = false) => ({
      name: "mine",
      priority: 0,
      override_action: [count ? { count: [{}] } : { none: [{}] }],
      statement: [{ rule_group_reference_statement: [{ arn: rgArn, rule_action_override: overrides }] }],
    });
    const run = (r: Obj, record: WafLogRecord) => evaluateRequest(compileAcl(aclConfig(aclValues([r]), { ruleGroups: { [rgArn]: group } }), { logged: null }), record, new RateState());
    const v = run(ref(), req({ uri: "/admin/x" }));
    assert.deepEqual([v.action, v.terminatingRule, v.managedRule], ["BLOCK", "mine", "no-admin"]);
    assert.equal(run(ref([{ name: "no-admin", action_to_use: action("count") }]), req({ uri: "/admin/x" })).action, "ALLOW");
    assert.equal(run(ref([{ name: "no-admin", action_to_use: action("count") }]), req({ uri: "/admin/x", args: "debug=1" })).managedRule, "no-debug");
    assert.equal(run(ref([], true), req({ uri: "/admin/x" })).action, "ALLOW");
  });
  it("managed group with a scope-down: not evaluated outside it", () => {
    const entry = { ruleGroupId: "AWS#AWSManagedRulesCommonRuleSet", terminatingRule: { ruleId: "SizeRestrictions_BODY", action: "BLOCK" }, nonTerminatingMatchingRules: [], excludedRules: null };
    const record = req({ uri: "/upload" }, { action: "BLOCK", terminatingRuleId: "crs", terminatingRuleType: "MANAGED_RULE_GROUP", ruleGroupList: [entry] });
    const scoped = groupRule("crs", 0, "AWSManagedRulesCommonRuleSet", { scopeDown: { not_statement: [{ statement: [byteMatch("uri_path", "/upload", "STARTS_WITH")] }] } });
    const plain = groupRule("crs", 0, "AWSManagedRulesCommonRuleSet");
    const logged = aclConfig(aclValues([plain]));
    assert.equal(evaluateRequest(compileAcl(logged), record, new RateState()).action, "BLOCK");
    assert.deepEqual(pick(evaluateRequest(compileAcl(aclConfig(aclValues([scoped])), { logged }), record, new RateState())), { action: "ALLOW", certain: true });
  });
});

describe("traffic: managed rule groups add only the labels they can produce", () => {
  const entry = (id: string, counted: string[] = []) => ({ ruleGroupId: id, terminatingRule: null, nonTerminatingMatchingRules: counted.map((ruleId) => ({ ruleId, action: "COUNT", overriddenAction: "BLOCK" })), excludedRules: null });
  const on = (key: string, priority: number) => rule("m", priority, { label_match_statement: [{ scope: "LABEL", key }] });
  const crs = groupRule("crs", 2, "AWSManagedRulesCommonRuleSet", { overrides: { NoUserAgent_HEADER: "count" } });
  const run = (rules: Obj[], record: WafLogRecord) => pick(evaluateRequest(compileAcl(aclConfig(aclValues(rules))), record, new RateState()));
  it("a group evaluated before another does not add the later group's labels (ATP, then a label match, then CRS)", () => {
    const record = req({}, {
      ruleGroupList: [entry("AWS#AWSManagedRulesATPRuleSet"), entry("AWS#AWSManagedRulesCommonRuleSet", ["NoUserAgent_HEADER"])],
      labels: [{ name: "awswaf:managed:aws:core-rule-set:NoUserAgent_Header" }],
    });
    assert.deepEqual(run([groupRule("atp", 0, "AWSManagedRulesATPRuleSet"), on("awswaf:managed:aws:core-rule-set:NoUserAgent_Header", 1), crs], record), { action: "ALLOW", certain: true });
    assert.deepEqual(run([groupRule("atp", 0, "AWSManagedRulesATPRuleSet"), crs, on("awswaf:managed:aws:core-rule-set:NoUserAgent_Header", 3)], record), { action: "BLOCK", certain: true });
  });
  it("a group wafguard does not know: other groups' namespaces are never its own, its own labels are uncertain", () => {
    const third = { ...groupRule("vendor", 0, "SomeVendorRuleSet"), statement: [{ managed_rule_group_statement: [{ name: "SomeVendorRuleSet", vendor_name: "Vendor", rule_action_override: [], scope_down_statement: [] }] }] };
    const record = req({}, {
      ruleGroupList: [entry("Vendor#SomeVendorRuleSet"), entry("AWS#AWSManagedRulesCommonRuleSet", ["NoUserAgent_HEADER"])],
      labels: [{ name: "awswaf:managed:vendor:some:bad" }, { name: "awswaf:managed:aws:core-rule-set:NoUserAgent_Header" }],
    });
    assert.deepEqual(run([third, on("awswaf:managed:aws:core-rule-set:NoUserAgent_Header", 1), crs], record), { action: "ALLOW", certain: true });
    assert.equal(run([third, on("awswaf:managed:vendor:some:bad", 1), crs], record).certain, false);
  });
  it("Bot Control adds the token labels of the record (AWS 'Types of token labels in AWS WAF')", () => {
    const record = req({}, { ruleGroupList: [entry("AWS#AWSManagedRulesBotControlRuleSet")], labels: [{ name: "awswaf:managed:token:absent" }] });
    assert.deepEqual(run([groupRule("bots", 0, "AWSManagedRulesBotControlRuleSet"), on("awswaf:managed:token:absent", 1)], record), { action: "BLOCK", certain: true });
  });
});

describe("traffic: label prefixes and contexts (AWS 'Matching against a label', 'Label match examples')", () => {
  // Account 111122223333, web ACL testWebACL, as in AWS's examples.
  const arn = "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/testWebACL/1";
  const rgArn = "arn:aws:wafv2:us-east-1:111122223333:regional/rulegroup/productionRules/2";
  const everything = byteMatch("uri_path", "/", "STARTS_WITH");
  const labelling = (names: string[], priority = 0) => rule(`add-${priority}`, priority, everything, "count", { rule_label: names.map((name) => ({ name })) });
  const matcher = (key: string, scope = "LABEL") => rule("match_rule", 10, { label_match_statement: [{ scope, key }] });
  const run = (rules: Obj[], record: WafLogRecord = req({}), opts: { arn?: string | null; groups?: Record<string, Obj> } = {}) => {
    const values = aclValues(rules, "allow", { name: "testWebACL", arn: opts.arn === undefined ? arn : opts.arn });
    const acl = aclConfig(values, { ruleGroups: opts.groups ?? {} });
    if (opts.arn === null) delete acl.arn;
    return pick(evaluateRequest(compileAcl(acl, { logged: null }), record, new RateState()));
  };
  const BLOCK = { action: "BLOCK", certain: true };
  const ALLOW = { action: "ALLOW", certain: true };
  it("a local key matches labels of its own web ACL, with any namespaces before it, and only the exact ending", () => {
    assert.deepEqual(run([labelling(["header:encoding:utf8"]), matcher("header:encoding:utf8")]), BLOCK);
    assert.deepEqual(run([labelling(["testNS1:testNS2:header:encoding:utf8"]), matcher("header:encoding:utf8")]), BLOCK);
    assert.deepEqual(run([labelling(["header:encoding2:utf8"]), matcher("header:encoding:utf8")]), ALLOW);
    // A key with namespaces the label does not have: testNS1:LabelA is not LabelA.
    assert.deepEqual(run([labelling(["LabelA"]), matcher("testNS1:LabelA")]), ALLOW);
  });
  it("a local key does not match the same label added by a rule group of the web ACL (another context); its prefix does", () => {
    const group = { name: "productionRules", arn: rgArn, rule: [labelling(["header:encoding:utf8"])] };
    const ref = { name: "rg", priority: 0, override_action: [{ none: [{}] }], statement: [{ rule_group_reference_statement: [{ arn: rgArn, rule_action_override: [] }] }] };
    assert.deepEqual(run([ref, matcher("header:encoding:utf8")], req({}), { groups: { [rgArn]: group } }), ALLOW);
    assert.deepEqual(run([ref, matcher("awswaf:111122223333:rulegroup:productionRules:header:encoding:utf8")], req({}), { groups: { [rgArn]: group } }), BLOCK);
    // Inside the group, its own local key matches.
    const inner = { name: "productionRules", arn: rgArn, rule: [labelling(["header:encoding:utf8"]), { ...matcher("header:encoding:utf8"), priority: 1 }] };
    assert.deepEqual(run([ref], req({}), { groups: { [rgArn]: inner } }), BLOCK);
  });
  it("managed rule group labels match only with their prefix (LABEL and NAMESPACE)", () => {
    const entry = { ruleGroupId: "AWS#AWSManagedRulesCommonRuleSet", terminatingRule: null, nonTerminatingMatchingRules: [{ ruleId: "NoUserAgent_HEADER", action: "COUNT", overriddenAction: "BLOCK" }], excludedRules: null };
    const record = req({}, { ruleGroupList: [entry], labels: [{ name: "awswaf:managed:aws:core-rule-set:NoUserAgent_Header" }] });
    const crs = groupRule("crs", 0, "AWSManagedRulesCommonRuleSet", { overrides: { NoUserAgent_HEADER: "count" } });
    const loggedRun = (key: string, scope = "LABEL") => {
      const acl = aclConfig(aclValues([crs, matcher(key, scope)], "allow", { name: "testWebACL", arn }));
      return pick(evaluateRequest(compileAcl(acl), record, new RateState()));
    };
    assert.deepEqual(loggedRun("NoUserAgent_Header"), ALLOW);
    assert.deepEqual(loggedRun("core-rule-set:NoUserAgent_Header"), ALLOW);
    assert.deepEqual(loggedRun("core-rule-set:", "NAMESPACE"), ALLOW);
    assert.deepEqual(loggedRun("awswaf:managed:aws:core-rule-set:NoUserAgent_Header"), BLOCK);
    assert.deepEqual(loggedRun("awswaf:managed:aws:core-rule-set:", "NAMESPACE"), BLOCK);
    assert.deepEqual(loggedRun("awswaf:managed:aws:", "NAMESPACE"), BLOCK);
  });
  it("local namespace: matches its own web ACL's labels, not a managed label with the same namespaces", () => {
    assert.deepEqual(run([labelling(["header:encoding:utf8"]), matcher("header:encoding:", "NAMESPACE")]), BLOCK);
    assert.deepEqual(run([labelling(["other:utf8"]), matcher("header:encoding:", "NAMESPACE")]), ALLOW);
    const record = req({}, { labels: [{ name: "awswaf:managed:aws:core-rule-set:header:encoding:utf8" }] });
    assert.deepEqual(run([matcher("header:encoding:", "NAMESPACE")], record), ALLOW);
  });
  it("a fully qualified key of the web ACL's own context, with the account unknown in the plan: uncertain, never a certain no", () => {
    assert.deepEqual(run([labelling(["internal:admin"]), matcher("internal:admin")], req({}), { arn: null }), BLOCK);
    const v = run([labelling(["internal:admin"]), matcher("awswaf:111122223333:webacl:testWebACL:internal:admin")], req({}), { arn: null });
    assert.equal(v.certain, false);
    assert.deepEqual(run([labelling(["internal:admin"]), matcher("awswaf:111122223333:webacl:testWebACL:internal:admin")]), BLOCK);
  });
});

describe("traffic: a managed rule group changed between the logged ACL and the plan", () => {
  const crsEntry = (terminating: string | null) => ({ ruleGroupId: "AWS#AWSManagedRulesCommonRuleSet", terminatingRule: terminating ? { ruleId: terminating, action: "BLOCK" } : null, nonTerminatingMatchingRules: [], excludedRules: null });
  const group = (extra: Obj = {}, scopeDown?: Obj) => {
    const r = groupRule("crs", 0, "AWSManagedRulesCommonRuleSet", scopeDown ? { scopeDown } : {});
    const st = (r.statement as Obj[])[0]!.managed_rule_group_statement as Obj[];
    st[0] = { ...st[0], ...extra };
    return r;
  };
  const run = (logged: Obj, planned: Obj, record: WafLogRecord) => pick(evaluateRequest(compileAcl(aclConfig(aclValues([planned])), { logged: aclConfig(aclValues([logged])) }), record, new RateState()));
  it("a wider scope-down in the plan: a request the logged scope-down excluded has no match list (uncertain); one it let in is exact", () => {
    const api = byteMatch("uri_path", "/api", "STARTS_WITH");
    // The logged group never saw /admin: it is absent from ruleGroupList, which would read as "no match".
    assert.equal(run(group({}, api), group(), req({ uri: "/admin/x" })).certain, false);
    assert.deepEqual(run(group({}, api), group(), req({ uri: "/api/x" })), { action: "ALLOW", certain: true });
    assert.deepEqual(run(group({}, api), group(), req({ uri: "/api/x" }, { action: "BLOCK", terminatingRuleId: "crs", terminatingRuleType: "MANAGED_RULE_GROUP", ruleGroupList: [crsEntry("GenericLFI_URIPATH")] })), { action: "BLOCK", certain: true });
  });
  it("another version or managed_rule_group_configs: the logged matches do not stand for the planned group", () => {
    const blocked = req({ uri: "/x" }, { action: "BLOCK", terminatingRuleId: "crs", terminatingRuleType: "MANAGED_RULE_GROUP", ruleGroupList: [crsEntry("GenericLFI_URIPATH")] });
    const passed = req({ uri: "/x" }, { ruleGroupList: [crsEntry(null)] });
    assert.deepEqual(run(group({ version: "Version_1.4" }), group({ version: "Version_1.4" }), blocked), { action: "BLOCK", certain: true });
    assert.equal(run(group({ version: "Version_1.4" }), group({ version: "Version_1.5" }), passed).certain, false);
    assert.equal(run(group({ version: null }), group({ version: "Version_1.5" }), blocked).certain, false);
    assert.equal(run(group(), group({ managed_rule_group_configs: [{ login_path: "/login" }] }), passed).certain, false);
    // Written as [] or null: the same unset configuration.
    assert.deepEqual(run(group({ managed_rule_group_configs: [] }), group({ managed_rule_group_configs: null }), passed), { action: "ALLOW", certain: true });
  });
});
