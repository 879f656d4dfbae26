# METADATA
# description: Association and scope (catalog group E, guide cause 4).
package wafguard.rules.association

import data.wafguard.lib

# METADATA
# title: CLOUDFRONT-scope web ACL associated with an API Gateway stage
# description: |
#   The association names a web ACL whose scope is CLOUDFRONT. Only REGIONAL web ACLs can be
#   associated with a regional resource such as an API Gateway REST API stage, edge-optimized APIs
#   included (their CloudFront distribution is managed by API Gateway, not by you). AWS rejects
#   the association, so `terraform apply` fails and the stage stays unprotected.
# related_resources:
#   - ref: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html
#   - ref: https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html
# custom:
#   id: WG401
#   severity: error
#   symptom: apply-failure
#   cause: 4
#   confirm: |
#     `terraform apply` fails on the aws_wafv2_web_acl_association with WAFInvalidParameterException /
#     WAFNonexistentItemException; `aws wafv2 get-web-acl --scope REGIONAL` does not find the ACL.
#   fix: |
#     Create the web ACL with `scope = "REGIONAL"` in the stage's region and associate that one:
#       resource "aws_wafv2_web_acl" "api" { scope = "REGIONAL" ... }
#     Keep CLOUDFRONT-scope ACLs (us-east-1) for distributions you own, set through the
#     distribution's `web_acl_id`.
#   why: |
#     A REGIONAL web ACL lives in the same regional WAF endpoint as the stage, which is the only
#     place AssociateWebACL looks for an API Gateway stage.
wg401 contains finding if {
	some a in lib.live("aws_wafv2_web_acl_association")
	some acl in lib.association_acls(a)
	acl.values.scope == "CLOUDFRONT"
	finding := lib.finding_related(
		a.address, concat("", [
			"associates the CLOUDFRONT-scope web ACL ", acl.address,
			"; only REGIONAL web ACLs can be associated with an API Gateway stage, so apply fails",
		]),
		[acl.address],
	)
}

# METADATA
# title: Association target is not a REST API stage
# description: |
#   `resource_arn` points at something WAF cannot protect through this association: an HTTP or
#   WebSocket API (aws_apigatewayv2_*, `/apis/` ARNs; AWS WAF does not support them), a REST API
#   without a stage, an `execute-api` ARN (the stage's `execution_arn`, used for IAM and Lambda
#   permissions), or a CloudFront distribution (protected through its own `web_acl_id`). Either
#   the apply fails or the API you meant to protect receives traffic with no WAF in front.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html
#   - ref: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html
#   - ref: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl_association
# custom:
#   id: WG402
#   severity: error
#   symptom: unprotected
#   cause: 4
#   confirm: |
#     `aws wafv2 get-web-acl-for-resource --resource-arn <stage ARN>` returns no web ACL for the
#     stage; the association's resource_arn is not of the form
#     arn:aws:apigateway:REGION::/restapis/API_ID/stages/STAGE.
#   fix: |
#     Point the association at the REST API stage's `arn` attribute:
#       resource "aws_wafv2_web_acl_association" "api" {
#         resource_arn = aws_api_gateway_stage.prod.arn
#         web_acl_arn  = aws_wafv2_web_acl.api.arn
#       }
#     For an HTTP API, put CloudFront with a CLOUDFRONT-scope web ACL in front of it, or move the
#     API to a REST API.
#   why: |
#     AssociateWebACL accepts an API Gateway stage ARN (/restapis/ID/stages/NAME); that is the
#     resource API Gateway consults WAF for on every request.
wg402 contains finding if {
	some a in lib.live("aws_wafv2_web_acl_association")
	some e in lib.edges_from(a.address, "resource_arn")
	target := lib.by_address[e.to]
	what := wrong_target(target, e)
	finding := lib.finding_related(
		a.address, concat("", [
			"resource_arn points at ", target.address, " (", what,
			"), which WAF cannot protect through a web ACL association",
		]),
		[target.address],
	)
}

