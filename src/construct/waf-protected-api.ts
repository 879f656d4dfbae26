/**
 * WafProtectedApi: a REGIONAL web ACL in front of API Gateway REST API stages, with defaults that
 * protect the API without breaking it, and that wafguard passes with no error and no warning.
 * Written against the Framework interface; `cdktf.ts` and `cdktn.ts` bind it.
 */
import type { Construct as ConstructType } from "constructs";
import { requireFrom, type Framework, type ResourceLike } from "./framework";
import { managedGroups, routeRegex, validateProps, type CustomRuleAction, type WafException, type WafProtectedApiProps } from "./props";

type Json = Record<string, unknown>;
type Construct = ConstructType;
// Loaded here, not by `import`, so that an app without it gets one line saying what to install.
const { Construct } = requireFrom<typeof import("constructs")>("cdktf or wafguard/cdktn", "constructs");
type Rule = { name: string; priority?: number; action?: Json; overrideAction?: Json; statement: Json; visibilityConfig: Json };

/** Sub-rules of CommonRuleSet that block normal API traffic: bodies over 8 KB, no User-Agent (WG103, WG104). */
const COMMON_COUNTED = ["SizeRestrictions_BODY", "NoUserAgent_HEADER"];
const NONE_TRANSFORMATION = [{ priority: 0, type: "NONE" }];

export class WafProtectedApiCore extends Construct {
  /** ARN of the web ACL the stages are associated with (the new one, or `existingWebAcl`). */
  readonly webAclArn: string;
  /** The web ACL; undefined with `existingWebAcl`. */
  readonly webAcl?: ResourceLike;
  /** The log group the construct creates; undefined with `logDestinationArn` or `existingWebAcl`. */
  readonly logGroup?: ResourceLike;
  readonly loggingConfiguration?: Construct;
  /** One association per stage, in the order of `stages`. */
  readonly associations: Construct[];
  /** The IPv4 and IPv6 sets of `trustedCidrs`; only the families that have entries. */
  readonly trustedIpSets: { readonly ipv4?: ResourceLike; readonly ipv6?: ResourceLike };

  private readonly rules: Rule[] = [];

  constructor(scope: Construct, id: string, props: WafProtectedApiProps, fw: Framework) {
    super(scope, id);
    // The node address is unique per construct path: two stacks (or apps sharing an account) with
    // the same construct id get different names.
    const name = props.name ?? `${id.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 80)}-${this.node.addr.slice(0, 8)}`;
    validateProps(fw, props, name);
    const tags = props.tags;

    if (props.existingWebAcl !== undefined) {
      this.webAclArn = props.existingWebAcl;
      this.trustedIpSets = {};
      this.associations = this.associate(fw, props);
      return;
    }

    const trusted = props.trustedCidrs ?? [];
    const isV6 = (c: string) => (fw.isUnresolved(c) ? /:|\/(3[3-9]|[4-9]\d|1[0-2]\d)$/.test(c.replace(/\$\{[^}]*\}/g, "")) : c.includes(":"));
    const ipSet = (family: "IPV4" | "IPV6", addresses: string[]) =>
      addresses.length === 0
        ? undefined
        : new fw.IpSet(this, `trusted-${family.toLowerCase()}`, { name: `${name}-trusted-${family === "IPV4" ? "v4" : "v6"}`, scope: "REGIONAL", ipAddressVersion: family, addresses, tags });
    this.trustedIpSets = {
      ipv4: ipSet("IPV4", trusted.filter((c) => !isV6(c))),
      ipv6: ipSet("IPV6", trusted.filter(isV6)),
    };

