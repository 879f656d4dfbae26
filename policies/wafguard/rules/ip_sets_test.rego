package wafguard.rules.ip_sets_test

import data.wafguard.rules.ip_sets
import data.wafguard.testing

set(addresses, version) := {
	"address": "aws_wafv2_ip_set.s", "type": "aws_wafv2_ip_set", "name": "s", "mode": "managed", "action": "create",
	"unknown": [], "region": "us-east-1",
	"values": {"scope": "REGIONAL", "ip_address_version": version, "addresses": addresses},
}

only(s) := testing.model([s], [])

test_wg201_invalid_entries if {
	some f in ip_sets.wg201 with input as only(set(["10.0.0.1", "10.01.0.0/16", " 10.1.0.0/16", "10.0.0.0/8", "300.0.0.0/8"], "IPV4"))
	contains(f.message, "\"10.0.0.1\"")
	contains(f.message, "\"10.01.0.0/16\"")
	contains(f.message, "\" 10.1.0.0/16\"")
	contains(f.message, "\"300.0.0.0/8\"")
	not contains(f.message, "\"10.0.0.0/8\"")
}

test_wg201_valid_v4_and_v6_pass if {
	count(ip_sets.wg201) == 0 with input as only(set(["10.0.0.0/8", "2001:db8::1/128", "::/1"], "IPV4"))
}

test_wg202_names_network_and_host if {
	some f in ip_sets.wg202 with input as only(set(["203.0.113.45/24"], "IPV4"))
	contains(f.message, "\"203.0.113.0/24\"")
	contains(f.message, "\"203.0.113.45/32\"")
}

test_wg202_ipv6_host_bits if {
	some f in ip_sets.wg202 with input as only(set(["2001:db8::1/64"], "IPV6"))
	contains(f.message, "\"2001:db8::/64\"")
	contains(f.message, "\"2001:db8::1/128\"")
}

test_wg202_networks_pass if {
	count(ip_sets.wg202) == 0 with input as only(set(["10.0.0.0/8", "2001:db8::/32", "2001:db8::1/128", "192.0.2.7/32"], "IPV4"))
}

test_wg203_family_mismatch if {
	count(ip_sets.wg203) == 1 with input as only(set(["10.0.0.0/8", "2001:db8::/32"], "IPV4"))
	count(ip_sets.wg203) == 1 with input as only(set(["10.0.0.0/8"], "IPV6"))
	count(ip_sets.wg203) == 0 with input as only(set(["2001:db8::/32"], "IPV6"))
}

test_wg204_zero_prefix if {
	count(ip_sets.wg204) == 1 with input as only(set(["0.0.0.0/0"], "IPV4"))
	count(ip_sets.wg204) == 1 with input as only(set(["::/0"], "IPV6"))
	count(ip_sets.wg204) == 0 with input as only(set(["0.0.0.0/1"], "IPV4"))
}

test_wg206_overlap if {
	count(ip_sets.wg206) == 1 with input as only(set(["10.0.0.0/8", "10.1.0.0/16"], "IPV4"))
	count(ip_sets.wg206) == 1 with input as only(set(["10.0.0.0/8", "10.0.0.0/8"], "IPV4"))
	count(ip_sets.wg206) == 0 with input as only(set(["10.0.0.0/16", "10.1.0.0/16"], "IPV4"))
}

test_wg209_limit if {
	count(ip_sets.wg209) == 1 with input as only(set([concat("", ["10.0.", format_int(i, 10), ".0/24"]) | some i in numbers.range(0, 10000)], "IPV4"))
	count(ip_sets.wg209) == 0 with input as only(set([concat("", ["10.0.", format_int(i, 10), ".0/24"]) | some i in numbers.range(1, 10000)], "IPV4"))
}

default_action(true) := {"block": [{}], "allow": []}

default_action(false) := {"block": [], "allow": [{}]}

acl(default_block, rules) := {
	"address": "aws_wafv2_web_acl.api", "type": "aws_wafv2_web_acl", "name": "api", "mode": "managed", "action": "create",
	"unknown": [], "region": "us-east-1",
	"values": {"scope": "REGIONAL", "default_action": [default_action(default_block)], "rule": rules},
}

allow_by_set := {"name": "office", "priority": 0, "action": [{"allow": [{}]}], "statement": [{"ip_set_reference_statement": [{"arn": null}]}]}

set_edge := {
	"from": "aws_wafv2_web_acl.api", "attribute": "rule.statement.ip_set_reference_statement.arn",
	"path": "rule.0.statement.0.ip_set_reference_statement.0.arn", "to": "aws_wafv2_ip_set.s", "to_attribute": "arn", "kind": "reference",
}

test_wg205_empty_set_only_way_in if {
	findings := ip_sets.wg205 with input as testing.model([acl(true, [allow_by_set]), set([], "IPV4")], [set_edge])
	{f.address | some f in findings} == {"aws_wafv2_ip_set.s"}
}

test_wg205_all_invalid_counts_as_empty if {
	count(ip_sets.wg205) == 1 with input as testing.model([acl(true, [allow_by_set]), set(["10.0.0.1"], "IPV4")], [set_edge])
}

test_wg205_filled_set_passes if {
	count(ip_sets.wg205) == 0 with input as testing.model([acl(true, [allow_by_set]), set(["10.0.0.0/8"], "IPV4")], [set_edge])
}

test_wg208_other_scope if {
	s := object.union(set(["10.0.0.0/8"], "IPV4"), {"values": {"scope": "CLOUDFRONT", "ip_address_version": "IPV4", "addresses": []}})
	count(ip_sets.wg208) == 1 with input as testing.model([acl(false, [allow_by_set]), s], [set_edge])
}

test_wg208_other_region if {
	s := object.union(set(["10.0.0.0/8"], "IPV4"), {"region": "eu-west-1"})
	count(ip_sets.wg208) == 1 with input as testing.model([acl(false, [allow_by_set]), s], [set_edge])
	count(ip_sets.wg208) == 0 with input as testing.model([acl(false, [allow_by_set]), set(["10.0.0.0/8"], "IPV4")], [set_edge])
}