wg402 contains finding if {
	some a in lib.live("aws_wafv2_web_acl_association")
	arn := a.values.resource_arn
	is_string(arn)
	what := wrong_arn(arn)
	finding := lib.finding(a.address, concat("", [
		"resource_arn \"", arn, "\" is ", what, ", which WAF cannot protect through a web ACL association",
	]))
}

wrong_target(t, _) := "an HTTP or WebSocket API stage" if t.type == "aws_apigatewayv2_stage"

wrong_target(t, _) := "an HTTP or WebSocket API" if t.type == "aws_apigatewayv2_api"

wrong_target(t, _) := "a CloudFront distribution; set its web_acl_id instead" if t.type == "aws_cloudfront_distribution"

wrong_target(t, e) := "a REST API without a stage" if {
	t.type == "aws_api_gateway_rest_api"
	e.to_attribute in {"arn", "execution_arn"}
}

wrong_target(t, e) := "the stage's execute-api ARN, not its arn" if {
	t.type == "aws_api_gateway_stage"
	e.to_attribute in {"execution_arn", "invoke_url"}
}

wrong_arn(s) := "an HTTP or WebSocket API ARN" if regex.match(lib.http_api_arn_pattern, s)

wrong_arn(s) := "an execute-api ARN" if regex.match(lib.execute_api_arn_pattern, s)

wrong_arn(s) := "a CloudFront distribution ARN; set its web_acl_id instead" if regex.match(lib.cloudfront_arn_pattern, s)

wrong_arn(s) := "a REST API ARN without a stage" if regex.match(lib.rest_api_arn_pattern, s)

# METADATA
# title: Hand-built stage ARN instead of a reference to the stage
# description: |
#   The association builds the stage ARN as a string (for example from the REST API's id and a
#   literal stage name) instead of referencing `aws_api_gateway_stage.<name>.arn`. Terraform then
#   does not know that the association depends on the stage: it may associate before the stage
#   exists (the race of provider issue #29080) and fail, and a typo in the stage name protects
#   nothing. When the configuration has stages for that API and none has the named stage name,
#   the association can never succeed (error).
# related_resources:
#   - ref: https://github.com/hashicorp/terraform-provider-aws/issues/29080
#   - ref: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_stage#arn-1
# custom:
#   id: WG403
#   severity: warning
#   symptom: unprotected
#   cause: 4
#   confirm: |
#     `terraform graph` shows no edge from the association to the stage; `aws wafv2
#     get-web-acl-for-resource --resource-arn <stage ARN>` returns nothing after an apply that
#     created both, or apply fails with WAFNonexistentItemException.
#   fix: |
#     resource "aws_wafv2_web_acl_association" "api" {
#       resource_arn = aws_api_gateway_stage.prod.arn
#       web_acl_arn  = aws_wafv2_web_acl.api.arn
#     }
#   why: |
#     A reference orders the association after the stage and always carries the stage's real ARN,
#     so the stage name cannot drift from the one the association names.
wg403 contains finding if {
	some a in lib.live("aws_wafv2_web_acl_association")
	some api in lib.hand_built_api(a)
	not references_a_stage(a)
	stage_name_missing(a, api)
	name := lib.hand_built_stage_name(a)
	stage_names := api_stage_names(api)
	finding := object.union(
		lib.finding_related(
			a.address, concat("", [
				"builds the ARN of stage \"", name, "\" of ", api.address,
				" by hand, and the configuration has no such stage (it has: ",
				concat(", ", sort(stage_names)), ")",
			]),
			[api.address],
		),
		{"severity": "error"},
	)
}

wg403 contains finding if {
	some a in lib.live("aws_wafv2_web_acl_association")
	some api in lib.hand_built_api(a)
	not references_a_stage(a)
	not stage_name_missing(a, api)
	finding := lib.finding_related(
		a.address, concat("", [
			"builds the stage ARN by hand from ", api.address,
			" instead of referencing the stage's arn; the association can race the stage's creation",
		]),
		[api.address],
	)
}

