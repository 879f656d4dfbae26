package wafguard.rules.managed_test

import data.wafguard.rules.managed
import data.wafguard.testing

crs := "AWSManagedRulesCommonRuleSet"

group_rule(name, group, mode, overrides) := {
	"name": name, "priority": 1, "action": [],
	"override_action": [override_block(mode)],
	"statement": [{"managed_rule_group_statement": [{
		"name": group, "vendor_name": "AWS", "version": "",
		"rule_action_override": [{"name": n, "action_to_use": [{a: [{}]}]} | some [n, a] in overrides],
		"scope_down_statement": [],
	}]}],
}

override_block("none") := {"none": [{}], "count": []}

override_block("count") := {"none": [], "count": [{}]}

acl(rules) := {
	"address": "aws_wafv2_web_acl.api", "type": "aws_wafv2_web_acl", "name": "api", "mode": "managed",
	"action": "create", "unknown": [], "before": null, "region": "us-east-1",
	"values": {"scope": "REGIONAL", "rule": rules, "default_action": [{"allow": [{}], "block": []}]},
}

stage := {"address": "aws_api_gateway_stage.prod", "type": "aws_api_gateway_stage", "name": "prod", "mode": "managed", "action": "create", "unknown": [], "values": {"stage_name": "prod"}}

assoc := {"address": "aws_wafv2_web_acl_association.prod", "type": "aws_wafv2_web_acl_association", "name": "prod", "mode": "managed", "action": "create", "unknown": [], "values": {}}

edges := [
	{"from": "aws_wafv2_web_acl_association.prod", "attribute": "resource_arn", "to": "aws_api_gateway_stage.prod", "to_attribute": "arn", "kind": "reference"},
	{"from": "aws_wafv2_web_acl_association.prod", "attribute": "web_acl_arn", "to": "aws_wafv2_web_acl.api", "to_attribute": "arn", "kind": "reference"},
]

on_stage(a) := testing.model([a, stage, assoc], edges)

alone(a) := testing.model([a], [])

test_wg101_typo_in_closed_group if {
	findings := managed.wg101 with input as alone(acl([group_rule("c", crs, "count", [["SizeRestriction_BODY", "count"]])]))
	count(findings) == 1
}

test_wg101_case_mistake_suggests_the_name if {
	some f in managed.wg101 with input as alone(acl([group_rule("c", crs, "count", [["sizerestrictions_body", "count"]])]))
	contains(f.message, "did you mean \"SizeRestrictions_BODY\"")
}

test_wg101_unknown_name_in_open_group_is_not_reported if {
	count(managed.wg101) == 0 with input as alone(acl([group_rule("b", "AWSManagedRulesBotControlRuleSet", "count", [["CategoryBrandNew", "count"]])]))
}

test_wg101_exact_names_pass if {
	count(managed.wg101) == 0 with input as alone(acl([group_rule("c", crs, "count", [["SizeRestrictions_BODY", "count"], ["NoUserAgent_HEADER", "count"]])]))
}

test_wg102_unknown_group if {
	count(managed.wg102) == 1 with input as alone(acl([group_rule("c", "AWSManagedRulesCommonRuleset", "count", [])]))
}

test_wg102_known_group_passes if {
	count(managed.wg102) == 0 with input as alone(acl([group_rule("c", crs, "count", [])]))
}

test_wg103_wg104_crs_enforced_on_stage if {
	m := on_stage(acl([group_rule("c", crs, "none", [])]))
	count(managed.wg103) == 1 with input as m
	count(managed.wg104) == 1 with input as m
}

test_wg103_overridden_to_count_passes if {
	m := on_stage(acl([group_rule("c", crs, "none", [["SizeRestrictions_BODY", "count"], ["NoUserAgent_HEADER", "allow"]])]))
	count(managed.wg103) == 0 with input as m
	count(managed.wg104) == 0 with input as m
}

test_wg103_group_in_count_passes if {
	count(managed.wg103) == 0 with input as on_stage(acl([group_rule("c", crs, "count", [])]))
}

