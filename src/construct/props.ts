/**
 * The props of WafProtectedApi, whichever framework binds it, and their validation. Validation runs
 * on resolved values only: a Terraform token (a reference, a variable) passes through to Terraform,
 * as every CDK construct does, and wafguard checks the synthesized output instead.
 */
import { formatNetwork, networkOf, parseCidr } from "../engine/host-builtins";
import type { Framework } from "./framework";

export type RolloutMode = "count" | "enforce";
export type BodyInspectionLimit = "KB_16" | "KB_32" | "KB_48" | "KB_64";
export type CustomRuleAction = "allow" | "block" | "count" | "captcha" | "challenge";

/**
 * A scoped exception, as `wafguard logs` writes it: one managed sub-rule stops blocking one route
 * (and method), and keeps blocking everywhere else.
 */
export interface WafException {
  /** Managed rule group name, e.g. "AWSManagedRulesCommonRuleSet". */
  readonly ruleGroup: string;
  /** The sub-rule to count, e.g. "SizeRestrictions_BODY". */
  readonly rule: string;
  /** The label that sub-rule adds, as logged: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body". */
  readonly label: string;
  /** Exempt only this HTTP method (upper case). @default - every method */
  readonly method?: string;
  /** Route template: "/orders/{id}/attachments"; "{name}" is one path segment. */
  readonly path: string;
}

/** A rule of your own, placed after the rate rule and before the managed rule groups, in array order. */
export interface CustomRule {
  /** Rule name (also its metric name, prefixed with the web ACL name). Letters, digits, - and _. */
  readonly name: string;
  /** What a match does. */
  readonly action: CustomRuleAction;
  /**
   * The rule's statement in the provider's shape with snake_case keys, as Terraform writes it:
   * `{ byte_match_statement: { search_string: "/health", field_to_match: { uri_path: {} }, ... } }`.
   * The provider types `statement` as `any`, so camelCase keys would reach Terraform as they are.
   */
  readonly statement: Record<string, unknown>;
}

/** Props of WafProtectedApi; `TStage` is the framework's ApiGatewayStage. */
export interface WafProtectedApiProps<TStage = unknown> {
  /**
   * The REST API stages to protect: stage constructs, or stage ARNs
   * (arn:aws:apigateway:REGION::/restapis/ID/stages/NAME) for stages imported from elsewhere.
   * One association is created per stage, referencing the stage.
   */
  readonly stages: Array<TStage | string>;

  /**
   * Name of the web ACL; also names the log group (`aws-waf-logs-<name>`) and the IP sets.
   * @default - the construct id and a hash of its path in the app, unique per stack and construct
   */
  readonly name?: string;

  /**
   * ARN of a web ACL managed elsewhere: only the associations are created, and the props that
   * shape a web ACL are rejected.
   * @default - a new web ACL
   */
  readonly existingWebAcl?: string;

  /**
   * `count`: managed rule groups only count, so the team can read the logs before they block.
   * `enforce`: they block. Roll out in `count`, then switch.
   * @default "count"
   */
  readonly mode?: RolloutMode;

  /**
   * Managed rule groups that stay in count when `mode` is `enforce` (a group added later starts
   * its own count phase while the others block).
   * @default - none
   */
  readonly countedGroups?: string[];

  /**
   * Sub-rules to count, per managed rule group name:
   * `{ AWSManagedRulesCommonRuleSet: ["CrossSiteScripting_BODY"] }`.
   * @default - CommonRuleSet's SizeRestrictions_BODY and NoUserAgent_HEADER only
   */
  readonly countedRules?: Record<string, string[]>;

  /**
   * Scoped exceptions (what `wafguard logs` proposes): the sub-rule is counted, and a rule right
   * after its group blocks requests with the sub-rule's label except on the given route.
   * @default - none
   */
  readonly exceptions?: WafException[];

  /**
   * Rules of your own, after the rate rule and before the managed rule groups.
   * @default - none
   */
  readonly rules?: CustomRule[];

  /**
   * Requests per 5 minutes per client IP before the rate rule answers 429. From 10 to 2,000,000,000.
   * @default 2000
   */
  readonly rateLimit?: number;

  /**
   * IPv4 and IPv6 CIDR ranges exempt from the rate limit (monitoring, office egress, partners).
   * A token goes to the IPv6 set when its text shows IPv6 (a ":" or a prefix over /32), else to
   * the IPv4 set.
   * @default - none
   */
  readonly trustedCidrs?: string[];

  /**
   * How much of a request body WAF inspects. The Core rule set's SizeRestrictions_BODY (8 KB) is
   * counted, so a raised limit does not block large bodies.
   * @default "KB_16"
   */
  readonly bodyInspectionLimit?: BodyInspectionLimit;

