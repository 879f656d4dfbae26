# Every input of the module: enforce with one group still counted, scoped exceptions, a rule of
# your own, a trusted address from a resource (a token until apply), CAPTCHA on /login, a KMS key.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "health" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "health"
}

resource "aws_api_gateway_method" "health" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.health.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "health" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  resource_id = aws_api_gateway_resource.health.id
  http_method = aws_api_gateway_method.health.http_method
  type        = "MOCK"
  request_templates = {
    "application/json" = "{\"statusCode\": 200}"
  }
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  depends_on  = [aws_api_gateway_integration.health]
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

# WAF blocks answer with their own body, so they can be told from other 403s.
resource "aws_api_gateway_gateway_response" "waf_filtered" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  response_type = "WAF_FILTERED"
  status_code   = "403"
  response_templates = {
    "application/json" = "{\"message\":\"Request blocked by WAF\",\"requestId\":\"$context.requestId\"}"
  }
}

# The monitoring host's address is known only after apply.
resource "aws_eip" "monitor" {
  domain = "vpc"
}

resource "aws_kms_key" "logs" {
  description = "WAF logs"
}

module "waf" {
  source = "../.."

  name = "orders-api-complete"
  stage_arns = {
    prod    = aws_api_gateway_stage.prod.arn
    staging = aws_api_gateway_stage.staging.arn
  }
  mode           = "enforce"
  counted_groups = ["AWSManagedRulesSQLiRuleSet"]
  counted_rules = {
    AWSManagedRulesKnownBadInputsRuleSet = ["Log4JRCE_BODY"]
  }
  exceptions = [
    {
      rule_group = "AWSManagedRulesCommonRuleSet"
      rule       = "CrossSiteScripting_BODY"
      label      = "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body"
      method     = "POST"
      path       = "/orders/{id}/notes"
    },
  ]
  rules = [
    {
      name   = "allow-partner"
      action = "allow"
      statement = {
        byte_match_statement = {
          search_string         = "partner-7"
          positional_constraint = "EXACTLY"
          field_to_match        = { single_header = { name = "x-partner" } }
        }
      }
    },
  ]
  rate_limit            = 1000
  trusted_cidrs         = ["${aws_eip.monitor.public_ip}/32", "2001:DB8:1::/48"]
  body_inspection_limit = "KB_32"
  log_retention_days    = 30
  log_kms_key_arn       = aws_kms_key.logs.arn
  enable_sqli           = true
  captcha_paths         = ["/login", "/signup"]
  tags                  = { team = "payments" }
}

output "web_acl_arn" {
  value = module.waf.web_acl_arn
}
