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
	a := acl(block_default, [])
	b := object.union(a, {"values": object.union(a.values, {"rule_json": `[{"Name":"office","Priority":0,"Action":{"Allow":{}},"Statement":{"IPSetReferenceStatement":{"ARN":"x"}}}]`})})
	count(aftermath.wg701) == 0 with input as testing.model([b], [])
}

test_rule_json_block_only_fails if {
	a := acl(block_default, [])
	b := object.union(a, {"values": object.union(a.values, {"rule_json": `[{"Name":"bad","Priority":0,"Action":{"Block":{}},"Statement":{"IPSetReferenceStatement":{"ARN":"x"}}}]`})})
	count(aftermath.wg701) == 1 with input as testing.model([b], [])
}

test_separate_allow_rule_resource_passes if {
	rule := {
		"address": "aws_wafv2_web_acl_rule.office", "type": "aws_wafv2_web_acl_rule", "name": "office",
		"mode": "managed", "action": "create", "unknown": [], "values": allow_rule,
	}
	e := {"from": "aws_wafv2_web_acl_rule.office", "attribute": "web_acl_arn", "to": "aws_wafv2_web_acl.api", "to_attribute": "arn", "kind": "reference"}
	count(aftermath.wg701) == 0 with input as testing.model([acl(block_default, []), rule], [e])
}