  /**
   * ARN of the log destination: a CloudWatch log group, an S3 bucket or a Data Firehose stream
   * whose name starts with `aws-waf-logs-`. Then no log group is created.
   * @default - a CloudWatch log group `aws-waf-logs-<name>`
   */
  readonly logDestinationArn?: string;

  /**
   * Retention of the log group the construct creates, in days.
   * @default 90
   */
  readonly logRetentionDays?: number;

  /**
   * KMS key ARN that encrypts the log group the construct creates (its key policy must allow
   * CloudWatch Logs).
   * @default - CloudWatch Logs' own encryption
   */
  readonly logKmsKeyArn?: string;

  /**
   * Add the SQL database managed rule group (200 WCUs).
   * @default false
   */
  readonly enableSqli?: boolean;

  /**
   * Add Bot Control at the COMMON inspection level. It costs extra and blocks unverified bots and
   * HTTP libraries: check your API clients first.
   * @default false
   */
  readonly enableBotControl?: boolean;

  /**
   * URI path prefixes that browsers load (a login page) to answer with CAPTCHA, such as "/login".
   * API clients cannot solve CAPTCHA (they get 405): never list API paths. "/" is rejected: it
   * is the whole API.
   * @default - none
   */
  readonly captchaPaths?: string[];

  /**
   * Tags for every resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const NAME = /^[A-Za-z0-9_-]{1,128}$/;
const STAGE_ARN = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+::\/restapis\/[^/]+\/stages\/[^/]+$/;
const WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[A-Za-z0-9_-]+\/[A-Za-z0-9-]+$/;
const LOG_DESTINATION_ARN = [
  /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:aws-waf-logs-[^:]+(:\*)?$/,
  /^arn:aws[a-z-]*:s3:::aws-waf-logs-[a-z0-9.-]+(\/.*)?$/,
  /^arn:aws[a-z-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream\/aws-waf-logs-[A-Za-z0-9_.-]+$/,
];
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
/** Characters of a URI path (RFC 3986 pchar and "/"). */
const PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]+$/;
const ROUTE = /^\/([A-Za-z0-9._~!$&'()*+,;=:@%-]+|\{[A-Za-z0-9_]+\+?\})?(\/([A-Za-z0-9._~!$&'()*+,;=:@%-]+|\{[A-Za-z0-9_]+\+?\}))*$/;
const METHOD = /^[A-Z]{3,10}$/;
const LABEL = /^awswaf:[A-Za-z0-9:_.-]+$/;
const ACL_PROPS = [
  "name", "mode", "countedGroups", "countedRules", "exceptions", "rules", "rateLimit", "trustedCidrs", "bodyInspectionLimit",
  "logDestinationArn", "logRetentionDays", "logKmsKeyArn", "enableSqli", "enableBotControl", "captchaPaths",
] as const;

export const ACTIONS: CustomRuleAction[] = ["allow", "block", "count", "captcha", "challenge"];

/** The managed rule groups the construct adds with these props, by the rule name it gives each. */
export function managedGroups(props: WafProtectedApiProps): Array<{ rule: string; group: string }> {
  return [
    { rule: "ip-reputation", group: "AWSManagedRulesAmazonIpReputationList" },
    { rule: "common", group: "AWSManagedRulesCommonRuleSet" },
    { rule: "known-bad-inputs", group: "AWSManagedRulesKnownBadInputsRuleSet" },
    ...(props.enableSqli ? [{ rule: "sqli", group: "AWSManagedRulesSQLiRuleSet" }] : []),
    ...(props.enableBotControl ? [{ rule: "bot-control", group: "AWSManagedRulesBotControlRuleSet" }] : []),
  ];
}

