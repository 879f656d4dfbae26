# A REGIONAL web ACL in front of API Gateway REST API stages, with defaults that protect the API
# without breaking it. Each default is here because a wafguard rule finds its absence.

locals {
  # Managed groups count while rolling out (WG105): read the logs, then enforce.
  managed_override = var.mode == "enforce" ? "none" : "count"
  trusted_v4       = [for c in var.trusted_cidrs : c if !strcontains(c, ":")]
  trusted_v6       = [for c in var.trusted_cidrs : c if strcontains(c, ":")]
}

# Trusted sources skip the rate limit (WG303). The sets may be empty: an empty set matches nobody.
resource "aws_wafv2_ip_set" "trusted_v4" {
  name               = "${var.name}-trusted-v4"
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses          = local.trusted_v4
  tags               = var.tags
}

resource "aws_wafv2_ip_set" "trusted_v6" {
  name               = "${var.name}-trusted-v6"
  scope              = "REGIONAL"
  ip_address_version = "IPV6"
  addresses          = local.trusted_v6
  tags               = var.tags
}

resource "aws_wafv2_web_acl" "this" {
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
                    arn = aws_wafv2_ip_set.trusted_v4.arn
                  }
                }
                statement {
                  ip_set_reference_statement {
                    arn = aws_wafv2_ip_set.trusted_v6.arn
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
      dynamic "count" {
        for_each = local.managed_override == "count" ? [1] : []
        content {}
      }
      dynamic "none" {
        for_each = local.managed_override == "none" ? [1] : []
        content {}
      }
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesAmazonIpReputationList"
        vendor_name = "AWS"
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
      dynamic "count" {
        for_each = local.managed_override == "count" ? [1] : []
        content {}
      }
      dynamic "none" {
        for_each = local.managed_override == "none" ? [1] : []
        content {}
      }
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
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
      dynamic "count" {
        for_each = local.managed_override == "count" ? [1] : []
        content {}
      }
      dynamic "none" {
        for_each = local.managed_override == "none" ? [1] : []
        content {}
      }
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
        vendor_name = "AWS"
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
        dynamic "count" {
          for_each = local.managed_override == "count" ? [1] : []
          content {}
        }
        dynamic "none" {
          for_each = local.managed_override == "none" ? [1] : []
          content {}
        }
      }
      statement {
        managed_rule_group_statement {
          name        = "AWSManagedRulesSQLiRuleSet"
          vendor_name = "AWS"
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
        dynamic "count" {
          for_each = local.managed_override == "count" ? [1] : []
          content {}
        }
        dynamic "none" {
          for_each = local.managed_override == "none" ? [1] : []
          content {}
        }
      }
      statement {
        managed_rule_group_statement {
          name        = "AWSManagedRulesBotControlRuleSet"
          vendor_name = "AWS"
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

  dynamic "rule" {
    for_each = length(var.captcha_paths) > 0 ? [1] : []
    content {
      name     = "captcha-browser-paths"
      priority = 60
      action {
        captcha {}
      }
      statement {
        regex_match_statement {
          regex_string = "^(${join("|", [for p in var.captcha_paths : replace(p, "/[.*+?()|{}\\[\\]\\\\^$]/", "\\$0")])})"
          field_to_match {
            uri_path {}
          }
          text_transformation {
            priority = 0
            type     = "NONE"
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

# Logging is what makes a 403 diagnosable (WG150); the prefix is required (WG151).
resource "aws_cloudwatch_log_group" "waf" {
  name              = "aws-waf-logs-${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  resource_arn            = aws_wafv2_web_acl.this.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]

  # Credentials stay out of the logs (WG155).
  redacted_fields {
    single_header {
      name = "authorization"
    }
  }

  # Keep what was blocked or counted, drop the rest (WG153).
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
          action = "CAPTCHA"
        }
      }
    }
  }
}

# One association per stage, by the stage's own ARN (WG402, WG403, WG405).
resource "aws_wafv2_web_acl_association" "this" {
  for_each     = var.stage_arns
  resource_arn = each.value
  web_acl_arn  = aws_wafv2_web_acl.this.arn
}
