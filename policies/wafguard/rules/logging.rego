# METADATA
# description: Logging and visibility, the diagnosis step of guide cause 1 (catalog group B).
package wafguard.rules.logging

import data.wafguard.lib
import data.wafguard.lib.acl as acls

# METADATA
# title: Web ACL in front of an API without logging
# description: |
#   The web ACL protects an API stage and has no aws_wafv2_web_acl_logging_configuration. When it
#   blocks a legitimate request there is no record of which rule did it, on which part of the
#   request: the 403 cannot be diagnosed, only guessed at. Sampled requests keep only a sample of
#   the last three hours.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/logging.html
# custom:
#   id: WG150
#   severity: warning
#   symptom: blind
#   cause: 1
#   confirm: |
#     `aws wafv2 get-logging-configuration --resource-arn <web ACL ARN>` returns
#     WAFNonexistentItemException.
#   fix: |
#     resource "aws_cloudwatch_log_group" "waf" {
#       name              = "aws-waf-logs-my-api"
#       retention_in_days = 90
#     }
#     resource "aws_wafv2_web_acl_logging_configuration" "api" {
#       resource_arn            = aws_wafv2_web_acl.api.arn
#       log_destination_configs = [aws_cloudwatch_log_group.waf.arn]
#     }
#   why: |
#     Each log record names the terminating rule, the matched request part and the labels, which
#     is what it takes to tell a false positive from an attack.
wg150 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	lib.acl_protects_stage(acl)
	count(logging_configs(acl)) == 0
	not unresolved_logging_config
	finding := lib.finding(acl.address, "protects an API stage and has no logging configuration: blocked requests cannot be traced to a rule")
}

logging_configs(acl) := {c |
	some c in lib.sources(acl.address, "resource_arn")
	c.type == "aws_wafv2_web_acl_logging_configuration"
	c.action != "delete"
}

# A logging configuration whose web ACL could not be resolved may belong to any ACL.
unresolved_logging_config if {
	some c in lib.live("aws_wafv2_web_acl_logging_configuration")
	count(lib.edges_from(c.address, "resource_arn")) == 0
}

# METADATA
# title: WAF log destination name does not start with aws-waf-logs-
# description: |
#   AWS WAF only delivers logs to a CloudWatch Logs log group, S3 bucket or Data Firehose stream
#   whose name starts with `aws-waf-logs-`. Any other name is rejected and `terraform apply` fails
#   on the logging configuration.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/logging-destinations.html
# custom:
#   id: WG151
#   severity: error
#   symptom: apply-failure
#   cause: 1
#   confirm: |
#     Apply fails with WAFInvalidParameterException on log_destination_configs.
#   fix: |
#     resource "aws_cloudwatch_log_group" "waf" {
#       name = "aws-waf-logs-my-api"
#     }
#   why: |
#     The prefix is how WAF's log delivery recognises destinations it is allowed to write to.
wg151 contains finding if {
	some c in lib.live("aws_wafv2_web_acl_logging_configuration")
	some name in destination_names(c)
	not startswith(name, "aws-waf-logs-")
	finding := lib.finding(c.address, concat("", [
		"logs to \"", name, "\", whose name does not start with aws-waf-logs-; AWS rejects the destination",
	]))
}

# Names of the log destinations: from the referenced resource, or from a literal ARN.
destination_names(c) := {n |
	some d in lib.targets(c.address, "log_destination_configs")
	n := destination_name(d)
} | {n |
	some arn in object.get(c.values, "log_destination_configs", [])
	is_string(arn)
	count(lib.edges_from(c.address, "log_destination_configs")) == 0
	n := arn_name(arn)
}

destination_name(d) := d.values.name if d.type in {"aws_cloudwatch_log_group", "aws_kinesis_firehose_delivery_stream"}

destination_name(d) := d.values.bucket if d.type == "aws_s3_bucket"

arn_name(arn) := trim_suffix(split(arn, ":log-group:")[1], ":*") if contains(arn, ":log-group:")

arn_name(arn) := split(arn, ":::")[1] if startswith(arn, "arn:aws:s3:::")

arn_name(arn) := split(arn, ":deliverystream/")[1] if contains(arn, ":deliverystream/")

# METADATA
# title: More than one WAF log destination
# description: |
#   A web ACL logs to exactly one destination. The provider accepts a list of up to 100 ARNs in
#   `log_destination_configs`, but AWS rejects more than one and `terraform apply` fails.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html
# custom:
#   id: WG152
#   severity: error
#   symptom: apply-failure
#   cause: 1
#   confirm: |
#     Apply fails with WAFInvalidParameterException on LogDestinationConfigs.
#   fix: |
#     Keep one destination; fan out from it (a Firehose stream, or a log group subscription):
#       log_destination_configs = [aws_cloudwatch_log_group.waf.arn]
#   why: |
#     The WAF API's LoggingConfiguration takes exactly one destination ARN.
wg152 contains finding if {
	some c in lib.live("aws_wafv2_web_acl_logging_configuration")
	destinations := max([
		count(object.get(c.values, "log_destination_configs", [])),
		count({e.to | some e in lib.edges_from(c.address, "log_destination_configs")}),
	])
	destinations > 1
	finding := lib.finding(c.address, concat("", ["has ", lib.format_number(destinations), " log destinations; AWS accepts exactly one"]))
}

