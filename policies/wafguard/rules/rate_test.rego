package wafguard.rules.rate_test

import data.wafguard.rules.rate
import data.wafguard.testing

rate_rule(statement, action) := {"name": "r", "priority": 0, "action": [action], "statement": [{"rate_based_statement": [statement]}]}

block := {"block": [{}]}

block_429 := {"block": [{"custom_response": [{"response_code": 429}]}]}

acl(rules) := {
	"address": "aws_wafv2_web_acl.api", "type": "aws_wafv2_web_acl", "name": "api", "mode": "managed",
	"action": "create", "unknown": [], "values": {"scope": "REGIONAL", "rule": rules},
}

m(rules) := testing.model([acl(rules)], [])

test_wg301_normalised_by_window if {
	count(rate.wg301) == 1 with input as m([rate_rule({"limit": 99, "evaluation_window_sec": 60, "aggregate_key_type": "IP"}, block)])
	count(rate.wg301) == 0 with input as m([rate_rule({"limit": 100, "evaluation_window_sec": 60, "aggregate_key_type": "IP"}, block)])
	count(rate.wg301) == 1 with input as m([rate_rule({"limit": 499, "aggregate_key_type": "IP"}, block)])
}

test_wg301_threshold_is_an_option if {
	model := object.union(m([rate_rule({"limit": 100, "aggregate_key_type": "IP"}, block)]), {"options": {"rate-threshold": 50}})
	count(rate.wg301) == 0 with input as model
}

test_wg301_scoped_rule_passes if {
	statement := {"limit": 20, "aggregate_key_type": "IP", "scope_down_statement": [{"byte_match_statement": [{}]}]}
	count(rate.wg301) == 0 with input as m([rate_rule(statement, block)])
}

test_wg301_symptom_429 if {
	some f in rate.wg301 with input as m([rate_rule({"limit": 100, "aggregate_key_type": "IP"}, block_429)])
	f.symptom == "429"
}

test_wg302_each_problem if {
	count(rate.wg302) == 1 with input as m([rate_rule({"limit": 9, "aggregate_key_type": "IP"}, block)])
	count(rate.wg302) == 0 with input as m([rate_rule({"limit": 10, "aggregate_key_type": "IP"}, block)])
	count(rate.wg302) == 1 with input as m([rate_rule({"limit": 2000000001, "aggregate_key_type": "IP"}, block)])
	count(rate.wg302) == 1 with input as m([rate_rule({"limit": 100, "evaluation_window_sec": 30, "aggregate_key_type": "IP"}, block)])
	count(rate.wg302) == 1 with input as m([rate_rule({"limit": 100, "aggregate_key_type": "FORWARDED_IP"}, block)])
	count(rate.wg302) == 1 with input as m([rate_rule({"limit": 100, "aggregate_key_type": "CONSTANT"}, block)])
	count(rate.wg302) == 1 with input as m([rate_rule({"limit": 100, "aggregate_key_type": "CUSTOM_KEYS", "custom_key": [{}, {}, {}, {}, {}, {}]}, block)])
	count(rate.wg302) == 0 with input as m([rate_rule({"limit": 100, "aggregate_key_type": "CUSTOM_KEYS", "custom_key": [{}]}, block)])
}

test_wg303_exemption_or_429 if {
	count(rate.wg303) == 1 with input as m([rate_rule({"limit": 2000, "aggregate_key_type": "IP"}, block)])
	count(rate.wg303) == 0 with input as m([rate_rule({"limit": 2000, "aggregate_key_type": "IP"}, block_429)])
	exempt := {"limit": 2000, "aggregate_key_type": "IP", "scope_down_statement": [{"not_statement": [{"statement": [{"ip_set_reference_statement": [{}]}]}]}]}
	count(rate.wg303) == 0 with input as m([rate_rule(exempt, block)])
}

ip_set(arn) := {"ip_set_reference_statement": [{"arn": arn}]}

test_wg301_trusted_ip_exemption_does_not_hide_a_low_limit if {
	one := {"limit": 10, "aggregate_key_type": "IP", "scope_down_statement": [{"not_statement": [{"statement": [ip_set("v4")]}]}]}
	count(rate.wg301) == 1 with input as m([rate_rule(one, block_429)])
	both := {"not_statement": [{"statement": [{"or_statement": [{"statement": [ip_set("v4"), ip_set("v6")]}]}]}]}
	count(rate.wg301) == 1 with input as m([rate_rule({"limit": 10, "aggregate_key_type": "IP", "scope_down_statement": [both]}, block_429)])
	count(rate.wg301) == 0 with input as m([rate_rule({"limit": 2000, "aggregate_key_type": "IP", "scope_down_statement": [both]}, block_429)])
}

test_wg301_exemption_and_a_path_is_a_scope if {
	path := {"byte_match_statement": [{"search_string": "/login"}]}
	scope := {"and_statement": [{"statement": [path, {"not_statement": [{"statement": [ip_set("v4")]}]}]}]}
	count(rate.wg301) == 0 with input as m([rate_rule({"limit": 10, "aggregate_key_type": "IP", "scope_down_statement": [scope]}, block_429)])
	not_a_path := {"not_statement": [{"statement": [path]}]}
	count(rate.wg301) == 0 with input as m([rate_rule({"limit": 10, "aggregate_key_type": "IP", "scope_down_statement": [not_a_path]}, block_429)])
}
