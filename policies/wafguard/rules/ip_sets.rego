# METADATA
# description: IP sets (catalog group C, guide cause 2).
package wafguard.rules.ip_sets

import data.wafguard.lib
import data.wafguard.lib.acl as acls

# Addresses of an IP set that are known now.
addresses(set) := [a | some a in object.get(set.values, "addresses", []); is_string(a)]

live_sets := [s | some s in lib.live("aws_wafv2_ip_set"); not lib.is_unknown(s, "addresses")]

# METADATA
# title: IP set entry that is not a CIDR
# description: |
#   An address in the IP set is not valid CIDR notation: no prefix length (`10.0.0.1`), an octet
#   over 255, a leading zero, a space, a typo. AWS rejects the whole IP set and `terraform apply`
#   fails; until it is fixed, nothing the set was meant to allow or block takes effect.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-ip-set-managing.html
#   - ref: https://docs.aws.amazon.com/waf/latest/APIReference/API_IPSet.html
# custom:
#   id: WG201
#   severity: error
#   symptom: apply-failure
#   cause: 2
#   confirm: |
#     Apply fails on aws_wafv2_ip_set with WAFInvalidParameterException on Addresses.
#   fix: |
#     Write every entry as address/prefix, without spaces or leading zeros:
#       addresses = ["203.0.113.7/32", "198.51.100.0/24", "2001:db8::/32"]
#   why: |
#     WAF accepts only CIDR ranges; a single host is a /32 (IPv4) or /128 (IPv6).
wg201 contains finding if {
	some set in live_sets
	bad := [a | some a in addresses(set); not net.cidr_is_valid(a)]
	count(bad) > 0
	finding := lib.finding(set.address, concat("", ["has entries that are not CIDR ranges: ", quoted(bad)]))
}

quoted(list) := concat(", ", [concat("", ["\"", a, "\""]) | some a in list])

# METADATA
# title: CIDR with host bits set
# description: |
#   An entry has bits set after its prefix length, such as `203.0.113.45/24`. AWS rejects it and
#   `terraform apply` fails. The entry is ambiguous: it was meant either as the network
#   (`203.0.113.0/24`) or as the single host (`203.0.113.45/32`), and the two allow very different
#   traffic.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/APIReference/API_IPSet.html
# custom:
#   id: WG202
#   severity: error
#   symptom: apply-failure
#   cause: 2
#   confirm: |
#     Apply fails on aws_wafv2_ip_set with WAFInvalidParameterException on Addresses.
#   fix: |
#     Write the range you mean: the network ("203.0.113.0/24") or the single host
#     ("203.0.113.45/32").
#   why: |
#     A CIDR names a network by its first address; with host bits cleared there is only one
#     reading.
wg202 contains finding if {
	some set in live_sets
	some a in addresses(set)
	net.cidr_is_valid(a)
	some network in net.cidr_merge([a])
	host_bits_set(a, network)
	finding := lib.finding(set.address, concat("", [
		"has \"", a, "\" with host bits set: write the network \"", network,
		"\" or the single host \"", single_host(a), "\"",
	]))
}

ip_of(cidr) := split(cidr, "/")[0]

single_host(cidr) := concat("/", [ip_of(cidr), "128"]) if contains(ip_of(cidr), ":")

single_host(cidr) := concat("/", [ip_of(cidr), "32"]) if not contains(ip_of(cidr), ":")

# The entry's address is not its network's first address.
host_bits_set(cidr, network) if not net.cidr_contains(single_host(cidr), ip_of(network))

# METADATA
# title: Address family differs from ip_address_version
# description: |
#   The IP set is declared `IPV4` and holds an IPv6 range, or the other way round. AWS rejects
#   the set and `terraform apply` fails. IPv4 and IPv6 need one set each.
# related_resources:
#   - ref: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_ip_set
# custom:
#   id: WG203
#   severity: error
#   symptom: apply-failure
#   cause: 2
#   confirm: |
#     Apply fails on aws_wafv2_ip_set with WAFInvalidParameterException.
#   fix: |
#     Split the addresses into two sets and reference both (an or_statement, or two rules):
#       resource "aws_wafv2_ip_set" "office_v6" {
#         ip_address_version = "IPV6"
#         addresses          = ["2001:db8::/32"]
#       }
#   why: |
#     An IP set holds one address family, named by ip_address_version.
wg203 contains finding if {
	some set in live_sets
	version := set.values.ip_address_version
	wrong := [a |
		some a in addresses(set)
		net.cidr_is_valid(a)
		family(a) != version
	]
	count(wrong) > 0
	finding := lib.finding(set.address, concat("", ["is ", version, " but holds ", quoted(wrong)]))
}