wg403 contains finding if {
	some a in lib.live("aws_wafv2_web_acl_association")
	is_string(a.values.resource_arn)
	lib.is_rest_stage_arn(a.values.resource_arn)
	count(lib.hand_built_api(a)) == 0
	not references_a_stage(a)
	some s in lib.association_stages(a)
	finding := lib.finding_related(
		a.address, concat("", [
			"names stage ", s.address, " by a literal ARN instead of referencing ", s.address, ".arn",
		]),
		[s.address],
	)
}

wg403 contains finding if {
	some a in lib.live("aws_wafv2_web_acl_association")
	parts := lib.stage_arn_parts(a.values.resource_arn)
	count(lib.association_stages(a)) == 0
	count(lib.hand_built_api(a)) == 0
	some api in lib.live("aws_api_gateway_rest_api")
	api.values.id == parts.api_id
	not parts.stage_name in api_stage_names(api)
	finding := object.union(
		lib.finding_related(
			a.address, concat("", [
				"names stage \"", parts.stage_name, "\" of ", api.address,
				", which has no such stage in this configuration",
			]),
			[api.address],
		),
		{"severity": "error"},
	)
}

references_a_stage(a) if {
	some e in lib.edges_from(a.address, "resource_arn")
	e.kind == "reference"
	lib.by_address[e.to].type == "aws_api_gateway_stage"
}

api_stages(api) := {s |
	some s in lib.sources(api.address, "rest_api_id")
	s.type == "aws_api_gateway_stage"
	s.action != "delete"
}

api_stage_names(api) := {s.values.stage_name | some s in api_stages(api)}

# The hand-built ARN names a stage the API's stages in this configuration do not have.
stage_name_missing(a, api) if {
	stage_names := api_stage_names(api)
	count(stage_names) > 0
	not lib.hand_built_stage_name(a) in stage_names
}

# METADATA
# title: Web ACL and stage in different regions
# description: |
#   A REGIONAL web ACL can only be associated with resources in its own region. The association
#   names an ACL in one region and a stage in another, so AWS rejects it and the apply fails.
#   This usually comes from a provider alias on one resource and not the other.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html
# custom:
#   id: WG404
#   severity: error
#   symptom: apply-failure
#   cause: 4
#   confirm: |
#     Compare the region in the web ACL ARN (arn:aws:wafv2:REGION:...) with the region in the
#     stage ARN (arn:aws:apigateway:REGION::...). Apply fails with WAFNonexistentItemException.
#   fix: |
#     Create the web ACL (and the association) with the same provider as the stage:
#       resource "aws_wafv2_web_acl" "api" { provider = aws.eu ... }
#       resource "aws_wafv2_web_acl_association" "api" { provider = aws.eu ... }
#   why: |
#     WAF's regional endpoints only see web ACLs and resources of their own region.
wg404 contains finding if {
	some a in lib.live("aws_wafv2_web_acl_association")
	some acl in lib.association_acls(a)
	some region in stage_regions(a)
	is_string(acl.region)
	acl.region != region
	finding := lib.finding_related(
		a.address, concat("", [
			"associates web ACL ", acl.address, " in ", acl.region,
			" with a stage in ", region, "; a web ACL only protects resources in its own region",
		]),
		[acl.address],
	)
}

stage_regions(a) := {s.region |
	some s in lib.association_stages(a)
	is_string(s.region)
} | {parts.region |
	parts := lib.stage_arn_parts(a.values.resource_arn)
}

