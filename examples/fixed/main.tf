# The same API, protected without being broken (first rollout step: managed groups in count).
# examples/fixed/plan.json is the same configuration as `terraform show -json` prints its plan.

provider "aws" {
  region = "us-east-1"
}

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = "prod"
}

resource "aws_api_gateway_stage" "staging" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = "staging"
}

# WAF blocks get their own body, so they can be told from other 403s.
resource "aws_api_gateway_gateway_response" "waf_filtered" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  response_type = "WAF_FILTERED"
  status_code   = "403"
  response_templates = {
    "application/json" = "{\"message\":\"Request blocked by WAF\",\"requestId\":\"$context.requestId\"}"
  }
}

resource "aws_wafv2_ip_set" "trusted" {
  name               = "orders-trusted"
  description        = "Monitoring and office egress"
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses          = ["198.51.100.0/24"]
}

resource "aws_wafv2_web_acl" "api" {
  name  = "api"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  # 2,000 requests per 5 minutes per IP, trusted sources exempt, 429 instead of 403.
  rule {
    name     = "rate-per-ip"
    priority = 0
    action {
      block {
        custom_response {
          response_code            = 429
          custom_response_body_key = "too-many"
        }
      }
    }
    statement {
      rate_based_statement {
        aggregate_key_type    = "IP"
        limit                 = 2000
        evaluation_window_sec = 300
        scope_down_statement {
          not_statement {
            statement {
              ip_set_reference_statement {
                arn = aws_wafv2_ip_set.trusted.arn
              }
            }
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate-per-ip"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "ip-reputation"
    priority = 1
    override_action {
      count {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesAmazonIpReputationList"
        vendor_name = "AWS"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "ip-reputation"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "common"
    priority = 2
    override_action {
      count {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
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
      metric_name                = "common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "known-bad-inputs"
    priority = 3
    override_action {
      count {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
        vendor_name = "AWS"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  custom_response_body {
    key          = "too-many"
    content      = "{\"message\":\"Too many requests\"}"
    content_type = "APPLICATION_JSON"
  }

  # API Gateway inspects the first 16 KB of a body by default; say so explicitly.
  association_config {
    request_body {
      api_gateway {
        default_size_inspection_limit = "KB_16"
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "orders-api"
    sampled_requests_enabled   = true
  }
}

resource "aws_cloudwatch_log_group" "waf" {
  name              = "aws-waf-logs-orders-api"
  retention_in_days = 90
  log_group_class   = "STANDARD"
}

resource "aws_wafv2_web_acl_logging_configuration" "api" {
  resource_arn            = aws_wafv2_web_acl.api.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]

  redacted_fields {
    single_header {
      name = "authorization"
    }
  }

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
      # Sub-rules overridden to count are logged as EXCLUDED_AS_COUNT (WG156).
      condition {
        action_condition {
          action = "EXCLUDED_AS_COUNT"
        }
      }
    }
  }
}

resource "aws_wafv2_web_acl_association" "stage" {
  for_each = {
    prod    = aws_api_gateway_stage.prod
    staging = aws_api_gateway_stage.staging
  }
  resource_arn = each.value.arn
  web_acl_arn  = aws_wafv2_web_acl.api.arn
}
