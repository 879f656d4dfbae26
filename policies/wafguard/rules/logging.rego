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
	finding := lib.finding(c.address, concat("", ["has ", format_int(destinations, 10), " log destinations; AWS accepts exactly one"]))
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

# METADATA
# title: Log filter drops the counted sub-rules (or CAPTCHA/Challenge)
# description: |
#   The logging filter keeps records by action but not `EXCLUDED_AS_COUNT`, while the web ACL
#   counts sub-rules of a managed rule group through `rule_action_override` (or `excluded_rule`).
#   AWS logs a request that only such a sub-rule matched with the action EXCLUDED_AS_COUNT, not
#   COUNT: the count phase that should show what the sub-rule would block leaves no trace, and the
#   decision to enforce is taken blind. The same holds for CAPTCHA and CHALLENGE when a rule of
#   the ACL answers with them and the filter does not keep them.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/APIReference/API_ActionCondition.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/logging-management.html
# custom:
#   id: WG156
#   severity: warning
#   symptom: blind
#   cause: 1
#   confirm: |
#     The sub-rule's CountedRequests metric rises, yet no record in the log destination names it
#     in ruleGroupList[].nonTerminatingMatchingRules.
#   fix: |
#     logging_filter {
#       default_behavior = "DROP"
#       filter {
#         behavior    = "KEEP"
#         requirement = "MEETS_ANY"
#         condition {
#           action_condition { action = "BLOCK" }
#         }
#         condition {
#           action_condition { action = "COUNT" }
#         }
#         condition {
#           action_condition { action = "EXCLUDED_AS_COUNT" }
#         }
#       }
#     }
#   why: |
#     The action condition EXCLUDED_AS_COUNT matches the requests of excluded rules and of rules
#     overridden to Count; keeping it logs what the count phase is there to show.
wg156 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some c in logging_configs(acl)
	f := lib.block(c.values, "logging_filter")
	not filter_unknown(c)
	some action, reason in actions_to_keep(acl)
	drops_action(f, action)
	finding := lib.finding(c.address, concat("", [
		"logging filter keeps records by action but drops ", action, " while ", reason,
		": those requests leave no log record",
	]))
}

# Conditions built by a `dynamic` block known only at plan time (.tf input): not judged.
filter_unknown(c) if {
	some path in c.unknown
	startswith(path, "logging_filter")
}

# The actions the ACL's records carry beyond BLOCK/COUNT/ALLOW, with why.
actions_to_keep(acl) := {action: reason |
	some action in {"EXCLUDED_AS_COUNT", "CAPTCHA", "CHALLENGE"}
	reasons := sort([r | some r in action_reasons(acl, action)])
	count(reasons) > 0
	reason := reasons[0]
}

action_reasons(acl, "EXCLUDED_AS_COUNT") := counted_reasons(acl)

action_reasons(acl, "CAPTCHA") := browser_reasons(acl, "CAPTCHA")

action_reasons(acl, "CHALLENGE") := browser_reasons(acl, "CHALLENGE")

counted_reasons(acl) := {concat("", ["rule \"", entry.rule.name, "\" counts sub-rule ", name, " of ", group.name]) |
	some entry in acls.rules(acl)
	group := acls.managed_group(entry.rule)
	some name, "count" in acls.overrides(group)
} | {concat("", ["rule \"", entry.rule.name, "\" excludes sub-rule ", e.name, " of ", group.name]) |
	some entry in acls.rules(acl)
	group := acls.managed_group(entry.rule)
	some e in object.get(group, "excluded_rule", [])
}

browser_reasons(acl, action) := {concat("", ["rule \"", entry.rule.name, "\" answers with ", action]) |
	some entry in acls.rules(acl)
	upper(acls.action(entry.rule)) == action
} | {concat("", ["rule \"", entry.rule.name, "\" overrides ", name, " to ", action]) |
	some entry in acls.rules(acl)
	some name, a in acls.overrides(acls.managed_group(entry.rule))
	upper(a) == action
}

# Filters decide by action (a condition names one); a record of `action` is dropped when the
# default drops and no KEEP filter takes it, or the default keeps and a DROP filter takes it.
drops_action(f, action) if {
	f.default_behavior == "DROP"
	filters_by_action(f)
	not takes(f, "KEEP", action)
}

drops_action(f, action) if {
	f.default_behavior == "KEEP"
	takes(f, "DROP", action)
}

filters_by_action(f) if {
	some filter in object.get(f, "filter", [])
	some condition in object.get(filter, "condition", [])
	count(object.get(condition, "action_condition", [])) > 0
}

# A filter with this behavior that a record of `action` meets: any condition names the action
# (MEETS_ANY), or it is the filter's only condition.
takes(f, behavior, action) if {
	some filter in object.get(f, "filter", [])
	filter.behavior == behavior
	conditions := object.get(filter, "condition", [])
	some condition in conditions
	some ac in object.get(condition, "action_condition", [])
	ac.action == action
	meets_with_one(filter, conditions)
}

meets_with_one(filter, _) if filter.requirement == "MEETS_ANY"

meets_with_one(_, conditions) if count(conditions) == 1
