output "web_acl_arn" {
  description = "ARN of the web ACL the stages are associated with (the module's, or existing_web_acl_arn)."
  value       = var.existing_web_acl_arn == "" ? aws_wafv2_web_acl.this[0].arn : var.existing_web_acl_arn
}

output "web_acl_id" {
  description = "ID of the web ACL the module created (null with existing_web_acl_arn)."
  value       = one(aws_wafv2_web_acl.this[*].id)
}

output "web_acl_name" {
  description = "Name of the web ACL the module created (null with existing_web_acl_arn)."
  value       = one(aws_wafv2_web_acl.this[*].name)
}

output "web_acl_capacity" {
  description = "WCUs the web ACL uses (the limit is 5,000 per web ACL; over 1,500 costs extra)."
  value       = one(aws_wafv2_web_acl.this[*].capacity)
}

output "rule_names" {
  description = "Names of the web ACL's rules (sorted): for metrics, logs and `wafguard logs`."
  value       = var.existing_web_acl_arn == "" ? sort([for r in aws_wafv2_web_acl.this[0].rule : r.name]) : []
}

output "log_destination_arn" {
  description = "Where the WAF logs go: the module's log group, or log_destination_arn."
  value       = var.log_destination_arn == "" ? one(aws_cloudwatch_log_group.waf[*].arn) : var.log_destination_arn
}

output "log_group_name" {
  description = "CloudWatch log group that receives the WAF logs (null with log_destination_arn)."
  value       = one(aws_cloudwatch_log_group.waf[*].name)
}

output "logging_configuration_id" {
  description = "ID of the logging configuration (null with existing_web_acl_arn)."
  value       = one(aws_wafv2_web_acl_logging_configuration.this[*].id)
}

output "association_ids" {
  description = "Association IDs, by the keys of stage_arns."
  value       = { for k, a in aws_wafv2_web_acl_association.this : k => a.id }
}

output "trusted_ip_set_arns" {
  description = "ARNs of the IP sets of trusted_cidrs, by family (ipv4, ipv6); empty with existing_web_acl_arn."
  value       = var.existing_web_acl_arn == "" ? { ipv4 = aws_wafv2_ip_set.trusted_v4[0].arn, ipv6 = aws_wafv2_ip_set.trusted_v6[0].arn } : {}
}
