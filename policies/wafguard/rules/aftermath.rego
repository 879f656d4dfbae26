# METADATA
# description: After the fix, the 403 (catalog group H).
package wafguard.rules.aftermath

import data.wafguard.lib

# METADATA
# title: Default action blocks and no rule can allow anything
# description: |
#   The web ACL's `default_action` is `block` and none of its rules has an `allow` action (inline,
#   in `rule_json`, in separate aws_wafv2_web_acl_rule resources, or through a
#   `rule_action_override`), and it references no custom rule group that could allow. Managed rule
#   groups only block or count. Every request that reaches the stage gets 403 from API Gateway
#   (the WAF_FILTERED gateway response), including your health checks.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-default-action.html
#   - ref: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
# custom:
#   id: WG701
#   severity: error
#   symptom: "403"
#   cause: 1
#   confirm: |
#     Every request returns 403 with the body {"message":"Forbidden"}; in the WAF logs every
#     record has "action":"BLOCK" and "terminatingRuleId":"Default_Action".
#   fix: |
#     Either allow by default and block what you must:
#       default_action { allow {} }
#     or keep the default block and add the allow rule it relies on, for example:
#       rule {
#         name     = "allow-office"
#         priority = 0
#         action { allow {} }
#         statement { ip_set_reference_statement { arn = aws_wafv2_ip_set.office.arn } }
#         visibility_config { ... }
#       }
#   why: |
#     WAF applies the default action only to requests that no rule terminated; with a block
#     default, the allow rule is the only way a request reaches the API.
wg701 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	lib.block(acl.values, "default_action").block
	count(lib.block(acl.values, "default_action").block) > 0
	rules_known(acl)
	not can_allow(acl)
	finding := lib.finding(acl.address, "blocks by default and has no rule that allows anything: every request gets 403")
}

rules_known(acl) if {
	not lib.is_unknown(acl, "rule")
	not lib.is_unknown(acl, "rule_json")
	every r in separate_rules(acl) {
		not lib.is_unknown(r, "action")
	}
}

separate_rules(acl) := {r |
	some r in lib.sources(acl.address, "web_acl_arn")
	r.type in {"aws_wafv2_web_acl_rule", "aws_wafv2_web_acl_rule_group_association"}
	r.action != "delete"
}

can_allow(acl) if {
	some rule in acl.values.rule
	rule_can_allow(rule)
}

can_allow(acl) if {
	is_string(acl.values.rule_json)
	some rule in json.unmarshal(acl.values.rule_json)
	json_rule_can_allow(rule)
}

can_allow(acl) if {
	some r in separate_rules(acl)
	r.type == "aws_wafv2_web_acl_rule"
	rule_can_allow(r.values)
}

# A custom rule group may hold allow rules: wafguard does not claim it cannot allow.
can_allow(acl) if {
	some r in separate_rules(acl)
	r.type == "aws_wafv2_web_acl_rule_group_association"
	count(object.get(r.values, "rule_group_reference", [])) > 0
}

rule_can_allow(rule) if count(lib.block(rule, "action").allow) > 0

rule_can_allow(rule) if {
	statement := lib.block(rule, "statement")
	count(object.get(statement, "rule_group_reference_statement", [])) > 0
}

rule_can_allow(rule) if {
	statement := lib.block(rule, "statement")
	some override in lib.block(statement, "managed_rule_group_statement").rule_action_override
	count(lib.block(override, "action_to_use").allow) > 0
}

json_rule_can_allow(rule) if rule.Action.Allow

json_rule_can_allow(rule) if rule.Statement.RuleGroupReferenceStatement

json_rule_can_allow(rule) if {
	some override in rule.Statement.ManagedRuleGroupStatement.RuleActionOverrides
	override.ActionToUse.Allow
}
