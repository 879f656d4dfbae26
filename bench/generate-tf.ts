/**
 * A generated `.tf` stack of `files` files and about `resources` resources, written the way real
 * stacks are: REST APIs with stages, web ACLs whose rules come from for_each over a list through
 * lookup() and dynamic blocks, count toggles, associations, Lambda integrations, and resources the
 * rules do not read (IAM, S3, CloudWatch).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function generateTfStack(dir: string, files: number, resources: number): number {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "variables.tf"),
    `variable "enabled" {\n  default = true\n}\n\nvariable "rules" {\n  default = [\n    { name = "common", priority = 1, group = "AWSManagedRulesCommonRuleSet", override = "count" },\n    { name = "bad-inputs", priority = 2, group = "AWSManagedRulesKnownBadInputsRuleSet", override = "none" },\n    { name = "ip-rep", priority = 3, group = "AWSManagedRulesAmazonIpReputationList" },\n  ]\n}\n\nlocals {\n  tags = merge({ Stack = "bench" }, var.enabled ? { Enabled = "yes" } : {})\n}\n`,
  );
  let written = 0;
  for (let f = 0; f < files - 1; f++) {
    const blocks: string[] = [];
    const inFile = Math.floor(((f + 1) * resources) / (files - 1)) - Math.floor((f * resources) / (files - 1));
    for (let i = 0; i < inFile; i++, written++) {
      const n = `r${f}_${i}`;
      switch (i % 8) {
        case 0:
          blocks.push(`resource "aws_api_gateway_rest_api" "${n}" {\n  name = "api-${n}"\n  endpoint_configuration {\n    types = ["REGIONAL"]\n  }\n  tags = local.tags\n}`);
          break;
        case 1:
          blocks.push(`resource "aws_api_gateway_deployment" "${n}" {\n  rest_api_id = aws_api_gateway_rest_api.r${f}_${i - 1}.id\n}`);
          break;
        case 2:
          blocks.push(`resource "aws_api_gateway_stage" "${n}" {\n  rest_api_id   = aws_api_gateway_rest_api.r${f}_${i - 2}.id\n  deployment_id = aws_api_gateway_deployment.r${f}_${i - 1}.id\n  stage_name    = format("%s-%d", "prod", ${i})\n}`);
          break;
        case 3:
          blocks.push(
            `resource "aws_wafv2_web_acl" "${n}" {\n  count = var.enabled ? 1 : 0\n  name  = "acl-${n}"\n  scope = "REGIONAL"\n  default_action {\n    allow {}\n  }\n  dynamic "rule" {\n    for_each = { for r in var.rules : r.name => r }\n    content {\n      name     = rule.key\n      priority = rule.value.priority\n      override_action {\n        dynamic "count" {\n          for_each = lookup(rule.value, "override", "none") == "count" ? [1] : []\n          content {}\n        }\n        dynamic "none" {\n          for_each = lookup(rule.value, "override", "none") == "none" ? [1] : []\n          content {}\n        }\n      }\n      statement {\n        managed_rule_group_statement {\n          name        = rule.value.group\n          vendor_name = "AWS"\n        }\n      }\n      visibility_config {\n        cloudwatch_metrics_enabled = true\n        metric_name                = "\${rule.key}-${n}"\n        sampled_requests_enabled   = true\n      }\n    }\n  }\n  visibility_config {\n    cloudwatch_metrics_enabled = true\n    metric_name                = "acl-${n}"\n    sampled_requests_enabled   = true\n  }\n  tags = local.tags\n}`,
          );
          break;
        case 4:
          blocks.push(`resource "aws_wafv2_web_acl_association" "${n}" {\n  count        = var.enabled ? 1 : 0\n  resource_arn = aws_api_gateway_stage.r${f}_${i - 2}.arn\n  web_acl_arn  = aws_wafv2_web_acl.r${f}_${i - 1}[0].arn\n}`);
          break;
        case 5:
          blocks.push(`resource "aws_lambda_function" "${n}" {\n  function_name = "fn-${n}"\n  role          = "arn:aws:iam::123456789012:role/fn-${n}"\n  handler       = "index.handler"\n  runtime       = "nodejs20.x"\n  filename      = "fn.zip"\n  timeout       = ${i % 2 ? 10 : 20}\n}`);
          break;
        case 6:
          blocks.push(`resource "aws_cloudwatch_log_group" "${n}" {\n  name              = "/aws/lambda/fn-r${f}_${i - 1}"\n  retention_in_days = 14\n}`);
          break;
        default:
          blocks.push(`resource "aws_iam_role" "${n}" {\n  name               = "role-${n}"\n  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })\n}`);
      }
    }
    writeFileSync(join(dir, `stack-${String(f).padStart(2, "0")}.tf`), blocks.join("\n\n") + "\n");
  }
  return written;
}
