# METADATA
# description: |
#   Helpers over web ACL rules in the provider's shape (snake_case keys, blocks
#   as arrays): every rule of an ACL wherever it is written, what kind of rule
#   it is, and what it does to a request.
package wafguard.lib.acl

import data.wafguard.lib

# Every rule of a web ACL: inline `rule` blocks, `rule_json` (decoded by the loader), and the
# separate aws_wafv2_web_acl_rule resources attached to it. Each is {"rule", "origin", "address"}:
# `address` is the resource that holds the rule, so findings name the right resource.
rules(acl) := array.concat(
	array.concat(
		[{"rule": r, "origin": "rule", "address": acl.address} | some r in object.get(acl.values, "rule", [])],
		[{"rule": r, "origin": "rule_json", "address": acl.address} | some r in object.get(acl, "decoded_rule_json", [])],
	),
	[{"rule": r.values, "origin": r.type, "address": r.address} | some r in separate_rules(acl)],
)

# Rules managed as their own resources and attached to the ACL.
separate_rules(acl) := [r |
	some r in lib.sources(acl.address, "web_acl_arn")
	r.type in {"aws_wafv2_web_acl_rule", "aws_wafv2_web_acl_rule_group_association"}
	r.mode == "managed"
	r.action != "delete"
]

# The statement of a rule (the first and only `statement` block).
statement(rule) := lib.block(rule, "statement")

# The managed rule group statement of a rule, if it is one.
managed_group(rule) := lib.block(statement(rule), "managed_rule_group_statement")

is_group_reference(rule) if count(object.get(statement(rule), "rule_group_reference_statement", [])) > 0

is_group_reference(rule) if count(object.get(rule, "rule_group_reference", [])) > 0

# Managed and custom rule groups take `override_action`; every other statement takes `action`.
takes_override_action(rule) if managed_group(rule)

takes_override_action(rule) if is_group_reference(rule)

# The action a rule sets: "allow", "block", "count", "captcha" or "challenge". A rule that sets
# several (AWS rejects it: WG108) has none here, so that no rule reads two answers from it.
action(rule) := names[0] if {
	names := set_actions(rule, "action")
	count(names) == 1
}

# A rule group applies its own rules' actions (`none`), or only counts (`count`).
override(rule) := names[0] if {
	names := set_actions(rule, "override_action")
	count(names) == 1
}

# The action blocks set in a rule's `action` or `override_action` (`addOverride` in CDKTF merges a
# second one into the first).
set_actions(rule, kind) := sort([name |
	some name, v in lib.block(rule, kind)
	count(v) > 0
])

enforcing(rule) if override(rule) == "none"

# The actions a managed group's rules are overridden to, by rule name.
overrides(group) := {o.name: name |
	some o in object.get(group, "rule_action_override", [])
	some name, v in lib.block(o, "action_to_use")
	count(v) > 0
}

# A rule of an enforcing AWS managed group whose action is not overridden to count or allow, and
# which no scope-down exempts: it blocks what it matches.
blocks_with(rule, group_name, rule_name) if {
	enforcing(rule)
	group := managed_group(rule)
	group.vendor_name == "AWS"
	group.name == group_name
	not object.get(overrides(group), rule_name, "") in {"count", "allow"}
	not excluded(group, rule_name)
	count(object.get(group, "scope_down_statement", [])) == 0
}

# The legacy `excluded_rule` block sets a rule to count.
excluded(group, rule_name) if {
	some e in object.get(group, "excluded_rule", [])
	e.name == rule_name
}

# The ACL's rules, or the ACL, are not all known until apply: rules that need the full rule list
# stay silent rather than guess.
rules_unknown(acl) if lib.is_unknown(acl, "rule")

rules_unknown(acl) if lib.is_unknown(acl, "rule_json")

rules_unknown(acl) if {
	some r in separate_rules(acl)
	some path in r.unknown
	path in {"action", "override_action", "statement", "priority"}
}

# A plan updates or replaces an existing ACL, or adds rules to it: `before` holds its prior rules.
prior_rules(acl) := object.get(object.get(acl, "before", {}), "rule", []) if is_object(acl.before)

prior_rules(acl) := [] if not is_object(acl.before)