# METADATA
# title: More than one association for one stage
# description: |
#   A stage can have only one web ACL. Two aws_wafv2_web_acl_association resources for the same
#   stage replace each other: whichever AWS applies last wins, silently, and the other web ACL's
#   rules are not in force. The plan looks fine and the protection you reviewed is not the one
#   running.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html
# custom:
#   id: WG405
#   severity: error
#   symptom: unprotected
#   cause: 4
#   confirm: |
#     `aws wafv2 get-web-acl-for-resource --resource-arn <stage ARN>` shows only one of the web
#     ACLs; which one changes with apply order.
#   fix: |
#     Keep one association per stage, and merge the rules you need into that one web ACL (or
#     reference a shared aws_wafv2_rule_group from it).
#   why: |
#     One association per stage makes the web ACL in force the one in the configuration.
wg405 contains finding if {
	some a in lib.live("aws_wafv2_web_acl_association")
	lib.certain(a)
	some s in exact_stages(a)
	others := {b.address |
		some b in lib.stage_associations(s)
		b.address != a.address
		lib.certain(b)
		s in exact_stages(b)
	}
	count(others) > 0
	finding := lib.finding_related(
		a.address, concat("", [
			"is one of ", lib.format_number(count(others) + 1), " associations for stage ", s.address,
			" (also: ", concat(", ", sort(others)), "); only the last one applied takes effect",
		]),
		array.concat([s.address], sort(others)),
	)
}

wg405 contains finding if {
	some a in lib.live("aws_wafv2_web_acl_association")
	arn := a.values.resource_arn
	lib.is_rest_stage_arn(arn)
	count(lib.association_stages(a)) == 0
	others := {b.address |
		some b in lib.live("aws_wafv2_web_acl_association")
		b.address != a.address
		b.values.resource_arn == arn
	}
	count(others) > 0
	finding := lib.finding_related(
		a.address, concat("", [
			"is one of ", lib.format_number(count(others) + 1), " associations for stage ", arn,
			" (also: ", concat(", ", sort(others)), "); only the last one applied takes effect",
		]),
		sort(others),
	)
}

# Stages linked by an edge that is not a guess across count/for_each instances.
exact_stages(a) := {lib.by_address[e.to] |
	some e in lib.edges_from(a.address, "resource_arn")
	not e.ambiguous
	lib.by_address[e.to].type == "aws_api_gateway_stage"
}

# METADATA
# title: REST API stage without a web ACL
# description: |
#   The stage has no aws_wafv2_web_acl_association in this configuration, so requests reach the
#   API with no WAF in front of them. Stages of PRIVATE REST APIs are skipped. Turn the rule off
#   with `--skip-rule WG406` where stages are protected from another configuration.
# related_resources:
#   - ref: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html
#   - ref: https://docs.aws.amazon.com/config/latest/developerguide/api-gw-associated-with-waf.html
# custom:
#   id: WG406
#   severity: warning
#   symptom: unprotected
#   cause: 4
#   confirm: |
#     `aws wafv2 get-web-acl-for-resource --resource-arn <stage ARN>` returns no web ACL; the
#     stage's page in the API Gateway console shows no web ACL.
#   fix: |
#     resource "aws_wafv2_web_acl_association" "prod" {
#       resource_arn = aws_api_gateway_stage.prod.arn
#       web_acl_arn  = aws_wafv2_web_acl.api.arn
#     }
#   why: |
#     The association is what makes API Gateway send each request of the stage to WAF before
#     the integration runs.
wg406 contains finding if {
	some s in lib.live("aws_api_gateway_stage")
	count(lib.stage_associations(s)) == 0
	not lib.stage_is_private(s)
	not lib.maybe_hand_built_for(s)
	not unresolved_association_exists
	not lib.handed_to_unread_module(s)
	finding := lib.finding(s.address, "is a REST API stage with no web ACL association in this configuration")
}

# An association whose target could not be resolved may protect any stage: do not guess.
unresolved_association_exists if {
	some a in lib.live("aws_wafv2_web_acl_association")
	count(lib.edges_from(a.address, "resource_arn")) == 0
	not is_string(a.values.resource_arn)
}

