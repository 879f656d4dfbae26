# METADATA
# description: After the fix, the 403 (catalog group H).
package wafguard.rules.aftermath

import data.wafguard.lib
import data.wafguard.lib.acl as acls

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

rules_known(acl) if not acls.rules_unknown(acl)

can_allow(acl) if {
	some entry in acls.rules(acl)
	rule_can_allow(entry.rule)
}

rule_can_allow(rule) if acls.action(rule) == "allow"

# A custom rule group may hold allow rules: wafguard does not claim it cannot allow.
rule_can_allow(rule) if acls.is_group_reference(rule)

rule_can_allow(rule) if "allow" in {a | some _, a in acls.overrides(acls.managed_group(rule))}

# METADATA
# title: WAF blocks cannot be told from other 403s
# description: |
#   The REST API is protected by a web ACL whose blocks carry no custom response body, and the
#   API has no `WAF_FILTERED` gateway response. A WAF block then looks like any other 403
#   (`{"message":"Forbidden"}`), the same as a missing API key, an authorizer or resource-policy
#   denial: support cannot tell a client which one it hit.
# related_resources:
#   - ref: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/customizing-the-response-for-blocked-requests.html
# custom:
#   id: WG702
#   severity: info
#   symptom: "403"
#   cause: 1
#   confirm: |
#     Compare the body of a WAF-blocked request with that of a request without credentials: they
#     are identical.
#   fix: |
#     resource "aws_api_gateway_gateway_response" "waf_filtered" {
#       rest_api_id   = aws_api_gateway_rest_api.api.id
#       response_type = "WAF_FILTERED"
#       status_code   = "403"
#       response_templates = {
#         "application/json" = "{\"message\":\"Request blocked by WAF\",\"requestId\":\"$context.requestId\"}"
#       }
#     }
#   why: |
#     API Gateway returns the WAF_FILTERED response only for WAF blocks, so the body (and the
#     request ID) identify them.
wg702 contains finding if {
	some api in lib.live("aws_api_gateway_rest_api")
	some acl in protecting_acls(api)
	not has_custom_block_body(acl)
	not waf_filtered_response(api)
	finding := lib.finding_related(
		api.address, concat("", [
			"is protected by ", acl.address,
			", but WAF blocks return the same 403 body as every other denial (no WAF_FILTERED gateway response, no custom response body)",
		]),
		[acl.address],
	)
}

protecting_acls(api) := {acl |
	some s in lib.sources(api.address, "rest_api_id")
	s.type == "aws_api_gateway_stage"
	some a in lib.stage_associations(s)
	some acl in lib.association_acls(a)
}

has_custom_block_body(acl) if {
	some response in object.get(lib.block(lib.block(acl.values, "default_action"), "block"), "custom_response", [])
	response.custom_response_body_key
}

has_custom_block_body(acl) if {
	some entry in acls.rules(acl)
	some response in object.get(lib.block(lib.block(entry.rule, "action"), "block"), "custom_response", [])
	response.custom_response_body_key
}

waf_filtered_response(api) if {
	some g in lib.sources(api.address, "rest_api_id")
	g.type == "aws_api_gateway_gateway_response"
	g.values.response_type == "WAF_FILTERED"
}
