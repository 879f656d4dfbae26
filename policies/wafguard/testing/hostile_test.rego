# METADATA
# description: |
#   The policy cannot fail on input (issue 17): Models that once made it fail with
#   `object insert conflict` or `var assignment conflict` evaluate, and the odd
#   configuration is a finding. Every rule runs, through main.findings.
package wafguard.testing.hostile_test

import data.wafguard.main
import data.wafguard.testing

rule(name, priority, action) := {
	"name": name, "priority": priority, "action": [action], "override_action": [],
	"statement": [{"rate_based_statement": [{"limit": 100, "evaluation_window_sec": 300, "aggregate_key_type": "IP"}]}],
	"visibility_config": [{"cloudwatch_metrics_enabled": true, "metric_name": name, "sampled_requests_enabled": true}],
}

group(name, priority, override, overrides) := {
	"name": name, "priority": priority, "action": [], "override_action": [override],
	"statement": [{"managed_rule_group_statement": [{
		"name": "AWSManagedRulesCommonRuleSet", "vendor_name": "AWS",
		"rule_action_override": overrides, "scope_down_statement": [],
	}]}],
	"visibility_config": [{"cloudwatch_metrics_enabled": true, "metric_name": name, "sampled_requests_enabled": true}],
}

acl(rules) := {
	"address": "aws_wafv2_web_acl.api", "type": "aws_wafv2_web_acl", "name": "api", "mode": "managed",
	"action": "create", "unknown": [], "before": null, "region": "us-east-1", "provider": "aws",
	"values": {"scope": "REGIONAL", "rule": rules, "default_action": [{"allow": [{}], "block": [{}]}]},
}

ids(findings) := {f.rule | some f in findings}

test_duplicate_names_and_priorities if {
	r := rule("same", 1, {"block": [{}]})
	findings := main.findings with input as testing.model([acl([r, r, object.union(r, {"action": [{"count": [{}]}]})])], [])
	"WG109" in ids(findings)
}

test_two_actions_in_one_block_are_wg108 if {
	findings := main.findings with input as testing.model([acl([rule("both", 1, {"allow": [{}], "block": [{}]})])], [])
	some f in findings
	f.rule == "WG108"
	contains(f.message, "sets allow and block in one action block")
}

test_two_override_actions_are_wg108 if {
	findings := main.findings with input as testing.model([acl([group("g", 1, {"count": [{}], "none": [{}]}, [])])], [])
	some f in findings
	f.rule == "WG108"
	contains(f.message, "sets count and none in one override_action block")
}

test_one_rule_overridden_twice_evaluates if {
	overrides := [
		{"name": "SizeRestrictions_BODY", "action_to_use": [{"count": [{}]}]},
		{"name": "SizeRestrictions_BODY", "action_to_use": [{"block": [{}]}]},
	]
	findings := main.findings with input as testing.model([acl([group("g", 1, {"none": [{}]}, overrides)])], [])
	is_set(findings)
}

test_numbers_beyond_64_bits_evaluate if {
	huge := object.union(rule("huge", 1e308, {"block": [{}]}), {"statement": [{"rate_based_statement": [{"limit": -1e308, "evaluation_window_sec": 1e308, "aggregate_key_type": "IP"}]}]})
	findings := main.findings with input as testing.model([acl([huge, object.union(huge, {"name": "again"})])], [])
	some f in findings
	f.rule == "WG302"
	contains(f.message, "evaluation_window_sec 1e308")
}

resource(address, type, values) := {
	"address": address, "type": type, "name": "x", "mode": "managed", "action": "create",
	"unknown": [], "before": null, "region": "us-east-1", "provider": "aws", "values": values,
}

edge(from, attribute, to) := {"from": from, "attribute": attribute, "to": to}

# `rest_api_id = aws_api_gateway_rest_api.a.id` with `count = 2` on the API (Terraform refuses it)
# reached both instances: lib.stage_rest_api gave two answers.
test_stage_and_integration_of_two_rest_apis_evaluate if {
	apis := [resource(address, "aws_api_gateway_rest_api", {"name": "a"}) | some address in ["aws_api_gateway_rest_api.a[0]", "aws_api_gateway_rest_api.a[1]"]]
	stage := resource("aws_api_gateway_stage.s", "aws_api_gateway_stage", {"stage_name": "p"})
	integration := resource("aws_api_gateway_integration.i", "aws_api_gateway_integration", {"timeout_milliseconds": 29000})
	edges := [edge(from, "rest_api_id", api.address) | some from in [stage.address, integration.address]; some api in apis]
	findings := main.findings with input as testing.model(array.concat(apis, [stage, integration]), edges)
	"WG406" in ids(findings)
}
