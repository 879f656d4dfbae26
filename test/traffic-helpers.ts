/** Builders for traffic tests: web ACLs in plan shape, Models, and WAF log records shaped like AWS's examples. */
import type { AclConfig } from "../src/traffic/acl";
import type { WafLogRecord } from "../src/traffic/log-record";
import { makeModel, type Model, type ModelResource } from "../src/model";

export const ACL_ARN = "arn:aws:wafv2:eu-west-3:111122223333:regional/webacl/api/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

type Obj = Record<string, unknown>;

/**
 * A log record in the shape of AWS WAF Developer Guide, "Log examples for web ACL traffic"
 * (https://docs.aws.amazon.com/waf/latest/developerguide/logging-examples.html): an API Gateway request.
 */
export function logRecord(over: Omit<Partial<WafLogRecord>, "httpRequest"> & { httpRequest?: Partial<WafLogRecord["httpRequest"]> } = {}): WafLogRecord {
  const { httpRequest, ...rest } = over;
  return {
    timestamp: 1683355579981,
    formatVersion: 1,
    webaclId: ACL_ARN,
    terminatingRuleId: "Default_Action",
    terminatingRuleType: "REGULAR",
    action: "ALLOW",
    terminatingRuleMatchDetails: [],
    httpSourceName: "APIGW",
    httpSourceId: "EXAMPLE11:rjvegx5guh:CanaryTest",
    ruleGroupList: [],
    rateBasedRuleList: [],
    nonTerminatingMatchingRules: [],
    requestHeadersInserted: null,
    responseCodeSent: null,
    httpRequest: {
      clientIp: "52.46.82.45",
      country: "FR",
      headers: [
        { name: "X-Forwarded-For", value: "52.46.82.45" },
        { name: "X-Forwarded-Proto", value: "https" },
        { name: "X-Forwarded-Port", value: "443" },
        { name: "Host", value: "rjvegx5guh.execute-api.eu-west-3.amazonaws.com" },
        { name: "X-Amzn-Trace-Id", value: "Root=1-645566cf-7cb058b04d9bb3ee01dc4036" },
        { name: "User-Agent", value: "RateBasedRuleTestKoipOneKeyModulePV2" },
        { name: "Accept-Encoding", value: "gzip,deflate" },
      ],
      uri: "/CanaryTest",
      args: "",
      httpVersion: "HTTP/1.1",
      httpMethod: "GET",
      requestId: "Ed0AiHF_CGYF-DA=",
      ...httpRequest,
    },
    ...rest,
  } as WafLogRecord;
}

export const tt = (...types: string[]): Obj[] => (types.length ? types : ["NONE"]).map((type, priority) => ({ priority, type }));

export function field(kind: string, opts: Obj = {}): Obj[] {
  return [{ [kind]: [opts] }];
}

export function byteMatch(fieldKind: string, search: string, position = "CONTAINS", transforms: string[] = [], fieldOpts: Obj = {}): Obj {
  return { byte_match_statement: [{ search_string: search, positional_constraint: position, field_to_match: field(fieldKind, fieldOpts), text_transformation: tt(...transforms) }] };
}

export function action(kind: string, extra: Obj = {}): Obj[] {
  const a: Obj = { allow: [], block: [], count: [], captcha: [], challenge: [] };
  a[kind] = [extra];
  return [a];
}

export function rule(name: string, priority: number, statement: Obj, act = "block", extra: Obj = {}): Obj {
  return { name, priority, action: action(act), override_action: [], statement: [statement], visibility_config: [], rule_label: [], ...extra };
}

export function groupRule(name: string, priority: number, group: string, opts: { count?: boolean; overrides?: Record<string, string>; scopeDown?: Obj } = {}): Obj {
  return {
    name,
    priority,
    action: [],
    override_action: [opts.count ? { count: [{}], none: [] } : { count: [], none: [{}] }],
    statement: [
      {
        managed_rule_group_statement: [
          {
            name: group,
            vendor_name: "AWS",
            rule_action_override: Object.entries(opts.overrides ?? {}).map(([n, a]) => ({ name: n, action_to_use: action(a) })),
            scope_down_statement: opts.scopeDown ? [opts.scopeDown] : [],
          },
        ],
      },
    ],
    visibility_config: [],
    rule_label: [],
  };
}

export function aclValues(rules: Obj[], defaultAction = "allow", extra: Obj = {}): Obj {
  return { name: "api", scope: "REGIONAL", arn: ACL_ARN, default_action: action(defaultAction), rule: rules, ...extra };
}

export function aclConfig(values: Obj, sets: { ipSets?: Record<string, Obj>; regexSets?: Record<string, Obj>; ruleGroups?: Record<string, Obj> } = {}): AclConfig {
  return {
    address: "aws_wafv2_web_acl.api",
    name: String(values.name ?? "api"),
    scope: "REGIONAL",
    arn: ACL_ARN,
    values,
    ipSets: new Map(Object.entries(sets.ipSets ?? {})),
    regexPatternSets: new Map(Object.entries(sets.regexSets ?? {})),
    ruleGroups: new Map(Object.entries(sets.ruleGroups ?? {})),
    references: new Map(),
    bodyInspectionLimitBytes: 16384,
  };
}

export function resource(address: string, values: Obj, before: Obj | null, action: ModelResource["action"] = "update"): ModelResource {
  const [type, name] = address.split(".") as [string, string];
  return { address, type, name, module: "", index: null, mode: "managed", provider: "aws", region: "eu-west-3", values, unknown: [], action, before };
}

export function model(resources: ModelResource[]): Model {
  return makeModel(resources, []);
}

export async function* asLogs(records: WafLogRecord[], file = "test.log"): AsyncGenerator<{ record: WafLogRecord; file: string; line: number }> {
  let line = 0;
  for (const record of records) yield { record, file, line: ++line };
}
