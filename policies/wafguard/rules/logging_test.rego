package wafguard.rules.logging_test

import data.wafguard.rules.logging
import data.wafguard.testing

config(values) := {
	"address": "aws_wafv2_web_acl_logging_configuration.api", "type": "aws_wafv2_web_acl_logging_configuration",
	"name": "api", "mode": "managed", "action": "create", "unknown": [], "values": values,
}

group(name, log_name) := {
	"address": concat(".", ["aws_cloudwatch_log_group", name]), "type": "aws_cloudwatch_log_group", "name": name,
	"mode": "managed", "action": "create", "unknown": [], "values": {"name": log_name},
}

to_group(name) := {
	"from": "aws_wafv2_web_acl_logging_configuration.api", "attribute": "log_destination_configs",
	"to": concat(".", ["aws_cloudwatch_log_group", name]), "to_attribute": "arn", "kind": "reference",
}

redacted := [{"single_header": [{"name": "authorization"}]}]

test_wg151_bad_prefix if {
	m := testing.model([config({"redacted_fields": redacted}), group("main", "waf-orders")], [to_group("main")])
	count(logging.wg151) == 1 with input as m
}

test_wg151_literal_firehose_arn if {
	c := config({"log_destination_configs": ["arn:aws:firehose:us-east-1:123456789012:deliverystream/orders"]})
	count(logging.wg151) == 1 with input as testing.model([c], [])
}

test_wg151_good_prefix_passes if {
	m := testing.model([config({}), group("main", "aws-waf-logs-orders")], [to_group("main")])
	count(logging.wg151) == 0 with input as m
	c := config({"log_destination_configs": ["arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-orders:*"]})
	count(logging.wg151) == 0 with input as testing.model([c], [])
}

test_wg152_two_destinations if {
	m := testing.model([config({}), group("a", "aws-waf-logs-a"), group("b", "aws-waf-logs-b")], [to_group("a"), to_group("b")])
	count(logging.wg152) == 1 with input as m
}

test_wg152_one_destination_passes if {
	count(logging.wg152) == 0 with input as testing.model([config({}), group("a", "aws-waf-logs-a")], [to_group("a")])
}

filter(actions) := [{"default_behavior": "DROP", "filter": [{"behavior": "KEEP", "condition": [{"action_condition": [{"action": a}]} | some a in actions]}]}]

test_wg153_drop_without_block if {
	count(logging.wg153) == 1 with input as testing.model([config({"logging_filter": filter(["COUNT"])})], [])
}

test_wg153_keeps_blocks_passes if {
	count(logging.wg153) == 0 with input as testing.model([config({"logging_filter": filter(["COUNT", "BLOCK"])})], [])
}

test_wg155_not_redacted if {
	count(logging.wg155) == 1 with input as testing.model([config({"redacted_fields": [{"single_header": [{"name": "x-api-key"}]}]})], [])
}

test_wg155_redacted_any_case_passes if {
	count(logging.wg155) == 0 with input as testing.model([config({"redacted_fields": [{"single_header": [{"name": "Authorization"}]}]})], [])
}

acl(visibility) := {
	"address": "aws_wafv2_web_acl.api", "type": "aws_wafv2_web_acl", "name": "api", "mode": "managed",
	"action": "create", "unknown": [], "values": {"visibility_config": [visibility], "rule": []},
}

test_wg154_metrics_off if {
	findings := logging.wg154 with input as testing.model([acl({"cloudwatch_metrics_enabled": false, "sampled_requests_enabled": true})], [])
	some f in findings
	contains(f.message, "cloudwatch_metrics_enabled")
}

test_wg154_all_on_passes if {
	count(logging.wg154) == 0 with input as testing.model([acl({"cloudwatch_metrics_enabled": true, "sampled_requests_enabled": true})], [])
}

keep_any(actions) := [{"default_behavior": "DROP", "filter": [{"behavior": "KEEP", "requirement": "MEETS_ANY", "condition": [{"action_condition": [{"action": a}]} | some a in actions]}]}]

web_acl(rules) := {
	"address": "aws_wafv2_web_acl.api", "type": "aws_wafv2_web_acl", "name": "api", "mode": "managed",
	"action": "create", "unknown": [], "values": {"scope": "REGIONAL", "rule": rules},
}

counted_subrule := {"name": "common", "priority": 1, "action": [], "override_action": [{"none": [{}]}], "statement": [{"managed_rule_group_statement": [{
	"name": "AWSManagedRulesCommonRuleSet", "vendor_name": "AWS",
	"rule_action_override": [{"name": "SizeRestrictions_BODY", "action_to_use": [{"count": [{}]}]}],
}]}]}

captcha_rule := {"name": "login", "priority": 2, "action": [{"captcha": [{}]}], "statement": [{"byte_match_statement": [{}]}]}

to_acl := {
	"from": "aws_wafv2_web_acl_logging_configuration.api", "attribute": "resource_arn",
	"to": "aws_wafv2_web_acl.api", "to_attribute": "arn", "kind": "reference",
}

logged(rules, logging_filter) := testing.model([web_acl(rules), config({"logging_filter": logging_filter})], [to_acl])

test_wg156_counted_subrule_not_kept if {
	findings := logging.wg156 with input as logged([counted_subrule], keep_any(["BLOCK", "COUNT"]))
	count(findings) == 1
	some f in findings
	contains(f.message, "drops EXCLUDED_AS_COUNT while rule \"common\" counts sub-rule SizeRestrictions_BODY")
}

test_wg156_kept_passes if {
	count(logging.wg156) == 0 with input as logged([counted_subrule], keep_any(["BLOCK", "COUNT", "EXCLUDED_AS_COUNT"]))

	# no filter, or no counted sub-rule: nothing is lost
	count(logging.wg156) == 0 with input as testing.model([web_acl([counted_subrule]), config({})], [to_acl])
	count(logging.wg156) == 0 with input as logged([], keep_any(["BLOCK", "COUNT"]))
}

test_wg156_captcha_not_kept if {
	count(logging.wg156) == 1 with input as logged([captcha_rule], keep_any(["BLOCK", "COUNT"]))
	count(logging.wg156) == 0 with input as logged([captcha_rule], keep_any(["BLOCK", "CAPTCHA"]))
}

test_wg156_default_keep_with_a_drop_filter if {
	drops := [{"default_behavior": "KEEP", "filter": [{"behavior": "DROP", "requirement": "MEETS_ANY", "condition": [{"action_condition": [{"action": "EXCLUDED_AS_COUNT"}]}]}]}]
	count(logging.wg156) == 1 with input as logged([counted_subrule], drops)
	keeps := [{"default_behavior": "KEEP", "filter": [{"behavior": "DROP", "requirement": "MEETS_ANY", "condition": [{"action_condition": [{"action": "ALLOW"}]}]}]}]
	count(logging.wg156) == 0 with input as logged([counted_subrule], keeps)
}

test_wg156_conditions_unknown_until_plan_are_not_judged if {
	c := object.union(config({"logging_filter": keep_any(["BLOCK", "COUNT"])}), {"unknown": ["logging_filter.0.filter.0.condition"]})
	count(logging.wg156) == 0 with input as testing.model([web_acl([captcha_rule]), c], [to_acl])
}
