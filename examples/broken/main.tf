# What a team writes on day one: a web ACL in front of a REST API, and four ways it breaks the API.
# `wafguard check examples/broken` finds them; examples/broken/plan.json is the same configuration
# as `terraform show -json` prints its plan.

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

resource "aws_wafv2_web_acl" "api" {
  name  = "api"
  scope = "REGIONAL"

  # Blocks everything no rule allows, and no rule allows anything: every request gets 403.
  default_action {
    block {}
  }

  rule {
    name     = "rate-per-ip"
    priority = 0
    action {
      block {}
    }
    statement {
      rate_based_statement {
        aggregate_key_type    = "IP"
        limit                 = 100
        evaluation_window_sec = 300
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate-per-ip"
      sampled_requests_enabled   = true
    }
  }

  # Enforced from day one: bodies over 8 KB and clients without a User-Agent get 403.
  rule {
    name     = "common"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "common"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "orders-api"
    sampled_requests_enabled   = true
  }
}

# execution_arn is the execute-api ARN: WAF cannot be associated with it. And staging has no
# association at all.
resource "aws_wafv2_web_acl_association" "prod" {
  resource_arn = aws_api_gateway_stage.prod.execution_arn
  web_acl_arn  = aws_wafv2_web_acl.api.arn
}