# METADATA
# title: Log filter drops the blocked requests
# description: |
#   The logging filter drops records by default and no filter keeps records whose action is
#   BLOCK. The requests you need to diagnose, the ones users see as 403, are exactly the ones
#   not logged.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/logging-management.html
# custom:
#   id: WG153
#   severity: warning
#   symptom: blind
#   cause: 1
#   confirm: |
#     A request you know was blocked (403 with WAF_FILTERED) has no record in the log destination.
#   fix: |
#     logging_filter {
#       default_behavior = "DROP"
#       filter {
#         behavior    = "KEEP"
#         requirement = "MEETS_ANY"
#         condition {
#           action_condition { action = "BLOCK" }
#         }
#       }
#     }
#   why: |
#     Keeping BLOCK (and COUNT, while rolling out) records logs every request WAF stopped, which is
#     what a 403 investigation starts from.
wg153 contains finding if {
	some c in lib.live("aws_wafv2_web_acl_logging_configuration")
	f := lib.block(c.values, "logging_filter")
	f.default_behavior == "DROP"
	not keeps_blocks(f)
	finding := lib.finding(c.address, "drops log records by default and keeps no BLOCK records: blocked requests are not logged")
}

keeps_blocks(f) if {
	some filter in object.get(f, "filter", [])
	filter.behavior == "KEEP"
	some condition in object.get(filter, "condition", [])
	some ac in object.get(condition, "action_condition", [])
	ac.action == "BLOCK"
}

# METADATA
# title: Metrics or sampled requests turned off
# description: |
#   `cloudwatch_metrics_enabled` or `sampled_requests_enabled` is false in a visibility_config of
#   the web ACL or one of its rules. Without metrics there is no BlockedRequests graph per rule;
#   without sampled requests the console cannot show what a rule blocked. Both are the quickest
#   way to confirm which rule causes a 403.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-testing-view-sample.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
# custom:
#   id: WG154
#   severity: warning
#   symptom: blind
#   cause: 1
#   confirm: |
#     The rule has no metric in CloudWatch (namespace AWS/WAFV2), or the console's sampled
#     requests for it are empty.
#   fix: |
#     visibility_config {
#       cloudwatch_metrics_enabled = true
#       sampled_requests_enabled   = true
#       metric_name                = "my-rule"
#     }
#   why: |
#     Metrics and samples cost nothing extra and answer "which rule blocked this" in seconds.
wg154 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some where in blind_spots(acl)
	finding := lib.finding(where.address, concat("", [where.label, " turns off ", concat(" and ", where.off)]))
}

blind_spots(acl) := {{"address": acl.address, "label": "the web ACL's visibility_config", "off": off} |
	off := switched_off(lib.block(acl.values, "visibility_config"))
	count(off) > 0
} | {{"address": entry.address, "label": concat("", ["rule \"", entry.rule.name, "\""]), "off": off} |
	some entry in acls.rules(acl)
	off := switched_off(lib.block(entry.rule, "visibility_config"))
	count(off) > 0
}

switched_off(v) := sort([name |
	some name in ["cloudwatch_metrics_enabled", "sampled_requests_enabled"]
	v[name] == false
])

# METADATA
# title: WAF logs keep the Authorization header
# description: |
#   The logging configuration does not redact the `authorization` header. WAF logs record request
#   headers, so bearer tokens and basic-auth credentials of every logged request land in the log
#   destination, readable by whoever can read the logs.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/logging-management.html
# custom:
#   id: WG155
#   severity: info
#   symptom: none
#   cause: 1
#   confirm: |
#     Search the log destination for "authorization" in httpRequest.headers.
#   fix: |
#     redacted_fields {
#       single_header { name = "authorization" }
#     }
#   why: |
#     Redacted fields are replaced with REDACTED before the record is written.
wg155 contains finding if {
	some c in lib.live("aws_wafv2_web_acl_logging_configuration")
	not redacts_authorization(c)
	finding := lib.finding(c.address, "does not redact the authorization header: credentials are written to the WAF logs")
}

redacts_authorization(c) if {
	some field in object.get(c.values, "redacted_fields", [])
	some header in object.get(field, "single_header", [])
	lower(header.name) == "authorization"
}