family(cidr) := "IPV6" if contains(ip_of(cidr), ":")

family(cidr) := "IPV4" if not contains(ip_of(cidr), ":")

# METADATA
# title: A /0 range in an IP set
# description: |
#   The IP set contains `0.0.0.0/0` or `::/0`. AWS WAF accepts every prefix length except /0, so
#   the set is rejected and `terraform apply` fails. (Had it been accepted, it would match every
#   client, which is rarely what an allow list means.)
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/APIReference/API_IPSet.html
# custom:
#   id: WG204
#   severity: error
#   symptom: apply-failure
#   cause: 2
#   confirm: |
#     Apply fails on aws_wafv2_ip_set with WAFInvalidParameterException on Addresses.
#   fix: |
#     To match everyone, drop the IP set condition; to match half the space, use two /1 ranges
#     (0.0.0.0/1 and 128.0.0.0/1).
#   why: |
#     WAF's IP sets take prefix lengths from /1 to /32 (IPv4) and /1 to /128 (IPv6).
wg204 contains finding if {
	some set in live_sets
	some a in addresses(set)
	net.cidr_is_valid(a)
	endswith(a, "/0")
	finding := lib.finding(set.address, concat("", ["has \"", a, "\": AWS WAF does not accept a /0 range"]))
}

# METADATA
# title: Empty IP set is the only way in
# description: |
#   The web ACL blocks by default, and every rule that can allow a request allows it by an IP set
#   that is empty (or whose entries are all invalid). Nobody matches it: every request gets 403.
#   Typically the addresses come from a variable that is empty in this environment.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-default-action.html
# custom:
#   id: WG205
#   severity: error
#   symptom: "403"
#   cause: 2
#   confirm: |
#     Every request returns 403; the WAF logs show terminatingRuleId Default_Action for all of them.
#   fix: |
#     Fill the IP set (check the variable that feeds it for this environment), or allow by default
#     until it is filled:
#       addresses = var.office_cidrs   # must not be empty
#   why: |
#     With a block default, the allow rules are the only way in; an empty set allows no one.
wg205 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	count(object.get(lib.block(acl.values, "default_action"), "block", [])) > 0
	not acls.rules_unknown(acl)
	allow_rules := [entry | some entry in acls.rules(acl); acls.action(entry.rule) == "allow"]
	count(allow_rules) > 0
	empty_sets := {s.address |
		some entry in allow_rules
		some s in rule_ip_sets(acl, entry)
		count([a | some a in addresses(s); net.cidr_is_valid(a)]) == 0
	}
	every entry in allow_rules {
		only_empty_sets(acl, entry, empty_sets)
	}
	some set_address in empty_sets
	finding := lib.finding_related(
		set_address, concat("", [
			"is empty, and allowing it is the only way through ", acl.address,
			", which blocks by default: every request gets 403",
		]),
		[acl.address],
	)
}

# IP sets a rule's top-level statement references (by edge path, or by known ARN).
rule_ip_sets(acl, entry) := {s |
	entry.origin == "rule"
	some i, r in acl.values.rule
	r == entry.rule
	prefix := concat("", ["rule.", lib.format_number(i), ".statement.0.ip_set_reference_statement."])
	some e in lib.edges_from(acl.address, "rule.statement.ip_set_reference_statement.arn")
	startswith(e.path, prefix)
	s := lib.by_address[e.to]
	s.type == "aws_wafv2_ip_set"
}

only_empty_sets(acl, entry, empty_sets) if {
	count(rule_ip_sets(acl, entry)) > 0
	every s in rule_ip_sets(acl, entry) {
		s.address in empty_sets
	}
	count(object.keys(acls.statement(entry.rule))) == 1
}

# METADATA
# title: Duplicate or overlapping IP set entries
# description: |
#   Two entries of one IP set are the same range or one contains the other. Harmless to AWS, but
#   it shows the list is maintained by hand and drifting: the narrower entry is dead, and removing
#   the wider one later will not remove the access it seems to.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-ip-set-managing.html
# custom:
#   id: WG206
#   severity: info
#   symptom: none
#   cause: 2
#   confirm: |
#     Compare the listed entries; `net.cidr_merge` or `ipcalc` shows which contain which.
#   fix: |
#     Keep the widest range you mean and remove the entries inside it.
#   why: |
#     Each address is then allowed for one reason, which is the one you see.
wg206 contains finding if {
	some set in live_sets
	valid := [a | some a in addresses(set); net.cidr_is_valid(a)]
	count(valid) <= 1000 # pairwise: keep the check bounded on very large sets
	pairs := {concat("", ["\"", valid[i], "\" and \"", valid[j], "\""]) |
		some i, j
		valid[i]
		valid[j]
		i < j
		family(valid[i]) == family(valid[j])
		net.cidr_intersects(valid[i], valid[j])
	}
	count(pairs) > 0
	finding := lib.finding(set.address, concat("", ["has overlapping entries: ", concat("; ", sort(pairs))]))
}

