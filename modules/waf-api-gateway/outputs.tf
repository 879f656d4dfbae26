output "web_acl_arn" {
  description = "ARN of the web ACL."
  value       = aws_wafv2_web_acl.this.arn
}

output "web_acl_id" {
  description = "ID of the web ACL."
  value       = aws_wafv2_web_acl.this.id
}

output "log_group_name" {
  description = "CloudWatch log group that receives the WAF logs."
  value       = aws_cloudwatch_log_group.waf.name
}

output "association_ids" {
  description = "Association IDs, by the keys of stage_arns."
  value       = { for k, a in aws_wafv2_web_acl_association.this : k => a.id }
}

output "trusted_ip_set_arns" {
  description = "ARNs of the IPv4 and IPv6 IP sets of trusted_cidrs."
  value       = [aws_wafv2_ip_set.trusted_v4.arn, aws_wafv2_ip_set.trusted_v6.arn]
}
