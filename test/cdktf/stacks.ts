/**
 * The bundled examples written as CDKTF stacks with the real cdktf and @cdktf/provider-aws, so that
 * tests can synthesize them and check that CDKTF output gives the same findings as the plan and the
 * .tf files. Logical IDs are set to the Terraform names used there.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformIterator, TerraformStack, type TerraformResource } from "cdktf";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Wafv2IpSet } from "@cdktf/provider-aws/lib/wafv2-ip-set";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import type { Construct } from "constructs";

function named<T extends TerraformResource>(resource: T, name: string): T {
  resource.overrideLogicalId(name);
  return resource;
}

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

function api(scope: Construct) {
  const orders = named(new ApiGatewayRestApi(scope, "orders", { name: "orders", endpointConfiguration: { types: ["REGIONAL"] } }), "orders");
  const deployment = named(new ApiGatewayDeployment(scope, "deployment", { restApiId: orders.id }), "this");
  const stage = (name: string) => named(new ApiGatewayStage(scope, name, { restApiId: orders.id, deploymentId: deployment.id, stageName: name }), name);
  return { orders, prod: stage("prod"), staging: stage("staging") };
}

function managedRule(name: string, priority: number, group: string, mode: "count" | "none", overrides: string[] = []): Wafv2WebAclRule {
  return {
    name,
    priority,
    overrideAction: mode === "count" ? { count: {} } : { none: {} },
    // The provider's statement is untyped in CDKTF: its keys must already be snake_case.
    statement: {
      managed_rule_group_statement: {
        name: group,
        vendor_name: "AWS",
        ...(overrides.length ? { rule_action_override: overrides.map((n) => ({ name: n, action_to_use: { count: {} } })) } : {}),
      },
    },
    visibilityConfig: visibility(name),
  };
}

export class BrokenStack extends TerraformStack {
  constructor(scope: Construct, id: string, options: { camelCaseStatement?: boolean } = {}) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-east-1" });
    const { prod } = api(this);
    const common: Wafv2WebAclRule = options.camelCaseStatement
      ? { ...managedRule("common", 1, "AWSManagedRulesCommonRuleSet", "none"), statement: { managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet", vendorName: "AWS" } } }
      : managedRule("common", 1, "AWSManagedRulesCommonRuleSet", "none");
    const acl = named(
      new Wafv2WebAcl(this, "acl", {
        name: "api",
        scope: "REGIONAL",
        defaultAction: { block: {} },
        rule: [
          {
            name: "rate-per-ip",
            priority: 0,
            action: { block: {} },
            statement: { rate_based_statement: { aggregate_key_type: "IP", limit: 100, evaluation_window_sec: 300 } },
            visibilityConfig: visibility("rate-per-ip"),
          },
          common,
        ],
        visibilityConfig: visibility("orders-api"),
      }),
      "api",
    );
    named(new Wafv2WebAclAssociation(this, "association", { resourceArn: prod.executionArn, webAclArn: acl.arn }), "prod");
  }
}

export class FixedStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-east-1" });
    const { orders, prod, staging } = api(this);
    named(
      new ApiGatewayGatewayResponse(this, "waf-filtered", {
        restApiId: orders.id,
        responseType: "WAF_FILTERED",
        statusCode: "403",
        responseTemplates: { "application/json": '{"message":"Request blocked by WAF","requestId":"$context.requestId"}' },
      }),
      "waf_filtered",
    );
    const trusted = named(
      new Wafv2IpSet(this, "trusted", { name: "orders-trusted", description: "Monitoring and office egress", scope: "REGIONAL", ipAddressVersion: "IPV4", addresses: ["198.51.100.0/24"] }),
      "trusted",
    );
    const acl = named(
      new Wafv2WebAcl(this, "acl", {
        name: "api",
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        rule: [
          {
            name: "rate-per-ip",
            priority: 0,
            action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: "too-many" } } },
            statement: {
              rate_based_statement: {
                aggregate_key_type: "IP",
                limit: 2000,
                evaluation_window_sec: 300,
                scope_down_statement: { not_statement: { statement: { ip_set_reference_statement: { arn: trusted.arn } } } },
              },
            },
            visibilityConfig: visibility("rate-per-ip"),
          },
          managedRule("ip-reputation", 1, "AWSManagedRulesAmazonIpReputationList", "count"),
          managedRule("common", 2, "AWSManagedRulesCommonRuleSet", "count", ["SizeRestrictions_BODY", "NoUserAgent_HEADER"]),
          managedRule("known-bad-inputs", 3, "AWSManagedRulesKnownBadInputsRuleSet", "count"),
        ],
        customResponseBody: [{ key: "too-many", content: '{"message":"Too many requests"}', contentType: "APPLICATION_JSON" }],
        associationConfig: { requestBody: [{ apiGateway: { defaultSizeInspectionLimit: "KB_16" } }] },
        visibilityConfig: visibility("orders-api"),
      }),
      "api",
    );
    const logs = named(new CloudwatchLogGroup(this, "waf-logs", { name: "aws-waf-logs-orders-api", retentionInDays: 90, logGroupClass: "STANDARD" }), "waf");
    named(
      new Wafv2WebAclLoggingConfiguration(this, "logging", {
        resourceArn: acl.arn,
        logDestinationConfigs: [logs.arn],
        redactedFields: [{ singleHeader: { name: "authorization" } }],
        loggingFilter: {
          defaultBehavior: "DROP",
          filter: [{ behavior: "KEEP", requirement: "MEETS_ANY", condition: ["BLOCK", "COUNT", "EXCLUDED_AS_COUNT"].map((action) => ({ actionCondition: { action } })) }],
        },
      }),
      "api",
    );
    const stages = TerraformIterator.fromMap({ prod: prod.arn, staging: staging.arn });
    named(new Wafv2WebAclAssociation(this, "association", { forEach: stages, resourceArn: stages.value, webAclArn: acl.arn }), "stage");
  }
}

/** Synthesizes one stack into a fresh cdktf.out directory and returns that directory. */
export function synth(build: (app: App) => void): string {
  const outdir = join(mkdtempSync(join(tmpdir(), "wafguard-cdktf-")), "cdktf.out");
  const app = new App({ outdir, skipValidation: true });
  build(app);
  app.synth();
  return outdir;
}
