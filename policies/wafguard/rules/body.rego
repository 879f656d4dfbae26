# METADATA
# description: Body inspection (catalog group F, guide cause 5).
package wafguard.rules.body

import data.wafguard.lib
import data.wafguard.lib.acl as acls

# API Gateway body inspection limit of an ACL, in bytes: 16 KB unless association_config raises it.
inspection_limit(acl) := kb * 1024 if {
	api_gateway := lib.block(lib.block(lib.block(acl.values, "association_config"), "request_body"), "api_gateway")
	kb := to_number(trim_prefix(api_gateway.default_size_inspection_limit, "KB_"))
} else := 16384

# Body fields_to_match anywhere in a rule's statement: {"kind": "body"|"json_body", "field": {...},
# "statement": the statement block that holds the field_to_match}
body_matches(rule) := {{"kind": kind, "field": field[kind][0], "statement": stmt} |
	walk(acls.statement(rule), [_, stmt])
	is_object(stmt)
	some field in object.get(stmt, "field_to_match", [])
	some kind in ["body", "json_body"]
	count(object.get(field, kind, [])) > 0
}

blocking(rule) if acls.action(rule) in {"block", "captcha", "challenge"}

# METADATA
# title: Oversize bodies match a blocking rule
# description: |
#   A blocking rule inspects the body (`body` or `json_body`) with `oversize_handling = "MATCH"`.
#   Every request whose body is larger than the inspection limit (16 KB for API Gateway unless
#   raised) matches, whatever it contains: uploads and large JSON requests get 403.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-oversize-request-components.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
# custom:
#   id: WG501
#   severity: warning
#   symptom: "403"
#   cause: 5
#   confirm: |
#     Requests just over the limit are blocked by this rule in the WAF logs, with no matching
#     content in terminatingRuleMatchDetails.
#   fix: |
#     field_to_match {
#       body { oversize_handling = "CONTINUE" }
#     }
#     and, where large bodies are legitimate, raise the limit on the web ACL:
#     association_config { request_body { api_gateway { default_size_inspection_limit = "KB_64" } } }
#   why: |
#     CONTINUE inspects the part of the body within the limit and lets the rest through, so only
#     content that matches is blocked.
wg501 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some entry in acls.rules(acl)
	blocking(entry.rule)
	some m in body_matches(entry.rule)
	m.field.oversize_handling == "MATCH"
	finding := lib.finding(entry.address, concat("", [
		"rule \"", entry.rule.name, "\" blocks every request whose body is over ",
		lib.format_number(inspection_limit(acl) / 1024), " KB (", m.kind, " oversize_handling = MATCH)",
	]))
}

# METADATA
# title: Invalid JSON bodies match a blocking rule
# description: |
#   A blocking rule inspects `json_body` with `invalid_fallback_behavior = "MATCH"`. Requests
#   whose body is not valid JSON (form posts, plain text, and any JSON body truncated at the
#   inspection limit) match and get 403.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-fields-list.html
# custom:
#   id: WG502
#   severity: warning
#   symptom: "403"
#   cause: 5
#   confirm: |
#     Blocked requests carry a non-JSON content type or a body over the inspection limit.
#   fix: |
#     json_body {
#       match_scope               = "VALUE"
#       invalid_fallback_behavior = "EVALUATE_AS_STRING"
#       oversize_handling         = "CONTINUE"
#     }
#   why: |
#     EVALUATE_AS_STRING inspects an unparsable body as text, so it is blocked only when its content
#     matches.
wg502 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some entry in acls.rules(acl)
	blocking(entry.rule)
	some m in body_matches(entry.rule)
	m.kind == "json_body"
	m.field.invalid_fallback_behavior == "MATCH"
	finding := lib.finding(entry.address, concat("", [
		"rule \"", entry.rule.name, "\" blocks every request whose body is not valid JSON (invalid_fallback_behavior = MATCH)",
	]))
}