# METADATA
# title: REGIONAL web ACL associated with nothing
# description: |
#   The web ACL is created but no association in this configuration attaches it to a stage (or
#   other regional resource). It costs its monthly fee and protects nothing, which often means
#   the association was forgotten or points at another ACL.
# related_resources:
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html
# custom:
#   id: WG407
#   severity: info
#   symptom: unprotected
#   cause: 4
#   confirm: |
#     `aws wafv2 list-resources-for-web-acl --web-acl-arn <ARN> --resource-type API_GATEWAY`
#     returns an empty list.
#   fix: |
#     Add an aws_wafv2_web_acl_association for each stage it should protect, or remove the web
#     ACL if another configuration associates it.
#   why: |
#     A web ACL inspects only the traffic of the resources associated with it.
wg407 contains finding if {
	some acl in lib.live("aws_wafv2_web_acl")
	acl.values.scope == "REGIONAL"
	count({a |
		some a in lib.sources(acl.address, "web_acl_arn")
		a.action != "delete"
	}) == 0
	not unresolved_acl_reference_exists
	finding := lib.finding(acl.address, "is a REGIONAL web ACL that no association in this configuration attaches to anything")
}

unresolved_acl_reference_exists if {
	some a in lib.live("aws_wafv2_web_acl_association")
	count(lib.edges_from(a.address, "web_acl_arn")) == 0
}

# METADATA
# title: This plan removes WAF protection from a stage
# description: |
#   The plan deletes a web ACL association while its stage stays, or replaces a stage while its
#   association is not recreated. Replacing a stage deletes it with its association; the
#   association resource keeps the same resource_arn (the stage ARN is built from the API id
#   and stage name), so Terraform does not recreate it, and the new stage serves traffic without
#   WAF until someone notices.
# related_resources:
#   - ref: https://github.com/hashicorp/terraform-provider-aws/issues/29080
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html
# custom:
#   id: WG408
#   severity: warning
#   symptom: unprotected
#   cause: 4
#   confirm: |
#     In the plan, look for `aws_wafv2_web_acl_association ... will be destroyed` or
#     `aws_api_gateway_stage ... must be replaced` with no matching association change; after
#     apply, `aws wafv2 get-web-acl-for-resource` returns nothing for the stage.
#   fix: |
#     Keep the association, or make it follow the stage's lifecycle:
#       resource "aws_wafv2_web_acl_association" "prod" {
#         resource_arn = aws_api_gateway_stage.prod.arn
#         web_acl_arn  = aws_wafv2_web_acl.api.arn
#         lifecycle { replace_triggered_by = [aws_api_gateway_stage.prod] }
#       }
#   why: |
#     replace_triggered_by recreates the association whenever the stage is recreated, so the new
#     stage is protected from its first request.
wg408 contains finding if {
	some a in lib.deleted("aws_wafv2_web_acl_association")
	some s in lib.association_stages(a)
	s.action != "delete"
	count(lib.stage_associations(s)) == 0
	finding := lib.finding_related(
		a.address, concat("", [
			"is destroyed by this plan and stage ", s.address, " keeps no other web ACL association",
		]),
		[s.address],
	)
}

wg408 contains finding if {
	some a in lib.deleted("aws_wafv2_web_acl_association")
	arn := a.values.resource_arn
	lib.is_rest_stage_arn(arn)
	count(lib.association_stages(a)) == 0
	count({b | some b in lib.live("aws_wafv2_web_acl_association"); b.values.resource_arn == arn}) == 0
	finding := lib.finding(a.address, concat("", [
		"is destroyed by this plan and stage ", arn, " keeps no other web ACL association",
	]))
}

wg408 contains finding if {
	some s in lib.live("aws_api_gateway_stage")
	s.action == "replace"
	associations := lib.stage_associations(s)
	count(associations) > 0
	every a in associations {
		not a.action in {"create", "replace"}
	}
	finding := lib.finding_related(
		s.address, concat("", [
			"is replaced by this plan but its web ACL association (",
			concat(", ", sort({a.address | some a in associations})),
			") is not recreated: the new stage starts without WAF",
		]),
		sort({a.address | some a in associations}),
	)
}
