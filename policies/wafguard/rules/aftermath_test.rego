package wafguard.rules.aftermath_test

import data.wafguard.rules.aftermath
import data.wafguard.testing

acl(default_action, rules) := {
	"address": "aws_wafv2_web_acl.api", "type": "aws_wafv2_web_acl", "name": "api", "mode": "managed",
	"action": "create", "unknown": [],
	"values": {"scope": "REGIONAL", "default_action": [default_action], "rule": rules},
}

block_default := {"allow": [], "block": [{}]}

allow_default := {"allow": [{}], "block": []}

managed_rule := {
	"name": "common", "priority": 1, "action": [],
	"override_action": [{"none": [{}], "count": []}],
	"statement": [{"managed_rule_group_statement": [{"name": "AWSManagedRulesCommonRuleSet", "vendor_name": "AWS", "rule_action_override": []}]}],
}

allow_rule := {"name": "office", "priority": 0, "action": [{"allow": [{}], "block": []}], "statement": [{"ip_set_reference_statement": [{"arn": "x"}]}]}

block_rule := {"name": "bad", "priority": 0, "action": [{"allow": [], "block": [{}]}], "statement": [{"ip_set_reference_statement": [{"arn": "x"}]}]}

test_block_default_with_only_blocking_rules if {
	findings := aftermath.wg701 with input as testing.model([acl(block_default, [managed_rule, block_rule])], [])
	{f.address | some f in findings} == {"aws_wafv2_web_acl.api"}
}

test_block_default_with_allow_rule_passes if {
	count(aftermath.wg701) == 0 with input as testing.model([acl(block_default, [allow_rule, managed_rule])], [])
}

test_allow_default_passes if {
	count(aftermath.wg701) == 0 with input as testing.model([acl(allow_default, [block_rule])], [])
}

test_unknown_rules_pass if {
	a := object.union(acl(block_default, []), {"unknown": ["rule"]})
	count(aftermath.wg701) == 0 with input as testing.model([a], [])
}

test_rule_json_allow_passes if {
	a := object.union(acl(block_default, []), {"decoded_rule_json": [allow_rule]})
	count(aftermath.wg701) == 0 with input as testing.model([a], [])
}

test_rule_json_block_only_fails if {
	a := object.union(acl(block_default, []), {"decoded_rule_json": [block_rule]})
	count(aftermath.wg701) == 1 with input as testing.model([a], [])
}

test_separate_allow_rule_resource_passes if {
	rule := {
		"address": "aws_wafv2_web_acl_rule.office", "type": "aws_wafv2_web_acl_rule", "name": "office",
		"mode": "managed", "action": "create", "unknown": [], "values": allow_rule,
	}
	e := {"from": "aws_wafv2_web_acl_rule.office", "attribute": "web_acl_arn", "to": "aws_wafv2_web_acl.api", "to_attribute": "arn", "kind": "reference"}
	count(aftermath.wg701) == 0 with input as testing.model([acl(block_default, []), rule], [e])
}

api := {"address": "aws_api_gateway_rest_api.orders", "type": "aws_api_gateway_rest_api", "name": "orders", "mode": "managed", "action": "create", "unknown": [], "values": {}}

stage := {"address": "aws_api_gateway_stage.prod", "type": "aws_api_gateway_stage", "name": "prod", "mode": "managed", "action": "create", "unknown": [], "values": {}}

assoc := {"address": "aws_wafv2_web_acl_association.prod", "type": "aws_wafv2_web_acl_association", "name": "prod", "mode": "managed", "action": "create", "unknown": [], "values": {}}

gateway_response := {"address": "aws_api_gateway_gateway_response.waf", "type": "aws_api_gateway_gateway_response", "name": "waf", "mode": "managed", "action": "create", "unknown": [], "values": {"response_type": "WAF_FILTERED"}}

wiring := [
	{"from": "aws_api_gateway_stage.prod", "attribute": "rest_api_id", "to": "aws_api_gateway_rest_api.orders", "to_attribute": "id", "kind": "reference"},
	{"from": "aws_wafv2_web_acl_association.prod", "attribute": "resource_arn", "to": "aws_api_gateway_stage.prod", "to_attribute": "arn", "kind": "reference"},
	{"from": "aws_wafv2_web_acl_association.prod", "attribute": "web_acl_arn", "to": "aws_wafv2_web_acl.api", "to_attribute": "arn", "kind": "reference"},
]

test_wg702_plain_403 if {
	findings := aftermath.wg702 with input as testing.model([api, stage, assoc, acl(allow_default, [])], wiring)
	{f.address | some f in findings} == {"aws_api_gateway_rest_api.orders"}
}

test_wg702_waf_filtered_response_passes if {
	g := {"from": "aws_api_gateway_gateway_response.waf", "attribute": "rest_api_id", "to": "aws_api_gateway_rest_api.orders", "to_attribute": "id", "kind": "reference"}
	count(aftermath.wg702) == 0 with input as testing.model([api, stage, assoc, acl(allow_default, []), gateway_response], array.concat(wiring, [g]))
}