test_wg103_not_on_a_stage_passes if {
	count(managed.wg103) == 0 with input as alone(acl([group_rule("c", crs, "none", [])]))
}

test_wg105_switch_from_count_to_none if {
	a := object.union(acl([group_rule("c", crs, "none", [])]), {"action": "update", "before": {"rule": [group_rule("c", crs, "count", [])]}})
	count(managed.wg105) == 1 with input as alone(a)
}

test_wg105_new_acl_on_new_stage_passes if {
	count(managed.wg105) == 0 with input as on_stage(acl([group_rule("c", crs, "none", [])]))
}

test_wg105_already_enforcing_passes if {
	a := object.union(acl([group_rule("c", crs, "none", [])]), {"action": "update", "before": {"rule": [group_rule("c", crs, "none", [])]}})
	count(managed.wg105) == 0 with input as alone(a)
}

test_wg106_bot_control_without_inspection_level if {
	findings := managed.wg106 with input as alone(acl([group_rule("b", "AWSManagedRulesBotControlRuleSet", "count", [])]))
	{f.severity | some f in findings} == {"error"}
}

test_wg106_captcha_override_on_stage if {
	r := group_rule("c", crs, "none", [["SizeRestrictions_BODY", "captcha"]])
	some f in managed.wg106 with input as on_stage(acl([r]))
	f.symptom == "405"
}

rule_with_action(name, priority, action) := {
	"name": name, "priority": priority, "action": [action], "override_action": [],
	"statement": [{"ip_set_reference_statement": [{"arn": "x"}]}],
}

test_wg107_5xx_and_missing_body_key if {
	r := rule_with_action("r", 0, {"block": [{"custom_response": [{"response_code": 502, "custom_response_body_key": "nope"}]}]})
	findings := managed.wg107 with input as alone(acl([r]))
	{f.severity | some f in findings; f.severity} == {"error"}
	count(findings) == 2
}

test_wg107_429_with_defined_body_passes if {
	r := rule_with_action("r", 0, {"block": [{"custom_response": [{"response_code": 429, "custom_response_body_key": "slow"}]}]})
	a := object.union(acl([r]), {"values": object.union(acl([r]).values, {"custom_response_body": [{"key": "slow"}]})})
	count(managed.wg107) == 0 with input as alone(a)
}

test_wg108_group_with_action if {
	r := object.union(group_rule("c", crs, "count", []), {"action": [{"block": [{}]}], "override_action": []})
	count(managed.wg108) == 1 with input as alone(acl([r]))
}

test_wg108_plain_with_override_action if {
	r := object.union(rule_with_action("r", 0, {"block": []}), {"action": [], "override_action": [{"none": [{}]}]})
	count(managed.wg108) == 1 with input as alone(acl([r]))
}

test_wg108_right_kinds_pass if {
	count(managed.wg108) == 0 with input as alone(acl([group_rule("c", crs, "count", []), rule_with_action("r", 2, {"block": [{}]})]))
}

test_wg109_duplicate_priority_across_separate_rule if {
	separate := {
		"address": "aws_wafv2_web_acl_rule.extra", "type": "aws_wafv2_web_acl_rule", "name": "extra", "mode": "managed",
		"action": "create", "unknown": [], "values": rule_with_action("extra", 1, {"block": [{}]}),
	}
	e := {"from": "aws_wafv2_web_acl_rule.extra", "attribute": "web_acl_arn", "to": "aws_wafv2_web_acl.api", "to_attribute": "arn", "kind": "reference"}
	findings := managed.wg109 with input as testing.model([acl([group_rule("c", crs, "count", [])]), separate], [e])
	count(findings) == 1
}

test_wg109_distinct_priorities_pass if {
	count(managed.wg109) == 0 with input as alone(acl([group_rule("c", crs, "count", []), rule_with_action("r", 2, {"block": [{}]})]))
}

test_wg111_pinned_version if {
	r := group_rule("c", crs, "count", [])
	group := object.union(r.statement[0].managed_rule_group_statement[0], {"version": "Version_1.12"})
	pinned := object.union(r, {"statement": [{"managed_rule_group_statement": [group]}]})
	count(managed.wg111) == 1 with input as alone(acl([pinned]))
}