wg206 contains finding if {
	some set in live_sets
	valid := [a | some a in addresses(set); net.cidr_is_valid(a)]
	count(valid) > 1000
	count({a | some a in valid}) < count(valid)
	finding := lib.finding(set.address, "has duplicate entries")
}

# METADATA
# title: Allow rule trusts a client-controlled X-Forwarded-For
# description: |
#   A rule allows requests whose IP, read from the first address of X-Forwarded-For, is in an IP
#   set, on a web ACL attached straight to an API stage. API Gateway appends the client's address
#   to that header; the first address is whatever the client sent. Anyone can add
#   `X-Forwarded-For: <an allowed IP>` and get through.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-forwarded-ip-address.html
# custom:
#   id: WG207
#   severity: warning
#   symptom: unprotected
#   cause: 2
#   confirm: |
#     `curl -H 'X-Forwarded-For: <an allowed IP>' https://<api>/<stage>/...` is allowed from an
#     address that is not.
#   fix: |
#     On an ACL attached to the stage, match the connecting IP (no ip_set_forwarded_ip_config).
#     Behind a proxy you control, use position = "LAST" for the address that proxy appended.
#   why: |
#     The source IP of the connection, or the entry your own proxy added, cannot be chosen by the
#     client.
wg207 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	lib.acl_protects_stage(acl)
	some entry in acls.rules(acl)
	acls.action(entry.rule) == "allow"
	some config in object.get(lib.block(acls.statement(entry.rule), "ip_set_reference_statement"), "ip_set_forwarded_ip_config", [])
	lower(config.header_name) == "x-forwarded-for"
	config.position in {"FIRST", "ANY"}
	finding := lib.finding(entry.address, concat("", [
		"rule \"", entry.rule.name, "\" allows by the ", config.position,
		" address of X-Forwarded-For, which the client controls",
	]))
}

# METADATA
# title: IP set of another scope or region
# description: |
#   The web ACL references an IP set whose scope (REGIONAL or CLOUDFRONT) or region differs from
#   its own. A web ACL can only use IP sets of its scope and region, so `terraform apply` fails.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-ip-set-managing.html
# custom:
#   id: WG208
#   severity: error
#   symptom: apply-failure
#   cause: 2
#   confirm: |
#     Apply fails with WAFNonexistentItemException for the IP set's ARN.
#   fix: |
#     Create the IP set with the ACL's scope and provider (region); for CLOUDFRONT scope, in
#     us-east-1.
#   why: |
#     IP sets, like web ACLs, live in one scope and region and are only visible there.
wg208 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some attribute, edges in object.get(input.edges_out, acl.address, {}) # a lookup, not a scan of every edge
	contains(attribute, "ip_set_reference_statement.arn")
	some e in edges
	set := lib.by_address[e.to]
	set.type == "aws_wafv2_ip_set"
	problem := mismatch(acl, set)
	finding := lib.finding_related(acl.address, concat("", ["references IP set ", set.address, ", which is ", problem]), [set.address])
}

mismatch(acl, set) := concat("", [set.values.scope, " while the web ACL is ", acl.values.scope]) if {
	is_string(set.values.scope)
	set.values.scope != acl.values.scope
}

mismatch(acl, set) := concat("", ["in ", set.region, " while the web ACL is in ", acl.region]) if {
	set.values.scope == acl.values.scope
	is_string(set.region)
	is_string(acl.region)
	set.region != acl.region
}

# METADATA
# title: More than 10,000 addresses in one IP set
# description: |
#   An IP set holds at most 10,000 addresses (CIDR ranges). A larger list is rejected and
#   `terraform apply` fails, often the day a feed or generated list grows past the limit.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/limits.html
# custom:
#   id: WG209
#   severity: error
#   symptom: apply-failure
#   cause: 2
#   confirm: |
#     Apply fails with WAFLimitsExceededException on the IP set.
#   fix: |
#     Aggregate ranges (net.cidr_merge, or a feed that publishes CIDRs), or split the list over
#     several IP sets referenced from an or_statement.
#   why: |
#     The limit is per set; several sets in one rule raise the total.
wg209 contains finding if {
	some set in live_sets
	n := count(addresses(set))
	n > 10000
	finding := lib.finding(set.address, concat("", ["has ", lib.format_number(n), " addresses; an IP set holds at most 10,000"]))
}
