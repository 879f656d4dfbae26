/**
 * WafProtectedApi: a REGIONAL web ACL in front of API Gateway REST API stages, with defaults that
 * protect the API without breaking it, and that wafguard passes with no error and no warning.
 */
import { Token } from "cdktf";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2IpSet } from "@cdktf/provider-aws/lib/wafv2-ip-set";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import { formatNetwork, networkOf, parseCidr } from "../engine/host-builtins";

export type RolloutMode = "count" | "enforce";
export type BodyInspectionLimit = "KB_16" | "KB_32" | "KB_48" | "KB_64";

export interface WafProtectedApiProps {
  /**
   * The REST API stages to protect: stage constructs, or stage ARNs
   * (arn:aws:apigateway:REGION::/restapis/ID/stages/NAME) for stages imported from elsewhere.
   * One association is created per stage, referencing the stage.
   */
  readonly stages: Array<ApiGatewayStage | string>;

  /**
   * Name of the web ACL; also names the log group (`aws-waf-logs-<name>`) and the IP sets.
   * @default the construct's id
   */
  readonly name?: string;

  /**
   * `count`: managed rule groups only count, so the team can read the logs before they block.
   * `enforce`: they block. Roll out in `count`, then switch.
   * @default "count"
   */
  readonly mode?: RolloutMode;

  /**
   * Requests per 5 minutes per client IP before the rate rule answers 429. From 10 to 2,000,000,000.
   * @default 2000
   */
  readonly rateLimit?: number;

  /**
   * IPv4 and IPv6 CIDR ranges exempt from the rate limit (monitoring, office egress, partners).
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
   * Retention of the WAF log group, in days.
   * @default 90
   */
  readonly logRetentionDays?: number;

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
   * URI path prefixes that browsers load (a login page) to answer with CAPTCHA. API clients cannot
   * solve CAPTCHA (they get 405): never list API paths.
   * @default - none
   */
  readonly captchaPaths?: string[];

  /**
   * Tags for every resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export class WafProtectedApi extends Construct {
  /** The web ACL; use `addOverride` for anything the props do not cover. */
  readonly webAcl: Wafv2WebAcl;
  /** The CloudWatch log group that receives the WAF logs. */
  readonly logGroup: CloudwatchLogGroup;
  readonly loggingConfiguration: Wafv2WebAclLoggingConfiguration;
  /** One association per stage, in the order of `stages`. */
  readonly associations: Wafv2WebAclAssociation[];
  /** The IPv4 and IPv6 sets of `trustedCidrs` (possibly empty). */
  readonly trustedIpSets: { readonly ipv4: Wafv2IpSet; readonly ipv6: Wafv2IpSet };

