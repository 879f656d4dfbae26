# Stages associated with a web ACL managed elsewhere (a shared, central one): only the associations.
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

module "waf" {
  source = "../.."

  name = "orders-api-shared"
  stage_arns = {
    prod    = aws_api_gateway_stage.prod.arn
    staging = aws_api_gateway_stage.staging.arn
  }
  existing_web_acl_arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shared-api/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
}