/** Throws `WafProtectedApi: <what is wrong>` for the first bad prop. */
export function validateProps(fw: Framework, props: WafProtectedApiProps, name: string): void {
  const fail = (message: string): never => {
    throw new Error(`WafProtectedApi: ${message}`);
  };
  const known = (v: unknown) => v !== undefined && !fw.isUnresolved(v);
  const list = <T>(what: string, value: T[] | undefined): T[] => {
    if (value === undefined) return [];
    if (fw.isUnresolved(value)) fail(`${what} must be a list written in code; a list token cannot be checked or split`);
    if (!Array.isArray(value)) fail(`${what} must be a list`);
    return value;
  };

  const unknownProp = Object.keys(props).find((k) => !["stages", "existingWebAcl", "tags", ...ACL_PROPS].includes(k));
  if (unknownProp) fail(`unknown prop "${unknownProp}"`);
  const stages = list("stages", props.stages);
  if (stages.length === 0) fail("stages must name at least one REST API stage");
  stages.forEach((stage, i) => {
    if (fw.isHttpStage(stage)) fail(`stages[${i}] is an HTTP or WebSocket API stage (aws_apigatewayv2_stage); AWS WAF cannot protect those, only REST API stages`);
    if (typeof stage !== "string") {
      if (!fw.isRestStage(stage)) fail(`stages[${i}] must be an ApiGatewayStage of ${fw.name} or a stage ARN`);
      return;
    }
    if (fw.isUnresolved(stage)) return;
    if (/:apigateway:[^:]*::\/apis\//.test(stage)) fail(`stages[${i}] "${stage}" is an HTTP API; AWS WAF cannot protect HTTP APIs, only REST API stages`);
    if (!STAGE_ARN.test(stage)) fail(`stages[${i}] "${stage}" is not a REST API stage ARN (arn:aws:apigateway:REGION::/restapis/API_ID/stages/STAGE)`);
  });

  if (props.existingWebAcl !== undefined) {
    const extra = ACL_PROPS.find((k) => props[k] !== undefined);
    if (extra) fail(`existingWebAcl is set, so "${extra}" has no web ACL to shape; configure that web ACL where it is defined`);
    if (known(props.existingWebAcl) && !WEB_ACL_ARN.test(props.existingWebAcl as string)) {
      fail(`existingWebAcl "${props.existingWebAcl}" is not a REGIONAL web ACL ARN (arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID)`);
    }
    return;
  }

  if (known(name) && !/^[A-Za-z0-9_-]{1,100}$/.test(name)) fail(`name "${name}" must be 1 to 100 letters, digits, hyphens or underscores`);
  if (props.mode !== undefined && !fw.isUnresolved(props.mode) && !["count", "enforce"].includes(props.mode)) fail(`mode "${props.mode}" must be "count" or "enforce"`);
  const rateLimit = props.rateLimit;
  if (known(rateLimit) && (!Number.isInteger(rateLimit) || (rateLimit as number) < 10 || (rateLimit as number) > 2_000_000_000)) {
    fail(`rateLimit ${rateLimit} must be a whole number from 10 to 2,000,000,000`);
  }
  for (const cidr of list("trustedCidrs", props.trustedCidrs)) {
    if (fw.isUnresolved(cidr)) continue;
    const n = typeof cidr === "string" ? parseCidr(cidr) : null;
    if (!n) fail(`trustedCidrs: "${cidr}" is not a CIDR range (address/prefix, such as 203.0.113.0/24 or 2001:db8::/32)`);
    else {
      if (n.prefix === 0) fail(`trustedCidrs: "${cidr}" is a /0 range, which AWS WAF does not accept`);
      if (networkOf(n) !== n.address) {
        const host = `${cidr.split("/")[0]}/${n.family === 4 ? 32 : 128}`;
        fail(`trustedCidrs: "${cidr}" has host bits set; write the network "${formatNetwork(n.family, networkOf(n), n.prefix)}" or the single host "${host}"`);
      }
    }
  }
  const limit = props.bodyInspectionLimit;
  if (known(limit) && !["KB_16", "KB_32", "KB_48", "KB_64"].includes(limit as string)) fail(`bodyInspectionLimit "${limit}" must be KB_16, KB_32, KB_48 or KB_64`);
  if (known(props.logRetentionDays) && !LOG_RETENTION_DAYS.includes(props.logRetentionDays as number)) {
    fail(`logRetentionDays ${props.logRetentionDays} is not a CloudWatch Logs retention value (${LOG_RETENTION_DAYS.slice(0, 12).join(", ")}, ...)`);
  }
  if (props.logDestinationArn !== undefined) {
    if (props.logRetentionDays !== undefined || props.logKmsKeyArn !== undefined) fail("logRetentionDays and logKmsKeyArn configure the log group the construct creates; with logDestinationArn, configure your destination instead");
    if (known(props.logDestinationArn) && !LOG_DESTINATION_ARN.some((re) => re.test(props.logDestinationArn as string))) {
      fail(`logDestinationArn "${props.logDestinationArn}" must be the ARN of a CloudWatch log group, S3 bucket or Data Firehose stream whose name starts with aws-waf-logs- (AWS WAF delivers to no other)`);
    }
  }
  if (known(props.logKmsKeyArn) && !KMS_KEY_ARN.test(props.logKmsKeyArn as string)) fail(`logKmsKeyArn "${props.logKmsKeyArn}" must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)`);

  list("captchaPaths", props.captchaPaths).forEach((path, i) => {
    if (fw.isUnresolved(path)) return;
    if (path === "/" || path === "" || typeof path !== "string" || !PATH.test(path)) {
      fail(`captchaPaths[${i}] "${path}" must be a URI path below the root, such as "/login" ("/" or "" would put CAPTCHA on the whole API)`);
    }
  });

  const groups = new Map(managedGroups(props).map((g) => [g.group, g.rule]));
  const groupNames = [...groups.keys()].join(", ");
  const checkGroup = (what: string, group: string) => {
    if (!groups.has(group)) fail(`${what}: "${group}" is not a rule group of this web ACL (${groupNames})`);
  };
  for (const group of list("countedGroups", props.countedGroups)) checkGroup("countedGroups", group);
  for (const [group, rules] of Object.entries(props.countedRules ?? {})) {
    checkGroup("countedRules", group);
    for (const rule of list(`countedRules.${group}`, rules)) {
      if (known(rule) && !NAME.test(rule)) fail(`countedRules.${group}: "${rule}" is not a rule name`);
    }
  }
  list("exceptions", props.exceptions).forEach((e, i) => {
    const where = `exceptions[${i}]`;
    const extra = Object.keys(e ?? {}).find((k) => !["ruleGroup", "rule", "label", "method", "path"].includes(k));
    if (extra) fail(`${where}: unknown key "${extra}" (expected ruleGroup, rule, label, method, path)`);
    checkGroup(`${where}.ruleGroup`, e.ruleGroup);
    if (known(e.rule) && !NAME.test(e.rule)) fail(`${where}.rule "${e.rule}" is not a rule name`);
    if (known(e.label) && !LABEL.test(e.label)) fail(`${where}.label "${e.label}" is not a WAF label (awswaf:managed:aws:core-rule-set:SizeRestrictions_Body)`);
    if (known(e.method) && !METHOD.test(e.method as string)) fail(`${where}.method "${e.method}" must be an HTTP method in upper case, such as POST`);
    if (e.path === undefined || (known(e.path) && !ROUTE.test(e.path))) fail(`${where}.path "${e.path}" must be a route template such as "/orders/{id}/attachments"`);
  });

  const names = new Set(["rate-per-ip", "captcha-browser-paths", ...groups.values()]);
  list("rules", props.rules).forEach((rule, i) => {
    const where = `rules[${i}]`;
    const extra = Object.keys(rule ?? {}).find((k) => !["name", "action", "statement"].includes(k));
    if (extra) fail(`${where}: unknown key "${extra}" (expected name, action, statement)`);
    if (known(rule.name)) {
      if (!NAME.test(rule.name)) fail(`${where}.name "${rule.name}" must be 1 to 128 letters, digits, hyphens or underscores`);
      if (names.has(rule.name)) fail(`${where}.name "${rule.name}" is already a rule of this web ACL`);
      names.add(rule.name);
    }
    if (!ACTIONS.includes(rule.action)) fail(`${where}.action "${rule.action}" must be one of ${ACTIONS.join(", ")}`);
    validateStatement(fw, `${where}.statement`, rule.statement, fail);
  });
}

/** One statement, snake_case keys throughout (the provider's `statement` is untyped: WG801). */
function validateStatement(fw: Framework, where: string, statement: unknown, fail: (m: string) => never): void {
  if (fw.isUnresolved(statement)) return;
  if (typeof statement !== "object" || statement === null || Array.isArray(statement)) fail(`${where} must be an object with one *_statement key`);
  const keys = Object.keys(statement as object);
  if (keys.length !== 1 || !keys[0].endsWith("_statement")) fail(`${where} must have exactly one *_statement key (got ${keys.join(", ") || "none"})`);
  if (["managed_rule_group_statement", "rule_group_reference_statement"].includes(keys[0])) {
    fail(`${where}: ${keys[0]} takes an override_action, not an action; rule groups are not custom rules`);
  }
  const walk = (value: unknown, path: string): void => {
    if (fw.isUnresolved(value) || typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`));
    for (const [k, v] of Object.entries(value)) {
      if (!/^[a-z0-9_]+$/.test(k)) fail(`${path}: key "${k}" must be snake_case as Terraform writes it (${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)})`);
      walk(v, `${path}.${k}`);
    }
  };
  walk(statement, where);
}

/** A regular expression matching the route template's paths: "{id}" is one segment, "{proxy+}" the rest. */
export function routeRegex(template: string): string {
  const parts = template.split("/").map((seg) => {
    if (/^\{[A-Za-z0-9_]+\+\}$/.test(seg)) return ".+";
    if (/^\{[A-Za-z0-9_]+\}$/.test(seg)) return "[^/]+";
    return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  });
  return `^${parts.join("/")}$`;
}