test_wg111_default_version_passes if {
	count(managed.wg111) == 0 with input as alone(acl([group_rule("c", crs, "count", [])]))
}

uri_match(constraint, path) := {"byte_match_statement": [{
	"search_string": path, "positional_constraint": constraint,
	"field_to_match": [{"uri_path": [{}], "method": []}], "text_transformation": [{"priority": 0, "type": "NONE"}],
}]}

captcha_rule(statement) := {"name": "captcha", "priority": 5, "action": [{"captcha": [{}]}], "override_action": [], "statement": [statement]}

test_wg106_path_scoped_captcha_passes if {
	count(managed.wg106) == 0 with input as on_stage(acl([captcha_rule(uri_match("STARTS_WITH", "/login"))]))
	either := {"or_statement": [{"statement": [uri_match("STARTS_WITH", "/login"), uri_match("EXACTLY", "/signup")]}]}
	count(managed.wg106) == 0 with input as on_stage(acl([captcha_rule(either)]))
	regex := {"regex_match_statement": [{"regex_string": "^/login(/.*)?$", "field_to_match": [{"uri_path": [{}]}]}]}
	count(managed.wg106) == 0 with input as on_stage(acl([captcha_rule(regex)]))
	conjunct := {"and_statement": [{"statement": [uri_match("STARTS_WITH", "/login"), {"geo_match_statement": [{"country_codes": ["DE"]}]}]}]}
	count(managed.wg106) == 0 with input as on_stage(acl([captcha_rule(conjunct)]))
}

test_wg106_captcha_on_whole_api_is_reported if {
	# "/" or "" as a prefix is the whole API; an alternative that is not a path unscopes an or_statement
	count(managed.wg106) == 1 with input as on_stage(acl([captcha_rule(uri_match("STARTS_WITH", "/"))]))
	count(managed.wg106) == 1 with input as on_stage(acl([captcha_rule(uri_match("STARTS_WITH", ""))]))
	count(managed.wg106) == 1 with input as on_stage(acl([captcha_rule(uri_match("CONTAINS", "/login"))]))
	mixed := {"or_statement": [{"statement": [uri_match("STARTS_WITH", "/login"), {"geo_match_statement": [{"country_codes": ["DE"]}]}]}]}
	count(managed.wg106) == 1 with input as on_stage(acl([captcha_rule(mixed)]))
	alternation := {"regex_match_statement": [{"regex_string": "^/login|.*", "field_to_match": [{"uri_path": [{}]}]}]}
	count(managed.wg106) == 1 with input as on_stage(acl([captcha_rule(alternation)]))
	negated := {"not_statement": [{"statement": [uri_match("STARTS_WITH", "/api")]}]}
	count(managed.wg106) == 1 with input as on_stage(acl([captcha_rule(negated)]))
}

test_wg106_bot_control_scoped_to_paths_passes if {
	r := group_rule("b", "AWSManagedRulesBotControlRuleSet", "none", [])
	group := r.statement[0].managed_rule_group_statement[0]
	configs := {"managed_rule_group_configs": [{"aws_managed_rules_bot_control_rule_set": [{"inspection_level": "COMMON"}]}]}
	unscoped := object.union(r, {"statement": [{"managed_rule_group_statement": [object.union(group, configs)]}]})
	count(managed.wg106) == 1 with input as on_stage(acl([unscoped]))
	scoped := object.union(r, {"statement": [{"managed_rule_group_statement": [object.union(group, object.union(configs, {"scope_down_statement": [uri_match("STARTS_WITH", "/login")]}))]}]})
	count(managed.wg106) == 0 with input as on_stage(acl([scoped]))
}

test_wg108_action_built_by_unknown_dynamic_blocks_is_not_judged if {
	r := object.union(group_rule("c", crs, "none", []), {"override_action": [{"count": []}]})
	count(managed.wg108) == 1 with input as alone(acl([r]))
	unknown := object.union(acl([r]), {"unknown": ["rule.0.override_action.0.none"]})
	count(managed.wg108) == 0 with input as alone(unknown)
}
