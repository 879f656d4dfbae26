package wafguard.rules.authoring_test

import data.wafguard.rules.authoring
import data.wafguard.testing

acl(values, extra) := object.union(
	{
		"address": "aws_wafv2_web_acl.api", "type": "aws_wafv2_web_acl", "name": "api", "mode": "managed",
		"action": "create", "unknown": [], "values": values,
	},
	extra,
)

test_wg801_camel_case_statement if {
	rule := {"name": "common", "statement": {"managedRuleGroupStatement": {"name": "AWSManagedRulesCommonRuleSet", "vendorName": "AWS"}}}
	some f in authoring.wg801 with input as testing.model([acl({"rule": [rule]}, {})], [])
	contains(f.message, "managedRuleGroupStatement")
	contains(f.message, "vendorName")
}

test_wg801_snake_case_passes if {
	rule := {"name": "common", "statement": [{"managed_rule_group_statement": [{"name": "AWSManagedRulesCommonRuleSet", "vendor_name": "AWS"}]}]}
	count(authoring.wg801) == 0 with input as testing.model([acl({"rule": [rule]}, {})], [])
}

test_wg802_rule_json if {
	count(authoring.wg802) == 1 with input as testing.model([acl({"rule_json": "[]"}, {})], [])
}

test_wg802_inline_rules_pass if {
	count(authoring.wg802) == 0 with input as testing.model([acl({"rule": []}, {})], [])
}

separate := {
	"address": "aws_wafv2_web_acl_rule_group_association.extra", "type": "aws_wafv2_web_acl_rule_group_association",
	"name": "extra", "mode": "managed", "action": "create", "unknown": [], "values": {"priority": 10},
}

link := {"from": "aws_wafv2_web_acl_rule_group_association.extra", "attribute": "web_acl_arn", "to": "aws_wafv2_web_acl.api", "to_attribute": "arn", "kind": "reference"}

test_wg803_separate_rules_without_ignore_changes if {
	m := testing.model([acl({"rule": []}, {"lifecycle": {"ignore_changes": []}}), separate], [link])
	count(authoring.wg803) == 1 with input as m
}

test_wg803_ignore_changes_rule_passes if {
	m := testing.model([acl({"rule": []}, {"lifecycle": {"ignore_changes": ["rule"]}}), separate], [link])
	count(authoring.wg803) == 0 with input as m
}

test_wg803_lifecycle_unknown_is_not_reported if {
	count(authoring.wg803) == 0 with input as testing.model([acl({"rule": []}, {}), separate], [link])
}
