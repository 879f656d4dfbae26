package wafguard.rules.capacity_test

import data.wafguard.rules.capacity
import data.wafguard.testing

res(type, name, values) := {
	"address": concat(".", [type, name]), "type": type, "name": name, "mode": "managed",
	"action": "create", "unknown": [], "values": values,
}

api(types) := res("aws_api_gateway_rest_api", "api", {"endpoint_configuration": [{"types": types}]})

integration(values) := res("aws_api_gateway_integration", "i", values)

to_api := {"from": "aws_api_gateway_integration.i", "attribute": "rest_api_id", "path": "rest_api_id", "to": "aws_api_gateway_rest_api.api", "to_attribute": "id", "kind": "reference"}

test_wg601_edge_only if {
	count(capacity.wg601) == 1 with input as testing.model([api(["EDGE"]), integration({"timeout_milliseconds": 60000})], [to_api])
	count(capacity.wg601) == 0 with input as testing.model([api(["REGIONAL"]), integration({"timeout_milliseconds": 60000})], [to_api])
	count(capacity.wg601) == 0 with input as testing.model([api(["EDGE"]), integration({"timeout_milliseconds": 29000})], [to_api])
}

test_wg601_default_endpoint_is_edge if {
	count(capacity.wg601) == 1 with input as testing.model([res("aws_api_gateway_rest_api", "api", {}), integration({"timeout_milliseconds": 30000})], [to_api])
}

test_wg602_bounds if {
	count(capacity.wg602) == 1 with input as testing.model([integration({"timeout_milliseconds": 49})], [])
	count(capacity.wg602) == 0 with input as testing.model([integration({"timeout_milliseconds": 50})], [])
	count(capacity.wg602) == 1 with input as testing.model([integration({"timeout_milliseconds": 300001})], [])
}

fn(timeout) := res("aws_lambda_function", "f", {"timeout": timeout})

to_fn := {"from": "aws_api_gateway_integration.i", "attribute": "uri", "path": "uri", "to": "aws_lambda_function.f", "to_attribute": "invoke_arn", "kind": "reference"}

test_wg603_function_outlives_integration if {
	count(capacity.wg603) == 1 with input as testing.model([integration({}), fn(30)], [to_fn])
	count(capacity.wg603) == 0 with input as testing.model([integration({}), fn(29)], [to_fn])
	count(capacity.wg603) == 1 with input as testing.model([integration({"timeout_milliseconds": 5000}), fn(6)], [to_fn])
}

test_wg603_default_function_timeout_passes if {
	count(capacity.wg603) == 0 with input as testing.model([integration({}), res("aws_lambda_function", "f", {})], [to_fn])
}

managed(name) := {"name": name, "priority": 0, "override_action": [{"count": [{}]}], "statement": [{"managed_rule_group_statement": [{"name": name, "vendor_name": "AWS"}]}]}

byte_rule(constraint, transformations) := {"name": "b", "priority": 1, "action": [{"block": [{}]}], "statement": [{"byte_match_statement": [{
	"positional_constraint": constraint, "field_to_match": [{"uri_path": [{}]}],
	"text_transformation": [{"type": t} | some t in transformations],
}]}]}

acl(rules) := res("aws_wafv2_web_acl", "api", {"rule": rules})

test_wcu_estimate_of_statements if {
	a := acl([byte_rule("CONTAINS", ["LOWERCASE", "NONE"])])
	capacity.rule_wcu(a, a.values.rule[0]) == 20 with input as testing.model([a], [])
	b := acl([byte_rule("EXACTLY", [])])
	capacity.rule_wcu(b, b.values.rule[0]) == 2 with input as testing.model([b], [])
}

test_wg604_over_included if {
	groups := ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesLinuxRuleSet", "AWSManagedRulesWindowsRuleSet", "AWSManagedRulesUnixRuleSet"]
	findings := capacity.wg604 with input as testing.model([acl([managed(g) | some g in groups])], [])
	{f.severity | some f in findings} == {"info"}
	count(capacity.wg604) == 0 with input as testing.model([acl([managed("AWSManagedRulesCommonRuleSet")])], [])
}

test_wg603_through_an_alias if {
	alias := res("aws_lambda_alias", "live", {"name": "live"})
	to_alias := {"from": "aws_api_gateway_integration.i", "attribute": "uri", "path": "uri", "to": "aws_lambda_alias.live", "to_attribute": "invoke_arn", "kind": "reference"}
	alias_fn := {"from": "aws_lambda_alias.live", "attribute": "function_name", "path": "function_name", "to": "aws_lambda_function.f", "to_attribute": "function_name", "kind": "reference"}
	count(capacity.wg603) == 1 with input as testing.model([integration({}), alias, fn(30)], [to_alias, alias_fn])
	count(capacity.wg603) == 0 with input as testing.model([integration({}), alias, fn(29)], [to_alias, alias_fn])
}
