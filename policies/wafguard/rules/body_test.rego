package wafguard.rules.body_test

import data.wafguard.rules.body
import data.wafguard.testing

acl(rules, limit) := {
	"address": "aws_wafv2_web_acl.api", "type": "aws_wafv2_web_acl", "name": "api", "mode": "managed",
	"action": "create", "unknown": [],
	"values": {"scope": "REGIONAL", "rule": rules, "association_config": [{"request_body": [{"api_gateway": [{"default_size_inspection_limit": limit}]}]}]},
}

rule(statement, action) := {"name": "r", "priority": 0, "action": [{action: [{}]}], "statement": [statement]}

byte_match(field) := {"byte_match_statement": [{"positional_constraint": "CONTAINS", "field_to_match": [field]}]}

size(field, n) := {"size_constraint_statement": [{"comparison_operator": "GT", "size": n, "field_to_match": [field]}]}

m(rules, limit) := testing.model([acl(rules, limit)], [])

test_wg501_only_in_blocking_rules if {
	count(body.wg501) == 1 with input as m([rule(byte_match({"body": [{"oversize_handling": "MATCH"}]}), "block")], "KB_16")
	count(body.wg501) == 0 with input as m([rule(byte_match({"body": [{"oversize_handling": "MATCH"}]}), "count")], "KB_16")
	count(body.wg501) == 0 with input as m([rule(byte_match({"body": [{"oversize_handling": "CONTINUE"}]}), "block")], "KB_16")
}

test_wg501_nested_statement if {
	nested := {"and_statement": [{"statement": [{"geo_match_statement": [{}]}, byte_match({"json_body": [{"oversize_handling": "MATCH"}]})]}]}
	count(body.wg501) == 1 with input as m([rule(nested, "block")], "KB_16")
}

test_wg502_invalid_json_match if {
	count(body.wg502) == 1 with input as m([rule(byte_match({"json_body": [{"invalid_fallback_behavior": "MATCH"}]}), "block")], "KB_16")
	count(body.wg502) == 0 with input as m([rule(byte_match({"json_body": [{"invalid_fallback_behavior": "EVALUATE_AS_STRING"}]}), "block")], "KB_16")
}

test_wg503_against_effective_limit if {
	count(body.wg503) == 1 with input as m([rule(size({"body": [{"oversize_handling": "CONTINUE"}]}, 16384), "block")], "KB_16")
	count(body.wg503) == 0 with input as m([rule(size({"body": [{"oversize_handling": "CONTINUE"}]}, 16384), "block")], "KB_32")
	count(body.wg503) == 1 with input as m([rule(size({"body": [{"oversize_handling": "CONTINUE"}]}, 40000), "block")], "KB_32")
	count(body.wg503) == 0 with input as m([rule(size({"body": [{"oversize_handling": "MATCH"}]}, 16384), "block")], "KB_16")
}

crs_enforced := {
	"name": "common", "priority": 1, "override_action": [{"none": [{}]}],
	"statement": [{"managed_rule_group_statement": [{"name": "AWSManagedRulesCommonRuleSet", "vendor_name": "AWS", "rule_action_override": [], "scope_down_statement": []}]}],
}

test_wg504_raised_limit_with_crs if {
	count(body.wg504) == 1 with input as m([crs_enforced], "KB_64")
	count(body.wg504) == 0 with input as m([crs_enforced], "KB_16")
}

test_wg505_wrong_scope_key if {
	a := acl([], "KB_16")
	regional := object.union(a, {"values": object.union(a.values, {"association_config": [{"request_body": [{"cloudfront": [{"default_size_inspection_limit": "KB_32"}]}]}]})})
	count(body.wg505) == 1 with input as testing.model([regional], [])
	count(body.wg505) == 0 with input as testing.model([a], [])
}
