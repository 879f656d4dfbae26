# A REGIONAL web ACL in front of API Gateway REST API stages, with defaults that protect the API
# without breaking it. Each default is here because a wafguard rule finds its absence.

locals {
  # Managed groups count while rolling out (WG105): read the logs, then enforce.
  managed_override = var.mode == "enforce" ? "none" : "count"
  create_acl       = var.existing_web_acl_arn == ""
  # A log group of the module's own only without existing_web_acl_arn and log_destination_arn
  # (two simple conditionals rather than one with &&: wafguard's .tf reader evaluates these).
  own_log_destination = var.log_destination_arn == "" ? [1] : []
  own_log_group       = var.existing_web_acl_arn == "" ? local.own_log_destination : []
  trusted_v4          = [for c in var.trusted_cidrs : c if !strcontains(c, ":")]
  trusted_v6          = [for c in var.trusted_cidrs : c if strcontains(c, ":")]
  # Per group: count when the whole module counts, or when the group is in counted_groups.
  override = { for g in ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesBotControlRuleSet"] :
    g => local.managed_override == "count" || contains(var.counted_groups, g) ? "count" : "none"
  }
  # Sub-rules overridden to count, per group: counted_rules and every sub-rule an exception scopes.
  counted = { for g in keys(local.override) :
    g => [for r in distinct(concat(lookup(var.counted_rules, g, []), [for e in var.exceptions : e.rule if e.rule_group == g])) : r
    if !(g == "AWSManagedRulesCommonRuleSet" && contains(["SizeRestrictions_BODY", "NoUserAgent_HEADER"], r))] # always counted below
  }
  group_priority = {
    AWSManagedRulesAmazonIpReputationList = 10
    AWSManagedRulesCommonRuleSet          = 20
    AWSManagedRulesKnownBadInputsRuleSet  = 30
    AWSManagedRulesSQLiRuleSet            = 40
    AWSManagedRulesBotControlRuleSet      = 50
  }
  # One rule per exception label, right after its group: it blocks what the counted sub-rule
  # labels, except on the exempted routes (the shape `wafguard logs` writes).
  exception_labels = distinct([for e in var.exceptions : e.label])
  exception_rules = [for i, label in local.exception_labels : {
    label = label
    group = [for e in var.exceptions : e.rule_group if e.label == label][0]
    rule  = [for e in var.exceptions : e.rule if e.label == label][0]
    # "{id}" is one path segment, "{proxy+}" the rest; everything else is literal.
    exemptions = [for e in var.exceptions : {
      method = e.method
      regex = "^${join("/", [for seg in split("/", e.path) :
        can(regex("^\\{[A-Za-z0-9_]+\\+\\}$", seg)) ? ".+" : can(regex("^\\{[A-Za-z0-9_]+\\}$", seg)) ? "[^/]+" : replace(seg, "/[.*+?()|{}\\[\\]\\\\^$]/", "\\$0")
      ])}$"
    } if e.label == label]
  }]
  group_rule = {
    AWSManagedRulesAmazonIpReputationList = "ip-reputation"
    AWSManagedRulesCommonRuleSet          = "common"
    AWSManagedRulesKnownBadInputsRuleSet  = "known-bad-inputs"
    AWSManagedRulesSQLiRuleSet            = "sqli"
    AWSManagedRulesBotControlRuleSet      = "bot-control"
  }
  # Log records to keep: BLOCK, COUNT, and the actions this web ACL's rules produce (WG153, WG156).
  logged_actions = distinct(concat(
    ["BLOCK", "COUNT", "EXCLUDED_AS_COUNT"],
    length(var.captcha_paths) > 0 || var.enable_bot_control ? ["CAPTCHA"] : [],
    var.enable_bot_control ? ["CHALLENGE"] : [],
    [for r in var.rules : upper(r.action) if contains(["captcha", "challenge"], r.action)],
  ))
}

# Trusted sources skip the rate limit (WG303). The sets may be empty: an empty set matches nobody.
resource "aws_wafv2_ip_set" "trusted_v4" {
  count              = var.existing_web_acl_arn == "" ? 1 : 0
  name               = "${var.name}-trusted-v4"
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses          = local.trusted_v4
  tags               = var.tags
}