# METADATA
# title: Body size check at or beyond the inspection limit
# description: |
#   A `size_constraint_statement` on the body compares against a size at or beyond the body
#   inspection limit (16 KB for API Gateway unless association_config raises it). WAF only sees
#   the body up to that limit; with `oversize_handling = "CONTINUE"` the inspected size never
#   exceeds it, so the rule never matches and oversize bodies pass.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-size-constraint-match.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/waf-oversize-request-components.html
# custom:
#   id: WG503
#   severity: warning
#   symptom: unprotected
#   cause: 5
#   confirm: |
#     The rule's metric shows no matches even for requests with bodies far over the size.
#   fix: |
#     Compare below the limit, or let oversize bodies match:
#       size_constraint_statement {
#         comparison_operator = "GT"
#         size                = 16000
#         field_to_match { body { oversize_handling = "MATCH" } }
#       }
#   why: |
#     The comparison is made on what WAF inspected; a size under the limit, or MATCH for oversize
#     bodies, makes the condition reachable.
wg503 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	limit := inspection_limit(acl)
	some entry in acls.rules(acl)
	some m in body_matches(entry.rule)
	size := m.statement # the size_constraint_statement block that holds the field_to_match
	is_number(size.size)
	size.comparison_operator in {"GT", "GE"}
	size.size >= limit
	object.get(m.field, "oversize_handling", "CONTINUE") == "CONTINUE"
	finding := lib.finding(entry.address, concat("", [
		"rule \"", entry.rule.name, "\" checks for bodies ", size.comparison_operator, " ", lib.format_number(size.size),
		" bytes, but WAF inspects at most ", lib.format_number(limit), " bytes: it never matches",
	]))
}

# METADATA
# title: Raised inspection limit, 8 KB body rule still enforced
# description: |
#   The web ACL raises the API Gateway body inspection limit (KB_32 or more), usually to let large
#   requests through, while the Core rule set's SizeRestrictions_BODY is still enforced. That rule
#   blocks bodies over 8 KB whatever the limit: large requests still get 403.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
# custom:
#   id: WG504
#   severity: warning
#   symptom: "403"
#   cause: 5
#   confirm: |
#     Requests with bodies between 8 KB and the new limit are blocked with the label
#     awswaf:managed:aws:core-rule-set:SizeRestrictions_Body.
#   fix: |
#     rule_action_override {
#       name = "SizeRestrictions_BODY"
#       action_to_use { count {} }
#     }
#   why: |
#     The inspection limit decides how much WAF reads; SizeRestrictions_BODY decides what size is
#     too large, and it is fixed at 8 KB.
wg504 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	inspection_limit(acl) > 16384
	some entry in acls.rules(acl)
	acls.blocks_with(entry.rule, "AWSManagedRulesCommonRuleSet", "SizeRestrictions_BODY")
	finding := lib.finding(entry.address, concat("", [
		"raises the body inspection limit to ", lib.format_number(inspection_limit(acl) / 1024),
		" KB but rule \"", entry.rule.name, "\" still blocks bodies over 8 KB (SizeRestrictions_BODY)",
	]))
}

# METADATA
# title: Body inspection setting for the wrong kind of resource
# description: |
#   `association_config.request_body` sets a limit for a resource type the web ACL cannot protect:
#   a `cloudfront` limit on a REGIONAL web ACL, or an `api_gateway`, `cognito_user_pool`,
#   `app_runner_service` or `verified_access_instance` limit on a CLOUDFRONT one. The setting does
#   nothing, and the limit you meant to raise stays at 16 KB.
# related_resources:
#   - ref: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl#association_config
# custom:
#   id: WG505
#   severity: warning
#   symptom: none
#   cause: 5
#   confirm: |
#     `aws wafv2 get-web-acl` shows AssociationConfig.RequestBody with a key for the other scope.
#   fix: |
#     For a REGIONAL web ACL in front of API Gateway:
#       association_config { request_body { api_gateway { default_size_inspection_limit = "KB_32" } } }
#   why: |
#     Each resource type reads its own key; only the key of the protected type applies.
wg505 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	some key in wrong_keys(acl)
	finding := lib.finding(acl.address, concat("", [
		"sets association_config.request_body.", key, " on a ", acl.values.scope, " web ACL, where it has no effect",
	]))
}

regional_keys := {"api_gateway", "cognito_user_pool", "app_runner_service", "verified_access_instance"}

wrong_keys(acl) := {key |
	body := lib.block(lib.block(acl.values, "association_config"), "request_body")
	some key, v in body
	count(v) > 0
	wrong_for(acl.values.scope, key)
}

wrong_for("REGIONAL", "cloudfront")

wrong_for("CLOUDFRONT", key) if key in regional_keys