    const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, metricName: `${name}-${metric}`, sampledRequestsEnabled: true });
    const usesAction = new Set<string>(["BLOCK", "COUNT"]);

    // Rate rule first. The exemption is a scope-down that wafguard reads as an exemption, not as a
    // scope, so WG301 still judges the limit (WG303).
    const exempt = [this.trustedIpSets.ipv4, this.trustedIpSets.ipv6].filter((s): s is ResourceLike => s !== undefined).map((s) => ({ ip_set_reference_statement: { arn: s.arn } }));
    this.rules.push({
      name: "rate-per-ip",
      // 429, so clients back off.
      action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: "too-many-requests" } } },
      statement: {
        rate_based_statement: {
          limit: props.rateLimit ?? 2000,
          evaluation_window_sec: 300,
          aggregate_key_type: "IP",
          ...(exempt.length ? { scope_down_statement: { not_statement: { statement: exempt.length === 1 ? exempt[0] : { or_statement: { statement: exempt } } } } } : {}),
        },
      },
      visibilityConfig: visibility("rate-per-ip"),
    });

    for (const rule of props.rules ?? []) {
      this.rules.push({ name: rule.name, action: { [rule.action]: {} }, statement: rule.statement, visibilityConfig: visibility(rule.name) });
      // Not ALLOW: keeping allowed records would log nearly all traffic.
      if (rule.action !== "allow") usesAction.add(rule.action.toUpperCase());
    }

    // Managed groups count while rolling out: read the logs, then enforce (WG105).
    const counted = new Set(props.countedGroups ?? []);
    const exceptions = props.exceptions ?? [];
    for (const { rule: ruleName, group } of managedGroups(props)) {
      const enforcing = props.mode === "enforce" && !counted.has(group);
      const own = exceptions.filter((e) => e.ruleGroup === group);
      // Overridden to count: the defaults, the user's, and every sub-rule an exception scopes.
      const toCount = [...new Set([...(group === "AWSManagedRulesCommonRuleSet" ? COMMON_COUNTED : []), ...(props.countedRules?.[group] ?? []), ...own.map((e) => e.rule)])];
      if (toCount.length) usesAction.add("EXCLUDED_AS_COUNT");
      this.rules.push({
        name: ruleName,
        overrideAction: enforcing ? { none: {} } : { count: {} },
        // The provider's `statement` is untyped: its keys must be snake_case (WG801).
        statement: {
          managed_rule_group_statement: {
            name: group,
            vendor_name: "AWS",
            ...(toCount.length ? { rule_action_override: toCount.map((r) => ({ name: r, action_to_use: { count: {} } })) } : {}),
            ...(group === "AWSManagedRulesBotControlRuleSet" ? { managed_rule_group_configs: [{ aws_managed_rules_bot_control_rule_set: { inspection_level: "COMMON" } }] } : {}),
          },
        },
        visibilityConfig: visibility(ruleName),
      });
      if (group === "AWSManagedRulesBotControlRuleSet") ["CAPTCHA", "CHALLENGE"].forEach((a) => usesAction.add(a));
      // Right after the group: block what the counted sub-rule labels, except on its routes.
      for (const [label, scoped] of groupBy(own, (e) => e.label)) {
        const exceptionRule = `${ruleName}-${scoped[0].rule}-exception`.slice(0, 128);
        this.rules.push({ name: exceptionRule, action: enforcing ? { block: {} } : { count: {} }, statement: exceptionStatement(label, scoped), visibilityConfig: visibility(exceptionRule) });
      }
    }

    const captchaPaths = props.captchaPaths ?? [];
    if (captchaPaths.length) {
      // One STARTS_WITH match per path: a path-scoped CAPTCHA, which WG106 accepts.
      const matches = captchaPaths.map((p) => ({ byte_match_statement: { search_string: p, positional_constraint: "STARTS_WITH", field_to_match: { uri_path: {} }, text_transformation: NONE_TRANSFORMATION } }));
      this.rules.push({ name: "captcha-browser-paths", action: { captcha: {} }, statement: matches.length === 1 ? matches[0] : { or_statement: { statement: matches } }, visibilityConfig: visibility("captcha") });
      usesAction.add("CAPTCHA");
    }

    const webAcl = new fw.WebAcl(this, "web-acl", {
      name,
      scope: "REGIONAL", // only REGIONAL web ACLs attach to API Gateway stages (WG401)
      defaultAction: { allow: {} },
      rule: this.prioritized(),
      customResponseBody: [{ key: "too-many-requests", content: '{"message":"Too many requests"}', contentType: "APPLICATION_JSON" }],
      // State the API Gateway body inspection limit instead of relying on the default (WG503, WG504).
      associationConfig: { requestBody: [{ apiGateway: { defaultSizeInspectionLimit: props.bodyInspectionLimit ?? "KB_16" } }] },
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
      tags,
    });
    this.webAcl = webAcl;
    this.webAclArn = webAcl.arn;

    // Logging makes a 403 diagnosable (WG150); the name prefix is required (WG151).
    if (props.logDestinationArn === undefined) {
      this.logGroup = new fw.LogGroup(this, "logs", { name: `aws-waf-logs-${name}`, retentionInDays: props.logRetentionDays ?? 90, kmsKeyId: props.logKmsKeyArn, tags });
    }
    this.loggingConfiguration = new fw.LoggingConfiguration(this, "logging", {
      resourceArn: webAcl.arn,
      logDestinationConfigs: [props.logDestinationArn ?? (this.logGroup as ResourceLike).arn],
      redactedFields: [{ singleHeader: { name: "authorization" } }], // WG155
      loggingFilter: {
        defaultBehavior: "DROP",
        // BLOCK (WG153); EXCLUDED_AS_COUNT is how the sub-rules overridden to count are logged,
        // and CAPTCHA/CHALLENGE when a rule answers with them (WG156).
        filter: [{ behavior: "KEEP", requirement: "MEETS_ANY", condition: [...usesAction].map((action) => ({ actionCondition: { action } })) }],
      },
    });
    this.associations = this.associate(fw, props);
  }

  /**
   * Replaces the action of one rule of the web ACL by name (for a rule group: count or none).
   * Use it instead of `addOverride("rule.N.action", ...)`, which merges into the existing action
   * (two actions, which AWS rejects) and depends on the rule's position.
   */
  overrideRuleAction(ruleName: string, action: CustomRuleAction | "none"): void {
    const rule = this.rules.find((r) => r.name === ruleName);
    if (!rule || !this.webAcl) throw new Error(`WafProtectedApi: no rule "${ruleName}" (rules: ${this.rules.map((r) => r.name).join(", ")})`);
    if (rule.overrideAction) {
      if (action !== "count" && action !== "none") throw new Error(`WafProtectedApi: rule "${ruleName}" is a rule group: its action is "count" or "none"`);
      rule.overrideAction = { [action]: {} };
    } else {
      if (action === "none") throw new Error(`WafProtectedApi: rule "${ruleName}" takes allow, block, count, captcha or challenge`);
      rule.action = { [action]: {} };
    }
    (this.webAcl as unknown as { putRule(rules: Rule[]): void }).putRule(this.prioritized());
  }

  /** Rules in order, priorities 0..n: an exception rule has its group's priority + 1. */
  private prioritized(): Rule[] {
    return this.rules.map((r, priority) => ({ ...r, priority }));
  }

  // One association per stage, by the stage's own ARN (WG402, WG403, WG405).
  private associate(fw: Framework, props: WafProtectedApiProps): Construct[] {
    return props.stages.map(
      (stage, i) =>
        new fw.Association(this, `association-${fw.isRestStage(stage) ? stage.node.id : i}`, {
          resourceArn: fw.isRestStage(stage) ? stage.arn : stage,
          webAclArn: this.webAclArn,
        }),
    );
  }
}

/** label present AND NOT (one of the exempted method+route pairs), the contract's shape. */
function exceptionStatement(label: string, exceptions: WafException[]): Json {
  const exempted = exceptions.map((e) => {
    const route = { regex_match_statement: { regex_string: routeRegex(e.path), field_to_match: { uri_path: {} }, text_transformation: NONE_TRANSFORMATION } };
    if (!e.method) return route;
    const method = { byte_match_statement: { search_string: e.method, positional_constraint: "EXACTLY", field_to_match: { method: {} }, text_transformation: NONE_TRANSFORMATION } };
    return { and_statement: { statement: [method, route] } };
  });
  return {
    and_statement: {
      statement: [{ label_match_statement: { scope: "LABEL", key: label } }, { not_statement: { statement: exempted.length === 1 ? exempted[0] : { or_statement: { statement: exempted } } } }],
    },
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}