resource "aws_wafv2_ip_set" "trusted_v6" {
  count              = var.existing_web_acl_arn == "" ? 1 : 0
  name               = "${var.name}-trusted-v6"
  scope              = "REGIONAL"
  ip_address_version = "IPV6"
  addresses          = local.trusted_v6
  tags               = var.tags
}

resource "aws_wafv2_web_acl" "this" {
  count = var.existing_web_acl_arn == "" ? 1 : 0
  name  = var.name
  scope = "REGIONAL" # only REGIONAL web ACLs attach to API Gateway stages (WG401)
  tags  = var.tags

  default_action {
    allow {}
  }

  # 429, not 403, so clients back off and retry (WG303).
  custom_response_body {
    key          = "too-many-requests"
    content      = "{\"message\":\"Too many requests\"}"
    content_type = "APPLICATION_JSON"
  }

  rule {
    name     = "rate-per-ip"
    priority = 0
    action {
      block {
        custom_response {
          response_code            = 429
          custom_response_body_key = "too-many-requests"
        }
      }
    }
    statement {
      rate_based_statement {
        limit                 = var.rate_limit
        evaluation_window_sec = 300
        aggregate_key_type    = "IP"
        scope_down_statement {
          not_statement {
            statement {
              or_statement {
                statement {
                  ip_set_reference_statement {
                    arn = aws_wafv2_ip_set.trusted_v4[0].arn
                  }
                }
                statement {
                  ip_set_reference_statement {
                    arn = aws_wafv2_ip_set.trusted_v6[0].arn
                  }
                }
              }
            }
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-per-ip"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "ip-reputation"
    priority = 10
    override_action {
      # count in count mode, or when counted_groups names the group; else none (enforce).
      dynamic "count" {
        for_each = var.mode == "count" ? [1] : []
        content {}
      }
      dynamic "count" {
        for_each = var.mode == "enforce" && contains(var.counted_groups, "AWSManagedRulesAmazonIpReputationList") ? [1] : []
        content {}
      }
      dynamic "none" {
        for_each = var.mode == "enforce" && !contains(var.counted_groups, "AWSManagedRulesAmazonIpReputationList") ? [1] : []
        content {}
      }
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesAmazonIpReputationList"
        vendor_name = "AWS"
        dynamic "rule_action_override" {
          for_each = local.counted["AWSManagedRulesAmazonIpReputationList"]
          content {
            name = rule_action_override.value
            action_to_use {
              count {}
            }
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-ip-reputation"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "common"
    priority = 20
    override_action {
      # count in count mode, or when counted_groups names the group; else none (enforce).
      dynamic "count" {
        for_each = var.mode == "count" ? [1] : []
        content {}
      }
      dynamic "count" {
        for_each = var.mode == "enforce" && contains(var.counted_groups, "AWSManagedRulesCommonRuleSet") ? [1] : []
        content {}
      }
      dynamic "none" {
        for_each = var.mode == "enforce" && !contains(var.counted_groups, "AWSManagedRulesCommonRuleSet") ? [1] : []
        content {}
      }
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
        dynamic "rule_action_override" {
          for_each = local.counted["AWSManagedRulesCommonRuleSet"]
          content {
            name = rule_action_override.value
            action_to_use {
              count {}
            }
          }
        }
        # Bodies over 8 KB and clients without a User-Agent are normal for APIs (WG103, WG104).
        rule_action_override {
          name = "SizeRestrictions_BODY"
          action_to_use {
            count {}
          }
        }
        rule_action_override {
          name = "NoUserAgent_HEADER"
          action_to_use {
            count {}
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "known-bad-inputs"
    priority = 30
    override_action {
      # count in count mode, or when counted_groups names the group; else none (enforce).
      dynamic "count" {
        for_each = var.mode == "count" ? [1] : []
        content {}
      }
      dynamic "count" {
        for_each = var.mode == "enforce" && contains(var.counted_groups, "AWSManagedRulesKnownBadInputsRuleSet") ? [1] : []
        content {}
      }
      dynamic "none" {
        for_each = var.mode == "enforce" && !contains(var.counted_groups, "AWSManagedRulesKnownBadInputsRuleSet") ? [1] : []
        content {}
      }
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
        vendor_name = "AWS"
        dynamic "rule_action_override" {
          for_each = local.counted["AWSManagedRulesKnownBadInputsRuleSet"]
          content {
            name = rule_action_override.value
            action_to_use {
              count {}
            }
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  dynamic "rule" {
    for_each = var.enable_sqli ? [1] : []
    content {
      name     = "sqli"
      priority = 40
      override_action {
        # count in count mode, or when counted_groups names the group; else none (enforce).
        dynamic "count" {
          for_each = var.mode == "count" ? [1] : []
          content {}
        }
        dynamic "count" {
          for_each = var.mode == "enforce" && contains(var.counted_groups, "AWSManagedRulesSQLiRuleSet") ? [1] : []
          content {}
        }
        dynamic "none" {
          for_each = var.mode == "enforce" && !contains(var.counted_groups, "AWSManagedRulesSQLiRuleSet") ? [1] : []
          content {}
        }
      }
      statement {
        managed_rule_group_statement {
          name        = "AWSManagedRulesSQLiRuleSet"
          vendor_name = "AWS"
          dynamic "rule_action_override" {
            for_each = local.counted["AWSManagedRulesSQLiRuleSet"]
            content {
              name = rule_action_override.value
              action_to_use {
                count {}
              }
            }
          }
        }
      }
      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-sqli"
        sampled_requests_enabled   = true
      }
    }
  }

  dynamic "rule" {
    for_each = var.enable_bot_control ? [1] : []
    content {
      name     = "bot-control"
      priority = 50
      override_action {
        # count in count mode, or when counted_groups names the group; else none (enforce).
        dynamic "count" {
          for_each = var.mode == "count" ? [1] : []
          content {}
        }
        dynamic "count" {
          for_each = var.mode == "enforce" && contains(var.counted_groups, "AWSManagedRulesBotControlRuleSet") ? [1] : []
          content {}
        }
        dynamic "none" {
          for_each = var.mode == "enforce" && !contains(var.counted_groups, "AWSManagedRulesBotControlRuleSet") ? [1] : []
          content {}
        }
      }
      statement {
        managed_rule_group_statement {
          name        = "AWSManagedRulesBotControlRuleSet"
          vendor_name = "AWS"
          dynamic "rule_action_override" {
            for_each = local.counted["AWSManagedRulesBotControlRuleSet"]
            content {
              name = rule_action_override.value
              action_to_use {
                count {}
              }
            }
          }
          managed_rule_group_configs {
            aws_managed_rules_bot_control_rule_set {
              inspection_level = "COMMON" # required (WG106)
            }
          }
        }
      }
      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-bot-control"
        sampled_requests_enabled   = true
      }
    }
  }

  # CAPTCHA only on the paths browsers load, one STARTS_WITH match each: path-scoped, which WG106 accepts.
  dynamic "rule" {
    for_each = length(var.captcha_paths) > 0 ? [1] : []
    content {
      name     = "captcha-browser-paths"
      priority = 60
      action {
        captcha {}
      }
      statement {
        dynamic "byte_match_statement" {
          for_each = length(var.captcha_paths) == 1 ? var.captcha_paths : []
          content {
            search_string         = byte_match_statement.value
            positional_constraint = "STARTS_WITH"
            field_to_match {
              uri_path {}
            }
            text_transformation {
              priority = 0
              type     = "NONE"
            }
          }
        }
        dynamic "or_statement" {
          for_each = length(var.captcha_paths) > 1 ? [1] : []
          content {
            dynamic "statement" {
              for_each = var.captcha_paths
              content {
                byte_match_statement {
                  search_string         = statement.value
                  positional_constraint = "STARTS_WITH"
                  field_to_match {
                    uri_path {}
                  }
                  text_transformation {
                    priority = 0
                    type     = "NONE"
                  }
                }
              }
            }
          }
        }
      }
      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-captcha"
        sampled_requests_enabled   = true
      }
    }
  }

  # Your rules, after the rate rule and before the managed groups (priorities 1 to 9, in order).
  dynamic "rule" {
    for_each = var.rules
    content {
      name     = rule.value.name
      priority = 1 + rule.key
      action {
        dynamic "allow" {
          for_each = rule.value.action == "allow" ? [1] : []
          content {}
        }
        dynamic "block" {
          for_each = rule.value.action == "block" ? [1] : []
          content {}
        }
        dynamic "count" {
          for_each = rule.value.action == "count" ? [1] : []
          content {}
        }
        dynamic "captcha" {
          for_each = rule.value.action == "captcha" ? [1] : []
          content {}
        }
        dynamic "challenge" {
          for_each = rule.value.action == "challenge" ? [1] : []
          content {}
        }
      }
      statement {
        dynamic "ip_set_reference_statement" {
          for_each = try([rule.value.statement.ip_set_reference_statement], [])
          content {
            arn = ip_set_reference_statement.value.arn
          }
        }
        dynamic "geo_match_statement" {
          for_each = try([rule.value.statement.geo_match_statement], [])
          content {
            country_codes = geo_match_statement.value.country_codes
          }
        }
        dynamic "label_match_statement" {
          for_each = try([rule.value.statement.label_match_statement], [])
          content {
            scope = label_match_statement.value.scope
            key   = label_match_statement.value.key
          }
        }
        dynamic "byte_match_statement" {
          for_each = try([rule.value.statement.byte_match_statement], [])
          content {
            search_string         = byte_match_statement.value.search_string
            positional_constraint = byte_match_statement.value.positional_constraint
            field_to_match {
              dynamic "uri_path" {
                for_each = try([byte_match_statement.value.field_to_match.uri_path], [])
                content {}
              }
              dynamic "method" {
                for_each = try([byte_match_statement.value.field_to_match.method], [])
                content {}
              }
              dynamic "single_header" {
                for_each = try([byte_match_statement.value.field_to_match.single_header], [])
                content {
                  name = single_header.value.name
                }
              }
            }
            text_transformation {
              priority = 0
              type     = "NONE"
            }
          }
        }
      }
      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-${rule.value.name}"
        sampled_requests_enabled   = true
      }
    }
  }

  # Scoped exceptions (what `wafguard logs` writes): the sub-rule is counted in its group above,
  # and this rule, right after the group, blocks what the sub-rule labels except on its routes.
  dynamic "rule" {
    for_each = local.exception_rules
    content {
      name     = "${local.group_rule[rule.value.group]}-${rule.value.rule}-exception"
      priority = local.group_priority[rule.value.group] + 1 + index([for x in local.exception_rules : x.label if x.group == rule.value.group], rule.value.label)
      action {
        dynamic "block" {
          for_each = local.override[rule.value.group] == "none" ? [1] : []
          content {}
        }
        dynamic "count" {
          for_each = local.override[rule.value.group] == "count" ? [1] : []
          content {}
        }
      }
      statement {
        and_statement {
          statement {
            label_match_statement {
              scope = "LABEL"
              key   = rule.value.label
            }
          }
          statement {
            not_statement {
              statement {
                # one exempted route (and method) directly, several in an or_statement
                dynamic "or_statement" {
                  for_each = length(rule.value.exemptions) > 1 ? [1] : []
                  content {
                    dynamic "statement" {
                      for_each = rule.value.exemptions
                      content {
                        dynamic "and_statement" {
                          for_each = statement.value.method != null ? [statement.value] : []
                          content {
                            statement {
                              byte_match_statement {
                                search_string         = and_statement.value.method
                                positional_constraint = "EXACTLY"
                                field_to_match {
                                  method {}
                                }
                                text_transformation {
                                  priority = 0
                                  type     = "NONE"
                                }
                              }
                            }
                            statement {
                              regex_match_statement {
                                regex_string = and_statement.value.regex
                                field_to_match {
                                  uri_path {}
                                }
                                text_transformation {
                                  priority = 0
                                  type     = "NONE"
                                }
                              }
                            }
                          }
                        }
                        dynamic "regex_match_statement" {
                          for_each = statement.value.method == null ? [statement.value] : []
                          content {
                            regex_string = regex_match_statement.value.regex
                            field_to_match {
                              uri_path {}
                            }
                            text_transformation {
                              priority = 0
                              type     = "NONE"
                            }
                          }
                        }
                      }
                    }
                  }
                }
                dynamic "and_statement" {
                  for_each = length(rule.value.exemptions) == 1 && rule.value.exemptions[0].method != null ? [rule.value.exemptions[0]] : []
                  content {
                    statement {
                      byte_match_statement {
                        search_string         = and_statement.value.method
                        positional_constraint = "EXACTLY"
                        field_to_match {
                          method {}
                        }
                        text_transformation {
                          priority = 0
                          type     = "NONE"
                        }
                      }
                    }
                    statement {
                      regex_match_statement {
                        regex_string = and_statement.value.regex
                        field_to_match {
                          uri_path {}
                        }
                        text_transformation {
                          priority = 0
                          type     = "NONE"
                        }
                      }
                    }
                  }
                }
                dynamic "regex_match_statement" {
                  for_each = length(rule.value.exemptions) == 1 && rule.value.exemptions[0].method == null ? [rule.value.exemptions[0]] : []
                  content {
                    regex_string = regex_match_statement.value.regex
                    field_to_match {
                      uri_path {}
                    }
                    text_transformation {
                      priority = 0
                      type     = "NONE"
                    }
                  }
                }
              }
            }
          }
        }
      }
      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-${local.group_rule[rule.value.group]}-${rule.value.rule}-exception"
        sampled_requests_enabled   = true
      }
    }
  }

  # State the API Gateway body inspection limit instead of relying on the default (WG503, WG504).
  association_config {
    request_body {
      api_gateway {
        default_size_inspection_limit = var.body_inspection_limit
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }
}

# Logging is what makes a 403 diagnosable (WG150); the prefix is required (WG151). With
# log_destination_arn (S3 bucket, Firehose stream or log group of your own), no log group is created.
resource "aws_cloudwatch_log_group" "waf" {
  count             = length(local.own_log_group)
  name              = "aws-waf-logs-${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn == "" ? null : var.log_kms_key_arn
  tags              = var.tags
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  count                   = var.existing_web_acl_arn == "" ? 1 : 0
  resource_arn            = aws_wafv2_web_acl.this[0].arn
  log_destination_configs = [var.log_destination_arn == "" ? aws_cloudwatch_log_group.waf[0].arn : var.log_destination_arn]

  # Credentials stay out of the logs (WG155).
  redacted_fields {
    single_header {
      name = "authorization"
    }
  }

  # Keep what was blocked or counted, drop the rest (WG153). Sub-rules overridden to count are
  # logged as EXCLUDED_AS_COUNT, and CAPTCHA/CHALLENGE when a rule answers with them (WG156).
  logging_filter {
    default_behavior = "DROP"
    filter {
      behavior    = "KEEP"
      requirement = "MEETS_ANY"
      condition {
        action_condition {
          action = "BLOCK"
        }
      }
      condition {
        action_condition {
          action = "COUNT"
        }
      }
      condition {
        action_condition {
          action = "EXCLUDED_AS_COUNT"
        }
      }
      dynamic "condition" {
        for_each = [for a in local.logged_actions : a if !contains(["BLOCK", "COUNT", "EXCLUDED_AS_COUNT"], a)]
        content {
          action_condition {
            action = condition.value
          }
        }
      }
    }
  }
}

# One association per stage, by the stage's own ARN (WG402, WG403, WG405).
resource "aws_wafv2_web_acl_association" "this" {
  for_each     = var.stage_arns
  resource_arn = each.value
  web_acl_arn  = var.existing_web_acl_arn == "" ? aws_wafv2_web_acl.this[0].arn : var.existing_web_acl_arn
}
