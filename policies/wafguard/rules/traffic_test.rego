package wafguard.rules.traffic_test

import data.wafguard.rules.traffic
import data.wafguard.testing

acl := "aws_wafv2_web_acl.api"

crs_body := {
	"rule": "common", "managed_rule": "SizeRestrictions_BODY", "requests": 30, "clients": 4,
	"paths": [{"method": "POST", "path": "/orders/17/attachments", "requests": 30}],
}

geo := {"rule": "geo", "managed_rule": null, "requests": 10, "clients": 1, "paths": [{"method": "GET", "path": "/", "requests": 10}]}

sqli := {
	"rule": "sqli", "managed_rule": "SQLi_QUERYARGUMENTS", "requests": 3, "clients": 2,
	"paths": [{"method": "GET", "path": "/search", "requests": 3}],
}

summary(overrides) := object.union(
	{
		"records": 10000, "from": "2026-11-23T00:00:00.000Z", "to": "2026-11-23T23:59:59.000Z",
		"newly_blocked": 40, "newly_allowed": 0, "uncertain": 0, "clients": 5,
		"by_rule": [crs_body, geo], "newly_allowed_attacks": [], "uncertain_by_reason": [],
	},
	overrides,
)

with_traffic(s, options) := object.union(testing.model([], []), {"traffic": {acl: s}, "options": options})

test_wg120_error_at_default_share if {
	# 40 of 10,000 = 0.4% >= 0.1%
	findings := traffic.wg120 with input as with_traffic(summary({}), {})
	[f] := [f | some f in findings]
	f.address == acl
	f.severity == "error"
	f.message == "would block 40 of 10000 logged requests (0.40%) that the logged web ACL let through, from 5 clients; most by rule \"common\" (SizeRestrictions_BODY): 30"
	f.traffic == {
		"records": 10000, "from": "2026-11-23T00:00:00.000Z", "to": "2026-11-23T23:59:59.000Z",
		"newly_blocked": 40, "newly_allowed": 0, "uncertain": 0, "clients": 5, "by_rule": [crs_body, geo],
	}
}

test_wg120_error_exactly_at_share if {
	# 10 of 10,000 is exactly 0.1%: "at or above" is an error
	findings := traffic.wg120 with input as with_traffic(summary({"newly_blocked": 10, "by_rule": [geo]}), {})
	{f.severity | some f in findings} == {"error"}
}

test_wg120_warning_below_share if {
	findings := traffic.wg120 with input as with_traffic(summary({"newly_blocked": 9, "by_rule": [geo]}), {})
	{f.severity | some f in findings} == {"warning"}
}

test_wg120_share_is_an_option if {
	findings := traffic.wg120 with input as with_traffic(summary({}), {"traffic-block-share": 0.01})
	{f.severity | some f in findings} == {"warning"}
	findings2 := traffic.wg120 with input as with_traffic(summary({}), {"traffic-block-share": 0.004})
	{f.severity | some f in findings2} == {"error"}
}

test_wg120_tiny_share if {
	findings := traffic.wg120 with input as with_traffic(summary({"records": 1000000, "newly_blocked": 1, "clients": 1, "by_rule": [geo]}), {})
	[f] := [f | some f in findings]
	f.severity == "warning"
	contains(f.message, "(<0.01%)")
	contains(f.message, "from 1 client;")
}

test_wg120_passes_when_nothing_newly_blocked if {
	count(traffic.wg120) == 0 with input as with_traffic(summary({"newly_blocked": 0, "clients": 0, "by_rule": []}), {})
}

test_wg120_passes_without_traffic if {
	count(traffic.wg120) == 0 with input as testing.model([], [])
}

test_wg121_attacks_let_through if {
	findings := traffic.wg121 with input as with_traffic(summary({"newly_allowed": 5, "newly_allowed_attacks": [sqli]}), {})
	[f] := [f | some f in findings]
	f.address == acl
	f.message == "would let through 3 logged requests that the logged web ACL blocked with attack-signature rules (rule \"sqli\" (SQLi_QUERYARGUMENTS): 3)"
	f.traffic.by_rule == [sqli]
	f.traffic.newly_allowed == 5
}

test_wg121_passes_without_attacks if {
	count(traffic.wg121) == 0 with input as with_traffic(summary({"newly_allowed": 5}), {})
}

test_wg122_uncertain if {
	reasons := [
		{"reason": "rule group AWSManagedRulesCommonRuleSet: sub-rules after NoUserAgent_HEADER were not evaluated in the logged request", "requests": 12},
		{"reason": "body not logged", "requests": 2},
	]
	findings := traffic.wg122 with input as with_traffic(summary({"uncertain": 14, "uncertain_by_reason": reasons}), {})
	[f] := [f | some f in findings]
	f.address == acl
	f.message == "cannot judge 14 of 10000 logged requests exactly (rule group AWSManagedRulesCommonRuleSet: sub-rules after NoUserAgent_HEADER were not evaluated in the logged request: 12, body not logged: 2); count the sub-rules (rule_action_override), not the whole group, to make them exact"
	f.traffic.uncertain_by_reason == reasons
}

test_wg122_other_reasons_point_to_explain if {
	reasons := [{"reason": "body not logged", "requests": 2}]
	findings := traffic.wg122 with input as with_traffic(summary({"uncertain": 2, "uncertain_by_reason": reasons}), {})
	[f] := [f | some f in findings]
	f.message == "cannot judge 2 of 10000 logged requests exactly (body not logged: 2); wafguard explain WG122 says how to make them exact"
}

test_wg122_passes_when_all_exact if {
	count(traffic.wg122) == 0 with input as with_traffic(summary({}), {})
}

test_percent if {
	traffic.percent(250, 10000) == "2.50%"
	traffic.percent(1, 3) == "33.33%"
	traffic.percent(10000, 10000) == "100.00%"
	traffic.percent(5, 1000) == "0.50%"
}