  constructor(scope: Construct, id: string, props: WafProtectedApiProps) {
    super(scope, id);
    const name = props.name ?? id;
    const mode = props.mode ?? "count";
    const rateLimit = props.rateLimit ?? 2000;
    const trusted = props.trustedCidrs ?? [];
    const logRetentionDays = props.logRetentionDays ?? 90;
    validate(name, props, rateLimit, trusted, logRetentionDays);

    const tags = props.tags;
    const ipSet = (family: "IPV4" | "IPV6") =>
      new Wafv2IpSet(this, `trusted-${family.toLowerCase()}`, {
        name: `${name}-trusted-${family === "IPV4" ? "v4" : "v6"}`,
        scope: "REGIONAL",
        ipAddressVersion: family,
        addresses: trusted.filter((c) => c.includes(":") === (family === "IPV6")),
        tags,
      });
    this.trustedIpSets = { ipv4: ipSet("IPV4"), ipv6: ipSet("IPV6") };

    const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, metricName: `${name}-${metric}`, sampledRequestsEnabled: true });
    // Managed groups count while rolling out: read the logs, then enforce (WG105).
    const override = mode === "enforce" ? { none: {} } : { count: {} };
    const managed = (ruleName: string, priority: number, group: string, extra: Record<string, unknown> = {}): Wafv2WebAclRule => ({
      name: ruleName,
      priority,
      overrideAction: override,
      // The provider's `statement` is untyped in CDKTF: its keys must be snake_case (WG801).
      statement: { managed_rule_group_statement: { name: group, vendor_name: "AWS", ...extra } },
      visibilityConfig: visibility(ruleName),
    });

    const rules: Wafv2WebAclRule[] = [
      {
        name: "rate-per-ip",
        priority: 0,
        // 429, so clients back off; trusted sources are not counted (WG303).
        action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: "too-many-requests" } } },
        statement: {
          rate_based_statement: {
            limit: rateLimit,
            evaluation_window_sec: 300,
            aggregate_key_type: "IP",
            scope_down_statement: {
              not_statement: {
                statement: {
                  or_statement: {
                    statement: [
                      { ip_set_reference_statement: { arn: this.trustedIpSets.ipv4.arn } },
                      { ip_set_reference_statement: { arn: this.trustedIpSets.ipv6.arn } },
                    ],
                  },
                },
              },
            },
          },
        },
        visibilityConfig: visibility("rate-per-ip"),
      },
      managed("ip-reputation", 10, "AWSManagedRulesAmazonIpReputationList"),
      // Bodies over 8 KB and clients without a User-Agent are normal for APIs (WG103, WG104).
      managed("common", 20, "AWSManagedRulesCommonRuleSet", {
        rule_action_override: ["SizeRestrictions_BODY", "NoUserAgent_HEADER"].map((rule) => ({ name: rule, action_to_use: { count: {} } })),
      }),
      managed("known-bad-inputs", 30, "AWSManagedRulesKnownBadInputsRuleSet"),
    ];
    if (props.enableSqli) rules.push(managed("sqli", 40, "AWSManagedRulesSQLiRuleSet"));
    if (props.enableBotControl) {
      rules.push(managed("bot-control", 50, "AWSManagedRulesBotControlRuleSet", { managed_rule_group_configs: [{ aws_managed_rules_bot_control_rule_set: { inspection_level: "COMMON" } }] }));
    }
    if (props.captchaPaths?.length) {
      rules.push({
        name: "captcha-browser-paths",
        priority: 60,
        action: { captcha: {} },
        statement: {
          regex_match_statement: {
            regex_string: `^(${props.captchaPaths.map(escapeRegex).join("|")})`,
            field_to_match: { uri_path: {} },
            text_transformation: [{ priority: 0, type: "NONE" }],
          },
        },
        visibilityConfig: visibility("captcha"),
      });
    }

    this.webAcl = new Wafv2WebAcl(this, "web-acl", {
      name,
      scope: "REGIONAL", // only REGIONAL web ACLs attach to API Gateway stages (WG401)
      defaultAction: { allow: {} },
      rule: rules,
      customResponseBody: [{ key: "too-many-requests", content: '{"message":"Too many requests"}', contentType: "APPLICATION_JSON" }],
      // State the API Gateway body inspection limit instead of relying on the default (WG503, WG504).
      associationConfig: { requestBody: [{ apiGateway: { defaultSizeInspectionLimit: props.bodyInspectionLimit ?? "KB_16" } }] },
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
      tags,
    });

    // Logging makes a 403 diagnosable (WG150); the name prefix is required (WG151).
    this.logGroup = new CloudwatchLogGroup(this, "logs", { name: `aws-waf-logs-${name}`, retentionInDays: logRetentionDays, tags });
    this.loggingConfiguration = new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: [{ singleHeader: { name: "authorization" } }], // WG155
      loggingFilter: {
        defaultBehavior: "DROP",
        filter: [
          {
            behavior: "KEEP",
            requirement: "MEETS_ANY",
            condition: ["BLOCK", "COUNT", "CAPTCHA"].map((action) => ({ actionCondition: { action } })), // WG153
          },
        ],
      },
    });

    // One association per stage, by the stage's own ARN (WG402, WG403, WG405).
    this.associations = props.stages.map(
      (stage, i) =>
        new Wafv2WebAclAssociation(this, `association-${typeof stage === "string" ? i : stage.node.id}`, {
          resourceArn: typeof stage === "string" ? stage : stage.arn,
          webAclArn: this.webAcl.arn,
        }),
    );
  }
}

function validate(name: string, props: WafProtectedApiProps, rateLimit: number, trusted: string[], logRetentionDays: number): void {
  const fail = (message: string): never => {
    throw new Error(`WafProtectedApi: ${message}`);
  };
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(name)) fail(`name "${name}" must be 1 to 100 letters, digits, hyphens or underscores`);
  if (!props.stages || props.stages.length === 0) fail("stages must name at least one REST API stage");
  props.stages.forEach((stage, i) => {
    if (stage instanceof Apigatewayv2Stage) fail(`stages[${i}] is an HTTP or WebSocket API stage (aws_apigatewayv2_stage); AWS WAF cannot protect those, only REST API stages`);
    if (typeof stage !== "string") {
      if (!(stage instanceof ApiGatewayStage)) fail(`stages[${i}] must be an ApiGatewayStage or a stage ARN`);
      return;
    }
    if (Token.isUnresolved(stage)) return;
    if (/:apigateway:[^:]*::\/apis\//.test(stage)) fail(`stages[${i}] "${stage}" is an HTTP API; AWS WAF cannot protect HTTP APIs, only REST API stages`);
    if (!/^arn:aws[a-z-]*:apigateway:[a-z0-9-]+::\/restapis\/[^/]+\/stages\/[^/]+$/.test(stage)) {
      fail(`stages[${i}] "${stage}" is not a REST API stage ARN (arn:aws:apigateway:REGION::/restapis/API_ID/stages/STAGE)`);
    }
  });
  if (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000) fail(`rateLimit ${rateLimit} must be a whole number from 10 to 2,000,000,000`);
  for (const cidr of trusted) {
    const n = parseCidr(cidr);
    if (!n) fail(`trustedCidrs: "${cidr}" is not a CIDR range (address/prefix, such as 203.0.113.0/24 or 2001:db8::/32)`);
    else {
      if (n.prefix === 0) fail(`trustedCidrs: "${cidr}" is a /0 range, which AWS WAF does not accept`);
      if (networkOf(n) !== n.address) {
        const host = `${cidr.split("/")[0]}/${n.family === 4 ? 32 : 128}`;
        fail(`trustedCidrs: "${cidr}" has host bits set; write the network "${formatNetwork(n.family, networkOf(n), n.prefix)}" or the single host "${host}"`);
      }
    }
  }
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) fail(`logRetentionDays ${logRetentionDays} is not a CloudWatch Logs retention value (${LOG_RETENTION_DAYS.slice(0, 12).join(", ")}, ...)`);
}

function escapeRegex(path: string): string {
  return path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
